using KernelDsl.Dsl.Tests.Support;
using KernelDsl.Language.Interpretation;

namespace KernelDsl.Dsl.Tests;

/// <summary>The double-precision oracle: empty support, special values, compensated sums, argument checks.</summary>
public sealed class InterpreterTests
{
    private static InterpreterResult Run(string formula, double[][] inputs, params double[] parameters) =>
        Interpreter.Run(Numerics.CompileOk(formula).GradientPlan!, inputs, parameters);

    private static readonly double[][] Empty = { Array.Empty<double>() };

    [Theory]
    [InlineData("(x) => sum(x)", 0.0)]
    [InlineData("(x) => x", 0.0)]
    [InlineData("(x) => mean(x)", double.NaN)]
    [InlineData("(x) => max(x)", double.NegativeInfinity)]
    [InlineData("(x) => min(x)", double.PositiveInfinity)]
    [InlineData("(x) => logsumexp(x)", double.NegativeInfinity)]
    public void Empty_support(string formula, double expected)
    {
        var compiled = Numerics.CompileOk(formula);
        Assert.Equal(expected, Interpreter.Run(compiled.ValuePlan!, Empty, Array.Empty<double>()).Value);
        var r = Interpreter.Run(compiled.GradientPlan!, Empty, Array.Empty<double>());
        Assert.Equal(expected, r.Value);
        Assert.Empty(r.InputGradients[0]!);
    }

    [Fact]
    public void Empty_support_with_a_parameter_gradient()
    {
        var r = Run("(x; a) => a * sum(x) + a^2", Empty, 3.0);
        Assert.Equal(9.0, r.Value);
        Assert.Equal(6.0, r.ParameterGradients[0]);
    }

    [Theory]
    [InlineData("(x) => sum(x)", new[] { 1.0, double.NaN }, double.NaN)]
    [InlineData("(x) => max(x)", new[] { 1.0, double.NaN, 3.0 }, double.NaN)]
    [InlineData("(x) => min(x)", new[] { double.NaN, 1.0 }, double.NaN)]
    [InlineData("(x) => logsumexp(x)", new[] { 1.0, double.NaN }, double.NaN)]
    [InlineData("(x) => sum(x)", new[] { double.PositiveInfinity, 1.0 }, double.PositiveInfinity)]
    [InlineData("(x) => sum(x)", new[] { double.PositiveInfinity, double.NegativeInfinity }, double.NaN)]
    [InlineData("(x) => logsumexp(x)", new[] { 1.0, double.PositiveInfinity, 2.0 }, double.PositiveInfinity)]
    [InlineData("(x) => logsumexp(x)", new[] { double.NegativeInfinity, double.NegativeInfinity }, double.NegativeInfinity)]
    [InlineData("(x) => logsumexp(x)", new[] { double.NegativeInfinity, 0.0 }, 0.0)]
    [InlineData("(x) => logsumexp(x)", new[] { 1000.0, 1000.0 }, 1000.6931471805599)]
    [InlineData("(x) => max(x)", new[] { double.NegativeInfinity, -1.0 }, -1.0)]
    [InlineData("(x) => sum(x)", new[] { 1e16, 1.0, -1e16 }, 1.0)] // compensated: a naive sum gives 0
    [InlineData("(x) => sum(x)", new[] { 1.0, 1e100, 1.0, -1e100 }, 2.0)]
    public void Reductions_of_special_values(string formula, double[] x, double expected) =>
        Assert.Equal(expected, Run(formula, new[] { x }).Value, 1e-13);

    /// <summary>
    /// Products of powers (planned as powmul) against the direct oracle, which evaluates the syntax as written: values and
    /// every gradient, at points that include a unit base and bases on both sides of 1, for exponents of both signs.
    /// </summary>
    [Theory]
    [InlineData("(p, q; a, b) => sum(p^a * q^b)", 0.5, -1.5)]
    [InlineData("(p, q; a, b) => sum(q^b * p^a)", 2.0, 0.25)]
    [InlineData("(p, q; a, b) => log(sum(p^a * q^(1 - a))) / (a - 1) + sum(p^b * q^a)", 0.7, 1.3)]
    [InlineData("(p, q; a, b) => sum(p^a * p^b + q^a * p^b)", -0.4, 3.5)]
    public void Products_of_powers_match_the_direct_evaluator(string formula, double a, double b)
    {
        var p = new[] { 0.2, 1.0, 3.0, 0.05 };
        var q = new[] { 0.4, 0.8, 1.0, 7.0 };
        var got = Run(formula, new[] { p, q }, a, b);
        var want = DirectEvaluator.Evaluate(formula, new[] { p, q }, new[] { a, b });
        Assert.Equal(want.Value, got.Value, Math.Abs(want.Value) * 1e-13);
        for (int k = 0; k < 2; k++)
            for (int i = 0; i < p.Length; i++)
                Assert.Equal(want.InputGradients[k][i], got.InputGradients[k]![i], Math.Abs(want.InputGradients[k][i]) * 1e-12 + 1e-15);
        for (int j = 0; j < 2; j++)
            Assert.Equal(want.ParameterGradients[j], got.ParameterGradients[j], Math.Abs(want.ParameterGradients[j]) * 1e-12 + 1e-15);
    }

