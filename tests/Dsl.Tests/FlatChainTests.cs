using KernelDsl.Dsl.Tests.Support;
using KernelDsl.Language;
using KernelDsl.Language.Interpretation;

namespace KernelDsl.Dsl.Tests;

/// <summary>
/// A flat chain (<c>p + p + ... + p</c>) nests nothing: it compiles at any length, through every stage (parser, binder,
/// DAG and simplifier, differentiator, planner, printer, interpreter), on a 1 MB stack; and its value and gradient are
/// the closed forms of the chain. The nesting limit counts real nesting only, exactly at <see cref="Language.Syntax.Parser.MaxDepth"/>.
/// </summary>
public sealed class FlatChainTests
{
    private const int Terms = 10_000;

    private static readonly double[] P = { 0.25, 1.5, 3.0, 0.75 };
    private static readonly double[] Q = { 2.0, 0.5, 1.25, 4.0 };

    private static string Chain(string first, string op, string term, int count) =>
        first + string.Concat(Enumerable.Repeat(op + term, count - 1));

    private static InterpreterResult CompileAndRun(string formula, params double[][] inputs)
    {
        var compiled = DiagnosticTests.RunWithStack(() => FormulaCompiler.Compile(formula));
        Assert.False(compiled.HasErrors, string.Join("\n", compiled.Diagnostics.Take(3)));
        Assert.Empty(compiled.Diagnostics);
        // The listing (the generated code's remarks use the same printer) is written without recursion too.
        Assert.NotEmpty(DiagnosticTests.RunWithStack(() => compiled.GradientPlan!.Describe()));
        var value = Interpreter.Run(compiled.ValuePlan!, inputs, Array.Empty<double>());
        var result = Interpreter.Run(compiled.GradientPlan!, inputs, Array.Empty<double>());
        Assert.Equal(value.Value, result.Value);
        return result;
    }

    [Fact]
    public void Sum_chain_of_10000_terms()
    {
        // sum over i of (p_i + ... + p_i), N terms: N * sum(p); d/dp_i = N.
        var r = CompileAndRun("(p) => " + Chain("p", " + ", "p", Terms), P);
        Assert.Equal(Terms * P.Sum(), r.Value, 1e-9 * Terms * P.Sum());
        Assert.All(r.InputGradients[0]!, g => Assert.Equal(Terms, g, 1e-9 * Terms));
    }

    [Fact]
    public void Difference_chain_of_10000_terms()
    {
        // p - q - ... - q with N - 1 q's: sum(p) - (N - 1) sum(q); d/dp = 1, d/dq = -(N - 1).
        var r = CompileAndRun("(p, q) => " + Chain("p", " - ", "q", Terms), P, Q);
        double expected = P.Sum() - (Terms - 1) * Q.Sum();
        Assert.Equal(expected, r.Value, 1e-9 * Math.Abs(expected));
        Assert.All(r.InputGradients[0]!, g => Assert.Equal(1.0, g, 1e-12));
        Assert.All(r.InputGradients[1]!, g => Assert.Equal(-(Terms - 1), g, 1e-9 * Terms));
    }

    [Fact]
    public void Product_chain_of_10000_terms()
    {
        // (p^0.0001)^N with N = 10,000 factors is p: the value is sum(p) and d/dp = 1 (up to N roundings).
        var r = CompileAndRun("(p) => " + Chain("p^0.0001", " * ", "p^0.0001", Terms), P);
        Assert.Equal(P.Sum(), r.Value, 1e-9);
        Assert.All(r.InputGradients[0]!, g => Assert.Equal(1.0, g, 1e-9));
    }

    [Fact]
    public void Quotient_chain_of_10000_terms()
    {
        // p / c / ... / c with N - 1 divisions: sum(p) / c^(N - 1); d/dp = 1 / c^(N - 1).
        var r = CompileAndRun("(p) => " + Chain("p", " / ", "1.0001", Terms), P);
        double c = Math.Pow(1.0001, Terms - 1);
        Assert.Equal(P.Sum() / c, r.Value, 1e-9);
        Assert.All(r.InputGradients[0]!, g => Assert.Equal(1 / c, g, 1e-9));
    }

    [Fact]
    public void Chain_inside_a_reduction_and_a_scalar_chain()
    {
        // sum(p * q * ... ) with a scalar chain beside it: log(sum(p + ... + p)) + (a chain of N sums of q).
        string formula = "(p, q) => log(sum(" + Chain("p", " + ", "p", Terms) + ")) + " + Chain("sum(q)", " - ", "sum(q)", Terms);
        var r = CompileAndRun(formula, P, Q);
        double expected = Math.Log(Terms * P.Sum()) - (Terms - 2) * Q.Sum();
        Assert.Equal(expected, r.Value, 1e-9 * Math.Abs(expected));
        Assert.All(r.InputGradients[0]!, g => Assert.Equal(1 / P.Sum(), g, 1e-9));
        Assert.All(r.InputGradients[1]!, g => Assert.Equal(-(Terms - 2), g, 1e-9 * Terms));
    }

    [Theory]
    [InlineData("(p + ", ")", 0)]      // the span is the '(' that opens level MaxDepth + 1
    [InlineData("exp(p * ", ")", 3)]   // a call's level opens at its '('
    [InlineData("-", "", 0)]
    [InlineData("+", "", 0)]
    public void Nesting_exactly_at_the_limit_compiles_and_one_more_is_refused(string open, string close, int offset)
    {
        int limit = Language.Syntax.Parser.MaxDepth;
        // Each level holds a flat chain too: chains add nothing to the depth.
        string prefix = "(p) => p + ";
        string Nest(int depth) => prefix + string.Concat(Enumerable.Repeat(open, depth)) + "p" + string.Concat(Enumerable.Repeat(close, depth));
        var atLimit = DiagnosticTests.RunWithStack(() => FormulaCompiler.Compile(Nest(limit)));
        Assert.False(atLimit.HasErrors, string.Join("\n", atLimit.Diagnostics));
        Assert.NotEmpty(DiagnosticTests.RunWithStack(() => atLimit.GradientPlan!.Describe()));

        var pastLimit = DiagnosticTests.RunWithStack(() => FormulaCompiler.Compile(Nest(limit + 1)));
        var d = Assert.Single(pastLimit.Diagnostics);
        Assert.Equal("KDSL0006", d.Id);
        Assert.Equal($"The formula nests deeper than {limit} levels", d.Message);
        Assert.Equal(prefix.Length + limit * open.Length + offset, d.Span.Start);
    }

    [Fact]
    public void Powers_nest_to_the_right_and_count()
    {
        int limit = Language.Syntax.Parser.MaxDepth;
        string Tower(int depth) => "(p) => " + string.Concat(Enumerable.Repeat("p^", depth)) + "1";
        Assert.False(DiagnosticTests.RunWithStack(() => FormulaCompiler.Compile(Tower(limit))).HasErrors);
        Assert.Equal("KDSL0006", Assert.Single(DiagnosticTests.RunWithStack(() => FormulaCompiler.Compile(Tower(limit + 1))).Diagnostics).Id);
    }
}
