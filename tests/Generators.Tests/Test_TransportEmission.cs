using KernelDsl.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KernelDsl.Generators.Tests;

/// <summary>
/// Optimal transport (<c>sinkhorn</c>, <c>sinkhorn_divergence</c>): the golden files of the catalogue's SinkhornDivergence
/// (the CPU entry points, and the nested Gpu class alone), generated code that compiles warning-free for several user
/// costs (dist^1.5, dot, weights or not, the second cloud first in the header, one precision) with a Gpu class each,
/// the weights' value checks and the ε error under the header's names, KDSL0413 on the header only for a cost the GPU
/// pair term cannot hold, KDSL0411 for the names of the new entry
/// points' parameters, and KDSL0302 for the shapes the planner refuses.
/// </summary>
public sealed class Test_TransportEmission
{
    private const string Catalogue = """
        using KernelDsl;

        namespace Catalogue;

        [Divergence("(x: points(a), y: points(b); blur) => sinkhorn_divergence(c(x, y), blur^2) where c(u, v) = sqdist(u, v) / 2")]
        public static partial class SinkhornDivergence;
        """;

    /// <summary>The CPU entry points of the catalogue's SinkhornDivergence (the golden file without the Gpu class beside them).</summary>
    [Fact]
    public void SampleFormula_SinkhornDivergence()
    {
        GeneratorOutput output = GeneratorHarness.Run(Catalogue).AssertDidNotThrow();
        Assert.Empty(output.Diagnostics);
        var (hint, source) = Assert.Single(output.Sources);
        string cpu = source.Replace("\n" + Test_GpuSampleEmission.GpuClass(source), "", StringComparison.Ordinal);
        Assert.DoesNotContain("class Gpu", cpu, StringComparison.Ordinal);
        Snapshots.Verify(nameof(SampleFormula_SinkhornDivergence), new Dictionary<string, string> { [hint] = cpu });
    }

    /// <summary>
    /// The nested Gpu class of the catalogue's SinkhornDivergence alone: views and spans, float and double, each entry
    /// point one call of the GPU Sinkhorn solver with the GPU pair term of the cost and the CPU class's ε.
    /// </summary>
    [Fact]
    public void SampleGpuClass_SinkhornDivergence()
    {
        GeneratorOutput output = GeneratorHarness.Run(Catalogue).AssertDidNotThrow();
        var (hint, source) = Assert.Single(output.Sources);
        string gpu = Test_GpuSampleEmission.GpuClass(source);
        Assert.Contains("global::KernelDsl.Runtime.Gpu.GpuSinkhornSweep.Solve(device, in _cost, x, a, y, b, d, _epsilon, debias: true, options,", gpu, StringComparison.Ordinal);
        Assert.Contains("private readonly struct _PairTerm0<_T> : global::KernelDsl.Runtime.Gpu.IGpuPairTerm<_T>", gpu, StringComparison.Ordinal);
        Assert.DoesNotContain("private static double _Epsilon", gpu, StringComparison.Ordinal);
        Snapshots.Verify(nameof(SampleGpuClass_SinkhornDivergence), new Dictionary<string, string> { [hint] = gpu });
    }

