using System;
using ILGPU;
using ILGPU.Runtime;

namespace KernelDsl.Runtime.Gpu;

/// <summary>
/// Entropic optimal transport between point clouds on the GPU with the default cost <c>c(x, y) = |x - y|² / 2</c>: the
/// debiased Sinkhorn divergence <c>S_ε = OT_ε(a, b) - OT_ε(a, a)/2 - OT_ε(b, b)/2</c> (GeomLoss's <c>SamplesLoss("sinkhorn", p=2)</c>
/// at <c>blur = ε^(1/2)</c>) and the entropic cost OT_ε itself, with gradients in the points through the converged
/// potentials. The same scheme, defaults and result as the CPU solver; on device views the potentials stay on the
/// device for the whole solve (<see cref="GpuSinkhornSweep"/>), span overloads copy the clouds up and the gradients back.
/// Weights empty: uniform 1/n, 1/m. A run that does not converge says so (<see cref="SinkhornResult.Converged"/>), or
/// throws with <see cref="SinkhornOptions.ThrowIfNotConverged"/>.
/// </summary>
/// <remarks>Hidden, as the package shows only the device and its catalogue: the entry point for the default cost until
/// the catalogue's generated Gpu class of the Sinkhorn divergence calls <see cref="GpuSinkhornSweep"/> itself.</remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static class GpuSinkhorn
{
    // float

    /// <summary>The debiased Sinkhorn divergence of x (n × d) and y (m × d) at <paramref name="epsilon"/>; gradients written when their views are given.</summary>
    /// <param name="device">The device the views live on.</param>
    /// <param name="x">The first cloud, row-major.</param>
    /// <param name="y">The second cloud, row-major.</param>
    /// <param name="d">The features of a point.</param>
    /// <param name="epsilon">ε, the entropic regularisation (blur²).</param>
    /// <param name="gradX">∂S/∂x (n × d), or empty.</param>
    /// <param name="gradY">∂S/∂y (m × d), or empty.</param>
    /// <param name="a">The weights of x (n), or empty for 1/n.</param>
    /// <param name="b">The weights of y (m), or empty for 1/m.</param>
    /// <param name="options">The solver's options (null: <see cref="SinkhornOptions.Default"/>).</param>
    public static SinkhornResult Divergence(KernelDevice device, ArrayView<float> x, ArrayView<float> y, int d, double epsilon, ArrayView<float> gradX = default, ArrayView<float> gradY = default,
        ArrayView<float> a = default, ArrayView<float> b = default, SinkhornOptions? options = null) =>
        GpuSinkhornSweep.Solve(device, new GpuHalfSquaredCost<float>(), x, a, y, b, d, epsilon, true, options, new GpuSinkhornOutputs<float> { GradX = gradX, GradY = gradY });

    /// <summary>OT_ε(a, b) of x (n × d) and y (m × d), without debiasing; gradients written when their views are given.</summary>
    /// <inheritdoc cref="Divergence(KernelDevice, ArrayView{float}, ArrayView{float}, int, double, ArrayView{float}, ArrayView{float}, ArrayView{float}, ArrayView{float}, SinkhornOptions?)"/>
    public static SinkhornResult Transport(KernelDevice device, ArrayView<float> x, ArrayView<float> y, int d, double epsilon, ArrayView<float> gradX = default, ArrayView<float> gradY = default,
        ArrayView<float> a = default, ArrayView<float> b = default, SinkhornOptions? options = null) =>
        GpuSinkhornSweep.Solve(device, new GpuHalfSquaredCost<float>(), x, a, y, b, d, epsilon, false, options, new GpuSinkhornOutputs<float> { GradX = gradX, GradY = gradY });

    /// <summary>The debiased Sinkhorn divergence of host clouds (copied to the device; the gradients copied back when given).</summary>
    /// <inheritdoc cref="Divergence(KernelDevice, ArrayView{float}, ArrayView{float}, int, double, ArrayView{float}, ArrayView{float}, ArrayView{float}, ArrayView{float}, SinkhornOptions?)"/>
    public static SinkhornResult Divergence(KernelDevice device, ReadOnlySpan<float> x, ReadOnlySpan<float> y, int d, double epsilon, Span<float> gradX = default, Span<float> gradY = default,
        ReadOnlySpan<float> a = default, ReadOnlySpan<float> b = default, SinkhornOptions? options = null) =>
        Host(device, x, y, d, epsilon, gradX, gradY, a, b, options, true);

    /// <summary>OT_ε(a, b) of host clouds (copied to the device; the gradients copied back when given).</summary>
    /// <inheritdoc cref="Divergence(KernelDevice, ArrayView{float}, ArrayView{float}, int, double, ArrayView{float}, ArrayView{float}, ArrayView{float}, ArrayView{float}, SinkhornOptions?)"/>
    public static SinkhornResult Transport(KernelDevice device, ReadOnlySpan<float> x, ReadOnlySpan<float> y, int d, double epsilon, Span<float> gradX = default, Span<float> gradY = default,
        ReadOnlySpan<float> a = default, ReadOnlySpan<float> b = default, SinkhornOptions? options = null) =>
        Host(device, x, y, d, epsilon, gradX, gradY, a, b, options, false);

    private static SinkhornResult Host(KernelDevice device, ReadOnlySpan<float> x, ReadOnlySpan<float> y, int d, double epsilon, Span<float> gradX, Span<float> gradY, ReadOnlySpan<float> a, ReadOnlySpan<float> b,
        SinkhornOptions? options, bool debias)
    {
        ArgumentNullException.ThrowIfNull(device);
        using var xd = device.Upload(x);
        using var yd = device.Upload(y);
        using var ad = device.Upload(a);
        using var bd = device.Upload(b);
        using var gx = device.Allocate<float>(gradX.Length);
        using var gy = device.Allocate<float>(gradY.Length);
        var outputs = new GpuSinkhornOutputs<float> { GradX = gx.View.SubView(0, gradX.Length), GradY = gy.View.SubView(0, gradY.Length) };
        var result = GpuSinkhornSweep.Solve(device, new GpuHalfSquaredCost<float>(), xd.View.SubView(0, x.Length), ad.View.SubView(0, a.Length),
            yd.View.SubView(0, y.Length), bd.View.SubView(0, b.Length), d, epsilon, debias, options, in outputs);
        device.Download(outputs.GradX, gradX);
        device.Download(outputs.GradY, gradY);
        return result;
    }

    // double

    /// <summary>The debiased Sinkhorn divergence of x (n × d) and y (m × d) at <paramref name="epsilon"/>; gradients written when their views are given.</summary>
    /// <param name="device">The device the views live on.</param>
    /// <param name="x">The first cloud, row-major.</param>
    /// <param name="y">The second cloud, row-major.</param>
    /// <param name="d">The features of a point.</param>
    /// <param name="epsilon">ε, the entropic regularisation (blur²).</param>
    /// <param name="gradX">∂S/∂x (n × d), or empty.</param>
    /// <param name="gradY">∂S/∂y (m × d), or empty.</param>
    /// <param name="a">The weights of x (n), or empty for 1/n.</param>
    /// <param name="b">The weights of y (m), or empty for 1/m.</param>
    /// <param name="options">The solver's options (null: <see cref="SinkhornOptions.Default"/>).</param>
    public static SinkhornResult Divergence(KernelDevice device, ArrayView<double> x, ArrayView<double> y, int d, double epsilon, ArrayView<double> gradX = default, ArrayView<double> gradY = default,
        ArrayView<double> a = default, ArrayView<double> b = default, SinkhornOptions? options = null) =>
        GpuSinkhornSweep.Solve(device, new GpuHalfSquaredCost<double>(), x, a, y, b, d, epsilon, true, options, new GpuSinkhornOutputs<double> { GradX = gradX, GradY = gradY });

    /// <summary>OT_ε(a, b) of x (n × d) and y (m × d), without debiasing; gradients written when their views are given.</summary>
    /// <inheritdoc cref="Divergence(KernelDevice, ArrayView{double}, ArrayView{double}, int, double, ArrayView{double}, ArrayView{double}, ArrayView{double}, ArrayView{double}, SinkhornOptions?)"/>
    public static SinkhornResult Transport(KernelDevice device, ArrayView<double> x, ArrayView<double> y, int d, double epsilon, ArrayView<double> gradX = default, ArrayView<double> gradY = default,
        ArrayView<double> a = default, ArrayView<double> b = default, SinkhornOptions? options = null) =>
        GpuSinkhornSweep.Solve(device, new GpuHalfSquaredCost<double>(), x, a, y, b, d, epsilon, false, options, new GpuSinkhornOutputs<double> { GradX = gradX, GradY = gradY });

    /// <summary>The debiased Sinkhorn divergence of host clouds (copied to the device; the gradients copied back when given).</summary>
    /// <inheritdoc cref="Divergence(KernelDevice, ArrayView{double}, ArrayView{double}, int, double, ArrayView{double}, ArrayView{double}, ArrayView{double}, ArrayView{double}, SinkhornOptions?)"/>
    public static SinkhornResult Divergence(KernelDevice device, ReadOnlySpan<double> x, ReadOnlySpan<double> y, int d, double epsilon, Span<double> gradX = default, Span<double> gradY = default,
        ReadOnlySpan<double> a = default, ReadOnlySpan<double> b = default, SinkhornOptions? options = null) =>
        Host(device, x, y, d, epsilon, gradX, gradY, a, b, options, true);

    /// <summary>OT_ε(a, b) of host clouds (copied to the device; the gradients copied back when given).</summary>
    /// <inheritdoc cref="Divergence(KernelDevice, ArrayView{double}, ArrayView{double}, int, double, ArrayView{double}, ArrayView{double}, ArrayView{double}, ArrayView{double}, SinkhornOptions?)"/>
    public static SinkhornResult Transport(KernelDevice device, ReadOnlySpan<double> x, ReadOnlySpan<double> y, int d, double epsilon, Span<double> gradX = default, Span<double> gradY = default,
        ReadOnlySpan<double> a = default, ReadOnlySpan<double> b = default, SinkhornOptions? options = null) =>
        Host(device, x, y, d, epsilon, gradX, gradY, a, b, options, false);

    private static SinkhornResult Host(KernelDevice device, ReadOnlySpan<double> x, ReadOnlySpan<double> y, int d, double epsilon, Span<double> gradX, Span<double> gradY, ReadOnlySpan<double> a, ReadOnlySpan<double> b,
        SinkhornOptions? options, bool debias)
    {
        ArgumentNullException.ThrowIfNull(device);
        using var xd = device.Upload(x);
        using var yd = device.Upload(y);
        using var ad = device.Upload(a);
        using var bd = device.Upload(b);
        using var gx = device.Allocate<double>(gradX.Length);
        using var gy = device.Allocate<double>(gradY.Length);
        var outputs = new GpuSinkhornOutputs<double> { GradX = gx.View.SubView(0, gradX.Length), GradY = gy.View.SubView(0, gradY.Length) };
        var result = GpuSinkhornSweep.Solve(device, new GpuHalfSquaredCost<double>(), xd.View.SubView(0, x.Length), ad.View.SubView(0, a.Length),
            yd.View.SubView(0, y.Length), bd.View.SubView(0, b.Length), d, epsilon, debias, options, in outputs);
        device.Download(outputs.GradX, gradX);
        device.Download(outputs.GradY, gradY);
        return result;
    }
}
