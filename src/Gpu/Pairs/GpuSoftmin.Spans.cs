using System;
using System.Collections.Generic;
using ILGPU;
using ILGPU.Runtime;

namespace KernelDsl.Runtime.Gpu;

/// <content>Span overloads of the softmin sweeps: host data copied to the device, the results copied back.</content>
public static partial class GpuSoftmin
{
    // float

    /// <inheritdoc cref="RowLogSumExp{TCost}(KernelDevice, in TCost, ArrayView{float}, ArrayView{float}, ArrayView{float}, int, double, ArrayView{float})"/>
    /// <remarks>Host data: copied to the device and the result back.</remarks>
    public static void RowLogSumExp<TCost>(KernelDevice device, in TCost cost, System.ReadOnlySpan<float> x, System.ReadOnlySpan<float> y, System.ReadOnlySpan<float> h, int d, double epsilon, System.Span<float> output)
        where TCost : struct, IGpuPairTerm<float>
    {
        using var io = new HostViews<float>(device);
        var o = io.Out(output.Length);
        RowLogSumExp(device, in cost, io.Up(x), io.Up(y), io.Up(h), d, epsilon, o);
        io.Down(o, output);
    }

    /// <inheritdoc cref="RowLogSumExpWithGradient{TCost}(KernelDevice, in TCost, ArrayView{float}, ArrayView{float}, ArrayView{float}, int, double, ArrayView{float}, double, ArrayView{float})"/>
    /// <remarks>Host data: copied to the device and the results back.</remarks>
    public static void RowLogSumExpWithGradient<TCost>(KernelDevice device, in TCost cost, System.ReadOnlySpan<float> x, System.ReadOnlySpan<float> y, System.ReadOnlySpan<float> h, int d, double epsilon,
        System.Span<float> output, double scale, System.Span<float> gradX)
        where TCost : struct, IGpuPairTerm<float>
    {
        using var io = new HostViews<float>(device);
        var (o, g) = (io.Out(output.Length), io.Out(gradX.Length));
        RowLogSumExpWithGradient(device, in cost, io.Up(x), io.Up(y), io.Up(h), d, epsilon, o, scale, g);
        io.Down(o, output);
        io.Down(g, gradX);
    }

    /// <inheritdoc cref="RowLogSumExpWithGradient{TCost}(KernelDevice, in TCost, ArrayView{float}, ArrayView{float}, ArrayView{float}, int, double, ArrayView{float}, double, ArrayView{float}, ArrayView{float}, int, ArrayView{float})"/>
    /// <remarks>Host data: copied to the device and the results back.</remarks>
    public static void RowLogSumExpWithGradient<TCost>(KernelDevice device, in TCost cost, System.ReadOnlySpan<float> x, System.ReadOnlySpan<float> y, System.ReadOnlySpan<float> h, int d, double epsilon,
        System.Span<float> output, double scale, System.Span<float> gradX, System.ReadOnlySpan<float> payload, int p, System.Span<float> barycentric)
        where TCost : struct, IGpuPairTerm<float>
    {
        using var io = new HostViews<float>(device);
        var (o, g, q) = (io.Out(output.Length), io.Out(gradX.Length), io.Out(barycentric.Length));
        RowLogSumExpWithGradient(device, in cost, io.Up(x), io.Up(y), io.Up(h), d, epsilon, o, scale, g, io.Up(payload), p, q);
        io.Down(o, output);
        io.Down(g, gradX);
        io.Down(q, barycentric);
    }

    /// <inheritdoc cref="RowLogSumExpWithPayload{TCost}(KernelDevice, in TCost, ArrayView{float}, ArrayView{float}, ArrayView{float}, int, double, ArrayView{float}, ArrayView{float}, int, ArrayView{float})"/>
    /// <remarks>Host data: copied to the device and the results back.</remarks>
    public static void RowLogSumExpWithPayload<TCost>(KernelDevice device, in TCost cost, System.ReadOnlySpan<float> x, System.ReadOnlySpan<float> y, System.ReadOnlySpan<float> h, int d, double epsilon,
        System.Span<float> output, System.ReadOnlySpan<float> payload, int p, System.Span<float> barycentric)
        where TCost : struct, IGpuPairTerm<float>
    {
        using var io = new HostViews<float>(device);
        var (o, q) = (io.Out(output.Length), io.Out(barycentric.Length));
        RowLogSumExpWithPayload(device, in cost, io.Up(x), io.Up(y), io.Up(h), d, epsilon, o, io.Up(payload), p, q);
        io.Down(o, output);
        io.Down(q, barycentric);
    }

    // double

    /// <inheritdoc cref="RowLogSumExp{TCost}(KernelDevice, in TCost, ArrayView{float}, ArrayView{float}, ArrayView{float}, int, double, ArrayView{float})"/>
    /// <remarks>Host data: copied to the device and the result back.</remarks>
    public static void RowLogSumExp<TCost>(KernelDevice device, in TCost cost, System.ReadOnlySpan<double> x, System.ReadOnlySpan<double> y, System.ReadOnlySpan<double> h, int d, double epsilon, System.Span<double> output)
        where TCost : struct, IGpuPairTerm<double>
    {
        using var io = new HostViews<double>(device);
        var o = io.Out(output.Length);
        RowLogSumExp(device, in cost, io.Up(x), io.Up(y), io.Up(h), d, epsilon, o);
        io.Down(o, output);
    }

