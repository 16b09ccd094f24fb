using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KernelDsl.Runtime;

/// <summary>
/// The functions that are compositions of the primitives and of exp/log/log1p/expm1, written once for float and double
/// and every width (see README.md beside this file).
/// </summary>
internal partial interface IVectorOps<TSelf, TVec, T>
{
    /// <summary>a · a.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVec ISimd<TVec, T>.Sq(TVec a) => TSelf.Mul(a, a);

    /// <summary>
    /// ±1 with the sign of x; ±0 and NaN are returned as they are: the sign of x on 1 or on |x| (a compare, a select
    /// and one bitwise merge).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVec ISimd<TVec, T>.Sign(TVec x)
    {
        TVec magnitude = TSelf.Abs(x);
        return TSelf.CopySign(TSelf.Select(TSelf.GreaterThan(magnitude, TSelf.Zero), TSelf.C(1.0), magnitude), x);
    }

    /// <summary>v where a == b, else 0 (a select, which AVX-512 does as one masked move from the compare's mask register).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVec ISimd<TVec, T>.SelectEq(TVec a, TVec b, TVec v) => TSelf.Select(TSelf.Equal(a, b), v, TSelf.Zero);

    /// <summary>v where x &gt; 0, else 0 (one compare and a select, which AVX-512 does as one zero-masked move).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVec ISimd<TVec, T>.SelectPositive(TVec x, TVec v) => TSelf.Select(TSelf.GreaterThan(x, TSelf.Zero), v, TSelf.Zero);

    /// <summary>1 where a == b, else 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVec ISimd<TVec, T>.IsEqual(TVec a, TVec b) => TSelf.And(TSelf.Equal(a, b), TSelf.C(1.0));

    /// <summary>log(1 + e^x) = max(x, 0) + log1p(e^-|x|).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVec ISimd<TVec, T>.Softplus(TVec x) =>
        TSelf.Add(TSelf.MaxNative(x, TSelf.Zero), TSelf.Log1p(TSelf.Exp(MinusAbs(x)))); // NaN reaches the sum through exp

    /// <summary>log(sigmoid(x)) = min(x, 0) - log1p(e^-|x|).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVec ISimd<TVec, T>.LogSigmoid(TVec x) =>
        TSelf.Sub(TSelf.MinNative(x, TSelf.Zero), TSelf.Log1p(TSelf.Exp(MinusAbs(x))));

    /// <summary>1 / (1 + e^-x) as (x &gt;= 0 ? 1 : z) / (1 + z) with z = e^-|x|: one rounding after exp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVec ISimd<TVec, T>.Sigmoid(TVec x)
    {
        TVec one = TSelf.C(1.0);
        TVec z = TSelf.Exp(MinusAbs(x));
        return TSelf.Div(TSelf.Select(TSelf.GreaterThanOrEqual(x, TSelf.Zero), one, z), TSelf.Add(one, z));
    }

    /// <summary>tanh x = -t / (2 + t) with t = expm1(-2|x|), with the sign of x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVec ISimd<TVec, T>.Tanh(TVec x)
    {
        TVec t = TSelf.Expm1(TSelf.Mul(TSelf.C(-2.0), TSelf.Abs(x)));
        return TSelf.CopySign(TSelf.Div(TSelf.Neg(t), TSelf.Add(TSelf.C(2.0), t)), x);
    }

    /// <summary>cosh x = h + 1 / (4h) with h = e^|x| / 2, so it is finite up to the true overflow threshold.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVec ISimd<TVec, T>.Cosh(TVec x)
    {
        TVec h = ExpHalf(TSelf.Abs(x));
        return TSelf.Add(h, TSelf.Div(TSelf.C(0.25), h));
    }

    /// <summary>sinh x = (expm1 x - expm1(-x)) / 2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVec ISimd<TVec, T>.Sinh(TVec x) => TSelf.Mul(TSelf.C(0.5), TSelf.Sub(TSelf.Expm1(x), TSelf.Expm1(TSelf.Neg(x))));

    /// <summary>(1 + sign(b - a)) / 2: 1, 1/2 or 0; 1/2 on every tie (equal infinities too, where b - a is NaN); NaN with a NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVec ISimd<TVec, T>.Step(TVec a, TVec b) =>
        TSelf.Select(TSelf.Equal(a, b), TSelf.C(0.5), TSelf.Mul(TSelf.C(0.5), TSelf.Add(TSelf.C(1.0), TSelf.Sign(TSelf.Sub(b, a)))));

    /// <summary>x log y, 0 where x == 0 and y is not NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVec ISimd<TVec, T>.Xlogy(TVec x, TVec y) =>
        GuardZero(x, y, TSelf.Mul(x, TSelf.Log(y)));

    /// <summary>x log1p y, 0 where x == 0 and y is not NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVec ISimd<TVec, T>.Xlog1py(TVec x, TVec y) =>
        GuardZero(x, y, TSelf.Mul(x, TSelf.Log1p(y)));

    /// <summary>x / y, 0 where x == 0 and y is not NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVec ISimd<TVec, T>.Xdivy(TVec x, TVec y) =>
        GuardZero(x, y, TSelf.Div(x, y));

