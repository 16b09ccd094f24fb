using KernelDsl.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using FormulaCompiler = KernelDsl.Language.FormulaCompiler;
using FormulaDiagnostic = KernelDsl.Language.FormulaDiagnostic;

namespace KernelDsl.Generators.Tests;

/// <summary>The formula's diagnostics (KDSL00xx-03xx), each at its exact span inside every kind of literal.</summary>
public sealed partial class Test_KernelGenerator_Diagnostics
{
    // ---- The formula (KDSL00xx-03xx), at the exact span inside each kind of literal ----

    /// <summary>More vector inputs than the GPU kernels take: Info on the header, CPU kernels still generated.</summary>
    [Fact]
    public void KDSL0410_TooManyInputsForTheGpu()
    {
        Verify("KDSL0410", """
            using KernelDsl;
            [Divergence("[|(a, b, c, d, e)|] => sum(a * b * c * d * e)")]
            public static partial class Five { }
            """);
        GeneratorOutput output = GeneratorHarness.Run(GeneratorHarness.CreateCompilation("""
            [KernelDsl.Divergence("(a, b, c, d, e) => sum(a * b * c * d * e)")]
            public static partial class Five { }
            """)).AssertDidNotThrow();
        Assert.Equal(DiagnosticSeverity.Info, Assert.Single(output.Diagnostics).Severity);
        string code = Assert.Single(output.Sources).Value;
        Assert.Contains("public static unsafe float Value(", code);
        Assert.DoesNotContain("public static class Gpu", code);
    }

    [Fact]
    public void KDSL0101_RegularLiteral()
    {
        Verify("KDSL0101", """
            using KernelDsl;
            [Divergence("(p) => p * [|r|]")]
            public static partial class Kl { }
            """);
    }

    [Fact]
    public void KDSL0101_RegularLiteral_AfterEscapes()
    {
        // \t, \u0020, \x20 and \u0070 ('p') each take several source characters for one formula character.
        Verify("KDSL0101", """
            using KernelDsl;
            [Divergence("(p, q)\t=>\u0020xlogy(\u0070,\x20p / q) * [|r|] + [|\u0073|]")]
            public static partial class Kl { }
            """);
    }

    [Fact]
    public void KDSL0101_NamedArgument()
    {
        Verify("KDSL0101", """
            using KernelDsl;
            [Loss(formula: "(p) => p * [|r|]", Summary = "s")]
            public static partial class Kl { }
            """);
    }

    [Fact]
    public void KDSL0101_VerbatimLiteral_MultiLine()
    {
        Verify("KDSL0101", """
            using KernelDsl;
            [Divergence(@"(p, q) =>
                xlogy(p, p / q) * [|r|]")]
            public static partial class Kl { }
            """);
    }