    [Fact]
    public void Parameter_gradients_are_nan_in_a_value_plan_and_zero_when_unused()
    {
        var compiled = Numerics.CompileOk("(p; a, b) => a * sum(p)");
        var inputs = new[] { new[] { 1.0, 2.0 } };
        Assert.True(double.IsNaN(Interpreter.Run(compiled.ValuePlan!, inputs, new[] { 2.0, 5.0 }).ParameterGradients[0]));
        var r = Interpreter.Run(compiled.GradientPlan!, inputs, new[] { 2.0, 5.0 });
        Assert.Equal(new[] { 3.0, 0.0 }, r.ParameterGradients);
        Assert.Null(Interpreter.Run(compiled.ValuePlan!, inputs, new[] { 2.0, 5.0 }).InputGradients[0]);
    }

    /// <summary>A scalar broadcast over the support collects its adjoint from every element, even a constant one.</summary>
    [Theory]
    [InlineData("(p; a) => sum(p - a)", -3.0)]
    [InlineData("(p; a) => sum(p + a) * 2", 6.0)]
    [InlineData("(p; a) => -sum(-a - p)", 3.0)]
    [InlineData("(p; a) => mean(p - a)", -1.0)]
    public void A_broadcast_parameter_gradient_is_summed_over_the_support(string formula, double expected)
    {
        var r = Run(formula, new[] { new[] { 1.0, 2.0, 3.0 } }, 0.5);
        Assert.Equal(expected, r.ParameterGradients[0], 1e-15);
    }

    [Fact]
    public void Mismatched_arguments_throw()
    {
        var plan = Numerics.CompileOk("(p, q; a) => a * sum(p * q)").ValuePlan!;
        Assert.Throws<ArgumentException>(() => Interpreter.Run(plan, new[] { new[] { 1.0 } }, new[] { 1.0 }));
        Assert.Throws<ArgumentException>(() => Interpreter.Run(plan, new[] { new[] { 1.0 }, new[] { 1.0, 2.0 } }, new[] { 1.0 }));
        Assert.Throws<ArgumentException>(() => Interpreter.Run(plan, new[] { new[] { 1.0 }, new[] { 1.0 } }, Array.Empty<double>()));
    }

    [Fact]
    public void Xlogy_conventions_in_values()
    {
        // scipy: xlogy(0, y) = 0 for any y that is not NaN, including 0 and negative y; NaN propagates.
        Assert.Equal(0.0, Run("(x, y) => xlogy(x, y)", new[] { new[] { 0.0, 0.0, 0.0 }, new[] { 0.0, -1.0, double.PositiveInfinity } }).Value);
        Assert.True(double.IsNaN(Run("(x, y) => xlogy(x, y)", new[] { new[] { 0.0 }, new[] { double.NaN } }).Value));
        Assert.Equal(0.0, Run("(p, q) => xlogy(p, p / q)", new[] { new[] { 0.0, 1.0 }, new[] { 0.5, 1.0 } }).Value);
    }

    /// <summary>
    /// xlogy(x, y) is 0 for every y where x = 0, so its derivative in y is 0 there; the op table's rule x / y gives 0/0 =
    /// NaN where x = y = 0, which reaches KL's dq (and JS's dp, dq) wherever p has a zero: (p / (p / q)) · d(p / q)/dq.
    /// </summary>
    [Fact]
    public void Kl_gradient_is_finite_where_p_is_zero()
    {
        var r = Run("(p, q) => xlogy(p, p / q)", new[] { new[] { 0.0, 1.0 }, new[] { 0.5, 0.5 } });
        Assert.Equal(0.0, r.InputGradients[1]![0]);  // dq = -p / q = 0
        Assert.Equal(-2.0, r.InputGradients[1]![1]);
    }
}
