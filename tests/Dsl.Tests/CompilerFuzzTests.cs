using System.Diagnostics;
using System.Text;
using CsCheck;
using KernelDsl.Dsl.Tests.Support;
using KernelDsl.Language;
using KernelDsl.Language.Interpretation;
using Xunit.Abstractions;

namespace KernelDsl.Dsl.Tests;

/// <summary>
/// FormulaCompiler.Compile never throws, whatever the string: random token soups, mutations of valid formulas (deleted,
/// inserted, swapped and replaced characters and tokens), deep nesting and long chains, and arbitrary UTF-16 (lone
/// surrogates included). Every diagnostic has a span inside the text; a formula without errors has plans that print and
/// run. The strings are compiled on a thread with a 1 MB stack, as a compiler host may give an analyzer.
/// KDSL_FUZZ_COUNT sets the number of strings (default 5,000).
/// </summary>
public sealed class CompilerFuzzTests
{
    private readonly ITestOutputHelper _output;

    public CompilerFuzzTests(ITestOutputHelper output) => _output = output;

    private static readonly string[] Corpus =
    {
        "(p, q) => xlogy(p, p / q)",
        "(p, q; a) => log(sum(p^a * q^(1 - a))) / (a - 1)",
        "(p, q) => -log(sum(p * q) / sqrt(sum(p^2) * sum(q^2)))",
        "(t, s; T) => T^2 * sum(softmax(t / T) * (log_softmax(t / T) - log_softmax(s / T)))",
        "(pw, rw, pl, rl; beta) => mean(softplus(-beta * ((pw - rw) - (pl - rl))))",
        "(x) => mean((x - mean(x))^2)",
        "(p, q) => 0.5 * xlogy(p, 2 * p / (p + q)) + 0.5 * xlogy(q, 2 * q / (p + q))",
        "(mu, lv) => 0.5 * (mu^2 + exp(lv) - 1 - lv)",
        "(s, y) => logsumexp(s) - sum(y * s)",
        "(p, q; a, b) => max(p, q) * min(a, b) + max(p) - min(q) + sign(p) * abs(q) + xlog1py(p, q) + pow(p, -2.5e-1)",
        "(p) => sq(tanh(p)) + cosh(p) - sinh(.5) + expm1(p) + log1p(p) + sigmoid(p) + logsigmoid(2.) + 1e-3",
        "(s, y: label; eps, z) => (1 - eps) * (logsumexp(s) - s[y]) + eps * mean(logsumexp(s) - s) + z * logsumexp(s)^2",
        "(t, s, w: row, m: mask, y: label; T) => w * (s[y] + T^2 * sum(rel_entr(softmax(t / T), softmax(s / T))))",
    };

    private static readonly string[] Tokens =
    {
        "p", "q", "a", "T", "x", "sum", "mean", "max", "min", "logsumexp", "softmax", "log_softmax", "log", "exp", "xlogy",
        "pow", "sq", "sign", "abs", "int", "n", "value", "_x", "__y", "(", ")", ",", ";", "=>", "=", ">", "+", "-", "*", "/", "^",
        ".", "1", "2.5", "1e-3", "1e", "1e400", "1e-400", ".5", "2.", "0", "007", " ", "\t", "\n", "€", "😀", "\uD800", "\uDC00",
        "\0", "é", "∑", "ｐ", "١", "#", "@", "\"", "'", "[", "]", "{", "}", "!", "||", "&&", "e", "E", "9999999999999999999999",
        ":", "label", "row", "mask", "y", "s[y]", "rel_entr", "[[", "]]",
    };

    private static Gen<string> Soup => Gen.OneOf(Tokens).Array[0, 40].Select(string.Concat);

    // A mutation: (kind, position, token); applied in order to a corpus formula.
    private static Gen<string> Mutated =>
        Gen.Select(Gen.OneOf(Corpus), Gen.Select(Gen.Int[0, 6], Gen.Int[0, 10_000], Gen.Int[0, Tokens.Length - 1]).Array[1, 8], Mutate);

    private static string Mutate(string text, (int Kind, int Position, int Token)[] mutations)
    {
        var sb = new StringBuilder(text);
        foreach (var (kind, position, token) in mutations)
        {
            int at = sb.Length == 0 ? 0 : position % (sb.Length + 1);
            int inside = sb.Length == 0 ? 0 : position % sb.Length;
            switch (kind)
            {
                case 0 when sb.Length > 0: sb.Remove(inside, 1); break;                                  // delete a character
                case 1: sb.Insert(at, Tokens[token]); break;                                              // insert a token
                case 2 when sb.Length > 1 && inside + 1 < sb.Length:                                      // swap two characters
                    (sb[inside], sb[inside + 1]) = (sb[inside + 1], sb[inside]); break;
                case 3 when sb.Length > 0: sb[inside] = Tokens[token][0]; break;                          // replace a character
                case 4: sb.Length = at; break;                                                            // truncate
                case 5 when sb.Length > 0: sb.Insert(at, sb.ToString(inside, Math.Min(8, sb.Length - inside))); break; // duplicate
                case 6: sb.Insert(at, Tokens[token][0]); break;                                           // insert a character
            }
        }
        return sb.ToString();
    }

