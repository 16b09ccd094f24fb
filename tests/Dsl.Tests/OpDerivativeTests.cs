using KernelDsl.Dsl.Tests.Support;
using KernelDsl.Language.Calculus;
using KernelDsl.Language.Interpretation;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Ops;

namespace KernelDsl.Dsl.Tests;

/// <summary>
/// Every op's derivative rule, checked automatically (as KeOps does): at 200 points of its test domain (fixed seed), the
/// partial built by <see cref="Op.Derivative"/> and the gradient from <see cref="Differentiator"/> match a central
/// difference of <see cref="Op.Evaluate"/>. Points within a step of a kink (abs, sign, min, max, step, iseq) are skipped.
/// The reductions are checked on whole formulas through the interpreter.
/// </summary>
public sealed class OpDerivativeTests
{
    private const int Points = 200;
    private const double RelativeTolerance = 1e-6;

    public static TheoryData<string> PointwiseOps() => new(OpTable.Pointwise.Where(o => o != OpTable.PowInt).Select(o => o.Name));

    [Fact]
    public void Every_pointwise_op_has_a_test_domain_per_argument()
    {
        foreach (var op in OpTable.Pointwise)
        {
            Assert.True(op.TestDomain.Length >= op.UserArity, op.Name);
            foreach (var (low, high) in op.TestDomain) Assert.True(low < high, op.Name);
        }
    }

    [Theory]
    [MemberData(nameof(PointwiseOps))]
    public void Derivative_matches_central_difference(string name) =>
        CheckOp(OpTable.Pointwise.Single(o => o.Name == name), 0);

