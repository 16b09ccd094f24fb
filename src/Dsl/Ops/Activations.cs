using KernelDsl.Language.Ir;
using static KernelDsl.Language.Ops.OpTable;

namespace KernelDsl.Language.Ops;

/// <summary>softplus(x) = log(1 + e^x), stable. d/dx = sigmoid(x).</summary>
internal sealed class SoftplusOp : UnaryOp
{
    /// <inheritdoc/>
    public override string Name => "softplus";
    /// <inheritdoc/>
    protected override double Eval(double x) => DMath.Softplus(x);
    /// <inheritdoc/>
    protected override Node? D(Graph g, Node x, Node y) => g.Make(Sigmoid, x);
}

/// <summary>sigmoid(x) = 1 / (1 + e^-x). d/dx = s (1 - s).</summary>
internal sealed class SigmoidOp : UnaryOp
{
    /// <inheritdoc/>
    public override string Name => "sigmoid";
    /// <inheritdoc/>
    protected override double Eval(double x) => DMath.Sigmoid(x);
    /// <inheritdoc/>
    protected override Node? D(Graph g, Node x, Node y) => g.Make(Mul, y, g.Make(Sub, g.Constant(1), y));
}

/// <summary>logsigmoid(x) = -softplus(-x). d/dx = sigmoid(-x) (accurate where sigmoid(x) is near 1).</summary>
internal sealed class LogSigmoidOp : UnaryOp
{
    /// <inheritdoc/>
    public override string Name => "logsigmoid";
    /// <inheritdoc/>
    public override string CpuName => "LogSigmoid";
    /// <inheritdoc/>
    protected override double Eval(double x) => DMath.LogSigmoid(x);
    /// <inheritdoc/>
    protected override Node? D(Graph g, Node x, Node y) => g.Make(Sigmoid, g.Make(Neg, x));
}

/// <summary>tanh(x). d/dx = 1 - tanh(x)^2.</summary>
internal sealed class TanhOp : UnaryOp
{
    /// <inheritdoc/>
    public override string Name => "tanh";
    /// <inheritdoc/>
    protected override double Eval(double x) => DMath.Tanh(x);
    /// <inheritdoc/>
    protected override Node? D(Graph g, Node x, Node y) => g.Make(Sub, g.Constant(1), g.Make(PowInt, 2, y));
}

/// <summary>cosh(x). d/dx = sinh(x).</summary>
internal sealed class CoshOp : UnaryOp
{
    /// <inheritdoc/>
    public override string Name => "cosh";
    /// <inheritdoc/>
    protected override double Eval(double x) => System.Math.Cosh(x);
    /// <inheritdoc/>
    protected override Node? D(Graph g, Node x, Node y) => g.Make(Sinh, x);
}

/// <summary>sinh(x). d/dx = cosh(x).</summary>
internal sealed class SinhOp : UnaryOp
{
    /// <inheritdoc/>
    public override string Name => "sinh";
    /// <inheritdoc/>
    protected override double Eval(double x) => DMath.Sinh(x);
    /// <inheritdoc/>
    protected override Node? D(Graph g, Node x, Node y) => g.Make(Cosh, x);
}
