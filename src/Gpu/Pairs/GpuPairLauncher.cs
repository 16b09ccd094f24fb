using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;

namespace KernelDsl.Runtime.Gpu;

/// <summary>One column set of a pair launch: its points, weights (empty: 1; h for the logsumexp), pairs and gradient scale.</summary>
internal readonly record struct GpuPairSet<T>(ArrayView<T> Y, ArrayView<T> B, GpuPairColumns Columns, double Scale) where T : unmanaged;

/// <summary>
/// Checks the views of a pair call and launches the pair kernel (and, for sums, the second stage) under the accelerator's
/// scratch gate. Owns the device buffers the pair kernels need between them (per-row values, gradient accumulators, an
/// empty view for weights not given), kept per accelerator and grown on demand.
/// </summary>
internal sealed class GpuPairLauncher
{
    private static readonly ConditionalWeakTable<Accelerator, GpuPairLauncher> Cache = new();
    private readonly Accelerator _accelerator;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _empty;
    private MemoryBuffer1D<double, Stride1D.Dense>? _rowValues, _gradAcc;

    private GpuPairLauncher(Accelerator accelerator)
    {
        _accelerator = accelerator;
        _empty = accelerator.Allocate1D<double>(1);
    }

    /// <summary>The launcher of <paramref name="accelerator"/>.</summary>
    public static GpuPairLauncher For(Accelerator accelerator) => Cache.GetValue(accelerator, a => new GpuPairLauncher(a));

