namespace KernelDsl.Runtime.Gpu;

/// <summary>
/// How a pass kernel's groups hand in their sums: a kernel is generic over it, so the ordered kernel contains no atomic
/// instruction at all (ILGPU folds the constant and drops the branch) and runs on devices without 64-bit atomics; the
/// atomic one is compiled only when the caller asks for it.
/// </summary>
[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]
public interface IGpuSums
{
    /// <summary>True: sums meet through atomic adds into the row's first partial; false: one partial per group.</summary>
    static abstract bool Atomic { get; }
}

/// <summary>Each group writes its own partial; a second stage combines them in a fixed order (the default).</summary>
[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]
public readonly struct GpuOrderedSums : IGpuSums
{
    /// <inheritdoc/>
    public static bool Atomic => false;
}

/// <summary>Groups add their sums atomically (order free: the last bits may vary from run to run).</summary>
[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]
public readonly struct GpuAtomicSums : IGpuSums
{
    /// <inheritdoc/>
    public static bool Atomic => true;
}
