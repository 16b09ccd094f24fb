using KernelDsl.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KernelDsl.Generators.Tests;

/// <summary>
/// The nested Gpu class of sample formulas (point clouds): the golden file of one (the Gpu class alone, so that changes
/// to the CPU entry points beside it do not touch it), generated code that compiles warning-free for every shape the
/// sample planner takes, the pair term private (only its constants reach a kernel), and KDSL0413 naming why a formula
/// gets no Gpu class.
/// </summary>
public sealed class Test_GpuSampleEmission
{
    /// <summary>The Gpu class of a generated file: from its summary to the end of the class.</summary>
    internal static string GpuClass(string source)
    {
        int at = source.IndexOf("public static class Gpu", StringComparison.Ordinal);
        Assert.True(at > 0, "no Gpu class");
        int line = source.LastIndexOf('\n', at) + 1;
        string indent = source[line..at];
        int start = source.LastIndexOf('\n', source.LastIndexOf("/// <summary>The same formula on an ILGPU accelerator", at, StringComparison.Ordinal)) + 1;
        string close = "\n" + indent + "}\n";
        int end = source.IndexOf(close, at, StringComparison.Ordinal);
        return source[start..(end + close.Length)];
    }

    [Fact]
    public void SampleGpuClass_WeightedCauchySchwarz()
    {
        // Weights (their sums on the host), a non-linear epilogue (value sweeps, then gradient sweeps), self and cross
        // shares of one term in one sweep per cloud.
        GeneratorOutput output = GeneratorHarness.Run("""
            using KernelDsl;

            namespace Catalogue;

            [Divergence("(x: points(a), y: points(b); s) => -2 * log(mean(k(x, y))) + log(mean(k(x, x))) + log(mean(k(y, y))) where k(u, v) = exp(-sqdist(u, v) / (4 * s^2))")]
            public static partial class WeightedCauchySchwarz;
            """).AssertDidNotThrow();
        Assert.Empty(output.Diagnostics);
        var (hint, source) = Assert.Single(output.Sources);
        Snapshots.Verify(nameof(SampleGpuClass_WeightedCauchySchwarz), new Dictionary<string, string> { [hint] = GpuClass(source) });
    }

    /// <summary>
    /// Every shape the sample planner compiles gets a Gpu class that compiles without a diagnostic, in C# 12 and the newest
    /// C#; a cloud whose gradient has shares of different terms adds the later ones to its view (accumulate).
    /// </summary>
    [Theory]
    [InlineData(LanguageVersion.CSharp12)]
    [InlineData(LanguageVersion.Latest)]
    public void SampleGpuClasses_CompileWithoutWarnings(LanguageVersion version)
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

                [Loss("(x: points, y: points) => mean(exp(-sqdist(x, y))) + mean(dist(x, x)) + mean(tanh(dot(x, y)))")]
                public static partial class ThreeTerms { }
            }
            """;
        var parseOptions = new CSharpParseOptions(version, DocumentationMode.Diagnose);
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(parseOptions, source)
            .WithOptions(GeneratorHarness.CompilationOptions.WithGeneralDiagnosticOption(ReportDiagnostic.Error).WithWarningLevel(9999));

        GeneratorOutput output = GeneratorHarness.Run(compilation, parseOptions).AssertDidNotThrow();

        Assert.Equal(4, output.Sources.Count);
        Assert.Empty(output.Diagnostics);
        Diagnostic[] problems = output.OutputCompilation.GetDiagnostics().Where(d => d.Severity != DiagnosticSeverity.Hidden).ToArray();
        Assert.True(problems.Length == 0, string.Join("\n", problems.Select(d => d.ToString())));
        foreach (var code in output.Sources.Values)
        {
            string gpu = GpuClass(code);
            Assert.Contains("private readonly struct _PairTerm0<_T> : global::KernelDsl.Runtime.Gpu.IGpuPairTerm<_T>", gpu, StringComparison.Ordinal);
            Assert.DoesNotContain("Interlocked", gpu, StringComparison.Ordinal);
            Assert.DoesNotContain("Atomic", gpu, StringComparison.Ordinal);
        }
        string threeTerms = GpuClass(output.Sources.Single(s => s.Key.Contains("ThreeTerms", StringComparison.Ordinal)).Value);
        Assert.Contains("accumulate: true", threeTerms, StringComparison.Ordinal);
        string unbiased = GpuClass(output.Sources.Single(s => s.Key.Contains("Unbiased", StringComparison.Ordinal)).Value);
        Assert.Contains("public static float ValueAndGradient(", unbiased, StringComparison.Ordinal);
        Assert.Contains("public static double ValueAndGradient(", unbiased, StringComparison.Ordinal);
    }

    /// <summary>A pair term with more constants than a GPU pair term holds: CPU kernels, no Gpu class, KDSL0413 saying why, on the header.</summary>
    [Fact]
    public void TooManyConstants_ReportKdsl0413_NamingWhy()
    {
        const string formula = "(x: points, y: points; a, b, c, e, g, h, k, l, o) => mean(a * exp(b * sqdist(x, y)) + c * exp(e * sqdist(x, y)) + g * exp(h * sqdist(x, y)) + k * exp(l * sqdist(x, y)) + o * sqdist(x, y))";
        GeneratorOutput output = GeneratorHarness.Run($$"""
            [KernelDsl.Divergence("{{formula}}")]
            public static partial class Wide;
            """).AssertDidNotThrow();
        Diagnostic d = Assert.Single(output.Diagnostics);
        Assert.Equal("KDSL0413", d.Id);
        Assert.Equal(DiagnosticSeverity.Info, d.Severity);
        string message = d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Matches(@"keeps (9|[1-9][0-9]) constants, and a GPU pair term holds at most 8$", message);
        string header = d.Location.SourceTree!.ToString().Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length);
        Assert.StartsWith("(x: points", header, StringComparison.Ordinal);
        string code = Assert.Single(output.Sources).Value;
        Assert.DoesNotContain("class Gpu", code, StringComparison.Ordinal);
        Assert.Contains("public static float ValueAndGradient(", code, StringComparison.Ordinal);
    }
}
