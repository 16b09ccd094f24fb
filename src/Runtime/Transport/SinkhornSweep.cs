using System;
using System.ComponentModel;

namespace KernelDsl.Runtime;

/// <summary>
/// Optional outputs of <see cref="SinkhornSweep"/>: empty spans are not written. Gradients are written (not added to).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly ref struct SinkhornOutputs<T> where T : unmanaged
{
    /// <summary>∂value/∂x, n × d.</summary>
    public Span<T> GradX { get; init; }
    /// <summary>∂value/∂y, m × d.</summary>
    public Span<T> GradY { get; init; }
    /// <summary>∂value/∂a (n): the potentials' differences (GeomLoss's convention: f_ab - f_aa when debiased, f otherwise).</summary>
    public Span<T> GradA { get; init; }
    /// <summary>∂value/∂b (m): g_ab - g_bb when debiased, g otherwise.</summary>
    public Span<T> GradB { get; init; }
    /// <summary>
    /// The dual potential f of OT(a, b) on x (n), from the final exact updates (f from g, then g from f: the column
    /// marginals of (f, g) hold to rounding, the rows to the reported marginal error; ApplyPlan recomputes f from g).
    /// </summary>
    public Span<T> PotentialF { get; init; }
    /// <summary>The dual potential g of OT(a, b) on y (m).</summary>
    public Span<T> PotentialG { get; init; }
}

