using System;

namespace KernelDsl.Runtime;

/// <summary>
/// The SIMD vocabulary that generated kernels are written against. A kernel is generic over a struct
/// <c>V : ISimd&lt;TVec, T&gt;</c> and is instantiated once per width (<see cref="Simd512F"/>, <see cref="Simd256F"/>,
/// <see cref="Simd128F"/>, <see cref="ScalarF"/> for what is shorter than every vector, and the double counterparts), so the JIT specialises
/// and inlines every call.
/// </summary>
/// <remarks>
/// Conventions follow <c>scipy.special</c> and <see cref="Math"/>: NaN propagates through every operation unless a
/// member says otherwise, and special values (zeros, infinities) behave like the corresponding <see cref="Math"/>
/// function. Elementwise functions are accurate to a few units in the last place; the figures measured for each
/// function and width are listed in the runtime's test project.
/// </remarks>
/// <typeparam name="TVec">The vector type (or the scalar type itself for the one-element-at-a-time width).</typeparam>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]
public interface ISimd<TVec, T>
    where TVec : struct
    where T : unmanaged
{
    /// <summary>The number of lanes in <typeparamref name="TVec"/>.</summary>
    static abstract int Count { get; }

    /// <summary>Whether this width runs on hardware instructions on the current machine.</summary>
    static abstract bool IsHardwareAccelerated { get; }

    /// <summary>A vector with every lane zero.</summary>
    static abstract TVec Zero { get; }

    /// <summary>A vector with every lane equal to <paramref name="value"/>.</summary>
    /// <param name="value">The value to broadcast.</param>
    static abstract TVec Broadcast(T value);

    /// <summary>
    /// The element indices <paramref name="start"/>, start + 1, ..., start + Count - 1 as values of T (exact up to 2^24 for
    /// float, 2^53 for double): the support index that label gathers compare against.
    /// </summary>
    static abstract TVec Indices(nint start);

    /// <summary>Reads <see cref="Count"/> elements starting at <c>source[index]</c>; no alignment is required.</summary>
    /// <param name="source">A reference to element 0 of the buffer.</param>
    /// <param name="index">The index of the first element to read.</param>
    static abstract TVec Load(ref T source, nint index);

    /// <summary>Writes the lanes of <paramref name="value"/> to <c>destination[index]</c> onwards; no alignment is required.</summary>
    /// <param name="value">The lanes to write.</param>
    /// <param name="destination">A reference to element 0 of the buffer.</param>
    /// <param name="index">The index of the first element to write.</param>
    static abstract void Store(TVec value, ref T destination, nint index);

    /// <summary>Lane-wise <c>a + b</c>.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    static abstract TVec Add(TVec a, TVec b);

    /// <summary>Lane-wise <c>a - b</c>.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    static abstract TVec Sub(TVec a, TVec b);

    /// <summary>Lane-wise <c>a * b</c>.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    static abstract TVec Mul(TVec a, TVec b);

    /// <summary>Lane-wise <c>a / b</c>.</summary>
    /// <param name="a">The dividend.</param>
    /// <param name="b">The divisor.</param>
    static abstract TVec Div(TVec a, TVec b);

    /// <summary>Lane-wise <c>-a</c>.</summary>
    /// <param name="a">The operand.</param>
    static abstract TVec Neg(TVec a);

    /// <summary>Lane-wise minimum with <see cref="Math.Min(double, double)"/> semantics: NaN propagates, -0 &lt; +0.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    static abstract TVec Min(TVec a, TVec b);

    /// <summary>Lane-wise maximum with <see cref="Math.Max(double, double)"/> semantics: NaN propagates, -0 &lt; +0.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    static abstract TVec Max(TVec a, TVec b);

    /// <summary>Lane-wise <c>|a|</c>.</summary>
    /// <param name="a">The operand.</param>
    static abstract TVec Abs(TVec a);

    /// <summary>Lane-wise sign: <c>±1</c> for nonzero lanes, the zero itself (keeping its sign) for <c>±0</c>, NaN for NaN.</summary>
    /// <param name="a">The operand.</param>
    static abstract TVec Sign(TVec a);

    /// <summary>Lane-wise correctly rounded square root.</summary>
    /// <param name="a">The operand.</param>
    static abstract TVec Sqrt(TVec a);

    /// <summary>Lane-wise square <c>a * a</c>.</summary>
    /// <param name="a">The operand.</param>
    static abstract TVec Sq(TVec a);

    /// <summary>Lane-wise natural logarithm (<c>log(±0) = -inf</c>, <c>log(x &lt; 0) = NaN</c>).</summary>
    /// <param name="a">The operand.</param>
    static abstract TVec Log(TVec a);

    /// <summary>Lane-wise <c>e^a</c>, with gradual underflow to subnormals and overflow to +inf.</summary>
    /// <param name="a">The operand.</param>
    static abstract TVec Exp(TVec a);

    /// <summary>Lane-wise <c>log(1 + a)</c>, accurate near zero (<c>log1p(-1) = -inf</c>, <c>log1p(-0) = -0</c>).</summary>
    /// <param name="a">The operand.</param>
    static abstract TVec Log1p(TVec a);

    /// <summary>Lane-wise <c>e^a - 1</c>, accurate near zero (<c>expm1(-0) = -0</c>, <c>expm1(-inf) = -1</c>).</summary>
    /// <param name="a">The operand.</param>
    static abstract TVec Expm1(TVec a);

    /// <summary>
    /// Lane-wise <c>x^y</c> with the special-value semantics of C <c>pow</c> and <see cref="Math.Pow"/>: negative bases
    /// with integer exponents, signed zeros, infinities, <c>pow(x, 0) = 1</c> and <c>pow(1, y) = 1</c> even for NaN.
    /// </summary>
    /// <param name="x">The base.</param>
    /// <param name="y">The exponent.</param>
    static abstract TVec Pow(TVec x, TVec y);

    /// <summary>
    /// Lane-wise <c>x^a · y^b</c>, a product of two powers (the simplifier's <c>powmul</c>). Where <c>a log x + b log y</c>
    /// is finite (x and y positive and finite, a and b finite: every ordinary lane) it is <c>exp(a log x + b log y)</c>,
    /// two logarithms and one exponential; every other lane (a zero, negative, infinite or NaN base, an infinite or NaN
    /// exponent, or an exponent sum that overflowed) is <c>Pow(x, a) * Pow(y, b)</c> bit for bit, with all of C's
    /// special values.
    /// </summary>
    /// <remarks>
    /// The exponent is rounded once per term in <typeparamref name="T"/>, so the relative error of the fast path is about
    /// <c>(|a log x| + |b log y|) · u</c> plus the errors of log and exp (a few u), u = 2^-24 for float and 2^-53 for
    /// double; the measured figures are in the runtime tests (PowProductTests). It does not overflow or underflow in a
    /// factor: x^a y^b is finite wherever its exponent is in range, even when x^a alone is not.
    /// </remarks>
    /// <param name="x">The first base.</param>
    /// <param name="a">The first exponent.</param>
    /// <param name="y">The second base.</param>
    /// <param name="b">The second exponent.</param>
    static abstract TVec PowMul(TVec x, TVec a, TVec y, TVec b);

    /// <summary>
    /// Lane-wise <c>x^n</c> for an integer <paramref name="n"/> by repeated squaring and multiplication:
    /// <c>n == 0</c> gives 1 (also for NaN), <c>n &lt; 0</c> gives <c>1 / x^|n|</c>; exact signs for negative <paramref name="x"/>.
    /// </summary>
    /// <param name="x">The base.</param>
    /// <param name="n">The integer exponent, the same for every lane.</param>
    static abstract TVec PowInt(TVec x, int n);

    /// <summary>
    /// Lane-wise <c>scipy.special.xlogy</c>: <c>x * log(y)</c>, and 0 where <c>x == 0</c> unless <paramref name="y"/> is NaN.
    /// </summary>
    /// <param name="x">The multiplier.</param>
    /// <param name="y">The argument of the logarithm.</param>
    static abstract TVec Xlogy(TVec x, TVec y);

    /// <summary>
    /// Lane-wise <c>scipy.special.xlog1py</c>: <c>x * log1p(y)</c>, and 0 where <c>x == 0</c> unless <paramref name="y"/> is NaN.
    /// </summary>
    /// <param name="x">The multiplier.</param>
    /// <param name="y">The argument of <c>log1p</c>.</param>
    static abstract TVec Xlog1py(TVec x, TVec y);

    /// <summary>x / y, and 0 where x == 0 and y is not NaN (the derivative of xlogy in y, finite where x = y = 0).</summary>
    static abstract TVec Xdivy(TVec x, TVec y);

    /// <summary>
    /// scipy.special.rel_entr: x log(x / y) for x &gt; 0, y &gt; 0; 0 for x = 0, y &gt;= 0; +inf otherwise; NaN if x or y is NaN.
    /// </summary>
    static abstract TVec RelEntr(TVec x, TVec y);

    /// <summary>xlogy from its unguarded value <paramref name="u"/> = x·log y: u, or 0 where x == 0 and y is not NaN.</summary>
    static abstract TVec Xlogy(TVec x, TVec y, TVec u);

    /// <summary>xlog1py from its unguarded value <paramref name="u"/> = x·log1p y: u, or 0 where x == 0 and y is not NaN.</summary>
    static abstract TVec Xlog1py(TVec x, TVec y, TVec u);

    /// <summary>rel_entr from its unguarded value <paramref name="u"/> = x·log(x/y), with scipy's conventions outside x, y &gt; 0.</summary>
    static abstract TVec RelEntr(TVec x, TVec y, TVec u);

    /// <summary>Lane-wise <c>log(1 + e^a)</c>, computed stably as <c>max(a, 0) + log1p(e^-|a|)</c>.</summary>
    /// <param name="a">The operand.</param>
    static abstract TVec Softplus(TVec a);

    /// <summary>Lane-wise logistic function <c>1 / (1 + e^-a)</c>, relatively accurate in both tails.</summary>
    /// <param name="a">The operand.</param>
    static abstract TVec Sigmoid(TVec a);

    /// <summary>Lane-wise <c>log(sigmoid(a)) = -softplus(-a)</c>, computed stably.</summary>
    /// <param name="a">The operand.</param>
    static abstract TVec LogSigmoid(TVec a);

    /// <summary>Lane-wise hyperbolic tangent, accurate near zero.</summary>
    /// <param name="a">The operand.</param>
    static abstract TVec Tanh(TVec a);

    /// <summary>Lane-wise hyperbolic cosine; finite up to the overflow threshold of the type.</summary>
    /// <param name="a">The operand.</param>
    static abstract TVec Cosh(TVec a);

    /// <summary>sinh x = (expm1 x - expm1(-x)) / 2, accurate near 0.</summary>
    static abstract TVec Sinh(TVec a);

    /// <summary>step(a, b): 1 where a &lt; b, 1/2 where a = b (equal infinities too), 0 where a &gt; b, NaN if either is NaN (the derivative of min and max).</summary>
    static abstract TVec Step(TVec a, TVec b);

    /// <summary>1 in the lanes where <c>a == b</c> (as numbers, so <c>-0 == +0</c> and NaN never equals), 0 elsewhere.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    static abstract TVec IsEqual(TVec a, TVec b);

    /// <summary><paramref name="v"/> in lanes where a == b, else 0 (a select, so an infinite v elsewhere stays out): the gather s[y].</summary>
    static abstract TVec SelectEq(TVec a, TVec b, TVec v);

    /// <summary>
    /// <paramref name="v"/> in lanes where x &gt; 0, else +0 (NaN x gives 0): the derivatives that vanish off the positive
    /// half-line, such as rel_entr's d/dx.
    /// </summary>
    static abstract TVec SelectPositive(TVec x, TVec v);

    /// <summary>The horizontal sum: every lane converted to <see cref="double"/>, added by halving (value i gets value i + half, until one is left).</summary>
    /// <param name="v">The vector to sum.</param>
    static abstract double SumToDouble(TVec v);

    /// <summary>The largest lane, NaN if any lane is NaN (<c>+0</c> beats <c>-0</c>).</summary>
    /// <param name="v">The vector to reduce.</param>
    static abstract T MaxAcross(TVec v);

    /// <summary>The smallest lane, NaN if any lane is NaN (<c>-0</c> beats <c>+0</c>).</summary>
    /// <param name="v">The vector to reduce.</param>
    static abstract T MinAcross(TVec v);

    /// <summary>
    /// One step of the online log-sum-exp, per lane and with one exponential per element:
    /// <c>d = x - max; e = exp(-|d|); sum = d &gt; 0 ? (sum + 1) * e : sum + e; max = Max(max, x)</c>: the sum leaves out
    /// the 1 of the maximum (see <see cref="LogSumExp"/>), so the value is <c>max + log1p(sum)</c>.
    /// Start from <c>max = -inf</c>, <c>sum = 0</c>. <c>x = -inf</c> contributes nothing (also while max is still -inf),
    /// <c>+inf</c> makes the result +inf, and NaN propagates (through <c>max</c>).
    /// </summary>
    /// <remarks>
    /// Equal infinities (<c>x == max == ±inf</c>) count as <c>d = 0</c> instead of NaN, so a lane that has seen only -inf
    /// ends with <c>max = -inf</c> and a positive <c>sum</c> that means nothing: <see cref="LseCombine"/> and
    /// <see cref="LogSumExp.Combine"/> ignore a side whose maximum is -inf. Exponentials below the smallest normal
    /// number are taken as 0 (they cannot move the value by more than that number).
    /// </remarks>
    /// <param name="max">The running maximum of each lane.</param>
    /// <param name="sum">The running sum of <c>exp(x - max)</c> of each lane.</param>
    /// <param name="x">The next elements.</param>
    static abstract void LseAccumulate(ref TVec max, ref TVec sum, TVec x);

    /// <summary>
    /// Folds the lanes of an online log-sum-exp state into a <see cref="double"/> pair with the same rescaling (see
    /// <see cref="LogSumExp.Combine"/>): ordinary lanes as vectors (rescaled to the largest lane maximum by one vector
    /// exp, summed in double in a fixed order, then one combine), lanes holding NaN or +inf one by one in lane order. Start the pair at <c>(-inf, 0)</c>; the log-sum-exp is
    /// <see cref="LogSumExp.Finish"/> of the final pair.
    /// </summary>
    /// <param name="max">The lane maxima from <see cref="LseAccumulate"/>.</param>
    /// <param name="sum">The lane sums from <see cref="LseAccumulate"/>.</param>
    /// <param name="accMax">The running maximum of the pair.</param>
    /// <param name="accSum">The running sum of the pair, relative to <paramref name="accMax"/>.</param>
    static abstract void LseCombine(TVec max, TVec sum, ref double accMax, ref double accSum);
}
