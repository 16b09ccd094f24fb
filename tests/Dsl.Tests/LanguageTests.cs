using KernelDsl.Dsl.Tests.Support;
using KernelDsl.Language;

namespace KernelDsl.Dsl.Tests;

/// <summary>What formulas mean: integer powers, precedence and associativity, number literals, header forms.</summary>
public sealed class LanguageTests
{
    private static double One(string formula, double x) => Numerics.Value(formula, new[] { new[] { x } });

    private static double Three(string formula, double a, double b, double c) =>
        Numerics.Value(formula, new[] { new[] { a }, new[] { b }, new[] { c } });

    [Theory]
    [InlineData("(x) => x^3", -2.0, -8.0)]
    [InlineData("(x) => x^2", -3.0, 9.0)]
    [InlineData("(x) => x^-1", -2.0, -0.5)]
    [InlineData("(x) => x^-2", -2.0, 0.25)]
    [InlineData("(x) => x^-3", -0.5, -8.0)]
    [InlineData("(x) => pow(x, 3)", -2.0, -8.0)]
    [InlineData("(x) => sq(x)", -3.0, 9.0)]
    [InlineData("(x) => x^0", 0.0, 1.0)]
    [InlineData("(x) => x^1", -7.0, -7.0)]
    [InlineData("(x) => x^(1 + 2)", -2.0, -8.0)] // a folded constant exponent is an integer too
    [InlineData("(x) => x^64", -1.0, 1.0)]
    [InlineData("(x) => x^63", -1.0, -1.0)]
    public void Integer_exponents_are_exact_for_negative_bases(string formula, double x, double expected) =>
        Assert.Equal(expected, One(formula, x));

    [Theory]
    [InlineData("(x) => x^3")]
    [InlineData("(x) => x^-1")]
    [InlineData("(x) => pow(x, 2)")]
    public void Integer_exponents_become_powi(string formula)
    {
        var plan = Numerics.CompileOk(formula).ValuePlan!.Describe();
        Assert.DoesNotContain("pow(", plan);
        Assert.Contains("x^", plan);
    }

    [Fact]
    public void Non_integer_exponent_of_a_negative_base_is_nan() => Assert.True(double.IsNaN(One("(x) => x^0.5", -4)));

    [Fact]
    public void Exponent_65_is_pow_not_powi() =>
        Assert.Contains("pow(x, 65)", Numerics.CompileOk("(x) => x^65").ValuePlan!.Describe());

    [Theory]
    [InlineData("(x) => -x^2", 3.0, -9.0)]          // -(x^2), not (-x)^2
    [InlineData("(x) => 2^3^2 * x", 1.0, 512.0)]    // 2^(3^2), right-associative
    [InlineData("(x) => x^-1^2", 2.0, 0.5)]         // x^(-(1^2)) = x^-1
    [InlineData("(x) => -2^2 + 0 * x", 1.0, -4.0)]
    [InlineData("(x) => 2 * -x", 3.0, -6.0)]
    [InlineData("(x) => 1 + 2 * x", 3.0, 7.0)]
    [InlineData("(x) => (1 + 2) * x", 3.0, 9.0)]
    [InlineData("(x) => 2 * x^2", 3.0, 18.0)]
    [InlineData("(x) => +x", 3.0, 3.0)]
    [InlineData("(x) => --x", 3.0, 3.0)]
    [InlineData("(x) => 12 / 3 / 2 + 0 * x", 1.0, 2.0)]
    public void Precedence_and_associativity(string formula, double x, double expected) => Assert.Equal(expected, One(formula, x));

    [Theory]
    [InlineData("(a, b, c) => a - b - c", 10, 3, 2, 5)]   // (a - b) - c
    [InlineData("(a, b, c) => a / b / c", 12, 3, 2, 2)]   // (a / b) / c
    [InlineData("(a, b, c) => a - (b - c)", 10, 3, 2, 9)]
    [InlineData("(a, b, c) => a / (b / c)", 12, 3, 2, 8)]
    [InlineData("(a, b, c) => a + b * c", 1, 2, 3, 7)]
    [InlineData("(a, b, c) => a * b + c", 1, 2, 3, 5)]
    [InlineData("(a, b, c) => a^b^c", 2, 3, 2, 512)]
    [InlineData("(a, b, c) => (a^b)^c", 2, 3, 2, 64)]
    [InlineData("(a, b, c) => -a^b * c", 2, 2, 3, -12)]
    public void Binary_operators_associate_left_except_power(string formula, double a, double b, double c, double expected) =>
        Assert.Equal(expected, Three(formula, a, b, c));

