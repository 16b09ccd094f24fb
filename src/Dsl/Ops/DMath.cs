using System;

namespace KernelDsl.Language.Ops;

/// <summary>Double-precision special functions with scipy's conventions: the oracle's arithmetic.</summary>
internal static class DMath
{
    private const double MinNormal = 2.2250738585072014E-308;

    /// <summary>log(1 + x), accurate near 0 (Kahan: log(u) * x / (u - 1) with u = 1 + x).</summary>
    public static double Log1p(double x)
    {
        if (double.IsNaN(x)) return x;
        if (double.IsPositiveInfinity(x)) return x;
        double u = 1.0 + x;
        if (u == 1.0) return x;
        if (u <= 0) return u == 0 ? double.NegativeInfinity : double.NaN;
        double r = Math.Log(u) * (x / (u - 1.0));
        return double.IsNaN(r) || double.IsInfinity(u) ? Math.Log(u) : r;
    }

    /// <summary>exp(x) - 1, accurate near 0 (Kahan: (u - 1) * x / log(u) with u = e^x).</summary>
    public static double Expm1(double x)
    {
        if (double.IsNaN(x)) return x;
        if (Math.Abs(x) < 0.5)
        {
            double u = Math.Exp(x);
            if (u == 1.0) return x;
            double um1 = u - 1.0;
            return um1 * x / Math.Log(u);
        }
        return Math.Exp(x) - 1.0;
    }

    /// <summary>scipy.special.xlogy: x * log(y), and 0 where x = 0 and y is not NaN.</summary>
    public static double Xlogy(double x, double y) => x == 0 && !double.IsNaN(y) ? 0.0 : x * Math.Log(y);

    /// <summary>scipy.special.xlog1py: x * log1p(y), and 0 where x = 0 and y is not NaN.</summary>
    public static double Xlog1py(double x, double y) => x == 0 && !double.IsNaN(y) ? 0.0 : x * Log1p(y);

    /// <summary>x / y, and 0 where x = 0 and y is not NaN (the y-derivative of xlogy, finite at x = y = 0).</summary>
    public static double Xdivy(double x, double y) => x == 0 && !double.IsNaN(y) ? 0.0 : x / y;

    /// <summary>scipy.special.rel_entr: x log(x/y) for x, y &gt; 0; 0 for x = 0, y &gt;= 0; NaN if x or y is NaN; +inf otherwise.</summary>
    public static double RelEntr(double x, double y)
    {
        if (double.IsNaN(x) || double.IsNaN(y)) return double.NaN;
        if (x > 0 && y > 0)
        {
            // log1p of the exact difference for near-equal x and y (x - y is exact there), log of the
            // ratio where it is a normal number, and a difference of logs where the ratio overflowed or underflowed.
            double r = x / y;
            if (r > 0.5 && r < 2) return x * Log1p((x - y) / y);
            if (r >= MinNormal && r < double.PositiveInfinity) return x * Math.Log(r);
            return x * (Math.Log(x) - Math.Log(y));
        }
        if (x == 0 && y >= 0) return 0.0;
        return double.PositiveInfinity;
    }

    /// <summary>log(1 + e^x), stable for large |x|.</summary>
    public static double Softplus(double x) => Math.Max(x, 0.0) + Log1p(Math.Exp(-Math.Abs(x)));

    /// <summary>1 / (1 + e^-x).</summary>
    public static double Sigmoid(double x)
    {
        if (x >= 0) return 1.0 / (1.0 + Math.Exp(-x));
        double e = Math.Exp(x);
        return e / (1.0 + e);
    }

    /// <summary>log(sigmoid(x)) = -softplus(-x).</summary>
    public static double LogSigmoid(double x) => -Softplus(-x);

    /// <summary>tanh, accurate near 0.</summary>
    public static double Tanh(double x)
    {
        if (Math.Abs(x) < 0.5)
        {
            double e = Expm1(2 * x);
            return e / (e + 2.0);
        }
        return Math.Tanh(x);
    }

    /// <summary>sinh, accurate near 0.</summary>
    public static double Sinh(double x)
    {
        if (Math.Abs(x) < 0.5)
        {
            double e = Expm1(x);
            return 0.5 * (e + e / (e + 1.0));
        }
        return Math.Sinh(x);
    }

    /// <summary>sign with sign(±0) = ±0 and sign(NaN) = NaN.</summary>
    public static double Sign(double x) => x > 0 ? 1.0 : x < 0 ? -1.0 : x;

    /// <summary>x^n by repeated squaring: exact sign for negative x, 1 for n = 0.</summary>
    public static double PowInt(double x, int n)
    {
        long m = n < 0 ? -(long)n : n;
        double result = 1.0, b = x;
        while (m > 0)
        {
            if ((m & 1) != 0) result *= b;
            b *= b;
            m >>= 1;
        }
        return n < 0 ? 1.0 / result : result;
    }

    /// <summary>1 if a &lt; b, 1/2 if a = b, 0 if a &gt; b, NaN if either is NaN: the derivative of min(a, b) in a (ties split evenly).</summary>
    public static double Step(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : a < b ? 1.0 : a == b ? 0.5 : 0.0;

    /// <summary>1 if a = b else 0 (NaN gives 0).</summary>
    public static double IsEqual(double a, double b) => a == b ? 1.0 : 0.0;

    /// <summary>Max propagating NaN.</summary>
    public static double Max(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : Math.Max(a, b);

    /// <summary>Min propagating NaN.</summary>
    public static double Min(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : Math.Min(a, b);
}