    private static Gen<string> Deep =>
        Gen.Select(Gen.OneOf("(", "-", "+", "exp(", "sum(", "softmax(", "p^", "p+", "p*", "p/", "max(p,", "((", "(-"),
            Gen.Int[1, 3000], Gen.Bool, Gen.OneOf("p", "", ")", "p)"),
            (open, depth, close, middle) =>
            {
                var sb = new StringBuilder("(p) => ");
                for (int i = 0; i < depth; i++) sb.Append(open);
                sb.Append(middle);
                if (close) sb.Append(')', open.Count(c => c == '(') * depth);
                return sb.ToString();
            });

    private static Gen<string> Header =>
        Gen.Select(Gen.OneOf("p", "q", "a", ",", ";", " ", "int", "sum", "_", "p1", "").Array[0, 8], Soup,
            (names, body) => "(" + string.Concat(names) + ") => " + body);

    private static Gen<string> Unicode => Gen.Char.Array[0, 60].Select(chars => new string(chars));

    private static Gen<string> Strings => Gen.Frequency((3, Soup), (5, Mutated), (1, Deep), (2, Header), (1, Unicode), (1, Gen.OneOf(Corpus)));

    [Fact]
    public void Compile_never_throws()
    {
        int count = Prop.Count("KDSL_FUZZ_COUNT", 5_000);
        int clean = 0, withErrors = 0;
        var watch = Stopwatch.StartNew();
        DiagnosticTests.RunWithStack(() =>
        {
            Prop.ForAll(Strings, count, text =>
            {
                if (Check(text)) clean++;
                else withErrors++;
            }, Escape, stream: 3);
            return 0;
        });
        _output.WriteLine($"{count} strings in {watch.Elapsed.TotalSeconds:F1} s: {clean} compiled, {withErrors} with errors");
        Assert.Equal(count, clean + withErrors);
        Assert.InRange(clean, count / 50, count); // the mutations keep some formulas valid
    }

    /// <summary>Compiles <paramref name="text"/> and checks the result's invariants; true when it compiled without errors.</summary>
    internal static bool Check(string text)
    {
        var compiled = FormulaCompiler.Compile(text);
        Assert.Same(text, compiled.Text);
        int previous = -1;
        foreach (var d in compiled.Diagnostics)
        {
            Assert.InRange(d.Span.Start, 0, text.Length);
            Assert.InRange(d.Span.End, d.Span.Start, text.Length);
            Assert.True(d.Span.Start >= previous, "diagnostics are in text order");
            previous = d.Span.Start;
            Assert.Contains(Diagnostics.All, x => x.Id == d.Id);
            Assert.False(string.IsNullOrWhiteSpace(d.Message));
        }
        if (compiled.HasErrors)
        {
            Assert.Null(compiled.ValuePlan);
            Assert.Null(compiled.GradientPlan);
            return false;
        }
        if (compiled.SamplePlan is { } sample)
        {
            // A sample formula compiles to pair reductions and a scalar epilogue (tests/Runtime.Tests/Samples runs them).
            Assert.Null(compiled.ValuePlan);
            Assert.True(sample.Output.IsScalar);
            return true;
        }
        Assert.NotEmpty(compiled.InputNames);
        foreach (var plan in compiled.InputGradientPlans.Prepend(compiled.GradientPlan).Prepend(compiled.ValuePlan))
            Assert.NotEmpty(plan!.Describe());
        var inputs = compiled.InputNames.Select((_, i) => new[] { 0.5 + i, 1.25, 2.0 }).ToArray();
        var parameters = compiled.ParameterNames.Select(_ => 0.75).ToArray();
        var rows = compiled.RowInputNames.Select(_ => 1.0).ToArray(); // a label of 1 indexes the 3-element support
        var value = Interpreter.Run(compiled.ValuePlan!, inputs, parameters, rows).Value;
        var full = Interpreter.Run(compiled.GradientPlan!, inputs, parameters, rows);
        Assert.True(ScalarGraph.Same(value, full.Value), "the value and gradient plans disagree on the value");
        Interpreter.Run(compiled.GradientPlan!, compiled.InputNames.Select(_ => Array.Empty<double>()).ToArray(), parameters, rows);
        return true;
    }

    private static string Escape(string text)
    {
        var sb = new StringBuilder("\"");
        foreach (char c in text)
            sb.Append(c < 32 || c > 126 ? $"\\u{(int)c:X4}" : c.ToString());
        return sb.Append('"').Append(" (").Append(text.Length).Append(" chars)").ToString();
    }

    [Theory]
    [InlineData("(")]
    [InlineData("-")]
    [InlineData("p^")]
    [InlineData("sqrt(")]
    [InlineData("logsumexp(p * ")]
    [InlineData("(p + ")]   // flat chains have no deepest length (FlatChainTests): only the nesting around them counts
    public void The_deepest_accepted_formula_compiles_prints_and_runs(string open)
    {
        // Find the deepest nesting the parser accepts, then run the whole pipeline on it with a 1 MB stack.
        string Formula(int depth) => "(p) => " + string.Concat(Enumerable.Repeat(open, depth)) + "p" + new string(')', open.Count(c => c == '(') * depth);
        int deepest = 0;
        while (!FormulaCompiler.Compile(Formula(deepest + 1)).Diagnostics.Any(d => d.Id == "KDSL0006")) deepest++;
        Assert.InRange(deepest, 8, 200);
        string text = Formula(deepest);
        bool ok = DiagnosticTests.RunWithStack(() => Check(text));
        Assert.True(ok || FormulaCompiler.Compile(text).Diagnostics.Any(d => d.Id == "KDSL0301"), text);
        _output.WriteLine($"'{open}': {deepest} levels");
    }
}
