using System;
using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace KernelDsl.Runtime;

/// <summary>What a pair sweep reduces its pair terms to.</summary>
internal enum PairReduction
{
    /// <summary>One number per column group: the sum over rows i of a_i Σ_j b_j φ(f_ij), partial per chunk.</summary>
    Sum,

    /// <summary>Per row i: Σ_j b_j φ(f_ij), written to the output vector.</summary>
    RowSums,

    /// <summary>Per row i: log Σ_j exp(φ(f_ij) + h_j), written to the output vector (the packed extra row holds h).</summary>
    RowLogSumExp,

    /// <summary>Per row i and payload column c: Σ_j b_j φ(f_ij) P[j, c], written to the output (n × p).</summary>
    RowPayload,

    /// <summary>
    /// Per row i: log Σ_j exp(φ(f_ij) + h_j) to the output, the softmax-weighted gradient Σ_j p_ij φ'(f_ij) ∂f_ij/∂x_i
    /// (times the scale) to the gradient and, with a payload, Σ_j p_ij P[j, c] to the payload output (see PairJob.Softmax.cs).
    /// </summary>
    RowSoftmax,
}

/// <summary>How a column group relates to the rows of the sweep.</summary>
internal enum PairColumns
{
    /// <summary>Another point set: every pair (i, j).</summary>
    Cross,

    /// <summary>The row points themselves, pairs i ≠ j.</summary>
    SelfOffDiagonal,

    /// <summary>The row points themselves, every pair including i = j.</summary>
    SelfWithDiagonal,
}

/// <summary>One column point set of a sweep, packed (see <see cref="PairPacking"/>).</summary>
internal unsafe struct PairGroup<T> where T : unmanaged
{
    public T* Packed;
    public int Count;
    public int TileWidth;
    public PairColumns Columns;

    /// <summary>The factor of this group's per-row gradient sums in the gradient output (the formula's coefficient, the
    /// feature's own factor and the 2 of a self group, whose pairs depend on x_i from both sides).</summary>
    public double GradientScale;
}

/// <summary>One chunk of rows of a sweep, at a vector width chosen by the caller.</summary>
internal interface IPairChunk<T> where T : unmanaged
{
    void Chunk<TVec, V>(int chunk) where TVec : struct where V : struct, IVectorOps<V, TVec, T>;
}

/// <summary>Picks the widest vector width of the machine for one element type (Vector128 when none is accelerated).</summary>
internal interface IPairWidths<T> where T : unmanaged
{
    static abstract void Run<TJob>(ref TJob job, int chunk) where TJob : struct, IPairChunk<T>;
}

/// <summary>The float widths.</summary>
internal readonly struct PairWidthsF : IPairWidths<float>
{
    public static void Run<TJob>(ref TJob job, int chunk) where TJob : struct, IPairChunk<float>
    {
        if (Simd512F.IsHardwareAccelerated) job.Chunk<Vector512<float>, Simd512F>(chunk);
        else if (Simd256F.IsHardwareAccelerated) job.Chunk<Vector256<float>, Simd256F>(chunk);
        else job.Chunk<Vector128<float>, Simd128F>(chunk);
    }
}

/// <summary>The double widths.</summary>
internal readonly struct PairWidthsD : IPairWidths<double>
{
    public static void Run<TJob>(ref TJob job, int chunk) where TJob : struct, IPairChunk<double>
    {
        if (Simd512D.IsHardwareAccelerated) job.Chunk<Vector512<double>, Simd512D>(chunk);
        else if (Simd256D.IsHardwareAccelerated) job.Chunk<Vector256<double>, Simd256D>(chunk);
        else job.Chunk<Vector128<double>, Simd128D>(chunk);
    }
}

/// <summary>Adapts a sweep to <see cref="Chunking.Run"/>: chunk i runs at the machine's width.</summary>
internal struct PairChunkJob<T, TWidths, TJob> : IChunkJob
    where T : unmanaged where TWidths : struct, IPairWidths<T> where TJob : struct, IPairChunk<T>
{
    public TJob Job;

    public void Run(int index) => TWidths.Run(ref Job, index);
}

