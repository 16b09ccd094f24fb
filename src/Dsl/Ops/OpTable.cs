using System.Collections.Generic;
using KernelDsl.Language.Ir;

namespace KernelDsl.Language.Ops;

/// <summary>
/// The op table: every operation of the IR, and the functions a formula may call. Adding a function is one op class and
/// one line in <see cref="Functions"/>; no emitter or differentiator changes.
/// </summary>
internal static class OpTable
{
    /// <summary>A literal.</summary>
    public static readonly Op Constant = new LeafOp("const");
    /// <summary>A vector input.</summary>
    public static readonly Op Input = new LeafOp("input");
    /// <summary>A scalar parameter.</summary>
    public static readonly Op Parameter = new LeafOp("param");
    /// <summary>A row-level input (scalar).</summary>
    public static readonly Op RowInput = new LeafOp("row");
    /// <summary>The element index (vector): 0, 1, ..., n - 1.</summary>
    public static readonly Op ElementIndex = new LeafOp("index");
    /// <summary>The support length n.</summary>
    public static readonly Op Length = new LeafOp("n");

    /// <summary>a + b</summary>
    public static readonly Op Add = new AddOp();
    /// <summary>a - b</summary>
    public static readonly Op Sub = new SubOp();
    /// <summary>a * b</summary>
    public static readonly Op Mul = new MulOp();
    /// <summary>a / b</summary>
    public static readonly Op Div = new DivOp();
    /// <summary>-x</summary>
    public static readonly Op Neg = new NegOp();
    /// <summary>pow(a, b)</summary>
    public static readonly Op Pow = new PowOp();
    /// <summary>powmul(x, a, y, b) = x^a · y^b, internal: the simplifier's form of a product of two pows</summary>
    public static readonly Op PowMul = new PowMulOp();
    /// <summary>x^k, k an integer literal</summary>
    public static readonly Op PowInt = new PowIntOp();
    /// <summary>sqrt</summary>
    public static readonly Op Sqrt = new SqrtOp();
    /// <summary>log</summary>
    public static readonly Op Log = new LogOp();
    /// <summary>exp</summary>
    public static readonly Op Exp = new ExpOp();
    /// <summary>log1p</summary>
    public static readonly Op Log1p = new Log1pOp();
    /// <summary>expm1</summary>
    public static readonly Op Expm1 = new Expm1Op();
    /// <summary>xlogy</summary>
    public static readonly Op Xlogy = new XlogyOp();
    /// <summary>xlog1py</summary>
    public static readonly Op Xlog1py = new Xlog1pyOp();
    /// <summary>xdivy, internal</summary>
    public static readonly Op Xdivy = new XdivyOp();
    /// <summary>rel_entr</summary>
    public static readonly Op RelEntr = new RelEntrOp();
    /// <summary>softplus</summary>
    public static readonly Op Softplus = new SoftplusOp();
    /// <summary>sigmoid</summary>
    public static readonly Op Sigmoid = new SigmoidOp();
    /// <summary>logsigmoid</summary>
    public static readonly Op LogSigmoid = new LogSigmoidOp();
    /// <summary>tanh</summary>
    public static readonly Op Tanh = new TanhOp();
    /// <summary>cosh</summary>
    public static readonly Op Cosh = new CoshOp();
    /// <summary>sinh</summary>
    public static readonly Op Sinh = new SinhOp();
    /// <summary>abs</summary>
    public static readonly Op Abs = new AbsOp();
    /// <summary>sign</summary>
    public static readonly Op Sign = new SignOp();
    /// <summary>min(a, b)</summary>
    public static readonly Op Min = new MinOp();
    /// <summary>max(a, b)</summary>
    public static readonly Op Max = new MaxOp();
    /// <summary>step(a, b), internal</summary>
    public static readonly Op Step = new StepOp();
    /// <summary>selecteq(a, b, v), internal: the gather behind s[y]</summary>
    public static readonly Op SelectEq = new SelectEqOp();
    /// <summary>selectpos(x, v), internal: v where x &gt; 0, else 0</summary>
    public static readonly Op SelectPositive = new SelectPositiveOp();
    /// <summary>iseq(a, b), internal</summary>
    public static readonly Op IsEqual = new IsEqualOp();
    /// <summary>distsqrt(s), internal: the root of dist(u, v), with derivative 0 at s = 0</summary>
    public static readonly Op DistSqrt = new DistSqrtOp();
    /// <summary>The number of points of a cloud (a sample formula's leaf; payload: the cloud).</summary>
    public static readonly Op Count = new CountOp();

    /// <summary>sum over the support</summary>
    public static readonly Op Sum = new SumOp();
    /// <summary>max over the support</summary>
    public static readonly Op MaxReduce = new MaxReduceOp();
    /// <summary>min over the support</summary>
    public static readonly Op MinReduce = new MinReduceOp();
    /// <summary>logsumexp over the support</summary>
    public static readonly Op LogSumExp = new LogSumExpOp();

    /// <summary>Every pointwise op of continuous arguments, for the automatic derivative tests (selecteq, whose selecting
    /// arguments are integers, is tested through the gathers that use it).</summary>
    public static IReadOnlyList<Op> Pointwise { get; } = new[]
    {
        Add, Sub, Mul, Div, Neg, Pow, PowMul, PowInt, Sqrt, Log, Exp, Log1p, Expm1, Xlogy, Xlog1py, Xdivy, RelEntr,
        Softplus, Sigmoid, LogSigmoid, Tanh, Cosh, Sinh, Abs, Sign, Min, Max, Step, IsEqual, DistSqrt,
    };

    /// <summary>
    /// The pointwise functions a formula may call by name, with their arity. <c>sq(x)</c> is <c>x^2</c>; <c>pow(a, b)</c>
    /// with an integer literal b is exact like <c>a^b</c>. Reductions (sum, mean, max, min, logsumexp) and normalizers
    /// (softmax, log_softmax) are bound separately, because max and min are reductions with one argument and pointwise with two.
    /// </summary>
    public static IReadOnlyDictionary<string, Op> Functions { get; } = new Dictionary<string, Op>
    {
        ["log"] = Log, ["exp"] = Exp, ["log1p"] = Log1p, ["expm1"] = Expm1, ["sqrt"] = Sqrt, ["abs"] = Abs,
        ["sign"] = Sign, ["pow"] = Pow, ["xlogy"] = Xlogy, ["xlog1py"] = Xlog1py, ["rel_entr"] = RelEntr, ["softplus"] = Softplus,
        ["sigmoid"] = Sigmoid, ["logsigmoid"] = LogSigmoid, ["tanh"] = Tanh, ["cosh"] = Cosh, ["sinh"] = Sinh,
    };

    /// <summary>Names of reductions and normalizers, and the other built-in names (for the name checks in the binder).</summary>
    public static IReadOnlyList<string> SpecialFunctions { get; } = new[]
    {
        "sum", "mean", "max", "min", "logsumexp", "softmax", "log_softmax", "sq",
        // Sample formulas: pair functions over the feature axis, per-point reductions over j, the U-statistic mean.
        "sqdist", "dist", "dot", "sum_k", "sum_j", "mean_j", "logsumexp_j", "umean",
        // Entropic optimal transport between two clouds: a whole formula.
        "sinkhorn", "sinkhorn_divergence",
    };

    /// <summary>True when <paramref name="name"/> is a function of the language.</summary>
    public static bool IsFunctionName(string name)
    {
        if (Functions.ContainsKey(name)) return true;
        foreach (var s in SpecialFunctions)
            if (s == name) return true;
        return false;
    }
}
