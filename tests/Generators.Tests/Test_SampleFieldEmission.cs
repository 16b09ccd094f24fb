using KernelDsl.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KernelDsl.Generators.Tests;

/// <summary>
/// Per-point fields (sum_j, mean_j, logsumexp_j): the golden file of the MMD witness, generated code that compiles
/// warning-free for the field shapes the planner takes, and the golden file of the weighted softmin (its gradient a
/// softmax-weighted sweep).
/// </summary>
public sealed class Test_SampleFieldEmission
{
    [Fact]
    public void SampleField_GaussianMmdWitness()
    {
        GeneratorOutput output = GeneratorHarness.Run("""
            using KernelDsl;

            namespace Catalogue;

            [Divergence("(z: points, x: points, y: points; sigma) => mean_j(k(z, x)) - mean_j(k(z, y)) where k(u, v) = exp(-sqdist(u, v) / (2 * sigma^2))")]
            public static partial class GaussianMmdWitness;
            """).AssertDidNotThrow();
        Assert.DoesNotContain(output.Diagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
        Snapshots.Verify(nameof(SampleField_GaussianMmdWitness), output.Sources);
    }

    [Fact]
    public void SampleField_WeightedSoftmin()
    {
        GeneratorOutput output = GeneratorHarness.Run("""
            using KernelDsl;

            namespace Catalogue;

            [Divergence("(x: points, y: points(b); eps) => -eps * logsumexp_j(-sqdist(x, y) / eps)")]
            public static partial class WeightedSoftmin;
            """).AssertDidNotThrow();
        Assert.DoesNotContain(output.Diagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
        Snapshots.Verify(nameof(SampleField_WeightedSoftmin), output.Sources);
    }

    /// <summary>Weighted means, a ratio, a self field and a weighted softmin, in C# 12 and the newest C#: no diagnostic in the output.</summary>
    [Theory]
    [InlineData(LanguageVersion.CSharp12)]
    [InlineData(LanguageVersion.Latest)]
    public void SampleFields_CompileWithoutWarnings(LanguageVersion version)
    {
        const string source = """
            using KernelDsl;

            namespace Fields
            {
                [Divergence("(x: points, y: points(b); s) => log(sum_j(k(x, y))) / (1 + mean_j(dot(x, y))) where k(u, v) = exp(-sqdist(u, v) / s)")]
                public static partial class Ratio { }

                [Divergence("(x: points; s) => mean_j(exp(-dist(x, x) / s))", Precision = KernelPrecision.Float)]
                internal static partial class SelfField { }

                [Divergence("(x: points, y: points(b); eps) => -eps * logsumexp_j(-sqdist(x, y) / eps)", Precision = KernelPrecision.Double)]
                public static partial class Softmin { }
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
        string softmin = output.Sources.Single(s => s.Key.Contains("Softmin", StringComparison.Ordinal)).Value;
        Assert.Contains("public static void Value(", softmin, StringComparison.Ordinal);
        Assert.Contains("public static void ValueAndGradient(", softmin, StringComparison.Ordinal);
        Assert.Contains("RowLogSumExpWithGradient(", softmin, StringComparison.Ordinal);
        string ratio = output.Sources.Single(s => s.Key.Contains("Ratio", StringComparison.Ordinal)).Value;
        Assert.Contains("public static void ValueAndGradient(", ratio, StringComparison.Ordinal);
    }

    /// <summary>A field's entry points take spans named output and gradient: a formula name equal to one is KDSL0411.</summary>
    [Theory]
    [InlineData("(x: points, output: points) => mean_j(dist(x, output))", "output")]
    [InlineData("(x: points; gradient) => mean_j(exp(-sqdist(x, x) / gradient))", "gradient")]
    public void NamesOfTheFieldEntryPoints_ReportKdsl0411(string formula, string name)
    {
        GeneratorOutput output = GeneratorHarness.Run($$"""
            [KernelDsl.Divergence("{{formula}}")]
            public static partial class Clash;
            """).AssertDidNotThrow();
        Diagnostic d = Assert.Single(output.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("KDSL0411", d.Id);
        Assert.Contains($"'{name}'", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Empty(output.Sources);
    }
}
