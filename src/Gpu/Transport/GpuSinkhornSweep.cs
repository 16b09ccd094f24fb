using System;
using System.ComponentModel;
using System.Numerics;
using ILGPU;

namespace KernelDsl.Runtime.Gpu;

/// <summary>Optional outputs of <see cref="GpuSinkhornSweep"/>, device views: empty views are not written. Gradients are written (not added to).</summary>
/// <typeparam name="T">The element type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct GpuSinkhornOutputs<T> where T : unmanaged
{
    /// <summary>∂value/∂x, n × d.</summary>
    public ArrayView<T> GradX { get; init; }

    /// <summary>∂value/∂y, m × d.</summary>
    public ArrayView<T> GradY { get; init; }

    /// <summary>∂value/∂a (n): f_ab - f_aa when debiased, f otherwise.</summary>
    public ArrayView<T> GradA { get; init; }

    /// <summary>∂value/∂b (m): g_ab - g_bb when debiased, g otherwise.</summary>
    public ArrayView<T> GradB { get; init; }

    /// <summary>The dual potential f of OT(a, b) on x (n), after a final exact update.</summary>
    public ArrayView<T> PotentialF { get; init; }

    /// <summary>The dual potential g of OT(a, b) on y (m).</summary>
    public ArrayView<T> PotentialG { get; init; }
}