    /// <inheritdoc cref="RowLogSumExpWithGradient{TCost}(KernelDevice, in TCost, ArrayView{float}, ArrayView{float}, ArrayView{float}, int, double, ArrayView{float}, double, ArrayView{float})"/>
    /// <remarks>Host data: copied to the device and the results back.</remarks>
    public static void RowLogSumExpWithGradient<TCost>(KernelDevice device, in TCost cost, System.ReadOnlySpan<double> x, System.ReadOnlySpan<double> y, System.ReadOnlySpan<double> h, int d, double epsilon,
        System.Span<double> output, double scale, System.Span<double> gradX)
        where TCost : struct, IGpuPairTerm<double>
    {
        using var io = new HostViews<double>(device);
        var (o, g) = (io.Out(output.Length), io.Out(gradX.Length));
        RowLogSumExpWithGradient(device, in cost, io.Up(x), io.Up(y), io.Up(h), d, epsilon, o, scale, g);
        io.Down(o, output);
        io.Down(g, gradX);
    }

    /// <inheritdoc cref="RowLogSumExpWithGradient{TCost}(KernelDevice, in TCost, ArrayView{float}, ArrayView{float}, ArrayView{float}, int, double, ArrayView{float}, double, ArrayView{float}, ArrayView{float}, int, ArrayView{float})"/>
    /// <remarks>Host data: copied to the device and the results back.</remarks>
    public static void RowLogSumExpWithGradient<TCost>(KernelDevice device, in TCost cost, System.ReadOnlySpan<double> x, System.ReadOnlySpan<double> y, System.ReadOnlySpan<double> h, int d, double epsilon,
        System.Span<double> output, double scale, System.Span<double> gradX, System.ReadOnlySpan<double> payload, int p, System.Span<double> barycentric)
        where TCost : struct, IGpuPairTerm<double>
    {
        using var io = new HostViews<double>(device);
        var (o, g, q) = (io.Out(output.Length), io.Out(gradX.Length), io.Out(barycentric.Length));
        RowLogSumExpWithGradient(device, in cost, io.Up(x), io.Up(y), io.Up(h), d, epsilon, o, scale, g, io.Up(payload), p, q);
        io.Down(o, output);
        io.Down(g, gradX);
        io.Down(q, barycentric);
    }

    /// <inheritdoc cref="RowLogSumExpWithPayload{TCost}(KernelDevice, in TCost, ArrayView{float}, ArrayView{float}, ArrayView{float}, int, double, ArrayView{float}, ArrayView{float}, int, ArrayView{float})"/>
    /// <remarks>Host data: copied to the device and the results back.</remarks>
    public static void RowLogSumExpWithPayload<TCost>(KernelDevice device, in TCost cost, System.ReadOnlySpan<double> x, System.ReadOnlySpan<double> y, System.ReadOnlySpan<double> h, int d, double epsilon,
        System.Span<double> output, System.ReadOnlySpan<double> payload, int p, System.Span<double> barycentric)
        where TCost : struct, IGpuPairTerm<double>
    {
        using var io = new HostViews<double>(device);
        var (o, q) = (io.Out(output.Length), io.Out(barycentric.Length));
        RowLogSumExpWithPayload(device, in cost, io.Up(x), io.Up(y), io.Up(h), d, epsilon, o, io.Up(payload), p, q);
        io.Down(o, output);
        io.Down(q, barycentric);
    }

    /// <summary>Device copies of a call's host spans, disposed together.</summary>
    private sealed class HostViews<T> : IDisposable where T : unmanaged
    {
        private readonly KernelDevice _device;
        private readonly List<MemoryBuffer1D<T, Stride1D.Dense>> _buffers = new();

        public HostViews(KernelDevice device) => _device = device ?? throw new ArgumentNullException(nameof(device));

        /// <summary>The data on the device (empty: the empty view).</summary>
        public ArrayView<T> Up(ReadOnlySpan<T> data)
        {
            if (data.IsEmpty) return default;
            var buffer = _device.Upload(data);
            _buffers.Add(buffer);
            return buffer.View.SubView(0, data.Length);
        }

        /// <summary>A device view of <paramref name="length"/> elements to be written (0: the empty view).</summary>
        public ArrayView<T> Out(int length)
        {
            if (length == 0) return default;
            var buffer = _device.Allocate<T>(length);
            _buffers.Add(buffer);
            return buffer.View.SubView(0, length);
        }

        /// <summary>Copies a written view back.</summary>
        public void Down(ArrayView<T> view, Span<T> into) => _device.Download(view, into);

        public void Dispose()
        {
            foreach (var b in _buffers) b.Dispose();
        }
    }
}
