namespace KernelDsl.Generators.Emit;

/// <summary>
/// The runtime types generated code names, each written here once (fully qualified), so that moving one to another
/// namespace or assembly is a change of one line.
/// </summary>
internal static class RuntimeNames
{
    /// <summary>How rows of a batch are combined.</summary>
    public const string RowReduction = "global::KernelDsl.Runtime.RowReduction";

    /// <summary>The device a GPU entry point runs on; its presence in a compilation turns the GPU classes on.</summary>
    public const string KernelDevice = "global::KernelDsl.Runtime.Gpu.KernelDevice";

    /// <summary>The metadata name of <see cref="KernelDevice"/>, as <c>Compilation.GetTypeByMetadataName</c> takes it.</summary>
    public const string KernelDeviceMetadataName = "KernelDsl.Runtime.Gpu.KernelDevice";

    /// <summary>The bookkeeping of the batch entry points (checks, seed, reduced value).</summary>
    public const string RowBatch = "global::KernelDsl.Runtime.RowBatch";

    /// <summary>Scratch doubles on the stack or rented from the array pool.</summary>
    public const string ScratchBuffer = "global::KernelDsl.Runtime.ScratchBuffer";

    /// <summary>Argument exceptions and the combination of partial results.</summary>
    public const string Partials = "global::KernelDsl.Runtime.Partials";
}
