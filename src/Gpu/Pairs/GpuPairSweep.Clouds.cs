using System;
using ILGPU;

namespace KernelDsl.Runtime.Gpu;

/// <content>The checks and host-side scalars of generated sample entry points on device views.</content>
public static partial class GpuPairSweep
{
    /// <summary>
    /// The number of points of a row-major cloud view of <paramref name="d"/> features, checked as the CPU entry points
    /// check a span (<see cref="PairSweep.Points{T}(ReadOnlySpan{T}, int, string)"/>): d at least 1, a whole number of
    /// points, not empty; and the view on <paramref name="device"/>'s accelerator.
    /// </summary>
    public static int Points<T>(KernelDevice device, ArrayView<T> points, int d, string name) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(device);
        if (d < 1) throw new ArgumentOutOfRangeException(nameof(d), d, "A point has at least one feature.");
        if (points.Length % d != 0)
            throw new ArgumentException($"'{name}' has length {points.Length}, not a multiple of d = {d} (points are rows of d features).", name);
        if (points.Length == 0) throw new ArgumentException($"'{name}' is empty: a cloud needs at least one point.", name);
        long count = points.Length / d;
        if (count > int.MaxValue / 2) throw new ArgumentException($"'{name}' has too many points ({count}).", name);
        GpuCopy.CheckView(device.Accelerator, points, name);
        return (int)count;
    }

    /// <summary>Throws when the weights <paramref name="name"/> are not one per point of the cloud <paramref name="cloud"/> (n points) on the device.</summary>
    public static void Weights<T>(KernelDevice device, ArrayView<T> weights, int n, string name, string cloud) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(device);
        if (weights.Length != n)
            throw new ArgumentException($"'{name}' has length {weights.Length}; it holds one weight per point of '{cloud}' ({n}).", name);
        GpuCopy.CheckView(device.Accelerator, weights, name);
    }

    /// <summary><c>Σ_i a_i</c> (<paramref name="square"/>: <c>Σ_i a_i²</c>) in double, in index order, on the host (one copy of n weights): the CPU's sum.</summary>
    public static double WeightSum(KernelDevice device, ArrayView<float> a, bool square)
    {
        ArgumentNullException.ThrowIfNull(device);
        var host = new float[a.Length];
        device.Download(a, host);
        return PairSweep.WeightSum(host, square);
    }

    /// <inheritdoc cref="WeightSum(KernelDevice, ArrayView{float}, bool)"/>
    public static double WeightSum(KernelDevice device, ArrayView<double> a, bool square)
    {
        ArgumentNullException.ThrowIfNull(device);
        var host = new double[a.Length];
        device.Download(a, host);
        return PairSweep.WeightSum(host, square);
    }

    /// <summary>Throws when a gradient view is neither empty nor as long as its cloud, is not on the device, or shares memory with an input.</summary>
    /// <param name="device">The device.</param>
    /// <param name="gradient">The gradient view (empty: skipped).</param>
    /// <param name="length">Its cloud's length.</param>
    /// <param name="name">Its name.</param>
    /// <param name="inputs">The views the sweeps read (the clouds and weights).</param>
    public static void Gradient<T>(KernelDevice device, ArrayView<T> gradient, long length, string name, params ArrayView<T>[] inputs) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(device);
        if (gradient.Length == 0) return;
        if (gradient.Length != length) throw Partials.OutputLength(name, gradient.Length, length);
        GpuCopy.CheckView(device.Accelerator, gradient, name);
        foreach (var input in inputs)
            if (GpuCopy.Overlaps(gradient, input)) throw Partials.Overlap(name);
    }
}
