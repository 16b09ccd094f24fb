using KernelDsl.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KernelDsl.Generators.Tests;

/// <summary>
/// Whole-file output of the generator, compared with golden files (<c>Snapshots/{Test}#{HintName}.verified.cs</c>;
/// <c>UPDATE_SNAPSHOTS=1</c> rewrites them), plus: the generated code compiles without a warning, and the generator
/// never throws, whatever the formula.
/// </summary>
public sealed class Test_KernelGenerator
{
    [Fact]
    public void Divergence_InFileScopedNamespace()
    {
        Verify(nameof(Divergence_InFileScopedNamespace), """
            using KernelDsl;

            namespace Catalogue;

            [Divergence("(p, q) => rel_entr(p, q)")]
            public static partial class KullbackLeibler;
            """);
    }

    /// <summary>The five reference kernels of the design, float only (the double kernels are the same text with double).</summary>
    [Theory]
    [InlineData("Renyi", "(p, q; a) => log(sum(p^a * q^(1 - a))) / (a - 1)")]
    [InlineData("CauchySchwarz", "(p, q) => -log(sum(p * q) / sqrt(sum(p^2) * sum(q^2)))")]
    [InlineData("DistillationKl", "(t, s; T) => T^2 * sum(softmax(t / T) * (log_softmax(t / T) - log_softmax(s / T)))")]
    [InlineData("Dpo", "(pw, rw, pl, rl; beta) => mean(softplus(-beta * ((pw - rw) - (pl - rl))))")]
    [InlineData("CrossEntropy", "(s, y: label) => logsumexp(s) - s[y]")]
    public void ReferenceKernels(string name, string formula)
    {
        Verify("ReferenceKernels_" + name, $$"""
            using KernelDsl;

            namespace Catalogue;

            [Divergence("{{formula}}", Precision = KernelPrecision.Float)]
            public static partial class {{name}};
            """);
    }

    /// <summary>bfloat16 logits (ushort storage, float compute) with a mask and a weight per row.</summary>
    [Fact]
    public void LowPrecision_WithRowInputs()
    {
        Verify(nameof(LowPrecision_WithRowInputs), """
            using KernelDsl;

            namespace Catalogue;

            [Loss("(t, s, w: row, m: mask) => w * sum(softmax(t) * (log_softmax(t) - log_softmax(s)))", Precision = KernelPrecision.BFloat16)]
            public static partial class WeightedKl;
            """);
    }

    [Fact]
    public void Loss_WithSummaryAndPrecision()
    {
        Verify(nameof(Loss_WithSummaryAndPrecision), """
            using KernelDsl;

            namespace Catalogue.Losses
            {
                [Loss("(t, s; T) => T^2 * sum(softmax(t / T) * (log_softmax(t / T) - log_softmax(s / T)))",
                      Precision = KernelPrecision.Float,
                      Summary = "Distillation loss: KL(softmax(t/T) || softmax(s/T)) * T^2, with <tags> & ampersands.")]
                internal static partial class DistillationKl { }
            }
            """);
    }

    [Fact]
    public void GlobalNamespace_NonStaticClass()
    {
        Verify(nameof(GlobalNamespace_NonStaticClass), """
            [KernelDsl.Divergence("(p, q) => sum(p * q)")]
            public partial class Overlap { }
            """);
    }

    [Fact]
    public void Nested_InContainingTypes()
    {
        Verify(nameof(Nested_InContainingTypes), """
            using KernelDsl;

            namespace My.Models;

            public static partial class Outer
            {
                internal partial struct Middle
                {
                    private partial record Inner
                    {
                        [Divergence("(p, q) => xlogy(p, p / q)")]
                        protected internal static partial class Kl { }
                    }
                }
            }
            """);
    }

