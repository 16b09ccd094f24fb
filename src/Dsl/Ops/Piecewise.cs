using KernelDsl.Language.Ir;
using static KernelDsl.Language.Ops.OpTable;

namespace KernelDsl.Language.Ops;

/// <summary>|x|. d/dx = sign(x) (0 at 0: the subgradient of least norm).</summary>
internal sealed class AbsOp : UnaryOp
{
    /// <inheritdoc/>
    public override string Name => "abs";
    /// <inheritdoc/>
    protected override double Eval(double x) => System.Math.Abs(x);
    /// <inheritdoc/>
    protected override Node? D(Graph g, Node x, Node y) => g.Make(Sign, x);
}

/// <summary>sign(x), with sign(±0) = ±0. Derivative zero almost everywhere.</summary>
internal sealed class SignOp : UnaryOp
{
    /// <inheritdoc/>
    public override string Name => "sign";
    /// <inheritdoc/>
    public override bool IsPiecewiseConstant => true;
    /// <inheritdoc/>
    protected override double Eval(double x) => DMath.Sign(x);
    /// <inheritdoc/>
    protected override Node? D(Graph g, Node x, Node y) => null;
}

/// <summary>min(a, b), NaN-propagating. d/da = step(a, b): 1 where a &lt; b, 1/2 at a tie, 0 otherwise.</summary>
internal sealed class MinOp : BinaryOp
{
    /// <inheritdoc/>
    public override string Name => "min";
    /// <inheritdoc/>
    protected override double Eval(double a, double b) => DMath.Min(a, b);
    /// <inheritdoc/>
    protected override Node? D(Graph g, Node a, Node b, Node y, int arg) => arg == 0 ? g.Make(Step, a, b) : g.Make(Step, b, a);
}

/// <summary>max(a, b), NaN-propagating. d/da = step(b, a): 1 where a &gt; b, 1/2 at a tie, 0 otherwise.</summary>
internal sealed class MaxOp : BinaryOp
{
    /// <inheritdoc/>
    public override string Name => "max";
    /// <inheritdoc/>
    protected override double Eval(double a, double b) => DMath.Max(a, b);
    /// <inheritdoc/>
    protected override Node? D(Graph g, Node a, Node b, Node y, int arg) => arg == 0 ? g.Make(Step, b, a) : g.Make(Step, a, b);
}

/// <summary>step(a, b): 1 if a &lt; b, 1/2 if equal, 0 if greater (internal: the derivative of min and max).</summary>
internal sealed class StepOp : BinaryOp
{
    /// <inheritdoc/>
    public override string Name => "step";
    /// <inheritdoc/>
    public override bool IsPiecewiseConstant => true;
    /// <inheritdoc/>
    protected override double Eval(double a, double b) => DMath.Step(a, b);
    /// <inheritdoc/>
    protected override Node? D(Graph g, Node a, Node b, Node y, int arg) => null;
}

/// <summary>iseq(a, b): 1 if a = b else 0 (internal: the subgradient of the max and min reductions).</summary>
internal sealed class IsEqualOp : BinaryOp
{
    /// <inheritdoc/>
    public override string Name => "iseq";
    /// <inheritdoc/>
    public override string CpuName => "IsEqual";
    /// <inheritdoc/>
    public override bool IsPiecewiseConstant => true;
    /// <inheritdoc/>
    protected override double Eval(double a, double b) => DMath.IsEqual(a, b);
    /// <inheritdoc/>
    protected override Node? D(Graph g, Node a, Node b, Node y, int arg) => null;
}

/// <summary>
/// selecteq(a, b, v): v where a = b, else 0 (internal: s[y] is sum(selecteq(index, y, s))). A select, not a product, so a
/// masked logit of -inf elsewhere in the row does not turn the gather into NaN. d/dv = iseq(a, b); a and b get none.
/// </summary>
internal sealed class SelectEqOp : Op
{
    /// <inheritdoc/>
    public override string Name => "selecteq";
    /// <inheritdoc/>
    public override string CpuName => "SelectEq";
    /// <inheritdoc/>
    public override int Arity => 3;
    /// <inheritdoc/>
    public override double Evaluate(Node node, double[] args) => args[0] == args[1] ? args[2] : 0.0;
    /// <inheritdoc/>
    public override Node? Derivative(Graph g, Node node, int arg) =>
        arg == 2 ? g.Make(IsEqual, g[node.Args[0]], g[node.Args[1]]) : null;
    /// <inheritdoc/>
    public override (double Low, double High)[] TestDomain => new[] { (0.0, 0.0), (0.0, 0.0), (-3.0, 3.0) };
}

/// <summary>
/// selectpos(x, v): v where x &gt; 0, else 0 (internal: the derivatives that vanish off the positive half-line, such as
/// rel_entr's d/dx). One compare and one zero-masked select; NaN x gives 0. d/dv = selectpos(x, 1); x gets none.
/// </summary>
internal sealed class SelectPositiveOp : BinaryOp
{
    /// <inheritdoc/>
    public override string Name => "selectpos";
    /// <inheritdoc/>
    public override string CpuName => "SelectPositive";
    /// <inheritdoc/>
    protected override double Eval(double x, double v) => x > 0 ? v : 0.0;
    /// <inheritdoc/>
    protected override Node? D(Graph g, Node x, Node v, Node y, int arg) => arg == 1 ? g.Make(SelectPositive, x, g.Constant(1)) : null;
}