/// <summary>
/// Entropic optimal transport between point clouds for generated formulas (<c>sinkhorn(c(x, y), ε)</c>,
/// <c>sinkhorn_divergence(c(x, y), ε)</c>): the cost c is the formula's pair term (<see cref="IPairTerm{T}"/>, the value
/// c(f) of one pair feature), every softmin a tiled log-sum-exp sweep over j (<see cref="PairSweep"/>), never an n × m
/// buffer. A contract between the generator and the runtime.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class SinkhornSweep
{
    /// <summary>
    /// OT_ε(a, b) (<paramref name="debias"/> false) or the debiased divergence S = OT_ε(a, b) - OT_ε(a, a)/2 - OT_ε(b, b)/2,
    /// with OT_ε(a, b) = min_π ⟨π, C⟩ + ε KL(π | a ⊗ b) = ⟨a, f⟩ + ⟨b, g⟩ at the optimum. Weights empty: uniform 1/n, 1/m;
    /// otherwise positive with equal sums (they are used as given). Gradients through the converged potentials.
    /// </summary>
    /// <remarks>
    /// The GeomLoss scheme: ε-scaling from the cost's range over the clouds down to ε (one symmetric averaged update per
    /// step), alternating over-relaxed updates at ε (<see cref="SinkhornOptions.Overrelaxation"/>) until the L1 marginal
    /// error reaches the tolerance or stalls (the self problems of the debiased divergence keep the symmetric averaged
    /// update), then exact updates that also give the envelope gradients.
    /// Memory O((n + m) d). The iteration is SinkhornLoop, generic over the sweeps (ISinkhornSweeps).
    /// </remarks>
    public static SinkhornResult Solve<TCost>(in TCost cost, ReadOnlySpan<float> x, ReadOnlySpan<float> a, ReadOnlySpan<float> y, ReadOnlySpan<float> b, int d,
        double epsilon, bool debias, SinkhornOptions? options, in SinkhornOutputs<float> outputs)
        where TCost : struct, IPairTerm<float>
    {
        SinkhornOptions settings = Settings(options);
        var (n, m) = CheckSolve(x, a, y, b, d, epsilon, FloatMass, in outputs);
        double epsilon0 = StartEpsilon(in cost, x, y, d);
        var sweeps = new CpuSinkhornSweeps<float, PairWidthsF, TCost>(in cost, x, y, d);
        return WithWeights(ref sweeps, a, b, n, m, d, epsilon, epsilon0, debias, settings, in outputs);
    }

    /// <inheritdoc cref="Solve{TCost}(in TCost, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, int, double, bool, SinkhornOptions?, in SinkhornOutputs{float})"/>
    public static SinkhornResult Solve<TCost>(in TCost cost, ReadOnlySpan<double> x, ReadOnlySpan<double> a, ReadOnlySpan<double> y, ReadOnlySpan<double> b, int d,
        double epsilon, bool debias, SinkhornOptions? options, in SinkhornOutputs<double> outputs)
        where TCost : struct, IPairTerm<double>
    {
        SinkhornOptions settings = Settings(options);
        var (n, m) = CheckSolve(x, a, y, b, d, epsilon, DoubleMass, in outputs);
        double epsilon0 = StartEpsilon(in cost, x, y, d);
        var sweeps = new CpuSinkhornSweeps<double, PairWidthsD, TCost>(in cost, x, y, d);
        return WithWeights(ref sweeps, a, b, n, m, d, epsilon, epsilon0, debias, settings, in outputs);
    }

    /// <summary>
    /// The plan applied to a payload, lazily (nothing n × m is stored): <c>output[i, c] = Σ_j π_ij v[j, c]</c> with
    /// π_ij = a_i b_j exp((f_i + g_j - c_ij) / ε), f recomputed from g by one exact update (so Σ_j π_ij = a_i). v is m × p,
    /// output n × p. <paramref name="g"/> is the potential a solve returned.
    /// </summary>
    public static void ApplyPlan<TCost>(in TCost cost, ReadOnlySpan<float> x, ReadOnlySpan<float> a, ReadOnlySpan<float> y, ReadOnlySpan<float> b, int d,
        double epsilon, ReadOnlySpan<float> g, ReadOnlySpan<float> v, int p, Span<float> output)
        where TCost : struct, IPairTerm<float>
    {
        var sweeps = new CpuSinkhornSweeps<float, PairWidthsF, TCost>(in cost, x, y, d);
        Plan(ref sweeps, x, a, y, b, d, epsilon, g, v, nameof(v), p, output, rowFactor: true, FloatMass);
    }

    /// <inheritdoc cref="ApplyPlan{TCost}(in TCost, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, int, double, ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float})"/>
    public static void ApplyPlan<TCost>(in TCost cost, ReadOnlySpan<double> x, ReadOnlySpan<double> a, ReadOnlySpan<double> y, ReadOnlySpan<double> b, int d,
        double epsilon, ReadOnlySpan<double> g, ReadOnlySpan<double> v, int p, Span<double> output)
        where TCost : struct, IPairTerm<double>
    {
        var sweeps = new CpuSinkhornSweeps<double, PairWidthsD, TCost>(in cost, x, y, d);
        Plan(ref sweeps, x, a, y, b, d, epsilon, g, v, nameof(v), p, output, rowFactor: true, DoubleMass);
    }

    /// <summary>The barycentric map of the plan, <c>T(x_i) = Σ_j π_ij y_j / a_i</c> (n × d), lazily as <see cref="ApplyPlan{TCost}(in TCost, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, int, double, ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float})"/>.</summary>
    public static void BarycentricMap<TCost>(in TCost cost, ReadOnlySpan<float> x, ReadOnlySpan<float> a, ReadOnlySpan<float> y, ReadOnlySpan<float> b, int d,
        double epsilon, ReadOnlySpan<float> g, Span<float> output)
        where TCost : struct, IPairTerm<float>
    {
        var sweeps = new CpuSinkhornSweeps<float, PairWidthsF, TCost>(in cost, x, y, d);
        Plan(ref sweeps, x, a, y, b, d, epsilon, g, y, nameof(y), d, output, rowFactor: false, FloatMass);
    }

    /// <inheritdoc cref="BarycentricMap{TCost}(in TCost, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, int, double, ReadOnlySpan{float}, Span{float})"/>
    public static void BarycentricMap<TCost>(in TCost cost, ReadOnlySpan<double> x, ReadOnlySpan<double> a, ReadOnlySpan<double> y, ReadOnlySpan<double> b, int d,
        double epsilon, ReadOnlySpan<double> g, Span<double> output)
        where TCost : struct, IPairTerm<double>
    {
        var sweeps = new CpuSinkhornSweeps<double, PairWidthsD, TCost>(in cost, x, y, d);
        Plan(ref sweeps, x, a, y, b, d, epsilon, g, y, nameof(y), d, output, rowFactor: false, DoubleMass);
    }
}
