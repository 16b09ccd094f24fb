using System;
using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace KernelDsl.Runtime;

/// <summary>
/// Validates the inputs of a sweep, packs its column groups into pooled buffers (O((n + m) d) memory, never n × m),
/// runs its chunks (in parallel above a size threshold) and adds the chunk partials in chunk order.
/// </summary>
internal static unsafe class PairSweepCore<T, TWidths>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TWidths : struct, IPairWidths<T>
{
    /// <summary>Fewer pairs than this run on the calling thread.</summary>
    public const long ParallelPairs = 1 << 16;

    /// <summary>One column group of a sweep, as spans.</summary>
    public readonly ref struct Columns
    {
        public readonly ReadOnlySpan<T> Points;
        public readonly ReadOnlySpan<T> Extra;
        public readonly PairColumns Kind;
        public readonly double GradientScale;

        public Columns(ReadOnlySpan<T> points, ReadOnlySpan<T> extra, PairColumns kind, double gradientScale)
        {
            Points = points;
            Extra = extra;
            Kind = kind;
            GradientScale = gradientScale;
        }
    }

    /// <summary>
    /// Runs one sweep of the rows <paramref name="x"/> (weights <paramref name="a"/>, empty for 1) against one or two column
    /// groups; returns the two groups' sums (for <see cref="PairReduction.Sum"/>; 0 otherwise).
    /// </summary>
    public static (double First, double Second) Run<TTerm>(in TTerm term, ReadOnlySpan<T> x, ReadOnlySpan<T> a, int d,
        scoped Columns first, scoped Columns second, int groups, PairReduction reduction, Span<T> gradient, Span<T> rowOut,
        ReadOnlySpan<T> payload = default, int payloadWidth = 0, Span<T> payloadOut = default)
        where TTerm : struct, IPairTerm<T>
    {
        int n = Rows(x, d, "x");
        if (!a.IsEmpty && a.Length != n) throw new ArgumentException($"'a' has length {a.Length}; it must be empty (weights 1) or have length {n}.", nameof(a));
        int m0 = Rows(first.Points, d, "y"), m1 = groups > 1 ? Rows(second.Points, d, "y") : 0;
        CheckExtra(first.Extra, m0);
        if (groups > 1) CheckExtra(second.Extra, m1);
        bool wantsGradient = !gradient.IsEmpty;
        if (wantsGradient && gradient.Length != (long)n * d) throw Partials.OutputLength("gradX", gradient.Length, (long)n * d);
        if (reduction == PairReduction.RowPayload)
        {
            if (payloadWidth < 1 || payload.Length != (long)m0 * payloadWidth)
                throw new ArgumentException($"The payload has length {payload.Length}; it holds {payloadWidth} values per column point ({m0}).", nameof(payload));
            if (rowOut.Length != (long)n * payloadWidth) throw Partials.OutputLength("output", rowOut.Length, (long)n * payloadWidth);
        }
        else if (reduction != PairReduction.Sum && rowOut.Length != n) throw Partials.OutputLength("output", rowOut.Length, n);
        if (reduction == PairReduction.RowSoftmax && payloadWidth > 0)
        {
            if (payload.Length != (long)m0 * payloadWidth)
                throw new ArgumentException($"The payload has length {payload.Length}; it holds {payloadWidth} values per column point ({m0}).", nameof(payload));
            if (payloadOut.Length != (long)n * payloadWidth) throw Partials.OutputLength("barycentric", payloadOut.Length, (long)n * payloadWidth);
        }
        if (n == 0) return (0.0, 0.0);

        int tileWidth = PairPacking.TileWidth(d, Unsafe.SizeOf<T>());
        long length0 = PairPacking.Length(m0, d, tileWidth), length1 = PairPacking.Length(m1, d, tileWidth);
        int chunks = (n + PairJob<T, TTerm>.RowsPerChunk - 1) / PairJob<T, TTerm>.RowsPerChunk;
        if (length0 + length1 > Array.MaxLength)
            throw new ArgumentException($"The packed copy of the columns would hold {length0 + length1} elements, more than an array can.", "y");
        long payloadLength = reduction == PairReduction.RowPayload || (reduction == PairReduction.RowSoftmax && payloadWidth > 0) ? PairPacking.Length(m0, payloadWidth, tileWidth) : 0;
        if (length0 + length1 + payloadLength > Array.MaxLength)
            throw new ArgumentException($"The packed copy of the columns and the payload would hold {length0 + length1 + payloadLength} elements, more than an array can.", nameof(payload));
        T[] packed = ArrayPool<T>.Shared.Rent((int)Math.Max(1, length0 + length1 + payloadLength));
        double[] partials = ArrayPool<double>.Shared.Rent(2 * chunks);
        try
        {
            fixed (T* px = x, pa = a, py0 = first.Points, pe0 = first.Extra, py1 = second.Points, pe1 = second.Extra, pp0 = payload)
            fixed (T* buffer = packed, pg = gradient, po = rowOut, pq = payloadOut)
            fixed (double* pp = partials)
            {
                T fill = reduction is PairReduction.RowLogSumExp or PairReduction.RowSoftmax ? T.Zero : T.One;
                PairPacking.Pack(py0, pe0, fill, m0, d, tileWidth, buffer);
                if (groups > 1) PairPacking.Pack(py1, pe1, fill, m1, d, tileWidth, buffer + length0);
                if (payloadLength > 0) PairPacking.Pack(pp0, null, T.Zero, m0, payloadWidth, tileWidth, buffer + length0 + length1);
                double featureFactor = TTerm.Feature == PairFeature.SquaredDistance ? 2.0 : 1.0;
                var chunkJob = new PairChunkJob<T, TWidths, PairJob<T, TTerm>>
                {
                    Job = new PairJob<T, TTerm>
                    {
                        Term = term,
                        X = px,
                        A = a.IsEmpty ? null : pa,
                        N = n,
                        D = d,
                        G0 = Group(first, buffer, m0, tileWidth, featureFactor),
                        G1 = Group(second, buffer + length0, m1, tileWidth, featureFactor),
                        Groups = groups,
                        Reduction = reduction,
                        Gradient = wantsGradient,
                        Partials = pp,
                        Grad = pg,
                        RowOut = po,
                        Payload = payloadLength > 0 ? buffer + length0 + length1 : null,
                        PayloadWidth = payloadWidth,
                        PayloadOut = pq,
                    },
                };
                bool parallel = (long)n * (m0 + m1) >= ParallelPairs;
                Chunking.Run(ref chunkJob, chunks, parallel);
                double s0 = 0.0, s1 = 0.0;
                if (reduction == PairReduction.Sum)
                    for (int c = 0; c < chunks; c++)
                    {
                        s0 += pp[2 * c];
                        if (groups > 1) s1 += pp[2 * c + 1];
                    }
                return (s0, s1);
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(packed);
            ArrayPool<double>.Shared.Return(partials);
        }
    }

    private static PairGroup<T> Group(scoped Columns columns, T* packed, int count, int tileWidth, double featureFactor) => new()
    {
        Packed = packed,
        Count = count,
        TileWidth = tileWidth,
        Columns = columns.Kind,
        GradientScale = columns.GradientScale * featureFactor * (columns.Kind == PairColumns.Cross ? 1.0 : 2.0),
    };

    /// <summary>The number of points in a row-major buffer of <paramref name="d"/> features.</summary>
    private static int Rows(ReadOnlySpan<T> points, int d, string name)
    {
        if (d < 1) throw new ArgumentOutOfRangeException(nameof(d), d, "The number of features must be at least 1.");
        if (points.Length % d != 0)
            throw new ArgumentException($"'{name}' has length {points.Length}, which is not a multiple of d = {d} (points are rows of d features).", name);
        int count = points.Length / d;
        // Lane masks compare column indices held in T: exact up to 2^24 in float.
        if (Unsafe.SizeOf<T>() == 4 && count > 1 << 24)
            throw new ArgumentException($"'{name}' has {count} points; float sweeps take at most 2^24 points per set.", name);
        return count;
    }

    private static void CheckExtra(ReadOnlySpan<T> extra, int count)
    {
        if (!extra.IsEmpty && extra.Length != count)
            throw new ArgumentException($"The column weights have length {extra.Length}; they must be empty (weights 1) or have length {count}.", "b");
    }
}
