using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using KernelDsl.Generators.Cpu;
using KernelDsl.Generators.Emit;
using KernelDsl.Language;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Ops;
using KernelDsl.Language.Planning;

namespace KernelDsl.Generators.Gpu;

/// <summary>
/// Writes the ILGPU kernels of a declaration (float): a nested <c>Gpu</c> class with Value and ValueAndGradient over
/// ArrayViews (and span overloads that copy), one kernel per pass. Each kernel is a grid-stride loop over a thread count
/// fixed by the length; every thread keeps double accumulators and writes them to its slot, and the host combines the
/// slots in thread order, so results are the same from run to run. Kernels are loaded once per accelerator.
/// </summary>
internal static class GpuEmitter
{
    public static void Emit(IndentedWriter w, CompiledFormula c)
    {
        if (c.ValuePlan is null || c.GradientPlan is null) return;
        var kernels = KernelSet.From(c);
        var plans = kernels.All.Select(k => (k.Name, k.Plan)).ToArray();
        w.WriteLine();
        w.WriteLine("/// <summary>The same formula on an ILGPU accelerator (CUDA, OpenCL or ILGPU's CPU accelerator), over float views.</summary>");
        using (w.Block("public static class Gpu"))
        {
            new GpuApiWriter(w, c, kernels).Write();
            w.WriteLine();
            w.WriteLine("/// <summary>The pass kernels, loaded once per accelerator, and the host side of each plan.</summary>");
            using (w.Block("private sealed class _Kernels"))
            {
                w.WriteLine("private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<global::ILGPU.Runtime.Accelerator, _Kernels> Cache = new();");
                w.WriteLine("private readonly global::ILGPU.Runtime.Accelerator _accelerator;");
                foreach (var (name, plan) in plans)
                    foreach (var pass in plan.Passes)
                        w.WriteLine($"private readonly System.Action<{string.Join(", ", KernelTypes(c, pass))}> _{name}Pass{pass.Index};");
                w.WriteLine();
                using (w.Block("private _Kernels(global::ILGPU.Runtime.Accelerator accelerator)"))
                {
                    w.WriteLine("_accelerator = accelerator;");
                    foreach (var (name, plan) in plans)
                        foreach (var pass in plan.Passes)
                            w.WriteLine($"_{name}Pass{pass.Index} = global::ILGPU.Runtime.KernelLoaders.LoadAutoGroupedStreamKernel<{string.Join(", ", KernelTypes(c, pass))}>(accelerator, {name}Pass{pass.Index});");
                }
                w.WriteLine();
                w.WriteLine("/// <summary>The kernels of <paramref name=\"accelerator\"/>, compiled on first use.</summary>");
                w.WriteLine("public static _Kernels For(global::ILGPU.Runtime.Accelerator accelerator) => Cache.GetValue(accelerator, a => new _Kernels(a));");
                foreach (var (name, plan) in plans)
                {
                    w.WriteLine();
                    GpuPlanWriter.WriteHost(w, c, plan, name);
                    foreach (var pass in plan.Passes)
                    {
                        w.WriteLine();
                        GpuPlanWriter.WriteKernel(w, c, plan, pass, name);
                    }
                }
            }
        }
    }

    /// <summary>The kernel's parameter types: the thread index, the views it reads and writes, partials, scalars, n, threads.</summary>
    public static IEnumerable<string> KernelTypes(CompiledFormula c, Pass pass)
    {
        yield return "global::ILGPU.Index1D";
        foreach (var r in pass.Reads) yield return "global::ILGPU.ArrayView<float>";
        foreach (var wr in pass.Writes) yield return "global::ILGPU.ArrayView<float>";
        yield return "global::ILGPU.ArrayView<double>";
        yield return "global::ILGPU.ArrayView<float>";
        yield return "int";
        yield return "int";
    }
}
