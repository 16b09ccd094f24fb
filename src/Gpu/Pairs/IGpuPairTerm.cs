using System.ComponentModel;
using System.Numerics;

namespace KernelDsl.Runtime.Gpu;

/// <summary>
/// The pair term of a sample formula on the GPU: <c>φ(f)</c> of one pair feature (see <see cref="PairFeature"/>), scalar,
/// in the element type, written as static members over the term's constants (<see cref="GpuPairConstants{T}"/>: the
/// formula's parameter-only subexpressions, folded on the host, where <c>T.CreateTruncating</c> is allowed). The
/// generator emits one small private struct per formula that implements it and passes it as the type argument of the pair
/// sweeps (<see cref="GpuPairSweep"/>), with its constants (<see cref="Constants"/>) as the kernel's argument; the kernels
/// own the rest: tiles in shared memory, the feature loop over k, weights, the reductions and their order. A contract
/// between the generator and the runtime.
/// </summary>
/// <remarks>
/// <para>Why static members over constants, not an instance: a kernel parameter's type must be visible to ILGPU's
/// runtime assembly (public, or internal with <c>InternalsVisibleTo("ILGPURuntime")</c>), while a type that only
/// instantiates a kernel method may be private, as the generated storages of the vector kernels are. So the term's type
/// argument may be private to the user's class, and only the public <see cref="GpuPairConstants{T}"/> crosses to the
/// device.</para>
/// <para>The static members run inside ILGPU kernels: they may use only what ILGPU lowers to PTX and OpenCL C:
/// arithmetic, comparisons, <see cref="GpuMath{T}"/>, and the generic math <c>T.Exp</c>, <c>T.Log</c>, <c>T.Sqrt</c>,
/// <c>T.Pow</c>, <c>T.Abs</c> (constants from <c>T.One</c>; never <c>T.CreateTruncating</c>, which does not compile for a
/// GPU). They are called only for pairs a reduction covers.</para>
/// </remarks>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IGpuPairTerm<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The feature <c>f</c> that <see cref="Value"/> receives.</summary>
    static abstract PairFeature Feature { get; }

    /// <summary>The term's constants, read on the host and handed to the kernel.</summary>
    GpuPairConstants<T> Constants { get; }

    /// <summary><c>φ(f)</c>.</summary>
    /// <param name="c">The term's constants.</param>
    /// <param name="feature">The pair feature.</param>
    static abstract T Value(GpuPairConstants<T> c, T feature);

    /// <summary><c>φ(f)</c> and its derivative <c>φ'(f)</c>, sharing their common subexpressions.</summary>
    /// <param name="c">The term's constants.</param>
    /// <param name="feature">The pair feature.</param>
    /// <param name="slope">On return, <c>dφ/df</c>.</param>
    static abstract T ValueAndSlope(GpuPairConstants<T> c, T feature, out T slope);
}

/// <summary>
/// The constants of a GPU pair term (<see cref="IGpuPairTerm{T}"/>), at most <see cref="Capacity"/>: plain fields, so
/// that the struct can be a kernel parameter. A contract between the generator and the runtime.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct GpuPairConstants<T> where T : unmanaged
{
    /// <summary>The most constants a term holds.</summary>
    public const int Capacity = 8;

#pragma warning disable CS1591 // numbered slots; each generated term says what it keeps in which
    public T C0, C1, C2, C3, C4, C5, C6, C7;
#pragma warning restore CS1591
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