    [Fact]
    public void KDSL0101_RawSingleLineLiteral()
    {
        Verify("KDSL0101", """"
            using KernelDsl;
            [Divergence("""(p, q) => xlogy(p, p / q) * [|r|]""")]
            public static partial class Kl { }
            """");
    }

    [Fact]
    public void KDSL0101_RawMultiLineLiteral()
    {
        Verify("KDSL0101", """"
            using KernelDsl;
            [Divergence("""
                    (p, q) =>
                        xlogy(p, p / q)
                      * [|r|]
                    """)]
            public static partial class Kl { }
            """");
    }

    [Fact]
    public void KDSL0101_RawMultiLineLiteral_CrLf()
    {
        string source = """"
            using KernelDsl;
            [Divergence("""
                (p, q) =>

                    xlogy(p, p / q) * [|r|]
                """)]
            public static partial class Kl { }
            """".Replace("\n", "\r\n");
        Verify("KDSL0101", source);
    }

    [Fact]
    public void KDSL0101_ConstReference_ReportedOnTheArgument()
    {
        Verify("KDSL0101", """
            using KernelDsl;
            public static class Formulas { public const string Broken = "(p) => p * r"; }
            [Divergence([|Formulas.Broken|])]
            public static partial class Kl { }
            """);
    }

    [Fact]
    public void KDSL0101_ConstantConcatenation_ReportedOnTheArgument()
    {
        Verify("KDSL0101", """
            using KernelDsl;
            [Divergence([|"(p) => " + "p * r"|])]
            public static partial class Kl { }
            """);
    }

    [Fact]
    public void KDSL0101_SeveralInOneFormula()
    {
        Verify("KDSL0101", """
            using KernelDsl;
            [Divergence("(p) => [|a|] * p + [|b|]")]
            public static partial class Kl { }
            """);
    }

    [Fact]
    public void FormulaAndDeclarationErrors_BothReported()
    {
        Verify(null, """
            using KernelDsl;
            [Divergence("(p) => p * {|KDSL0101:r|}")]
            public static class {|KDSL0401:Kl|} { }
            """);
    }

    /// <summary>
    /// For formulas that trigger each language diagnostic, written in each literal form: the ID is reported, and every
    /// formula diagnostic lands exactly on the source characters that write the span the language gave it (computed
    /// here independently, from how the test wrote the literal). The message is the language's own.
    /// </summary>
    [Theory]
    [InlineData("KDSL0001", "(p) => p # 2")]
    [InlineData("KDSL0002", "(p) => p * 1e999")]
    [InlineData("KDSL0003", "(p) => log(p")]
    [InlineData("KDSL0004", "p * 2")]
    [InlineData("KDSL0005", "(p) => p p")]
    [InlineData("KDSL0101", "(p, q) => xlogy(p, p / q) * r")]
    [InlineData("KDSL0102", "(p, p) => sum(p)")]
    [InlineData("KDSL0103", "(p) => frobnicate(p)")]
    [InlineData("KDSL0104", "(p) => log(p, p)")]
    [InlineData("KDSL0105", "(p) => p - mean(p)")]
    [InlineData("KDSL0106", "(p; a) => sum(softmax(a))")]
    [InlineData("KDSL0107", "(; a) => a * 2")]
    [InlineData("KDSL0108", "(log) => sum(log)")]
    [InlineData("KDSL0109", "(p, q) => sum(p)")]
    [InlineData("KDSL0110", "(p, class) => sum(p * class)")]
    [InlineData("KDSL0111", "(s, y: lab) => sum(s)")]
    [InlineData("KDSL0112", "(s, y) => s[y]")]
    [InlineData("KDSL0113", "(s, y: label) => sum(s) * y")]
    [InlineData("KDSL0114", "(s; w: row) => sum(s)")]
    [InlineData("KDSL0201", "(p, q) => sum(sign(p) * q)")]
    [InlineData("KDSL0301", "(x) => max(x - max(x - max(x - max(x - max(x - max(x - max(x - max(x - max(x)))))))))")]
    public void FormulaDiagnostic_ExactSpan_InEveryLiteralForm(string id, string formula) => AssertExactSpans(id, formula);

    [Fact]
    public void KDSL0006_TooDeep_ExactSpan_InEveryLiteralForm() =>
        AssertExactSpans("KDSL0006", "(p) => " + new string('(', 300) + "p" + new string(')', 300));

    private static void AssertExactSpans(string id, string formula)
    {
        FormulaDiagnostic[] diagnostics = FormulaCompiler.Compile(formula).Diagnostics.ToArray();
        Assert.True(diagnostics.Any(d => d.Id == id), $"The language reports no {id} for '{formula}': [{string.Join(", ", diagnostics.Select(d => d.ToString()))}]");

        // The formula as given, and spread over lines (which only the multi-line forms keep as written).
        string[] variants = formula.Contains("=> ") ? new[] { formula, formula.Replace("=> ", "=>\n    ") } : new[] { formula };
        foreach (string variant in variants)
        {
            FormulaDiagnostic[] expected = FormulaCompiler.Compile(variant).Diagnostics.ToArray();
            foreach (LiteralForm form in Enum.GetValues<LiteralForm>())
            {
                foreach (string indentation in form == LiteralForm.RawMultiLine ? new[] { "    ", "\t  " } : new[] { "" })
                {
                    EncodedLiteral? literal = EncodedLiteral.Encode(variant, form, indentation);
                    if (literal is null) continue;
                    string prefix = "using KernelDsl;\nnamespace N\n{\n    [Divergence(";
                    string source = prefix + literal.Source + ")]\n    public static partial class Kl { }\n}\n";

                    GeneratorOutput output = GeneratorHarness.Run(source).AssertDidNotThrow();

                    var actual = output.Diagnostics.Select(d => (d.Id, d.Location.SourceSpan.Start, d.Location.SourceSpan.End, d.GetMessage())).ToArray();
                    var wanted = expected.Select(d =>
                    {
                        (int start, int end) = literal.Map(d.Span.Start, d.Span.Length);
                        return (d.Id, prefix.Length + start, prefix.Length + end, d.Message);
                    }).ToArray();
                    Assert.True(wanted.SequenceEqual(actual),
                        $"{form}: {literal.Source}\nexpected: {string.Join("; ", wanted)}\nactual:   {string.Join("; ", actual)}");
                }
            }
        }
    }

    [Fact]
    public void FormulaDiagnostic_HasTheLanguagesSeverityAndTitle()
    {
        GeneratorOutput output = GeneratorHarness.Run("""
            using KernelDsl;
            [Divergence("(p, q) => sum(p)")]
            public static partial class Kl { }
            """).AssertDidNotThrow();

        Diagnostic unused = Assert.Single(output.Diagnostics, d => d.Id == "KDSL0109");
        Assert.Equal(DiagnosticSeverity.Warning, unused.Severity);
        Assert.Equal("Unused name", unused.Descriptor.Title.ToString());
        Assert.Equal("KernelDsl", unused.Descriptor.Category);

        // A warning does not stop generation.
        Assert.Single(output.Sources);
    }

    [Fact]
    public void PragmaWarningDisable_SuppressesAFormulaWarning()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation("""
            using KernelDsl;
            #pragma warning disable KDSL0109
            [Divergence("(p, q) => sum(p)")]
            public static partial class Suppressed;
            #pragma warning restore KDSL0109
            [Divergence("(p, q) => sum(p)")]
            public static partial class Reported;
            """);

        GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out _, out var diagnostics);

        Diagnostic reported = Assert.Single(diagnostics, d => d.Id == "KDSL0109" && !d.IsSuppressed);
        Assert.Equal(5, reported.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Equal(LocationKind.SourceFile, reported.Location.Kind);
    }

    [Fact]
    public void Diagnostics_CarryTheFileAndLines()
    {
        GeneratorOutput output = GeneratorHarness.Run("using KernelDsl;\n[Divergence(\"(p) => p * r\")]\npublic static partial class Kl { }\n");
        Diagnostic d = Assert.Single(output.Diagnostics);
        FileLinePositionSpan lines = d.Location.GetLineSpan();
        Assert.Equal("Source0.cs", lines.Path);
        Assert.Equal(1, lines.StartLinePosition.Line);
        Assert.Equal("[Divergence(\"(p) => p * ".Length, lines.StartLinePosition.Character);
        Assert.Equal(lines.StartLinePosition.Character + 1, lines.EndLinePosition.Character);
    }

    /// <summary>
    /// Runs the generator over the cleaned source and checks that its diagnostics are exactly the marked ones (ID and
    /// span), that the C# compiler reports no error but <paramref name="compilerErrors"/>, and that a declaration with
    /// an error gets no generated file.
    /// </summary>
}