/// <summary>
/// Entropic optimal transport between point clouds on the GPU, the device twin of <see cref="SinkhornSweep"/>: the cost is
/// a GPU pair term (<see cref="IGpuPairTerm{T}"/>, c(f) of one pair feature), ε a runtime argument; the clouds, weights
/// and outputs are device views. The same scheme, options, result and conventions as the CPU solver (GeomLoss's
/// ε-scaling from the cost's range over the clouds, symmetric updates, debiasing, gradients through the converged
/// potentials); the potentials stay on the device for the whole solve (<see cref="GpuSinkhornLoop{TCost, T, TE}"/>).
/// </summary>
/// <remarks>
/// Host traffic: once per solve the weights (checked as the CPU checks them) and the clouds' bounding box (the first ε)
/// come down, and at the end the potentials (for the value); per iteration only the marginal errors (2 or 4 doubles).
/// Calls are synchronous and deterministic (no atomics). A contract type (hidden).
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GpuSinkhornSweep
{
    /// <summary>
    /// OT_ε(a, b) (<paramref name="debias"/> false) or the debiased divergence S = OT_ε(a, b) - OT_ε(a, a)/2 - OT_ε(b, b)/2
    /// of the clouds x (n × d) and y (m × d) under <paramref name="cost"/>. Weights empty: uniform 1/n, 1/m; otherwise
    /// positive with equal sums (used as given).
    /// </summary>
    public static SinkhornResult Solve<TCost>(KernelDevice device, in TCost cost, ArrayView<float> x, ArrayView<float> a, ArrayView<float> y, ArrayView<float> b, int d,
        double epsilon, bool debias, SinkhornOptions? options, in GpuSinkhornOutputs<float> outputs)
        where TCost : struct, IGpuPairTerm<float> =>
        Run<TCost, float, GpuPairFloat>(device, in cost, x, a, y, b, d, epsilon, debias, options, in outputs, TransportChecks.FloatMassTolerance);

    /// <inheritdoc cref="Solve{TCost}(KernelDevice, in TCost, ArrayView{float}, ArrayView{float}, ArrayView{float}, ArrayView{float}, int, double, bool, SinkhornOptions?, in GpuSinkhornOutputs{float})"/>
    public static SinkhornResult Solve<TCost>(KernelDevice device, in TCost cost, ArrayView<double> x, ArrayView<double> a, ArrayView<double> y, ArrayView<double> b, int d,
        double epsilon, bool debias, SinkhornOptions? options, in GpuSinkhornOutputs<double> outputs)
        where TCost : struct, IGpuPairTerm<double> =>
        Run<TCost, double, GpuPairDouble>(device, in cost, x, a, y, b, d, epsilon, debias, options, in outputs, TransportChecks.DoubleMassTolerance);

    /// <summary>
    /// The barycentric map of the plan, <c>T(x_i) = Σ_j π_ij y_j / a_i</c> (n × d, written to <paramref name="output"/>),
    /// lazily (one softmin sweep with y as the payload), from the potential <paramref name="g"/> a solve returned.
    /// </summary>
    public static void BarycentricMap<TCost>(KernelDevice device, in TCost cost, ArrayView<float> x, ArrayView<float> a, ArrayView<float> y, ArrayView<float> b, int d,
        double epsilon, ArrayView<float> g, ArrayView<float> output)
        where TCost : struct, IGpuPairTerm<float> =>
        Plan<TCost, float, GpuPairFloat>(device, in cost, x, a, y, b, d, epsilon, g, y, d, output, false, TransportChecks.FloatMassTolerance);

    /// <inheritdoc cref="BarycentricMap{TCost}(KernelDevice, in TCost, ArrayView{float}, ArrayView{float}, ArrayView{float}, ArrayView{float}, int, double, ArrayView{float}, ArrayView{float})"/>
    public static void BarycentricMap<TCost>(KernelDevice device, in TCost cost, ArrayView<double> x, ArrayView<double> a, ArrayView<double> y, ArrayView<double> b, int d,
        double epsilon, ArrayView<double> g, ArrayView<double> output)
        where TCost : struct, IGpuPairTerm<double> =>
        Plan<TCost, double, GpuPairDouble>(device, in cost, x, a, y, b, d, epsilon, g, y, d, output, false, TransportChecks.DoubleMassTolerance);

    /// <summary>
    /// The plan applied to a payload, lazily: <c>output[i, c] = Σ_j π_ij v[j, c]</c> (v m × p, output n × p) with
    /// π_ij = a_i b_j exp((f_i + g_j - c_ij) / ε), f recomputed from g by one exact update (so Σ_j π_ij = a_i).
    /// </summary>
    public static void ApplyPlan<TCost>(KernelDevice device, in TCost cost, ArrayView<float> x, ArrayView<float> a, ArrayView<float> y, ArrayView<float> b, int d,
        double epsilon, ArrayView<float> g, ArrayView<float> v, int p, ArrayView<float> output)
        where TCost : struct, IGpuPairTerm<float> =>
        Plan<TCost, float, GpuPairFloat>(device, in cost, x, a, y, b, d, epsilon, g, v, p, output, true, TransportChecks.FloatMassTolerance);

    /// <inheritdoc cref="ApplyPlan{TCost}(KernelDevice, in TCost, ArrayView{float}, ArrayView{float}, ArrayView{float}, ArrayView{float}, int, double, ArrayView{float}, ArrayView{float}, int, ArrayView{float})"/>
    public static void ApplyPlan<TCost>(KernelDevice device, in TCost cost, ArrayView<double> x, ArrayView<double> a, ArrayView<double> y, ArrayView<double> b, int d,
        double epsilon, ArrayView<double> g, ArrayView<double> v, int p, ArrayView<double> output)
        where TCost : struct, IGpuPairTerm<double> =>
        Plan<TCost, double, GpuPairDouble>(device, in cost, x, a, y, b, d, epsilon, g, v, p, output, true, TransportChecks.DoubleMassTolerance);

    private static SinkhornResult Run<TCost, T, TE>(KernelDevice device, in TCost cost, ArrayView<T> x, ArrayView<T> a, ArrayView<T> y, ArrayView<T> b, int d,
        double epsilon, bool debias, SinkhornOptions? options, in GpuSinkhornOutputs<T> outputs, double massTolerance)
        where TCost : struct, IGpuPairTerm<T> where T : unmanaged, IFloatingPointIeee754<T> where TE : struct, IGpuPairElement<T>
    {
        SinkhornOptions settings = options ?? SinkhornOptions.Default;
        settings.Validate();
        var (wa, wb) = GpuSinkhornChecks.Clouds(device, x, a, y, b, d, epsilon, massTolerance);
        int n = wa.Length, m = wb.Length;
        GpuSinkhornChecks.Outputs(device, in outputs, n, m, d, x, a, y, b);
        double epsilon0 = GpuSinkhornChecks.StartEpsilon(device, in cost, x, y, d);
        using var loop = new GpuSinkhornLoop<TCost, T, TE>(device, in cost, x, y, d);
        return loop.Solve(wa, wb, epsilon, epsilon0, debias, settings, in outputs);
    }

    private static void Plan<TCost, T, TE>(KernelDevice device, in TCost cost, ArrayView<T> x, ArrayView<T> a, ArrayView<T> y, ArrayView<T> b, int d,
        double epsilon, ArrayView<T> g, ArrayView<T> payload, int p, ArrayView<T> output, bool rowFactor, double massTolerance)
        where TCost : struct, IGpuPairTerm<T> where T : unmanaged, IFloatingPointIeee754<T> where TE : struct, IGpuPairElement<T>
    {
        var (wa, wb) = GpuSinkhornChecks.Clouds(device, x, a, y, b, d, epsilon, massTolerance);
        int n = wa.Length, m = wb.Length;
        if (g.Length != m) throw new ArgumentException($"'g' has length {g.Length}; it holds one potential per point of 'y' ({m}).", nameof(g));
        GpuCopy.CheckView(device.Accelerator, g, nameof(g));
        if (p < 1) throw new ArgumentOutOfRangeException(nameof(p), p, "A payload has at least one value per point.");
        if (payload.Length != (long)m * p)
            throw new ArgumentException($"The payload has length {payload.Length}; it holds {p} values per point of 'y' ({(long)m * p}).", nameof(payload));
        GpuCopy.CheckView(device.Accelerator, payload, nameof(payload));
        if (output.Length != (long)n * p) throw Partials.OutputLength(nameof(output), output.Length, (long)n * p);
        GpuCopy.CheckView(device.Accelerator, output, nameof(output));
        foreach (var input in new[] { x, a, y, b, g, payload })
            if (GpuCopy.Overlaps(output, input)) throw Partials.Overlap(nameof(output));
        using var loop = new GpuSinkhornLoop<TCost, T, TE>(device, in cost, x, y, d);
        loop.ApplyPlan(wa, wb, epsilon, g, payload, p, output, rowFactor);
    }
}
