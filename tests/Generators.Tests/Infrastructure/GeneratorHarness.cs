using System.Collections.Immutable;
using System.IO;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KernelDsl.Generators.Tests.Infrastructure;

/// <summary>Runs <see cref="KernelGenerator"/> over C# sources, the way the compiler does in a user's project.</summary>
internal static class GeneratorHarness
{
    /// <summary>ILGPU and its algorithms library, which the generated GPU kernels use.</summary>
    public static MetadataReference[] IlgpuReferences { get; } =
    {
        MetadataReference.CreateFromFile(typeof(global::ILGPU.Context).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(global::ILGPU.Algorithms.XMath).Assembly.Location),
    };

    /// <summary>
    /// The attributes and the runtime that generated code calls (KernelDsl.Runtime.dll, copied beside the tests by the
    /// project reference), referenced from disk as a user's project references the KernelDsl package's lib/ assembly.
    /// </summary>
    public static MetadataReference RuntimeReference { get; } =
        MetadataReference.CreateFromFile(Path.Combine(AppContext.BaseDirectory, "KernelDsl.Runtime.dll"));

    /// <summary>The GPU runtime (KernelDsl.Gpu.dll, the KernelDsl.Gpu package's lib/ assembly): with it, declarations get Gpu classes.</summary>
    public static MetadataReference GpuReference { get; } =
        MetadataReference.CreateFromFile(Path.Combine(AppContext.BaseDirectory, "KernelDsl.Gpu.dll"));

    /// <summary>The parse options of the test sources: the newest C#, with documentation comments checked.</summary>
    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest, DocumentationMode.Diagnose);

    /// <summary>
    /// The compilation options of a user's library: nullable enabled and, as the generated kernels pin spans,
    /// unsafe code allowed (AllowUnsafeBlocks).
    /// </summary>
    public static CSharpCompilationOptions CompilationOptions { get; } = new(
        OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true,
        // As the .NET SDK does by default: ILGPU is built against an older System.Runtime (CS1701/CS1702 are unification notes).
        specificDiagnosticOptions: new Dictionary<string, ReportDiagnostic> { ["CS1701"] = ReportDiagnostic.Suppress, ["CS1702"] = ReportDiagnostic.Suppress });

    /// <summary>A library compilation of <paramref name="sources"/> (files <c>Source0.cs</c>, <c>Source1.cs</c>...).</summary>
    public static CSharpCompilation CreateCompilation(CSharpParseOptions? parseOptions, params string[] sources)
    {
        SyntaxTree[] trees = sources
            .Select((text, i) => CSharpSyntaxTree.ParseText(text, parseOptions ?? ParseOptions, path: $"Source{i}.cs"))
            .ToArray();
        return CSharpCompilation.Create(
            "TestProject",
            trees,
            Net100.References.All.Cast<MetadataReference>().Append(RuntimeReference).Append(GpuReference).Concat(IlgpuReferences),
            CompilationOptions);
    }

    /// <summary>A library compilation of <paramref name="sources"/> with <see cref="ParseOptions"/>.</summary>
    public static CSharpCompilation CreateCompilation(params string[] sources) => CreateCompilation(null, sources);

    /// <summary>A driver for the generator that records every pipeline step.</summary>
    public static GeneratorDriver CreateDriver(CSharpParseOptions? parseOptions = null) =>
        CSharpGeneratorDriver.Create(
            new[] { new KernelGenerator().AsSourceGenerator() },
            parseOptions: parseOptions ?? ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator once over <paramref name="compilation"/>.</summary>
    public static GeneratorOutput Run(CSharpCompilation compilation, CSharpParseOptions? parseOptions = null)
    {
        GeneratorDriver driver = CreateDriver(parseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> driverDiagnostics);
        return new GeneratorOutput(driver.GetRunResult().Results.Single(), output, driverDiagnostics);
    }

    /// <summary>Runs the generator once over <paramref name="sources"/>.</summary>
    public static GeneratorOutput Run(params string[] sources) => Run(CreateCompilation(sources));
}

/// <summary>What one generator run produced.</summary>
/// <param name="Result">The generator's own result: sources, diagnostics, exception, tracked steps.</param>
/// <param name="OutputCompilation">The input compilation with the generated sources added.</param>
/// <param name="DriverDiagnostics">What the driver reported: the generator's diagnostics, plus CS8784/CS8785 when a generator throws.</param>
internal sealed record GeneratorOutput(GeneratorRunResult Result, Compilation OutputCompilation, ImmutableArray<Diagnostic> DriverDiagnostics)
{
    /// <summary>The generator's diagnostics.</summary>
    public ImmutableArray<Diagnostic> Diagnostics => Result.Diagnostics;

    /// <summary>The generated files, by hint name.</summary>
    public IReadOnlyDictionary<string, string> Sources =>
        Result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());

    /// <summary>Fails when the generator threw, or the driver reported a problem with it.</summary>
    public GeneratorOutput AssertDidNotThrow()
    {
        Assert.Null(Result.Exception);
        Assert.DoesNotContain(DriverDiagnostics, d => !d.Id.StartsWith("KDSL", StringComparison.Ordinal));
        Assert.DoesNotContain(Diagnostics, d => d.Id == "KDSL0499");
        return this;
    }
}
