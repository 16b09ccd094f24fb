using System.ComponentModel;

namespace KernelDsl.Runtime;

/// <summary>
/// How a gradient pass stores what it computes, as a type: the generated job struct takes one of the two structs below
/// as a type argument, so the JIT compiles the usual call (a seed of 1 and every gradient of the pass asked for) as a
/// loop that stores each gradient as computed, with no multiply by the seed, no broadcast seed kept live and no test of
/// the output pointers. A contract between the generator and the runtime.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IGradientStores
{
    /// <summary>
    /// True when the seed is 1 (x · 1 = x exactly) and every gradient pointer of the pass is set: each gradient is
    /// stored as computed. False: each is multiplied by the seed, and stored only where its pointer is set.
    /// </summary>
    static abstract bool Direct { get; }
}

/// <summary>A seed of 1 and every gradient of the pass asked for: the gradients are stored as computed.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct DirectStores : IGradientStores
{
    /// <inheritdoc/>
    public static bool Direct => true;
}

/// <summary>Any other call: the gradients are multiplied by the seed, and only those asked for are stored.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct GuardedStores : IGradientStores
{
    /// <inheritdoc/>
    public static bool Direct => false;
}
