using System.Collections.Generic;
using System.Linq;
using KernelDsl.Generators.Emit;
using KernelDsl.Language.Planning.Lowering;

namespace KernelDsl.Generators.Gpu;

/// <summary>
/// The ILGPU backend (float, Half and bfloat16 views, as the declaration's precision asks): a nested <c>Gpu</c> class with
/// Value, ValueAndGradient, Rows and RowsAndGradient over ArrayViews (and span overloads that copy), and its kernels
/// inside it. Per kernel of the lowered plan: grid-stride pass kernels with a group reduction and an on-device second
/// stage (<see cref="GpuPlanWriter"/>), and a row kernel that runs every pass with one group per row
/// (<see cref="GpuRowsWriter"/>). Each kernel is compiled on first use and cached per accelerator.
/// </summary>
internal sealed class GpuBackend : IBackendEmitter
{
    /// <summary>ILGPU launchers are Actions of at most 16 types (stream, config, then the kernel's): 4 vector inputs.</summary>
    public const int MaxInputs = 4;

    private readonly List<GpuStorage> _storages = new();

    /// <param name="precision">The element types the declaration asks for (double has no GPU kernels).</param>
    public GpuBackend(KernelPrecision precision)
    {
        if ((precision & KernelPrecision.Float) != 0) _storages.Add(GpuStorage.Float);
        if ((precision & KernelPrecision.Half) != 0) _storages.Add(GpuStorage.Half);
        if ((precision & KernelPrecision.BFloat16) != 0) _storages.Add(GpuStorage.BFloat16);
    }

    /// <inheritdoc/>
    public void EmitEntryPoints(LoweredPlan plan, IndentedWriter w)
    {
        if (_storages.Count == 0) return;
        var c = plan.Formula;
        if (plan.Inputs.Count > MaxInputs)
        {
            w.WriteLine();
            w.WriteLine($"// No Gpu class (KDSL0410): ILGPU kernels here take at most {MaxInputs} vector inputs (this formula has {plan.Inputs.Count}).");
            return;
        }
        var flat = plan.All.Select(k => new GpuPlanWriter(c, k)).ToList();
        var rows = plan.All.Select(k => new GpuRowsWriter(c, k)).ToList();
        var launchers = flat.SelectMany(p => p.Kernels()).Concat(rows.Select(r => r.Kernel())).ToList();
        w.WriteLine();
        w.WriteLine($"/// <summary>The same formula on an ILGPU accelerator (CUDA, OpenCL or ILGPU's CPU accelerator), over {string.Join(", ", _storages.Select(s => s.Element))} views (computing in float).</summary>");
        using (w.Block("public static class Gpu"))
        {
            foreach (var storage in _storages) new GpuApiWriter(w, plan, storage).Write();
            w.WriteLine();
            w.WriteLine("/// <summary>The kernels of one accelerator and element storage (<c>TS</c> loads and stores <c>TE</c>), each compiled on first use, and the host side of each plan.</summary>");
            using (w.Block("private sealed class _Kernels<TS, TE> where TS : struct, global::KernelDsl.Runtime.Gpu.IGpuStorage<TE> where TE : unmanaged"))
            {
                w.WriteLine("private static readonly global::System.Runtime.CompilerServices.ConditionalWeakTable<global::ILGPU.Runtime.Accelerator, _Kernels<TS, TE>> Cache = new();");
                w.WriteLine("private readonly global::ILGPU.Runtime.Accelerator _accelerator;");
                w.WriteLine();
                w.WriteLine("private _Kernels(global::ILGPU.Runtime.Accelerator accelerator) => _accelerator = accelerator;");
                w.WriteLine();
                w.WriteLine("/// <summary>The kernels of <paramref name=\"accelerator\"/>.</summary>");
                w.WriteLine("public static _Kernels<TS, TE> For(global::ILGPU.Runtime.Accelerator accelerator) => Cache.GetValue(accelerator, a => new _Kernels<TS, TE>(a));");
                foreach (var (launcher, method, types) in launchers)
                {
                    string t = string.Join(", ", types);
                    w.WriteLine();
                    w.WriteLine($"private global::System.Action<global::ILGPU.Runtime.AcceleratorStream, global::ILGPU.KernelConfig, {t}>? _{launcher};");
                    w.WriteLine($"private global::System.Action<global::ILGPU.Runtime.AcceleratorStream, global::ILGPU.KernelConfig, {t}> {launcher}Kernel =>");
                    w.WriteLine($"    _{launcher} ??= global::ILGPU.Runtime.KernelLoaders.LoadKernel<{t}>(_accelerator, {method});");
                }
                for (int i = 0; i < flat.Count; i++)
                {
                    w.WriteLine();
                    flat[i].WriteWholeView(w);
                    w.WriteLine();
                    rows[i].WriteHost(w);
                    w.WriteLine();
                    flat[i].WriteHost(w);
                    flat[i].WriteKernels(w);
                    w.WriteLine();
                    rows[i].WriteKernel(w);
                }
            }
        }
    }

    /// <inheritdoc/>
    /// <remarks>Nothing: the device kernels live in the nested <c>Gpu</c> class, beside the entry points that launch them.</remarks>
    public void EmitKernels(LoweredPlan plan, IndentedWriter writer)
    {
    }
}