    [Fact]
    public void RawMultiLineFormula_WithUserDocumentation()
    {
        Verify(nameof(RawMultiLineFormula_WithUserDocumentation), """"
            using KernelDsl;

            namespace @event.@class;

            /// <summary>The user's own documentation: the generator adds none to the type.</summary>
            [Divergence("""
                (p, q; a) =>
                    log(sum(p^a * q^(1 - a))) / (a - 1)
                """, Summary = "Renyi")]
            public static partial class @static;
            """");
    }

    [Fact]
    public void TwoDeclarations_InOneFile()
    {
        Verify(nameof(TwoDeclarations_InOneFile), """
            using KernelDsl;

            namespace Catalogue;

            [Divergence("(p, q) => xlogy(p, p / q)")]
            public static partial class Forward;

            [Divergence("(p, q) => xlogy(q, q / p)")]
            public static partial class Reverse;
            """);
    }

    [Fact]
    public void DeclarationWithErrors_GeneratesNothing()
    {
        GeneratorOutput output = GeneratorHarness.Run("""
            using KernelDsl;

            [Divergence("(p) => p * r")]
            public static partial class Broken;

            [Divergence("(p, q) => xlogy(p, p / q)")]
            public static class NotPartial;
            """).AssertDidNotThrow();

        Assert.Empty(output.Sources);
        Assert.Contains(output.Diagnostics, d => d.Id == "KDSL0101");
        Assert.Contains(output.Diagnostics, d => d.Id == "KDSL0401");
    }

    /// <summary>The generated code compiles with no diagnostic at all (warnings would be errors), in C# 12 and the newest C#.</summary>
    [Theory]
    [InlineData(LanguageVersion.CSharp12)]
    [InlineData(LanguageVersion.Latest)]
    public void GeneratedCode_CompilesWithoutWarnings(LanguageVersion version)
    {
        string[] sources =
        {
            """
            using KernelDsl;

            namespace Catalogue
            {
                [Divergence("(p, q) => xlogy(p, p / q)", Summary = "Kullback-Leibler divergence.")]
                public static partial class KullbackLeibler { }

                [Loss("(pw, rw, pl, rl; beta) => mean(softplus(-beta * ((pw - rw) - (pl - rl))))", Precision = KernelPrecision.Double)]
                public static partial class Dpo { }

                // Every form of reduction state: a sum, a running max or min, a running max with a sum of exponentials.
                [Divergence("(x, y) => logsumexp(x) + max(y) - min(x) + sum(x * y)", Precision = KernelPrecision.Float | KernelPrecision.Half)]
                public static partial class Extremes { }

                /// <summary>Holds kernels.</summary>
                public partial class Holder
                {
                    /// <summary>Documented by the user.</summary>
                    [Divergence("(p, q) =>\n    sum(p * q)")]
                    public static partial class Nested { }

                    internal partial struct Inner
                    {
                        [Loss(@"(x, y) =>
                            mean((x - y)^2)")]
                        private static partial class Private { }
                    }
                }
            }
            """,
            """
            [KernelDsl.Divergence("(p) => sum(p)")]
            internal partial class InGlobalNamespace { }
            """,
        };

        var parseOptions = new CSharpParseOptions(version, DocumentationMode.Diagnose);
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(parseOptions, sources)
            .WithOptions(GeneratorHarness.CompilationOptions
                .WithGeneralDiagnosticOption(ReportDiagnostic.Error)
                .WithWarningLevel(9999));

        GeneratorOutput output = GeneratorHarness.Run(compilation, parseOptions).AssertDidNotThrow();

        Assert.Equal(6, output.Sources.Count);
        Assert.DoesNotContain(output.Diagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
        Diagnostic[] problems = output.OutputCompilation.GetDiagnostics().Where(d => d.Severity != DiagnosticSeverity.Hidden).ToArray();
        Assert.True(problems.Length == 0, string.Join("\n", problems.Select(d => d.ToString())));
    }

    /// <summary>
    /// Generated code names every runtime type with global::, so a user's own types that share a runtime type's name
    /// (an ML codebase with its own LogSumExp, Partials or RowReduction) in the declaration's namespace change nothing.
    /// </summary>
    [Fact]
    public void UserTypesNamedLikeRuntimeTypes_DoNotShadowThem()
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.Diagnose);
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(parseOptions, """
            namespace My.Losses
            {
                internal static class LogSumExp { }
                internal static class Partials { }
                internal static class Chunking { }
                internal enum RowReduction { Nothing }
                internal static class ScalarD { }
                internal static class Simd512F { }
                internal static class GpuMath<T> { }
                internal static class GpuCopy { }
                internal static class GpuGroup { }
                internal sealed class KernelDevice { }
                internal static class KernelDsl { }
                internal static class System { }

                [global::KernelDsl.Loss("(t, s, y: label, w: row; T) => w * (logsumexp(s) - s[y]) + T^2 * sum(softmax(t / T) * (log_softmax(t / T) - log_softmax(s / T))) + max(s) - min(t)", Precision = global::KernelDsl.KernelPrecision.All)]
                public static partial class Shadowed { }
            }
            """).WithOptions(GeneratorHarness.CompilationOptions.WithGeneralDiagnosticOption(ReportDiagnostic.Error));

        GeneratorOutput output = GeneratorHarness.Run(compilation, parseOptions).AssertDidNotThrow();

        Diagnostic[] problems = output.OutputCompilation.GetDiagnostics().Where(d => d.Severity != DiagnosticSeverity.Hidden).ToArray();
        Assert.True(problems.Length == 0, string.Join("\n", problems.Take(10).Select(d => d.ToString())));
    }

    /// <summary>The generated files' hint names: namespace, containing types, type.</summary>
    [Fact]
    public void HintNames_FollowNamespaceAndContainingTypes()
    {
        GeneratorOutput output = GeneratorHarness.Run("""
            using KernelDsl;
            namespace A.B
            {
                public static partial class Outer
                {
                    public static partial class Inner
                    {
                        [Divergence("(p) => sum(p)")] public static partial class Kl { }
                    }
                }
            }
            [Divergence("(p) => sum(p)")] public static partial class Top { }
            """).AssertDidNotThrow();

        Assert.Equal(new[] { "A.B.Outer.Inner.Kl.g.cs", "Top.g.cs" }, output.Sources.Keys.OrderBy(k => k, StringComparer.Ordinal));
    }

