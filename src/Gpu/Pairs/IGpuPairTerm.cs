using System.ComponentModel;
using System.Numerics;

namespace KernelDsl.Runtime.Gpu;

/// <summary>
/// The pair term of a sample formula on the GPU: <c>φ(f)</c> of one pair feature (see <see cref="PairFeature"/>), scalar,
/// in the element type. The generator emits one small readonly struct per formula that implements it, with the formula's
/// parameters as fields (folded on the host, where <c>T.CreateTruncating</c> is allowed), and passes it by value as the
/// type argument and first argument of the pair kernels (<see cref="GpuPairSweep"/>); the kernels own the rest: tiles in
/// shared memory, the feature loop over k, weights, masks, the reductions and their order. A contract between the
/// generator and the runtime.
/// </summary>
/// <remarks>
/// The members run inside ILGPU kernels: they may use only what ILGPU lowers to PTX and OpenCL C: arithmetic,
/// comparisons, <see cref="GpuMath{T}"/>, and the generic math <c>T.Exp</c>, <c>T.Log</c>, <c>T.Sqrt</c>, <c>T.Pow</c>,
/// <c>T.Abs</c> (constants from <c>T.One</c>; never <c>T.CreateTruncating</c>, which does not compile for a GPU). They
/// must not write to the struct. They are called only for pairs a reduction covers.
/// </remarks>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IGpuPairTerm<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The feature <c>f</c> that <see cref="Value"/> receives.</summary>
    static abstract PairFeature Feature { get; }

    /// <summary><c>φ(f)</c>.</summary>
    T Value(T feature);

    /// <summary><c>φ(f)</c> and its derivative <c>φ'(f)</c>, sharing their common subexpressions.</summary>
    /// <param name="feature">The pair feature.</param>
    /// <param name="slope">On return, <c>dφ/df</c>.</param>
    T ValueAndSlope(T feature, out T slope);
}

/// <summary>
/// How the pair kernels widen their element type to the double they accumulate in and round back: a static abstract
/// struct (<see cref="GpuPairFloat"/>, <see cref="GpuPairDouble"/>), because generic conversions
/// (<c>double.CreateTruncating</c>) do not compile for a GPU.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IGpuPairElement<T> where T : unmanaged
{
    /// <summary>The element as a double (exact).</summary>
    static abstract double Widen(T value);

    /// <summary>The double rounded to the element type.</summary>
    static abstract T Narrow(double value);
}

/// <summary>float elements.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct GpuPairFloat : IGpuPairElement<float>
{
    /// <inheritdoc/>
    public static double Widen(float value) => value;

    /// <inheritdoc/>
    public static float Narrow(double value) => (float)value;
}

/// <summary>double elements.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct GpuPairDouble : IGpuPairElement<double>
{
    /// <inheritdoc/>
    public static double Widen(double value) => value;

    /// <inheritdoc/>
    public static double Narrow(double value) => value;
}
