using KernelDsl.Language.Ir;
using static KernelDsl.Language.Ops.OpTable;

namespace KernelDsl.Language.Ops;

/// <summary>
/// A reduction: it removes the axes named by its node's payload (<see cref="Node.Reduced"/>; the support i for every reduction
/// a formula writes today), so the node ranges over its argument's axes minus those. Its derivative ranges over the
/// argument's axes (the weight of each element).
/// </summary>
internal abstract class ReductionOp : Op
{
    /// <inheritdoc/>
    public override int Arity => 1;

    /// <inheritdoc/>
    public override OpKind Kind => OpKind.Reduction;
}

/// <summary>sum(v) = Σ v_i over the removed axes; 0 on an empty support. d/dv_i = 1.</summary>
internal sealed class SumOp : ReductionOp
{
    /// <inheritdoc/>
    public override string Name => "sum";
    /// <inheritdoc/>
    public override Node? Derivative(Graph g, Node node, int arg) => g.Constant(1);
}

/// <summary>
/// max(v) = max_i v_i; -inf on an empty support; NaN if any v_i is NaN. Subgradient: d/dv_i = [v_i = max] / #{j : v_j = max},
/// the weight split evenly among ties (a valid subgradient whose weights sum to 1).
/// </summary>
internal sealed class MaxReduceOp : ReductionOp
{
    /// <inheritdoc/>
    public override string Name => "maxr";
    /// <inheritdoc/>
    public override Node? Derivative(Graph g, Node node, int arg)
    {
        var hit = g.Make(IsEqual, g[node.Args[0]], node);
        return g.Make(Div, hit, g.Reduce(Sum, node.Reduced, hit));
    }
}

/// <summary>min(v) = min_i v_i; +inf on an empty support. Subgradient as for max: ties share the weight evenly.</summary>
internal sealed class MinReduceOp : ReductionOp
{
    /// <inheritdoc/>
    public override string Name => "minr";
    /// <inheritdoc/>
    public override Node? Derivative(Graph g, Node node, int arg)
    {
        var hit = g.Make(IsEqual, g[node.Args[0]], node);
        return g.Make(Div, hit, g.Reduce(Sum, node.Reduced, hit));
    }
}

/// <summary>
/// logsumexp(v) = log Σ exp(v_i), computed with an online max and one exp per element; -inf on an empty support.
/// d/dv_i = exp(v_i - logsumexp(v)) = softmax(v)_i.
/// </summary>
internal sealed class LogSumExpOp : ReductionOp
{
    /// <inheritdoc/>
    public override string Name => "logsumexp";
    /// <inheritdoc/>
    public override Node? Derivative(Graph g, Node node, int arg) => g.Make(Exp, g.Make(Sub, g[node.Args[0]], node));
}