/// <summary>
/// A sweep over the pairs of row points x (n × d, row-major) and up to two packed column groups. Rows are cut into chunks
/// of <see cref="RowsPerChunk"/> (fixed, so chunks depend only on n); a chunk walks each group tile by tile, and each
/// tile, held in L1, meets the chunk's rows four at a time (a register block: four rows against one vector of columns).
/// Lanes accumulate in T within a tile (at most 1024 columns) and tiles are added per row in double; each chunk writes
/// only its own rows and its own partials, which the caller adds in chunk order: the same bits for any thread count.
/// </summary>
internal unsafe partial struct PairJob<T, TTerm> : IPairChunk<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TTerm : struct, IPairTerm<T>
{
    /// <summary>Rows per chunk: a multiple of the register block (4).</summary>
    public const int RowsPerChunk = 64;

    public TTerm Term;
    public T* X;
    public T* A;
    public int N;
    public int D;
    public PairGroup<T> G0;
    public PairGroup<T> G1;
    public int Groups;
    public PairReduction Reduction;
    public bool Gradient;

    /// <summary>Per chunk and group: the chunk's sum (slot chunk * 2 + group), for <see cref="PairReduction.Sum"/>.</summary>
    public double* Partials;

    /// <summary>The gradient in x (n × d), written (not added to), when <see cref="Gradient"/> is set.</summary>
    public T* Grad;

    /// <summary>The per-row output for <see cref="PairReduction.RowSums"/> and <see cref="PairReduction.RowLogSumExp"/>.</summary>
    public T* RowOut;

    /// <summary>The packed payload (per tile, p + 1 rows of the tile's padded width), for <see cref="PairReduction.RowPayload"/>.</summary>
    public T* Payload;

    /// <summary>The payload's columns p.</summary>
    public int PayloadWidth;

    /// <summary>The softmax-weighted payload sums (n × p), for <see cref="PairReduction.RowSoftmax"/> with a payload.</summary>
    public T* PayloadOut;

    /// <summary>Whether a self group is summed over i &lt; j only (then doubled): value-only sums, where each pair counts twice.</summary>
    private readonly bool Half(in PairGroup<T> g) => g.Columns != PairColumns.Cross && Reduction == PairReduction.Sum && !Gradient;

