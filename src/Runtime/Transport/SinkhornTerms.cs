using System.Numerics;

namespace KernelDsl.Runtime;

/// <summary>
/// The exponent of Sinkhorn's softmin, <c>φ(f) = -c(f) / ε</c> and <c>φ'(f) = -c'(f) / ε</c>, around a cost term: each
/// potential update is then one row log-sum-exp sweep, <c>L_i = log Σ_j exp(φ(f_ij) + h_j)</c> with
/// <c>h_j = log b_j + g_j / ε</c>, and <c>f_i = -ε L_i</c>.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TCost">The cost c as a pair term (its value and slope in the pair feature).</typeparam>
internal readonly struct SoftminTerm<T, TCost> : IPairTerm<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TCost : struct, IPairTerm<T>
{
    private readonly TCost _cost;
    private readonly T _minusInverseEpsilon;

    /// <summary>Wraps <paramref name="cost"/> at the regularisation <paramref name="epsilon"/>.</summary>
    public SoftminTerm(in TCost cost, double epsilon)
    {
        _cost = cost;
        _minusInverseEpsilon = T.CreateTruncating(-1.0 / epsilon);
    }

    /// <inheritdoc/>
    public static PairFeature Feature => TCost.Feature;

    /// <inheritdoc/>
    public TVec Value<TVec, V>(TVec feature) where TVec : struct where V : struct, ISimd<TVec, T> =>
        V.Mul(V.Broadcast(_minusInverseEpsilon), _cost.Value<TVec, V>(feature));

    /// <inheritdoc/>
    public TVec ValueAndSlope<TVec, V>(TVec feature, out TVec slope) where TVec : struct where V : struct, ISimd<TVec, T>
    {
        TVec c = _cost.ValueAndSlope<TVec, V>(feature, out TVec costSlope), k = V.Broadcast(_minusInverseEpsilon);
        slope = V.Mul(k, costSlope);
        return V.Mul(k, c);
    }
}

/// <summary>
/// The quadratic transport cost <c>c(x, y) = |x - y|² / 2</c> as a pair term (feature <see cref="PairFeature.SquaredDistance"/>,
/// c = f / 2, c' = 1/2): the cost of the Monge gap and of GeomLoss's <c>p = 2</c>.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal readonly struct HalfSquaredDistance<T> : IPairTerm<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public static PairFeature Feature => PairFeature.SquaredDistance;

    /// <inheritdoc/>
    public TVec Value<TVec, V>(TVec feature) where TVec : struct where V : struct, ISimd<TVec, T> =>
        V.Mul(V.Broadcast(T.CreateTruncating(0.5)), feature);

    /// <inheritdoc/>
    public TVec ValueAndSlope<TVec, V>(TVec feature, out TVec slope) where TVec : struct where V : struct, ISimd<TVec, T>
    {
        slope = V.Broadcast(T.CreateTruncating(0.5));
        return V.Mul(slope, feature);
    }
}
