using System.Numerics;
using ILGPU;
using ILGPU.Runtime;
using KernelDsl.Runtime.Gpu;

namespace KernelDsl.Runtime.Tests.Gpu.Pairs;

/// <summary>tanh(c · x·y) on the GPU: the twin of the CPU test term <c>DotTanhTerm</c> (the dot-product feature). Private would do (only its constants reach the kernel); public for the tests beside it.</summary>
public readonly struct GpuDotTanhTerm<T> : IGpuPairTerm<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly GpuPairConstants<T> _c;

    public GpuDotTanhTerm(double c) => _c.C0 = T.CreateTruncating(c);

    public static PairFeature Feature => PairFeature.Dot;

    public GpuPairConstants<T> Constants => _c;

    public static T Value(GpuPairConstants<T> c, T feature) => GpuMath<T>.Tanh(c.C0 * feature);

    public static T ValueAndSlope(GpuPairConstants<T> c, T feature, out T slope)
    {
        T t = GpuMath<T>.Tanh(c.C0 * feature);
        slope = c.C0 * (T.One - t * t);
        return t;
    }
}

/// <summary>-|x - y|² / ε on the GPU: the twin of the CPU test term <c>NegativeCostTerm</c> (the softmin exponent).</summary>
public readonly struct GpuNegativeCostTerm<T> : IGpuPairTerm<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly GpuPairConstants<T> _c;

    public GpuNegativeCostTerm(double eps) => _c.C0 = T.CreateTruncating(-1 / eps);

    public static PairFeature Feature => PairFeature.SquaredDistance;

    public GpuPairConstants<T> Constants => _c;

    public static T Value(GpuPairConstants<T> c, T feature) => c.C0 * feature;

    public static T ValueAndSlope(GpuPairConstants<T> c, T feature, out T slope)
    {
        slope = c.C0;
        return c.C0 * feature;
    }
}

/// <summary>Device buffers for a test: uploads host arrays and hands out their views; disposes them all.</summary>
internal sealed class DeviceArrays : IDisposable
{
    private readonly KernelDevice _device;
    private readonly List<IDisposable> _buffers = new();

    public DeviceArrays(KernelDevice device) => _device = device;

    /// <summary>The data on the device (an empty array: the empty view).</summary>
    public ArrayView<T> Up<T>(T[]? data) where T : unmanaged
    {
        if (data is null || data.Length == 0) return default;
        var buffer = _device.Upload<T>(data);
        _buffers.Add(buffer);
        return buffer.View.SubView(0, data.Length);
    }

    /// <summary>A device view of <paramref name="length"/> elements, to be written.</summary>
    public ArrayView<T> Out<T>(int length) where T : unmanaged
    {
        var buffer = _device.Allocate<T>(length);
        _buffers.Add(buffer);
        return buffer.View.SubView(0, length);
    }

    public T[] Down<T>(ArrayView<T> view) where T : unmanaged
    {
        var host = new T[view.Length];
        _device.Download(view, host);
        return host;
    }

    public void Dispose()
    {
        foreach (var b in _buffers) b.Dispose();
    }
}
