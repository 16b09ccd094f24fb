using Basic.Reference.Assemblies;
using KernelDsl.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KernelDsl.Generators.Tests;

/// <summary>
/// What each package gives a user's compilation: with only KernelDsl (the CPU runtime), declarations get CPU kernels and
/// no Gpu class, and the code compiles without ILGPU; with KernelDsl.Gpu as well, they get their Gpu classes.
/// </summary>
public class Test_KernelGenerator_Packages
{
    private const string Source = """
        using KernelDsl;
        namespace App;
        [Divergence("(p, q; a) => log(sum(p^a * q^(1 - a))) / (a - 1)")]
        public static partial class Renyi;
        [Loss("(t, s, y: label; T) => T^2 * sum(softmax(t / T) * (log_softmax(t / T) - log_softmax(s / T))) - s[y]")]
        public static partial class Distill;
        """;

    private static CSharpCompilation CpuOnly() => CSharpCompilation.Create(
        "CpuOnlyUser",
        new[] { CSharpSyntaxTree.ParseText(Source, GeneratorHarness.ParseOptions, path: "Source0.cs") },
        Net100.References.All.Cast<MetadataReference>().Append(GeneratorHarness.RuntimeReference),
        GeneratorHarness.CompilationOptions);

    [Fact]
    public void CpuOnlyCompilation_GetsNoGpuCode_AndCompilesWithoutWarnings()
    {
        GeneratorOutput output = GeneratorHarness.Run(CpuOnly()).AssertDidNotThrow();
        Assert.Empty(output.Diagnostics);
        Assert.Equal(2, output.Sources.Count);
        foreach (string text in output.Sources.Values)
        {
            Assert.DoesNotContain("class Gpu", text);
            Assert.DoesNotContain("ILGPU", text);
            Assert.DoesNotContain("KernelDsl.Runtime.Gpu", text);
            Assert.Contains("public static float Value(", text.Replace("unsafe ", ""));
        }

        Diagnostic[] problems = output.OutputCompilation.GetDiagnostics().Where(d => d.Severity != DiagnosticSeverity.Hidden).ToArray();
        Assert.True(problems.Length == 0, string.Join("\n", problems.Select(d => d.ToString())));
    }

    [Fact]
    public void CompilationWithTheGpuRuntime_GetsGpuClasses()
    {
        GeneratorOutput output = GeneratorHarness.Run(Source).AssertDidNotThrow();
        Assert.Equal(2, output.Sources.Count);
        Assert.All(output.Sources.Values, text => Assert.Contains("public static class Gpu", text));
        Diagnostic[] problems = output.OutputCompilation.GetDiagnostics().Where(d => d.Severity != DiagnosticSeverity.Hidden).ToArray();
        Assert.True(problems.Length == 0, string.Join("\n", problems.Select(d => d.ToString())));
    }
}
