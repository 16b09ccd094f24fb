using System.ComponentModel;

namespace KernelDsl.Runtime;

/// <summary>
/// Whether a gradient pass multiplies what it writes by the upstream seed, as a type: the generated job struct takes
/// one of the two structs below as a type argument, so the JIT compiles the loop for a seed of 1 (the common call)
/// without the multiply and without keeping the broadcast seed live. A contract between the generator and the runtime.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IGradientSeed
{
    /// <summary>True when the seed is 1, so that the gradients are stored as computed (x · 1 = x exactly).</summary>
    static abstract bool IsOne { get; }
}

/// <summary>A seed of 1: the gradients are stored as computed.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct SeedOne : IGradientSeed
{
    /// <inheritdoc/>
    public static bool IsOne => true;
}

/// <summary>Any other seed: the gradients are multiplied by it before they are stored.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct SeedScaled : IGradientSeed
{
    /// <inheritdoc/>
    public static bool IsOne => false;
}
