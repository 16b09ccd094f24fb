using KernelDsl.Language.Ir;
using static KernelDsl.Language.Ops.OpTable;

namespace KernelDsl.Language.Ops;

/// <summary>a + b. d/da = 1, d/db = 1.</summary>
internal sealed class AddOp : BinaryOp
{
    /// <inheritdoc/>
    public override string Name => "add";
    /// <inheritdoc/>
    protected override double Eval(double a, double b) => a + b;
    /// <inheritdoc/>
    protected override Node? D(Graph g, Node a, Node b, Node y, int arg) => g.Constant(1);
}

/// <summary>a - b. d/da = 1, d/db = -1.</summary>
internal sealed class SubOp : BinaryOp
{
    /// <inheritdoc/>
    public override string Name => "sub";
    /// <inheritdoc/>
    protected override double Eval(double a, double b) => a - b;
    /// <inheritdoc/>
    protected override Node? D(Graph g, Node a, Node b, Node y, int arg) => g.Constant(arg == 0 ? 1 : -1);
}

/// <summary>a * b. d/da = b, d/db = a.</summary>
internal sealed class MulOp : BinaryOp
{
    /// <inheritdoc/>
    public override string Name => "mul";
    /// <inheritdoc/>
    protected override double Eval(double a, double b) => a * b;
    /// <inheritdoc/>
    protected override Node? D(Graph g, Node a, Node b, Node y, int arg) => arg == 0 ? b : a;
}

/// <summary>a / b. d/da = 1/b, d/db = -(a/b)/b (reuses the quotient).</summary>
internal sealed class DivOp : BinaryOp
{
    /// <inheritdoc/>
    public override string Name => "div";
    /// <inheritdoc/>
    protected override double Eval(double a, double b) => a / b;
    /// <inheritdoc/>
    protected override Node? D(Graph g, Node a, Node b, Node y, int arg) =>
        arg == 0 ? g.Make(Div, g.Constant(1), b) : g.Make(Neg, g.Make(Div, y, b));
    /// <inheritdoc/>
    public override (double Low, double High)[] TestDomain => new[] { (-3.0, 3.0), (0.2, 3.0) };
}

/// <summary>-x. d/dx = -1. Exact in IEEE arithmetic (flips the sign bit).</summary>
internal sealed class NegOp : UnaryOp
{
    /// <inheritdoc/>
    public override string Name => "neg";
    /// <inheritdoc/>
    protected override double Eval(double x) => -x;
    /// <inheritdoc/>
    protected override Node? D(Graph g, Node x, Node y) => g.Constant(-1);
}