    /// <summary>xlogy from u = x·log y: u, and 0 where x == 0 and y is not NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVec ISimd<TVec, T>.Xlogy(TVec x, TVec y, TVec u) => GuardZero(x, y, u);

    /// <summary>xlog1py from u = x·log1p y: u, and 0 where x == 0 and y is not NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVec ISimd<TVec, T>.Xlog1py(TVec x, TVec y, TVec u) => GuardZero(x, y, u);

    /// <summary>xlogy (or xlog1py) from u = x·log y: u, and 0 where x == 0 and y is not NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec GuardZero(TVec x, TVec y, TVec u) =>
        TSelf.Select(TSelf.AndNot(TSelf.Equal(x, TSelf.Zero), TSelf.IsNaN(y)), TSelf.Zero, u);

    /// <summary>
    /// rel_entr from u = x·log(x/y): u corrected for the rounding of x/y where x, y &gt; 0; 0 where x = 0 and y &gt;= 0; NaN
    /// if either is NaN; else +inf.
    /// </summary>
    /// <remarks>
    /// With r = fl(x/y), x/y = r + e/y exactly for e = x - r·y (one fused multiply-add, exact up to a rounding on the
    /// subnormal grid), so x·log(x/y) = x·log r + e·x/(r·y) + O(e²/x) = u + e to about an ulp: the correction that keeps
    /// near-equal x and y (log r ≈ 0, where the rounding of r is the whole error) accurate, branch-free and without a
    /// second logarithm. Where every lane has x &gt; 0 and r a positive normal number (so y &gt; 0 and finite too), that is
    /// the result: one test on the ordinary path. Any other lane sends the vector through <see cref="RelEntrSpecial"/>,
    /// inlined so that the ordinary path holds no call.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVec ISimd<TVec, T>.RelEntr(TVec x, TVec y, TVec u)
    {
        TVec r = TSelf.Div(x, y);
        TVec value = TSelf.Add(u, TSelf.FusedMultiplyAdd(TSelf.Neg(r), y, x));
        if (TSelf.AnyTrue(TSelf.Or(TSelf.NotPositiveNormal(r), TSelf.Not(TSelf.GreaterThan(x, TSelf.Zero)))))
        {
            value = RelEntrSpecial(x, y, r, value);
        }

        return value;
    }

    /// <summary>
    /// rel_entr for any lanes, from <paramref name="value"/> = u + e: where x, y &gt; 0 and r = x/y is not a positive
    /// normal number (x/y overflowed, underflowed or lost digits as a subnormal), x·(log x - log y); 0 where x = 0 and
    /// y &gt;= 0; NaN if either is NaN; else +inf.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec RelEntrSpecial(TVec x, TVec y, TVec r, TVec value)
    {
        TVec zero = TSelf.Zero;
        TVec inside = TSelf.And(TSelf.GreaterThan(x, zero), TSelf.GreaterThan(y, zero));
        TVec outOfRange = TSelf.And(inside, TSelf.NotPositiveNormal(r));
        if (TSelf.AnyTrue(outOfRange))
        {
            value = TSelf.Select(outOfRange, TSelf.Mul(x, TSelf.Sub(TSelf.Log(x), TSelf.Log(y))), value);
        }

        TVec atZero = TSelf.And(TSelf.Equal(x, zero), TSelf.GreaterThanOrEqual(y, zero));
        TVec outside = TSelf.Select(TSelf.Or(TSelf.IsNaN(x), TSelf.IsNaN(y)), TSelf.Add(x, y), TSelf.C(double.PositiveInfinity));
        return TSelf.Select(inside, value, TSelf.Select(atZero, zero, outside));
    }

    /// <summary>
    /// scipy's rel_entr: x log(x/y) where x, y &gt; 0; 0 where x = 0 and y &gt;= 0; NaN if either is NaN; else +inf. Float
    /// lanes take <see cref="FloatMath{V, TVec, T}.RelEntr"/>, which owns its log (one special-lane test instead of two);
    /// double lanes the three-argument form on <c>x log(x/y)</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVec ISimd<TVec, T>.RelEntr(TVec x, TVec y) =>
        IsSingle ? FloatMath<TSelf, TVec, T>.RelEntr(x, y) : TSelf.RelEntr(x, y, TSelf.Mul(x, TSelf.Log(TSelf.Div(x, y))));

    /// <summary>x^n by binary powering; n &lt; 0 gives 1 / x^|n|.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVec ISimd<TVec, T>.PowInt(TVec x, int n)
    {
        switch (n)
        {
            case 0: return TSelf.C(1.0);
            case 1: return x;
            case 2: return TSelf.Mul(x, x);
            case 3: return TSelf.Mul(TSelf.Mul(x, x), x);
            case -1: return TSelf.Div(TSelf.C(1.0), x);
            case -2: return TSelf.Div(TSelf.C(1.0), TSelf.Mul(x, x));
            default: return PowIntGeneral(x, n);
        }
    }