    [Theory]
    [InlineData("1e-3", 1e-3)]
    [InlineData(".5", 0.5)]
    [InlineData("2.", 2.0)]
    [InlineData("2.50", 2.5)]
    [InlineData("1E3", 1000.0)]
    [InlineData("1e+2", 100.0)]
    [InlineData("0.1", 0.1)]
    [InlineData("007", 7.0)]
    [InlineData("1e-400", 0.0)] // underflows to 0; only an infinite literal is an error
    public void Number_literals(string literal, double expected) =>
        Assert.Equal(expected, One($"(x) => {literal} * x", 1.0));

    [Theory]
    [InlineData("(p) => p", 1, 0)]
    [InlineData("(p, q; a, b) => a * p + b * q", 2, 2)]
    [InlineData("(p;) => p", 1, 0)]
    [InlineData("  ( p ,q ;a )=>p*q*a  ", 2, 1)]
    [InlineData("(p_1, Q2) => p_1 * Q2", 2, 0)]
    public void Header_forms(string formula, int inputs, int parameters)
    {
        var compiled = Numerics.CompileOk(formula);
        Assert.Empty(compiled.Diagnostics);
        Assert.Equal(inputs, compiled.InputNames.Count);
        Assert.Equal(parameters, compiled.ParameterNames.Count);
    }

    [Fact]
    public void A_pointwise_body_is_summed_and_mean_divides_by_n()
    {
        var x = new[] { new[] { 1.0, 2.0, 4.0 } };
        Assert.Equal(7.0, Numerics.Value("(x) => x", x));
        Assert.Equal(7.0, Numerics.Value("(x) => sum(x)", x));
        Assert.Equal(7.0 / 3, Numerics.Value("(x) => mean(x)", x));
        Assert.Equal(4.0, Numerics.Value("(x) => max(x)", x));
        Assert.Equal(1.0, Numerics.Value("(x) => min(x)", x));
        double lse = Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(4));
        Assert.Equal(lse, Numerics.Value("(x) => logsumexp(x)", x), 1e-15 * lse);
        Assert.Equal(1.0, Numerics.Value("(x) => sum(softmax(x))", x));
        Assert.Equal(7.0 - 3 * lse, Numerics.Value("(x) => log_softmax(x)", x), 1e-14);
        Assert.Equal(1 - lse, Numerics.Value("(x) => min(log_softmax(x))", x), 1e-15);
    }

    [Theory]
    [InlineData("(x) => x^0")]
    [InlineData("(x) => sum(x^0)")]
    [InlineData("(x) => sum(pow(x, 0))")]
    [InlineData("(x) => mean(x^0) * 4")]
    public void A_vector_to_the_power_zero_is_a_vector_of_ones(string formula)
    {
        var compiled = Numerics.CompileOk(formula);
        var r = Interpreter(compiled, new[] { new[] { 0.0, double.NaN, -2.0, 5.0 } });
        Assert.Equal(4.0, r.Value);
        Assert.Equal(new[] { 0.0, 0.0, 0.0, 0.0 }, r.InputGradients[0]);
    }

    [Theory]
    [InlineData("(t, s) => softmax(t) * (log_softmax(t) - log_softmax(s))")]
    [InlineData("(t, s) => log_softmax(t) + softmax(s)")]
    public void A_pointwise_body_with_normalizers_is_summed(string formula) =>
        Assert.Equal(Numerics.Value($"(t, s) => sum({formula.Substring(10)})", new[] { new[] { 1.0, 2.0 }, new[] { 0.5, -1.0 } }),
            Numerics.Value(formula, new[] { new[] { 1.0, 2.0 }, new[] { 0.5, -1.0 } }));

    [Fact]
    public void Warnings_leave_plans()
    {
        var compiled = FormulaCompiler.Compile("(p, q) => p");
        Assert.False(compiled.HasErrors);
        Assert.Equal("KDSL0109", Assert.Single(compiled.Diagnostics).Id);
        Assert.NotNull(compiled.GradientPlan);
        // The unused input's gradient is zero, filled by the plan.
        var r = Interpreter(compiled, new[] { new[] { 1.0, 2.0 }, new[] { 3.0, 4.0 } });
        Assert.Equal(new[] { 1.0, 1.0 }, r.InputGradients[0]);
        Assert.Equal(new[] { 0.0, 0.0 }, r.InputGradients[1]);
    }

    private static KernelDsl.Language.Interpretation.InterpreterResult Interpreter(CompiledFormula c, double[][] inputs) =>
        KernelDsl.Language.Interpretation.Interpreter.Run(c.GradientPlan!, inputs, Array.Empty<double>());

    [Fact]
    public void Null_text_compiles_to_a_diagnostic() =>
        Assert.Equal("KDSL0004", Assert.Single(FormulaCompiler.Compile(null).Diagnostics).Id);
}
