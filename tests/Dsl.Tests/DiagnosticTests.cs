using System.IO;
using KernelDsl.Dsl.Tests.Support;
using KernelDsl.Language;

namespace KernelDsl.Dsl.Tests;

/// <summary>
/// Parser and binder diagnostics: the ID and the exact span of each, marked in the formula with <c>[| |]</c> (Minsk style).
/// The IDs are listed in the order their spans start.
/// </summary>
public sealed class DiagnosticTests
{
    public static TheoryData<string, string> Cases() => new()
    {
        // Lexer
        { "(p) => p[|#|]", "KDSL0001" },
        { "(p) => p[|€|] * 2", "KDSL0001" },
        { "(p) => p[|😀|]", "KDSL0001" }, // a surrogate pair is one character to the reader
        // One bad character or name is one error, wherever it stands: nothing cascades from the hole it leaves.
        { "(p, [|π|]) => p * π", "KDSL0007" },            // reported where the name first occurs, and bound as a name
        { "(p) => p * [|π|]", "KDSL0007" },                // not also "not declared"
        { "([|π|]) => π", "KDSL0007" },                    // not also "the header declares no input"
        { "(p) => [|λ|](p)", "KDSL0007" },                 // not also "unknown function"
        { "(p, q_[|α|]) => p * q_α", "KDSL0007" },         // the span is the offending character
        { "(p, [|𝑥|]) => p * 𝑥", "KDSL0007" },             // a surrogate pair is one letter
        { "(p) => p * [|2π|]", "KDSL0002" },               // a number glued to a letter of any script
        { "(p, [|$|]) => p", "KDSL0001" },                 // not also "expected a name" nor "no input"
        { "([|$|]) => 1", "KDSL0001" },
        { "(p) => p * [|$|]", "KDSL0001" },                // not also "expected an expression"
        { "(p, q) => p [|#|] q", "KDSL0001" },             // not also "trailing text"
        { "(p, q) => sum(p [|$|] q)", "KDSL0001" },        // not also "expected ')'"
        { "(p) => p [|$#|] * 2", "KDSL0001" },             // a run of bad characters is one error
        { "(p [|$|] q) => p * q", "KDSL0001" },            // not also "expected ','"
        { "(p) => p * [|1e|]", "KDSL0002" },
        { "(p) => p * [|1e|]+[||]", "KDSL0002 KDSL0003" }, // "1e" is the bad literal; then '+' lacks its operand
        { "(p) => p * [|2x|]", "KDSL0002" },
        { "(p) => p * [|1e400|]", "KDSL0002" },
        // Parser
        { "(p) => sum(p[||]", "KDSL0003" },
        { "(p) => p * [|;|]", "KDSL0003" },
        { "(p [|=>|] p", "KDSL0003" },
        { "(p, [|)|] => p", "KDSL0003" },
        { "(p) => [||]", "KDSL0003" }, // no "unused" warning: the parser could not read the whole body
        { "(p) => [|[|)|]|]", "KDSL0003 KDSL0005" },
        { "(p [|q|]) => p * q", "KDSL0003" },             // a missing comma: one message, and q stays declared
        { "(p) => sum(p, [|)|]", "KDSL0003" },             // no arity error for an argument the parser could not read
        { "[|1|] + 2", "KDSL0004" },
        { "[|p|] * q", "KDSL0004" },                       // no "not declared" for each name when the header is missing
        { "(p) [|=|] p", "KDSL0001" },                     // a broken arrow is one error, not also "missing header"
        { "[||]", "KDSL0004" },
        { "   [||]", "KDSL0004" }, // the span of the first token: here the end
        { "(p) => p [|q|]", "KDSL0005" },
        { "(p) => p [|q r|]  ", "KDSL0005" },
        { "(p) => p [|=> p|]", "KDSL0005" },
        // Binder
        { "(p) => p * [|r|]", "KDSL0101" },
        { "([|p|], q) => [|P|] * q", "KDSL0109 KDSL0101" }, // names are case-sensitive
        { "(p, [|p|]) => p", "KDSL0102" },
        { "(p; [|p|]) => p", "KDSL0102" },
        { "(p) => [|foo|](p)", "KDSL0103" },
        { "(p) => [|lgo|](p) + [|Log|](p) + [|ln|](p)", "KDSL0103 KDSL0103 KDSL0103" }, // each with its did-you-mean (below)
        { "(p) => p [|**|] 2", "KDSL0008" },                 // read as a power: nothing cascades
        { "(p, q) => p [|**|] 2 * q [|**|] -1", "KDSL0008 KDSL0008" },
        { "(p) => [|softmin|](p) * p", "KDSL0103" },
        { "(p) => [|log(p, p)|]", "KDSL0104" },
        { "(p) => [|xlogy(p)|]", "KDSL0104" },
        { "(p) => [|max(p, p, p)|]", "KDSL0104" },
        { "(p) => p + [|sum()|]", "KDSL0104" },
        { "(p) => [|sq(p, p)|]", "KDSL0104" },
        { "(p) => [|p - mean(p)|]", "KDSL0105" },
        { "(p) => [|p * logsumexp(p)|]", "KDSL0105" },
        { "(p) => [|softmax(p) - logsumexp(p)|]", "KDSL0105" }, // the explicit logsumexp is the normalizer's node, still explicit
        { "(p) => [|logsumexp(p) * log_softmax(p)|]", "KDSL0105" },
        { "(p; a) => sum(p) + sum([|a|])", "KDSL0106" },
        { "(p) => p * sum([|2|])", "KDSL0106" },
        { "(p) => sum(p) * mean([|sum(p)|])", "KDSL0106" },
        { "(p; a) => p * softmax([|a|])", "KDSL0106" },
        { "[|() =>|] 1", "KDSL0107" },
        { "[|(; a) =>|] a", "KDSL0107" },
        { "([|log|], p) => p", "KDSL0108" },
        { "(p; [|sum|]) => p", "KDSL0108" },
        { "(p, [|q|]) => p", "KDSL0109" },
        { "(p; [|a|]) => p", "KDSL0109" },
        { "([|int|], p) => p", "KDSL0110" },
        { "(p; [|n|]) => p", "KDSL0110" },
        { "(p; [|value|]) => p", "KDSL0110" },
        { "([|_x|], p) => p", "KDSL0110" },
        { "(p; [|device|]) => p", "KDSL0110" }, // the GPU entry points' first parameter
        { "(p; [|TS|]) => p", "KDSL0110" }, // the GPU kernels' storage type parameter
        { "(p; [|upstream|]) => p", "KDSL0110" },
        // Row-level inputs and labels
        { "(s, y: [|lab|]) => sum(s)", "KDSL0111" },
        { "(s, y) => s[[|y|]]", "KDSL0112" },
        { "(s, y: label) => sum(s) * [|y|]", "KDSL0113" },
        { "(s; [|w: row|]) => sum(s)", "KDSL0114" },
        // Sample formulas (more in SampleLanguageTests)
        { "(x: points) => mean(dist(x, x)) * exp([|x|])", "KDSL0115" },
        { "(x: points; s) => mean(sqdist(x, [|s|]))", "KDSL0116" },
        { "(x: points, y: points; s) => [|exp(-sqdist(x, y) / s)|]", "KDSL0117" },
        { "(x: points) => mean(mean_j([|sum_k(x * x)|]))", "KDSL0118" },
        { "(x: points, y: points) => mean([|dist(x, y) + dist(x, x)|])", "KDSL0119" },
        { "(x: points) => mean(dist(x, x)) where [|x|] = 2", "KDSL0120" },
        { "(x: points) => mean(k(x, x)) where k(u, v) = [|k|](u, v)", "KDSL0121" },
        { "(x: points, w: row([|a|])) => w * mean(dist(x, x))", "KDSL0122" },
        { "(x: points, y: points) => umean([|dist(x, y)|])", "KDSL0123" },
        { "(x: points, [|p|]) => mean(dist(x, x))", "KDSL0124" },
        { "(p; t) => sum(p) * t where [|c|] = 2 * t", "KDSL0125" },
        { "(x: points, y: points; h) => [|mean(exp(-sqdist(x, y) / h) * y)|]", "KDSL0126" },
        { "(x: points; h) => mean_j(exp(-sqdist(x, x) / h) * [|x|])", "KDSL0127" },
        { "(x: points, s: vectors([|z|]); h) => mean_j(exp(-sqdist(x, x) / h))", "KDSL0128" },
        { "(x: points, s: vectors(x); h) => mean_j(exp(-sqdist(x, x) / h) * [|s|])", "KDSL0129" },
        { "(x: points, y: points; s) => [|mean_j(exp(-sqdist(x, y) / s)) + mean(dist(x, y))|]", "KDSL0302" },
        { "(x: points; e) => sinkhorn([|sqdist(x, x)|], e)", "KDSL0130" },
        { "(x: points, y: points; e) => 2 * [|sinkhorn(sqdist(x, y), e)|]", "KDSL0131" },
        { "(x: points, y: points) => sinkhorn(sqdist(x, y), [|mean(dist(x, y))|])", "KDSL0132" },
        // Calculus and planning
        { "(p) => [|sign|](p)", "KDSL0201" },
        { "(p) => [|logsumexp(p * logsumexp(p * logsumexp(p * logsumexp(p * logsumexp(p * logsumexp(p * logsumexp(p * logsumexp(p * logsumexp(p)))))))))|]", "KDSL0301" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reports_id_and_exact_span(string annotated, string ids)
    {
        var text = AnnotatedText.Parse(annotated);
        var expected = ids.Split(' ');
        Assert.Equal(expected.Length, text.Spans.Count);
        var compiled = FormulaCompiler.Compile(text.Text);
        var actual = compiled.Diagnostics.Select(d => $"{d.Id} {d.Span}").ToList();
        var wanted = expected.Zip(text.Spans, (id, span) => $"{id} {span}").ToList();
        Assert.True(wanted.OrderBy(s => s, StringComparer.Ordinal).SequenceEqual(actual.OrderBy(s => s, StringComparer.Ordinal)),
            $"'{text.Text}'\nexpected: {string.Join("; ", wanted)}\nactual:   {string.Join("; ", compiled.Diagnostics)}");
        foreach (var d in compiled.Diagnostics) Assert.InRange(d.Span.End, d.Span.Start, text.Text.Length);
        // Errors leave no plans; warnings and notes leave all of them.
        Assert.Equal(compiled.HasErrors, compiled.ValuePlan == null);
        Assert.Equal(compiled.HasErrors, compiled.GradientPlan == null);
        Assert.All(compiled.InputGradientPlans, p => Assert.Equal(compiled.HasErrors, p == null));
    }

    /// <summary>
    /// docs/diagnostics.md has a section per formula diagnostic, and the example of each (where it is a whole formula, not
    /// elided with "...") reports that ID when compiled.
    /// </summary>
    [Fact]
    public void Every_documented_example_reports_its_id()
    {
        string page = File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, "docs", "diagnostics.md")).Replace("\r\n", "\n");
        var sections = page.Split("\n### ").Skip(1).ToDictionary(s => s.Substring(0, 8), s => s);
        int checkedExamples = 0;
        foreach (var d in Diagnostics.All)
        {
            Assert.True(sections.TryGetValue(d.Id, out var section), $"docs/diagnostics.md has no section for {d.Id}");
            var example = System.Text.RegularExpressions.Regex.Match(section, "\nExample: `([^`]*)`");
            Assert.True(example.Success, $"{d.Id}: no example");
            if (example.Groups[1].Value.Contains("...")) continue;
            var ids = FormulaCompiler.Compile(example.Groups[1].Value).Diagnostics.Select(x => x.Id).ToList();
            Assert.True(ids.Contains(d.Id), $"{d.Id}: the example '{example.Groups[1].Value}' reports {string.Join(", ", ids)}");
            checkedExamples++;
        }
        Assert.True(checkedExamples >= Diagnostics.All.Count - 2, $"only {checkedExamples} examples checked");
    }