    /// <summary>
    /// Runs <paramref name="reduction"/> of the rows x (n × d) against one or two column sets; returns the sums of the sets
    /// (for <see cref="GpuPairReduction.Sum"/>; zeros otherwise); with <paramref name="accumulate"/>, the gradient is added to gradX. <paramref name="groupSize"/> 0 takes the accelerator's
    /// (<see cref="GpuLaunch.GroupSize"/>); the results do not depend on it.
    /// </summary>
    public static double[] Run<TTerm, T, TE>(KernelDevice device, in TTerm term, ArrayView<T> x, ArrayView<T> a, int d,
        GpuPairSet<T> set0, GpuPairSet<T>? set1, GpuPairReduction reduction, ArrayView<T> rowOut, ArrayView<T> gradX, bool gradient, int groupSize = 0, bool accumulate = false)
        where TTerm : struct, IGpuPairTerm<T> where T : unmanaged, IFloatingPointIeee754<T> where TE : struct, IGpuPairElement<T>
    {
        ArgumentNullException.ThrowIfNull(device);
        var accelerator = device.Accelerator;
        if (d < 1) throw new ArgumentOutOfRangeException(nameof(d), d, "A point has at least one feature.");
        int n = Points(x.Length, d, nameof(x));
        Check(accelerator, x, nameof(x));
        Weights(accelerator, a, n, nameof(a));
        int sets = set1.HasValue ? 2 : 1;
        int m0 = Points(set0.Y.Length, d, "y");
        Check(accelerator, set0.Y, "y");
        Weights(accelerator, set0.B, m0, "b");
        int m1 = 0;
        if (set1 is { } s1)
        {
            m1 = Points(s1.Y.Length, d, "y");
            Check(accelerator, s1.Y, "y");
            Weights(accelerator, s1.B, m1, "b");
        }
        if (reduction != GpuPairReduction.Sum)
        {
            if (rowOut.Length != n) throw Partials.OutputLength("output", rowOut.Length, n);
            Check(accelerator, rowOut, "output");
            Disjoint(rowOut, x, a, set0, set1, "output");
        }
        if (gradient)
        {
            if (gradX.Length != x.Length) throw Partials.OutputLength(nameof(gradX), gradX.Length, x.Length);
            Check(accelerator, gradX, nameof(gradX));
            Disjoint(gradX, x, a, set0, set1, nameof(gradX));
        }
        if (groupSize < 0 || groupSize > GpuGroup.MaxSize || (groupSize & (groupSize - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(groupSize), groupSize, $"A power of two up to {GpuGroup.MaxSize}, or 0.");
        if (n == 0) return new double[sets];

        var launcher = For(accelerator);
        var kernels = GpuPairKernels<TTerm, T, TE>.For(accelerator);
        int gs = groupSize > 0 ? Math.Min(groupSize, GpuLaunch.GroupSize(accelerator)) : GpuLaunch.GroupSize(accelerator);
        var args = new GpuPairArgs
        {
            N = n, D = d, Reduction = (int)reduction, Gradient = gradient ? 1 : 0, Accumulate = gradient && accumulate ? 1 : 0, Sets = sets,
            M0 = m0, Columns0 = (int)set0.Columns, Scale0 = set0.Scale,
            M1 = m1, Columns1 = (int)(set1?.Columns ?? GpuPairColumns.Cross), Scale1 = set1?.Scale ?? 0.0,
            TilePoints = GpuPairKernels<TTerm, T, TE>.TilePoints(d),
        };
        lock (GpuScratch.For(accelerator).Gate)
        {
            var empty = launcher._empty.View.AsContiguous().Cast<T>().SubView(0, 0);
            var rowValues = launcher.Grow(ref launcher._rowValues, (long)sets * n + sets);
            var gradAcc = gradient ? launcher.Grow(ref launcher._gradAcc, x.Length) : launcher._empty.View.AsContiguous().SubView(0, 0);
            var second = set1 ?? set0;
            kernels.Sweep(accelerator.DefaultStream, new KernelConfig((n + gs - 1) / gs, gs), term.Constants,
                x, Or(a, empty), set0.Y, Or(set0.B, empty), second.Y, Or(second.B, empty),
                rowValues, reduction != GpuPairReduction.Sum ? rowOut : empty, gradAcc, gradient ? gradX : empty, args);
            var totals = new double[sets];
            if (reduction == GpuPairReduction.Sum)
            {
                var view = rowValues.SubView((long)sets * n, sets);
                GpuPairTotals.For(accelerator).Total(accelerator.DefaultStream, new KernelConfig(sets, GpuLaunch.GroupSize(accelerator)), rowValues, view, n);
                view.CopyToCPU(totals); // waits for the kernels
            }
            else accelerator.Synchronize();
            if (gradient) accelerator.Synchronize();
            return totals;
        }
    }

    private static ArrayView<T> Or<T>(ArrayView<T> view, ArrayView<T> empty) where T : unmanaged => view.Length > 0 ? view : empty;

    private static int Points(long length, int d, string name)
    {
        if (length % d != 0) throw new ArgumentException($"'{name}' has length {length}, not a multiple of d = {d}.", name);
        long points = length / d;
        if (points > int.MaxValue / 2) throw new ArgumentException($"'{name}' has too many points ({points}).", name);
        return (int)points;
    }

    private static void Check<T>(Accelerator accelerator, ArrayView<T> view, string name) where T : unmanaged =>
        GpuCopy.CheckView(accelerator, view, name);

    private static void Weights<T>(Accelerator accelerator, ArrayView<T> weights, int points, string name) where T : unmanaged
    {
        if (weights.Length != 0 && weights.Length != points)
            throw new ArgumentException($"'{name}' has length {weights.Length}; it is empty or has one weight per point ({points}).", name);
        Check(accelerator, weights, name);
    }

    private static void Disjoint<T>(ArrayView<T> output, ArrayView<T> x, ArrayView<T> a, GpuPairSet<T> set0, GpuPairSet<T>? set1, string name) where T : unmanaged
    {
        bool overlaps = GpuCopy.Overlaps(output, x) || GpuCopy.Overlaps(output, a) || GpuCopy.Overlaps(output, set0.Y) || GpuCopy.Overlaps(output, set0.B)
                        || (set1 is { } s && (GpuCopy.Overlaps(output, s.Y) || GpuCopy.Overlaps(output, s.B)));
        if (overlaps) throw Partials.Overlap(name);
    }

    private ArrayView<double> Grow(ref MemoryBuffer1D<double, Stride1D.Dense>? buffer, long length)
    {
        if (buffer is null || buffer.Length < length)
        {
            long size = Math.Max(1, Math.Max(length, 2 * (buffer?.Length ?? 0)));
            if (buffer is not null)
            {
                _accelerator.Synchronize(); // no queued kernel may still use the old buffer
                buffer.Dispose();
                buffer = null;
            }
            buffer = _accelerator.Allocate1D<double>(size);
        }
        return buffer.View.SubView(0, length);
    }
}
