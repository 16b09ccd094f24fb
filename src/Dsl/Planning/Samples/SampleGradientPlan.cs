using System.Collections.Generic;
using KernelDsl.Language.Calculus;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Ops;

namespace KernelDsl.Language.Planning.Samples;

/// <summary>
/// A pair term's derivative in one parameter, <c>∂φ/∂θ(f)</c>: itself a pair term of the same feature (its graph is the
/// term's, extended by the differentiator), so a parameter's share of a pair reduction is one more pair sum.
/// </summary>
internal sealed class SampleParameterTerm
{
    internal SampleParameterTerm(int term, int parameter, SamplePairTerm derivative)
    {
        Term = term;
        Parameter = parameter;
        Derivative = derivative;
    }

    /// <summary>The pair term's position in <see cref="SamplePlan.Terms"/>.</summary>
    public int Term { get; }

    /// <summary>The parameter's position in <see cref="SamplePlan.ParameterNames"/>.</summary>
    public int Parameter { get; }

    /// <summary><c>∂φ/∂θ</c> as a pair term: its value is the derivative, its slope <c>∂²φ/∂f∂θ</c>.</summary>
    public SamplePairTerm Derivative { get; }
}

/// <summary>
/// What the gradients with respect to the parameters and the weights need beyond the points' gradient: for a parameter θ,
/// <c>dV/dθ = ∂V/∂θ (the epilogue's own) + Σ_r dV/dR_r · Σ_ij w_i w_j ∂φ_r/∂θ(f_ij)</c>; for a weight a_i,
/// <c>dV/da_i = Σ_r dV/dR_r · ∂R_r/∂a_i + dV/dΣa + 2 a_i dV/dΣa²</c>, where <c>∂R_r/∂a_i</c> is a weighted row sum of
/// φ_r (doubled for a self sum, whose φ is symmetric, less its diagonal term for an off-diagonal one).
/// </summary>
internal sealed class SampleGradientPlan
{
    private SampleGradientPlan(IReadOnlyList<SampleParameterTerm> parameterTerms, IReadOnlyList<Node?> parameterSlopes, IReadOnlyList<Node?> scalarSlopes)
    {
        ParameterTerms = parameterTerms;
        ParameterSlopes = parameterSlopes;
        ScalarSlopes = scalarSlopes;
    }

    /// <summary>The derivative terms <c>∂φ_k/∂θ_p</c> that are not structurally zero, by term then parameter.</summary>
    public IReadOnlyList<SampleParameterTerm> ParameterTerms { get; }

    /// <summary>Per parameter, <c>∂V/∂θ</c> of the epilogue alone (the reductions held fixed), a node of <see cref="SamplePlan.Epilogue"/>, or null when zero.</summary>
    public IReadOnlyList<Node?> ParameterSlopes { get; }

    /// <summary>Per entry of <see cref="SamplePlan.Scalars"/>, <c>dV/d(scalar)</c> in <see cref="SamplePlan.Epilogue"/>, or null when zero.</summary>
    public IReadOnlyList<Node?> ScalarSlopes { get; }

    /// <summary>The derivative term of <paramref name="term"/> in <paramref name="parameter"/>, or null when it is zero.</summary>
    public SampleParameterTerm? Find(int term, int parameter)
    {
        foreach (var t in ParameterTerms)
            if (t.Term == term && t.Parameter == parameter) return t;
        return null;
    }

    /// <summary>
    /// Builds the gradient plan of <paramref name="plan"/> with the differentiator: on the epilogue for the direct slopes
    /// (the epilogue only grows: the nodes the plan holds keep their ids, so the plan's own code is unchanged), on a copy of
    /// each φ over a scalar f for its parameter derivatives, and on each derivative for its own slope in f.
    /// </summary>
    public static SampleGradientPlan Build(SamplePlan plan)
    {
        var gradient = Differentiator.Differentiate(plan.Epilogue, plan.Output);
        int count = plan.ParameterNames.Count;
        var parameterSlopes = new Node?[count];
        for (int p = 0; p < count; p++) parameterSlopes[p] = gradient.Parameters[p];
        var scalarSlopes = new Node?[plan.Scalars.Count];
        for (int s = 0; s < scalarSlopes.Length; s++) scalarSlopes[s] = gradient.Parameters[plan.ScalarIndex(s)];
        var terms = new List<SampleParameterTerm>();
        for (int k = 0; k < plan.Terms.Count; k++)
        {
            var term = plan.Terms[k];
            var (graph, value) = Scalar(term, plan.ParameterNames);
            var partials = Differentiator.Differentiate(graph, value).Parameters;
            for (int p = 0; p < count; p++)
            {
                if (partials[p] is not { } derivative) continue;
                var slope = Differentiator.Differentiate(graph, derivative).Inputs[0];
                terms.Add(new SampleParameterTerm(k, p, new SamplePairTerm(term.Feature, graph, derivative, slope)));
            }
        }
        return new SampleGradientPlan(terms, parameterSlopes, scalarSlopes);
    }

    // φ copied into a graph whose f is a scalar input: in the term's own graph f ranges over an axis, so the differentiator
    // would sum a parameter's adjoint over it (a parameter is broadcast along f's axis); here every node is one pair's.
    private static (Graph Graph, Node Value) Scalar(SamplePairTerm term, IReadOnlyList<string> parameters)
    {
        var source = term.Graph;
        var copy = new Graph(new[] { "f" }, parameters);
        var map = new Node?[term.Value.Id + 1];
        var needed = new bool[term.Value.Id + 1];
        needed[term.Value.Id] = true;
        for (int id = term.Value.Id; id >= 0; id--)
            if (needed[id])
                foreach (int a in source[id].Args) needed[a] = true;
        for (int id = 0; id <= term.Value.Id; id++)
        {
            if (!needed[id]) continue;
            var n = source[id];
            if (n.Op == OpTable.Input) map[id] = copy.Input(0, Axes.None);
            else if (n.Op == OpTable.Parameter) map[id] = copy.Parameter(n.Index);
            else if (n.Op == OpTable.Constant) map[id] = copy.Constant(n.Constant);
            else
            {
                var args = new Node[n.Args.Length];
                for (int k = 0; k < args.Length; k++) args[k] = map[n.Args[k]]!;
                map[id] = copy.MakeRaw(n.Op, n.Index, args);
            }
        }
        return (copy, map[term.Value.Id]!);
    }
}
