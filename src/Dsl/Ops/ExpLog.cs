using KernelDsl.Language.Ir;
using static KernelDsl.Language.Ops.OpTable;

namespace KernelDsl.Language.Ops;

/// <summary>log(x). d/dx = 1/x.</summary>
internal sealed class LogOp : UnaryOp
{
    /// <inheritdoc/>
    public override string Name => "log";
    /// <inheritdoc/>
    protected override double Eval(double x) => System.Math.Log(x);
    /// <inheritdoc/>
    protected override Node? D(Graph g, Node x, Node y) => g.Make(Div, g.Constant(1), x);
    /// <inheritdoc/>
    public override (double Low, double High)[] TestDomain => new[] { (0.05, 5.0) };
}

/// <summary>exp(x). d/dx = exp(x) (the node itself).</summary>
internal sealed class ExpOp : UnaryOp
{
    /// <inheritdoc/>
    public override string Name => "exp";
    /// <inheritdoc/>
    protected override double Eval(double x) => System.Math.Exp(x);
    /// <inheritdoc/>
    protected override Node? D(Graph g, Node x, Node y) => y;
}

/// <summary>log(1 + x), accurate near 0. d/dx = 1/(1 + x).</summary>
internal sealed class Log1pOp : UnaryOp
{
    /// <inheritdoc/>
    public override string Name => "log1p";
    /// <inheritdoc/>
    protected override double Eval(double x) => DMath.Log1p(x);
    /// <inheritdoc/>
    protected override Node? D(Graph g, Node x, Node y) => g.Make(Div, g.Constant(1), g.Make(Add, g.Constant(1), x));
    /// <inheritdoc/>
    public override (double Low, double High)[] TestDomain => new[] { (-0.9, 4.0) };
}

/// <summary>exp(x) - 1, accurate near 0. d/dx = exp(x).</summary>
internal sealed class Expm1Op : UnaryOp
{
    /// <inheritdoc/>
    public override string Name => "expm1";
    /// <inheritdoc/>
    protected override double Eval(double x) => DMath.Expm1(x);
    /// <inheritdoc/>
    protected override Node? D(Graph g, Node x, Node y) => g.Make(Exp, x);
}

/// <summary>
/// A pointwise op whose value is a convention-guarded form of an unguarded expression u carried as the last IR argument:
/// the kernel selects between u and the convention's value, and the derivatives are stated on x and y (u gets none), so the
/// log inside u is one node shared by the value and the gradient.
/// </summary>
internal abstract class GuardedOp : Op
{
    /// <inheritdoc/>
    public override int Arity => 3;

    /// <inheritdoc/>
    public override int UserArity => 2;

    /// <summary>The unguarded expression, built from the formula's two arguments.</summary>
    protected abstract Node Unguarded(Graph g, Node x, Node y);

    /// <inheritdoc/>
    public override Node Build(Graph g, Node[] args) => g.Make(this, args[0], args[1], Unguarded(g, args[0], args[1]));

    /// <summary>The value in double from x and y alone (the oracle does not trust u).</summary>
    protected abstract double Eval(double x, double y);

    /// <inheritdoc/>
    public override double Evaluate(Node node, double[] args) => Eval(args[0], args[1]);

    /// <summary>d/dx (<paramref name="arg"/> = 0) or d/dy (1).</summary>
    protected abstract Node? D(Graph g, Node x, Node y, int arg);

    /// <inheritdoc/>
    public override Node? Derivative(Graph g, Node node, int arg) => arg < 2 ? D(g, g[node.Args[0]], g[node.Args[1]], arg) : null;
}

