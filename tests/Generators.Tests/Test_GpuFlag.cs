using KernelDsl.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KernelDsl.Generators.Tests;

/// <summary>The nested Gpu classes are written only for compilations that can see the GPU runtime's KernelDevice.</summary>
public sealed class Test_GpuFlag
{
    private const string Source = """
        namespace N;
        [KernelDsl.Divergence("(p, q) => rel_entr(p, q)")]
        public static partial class Kl;
        """;

    [Fact]
    public void WithTheGpuRuntime_TheGpuClassIsWritten()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Source);
        Assert.NotNull(compilation.GetTypeByMetadataName("KernelDsl.Runtime.Gpu.KernelDevice"));
        string code = Assert.Single(GeneratorHarness.Run(compilation).AssertDidNotThrow().Sources).Value;
        Assert.Contains("public static class Gpu", code, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutTheGpuRuntime_NoGpuClass_AndTheCpuApiIsThere()
    {
        // A CPU-only user's compilation: the KernelDsl package (attributes and CPU runtime), not KernelDsl.Gpu (so no
        // KernelDevice): the CPU members are written and compile without ILGPU and without warnings, the Gpu class is not.
        CSharpCompilation compilation = CSharpCompilation.Create(
            "NoGpu",
            new[] { CSharpSyntaxTree.ParseText(Source, GeneratorHarness.ParseOptions) },
            Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>().Append(GeneratorHarness.RuntimeReference),
            GeneratorHarness.CompilationOptions);
        Assert.Null(compilation.GetTypeByMetadataName("KernelDsl.Runtime.Gpu.KernelDevice"));

        GeneratorOutput output = GeneratorHarness.Run(compilation).AssertDidNotThrow();

        string code = Assert.Single(output.Sources).Value;
        Assert.DoesNotContain("class Gpu", code, StringComparison.Ordinal);
        Assert.DoesNotContain("ILGPU", code, StringComparison.Ordinal);
        Assert.Contains("public static unsafe float Value(", code, StringComparison.Ordinal);
        Assert.Contains("public static unsafe double RowsAndGradient(", code, StringComparison.Ordinal);
        Diagnostic[] problems = output.OutputCompilation.GetDiagnostics().Where(d => d.Severity != DiagnosticSeverity.Hidden).ToArray();
        Assert.True(problems.Length == 0, string.Join("\n", problems.Select(d => d.ToString())));
    }

    [Fact]
    public void WithoutTheGpuRuntime_NoNoteAboutMissingGpuKernels()
    {
        // Five vector inputs: KDSL0410 (no Gpu class for this formula) where there is a GPU runtime, nothing where there is none.
        const string five = """
            namespace N;
            [KernelDsl.Loss("(a, b, c, d, e) => sum(a * b * c * d * e)")]
            public static partial class Five;
            """;
        CSharpCompilation cpuOnly = CSharpCompilation.Create(
            "NoGpu",
            new[] { CSharpSyntaxTree.ParseText(five, GeneratorHarness.ParseOptions) },
            Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>().Append(GeneratorHarness.RuntimeReference),
            GeneratorHarness.CompilationOptions);
        Assert.Empty(GeneratorHarness.Run(cpuOnly).AssertDidNotThrow().Diagnostics);
        Assert.Equal("KDSL0410", Assert.Single(GeneratorHarness.Run(five).AssertDidNotThrow().Diagnostics).Id);
    }

    [Fact]
    public void TheFlag_IsCachedAcrossAnUnrelatedEdit()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Source, "class Other { }");
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Last(), CSharpSyntaxTree.ParseText("class Other { int x; }", GeneratorHarness.ParseOptions)));

        var steps = driver.GetRunResult().Results.Single().TrackedSteps[TrackingNames.GpuRuntime];
        Assert.All(steps.SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Unchanged, o.Reason));
        Assert.All(driver.GetRunResult().Results.Single().TrackedSteps[TrackingNames.ModelsToEmit].SelectMany(s => s.Outputs),
            o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }
}
