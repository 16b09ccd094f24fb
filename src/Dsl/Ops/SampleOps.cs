using KernelDsl.Language.Ir;
using static KernelDsl.Language.Ops.OpTable;

namespace KernelDsl.Language.Ops;

/// <summary>
/// The square root under a Euclidean distance: dist(u, v) = distsqrt(sqdist(u, v)). Its value is sqrt(s); its derivative
/// is 1 / (2 sqrt(s)) for s &gt; 0 and 0 at s = 0, written 0.5 · xdivy(y, s) with y = sqrt(s) (xdivy(0, 0) = 0). At u = v
/// the chain rule then gives the subgradient 0 (the minimum-norm element of the unit ball, the subdifferential of |u - v|
/// there), so that the self pairs of an energy distance have a finite gradient; a plain sqrt gives 0 · inf = NaN.
/// </summary>
internal sealed class DistSqrtOp : UnaryOp
{
    /// <inheritdoc/>
    public override string Name => "distsqrt";
    /// <inheritdoc/>
    protected override double Eval(double x) => System.Math.Sqrt(x);
    /// <inheritdoc/>
    protected override Node? D(Graph g, Node x, Node y) => g.Make(Mul, g.Constant(0.5), g.Make(Xdivy, y, x));
    /// <inheritdoc/>
    public override (double Low, double High)[] TestDomain => new[] { (0.1, 4.0) };
}

/// <summary>
/// A leaf: the number of points of a point cloud (its payload <see cref="Node.Index"/> is the cloud's position among the
/// formula's clouds), a scalar known at run time. Unlike the length of an axis, it names the cloud, so a formula that pairs
/// clouds of different sizes on the same axes (x with x, x with y) divides each mean by the right count.
/// </summary>
internal sealed class CountOp : Op
{
    /// <inheritdoc/>
    public override string Name => "count";
    /// <inheritdoc/>
    public override int Arity => 0;
    /// <inheritdoc/>
    public override OpKind Kind => OpKind.Leaf;
}