    [Fact]
    public void Every_descriptor_is_covered()
    {
        var covered = Cases().Select(row => (string)row[1]).SelectMany(ids => ids.Split(' ')).ToHashSet();
        covered.Add("KDSL0006"); // Too_deep_nesting_is_one_diagnostic
        var missing = Diagnostics.All.Select(d => d.Id).Where(id => !covered.Contains(id)).ToList();
        Assert.True(missing.Count == 0, "Untested diagnostics: " + string.Join(", ", missing));
        Assert.Equal(Diagnostics.All.Count, Diagnostics.All.Select(d => d.Id).Distinct().Count());
    }

    [Theory]
    [InlineData("(p) => lgo(p)", "'lgo' is not a function of the language; did you mean 'log'?")]     // a swap
    [InlineData("(p) => Log(p)", "'Log' is not a function of the language; did you mean 'log'?")]     // case
    [InlineData("(p) => ln(p)", "'ln' is not a function of the language; did you mean 'log'?")]       // an alias
    [InlineData("(p) => LN(p)", "'LN' is not a function of the language; did you mean 'log'?")]
    [InlineData("(p) => power(p, 2)", "'power' is not a function of the language; did you mean 'pow'?")]
    [InlineData("(p) => sigmod(p)", "'sigmod' is not a function of the language; did you mean 'sigmoid'?")]
    [InlineData("(p) => logsumexpp(p)", "'logsumexpp' is not a function of the language; did you mean 'logsumexp'?")]
    [InlineData("(p) => log_softmx(p)", "'log_softmx' is not a function of the language; did you mean 'log_softmax'?")]
    [InlineData("(p) => foo(p)", "'foo' is not a function of the language")]                            // nothing near
    [InlineData("(p, q; alpha) => p * alhpa", "'alhpa' is not declared in the header; declared names: p, q, alpha; did you mean 'alpha'?")]
    [InlineData("(p, q) => P * q", "'P' is not declared in the header; declared names: p, q; did you mean 'p'?")]
    [InlineData("(logits, y) => sum(logit * y)", "'logit' is not declared in the header; declared names: logits, y; did you mean 'logits'?")]
    [InlineData("(p, q) => p * r", "'r' is not declared in the header; declared names: p, q")]           // 1 letter: only case
    [InlineData("(p) => p ** 2", "'**' is not an operator of the language; write '^ for a power, as in p ^ 2'")]
    public void Did_you_mean(string formula, string message)
    {
        var error = Assert.Single(FormulaCompiler.Compile(formula).Diagnostics, d => d.Severity == FormulaSeverity.Error);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_double_star_is_read_as_a_power()
    {
        // One error, and the formula it stands for is what the rest of the pipeline sees: p ** 2 is bound as p ^ 2.
        var compiled = FormulaCompiler.Compile("(p) => p ** 2 * 3");
        Assert.Equal("KDSL0008", Assert.Single(compiled.Diagnostics).Id);
        var syntax = Language.Syntax.Parser.Parse("(p) => p ** 2 * 3", new DiagnosticBag());
        var product = Assert.IsType<Language.Syntax.BinarySyntax>(syntax.Body);
        Assert.Equal(Language.Syntax.TokenKind.Star, product.Operator);
        Assert.Equal(Language.Syntax.TokenKind.Caret, Assert.IsType<Language.Syntax.BinarySyntax>(product.Left).Operator);
    }

    [Theory]
    [InlineData("KDSL0109", "Warning")]
    [InlineData("KDSL0201", "Info")]
    [InlineData("KDSL0101", "Error")]
    [InlineData("KDSL0006", "Error")]
    public void Severity(string id, string severity) =>
        Assert.Equal(severity, Diagnostics.All.Single(d => d.Id == id).Severity.ToString());

    [Fact]
    public void Messages_name_what_is_wrong()
    {
        Assert.Equal("'r' is not declared in the header; declared names: p, q, a",
            FormulaCompiler.Compile("(p, q; a) => p * q * a * r").Diagnostics.Single().Message);
        Assert.Equal("'log' takes 1 argument but was given 2", FormulaCompiler.Compile("(p) => log(p, p)").Diagnostics.Single().Message);
        Assert.Equal("'sum' needs a vector over the support, but 'a' (a parameter) is a scalar",
            FormulaCompiler.Compile("(p; a) => sum(p) + sum(a)").Diagnostics.Single().Message);
        Assert.Equal("Unexpected character '#'", FormulaCompiler.Compile("(p) => p#").Diagnostics.Single().Message);
    }

    [Theory]
    [InlineData("(", "p", ")")]      // parentheses
    [InlineData("-", "p", "")]       // unary minus
    [InlineData("exp(", "p", ")")]   // calls
    [InlineData("p^", "p", "")]      // right-associative powers
    [InlineData("p + (", "p", ")")]  // chains between the levels add nothing, and do not hide them
    public void Too_deep_nesting_is_one_diagnostic(string open, string middle, string close)
    {
        foreach (int depth in new[] { 500, 5_000, 50_000 })
        {
            string text = "(p) => " + string.Concat(Enumerable.Repeat(open, depth)) + middle + string.Concat(Enumerable.Repeat(close, depth));
            var compiled = RunWithStack(() => FormulaCompiler.Compile(text));
            var d = Assert.Single(compiled.Diagnostics);
            Assert.Equal("KDSL0006", d.Id);
            // The span is the token where the nesting got too deep.
            Assert.Contains(text.Substring(d.Span.Start, d.Span.Length), new[] { "(", "-", "+", "*", "/", "^", "exp" });
        }
    }

    [Theory]
    [InlineData("(", "p", ")")]
    [InlineData("-", "p", "")]
    [InlineData("p + ", "p", "")]
    [InlineData("p * ", "p", "")]
    [InlineData("sqrt(", "p", ")")]
    public void Moderate_nesting_compiles(string open, string middle, string close)
    {
        string text = "(p) => " + string.Concat(Enumerable.Repeat(open, 40)) + middle + string.Concat(Enumerable.Repeat(close, 40));
        var compiled = RunWithStack(() => FormulaCompiler.Compile(text));
        Assert.False(compiled.HasErrors, string.Join("\n", compiled.Diagnostics));
        Assert.NotEmpty(RunWithStack(() => compiled.GradientPlan!.Describe()));
    }

    /// <summary>Runs on a thread with a 1 MB stack (the Windows default a compiler host may give an analyzer).</summary>
    internal static T RunWithStack<T>(Func<T> f)
    {
        T result = default!;
        Exception? error = null;
        var thread = new System.Threading.Thread(() =>
        {
            try { result = f(); }
            catch (Exception e) { error = e; }
        }, 1024 * 1024);
        thread.Start();
        thread.Join();
        if (error != null) throw new InvalidOperationException("failed on the 1 MB thread", error);
        return result;
    }
}
