using KernelDsl.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KernelDsl.Generators.Tests;

/// <summary>
/// Sample formulas with terms of one point and row-level inputs (the CRPS of ensembles): the golden file of
/// <c>CrpsEnsemble</c>'s class, and generated code that compiles warning-free for the shapes this part of the planner takes.
/// </summary>
public sealed class Test_SampleRowsEmission
{
    [Fact]
    public void SampleFormula_CrpsEnsemble()
    {
        GeneratorOutput output = GeneratorHarness.Run("""
            using KernelDsl;

            namespace Catalogue;

            [Loss("(e: points, y: row) => mean(sum_k(abs(e - y))) - 0.5 * mean(dist(e, e))")]
            public static partial class CrpsEnsemble;
            """).AssertDidNotThrow();
        Assert.DoesNotContain(output.Diagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
        Snapshots.Verify(nameof(SampleFormula_CrpsEnsemble), output.Sources);
    }

    /// <summary>Terms of one point and row-level inputs in several shapes, in C# 12 and the newest C#: no diagnostic at all.</summary>
    [Theory]
    [InlineData(LanguageVersion.CSharp12)]
    [InlineData(LanguageVersion.Latest)]
    public void RowFormulas_CompileWithoutWarnings(LanguageVersion version)
    {
        const string source = """
            using KernelDsl;

            namespace Samples
            {
                [Loss("(e: points, y: row) => mean(sum_k(abs(e - y))) - 0.5 * umean(dist(e, e))", Precision = KernelPrecision.Float)]
                public static partial class Fair { }

                [Loss("(x: points(a), z: points, y: row, t: row; s) => t * log(mean(sum_k((x - y)^2)) / s) + mean(k(x, z)) * y where k(u, v) = exp(-sqdist(u, v))", Precision = KernelPrecision.Double)]
                internal static partial class Mixed { }

                [Divergence("(x: points) => mean(sum_k(x^2)) - mean(dot(x, x))")]
                public static partial class NoRows { }
            }
            """;
        var parseOptions = new CSharpParseOptions(version, DocumentationMode.Diagnose);
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(parseOptions, source)
            .WithOptions(GeneratorHarness.CompilationOptions.WithGeneralDiagnosticOption(ReportDiagnostic.Error).WithWarningLevel(9999));

        GeneratorOutput output = GeneratorHarness.Run(compilation, parseOptions).AssertDidNotThrow();

        Assert.True(output.Sources.Count == 3, string.Join("\n", output.Diagnostics.Select(d => d.ToString())));
        Assert.DoesNotContain(output.Diagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
        Diagnostic[] problems = output.OutputCompilation.GetDiagnostics().Where(d => d.Severity != DiagnosticSeverity.Hidden).ToArray();
        Assert.True(problems.Length == 0, string.Join("\n", problems.Select(d => d.ToString())));
        string all = string.Concat(output.Sources.Values);
        Assert.Contains("public static unsafe void RowsAndGradient(", all, StringComparison.Ordinal);
        Assert.Contains("PointSweep.Sum<", all, StringComparison.Ordinal);
    }
}
