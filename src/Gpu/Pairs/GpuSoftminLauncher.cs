using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;

namespace KernelDsl.Runtime.Gpu;

/// <summary>
/// Checks the views of a softmin call and launches <see cref="GpuSoftminKernels{TCost, T, TE}"/> under the accelerator's
/// scratch gate. Owns the double accumulator of the gradient and payload sums (n × (d + p)), kept per accelerator and
/// grown on demand, so a warm call allocates nothing.
/// </summary>
internal sealed class GpuSoftminLauncher
{
    private static readonly ConditionalWeakTable<Accelerator, GpuSoftminLauncher> Cache = new();
    private readonly Accelerator _accelerator;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _empty;
    private MemoryBuffer1D<double, Stride1D.Dense>? _acc;

    private GpuSoftminLauncher(Accelerator accelerator)
    {
        _accelerator = accelerator;
        _empty = accelerator.Allocate1D<double>(1);
    }

    /// <summary>The launcher of <paramref name="accelerator"/>.</summary>
    public static GpuSoftminLauncher For(Accelerator accelerator) => Cache.GetValue(accelerator, a => new GpuSoftminLauncher(a));

    /// <summary>
    /// <c>output[i] = log Σ_j exp(-c(f(x_i, y_j))/ε + h_j)</c>; with a non-empty <paramref name="gradX"/> (n × d) the
    /// softmax-weighted gradient times <paramref name="scale"/>; with <paramref name="p"/> &gt; 0 the softmax-weighted
    /// payload (m × p) into <paramref name="barycentric"/> (n × p). Synchronous. <paramref name="groupSize"/> 0 takes the
    /// accelerator's (<see cref="GpuLaunch.GroupSize"/>); the results do not depend on it.
    /// </summary>
    public static void Run<TCost, T, TE>(KernelDevice device, in TCost cost, ArrayView<T> x, ArrayView<T> y, ArrayView<T> h, int d, double epsilon,
        ArrayView<T> output, double scale, ArrayView<T> gradX, ArrayView<T> payload, int p, ArrayView<T> barycentric, int groupSize = 0)
        where TCost : struct, IGpuPairTerm<T> where T : unmanaged, IFloatingPointIeee754<T> where TE : struct, IGpuPairElement<T>
    {
        ArgumentNullException.ThrowIfNull(device);
        var accelerator = device.Accelerator;
        if (d < 1) throw new ArgumentOutOfRangeException(nameof(d), d, "A point has at least one feature.");
        if (!(epsilon > 0) || double.IsInfinity(epsilon)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be positive and finite.");
        if (p < 0) throw new ArgumentOutOfRangeException(nameof(p), p, "A payload has zero or more values per column point.");
        int n = Points(x.Length, d, nameof(x)), m = Points(y.Length, d, nameof(y));
        GpuCopy.CheckView(accelerator, x, nameof(x));
        GpuCopy.CheckView(accelerator, y, nameof(y));
        if (h.Length != 0 && h.Length != m) throw new ArgumentException($"'h' has length {h.Length}; it is empty or has one offset per point of y ({m}).", nameof(h));
        GpuCopy.CheckView(accelerator, h, nameof(h));
        if (output.Length != n) throw Partials.OutputLength(nameof(output), output.Length, n);
        GpuCopy.CheckView(accelerator, output, nameof(output));
        bool gradient = gradX.Length > 0;
        if (gradient && gradX.Length != x.Length) throw Partials.OutputLength(nameof(gradX), gradX.Length, x.Length);
        GpuCopy.CheckView(accelerator, gradX, nameof(gradX));
        if (p > 0)
        {
            if (payload.Length != (long)m * p) throw new ArgumentException($"'payload' has length {payload.Length}, not m × p = {(long)m * p}.", nameof(payload));
            if (barycentric.Length != (long)n * p) throw Partials.OutputLength(nameof(barycentric), barycentric.Length, (long)n * p);
        }
        else if (payload.Length != 0 || barycentric.Length != 0)
            throw new ArgumentException("A payload and its output are given with p > 0, and only with it.", nameof(payload));
        GpuCopy.CheckView(accelerator, payload, nameof(payload));
        GpuCopy.CheckView(accelerator, barycentric, nameof(barycentric));
        Disjoint(output, nameof(output), x, y, h, payload, gradX, barycentric);
        Disjoint(gradX, nameof(gradX), x, y, h, payload, output, barycentric);
        Disjoint(barycentric, nameof(barycentric), x, y, h, payload, output, gradX);
        if (groupSize < 0 || groupSize > GpuGroup.MaxSize || (groupSize & (groupSize - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(groupSize), groupSize, $"A power of two up to {GpuGroup.MaxSize}, or 0.");
        if (n == 0) return;

        var launcher = For(accelerator);
        var kernels = GpuSoftminKernels<TCost, T, TE>.For(accelerator);
        int gs = groupSize > 0 ? Math.Min(groupSize, GpuLaunch.GroupSize(accelerator)) : GpuLaunch.GroupSize(accelerator);
        int width = (gradient ? d : 0) + p;
        var args = new GpuSoftminArgs<T>
        {
            N = n, M = m, D = d, P = p, Gradient = gradient ? 1 : 0, Scale = scale,
            TilePoints = GpuSoftminKernels<TCost, T, TE>.TilePoints(d + p),
            MinusInverseEpsilon = T.CreateTruncating(-1.0 / epsilon),
        };
        lock (GpuScratch.For(accelerator).Gate)
        {
            var empty = launcher._empty.View.AsContiguous().Cast<T>().SubView(0, 0);
            var acc = width > 0 ? launcher.Grow((long)n * width) : launcher._empty.View.AsContiguous().SubView(0, 0);
            kernels.Softmin(accelerator.DefaultStream, new KernelConfig((n + gs - 1) / gs, gs), cost.Constants,
                x, y, Or(h, empty), Or(payload, empty), output, acc, Or(gradX, empty), Or(barycentric, empty), args);
            accelerator.Synchronize();
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

    private static void Disjoint<T>(ArrayView<T> output, string name, params ArrayView<T>[] others) where T : unmanaged
    {
        if (output.Length == 0) return;
        foreach (var other in others)
            if (GpuCopy.Overlaps(output, other)) throw Partials.Overlap(name);
    }

    private ArrayView<double> Grow(long length)
    {
        if (_acc is null || _acc.Length < length)
        {
            long size = Math.Max(1, Math.Max(length, 2 * (_acc?.Length ?? 0)));
            if (_acc is not null)
            {
                _accelerator.Synchronize(); // no queued kernel may still use the old buffer
                _acc.Dispose();
                _acc = null;
            }
            _acc = _accelerator.Allocate1D<double>(size);
        }
        return _acc.View.SubView(0, length);
    }
}
