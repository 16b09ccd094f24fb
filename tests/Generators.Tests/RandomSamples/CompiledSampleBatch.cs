using System.IO;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using KernelDsl.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KernelDsl.Generators.Tests.RandomSamples;

/// <summary>The generated Value and ValueAndGradient of one formula, in double and float, callable with arrays.</summary>
/// <param name="Value">(clouds, weights per cloud (empty when none), d, parameters) → the value.</param>
/// <param name="ValueAndGradient">(clouds, weights, d, gradients (one per cloud, as long as it), parameters) → the value.</param>
/// <param name="ValueF">The float Value.</param>
/// <param name="ValueAndGradientF">The float ValueAndGradient.</param>
internal sealed record CompiledSampleKernels(
    Func<double[][], double[][], int, double[], double> Value,
    Func<double[][], double[][], int, double[][], double[], double> ValueAndGradient,
    Func<float[][], float[][], int, float[], float> ValueF,
    Func<float[][], float[][], int, float[][], float[], float> ValueAndGradientF);

/// <summary>
/// A batch of random formulas taken from text to machine code as a user's build does: the real generator runs in memory
/// over one compilation holding every formula (Roslyn's cost is per compilation, not per formula), the output is
/// compiled with the KernelDsl.Runtime assembly from disk, emitted to memory and loaded into a collectible
/// <see cref="AssemblyLoadContext"/>. A formula the planner refuses gets KDSL0302 and no code; it is kept aside.
/// </summary>
internal sealed class CompiledSampleBatch : IDisposable
{
    private const string Namespace = "RandomSamples";

    private readonly AssemblyLoadContext _context;

    private CompiledSampleBatch(AssemblyLoadContext context, Dictionary<string, CompiledSampleKernels> kernels, Dictionary<string, string> refused)
    {
        _context = context;
        Kernels = kernels;
        Refused = refused;
    }

    /// <summary>The kernels of each compiled formula, by class name.</summary>
    public IReadOnlyDictionary<string, CompiledSampleKernels> Kernels { get; }

    /// <summary>The formulas the planner refused (KDSL0302), by class name, with the diagnostic's message.</summary>
    public IReadOnlyDictionary<string, string> Refused { get; }

    /// <summary>Milliseconds in the generator, and in compiling and emitting, of the last batch (for the test's log).</summary>
    public static long GeneratorMilliseconds { get; private set; }

    /// <inheritdoc cref="GeneratorMilliseconds"/>
    public static long EmitMilliseconds { get; private set; }