    [Theory]
    [InlineData(-3)]
    [InlineData(-2)]
    [InlineData(-1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(7)]
    public void Integer_power_derivative_matches_central_difference(int exponent) => CheckOp(OpTable.PowInt, exponent);

    private static void CheckOp(Op op, int exponent)
    {
        // A formula passes UserArity arguments; Build adds the IR-only ones (the unguarded form of xlogy, rel_entr), whose
        // partials are structurally null: their value is a function of the others.
        var names = Enumerable.Range(0, op.UserArity).Select(i => "x" + i).ToArray();
        var g = new Graph(Array.Empty<string>(), names);
        var leaves = Enumerable.Range(0, op.UserArity).Select(g.Parameter).ToArray();
        var node = op == OpTable.PowInt ? g.Make(op, exponent, leaves) : op.Build(g, leaves);
        Assert.Same(op, node.Op); // not simplified away
        for (int k = op.UserArity; k < op.Arity; k++) Assert.Null(op.Derivative(g, node, k));
        var partials = Enumerable.Range(0, op.UserArity).Select(k => op.Derivative(g, node, k)).ToArray();
        var gradient = Differentiator.Differentiate(g, node);
        if (op.IsPiecewiseConstant)
        {
            Assert.All(partials, p => Assert.Null(p));
            Assert.All(gradient.Parameters, p => Assert.Null(p));
        }
        else Assert.All(partials, p => Assert.NotNull(p));

        var rng = new Random(20261125 + op.Name.Length * 31 + exponent);
        var m = new Numerics.Mismatches();
        int checkedPoints = 0;
        for (int point = 0; point < Points; point++)
        {
            var x = new double[op.UserArity];
            for (int k = 0; k < x.Length; k++)
            {
                var (low, high) = op.TestDomain[k];
                do x[k] = low + (high - low) * rng.NextDouble();
                while (op == OpTable.PowInt && exponent < 0 && Math.Abs(x[k]) < 0.2); // x^k with k < 0 is singular at 0
            }
            var h = x.Select(v => 1e-5 * Math.Max(1, Math.Abs(v))).ToArray();
            if (NearKink(op, x, h)) continue;
            checkedPoints++;
            double f = op.Evaluate(node, x);
            for (int k = 0; k < x.Length; k++)
            {
                var up = (double[])x.Clone();
                var down = (double[])x.Clone();
                up[k] += h[k];
                down[k] -= h[k];
                double fd = (op.Evaluate(node, up) - op.Evaluate(node, down)) / (up[k] - down[k]);
                string at = $"{op.Name}{(op == OpTable.PowInt ? exponent.ToString() : "")} d/dx{k} at ({string.Join(", ", x.Select(Numerics.Format))})";
                if (op.IsPiecewiseConstant)
                {
                    if (fd != 0) m.Fail($"{at}: central difference {fd} for a piecewise-constant op");
                    else m.Check(at, 0, 0, 0, 0);
                    continue;
                }
                double d = ScalarGraph.Evaluate(g, partials[k]!, x);
                double tolerance = RelativeTolerance * Math.Abs(d) + 1e-9 * Math.Max(1, Math.Abs(f));
                m.Check(at + " (partial)", d, fd, 0, tolerance);
                m.Check(at + " (differentiator)", ScalarGraph.Evaluate(g, gradient.Parameters[k]!, x), d, 1e-15, 0);
            }
        }
        Assert.True(checkedPoints > Points / 2, $"{op.Name}: only {checkedPoints} points away from kinks");
        m.AssertNone(op.Name);
    }

    private static bool NearKink(Op op, double[] x, double[] h)
    {
        if (op == OpTable.Abs || op == OpTable.Sign) return Math.Abs(x[0]) <= 2 * h[0];
        if (op == OpTable.Min || op == OpTable.Max || op == OpTable.Step || op == OpTable.IsEqual)
            return Math.Abs(x[0] - x[1]) <= 2 * (h[0] + h[1]);
        return false;
    }

    /// <summary>
    /// selectpos(x, v) (internal, outside <see cref="OpTable.Pointwise"/>: x only selects): v where x &gt; 0 and 0 elsewhere,
    /// NaN x included; d/dv is 1 where x &gt; 0 and 0 elsewhere, and x gets no partial. The value is checked bit for bit
    /// against the form it replaced, selecteq(sign(x), 1, v), over the special values of both arguments; d/dv against the
    /// closed form and a central difference in v.
    /// </summary>
    [Fact]
    public void Selectpos_selects_on_positive_x_and_passes_the_v_derivative_there()
    {
        var g = new Graph(Array.Empty<string>(), new[] { "x", "v" });
        var node = g.Make(OpTable.SelectPositive, g.Parameter(0), g.Parameter(1));
        Assert.Null(OpTable.SelectPositive.Derivative(g, node, 0));
        var dv = OpTable.SelectPositive.Derivative(g, node, 1)!;
        var sign = g.Make(OpTable.Sign, g.Parameter(0));
        var eq = g.Make(OpTable.SelectEq, sign, g.Constant(1), g.Parameter(1));
        double[] xs = { double.NegativeInfinity, -2, -1, -double.Epsilon, -0.0, 0.0, double.Epsilon, 0.5, 1, double.PositiveInfinity, double.NaN };
        foreach (double x in xs)
        {
            foreach (double v in new[] { double.NegativeInfinity, -1.5, -1, -double.Epsilon, -0.0, 0.0, double.Epsilon, 1, 3.25, double.PositiveInfinity, double.NaN })
            {
                // The form selectpos replaced, selecteq(sign(x), 1, v), bit for bit (sign of zero included).
                double replaced = OpTable.SelectEq.Evaluate(eq, new[] { OpTable.Sign.Evaluate(sign, new[] { x }), 1.0, v });
                Assert.Equal(BitConverter.DoubleToInt64Bits(replaced), BitConverter.DoubleToInt64Bits(OpTable.SelectPositive.Evaluate(node, new[] { x, v })));
                double d = ScalarGraph.Evaluate(g, dv, new[] { x, v });
                Assert.Equal(x > 0 ? 1.0 : 0.0, d);
                if (!double.IsFinite(v)) continue; // a central difference needs a finite v
                double h = 1e-5;
                double fd = (OpTable.SelectPositive.Evaluate(node, new[] { x, v + h }) - OpTable.SelectPositive.Evaluate(node, new[] { x, v - h })) / (2 * h);
                Assert.Equal(fd, d, 1e-9);
            }
        }
    }

    [Theory]
    [InlineData("(x) => sum(x)")]
    [InlineData("(x) => mean(x * x)")]
    [InlineData("(x) => max(x)")]
    [InlineData("(x) => min(x)")]
    [InlineData("(x) => logsumexp(x)")]
    [InlineData("(x; a) => logsumexp(a * x) - max(a * x)")]
    [InlineData("(x, y; a) => max(x * y) * min(x + a) + logsumexp(y / a)")]
    [InlineData("(x, y) => sum(softmax(x) * log_softmax(y))")]
    [InlineData("(x) => log(sum(exp(x)))")]
    [InlineData("(x) => mean(log_softmax(x))")]                                    // a broadcast scalar in a pointwise sum
    [InlineData("(x, y; a) => -(1 - a) * sum(y * log_softmax(x)) - a * mean(log_softmax(x))")] // label smoothing
    [InlineData("(x; a) => sum(x - a) + mean(-(a + x))")]
    public void Reduction_gradients_match_central_differences(string formula)
    {
        var compiled = Numerics.CompileOk(formula);
        var rng = new Random(7);
        var m = new Numerics.Mismatches();
        for (int trial = 0; trial < 40; trial++)
        {
            int n = 1 + trial % 8;
            var inputs = compiled.InputNames.Select(_ => Enumerable.Range(0, n).Select(_ => -2 + 4 * rng.NextDouble()).ToArray()).ToArray();
            var parameters = compiled.ParameterNames.Select(_ => 0.5 + rng.NextDouble()).ToArray();
            var result = Interpreter.Run(compiled.GradientPlan!, inputs, parameters);
            double Value() => Interpreter.Run(compiled.ValuePlan!, inputs, parameters).Value;
            for (int i = 0; i < inputs.Length; i++)
                for (int k = 0; k < n; k++)
                    m.Check($"trial {trial} d{compiled.InputNames[i]}[{k}]", result.InputGradients[i]![k], CentralDifference(inputs[i], k, Value), 0, Tolerance(result.InputGradients[i]![k]));
            for (int j = 0; j < parameters.Length; j++)
                m.Check($"trial {trial} d{compiled.ParameterNames[j]}", result.ParameterGradients[j], CentralDifference(parameters, j, Value), 0, Tolerance(result.ParameterGradients[j]));
        }
        m.AssertNone(formula);
    }

    private static double Tolerance(double derivative) => RelativeTolerance * Math.Max(1, Math.Abs(derivative));

    private static double CentralDifference(double[] x, int k, Func<double> f)
    {
        double saved = x[k], h = 1e-6 * Math.Max(1, Math.Abs(saved));
        x[k] = saved + h;
        double up = f();
        x[k] = saved - h;
        double down = f();
        x[k] = saved;
        return (up - down) / (2 * h);
    }

    [Theory]
    [InlineData("(x) => max(x)", new[] { 1.0, 3.0, 3.0, 2.0 }, new[] { 0.0, 0.5, 0.5, 0.0 })]
    [InlineData("(x) => min(x)", new[] { 1.0, 3.0, 1.0, 2.0 }, new[] { 0.5, 0.0, 0.5, 0.0 })]
    [InlineData("(x) => max(x)", new[] { 2.0, 2.0, 2.0 }, new[] { 1 / 3.0, 1 / 3.0, 1 / 3.0 })]
    [InlineData("(x) => max(x, 1)", new[] { 1.0, 3.0, 0.0 }, new[] { 0.5, 1.0, 0.0 })]
    [InlineData("(x) => min(x, 1)", new[] { 1.0, 3.0, 0.0 }, new[] { 0.5, 0.0, 1.0 })]
    public void Ties_split_the_gradient_evenly(string formula, double[] x, double[] expected)
    {
        var result = Interpreter.Run(Numerics.CompileOk(formula).GradientPlan!, new[] { x }, Array.Empty<double>());
        Assert.Equal(expected, result.InputGradients[0]!, (a, b) => Math.Abs(a - b) < 1e-15);
    }

    [Fact]
    public void Two_way_tie_equals_the_central_difference()
    {
        // At a two-way tie, max has one-sided slopes 1 and 0 in each tied coordinate: the central difference is exactly 1/2.
        var compiled = Numerics.CompileOk("(x) => max(x)");
        var x = new[] { 1.0, 3.0, 3.0, 2.0 };
        var result = Interpreter.Run(compiled.GradientPlan!, new[] { x }, Array.Empty<double>());
        for (int k = 0; k < x.Length; k++)
        {
            double fd = CentralDifference(x, k, () => Interpreter.Run(compiled.ValuePlan!, new[] { x }, Array.Empty<double>()).Value);
            Assert.Equal(fd, result.InputGradients[0]![k], 1e-9);
        }
    }
}
