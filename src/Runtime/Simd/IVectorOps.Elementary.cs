using System.Runtime.CompilerServices;

namespace KernelDsl.Runtime;

/// <summary>
/// exp, log, log1p, expm1 and their helpers: the only functions whose algorithm depends on the element type. Each one
/// picks <see cref="FloatMath{V, TVec, T}"/> or <see cref="DoubleMath{V, TVec, T}"/> by <c>typeof(T)</c>, which the JIT
/// folds, so a width gets exactly one of them inlined.
/// </summary>
internal partial interface IVectorOps<TSelf, TVec, T>
{
    /// <summary>Whether the element type is float (else double): a constant in every instantiation.</summary>
    private static bool IsSingle
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => typeof(T) == typeof(float);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVec ISimd<TVec, T>.Log(TVec a) =>
        IsSingle ? FloatMath<TSelf, TVec, T>.Log(a) : DoubleMath<TSelf, TVec, T>.Log(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVec ISimd<TVec, T>.Exp(TVec a) =>
        IsSingle ? FloatMath<TSelf, TVec, T>.ExpScaled(a, 0) : DoubleMath<TSelf, TVec, T>.ExpScaled(a, 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVec ISimd<TVec, T>.Log1p(TVec a) =>
        IsSingle ? FloatMath<TSelf, TVec, T>.Log1p(a) : DoubleMath<TSelf, TVec, T>.Log1p(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVec ISimd<TVec, T>.Expm1(TVec a) =>
        IsSingle ? FloatMath<TSelf, TVec, T>.Expm1(a) : DoubleMath<TSelf, TVec, T>.Expm1(a);

    /// <summary><c>x^y</c> for positive finite x and finite y; other lanes are unspecified.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec PowPositive(TVec x, TVec y) =>
        IsSingle ? FloatMath<TSelf, TVec, T>.PowPositive(x, y) : DoubleMath<TSelf, TVec, T>.PowPositive(x, y);

    /// <summary><c>e^x / 2</c> without the intermediate overflow of <c>e^x</c>; NaN propagates.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec ExpHalf(TVec x) =>
        IsSingle ? FloatMath<TSelf, TVec, T>.ExpScaled(x, -1) : DoubleMath<TSelf, TVec, T>.ExpScaled(x, -1);

    /// <summary><c>e^max(x, L)</c> for <c>x &lt;= 0</c>, L just above the smallest argument with a normal result; no NaN guarantee.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec ExpNormalRange(TVec x) =>
        IsSingle ? FloatMath<TSelf, TVec, T>.ExpNormalRange(x) : DoubleMath<TSelf, TVec, T>.ExpNormalRange(x);
}