    public readonly void Chunk<TVec, V>(int chunk) where TVec : struct where V : struct, IVectorOps<V, TVec, T>
    {
        int i0 = chunk * RowsPerChunk, rows = Math.Min(RowsPerChunk, N - i0);
        bool softmax = Reduction == PairReduction.RowSoftmax;
        int doubles = softmax ? SoftmaxDoubles(rows)
            : 2 * rows + (Gradient ? rows * D : 0) + (Reduction == PairReduction.RowPayload ? rows * PayloadWidth : 0);
        double[] scratch = ArrayPool<double>.Shared.Rent(doubles);
        int featureLength = (softmax ? 8 : 4) * Math.Max(G0.TileWidth, G1.TileWidth);
        T[] features = ArrayPool<T>.Shared.Rent(featureLength);
        try
        {
            fixed (double* dbl = scratch)
            fixed (T* fbuf = features)
            {
                new Span<double>(dbl, doubles).Clear();
                if (Reduction == PairReduction.RowLogSumExp || softmax) new Span<double>(dbl, rows).Fill(double.NegativeInfinity);
                for (int g = 0; g < Groups; g++)
                {
                    PairGroup<T> group = g == 0 ? G0 : G1;
                    int tiles = (group.Count + group.TileWidth - 1) / group.TileWidth;
                    for (int t = 0; t < tiles; t++)
                    for (int ib = i0; ib < i0 + rows; ib += 4)
                    {
                        int nb = Math.Min(4, i0 + rows - ib);
                        if (softmax) BlockSoftmax<TVec, V>(in group, t, ib, nb, rows, ib - i0, dbl, fbuf);
                        else if (Gradient) BlockGradient<TVec, V>(in group, t, ib, nb, dbl + g * rows + (ib - i0), dbl + 2 * rows + (ib - i0) * D, fbuf);
                        else if (Reduction == PairReduction.RowPayload) BlockPayload<TVec, V>(in group, t, ib, nb, dbl + 2 * rows + (ib - i0) * PayloadWidth, fbuf);
                        else if (Reduction == PairReduction.RowLogSumExp) BlockLse<TVec, V>(in group, t, ib, nb, dbl + (ib - i0), dbl + rows + (ib - i0), fbuf);
                        else BlockValue<TVec, V>(in group, t, ib, nb, dbl + g * rows + (ib - i0), fbuf);
                    }
                }
                Finish(chunk, i0, rows, dbl);
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(scratch);
            ArrayPool<T>.Shared.Return(features);
        }
    }

    /// <summary>Writes a chunk's results: per-group partial sums (rows in order), per-row outputs, gradient rows.</summary>
    private readonly void Finish(int chunk, int i0, int rows, double* dbl)
    {
        if (Reduction == PairReduction.RowSoftmax)
        {
            FinishSoftmax(i0, rows, dbl);
            return;
        }
        if (Reduction == PairReduction.Sum)
        {
            for (int g = 0; g < Groups; g++)
            {
                double factor = Half(g == 0 ? G0 : G1) ? 2.0 : 1.0, sum = 0.0;
                for (int r = 0; r < rows; r++) sum += RowWeight(i0 + r) * (factor * dbl[g * rows + r]);
                Partials[chunk * 2 + g] = sum;
            }
        }
        else if (Reduction == PairReduction.RowPayload)
        {
            FinishPayload(i0, rows, dbl + 2 * rows);
        }
        else if (Reduction == PairReduction.RowSums)
        {
            for (int r = 0; r < rows; r++) RowOut[i0 + r] = T.CreateTruncating(dbl[r]);
        }
        else
        {
            for (int r = 0; r < rows; r++) RowOut[i0 + r] = T.CreateTruncating(LogSumExp.Finish(dbl[r], dbl[rows + r]));
        }
        if (Gradient)
        {
            double* grad = dbl + 2 * rows;
            for (int r = 0; r < rows; r++)
            {
                double a = RowWeight(i0 + r);
                T* dst = Grad + (long)(i0 + r) * D;
                for (int k = 0; k < D; k++) dst[k] = T.CreateTruncating(a * grad[r * D + k]);
            }
        }
    }

    private readonly double RowWeight(int i) => A == null ? 1.0 : double.CreateTruncating(A[i]);

    /// <summary>
    /// The weight factor of each lane of the vector of columns starting at <paramref name="j"/> for row <paramref name="i"/>:
    /// 0 past the last column and outside the group's pairs, 1/2 on the diagonal of a half self sweep (it is doubled with
    /// the rest), else 1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec LaneFactor<TVec, V>(int j, int i, int count, PairColumns columns, bool half)
        where TVec : struct where V : struct, IVectorOps<V, TVec, T>
    {
        TVec index = V.Indices(j), one = V.C(1.0), zero = V.Zero;
        TVec f = V.Select(V.LessThan(index, V.C(count)), one, zero);
        if (columns == PairColumns.Cross) return f;
        TVec row = V.C(i);
        if (half)
        {
            TVec diagonal = columns == PairColumns.SelfWithDiagonal ? V.Select(V.Equal(index, row), V.C(0.5), zero) : zero;
            return V.Mul(f, V.Select(V.GreaterThan(index, row), one, diagonal));
        }
        return columns == PairColumns.SelfOffDiagonal ? V.Select(V.Equal(index, row), zero, f) : f;
    }

    /// <summary><paramref name="factor"/> · <paramref name="value"/> where the factor is positive, else 0 (even for a NaN value).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Masked<TVec, V>(TVec factor, TVec value) where TVec : struct where V : struct, IVectorOps<V, TVec, T> =>
        V.Select(V.GreaterThan(factor, V.Zero), V.Mul(factor, value), V.Zero);
}

/// <summary>
/// The vector operations a pair term sees inside the sweep: those of <typeparamref name="V"/>, except that
/// <see cref="Exp"/> is <see cref="FloatMath{V, TVec, T}.ExpInlined"/> (the same bits as <typeparamref name="V"/>'s exp, with
/// its rare path inlined, not called), so the sweep's loops keep their vectors in registers around the term.
/// </summary>
internal readonly struct PairSimd<V, TVec, T> : ISimd<TVec, T>
    where V : struct, IVectorOps<V, TVec, T> where TVec : struct where T : unmanaged
{
    // Each member is the same member of V, but Exp.
    public static int Count => V.Count;
    public static bool IsHardwareAccelerated => V.IsHardwareAccelerated;
    public static TVec Zero => V.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TVec Broadcast(T value) => V.Broadcast(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TVec Indices(nint start) => V.Indices(start);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TVec Load(ref T source, nint index) => V.Load(ref source, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(TVec value, ref T destination, nint index) => V.Store(value, ref destination, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TVec Add(TVec a, TVec b) => V.Add(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TVec Sub(TVec a, TVec b) => V.Sub(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TVec Mul(TVec a, TVec b) => V.Mul(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TVec Div(TVec a, TVec b) => V.Div(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TVec Neg(TVec a) => V.Neg(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TVec Min(TVec a, TVec b) => V.Min(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TVec Max(TVec a, TVec b) => V.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TVec Abs(TVec a) => V.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TVec Sign(TVec a) => V.Sign(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TVec Sqrt(TVec a) => V.Sqrt(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TVec Sq(TVec a) => V.Sq(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TVec Log(TVec a) => V.Log(a);

    /// <summary><c>e^a</c>, bit for bit as <typeparamref name="V"/>'s, without a call.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Exp(TVec a) =>
        typeof(T) == typeof(float) ? FloatMath<V, TVec, T>.ExpInlined(a) : DoubleMath<V, TVec, T>.ExpInlined(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TVec Log1p(TVec a) => V.Log1p(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TVec Expm1(TVec a) => V.Expm1(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TVec Pow(TVec x, TVec y) => V.Pow(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TVec PowMul(TVec x, TVec a, TVec y, TVec b) => V.PowMul(x, a, y, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TVec PowInt(TVec x, int n) => V.PowInt(x, n);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TVec Xlogy(TVec x, TVec y) => V.Xlogy(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TVec Xlog1py(TVec x, TVec y) => V.Xlog1py(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TVec Xdivy(TVec x, TVec y) => V.Xdivy(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TVec RelEntr(TVec x, TVec y) => V.RelEntr(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TVec Xlogy(TVec x, TVec y, TVec u) => V.Xlogy(x, y, u);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TVec Xlog1py(TVec x, TVec y, TVec u) => V.Xlog1py(x, y, u);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TVec RelEntr(TVec x, TVec y, TVec u) => V.RelEntr(x, y, u);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TVec Softplus(TVec a) => V.Softplus(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TVec Sigmoid(TVec a) => V.Sigmoid(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TVec LogSigmoid(TVec a) => V.LogSigmoid(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TVec Tanh(TVec a) => V.Tanh(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TVec Cosh(TVec a) => V.Cosh(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TVec Sinh(TVec a) => V.Sinh(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TVec Step(TVec a, TVec b) => V.Step(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TVec IsEqual(TVec a, TVec b) => V.IsEqual(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TVec SelectEq(TVec a, TVec b, TVec v) => V.SelectEq(a, b, v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TVec SelectPositive(TVec x, TVec v) => V.SelectPositive(x, v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double SumToDouble(TVec v) => V.SumToDouble(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T MaxAcross(TVec v) => V.MaxAcross(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T MinAcross(TVec v) => V.MinAcross(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void LseAccumulate(ref TVec max, ref TVec sum, TVec x) => V.LseAccumulate(ref max, ref sum, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void LseCombine(TVec max, TVec sum, ref double accMax, ref double accSum) => V.LseCombine(max, sum, ref accMax, ref accSum);
}