    /// <summary>
    /// Hint names are compared without regard to case: kernel types whose dotted names differ only in case, or coincide
    /// (namespace A.B's Kl, and Kl nested in a class A.B: invalid C#, but the generator still runs), get numbered names
    /// instead of crashing the generator.
    /// </summary>
    [Theory]
    [InlineData(
        """namespace A.B { [KernelDsl.Divergence("(p) => sum(p)")] public static partial class Kl { } }""",
        """namespace A { public static partial class B { [KernelDsl.Loss("(p) => sum(p)")] public static partial class Kl { } } }""",
        "A.B.Kl.2.g.cs", "A.B.Kl.g.cs")]
    [InlineData(
        """namespace N { [KernelDsl.Divergence("(p) => sum(p)")] public static partial class Kl { } }""",
        """namespace N { [KernelDsl.Divergence("(p) => mean(p)")] public static partial class KL { } }""",
        "N.KL.g.cs", "N.Kl.2.g.cs")]
    public void HintNameCollisions_GetNumberedNames(string first, string second, string hint1, string hint2)
    {
        GeneratorOutput output = GeneratorHarness.Run(first, second).AssertDidNotThrow();

        Assert.Empty(output.Diagnostics);
        Assert.Equal(new[] { hint1, hint2 }, output.Sources.Keys.OrderBy(k => k, StringComparer.Ordinal));
    }

    /// <summary>200 random formulas, in every literal form they fit: no exception, no internal error, every formula
    /// diagnostic inside its attribute's argument, and whatever is generated compiles.</summary>
    [Fact]
    public void Generator_NeverThrows_ForGarbageFormulas()
    {
        var random = new Random(20241125);
        var declarations = new System.Text.StringBuilder("using KernelDsl;\nnamespace Garbage;\n");
        var forms = Enum.GetValues<LiteralForm>();
        for (int i = 0; i < 200; i++)
        {
            string formula = RandomFormula(random);
            EncodedLiteral? literal = null;
            for (int attempt = 0; literal is null; attempt++)
            {
                literal = EncodedLiteral.Encode(formula, attempt < 4 ? forms[random.Next(forms.Length)] : LiteralForm.Regular);
            }

            string attribute = i % 2 == 0 ? "Divergence" : "Loss";
            declarations.Append('[').Append(attribute).Append('(').Append(literal.Source).Append(")]\n")
                .Append("public static partial class K").Append(i).Append(";\n");
        }

        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(declarations.ToString());
        Assert.DoesNotContain(compilation.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);

        GeneratorOutput output = GeneratorHarness.Run(compilation).AssertDidNotThrow();

        SyntaxTree tree = compilation.SyntaxTrees.Single();
        var arguments = tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.AttributeArgumentSyntax>().Select(a => a.Span).ToArray();
        foreach (Diagnostic d in output.Diagnostics)
        {
            Assert.StartsWith("KDSL0", d.Id);
            Assert.Contains(arguments, a => a.Contains(d.Location.SourceSpan));
        }

        Diagnostic[] errors = output.OutputCompilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(errors.Length == 0, string.Join("\n", errors.Select(d => d.ToString())));
    }

    private static string RandomFormula(Random random)
    {
        string[] pieces =
        {
            "(", ")", "(p, q) =>", "(p; a) =>", "(p, q; a, b) =>", "=>", ";", ",", "p", "q", "a", "r", "log", "exp", "xlogy",
            "sum", "mean", "softmax", "log_softmax", "logsumexp", "(", ")", "+", "-", "*", "/", "^", " ", " ", "\t", "\n",
            "1", "0.5", "1e308", "1e999", "2.", ".5", "..", "\"", "\\", "'", "#", "$", "@", "{", "}", "[", "]", "é", "π",
            "\u0000", "\u2028", "\uD800", "\uDE00", "😀", "\r\n", "max(", "min(", "pow(p,", "sq(q)", "sign(p)", "if", "class",
        };
        int count = random.Next(0, 25);
        var builder = new System.Text.StringBuilder();
        if (random.Next(3) > 0) builder.Append(pieces[random.Next(2, 5)]);
        for (int k = 0; k < count; k++) builder.Append(pieces[random.Next(pieces.Length)]);
        return builder.ToString();
    }

    private static void Verify(string testName, string source)
    {
        GeneratorOutput output = GeneratorHarness.Run(source).AssertDidNotThrow();
        Assert.DoesNotContain(output.Diagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
        Assert.NotEmpty(output.Sources);
        Snapshots.Verify(testName, output.Sources);
    }
}
