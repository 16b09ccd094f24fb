namespace KernelDsl.Runtime;

/// <summary>
/// A width as the shared code sees it: the primitives each width implements (these below, and the arithmetic of
/// <see cref="ISimd{TVec, T}"/>: Count, Zero, Broadcast, Indices, Load, Store, Add, Sub, Mul, Div, Neg, Min, Max, Abs,
/// Sqrt), and every other member of <see cref="ISimd{TVec, T}"/> implemented once, here and in the other parts of this
/// interface, for every width and both element types. The JIT specialises each default body per width struct and
/// inlines it into the generated loop like a member of the struct. See README.md beside this file.
/// </summary>
/// <remarks>
/// The self type <typeparamref name="TSelf"/> is the width struct, so a default body can call the width's primitives
/// (<c>TSelf.Select</c>) and the other composites (<c>TSelf.Log1p</c>). Masks are vectors with all bits set in the
/// selected lanes. Float and double differ only in the elementary functions, which dispatch on <c>typeof(T)</c> (a
/// constant to the JIT) to <see cref="FloatMath{V, TVec, T}"/> or <see cref="DoubleMath{V, TVec, T}"/>.
/// </remarks>
/// <typeparam name="TSelf">The width struct itself.</typeparam>
/// <typeparam name="TVec">The vector type (or the scalar type itself for the scalar tail).</typeparam>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
internal partial interface IVectorOps<TSelf, TVec, T> : ISimd<TVec, T>
    where TSelf : struct, IVectorOps<TSelf, TVec, T>
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

    /// <summary>
    /// Splits a positive normal finite float <paramref name="x"/> for a 16-entry table: with <c>t = bits(x) - offset</c>,
    /// returns <c>k = t &gt;&gt; 23</c> (arithmetic) as a floating-point integer, and gives <c>z = x 2^-k</c>, which lies in
    /// [offset, 2 offset) read as floats, and <paramref name="index"/>, the top four mantissa bits of t as the bits of an
    /// integer lane (0 to 15) for <see cref="Lookup16"/>. Only the float widths implement it (the float log is its one
    /// caller); a double width throws.
    /// </summary>
    static virtual TVec SplitForTable16(TVec x, uint offset, out TVec z, out TVec index) =>
        throw new System.NotSupportedException("SplitForTable16 is a primitive of the float widths only.");

    /// <summary>
    /// Per lane: <c>table[index]</c>, for the 16 floats from <paramref name="table"/> on and an index from
    /// <see cref="SplitForTable16"/>. The 512-bit width does it with one permute (the table a memory operand); the
    /// narrower widths blend one permute per Count entries. Only the float widths implement it; a double width throws.
    /// </summary>
    static virtual TVec Lookup16(ref float table, TVec index) =>
        throw new System.NotSupportedException("Lookup16 is a primitive of the float widths only.");
}