/// <summary>xlogy(x, y) = x log y, 0 where x = 0 (scipy). d/dx = log y; d/dy = xdivy(x, y) (x / y, 0 where x = 0).</summary>
internal sealed class XlogyOp : GuardedOp
{
    /// <inheritdoc/>
    public override string Name => "xlogy";
    /// <inheritdoc/>
    protected override Node Unguarded(Graph g, Node x, Node y) => g.Make(Mul, x, g.Make(Log, y));
    /// <inheritdoc/>
    protected override double Eval(double a, double b) => DMath.Xlogy(a, b);
    /// <inheritdoc/>
    protected override Node? D(Graph g, Node a, Node b, int arg) => arg == 0 ? g.Make(Log, b) : g.Make(Xdivy, a, b);
    /// <inheritdoc/>
    public override (double Low, double High)[] TestDomain => new[] { (-3.0, 3.0), (0.05, 5.0), (-3.0, 3.0) };
}

/// <summary>xlog1py(x, y) = x log(1 + y), 0 where x = 0 (scipy). d/dx = log1p y; d/dy = xdivy(x, 1 + y).</summary>
internal sealed class Xlog1pyOp : GuardedOp
{
    /// <inheritdoc/>
    public override string Name => "xlog1py";
    /// <inheritdoc/>
    protected override Node Unguarded(Graph g, Node x, Node y) => g.Make(Mul, x, g.Make(Log1p, y));
    /// <inheritdoc/>
    protected override double Eval(double a, double b) => DMath.Xlog1py(a, b);
    /// <inheritdoc/>
    protected override Node? D(Graph g, Node a, Node b, int arg) =>
        arg == 0 ? g.Make(Log1p, b) : g.Make(Xdivy, a, g.Make(Add, g.Constant(1), b));
    /// <inheritdoc/>
    public override (double Low, double High)[] TestDomain => new[] { (-3.0, 3.0), (-0.9, 4.0), (-3.0, 3.0) };
}

/// <summary>xdivy(x, y) = x / y, 0 where x = 0 and y is not NaN (internal: the y-derivative of xlogy). d/dx = 1/y; d/dy = -xdivy(x, y)/y.</summary>
internal sealed class XdivyOp : BinaryOp
{
    /// <inheritdoc/>
    public override string Name => "xdivy";
    /// <inheritdoc/>
    protected override double Eval(double a, double b) => DMath.Xdivy(a, b);
    /// <inheritdoc/>
    protected override Node? D(Graph g, Node a, Node b, Node y, int arg) =>
        arg == 0 ? g.Make(Div, g.Constant(1), b) : g.Make(Neg, g.Make(Div, y, b));
    /// <inheritdoc/>
    public override (double Low, double High)[] TestDomain => new[] { (-3.0, 3.0), (0.2, 3.0) };
}

/// <summary>
/// rel_entr(x, y) with scipy's conventions: x log(x/y) for x, y &gt; 0; 0 for x = 0, y &gt;= 0; +inf for other x, y; NaN
/// propagates. KL is sum(rel_entr(p, q)). d/dx = log(x/y) + 1 where x &gt; 0 and 0 elsewhere (torch's kl_div target
/// gradient, where(target &gt; 0, ..., 0): a class of probability 0 gets no gradient, so a softmax feeding x does not turn
/// 0·(-inf) into NaN), written selectpos(x, log(x/y) + 1) so that it shares the value's log; d/dy = -xdivy(x, y)
/// (0 where x = 0, even at y = 0).
/// </summary>
internal sealed class RelEntrOp : GuardedOp
{
    /// <inheritdoc/>
    public override string Name => "rel_entr";
    /// <inheritdoc/>
    public override string CpuName => "RelEntr";
    /// <inheritdoc/>
    protected override Node Unguarded(Graph g, Node x, Node y) => g.Make(Mul, x, g.Make(Log, g.Make(Div, x, y)));
    /// <inheritdoc/>
    protected override double Eval(double a, double b) => DMath.RelEntr(a, b);
    /// <inheritdoc/>
    protected override Node? D(Graph g, Node a, Node b, int arg)
    {
        if (arg != 0) return g.Make(Neg, g.Make(Xdivy, a, b));
        return g.Make(SelectPositive, a, g.Make(Add, g.Make(Log, g.Make(Div, a, b)), g.Constant(1)));
    }
    /// <inheritdoc/>
    public override (double Low, double High)[] TestDomain => new[] { (0.05, 3.0), (0.05, 3.0), (-3.0, 3.0) };
}
