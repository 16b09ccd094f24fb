using System.ComponentModel;
using System.Numerics;

namespace KernelDsl.Runtime.Gpu;

/// <summary>
/// The cost <c>c(x, y) = |x - y|² / 2</c> as a GPU pair term over the squared distance (constant 0 is the factor 1/2),
/// for the GPU softmin sweeps (<see cref="GpuSoftmin"/>) and the GPU Sinkhorn solver (<see cref="GpuSinkhornSweep"/>)
/// called directly, as the tests and the GPU benchmark do; ε is theirs, at run time. Users reach the same cost through
/// the Gpu catalogue's generated transport classes (SinkhornDivergence.Gpu, EntropicTransport.Gpu).
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct GpuHalfSquaredCost<T> : IGpuPairTerm<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly GpuPairConstants<T> _constants;

    /// <summary>The cost |x - y|² / 2.</summary>
    public GpuHalfSquaredCost() => _constants.C0 = T.One / (T.One + T.One);

    /// <inheritdoc/>
    public static PairFeature Feature => PairFeature.SquaredDistance;

    /// <inheritdoc/>
    public GpuPairConstants<T> Constants => _constants;

    /// <inheritdoc/>
    public static T Value(GpuPairConstants<T> c, T feature) => c.C0 * feature;

    /// <inheritdoc/>
    public static T ValueAndSlope(GpuPairConstants<T> c, T feature, out T slope)
    {
        slope = c.C0;
        return c.C0 * feature;
    }
}
