using System.Collections.Generic;
using System.Linq;
using KernelDsl.Generators.Emit;
using KernelDsl.Generators.Models;
using KernelDsl.Language;
using KernelDsl.Language.Planning;

namespace KernelDsl.Generators.Cpu;

/// <summary>
/// Writes the CPU members of a declaration: per element type, the public API (Value, ValueAndGradient, Gradient, Rows,
/// RowsAndGradient) and a nested class of plan kernels.
/// </summary>
internal static class CpuEmitter
{
    /// <summary>Appends the members into the partial class being written; the nested Gpu class only when <paramref name="gpu"/>.</summary>
    public static void EmitMembers(IndentedWriter writer, DeclarationModel model, CompiledFormula compiled, bool gpu)
    {
        if (compiled.HasErrors || compiled.ValuePlan is null || compiled.GradientPlan is null) return;
        var types = new List<CpuType>();
        if ((model.Precision & KernelPrecision.Float) != 0) types.Add(CpuType.Float);
        if ((model.Precision & KernelPrecision.Double) != 0) types.Add(CpuType.Double);
        if ((model.Precision & KernelPrecision.Half) != 0) types.Add(CpuType.Half);
        if ((model.Precision & KernelPrecision.BFloat16) != 0) types.Add(CpuType.BFloat16);
        var kernels = KernelSet.From(compiled);
        foreach (var t in types)
        {
            // The double entry points say what the float ones say: they inherit their documentation.
            bool inherits = t == CpuType.Double && types.Contains(CpuType.Float);
            new ApiWriter(writer, compiled, kernels, t, inherits ? CpuType.Float : null).Write();
        }
        if (gpu) Gpu.GpuEmitter.Emit(writer, compiled, model.Precision);
        // float and double share one generic class; the 16-bit storages (loads that widen, stores that round) keep their own.
        var classes = new List<CpuType>();
        if (types.Contains(CpuType.Float) || types.Contains(CpuType.Double)) classes.Add(CpuType.Generic);
        classes.AddRange(types.Where(t => t.IsLowPrecision));
        foreach (var t in classes)
        {
            writer.WriteLine();
            if (t.IsGeneric)
            {
                writer.WriteLine("/// <summary>The plan kernels over float (<c>_TWidths</c> = <c>SimdWidthsF</c>) and double (<c>SimdWidthsD</c>) spans: one method per plan, one job per pass.</summary>");
                writer.WriteLine($"private static unsafe class {CpuType.GenericKernels}");
                writer.WriteLine("    where _T : unmanaged, global::System.Numerics.IFloatingPointIeee754<_T>");
                writer.WriteLine("    where _TWidths : struct, global::KernelDsl.Runtime.ISimdWidths<_T>");
            }
            else
            {
                writer.WriteLine($"/// <summary>The plan kernels over <see cref=\"{t.Storage}\"/> spans: one method per plan, one job per pass.</summary>");
                writer.WriteLine($"private static unsafe class _{t.Name}Kernels");
            }
            using (writer.Block())
            {
                bool first = true;
                foreach (var k in kernels.All)
                {
                    if (!first) writer.WriteLine();
                    first = false;
                    PlanKernelEmitter.Emit(writer, k.Plan, t, k.Name, k.Summary);
                }
                writer.WriteLine();
                RowsJobWriter.Write(writer, compiled, kernels, t);
            }
        }
    }
}

/// <summary>The plans that get a kernel: value, full gradient, and a per-input gradient plan where it saves a pass.</summary>
internal sealed class KernelSet
{
    public sealed record Kernel(string Name, Plan Plan, string Summary);

    public Kernel Value { get; private set; } = null!;
    public Kernel Gradient { get; private set; } = null!;
    public Kernel?[] PerInput { get; private set; } = System.Array.Empty<Kernel?>();
    public List<Kernel> All { get; } = new();

    /// <summary>
    /// The C# condition on <c>_kernel</c> under which the gradient of input <paramref name="input"/> may be exactly its own
    /// input (the chosen plan writes it in the last pass that reads that input): null when no gradient kernel allows it,
    /// empty when every gradient kernel does (no test needed).
    /// </summary>
    public string? InPlaceKernelCondition(int input)
    {
        var safe = new List<string>();
        int kernels = 1;
        if (PlanKernelEmitterSafety.InPlaceSafe(Gradient.Plan, input)) safe.Add("_kernel == 1");
        for (int m = 0; m < PerInput.Length; m++)
        {
            if (PerInput[m] is not { } k) continue;
            kernels++;
            if (PlanKernelEmitterSafety.InPlaceSafe(k.Plan, input)) safe.Add("_kernel == " + (2 + m).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        if (safe.Count == 0) return null;
        return safe.Count == kernels ? "" : "(" + string.Join(" || ", safe) + ")";
    }

    /// <summary>True when a gradient call chooses among kernels (some input has a shorter plan of its own).</summary>
    public bool HasChoice => PerInput.Any(k => k != null);

    public static KernelSet From(CompiledFormula c)
    {
        var set = new KernelSet();
        set.Value = new Kernel("Value", c.ValuePlan!, "The value only.");
        set.Gradient = new Kernel("Gradient", c.GradientPlan!, "The value and the gradient with respect to every input and parameter.");
        set.All.Add(set.Value);
        set.All.Add(set.Gradient);
        set.PerInput = new Kernel?[c.InputNames.Count];
        for (int i = 0; i < c.InputNames.Count; i++)
        {
            var p = c.InputGradientPlans[i];
            if (p != null && p.Passes.Count < c.GradientPlan!.Passes.Count)
            {
                var k = new Kernel("GradientOf_" + c.InputNames[i], p,
                    $"The value and the gradient with respect to {c.InputNames[i]} only: {p.Passes.Count} passes instead of {c.GradientPlan.Passes.Count}.");
                set.PerInput[i] = k;
                set.All.Add(k);
            }
        }
        return set;
    }
}
