namespace KernelDsl.Runtime;

/// <summary>
/// The primitives the shared math kernels (<see cref="FloatMath{V, TVec}"/>, <see cref="DoubleMath{V, TVec}"/>,
/// <see cref="SimdKernels{V, TVec, T}"/>) are written with. Each vector width implements them explicitly, so the
/// kernels are written once and the JIT specialises them per width. Masks are vectors with all bits set in the
/// selected lanes.
/// </summary>
internal interface IVectorOps<TVec, T> : ISimd<TVec, T>
    where TVec : struct
    where T : unmanaged
{
    /// <summary>Broadcasts a constant, rounded to <typeparamref name="T"/>.</summary>
    static abstract TVec C(double value);

    /// <summary><c>a * b + c</c>, fused where the hardware has FMA.</summary>
    static abstract TVec MultiplyAdd(TVec a, TVec b, TVec c);

    /// <summary><c>a * b + c</c> with a single rounding, always (used for exact error terms).</summary>
    static abstract TVec FusedMultiplyAdd(TVec a, TVec b, TVec c);

    /// <summary>Per lane: <paramref name="ifTrue"/> where <paramref name="mask"/> is set, else <paramref name="ifFalse"/>.</summary>
    static abstract TVec Select(TVec mask, TVec ifTrue, TVec ifFalse);

    static abstract TVec And(TVec a, TVec b);

    static abstract TVec Or(TVec a, TVec b);

    static abstract TVec Not(TVec a);

    /// <summary><c>a &amp; ~b</c>.</summary>
    static abstract TVec AndNot(TVec a, TVec b);

    static abstract TVec Equal(TVec a, TVec b);

    static abstract TVec LessThan(TVec a, TVec b);

    static abstract TVec LessThanOrEqual(TVec a, TVec b);

    static abstract TVec GreaterThan(TVec a, TVec b);

    static abstract TVec GreaterThanOrEqual(TVec a, TVec b);

    static abstract TVec IsNaN(TVec a);

    /// <summary>Whether any lane of the mask is set.</summary>
    static abstract bool AnyTrue(TVec mask);

    /// <summary>Minimum without NaN or signed-zero guarantees (the fast instruction).</summary>
    static abstract TVec MinNative(TVec a, TVec b);

    /// <summary>Maximum without NaN or signed-zero guarantees (the fast instruction).</summary>
    static abstract TVec MaxNative(TVec a, TVec b);

    static abstract TVec Floor(TVec a);

    static abstract TVec Truncate(TVec a);

    /// <summary>The magnitude of <paramref name="magnitude"/> with the sign bit of <paramref name="sign"/>.</summary>
    static abstract TVec CopySign(TVec magnitude, TVec sign);

    /// <summary>
    /// <c>2^(n + bias)</c> where <paramref name="shifted"/> is <c>n + 1.5 * 2^p</c> (p = 52 for double, 23 for float), so
    /// its low mantissa bits hold the integer n. Valid while <c>n + bias</c> is a normal exponent.
    /// </summary>
    static abstract TVec Pow2FromShifted(TVec shifted, int bias);

    /// <summary>
    /// Splits a positive normal finite <paramref name="x"/> into <c>2^k * m</c> with <c>m</c> in [sqrt(1/2), sqrt(2)).
    /// Returns <c>k</c> as a floating-point integer.
    /// </summary>
    static abstract TVec SplitExponent(TVec x, out TVec m);

    /// <summary>Mask of the lanes that are not positive, normal and finite (zeros, subnormals, negatives, inf, NaN).</summary>
    static abstract TVec NotPositiveNormal(TVec x);

    /// <summary><c>x^y</c> for positive finite x and finite y; other lanes are unspecified.</summary>
    static abstract TVec PowPositive(TVec x, TVec y);

    /// <summary><c>e^x / 2</c> without the intermediate overflow of <c>e^x</c>; NaN propagates.</summary>
    static abstract TVec ExpHalf(TVec x);

    /// <summary><c>e^max(x, L)</c> for <c>x &lt;= 0</c>, L just above the smallest argument with a normal result; no NaN guarantee.</summary>
    static abstract TVec ExpNormalRange(TVec x);
}
