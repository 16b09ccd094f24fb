using KernelDsl.Language.Planning.Lowering;

namespace KernelDsl.Generators.Emit;

/// <summary>
/// A backend: writes C# for a declaration's lowered plan into the partial class being generated. It formats what the
/// lowered plan decided (kernels, reductions, names, skip and in-place rules) and decides nothing of its own but how
/// its target spells it. The driver calls every backend's <see cref="EmitEntryPoints"/>, then every backend's
/// <see cref="EmitKernels"/>, so the public surface of the class comes before its private kernels.
/// </summary>
internal interface IBackendEmitter
{
    /// <summary>Writes the public entry points (and any nested class that holds its own kernels).</summary>
    void EmitEntryPoints(LoweredPlan plan, IndentedWriter writer);

    /// <summary>Writes the private kernel classes the entry points call.</summary>
    void EmitKernels(LoweredPlan plan, IndentedWriter writer);
}
