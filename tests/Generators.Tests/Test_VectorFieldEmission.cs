using KernelDsl.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KernelDsl.Generators.Tests;

/// <summary>
/// Vector fields (a d-vector per point) and companions (<c>s: vectors(x)</c>): the golden file of SvgdDirection, generated
/// code that compiles warning-free, Value only (no ValueAndGradient), companion spans after their cloud.
/// </summary>
public sealed class Test_VectorFieldEmission
{
    [Fact]
    public void VectorField_SvgdDirection()
    {
        GeneratorOutput output = GeneratorHarness.Run("""
            using KernelDsl;

            namespace Catalogue;

            [Divergence("(x: points, s: vectors(x); h) => mean_j(phi(x, x)) where k(u, v) = exp(-sqdist(u, v) / h), phi(u, v) = k(v, u) * s(v) + 2 / h * (u - v) * k(v, u)")]
            public static partial class SvgdDirection;
            """).AssertDidNotThrow();
        Assert.DoesNotContain(output.Diagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
        Snapshots.Verify(nameof(VectorField_SvgdDirection), output.Sources);
    }

    /// <summary>A barycentric map, a weighted drift with the point outside the sum and companions on two clouds, in C# 12 and the newest C#.</summary>
    [Theory]
    [InlineData(LanguageVersion.CSharp12)]
    [InlineData(LanguageVersion.Latest)]
    public void VectorFields_CompileWithoutWarnings(LanguageVersion version)
    {
        const string source = """
            using KernelDsl;

            namespace Fields
            {
                [Divergence("(x: points, y: points; sigma) => sum_j(k(x, y) * y) / sum_j(k(x, y)) where k(u, v) = exp(-sqdist(u, v) / (2 * sigma^2))")]
                public static partial class Barycentric { }

                [Divergence("(x: points, y: points(b); h) => x + mean_j(g(x, y)) where g(u, v) = (v - u) * exp(-sqdist(u, v) / h)", Precision = KernelPrecision.Float)]
                internal static partial class Drift { }

                [Divergence("(x: points, s: vectors(x), y: points(b), t: vectors(y); h) => mean_j(g(x, y)) where g(u, v) = t(v) * exp(-dist(u, v) / h) - s(u) * dot(u, v)", Precision = KernelPrecision.Double)]
                public static partial class Companions { }
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
        foreach (var (_, text) in output.Sources)
        {
            Assert.Contains("public static void Value(", text, StringComparison.Ordinal);
            Assert.DoesNotContain("ValueAndGradient(", text, StringComparison.Ordinal);
        }
        string companions = output.Sources.Single(s => s.Key.Contains("Companions", StringComparison.Ordinal)).Value;
        Assert.Contains("Value(global::System.ReadOnlySpan<double> x, global::System.ReadOnlySpan<double> s, global::System.ReadOnlySpan<double> y, global::System.ReadOnlySpan<double> b, global::System.ReadOnlySpan<double> t, int d,", System.Text.RegularExpressions.Regex.Replace(companions, @"\s+", " ").Replace("( ", "("), StringComparison.Ordinal);
    }
}
