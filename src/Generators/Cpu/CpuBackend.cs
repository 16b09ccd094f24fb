using System.Collections.Generic;
using System.Linq;
using KernelDsl.Generators.Emit;
using KernelDsl.Language.Planning.Lowering;

namespace KernelDsl.Generators.Cpu;

/// <summary>
/// The CPU backend: per element type the public API (Value, ValueAndGradient, Gradient, Rows, RowsAndGradient), then
/// the kernel classes (one generic class for float and double, one per 16-bit storage) with one method per kernel of the
/// lowered plan and one job per pass.
/// </summary>
internal sealed class CpuBackend : IBackendEmitter
{
    private readonly List<CpuType> _types = new();

    /// <param name="precision">The element types the declaration asks for.</param>
    public CpuBackend(KernelPrecision precision)
    {
        if ((precision & KernelPrecision.Float) != 0) _types.Add(CpuType.Float);
        if ((precision & KernelPrecision.Double) != 0) _types.Add(CpuType.Double);
        if ((precision & KernelPrecision.Half) != 0) _types.Add(CpuType.Half);
        if ((precision & KernelPrecision.BFloat16) != 0) _types.Add(CpuType.BFloat16);
    }

    /// <inheritdoc/>
    public void EmitEntryPoints(LoweredPlan plan, IndentedWriter writer)
    {
        foreach (var t in _types)
        {
            // The double entry points say what the float ones say: they inherit their documentation.
            bool inherits = t == CpuType.Double && _types.Contains(CpuType.Float);
            new ApiWriter(writer, plan, t, inherits ? CpuType.Float : null).Write();
        }
    }

    /// <inheritdoc/>
    public void EmitKernels(LoweredPlan plan, IndentedWriter writer)
    {
        // float and double share one generic class; the 16-bit storages (loads that widen, stores that round) keep their own.
        var classes = new List<CpuType>();
        if (_types.Contains(CpuType.Float) || _types.Contains(CpuType.Double)) classes.Add(CpuType.Generic);
        classes.AddRange(_types.Where(t => t.IsLowPrecision));
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
                foreach (var k in plan.All)
                {
                    if (!first) writer.WriteLine();
                    first = false;
                    PlanKernelEmitter.Emit(writer, k, t);
                }
                writer.WriteLine();
                RowsJobWriter.Write(writer, plan, t);
            }
        }
    }
}
