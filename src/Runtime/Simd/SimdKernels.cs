using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KernelDsl.Runtime;

/// <summary>
/// The functions that are compositions of the primitives and of exp/log/log1p/expm1, written once for float and double
/// and every vector width.
/// </summary>
internal static partial class SimdKernels<V, TVec, T>
    where V : struct, IVectorOps<TVec, T>
    where TVec : struct
    where T : unmanaged
{
    /// <summary>±1 with the sign of x; ±0 and NaN are returned as they are.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Sign(TVec x) =>
        V.Select(V.GreaterThan(V.Abs(x), V.Zero), V.CopySign(V.C(1.0), x), x);

    /// <summary>v where a == b, else 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec SelectEq(TVec a, TVec b, TVec v) => V.And(V.Equal(a, b), v);

    /// <summary>1 where a == b, else 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec IsEqual(TVec a, TVec b) => V.And(V.Equal(a, b), V.C(1.0));

    /// <summary>log(1 + e^x) = max(x, 0) + log1p(e^-|x|).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Softplus(TVec x) =>
        V.Add(V.MaxNative(x, V.Zero), V.Log1p(V.Exp(MinusAbs(x)))); // NaN reaches the sum through exp

    /// <summary>log(sigmoid(x)) = min(x, 0) - log1p(e^-|x|).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec LogSigmoid(TVec x) =>
        V.Sub(V.MinNative(x, V.Zero), V.Log1p(V.Exp(MinusAbs(x))));

    /// <summary>1 / (1 + e^-x) as (x &gt;= 0 ? 1 : z) / (1 + z) with z = e^-|x|: one rounding after exp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Sigmoid(TVec x)
    {
        TVec one = V.C(1.0);
        TVec z = V.Exp(MinusAbs(x));
        return V.Div(V.Select(V.GreaterThanOrEqual(x, V.Zero), one, z), V.Add(one, z));
    }

    /// <summary>tanh x = -t / (2 + t) with t = expm1(-2|x|), with the sign of x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Tanh(TVec x)
    {
        TVec t = V.Expm1(V.Mul(V.C(-2.0), V.Abs(x)));
        return V.CopySign(V.Div(V.Neg(t), V.Add(V.C(2.0), t)), x);
    }

    /// <summary>cosh x = h + 1 / (4h) with h = e^|x| / 2, so it is finite up to the true overflow threshold.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Cosh(TVec x)
    {
        TVec h = V.ExpHalf(V.Abs(x));
        return V.Add(h, V.Div(V.C(0.25), h));
    }

    /// <summary>sinh x = (expm1 x - expm1(-x)) / 2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Sinh(TVec x) => V.Mul(V.C(0.5), V.Sub(V.Expm1(x), V.Expm1(V.Neg(x))));

    /// <summary>(1 + sign(b - a)) / 2: 1, 1/2 or 0; 1/2 on every tie (equal infinities too, where b - a is NaN); NaN with a NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Step(TVec a, TVec b) =>
        V.Select(V.Equal(a, b), V.C(0.5), V.Mul(V.C(0.5), V.Add(V.C(1.0), Sign(V.Sub(b, a)))));

    /// <summary>x log y, 0 where x == 0 and y is not NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Xlogy(TVec x, TVec y) =>
        V.AndNot(V.Mul(x, V.Log(y)), V.AndNot(V.Equal(x, V.Zero), V.IsNaN(y)));

    /// <summary>x log1p y, 0 where x == 0 and y is not NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Xlog1py(TVec x, TVec y) =>
        V.AndNot(V.Mul(x, V.Log1p(y)), V.AndNot(V.Equal(x, V.Zero), V.IsNaN(y)));

    /// <summary>x / y, 0 where x == 0 and y is not NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Xdivy(TVec x, TVec y) =>
        V.AndNot(V.Div(x, y), V.AndNot(V.Equal(x, V.Zero), V.IsNaN(y)));

    /// <summary>xlogy (or xlog1py) from u = x·log y: u, and 0 where x == 0 and y is not NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec GuardZero(TVec x, TVec y, TVec u) => V.AndNot(u, V.AndNot(V.Equal(x, V.Zero), V.IsNaN(y)));

    /// <summary>
    /// rel_entr from u = x·log(x/y): u corrected for the rounding of x/y where x, y &gt; 0; 0 where x = 0 and y &gt;= 0; NaN
    /// if either is NaN; else +inf.
    /// </summary>
    /// <remarks>
    /// With r = fl(x/y), x/y = r + e/y exactly for e = x - r·y (one fused multiply-add, exact up to a rounding on the
    /// subnormal grid), so x·log(x/y) = x·log r + e·x/(r·y) + O(e²/x) = u + e to about an ulp: the correction that keeps
    /// near-equal x and y (log r ≈ 0, where the rounding of r is the whole error) accurate, branch-free and without a
    /// second logarithm. Where r is not a positive normal number (x/y overflowed, underflowed or lost digits as a
    /// subnormal), the lanes take x·(log x - log y) in a branch that ordinary data never enters.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec RelEntr(TVec x, TVec y, TVec u)
    {
        TVec zero = V.Zero;
        TVec inside = V.And(V.GreaterThan(x, zero), V.GreaterThan(y, zero));
        TVec r = V.Div(x, y);
        TVec value = V.Add(u, V.FusedMultiplyAdd(V.Neg(r), y, x));
        TVec outOfRange = V.And(inside, V.NotPositiveNormal(r));
        if (V.AnyTrue(outOfRange))
        {
            value = RelEntrOutOfRange(x, y, value, outOfRange);
        }

        TVec atZero = V.And(V.Equal(x, zero), V.GreaterThanOrEqual(y, zero));
        TVec outside = V.Select(V.Or(V.IsNaN(x), V.IsNaN(y)), V.Add(x, y), V.C(double.PositiveInfinity));
        return V.Select(inside, value, V.Select(atZero, zero, outside));
    }

    /// <summary>x·(log x - log y) in the lanes where x/y is not a positive normal number.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static TVec RelEntrOutOfRange(TVec x, TVec y, TVec value, TVec lanes) =>
        V.Select(lanes, V.Mul(x, V.Sub(V.Log(x), V.Log(y))), value);

    /// <summary>scipy's rel_entr: x log(x/y) where x, y &gt; 0; 0 where x = 0 and y &gt;= 0; NaN if either is NaN; else +inf.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec RelEntr(TVec x, TVec y) => RelEntr(x, y, V.Mul(x, V.Log(V.Div(x, y))));

    /// <summary>x^n by binary powering; n &lt; 0 gives 1 / x^|n|.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec PowInt(TVec x, int n)
    {
        switch (n)
        {
            case 0: return V.C(1.0);
            case 1: return x;
            case 2: return V.Mul(x, x);
            case 3: return V.Mul(V.Mul(x, x), x);
            case -1: return V.Div(V.C(1.0), x);
            case -2: return V.Div(V.C(1.0), V.Mul(x, x));
            default: return PowIntGeneral(x, n);
        }
    }

    private static TVec PowIntGeneral(TVec x, int n)
    {
        ulong e = n < 0 ? (ulong)(-(long)n) : (ulong)n;
        TVec result = (e & 1) != 0 ? x : V.C(1.0);
        TVec square = x;
        for (e >>= 1; e != 0; e >>= 1)
        {
            square = V.Mul(square, square);
            if ((e & 1) != 0)
            {
                result = V.Mul(result, square);
            }
        }

        return n < 0 ? V.Div(V.C(1.0), result) : result;
    }

    /// <summary>
    /// x^y: the positive-base core on |x|, the sign for negative bases with odd integer exponents (NaN for non-integer
    /// ones), zero bases with finite exponents in vector code, and the scalar <see cref="Math.Pow"/> for the lanes left
    /// (an infinite or NaN argument).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Pow(TVec x, TVec y)
    {
        TVec zero = V.Zero;
        TVec infinity = V.C(double.PositiveInfinity);
        TVec ax = V.Abs(x);
        TVec result = V.PowPositive(ax, y);

        TVec negative = V.LessThan(x, zero);
        if (V.AnyTrue(negative))
        {
            TVec yInteger = V.Equal(V.Truncate(y), y);
            TVec signedResult = V.Select(IsOddInteger(y), V.Neg(result), result);
            result = V.Select(negative, V.Select(yInteger, signedResult, V.C(double.NaN)), result);
        }

        TVec finiteY = V.LessThan(V.Abs(y), infinity);
        TVec ordinary = V.And(V.And(V.GreaterThan(ax, zero), V.LessThan(ax, infinity)), finiteY);
        if (V.AnyTrue(V.Not(ordinary)))
        {
            result = PowSpecial(x, y, result, ordinary, finiteY);
        }

        return result;
    }

    /// <summary>Lanes where y is an odd integer (|y| &lt; 2^53, or 2^24 for float: larger integers are even).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec IsOddInteger(TVec y)
    {
        TVec halfY = V.Mul(y, V.C(0.5));
        return V.AndNot(V.Equal(V.Truncate(y), y), V.Equal(V.Truncate(halfY), halfY));
    }

    /// <summary>
    /// pow(±0, y) for finite y: +0 for y &gt; 0, +inf for y &lt; 0, 1 for y = 0, with the sign of a -0 base for odd
    /// integer y. The remaining unusual lanes go to the scalar library pow.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static TVec PowSpecial(TVec x, TVec y, TVec result, TVec ordinary, TVec finiteY)
    {
        TVec zero = V.Zero;
        TVec zeroBase = V.And(V.Equal(x, zero), finiteY);
        TVec magnitude = V.Select(V.GreaterThan(y, zero), zero, V.C(double.PositiveInfinity));
        magnitude = V.Select(V.Equal(y, zero), V.C(1.0), magnitude);
        TVec negativeZero = V.And(zeroBase, V.LessThan(V.CopySign(V.C(1.0), x), zero));
        magnitude = V.Select(V.And(negativeZero, IsOddInteger(y)), V.Neg(magnitude), magnitude);
        result = V.Select(zeroBase, magnitude, result);

        if (V.AnyTrue(V.Not(V.Or(ordinary, zeroBase))))
        {
            result = PowFallback(x, y, result);
        }

        return result;
    }

    /// <summary>Replaces the lanes with an infinite or NaN argument by the scalar library pow.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static TVec PowFallback(TVec x, TVec y, TVec result)
    {
        int count = V.Count;
        Span<T> buffer = stackalloc T[3 * count];
        ref T start = ref MemoryMarshal.GetReference(buffer);
        V.Store(x, ref start, 0);
        V.Store(y, ref start, count);
        V.Store(result, ref start, 2 * count);
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

        return V.Load(ref start, 2 * count);
    }

    /// <summary>-|x| (the sign bit set).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec MinusAbs(TVec x) => V.Or(x, V.C(-0.0));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double ToDouble(T value) =>
        typeof(T) == typeof(float) ? Unsafe.As<T, float>(ref value) : Unsafe.As<T, double>(ref value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T FromFloat(float value) => Unsafe.As<float, T>(ref value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T FromDouble(double value) => Unsafe.As<double, T>(ref value);
}