    /// <summary>Generates, compiles, emits and loads <paramref name="formulas"/>.</summary>
    public static CompiledSampleBatch Compile(IReadOnlyList<RandomSampleFormula> formulas)
    {
        // One file per formula, so a diagnostic's file names its formula.
        SyntaxTree[] trees = formulas.Select((f, i) => CSharpSyntaxTree.ParseText(
            $"namespace {Namespace};\n\n/// <summary>Random formula {i}.</summary>\n[KernelDsl.Divergence(\"{f.Text}\")]\npublic static partial class {f.ClassName};\n",
            GeneratorHarness.ParseOptions, path: $"Source{i}.cs")).ToArray();
        CSharpCompilation compilation = CSharpCompilation.Create(
            "RandomSampleFormulas",
            trees,
            Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>().Append(GeneratorHarness.RuntimeReference),
            GeneratorHarness.CompilationOptions.WithOptimizationLevel(OptimizationLevel.Release));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        GeneratorOutput output = GeneratorHarness.Run(compilation).AssertDidNotThrow();
        GeneratorMilliseconds = clock.ElapsedMilliseconds;

        var refused = new Dictionary<string, string>();
        foreach (Diagnostic d in output.Diagnostics)
        {
            int index = int.Parse(Path.GetFileNameWithoutExtension(d.Location.SourceTree!.FilePath)["Source".Length..], System.Globalization.CultureInfo.InvariantCulture);
            string message = d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(d.Id == "KDSL0302", $"{formulas[index].ClassName}: unexpected {d.Id} {message}\n{formulas[index].Text}");
            refused[formulas[index].ClassName] = message;
        }
        foreach (var f in formulas)
        {
            bool generated = output.Sources.Keys.Any(k => k.Contains($".{f.ClassName}.", StringComparison.Ordinal));
            Assert.True(generated != refused.ContainsKey(f.ClassName), $"{f.ClassName}: generated code {generated}, refused {refused.ContainsKey(f.ClassName)}\n{f.Text}");
        }

        var compiled = formulas.Where(f => !refused.ContainsKey(f.ClassName)).ToList();
        Compilation withCalls = output.OutputCompilation.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText(Calls(compiled), GeneratorHarness.ParseOptions, path: "Calls.cs"));
        using var image = new MemoryStream();
        var emitted = withCalls.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(20)));
        // The generated code of every random shape compiles without a warning, as the fixed shapes do (Test_SampleEmission).
        Diagnostic[] warnings = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning).ToArray();
        Assert.True(warnings.Length == 0, string.Join("\n", warnings.Take(20)));
        EmitMilliseconds = clock.ElapsedMilliseconds - GeneratorMilliseconds;
        image.Position = 0;
        var context = new Context();
        Assembly assembly = context.LoadFromStream(image);
        Type calls = assembly.GetType($"{Namespace}.Calls", throwOnError: true)!;
        T Method<T>(string name) where T : Delegate => calls.GetMethod(name)!.CreateDelegate<T>();
        var kernels = compiled.ToDictionary(f => f.ClassName, f => new CompiledSampleKernels(
            Method<Func<double[][], double[][], int, double[], double>>("V_" + f.ClassName),
            Method<Func<double[][], double[][], int, double[][], double[], double>>("G_" + f.ClassName),
            Method<Func<float[][], float[][], int, float[], float>>("VF_" + f.ClassName),
            Method<Func<float[][], float[][], int, float[][], float[], float>>("GF_" + f.ClassName)));
        return new CompiledSampleBatch(context, kernels, refused);
    }

    /// <summary>Unloads the batch's assembly (once the kernels are no longer referenced).</summary>
    public void Dispose() => _context.Unload();

    // Array-taking calls of each formula's entry points (spans cannot go through reflection), with named arguments so
    // that the order of the generated parameters is the generator's business.
    private static string Calls(IEnumerable<RandomSampleFormula> formulas)
    {
        var s = new StringBuilder($"namespace {Namespace};\n\n/// <summary>The entry points with arrays.</summary>\npublic static class Calls\n{{\n");
        foreach (var f in formulas)
        {
            string inputs = string.Join(", ", Enumerable.Range(0, f.Clouds).Select(c =>
                $"{RandomSampleFormula.CloudNames[c]}: c[{c}]" + (f.Weighted[c] ? $", {RandomSampleFormula.WeightNames[c]}: w[{c}]" : "")));
            string gradients = string.Join(", ", Enumerable.Range(0, f.Clouds).Select(c => $"d{RandomSampleFormula.CloudNames[c]}: g[{c}]"));
            string parameters = string.Concat(Enumerable.Range(0, f.Parameters).Select(q => $", {RandomSampleFormula.ParameterNames[q]}: p[{q}]"));
            foreach (var (prefix, t) in new[] { ("", "double"), ("F", "float") })
            {
                s.Append("    /// <summary>Value.</summary>\n");
                s.Append($"    public static {t} V{prefix}_{f.ClassName}({t}[][] c, {t}[][] w, int d, {t}[] p) => {f.ClassName}.Value({inputs}, d: d{parameters});\n");
                s.Append("    /// <summary>ValueAndGradient.</summary>\n");
                s.Append($"    public static {t} G{prefix}_{f.ClassName}({t}[][] c, {t}[][] w, int d, {t}[][] g, {t}[] p) => {f.ClassName}.ValueAndGradient({inputs}, d: d, {gradients}{parameters});\n");
            }
        }
        return s.Append("}\n").ToString();
    }

    /// <summary>
    /// A collectible context for one batch's assembly. KernelDsl.Runtime is not a reference of these tests (it is copied
    /// beside them for the test compilations): it is loaded once, from that copy, into the default context and shared.
    /// </summary>
    private sealed class Context() : AssemblyLoadContext("RandomSampleFormulas", isCollectible: true)
    {
        private static readonly Lazy<Assembly> Runtime = new(() =>
            Default.Assemblies.FirstOrDefault(a => a.GetName().Name == "KernelDsl.Runtime")
            ?? Default.LoadFromAssemblyPath(Path.Combine(AppContext.BaseDirectory, "KernelDsl.Runtime.dll")));

        protected override Assembly? Load(AssemblyName name) => name.Name == "KernelDsl.Runtime" ? Runtime.Value : null;
    }
}