    /// <summary>A cost with more constants than a GPU pair term holds: CPU code only, KDSL0413 naming the count, on the header.</summary>
    [Fact]
    public void CostWithTooManyConstants_ReportsKdsl0413()
    {
        const string formula = "(x: points, y: points; e, h, k, l, q, r, s, t, w) => sinkhorn(h * exp(k * sqdist(x, y)) + l * exp(q * sqdist(x, y)) + r * exp(s * sqdist(x, y)) + t * exp(w * sqdist(x, y)) + e * sqdist(x, y), e)";
        GeneratorOutput output = GeneratorHarness.Run($$"""
            [KernelDsl.Divergence("{{formula}}")]
            public static partial class Wide;
            """).AssertDidNotThrow();
        Diagnostic note = Assert.Single(output.Diagnostics);
        Assert.Equal("KDSL0413", note.Id);
        Assert.Equal(DiagnosticSeverity.Info, note.Severity);
        Assert.Matches(@"keeps (9|[1-9][0-9]) constants, and a GPU pair term holds at most 8$", note.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        string header = note.Location.SourceTree!.ToString().Substring(note.Location.SourceSpan.Start, note.Location.SourceSpan.Length);
        Assert.Equal("(x: points, y: points; e, h, k, l, q, r, s, t, w)", header);
        string code = Assert.Single(output.Sources).Value;
        Assert.DoesNotContain("class Gpu", code, StringComparison.Ordinal);
        Assert.Contains("SinkhornResult ValueAndGradient(", code, StringComparison.Ordinal);
    }

    /// <summary>User costs and headers, in C# 12 and the newest C#: no diagnostic, a Gpu class each with every entry point over views and spans.</summary>
    [Theory]
    [InlineData(LanguageVersion.CSharp12)]
    [InlineData(LanguageVersion.Latest)]
    public void TransportFormulas_CompileWithoutWarnings(LanguageVersion version)
    {
        const string source = """
            using KernelDsl;

            namespace Transport
            {
                [Divergence("(x: points, y: points; blur) => sinkhorn_divergence(c(x, y), blur^1.5) where c(u, v) = dist(u, v)^1.5 / 1.5")]
                public static partial class PowerCost { }

                [Divergence("(x: points(a), y: points; s, t) => sinkhorn(-dot(x, y) * t, 2 * s)", Precision = KernelPrecision.Float)]
                internal static partial class DotCost { }

                [Loss("(y: points(b), x: points(a)) => (sinkhorn_divergence(sqdist(x, y), 0.25))", Precision = KernelPrecision.Double)]
                public static partial class SecondCloudFirst { }

                /// <summary>A containing type.</summary>
                public static partial class Outer
                {
                    [Divergence("(u: points, w: points(q); eps) => sinkhorn(k(u, w), eps) where k(s, z) = log1p(sqdist(s, z))")]
                    internal static partial class Nested { }
                }
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
        // One line per signature (the writer wraps long parameter lists).
        string all = System.Text.RegularExpressions.Regex.Replace(string.Concat(output.Sources.Values), @"\(\s+", "(").Replace(",\n", ", ");
        all = System.Text.RegularExpressions.Regex.Replace(all, @",\s+", ", ");
        foreach (string member in new[] { "SinkhornResult Value(", "SinkhornResult ValueAndGradient(", "SinkhornResult Potentials(", "void ApplyPlan(", "void BarycentricMap(" })
            Assert.Contains(member, all, StringComparison.Ordinal);
        // The weights' overload: da beside dx for DotCost (x weighted, y not); both for SecondCloudFirst.
        Assert.Contains("global::System.Span<float> dx, global::System.Span<float> dy, global::System.Span<float> da,", all, StringComparison.Ordinal);
        Assert.Contains("global::System.Span<double> da, global::System.Span<double> db,", all, StringComparison.Ordinal);
        // The Gpu class: every entry point over views and over spans, the weights' overload on views too.
        foreach (string code in output.Sources.Values)
        {
            string gpu = System.Text.RegularExpressions.Regex.Replace(Test_GpuSampleEmission.GpuClass(code), @"\(\s+", "(");
            gpu = System.Text.RegularExpressions.Regex.Replace(gpu, @",\s+", ", ");
            foreach (string member in new[] { "SinkhornResult Value(", "SinkhornResult ValueAndGradient(", "SinkhornResult Potentials(", "void ApplyPlan(", "void BarycentricMap(" })
            {
                Assert.Contains(member + "global::KernelDsl.Runtime.Gpu.KernelDevice device, global::ILGPU.ArrayView<", gpu, StringComparison.Ordinal);
                Assert.Contains(member + "global::KernelDsl.Runtime.Gpu.KernelDevice device, global::System.ReadOnlySpan<", gpu, StringComparison.Ordinal);
            }
            Assert.Contains("GpuSinkhornSweep.", gpu, StringComparison.Ordinal);
        }
        Assert.Contains("global::ILGPU.ArrayView<float> dx, global::ILGPU.ArrayView<float> dy, global::ILGPU.ArrayView<float> da,", all, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("(x: points, y: points; [|f|]) => sinkhorn(sqdist(x, y), f)")]
    [InlineData("(x: points, [|g|]: points) => sinkhorn(sqdist(x, g), 1)")]
    [InlineData("(x: points([|v|]), y: points; e) => sinkhorn(sqdist(x, y), e)")]
    [InlineData("(x: points, y: points; e, [|p|]) => sinkhorn(dist(x, y)^p, e)")]
    [InlineData("([|output|]: points, y: points; e) => sinkhorn_divergence(sqdist(output, y), e)")]
    [InlineData("(x: points, y: points; [|options|]) => sinkhorn(sqdist(x, y), options)")]
    public void NamesOfTheTransportEntryPoints_ReportKdsl0411(string annotated)
    {
        var markup = Markup.Parse($$"""
            [KernelDsl.Divergence("{{annotated}}")]
            public static partial class Clash;
            """);
        GeneratorOutput output = GeneratorHarness.Run(markup.Source).AssertDidNotThrow();
        Diagnostic d = Assert.Single(output.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("KDSL0411", d.Id);
        Assert.Equal(markup.Spans.Single().Span, d.Location.SourceSpan);
        Assert.Empty(output.Sources);
    }

    [Theory]
    [InlineData("(x: points, y: points, z: points; e) => sinkhorn(sqdist(x, y), e)", "two clouds and parameters only")]
    [InlineData("(x: points, y: points) => sinkhorn(sqdist(x, y), 1 - 2)", "ε is the constant -1")]
    [InlineData("(x: points, y: points; e) => sinkhorn(sqdist(x, y) * dot(x, y), e)", "two pair features")]
    public void UncompiledTransportShapes_ReportKdsl0302(string formula, string part)
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

    /// <summary>
    /// The weights' values are checked under the header's names before the solver (which names a and b) sees them, on the
    /// host for views too, with the solver's tolerance per precision; a cloud without weights is passed as default under
    /// its cloud's name. ε read from two parameters names the first and lists both.
    /// </summary>
    [Fact]
    public void WeightChecksAndEpsilon_UseTheHeadersNames()
    {
        GeneratorOutput output = GeneratorHarness.Run("""
            [KernelDsl.Divergence("(x: points, y: points(mu); blur, scale) => sinkhorn(sqdist(x, y), blur * scale)")]
            public static partial class Named;
            """).AssertDidNotThrow();
        Assert.Empty(output.Diagnostics);
        string code = Assert.Single(output.Sources).Value;
        string gpu = Test_GpuSampleEmission.GpuClass(code);
        string cpu = code.Replace(gpu, "", StringComparison.Ordinal);
        const string checks = "global::KernelDsl.Runtime.TransportChecks.Masses<float>(";
        // CPU: Value, ValueAndGradient twice, Potentials, ApplyPlan and BarycentricMap, for float and double.
        Assert.Equal(6, Count(cpu, checks + "default, _n, nameof(x), mu, _m, nameof(mu), global::KernelDsl.Runtime.TransportChecks.FloatMassTolerance);"));
        Assert.Equal(6, Count(cpu, "TransportChecks.Masses<double>(default, _n, nameof(x), mu, _m, nameof(mu), global::KernelDsl.Runtime.TransportChecks.DoubleMassTolerance);"));
        // GPU: the view overloads copy the weights down and check them; the span overloads call those.
        Assert.Equal(6, Count(gpu, "var _hb = new float[_m]; device.Download(mu, _hb);"));
        Assert.Equal(6, Count(gpu, checks + "default, _n, nameof(x), _hb, _m, nameof(mu), global::KernelDsl.Runtime.TransportChecks.FloatMassTolerance);"));
        Assert.DoesNotContain("nameof(a)", code, StringComparison.Ordinal);
        Assert.DoesNotContain("nameof(b)", code, StringComparison.Ordinal);
        Assert.DoesNotContain("_ha", code, StringComparison.Ordinal);
        Assert.Contains("throw new global::System.ArgumentOutOfRangeException(nameof(blur), ", cpu, StringComparison.Ordinal);
        Assert.Contains("must be positive and finite (it reads blur, scale).\");", cpu, StringComparison.Ordinal);
        Assert.DoesNotContain("\"blur, scale\"", code, StringComparison.Ordinal);
    }

    private static int Count(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
