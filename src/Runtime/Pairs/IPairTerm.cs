using System.ComponentModel;

namespace KernelDsl.Runtime;

/// <summary>
/// The pair feature the sweep engine accumulates over the feature axis k before it calls the pair term. A contract
/// between the generator and the runtime.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum PairFeature
{
    /// <summary><c>f_ij = Σ_k (x_ik - y_jk)²</c>; its gradient in x_i is <c>2 (x_i - y_j)</c>.</summary>
    SquaredDistance,

    /// <summary><c>f_ij = Σ_k x_ik y_jk</c>; its gradient in x_i is <c>y_j</c>.</summary>
    Dot,
}

/// <summary>
/// The pair term of a sample formula, <c>φ(f_ij)</c> of one pair feature (see <see cref="PairFeature"/>), written as SIMD
/// code over a vector of consecutive j. The generator emits one small struct per formula that implements it, with the
/// formula's parameters as fields; the engine (<see cref="PairSweep"/>) owns everything else: packing, tiles, the k loop,
/// weights, masks, threads and the reductions. A contract between the generator and the runtime.
/// </summary>
/// <remarks>
/// Both members are called with the same struct instance from several threads at once: they must not write to it.
/// Lanes past the end of a point set or outside the pairs a reduction covers are computed and then discarded by a select,
/// so the term may return anything (inf, NaN) for them.
/// </remarks>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IPairTerm<T> where T : unmanaged
{
    /// <summary>The feature <c>f</c> that <see cref="Value"/> receives.</summary>
    static abstract PairFeature Feature { get; }

    /// <summary><c>φ(f)</c>, lane by lane.</summary>
    /// <param name="feature">The pair feature of <c>V.Count</c> pairs (one row i, consecutive j).</param>
    TVec Value<TVec, V>(TVec feature) where TVec : struct where V : struct, ISimd<TVec, T>;

    /// <summary><c>φ(f)</c> and its derivative <c>φ'(f)</c>, lane by lane, sharing their common subexpressions.</summary>
    /// <param name="feature">The pair feature of <c>V.Count</c> pairs.</param>
    /// <param name="slope">On return, <c>dφ/df</c>.</param>
    TVec ValueAndSlope<TVec, V>(TVec feature, out TVec slope) where TVec : struct where V : struct, ISimd<TVec, T>;
}