    private static TVec PowIntGeneral(TVec x, int n)
    {
        ulong e = n < 0 ? (ulong)(-(long)n) : (ulong)n;
        TVec result = (e & 1) != 0 ? x : TSelf.C(1.0);
        TVec square = x;
        for (e >>= 1; e != 0; e >>= 1)
        {
            square = TSelf.Mul(square, square);
            if ((e & 1) != 0)
            {
                result = TSelf.Mul(result, square);
            }
        }

        return n < 0 ? TSelf.Div(TSelf.C(1.0), result) : result;
    }

    /// <summary>
    /// x^y: the positive-base core on |x|, the sign for negative bases with odd integer exponents (NaN for non-integer
    /// ones), zero bases with finite exponents in vector code, and the scalar <see cref="Math.Pow"/> for the lanes left
    /// (an infinite or NaN argument).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVec ISimd<TVec, T>.Pow(TVec x, TVec y)
    {
        TVec zero = TSelf.Zero;
        TVec infinity = TSelf.C(double.PositiveInfinity);
        TVec ax = TSelf.Abs(x);
        TVec result = PowPositive(ax, y);

        TVec negative = TSelf.LessThan(x, zero);
        if (TSelf.AnyTrue(negative))
        {
            TVec yInteger = TSelf.Equal(TSelf.Truncate(y), y);
            TVec signedResult = TSelf.Select(IsOddInteger(y), TSelf.Neg(result), result);
            result = TSelf.Select(negative, TSelf.Select(yInteger, signedResult, TSelf.C(double.NaN)), result);
        }

        TVec finiteY = TSelf.LessThan(TSelf.Abs(y), infinity);
        TVec ordinary = TSelf.And(TSelf.And(TSelf.GreaterThan(ax, zero), TSelf.LessThan(ax, infinity)), finiteY);
        if (TSelf.AnyTrue(TSelf.Not(ordinary)))
        {
            result = PowSpecial(x, y, result, ordinary, finiteY);
        }

        return result;
    }

    /// <summary>Lanes where y is an odd integer (|y| &lt; 2^53, or 2^24 for float: larger integers are even).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec IsOddInteger(TVec y)
    {
        TVec halfY = TSelf.Mul(y, TSelf.C(0.5));
        return TSelf.AndNot(TSelf.Equal(TSelf.Truncate(y), y), TSelf.Equal(TSelf.Truncate(halfY), halfY));
    }

    /// <summary>
    /// pow(±0, y) for finite y: +0 for y &gt; 0, +inf for y &lt; 0, 1 for y = 0, with the sign of a -0 base for odd
    /// integer y. The remaining unusual lanes go to the scalar library pow.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static TVec PowSpecial(TVec x, TVec y, TVec result, TVec ordinary, TVec finiteY)
    {
        TVec zero = TSelf.Zero;
        TVec zeroBase = TSelf.And(TSelf.Equal(x, zero), finiteY);
        TVec magnitude = TSelf.Select(TSelf.GreaterThan(y, zero), zero, TSelf.C(double.PositiveInfinity));
        magnitude = TSelf.Select(TSelf.Equal(y, zero), TSelf.C(1.0), magnitude);
        TVec negativeZero = TSelf.And(zeroBase, TSelf.LessThan(TSelf.CopySign(TSelf.C(1.0), x), zero));
        magnitude = TSelf.Select(TSelf.And(negativeZero, IsOddInteger(y)), TSelf.Neg(magnitude), magnitude);
        result = TSelf.Select(zeroBase, magnitude, result);

        if (TSelf.AnyTrue(TSelf.Not(TSelf.Or(ordinary, zeroBase))))
        {
            result = PowFallback(x, y, result);
        }

        return result;
    }

    /// <summary>Replaces the lanes with an infinite or NaN argument by the scalar library pow.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static TVec PowFallback(TVec x, TVec y, TVec result)
    {
        int count = TSelf.Count;
        Span<T> buffer = stackalloc T[3 * count];
        ref T start = ref MemoryMarshal.GetReference(buffer);
        TSelf.Store(x, ref start, 0);
        TSelf.Store(y, ref start, count);
        TSelf.Store(result, ref start, 2 * count);
        for (int i = 0; i < count; i++)
        {
            double xi = ToDouble(buffer[i]);
            double yi = ToDouble(buffer[count + i]);
            if (!double.IsFinite(xi) || !double.IsFinite(yi))
            {
                buffer[2 * count + i] = typeof(T) == typeof(float)
                    ? FromFloat(MathF.Pow((float)xi, (float)yi))
                    : FromDouble(Math.Pow(xi, yi));
            }
        }

        return TSelf.Load(ref start, 2 * count);
    }

    /// <summary>-|x| (the sign bit set).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec MinusAbs(TVec x) => TSelf.Or(x, TSelf.C(-0.0));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double ToDouble(T value) =>
        typeof(T) == typeof(float) ? Unsafe.As<T, float>(ref value) : Unsafe.As<T, double>(ref value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T FromFloat(float value) => Unsafe.As<float, T>(ref value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T FromDouble(double value) => Unsafe.As<double, T>(ref value);
}
