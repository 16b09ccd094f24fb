using System.Numerics;

namespace KernelDsl.Runtime.Gpu;

/// <summary>
/// The math generated GPU kernels call, one function per op of the language with the same name and conventions as
/// <see cref="ISimd{TVec, T}"/> (scipy's at special values). Written once over the element type: kernels use
/// <c>GpuMath&lt;float&gt;</c> per element and <c>GpuMath&lt;double&gt;</c> for the scalar epilogues computed on the
/// device. Only the generic-math members ILGPU lowers to PTX and OpenCL are used (T.Log, T.Exp, T.Sqrt, T.Pow, T.Abs;
/// constants built from T.One, since T.CreateTruncating does not compile for a GPU); the tests compile every generated
/// kernel for both backends.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]
public static class GpuMath<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static T Two => T.One + T.One;
    private static T Half => T.One / Two;

#pragma warning disable CS1591 // one-line math, named as the ops of the language (README: Pointwise functions)
    public static T Add(T a, T b) => a + b;
    public static T Sub(T a, T b) => a - b;
    public static T Mul(T a, T b) => a * b;
    public static T Div(T a, T b) => a / b;
    public static T Neg(T a) => -a;
    public static T Sq(T a) => a * a;
    public static T Min(T a, T b) => T.IsNaN(a) || T.IsNaN(b) ? T.NaN : a < b ? a : b;
    public static T Max(T a, T b) => T.IsNaN(a) || T.IsNaN(b) ? T.NaN : a > b ? a : b;
    public static T Abs(T a) => T.Abs(a);
    public static T Sign(T a) => a > T.Zero ? T.One : a < T.Zero ? -T.One : a;
    public static T Sqrt(T a) => T.Sqrt(a);
    public static T Log(T a) => T.Log(a);
    public static T Exp(T a) => T.Exp(a);
    public static T IsEqual(T a, T b) => a == b ? T.One : T.Zero;
    public static T SelectEq(T a, T b, T v) => a == b ? v : T.Zero;
    public static T SelectPositive(T x, T v) => x > T.Zero ? v : T.Zero;

    /// <summary>log(1 + x), accurate near 0: log(u) · x / (u - 1) with u = 1 + x.</summary>
    public static T Log1p(T x)
    {
        T u = T.One + x;
        if (u == T.One) return x;
        if (T.IsInfinity(u) || u <= T.Zero) return T.Log(u);
        return T.Log(u) * (x / (u - T.One));
    }

    /// <summary>e^x - 1, accurate near 0: (u - 1) · x / log(u) with u = e^x.</summary>
    public static T Expm1(T x)
    {
        if (T.Abs(x) >= Half) return T.Exp(x) - T.One;
        T u = T.Exp(x);
        if (u == T.One) return x;
        return (u - T.One) * x / T.Log(u);
    }

    /// <summary>C's pow, with exact integer powers of negative bases.</summary>
    public static T Pow(T x, T y) => T.Pow(x, y);

    /// <summary>
    /// x^a · y^b: exp(a log x + b log y) where that exponent is finite (positive finite bases, finite exponents), else
    /// pow(x, a) · pow(y, b) with C's special values.
    /// </summary>
    public static T PowMul(T x, T a, T y, T b)
    {
        T e = a * T.Log(x) + b * T.Log(y);
        return T.IsNaN(e) || T.IsInfinity(e) ? T.Pow(x, a) * T.Pow(y, b) : T.Exp(e);
    }

    /// <summary>x^n by binary powering (exact sign for negative x; n &lt; 0 is 1 / x^|n|).</summary>
    public static T PowInt(T x, int n)
    {
        int m = n < 0 ? -n : n;
        T result = T.One, b = x;
        while (m > 0)
        {
            if ((m & 1) != 0) result *= b;
            b *= b;
            m >>= 1;
        }
        return n < 0 ? T.One / result : result;
    }

    /// <summary>x / y, 0 where x = 0 and y is not NaN.</summary>
    public static T Xdivy(T x, T y) => x == T.Zero && !T.IsNaN(y) ? T.Zero : x / y;

    /// <summary>xlogy from its unguarded value u = x log y.</summary>
    public static T Xlogy(T x, T y, T u) => x == T.Zero && !T.IsNaN(y) ? T.Zero : u;

    /// <summary>xlog1py from its unguarded value u = x log1p y.</summary>
    public static T Xlog1py(T x, T y, T u) => x == T.Zero && !T.IsNaN(y) ? T.Zero : u;

    /// <summary>
    /// rel_entr from its unguarded value u = x log(x / y), with scipy's conventions, arranged as the interpreter does: x log1p((x -
    /// y) / y) for near-equal x and y (x - y is exact there, where log(x / y) would keep only the rounding of the ratio),
    /// u where x / y is a normal number, and x (log x - log y) where x / y overflowed or underflowed. The lower bound of
    /// "normal" is 2^-1022 for double and 2^-97 for float (Epsilon · 2^52: no constant of T compiles for a GPU), where
    /// the difference of logs is still within a few ulps.
    /// </summary>
    public static T RelEntr(T x, T y, T u)
    {
        if (T.IsNaN(x) || T.IsNaN(y)) return T.NaN;
        if (x > T.Zero && y > T.Zero)
        {
            T r = x / y;
            if (r > Half && r < Two) return x * Log1p((x - y) / y);
            if (r >= SmallRatio && !T.IsInfinity(r)) return u;
            return x * (T.Log(x) - T.Log(y));
        }
        if (x == T.Zero && y >= T.Zero) return T.Zero;
        return T.PositiveInfinity;
    }

    /// <summary>Epsilon · 2^52: the smallest normal double, 2^-97 in float.</summary>
    private static T SmallRatio
    {
        get
        {
            T t4 = Two * Two, t16 = t4 * t4, t256 = t16 * t16, t65536 = t256 * t256;
            return T.Epsilon * (t65536 * t65536) * t65536 * t16;
        }
    }

    public static T Softplus(T x) => Max(x, T.Zero) + Log1p(T.Exp(-T.Abs(x)));
    public static T LogSigmoid(T x) => Min(x, T.Zero) - Log1p(T.Exp(-T.Abs(x)));

    public static T Sigmoid(T x)
    {
        T z = T.Exp(-T.Abs(x));
        return (x >= T.Zero ? T.One : z) / (T.One + z);
    }

    public static T Tanh(T x)
    {
        T t = Expm1(-Two * T.Abs(x));
        T r = -t / (Two + t);
        return x < T.Zero ? -r : r;
    }

    public static T Sinh(T x) => Half * (Expm1(x) - Expm1(-x));
    public static T Step(T a, T b) => a == b ? Half : Half * (T.One + Sign(b - a)); // a tie is 1/2, equal infinities too

    public static T Cosh(T x)
    {
        T h = Half * T.Exp(T.Abs(x));
        return h + Half * Half / h;
    }
#pragma warning restore CS1591
}
