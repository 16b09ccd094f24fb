using KernelDsl.Language.Ir;
using static KernelDsl.Language.Ops.OpTable;

namespace KernelDsl.Language.Ops;

/// <summary>
/// pow(a, b) = a^b with C's conventions. d/da = b * a^(b-1); d/db = xlogy(a^b, a) (= a^b log a, and 0 where a^b = 0,
/// so that 0^b with b &gt; 0 has a finite exponent derivative).
/// </summary>
internal sealed class PowOp : BinaryOp
{
    /// <inheritdoc/>
    public override string Name => "pow";
    /// <inheritdoc/>
    protected override double Eval(double a, double b) => System.Math.Pow(a, b);
    /// <inheritdoc/>
    protected override Node? D(Graph g, Node a, Node b, Node y, int arg) => arg == 0
        ? g.Make(Mul, b, g.Make(Pow, a, g.Make(Sub, b, g.Constant(1))))
        : Xlogy.Build(g, new[] { y, a });
    /// <inheritdoc/>
    public override (double Low, double High)[] TestDomain => new[] { (0.2, 3.0), (-2.0, 2.0) };
}

/// <summary>
/// powmul(x, a, y, b) = x^a · y^b, the simplifier's form of a product of two pow factors (never written in a formula).
/// Its value is the product of the two C pows, in double here and, lane by lane, at every special value (zero, negative,
/// infinite or NaN bases or exponents) in the kernels, whose fast path for positive finite bases and finite exponents
/// is one exp(a log x + b log y), as an expert writes it. That fast path is not the product of the two pows everywhere:
/// it is within the error bound stated on <c>ISimd.PowMul</c> where both factors are finite and nonzero, and finite where
/// a factor alone overflows or underflows (double x = y = 1e-200, a = 2, b = -2: 1 in the kernels, while pow·pow here and in
/// the oracle is 0·inf = NaN). d/dx = a · powmul(x, a - 1, y, b), d/dy = b · powmul(x, a, y,
/// b - 1) (the product rule on the two factors, still products of powers); d/da = xlogy(x^a y^b, x) and d/db =
/// xlogy(x^a y^b, y) (0 where the product is 0, as for pow).
/// </summary>
internal sealed class PowMulOp : Op
{
    /// <inheritdoc/>
    public override string Name => "powmul";
    /// <inheritdoc/>
    public override string CpuName => "PowMul";
    /// <inheritdoc/>
    public override int Arity => 4;
    /// <inheritdoc/>
    public override double Evaluate(Node node, double[] args) => System.Math.Pow(args[0], args[1]) * System.Math.Pow(args[2], args[3]);
    /// <inheritdoc/>
    public override Node? Derivative(Graph g, Node node, int arg)
    {
        Node x = g[node.Args[0]], a = g[node.Args[1]], y = g[node.Args[2]], b = g[node.Args[3]];
        return arg switch
        {
            0 => g.Make(Mul, a, g.Make(PowMul, x, g.Make(Sub, a, g.Constant(1)), y, b)),
            1 => Xlogy.Build(g, new[] { node, x }),
            2 => g.Make(Mul, b, g.Make(PowMul, x, a, y, g.Make(Sub, b, g.Constant(1)))),
            _ => Xlogy.Build(g, new[] { node, y }),
        };
    }
    /// <inheritdoc/>
    public override (double Low, double High)[] TestDomain => new[] { (0.2, 3.0), (-2.0, 2.0), (0.2, 3.0), (-2.0, 2.0) };
}

/// <summary>
/// x^k for an integer literal k, by repeated multiplication: exact sign for negative x (never exp(k log x)).
/// d/dx = k * x^(k-1).
/// </summary>
internal sealed class PowIntOp : UnaryOp
{
    /// <inheritdoc/>
    public override string Name => "powi";
    /// <inheritdoc/>
    public override double Evaluate(Node node, double[] args) => DMath.PowInt(args[0], node.Index);
    /// <inheritdoc/>
    protected override double Eval(double x) => double.NaN;
    /// <inheritdoc/>
    protected override Node? D(Graph g, Node x, Node y) => y.Index == 0
        ? null // x^0 = 1 everywhere (only a vector x^0 is kept as a node)
        : g.Make(Mul, g.Constant(y.Index), g.Make(PowInt, y.Index - 1, x));
}

/// <summary>sqrt(x). d/dx = 0.5 / sqrt(x).</summary>
internal sealed class SqrtOp : UnaryOp
{
    /// <inheritdoc/>
    public override string Name => "sqrt";
    /// <inheritdoc/>
    protected override double Eval(double x) => System.Math.Sqrt(x);
    /// <inheritdoc/>
    protected override Node? D(Graph g, Node x, Node y) => g.Make(Div, g.Constant(0.5), y);
    /// <inheritdoc/>
    public override (double Low, double High)[] TestDomain => new[] { (0.1, 4.0) };
}
