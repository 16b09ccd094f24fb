using KernelDsl.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KernelDsl.Generators.Tests;

/// <summary>
/// Sample formulas (point clouds): the golden file of one generated class, generated code that compiles warning-free for
/// every shape the sample planner takes, KDSL0302 naming the part of a formula not compiled yet, and the Gpu class only
/// where the GPU runtime is referenced (KDSL0413: Test_GpuSampleEmission).
/// </summary>
public sealed class Test_SampleEmission
{
    [Fact]
    public void SampleFormula_GaussianMmd2()
    {
        GeneratorOutput output = GeneratorHarness.Run("""
            using KernelDsl;

            namespace Catalogue;

            [Divergence("(x: points, y: points; sigma) => mean(k(x, x)) + mean(k(y, y)) - 2 * mean(k(x, y)) where k(u, v) = exp(-sqdist(u, v) / (2 * sigma^2))")]
            public static partial class GaussianMmd2;
            """).AssertDidNotThrow();
        Assert.DoesNotContain(output.Diagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
        Snapshots.Verify(nameof(SampleFormula_GaussianMmd2), output.Sources);
    }

    /// <summary>Every shape the sample planner compiles, in C# 12 and the newest C#: no diagnostic at all in the output.</summary>
    [Theory]
    [InlineData(LanguageVersion.CSharp12)]
    [InlineData(LanguageVersion.Latest)]
    public void SampleFormulas_CompileWithoutWarnings(LanguageVersion version)
    {
        const string source = """
            using KernelDsl;

            namespace Samples
            {
                [Divergence("(x: points, y: points; s) => umean(k(x, x)) + umean(k(y, y)) - 2 * mean(k(x, y)) where k(u, v) = exp(-sqdist(u, v) / (2 * s^2))")]
                public static partial class Unbiased { }

                [Divergence("(x: points(a), y: points(b); s) => -2 * log(mean(k(x, y))) + log(umean(k(x, x))) + log(mean(k(y, y))) where k(u, v) = (1 + sqdist(u, v) / s^2)^(-0.5)", Precision = KernelPrecision.Float)]
                internal static partial class WeightedLogs { }

                [Divergence("(x: points, y: points, z: points) => 2 * mean(dist(x, y)) - mean(dist(x, x)) + sum(tanh(dot(y, z))) * mean(dot(z, z))", Precision = KernelPrecision.Double)]
                public static partial class ThreeClouds { }

                [Loss("(x: points) => mean(exp(-dist(x, x)))", Precision = KernelPrecision.Float | KernelPrecision.Half)]
                public static partial class OneCloud { }
            }
            """;
        var parseOptions = new CSharpParseOptions(version, DocumentationMode.Diagnose);
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(parseOptions, source)
            .WithOptions(GeneratorHarness.CompilationOptions.WithGeneralDiagnosticOption(ReportDiagnostic.Error).WithWarningLevel(9999));

        GeneratorOutput output = GeneratorHarness.Run(compilation, parseOptions).AssertDidNotThrow();

        Assert.Equal(4, output.Sources.Count);
        Assert.DoesNotContain(output.Diagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
        Assert.Empty(output.Diagnostics); // every one gets a Gpu class too (Test_GpuSampleEmission)
        Diagnostic[] problems = output.OutputCompilation.GetDiagnostics().Where(d => d.Severity != DiagnosticSeverity.Hidden).ToArray();
        Assert.True(problems.Length == 0, string.Join("\n", problems.Select(d => d.ToString())));
        string all = string.Concat(output.Sources.Values);
        Assert.Contains("public static float ValueAndGradient(", all, StringComparison.Ordinal);
        Assert.Contains("public static double ValueAndGradient(", all, StringComparison.Ordinal);
    }

    /// <summary>A shape the planner does not compile gets one KDSL0302 whose message names the part, and no code.</summary>
    [Theory]
    [InlineData("(x: points, y: points; s) => mean_j(exp(-sqdist(x, y) / s)) + mean(dist(x, y))", "all pairs inside a per-point field")]
    [InlineData("(x: points, y: points) => logsumexp(-sqdist(x, y))", "logsumexp over pairs")]
    [InlineData("(x: points, y: points) => mean(sum_k(abs(x - y)))", "sum_k of a featurewise formula")]
    [InlineData("(x: points, y: points) => mean(sqdist(x, y) * dot(x, y))", "two pair features")]
    [InlineData("(e: points, m: mask) => mean(dist(e, e))", "a mask")]
    [InlineData("(x: points, y: points) => mean(sum_k(x) * sum_k(x))", "a term of one point other than")]
    public void UncompiledShapes_ReportKdsl0302_NamingThePart(string formula, string part)
    {
        GeneratorOutput output = GeneratorHarness.Run($$"""
            [KernelDsl.Divergence("{{formula}}")]
            public static partial class Pending;
            """).AssertDidNotThrow();
        Diagnostic d = Assert.Single(output.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("KDSL0302", d.Id);
        Assert.Contains(part, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Empty(output.Sources);
    }

    /// <summary>The entry points take d and a gradient dx per cloud x: a formula name equal to one is KDSL0411, at the name.</summary>
    [Theory]
    [InlineData("(x: points, y: points; d) => d * mean(dist(x, y))", "d")]
    [InlineData("(x: points, dx: points) => mean(dist(x, dx))", "dx")]
    public void NamesOfTheSampleEntryPoints_ReportKdsl0411(string formula, string name)
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

    [Fact]
    public void WithoutTheGpuRuntime_NoNoteAboutSampleGpuKernels()
    {
        const string source = """
            [KernelDsl.Divergence("(x: points, y: points) => 2 * mean(dist(x, y)) - mean(dist(x, x)) - mean(dist(y, y))")]
            public static partial class Energy;
            """;
        CSharpCompilation cpuOnly = CSharpCompilation.Create(
            "NoGpu",
            new[] { CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions) },
            Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>().Append(GeneratorHarness.RuntimeReference),
            GeneratorHarness.CompilationOptions);
        GeneratorOutput output = GeneratorHarness.Run(cpuOnly).AssertDidNotThrow();
        Assert.Empty(output.Diagnostics);
        Assert.Single(output.Sources);
        Diagnostic[] problems = output.OutputCompilation.GetDiagnostics().Where(d => d.Severity != DiagnosticSeverity.Hidden).ToArray();
        Assert.True(problems.Length == 0, string.Join("\n", problems.Select(d => d.ToString())));

        GeneratorOutput withGpu = GeneratorHarness.Run(source).AssertDidNotThrow();
        Assert.Empty(withGpu.Diagnostics);
        Assert.Contains("public static class Gpu", Assert.Single(withGpu.Sources).Value, StringComparison.Ordinal);
    }
}
