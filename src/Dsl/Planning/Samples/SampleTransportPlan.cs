using System.Collections.Generic;

namespace KernelDsl.Language.Planning.Samples;

/// <summary>
/// The CPU plan of an entropic optimal-transport formula (<c>sinkhorn(c(x, y), ε)</c>, <c>sinkhorn_divergence(c(x, y), ε)</c>):
/// one call of the runtime's Sinkhorn solver with the cost as a pair term (<see cref="SamplePlan.Terms"/>[0], the value
/// c(f) of one pair feature, and its slope), ε computed on the host from the parameters (the epilogue of the
/// <see cref="SamplePlan"/>: <see cref="SamplePlan.Output"/> is ε). Every softmin of the solver is a log-sum-exp sweep
/// over j of the pair engine, so no n × m buffer is made.
/// </summary>
internal sealed class SampleTransportPlan
{
    internal SampleTransportPlan(bool debiased, int cloudI, int cloudJ, IReadOnlyList<int> epsilonParameters)
    {
        Debiased = debiased;
        CloudI = cloudI;
        CloudJ = cloudJ;
        EpsilonParameters = epsilonParameters;
    }

    /// <summary>True for the debiased divergence S = OT_ε(a, b) - OT_ε(a, a)/2 - OT_ε(b, b)/2; false for OT_ε(a, b).</summary>
    public bool Debiased { get; }

    /// <summary>The cloud x (first marginal a, potential f).</summary>
    public int CloudI { get; }

    /// <summary>The cloud y (second marginal b, potential g).</summary>
    public int CloudJ { get; }

    /// <summary>The parameters ε reads, in header order (named when ε is not positive and finite).</summary>
    public IReadOnlyList<int> EpsilonParameters { get; }

    /// <summary>The function as written.</summary>
    public string Name => Debiased ? "sinkhorn_divergence" : "sinkhorn";

    /// <summary>The plan in lines: the cost, ε and what the solver computes.</summary>
    public IReadOnlyList<string> Describe(SamplePlan plan)
    {
        string x = plan.CloudNames[CloudI], y = plan.CloudNames[CloudJ];
        string a = plan.WeightNames[CloudI] is { } wa ? $"the weights {wa} of {x}" : $"uniform on {x} (1/n)";
        string b = plan.WeightNames[CloudJ] is { } wb ? $"the weights {wb} of {y}" : $"uniform on {y} (1/m)";
        var cost = plan.Terms[0];
        var lines = new List<string>
        {
            $"c(f) = {cost.Describe()}, f = {(cost.Feature == SampleFeature.Dot ? "dot" : "sqdist")}(u, v)",
            $"ε = {PlanPrinter.Formula(plan.Epilogue, plan.Output)}",
            $"OT_ε(a, b) = min_π <π, C> + ε KL(π | a ⊗ b) = <a, f> + <b, g>, C_ij = c({x}_i, {y}_j)",
            $"a: {a}; b: {b}",
            Debiased ? "value = OT_ε(a, b) - OT_ε(a, a)/2 - OT_ε(b, b)/2" : "value = OT_ε(a, b)",
            "softmin: f_i = -ε log Σ_j b_j exp((g_j - C_ij) / ε), a log-sum-exp sweep over j (and g from f over i)",
            "gradients: through the converged potentials (envelope theorem): ∂/∂x_i = Σ_j π_ij ∂c/∂x_i" + (Debiased ? " - (the same for OT_ε(a, a))" : ""),
        };
        return lines;
    }
}
