namespace KernelDsl.Runtime.Tests.Simd;

/// <summary>
/// Reference values for the SIMD functions: special arguments by the rules of C / <see cref="Math"/> and scipy, finite
/// ones in double-double (<see cref="DD"/>).
/// </summary>
internal static class Reference
{
    private static readonly DD NaN = double.NaN;

    public static DD Exp(double x) =>
        double.IsNaN(x) ? NaN : x == double.PositiveInfinity ? x : x == double.NegativeInfinity ? 0.0 : DD.Exp(x);

    public static DD Log(double x) =>
        double.IsNaN(x) || x < 0 ? NaN : x == 0 ? double.NegativeInfinity : double.IsInfinity(x) ? x : DD.Log(x);

    public static DD Log1p(double x) =>
        double.IsNaN(x) || x < -1 ? NaN : x == -1 ? double.NegativeInfinity : double.IsInfinity(x) ? x
        : x == 0 ? x : DD.Log1p(x);

    public static DD Expm1(double x) =>
        double.IsNaN(x) ? NaN : x == double.NegativeInfinity ? -1.0 : x > 700 ? DD.Exp(x) // e^x - 1 == e^x there
        : x == 0 ? x : DD.Expm1(x);

    public static DD Tanh(double x)
    {
        if (double.IsNaN(x) || x == 0)
        {
            return x;
        }

        if (Math.Abs(x) > 25)
        {
            return Math.Sign(x);
        }

        DD t = DD.Expm1(2 * Math.Abs(x));
        DD r = t / (t + 2.0);
        return x < 0 ? -r : r;
    }

    public static DD Cosh(double x)
    {
        double a = Math.Abs(x);
        if (double.IsNaN(x) || double.IsInfinity(x))
        {
            return a;
        }

        if (a > 700)
        {
            return DD.Exp(a - DD.Ln2);
        }

        DD e = DD.Exp(a);
        return (e + DD.One / e) * 0.5;
    }

    public static DD Sigmoid(double x)
    {
        if (double.IsNaN(x))
        {
            return NaN;
        }

        if (x >= 0)
        {
            return DD.One / (DD.One + Exp(-x));
        }

        DD e = Exp(x);
        return e / (DD.One + e);
    }

    public static DD Softplus(double x)
    {
        if (double.IsNaN(x) || double.IsInfinity(x))
        {
            return double.IsNaN(x) ? NaN : x > 0 ? x : 0.0;
        }

        return x > 0 ? x + DD.Log1p(Exp(-x)) : DD.Log1p(Exp(x));
    }

    public static DD LogSigmoid(double x) => x == double.PositiveInfinity ? 0.0 : -Softplus(-x);

    public static DD Pow(double x, double y)
    {
        if (x == 0 || !double.IsFinite(x) || !double.IsFinite(y) || y == 0 || x == 1)
        {
            return Math.Pow(x, y);
        }

        if (x < 0)
        {
            if (Math.Truncate(y) != y)
            {
                return NaN;
            }

            DD magnitude = DD.Pow(-x, y);
            return Math.Abs(y) < 9007199254740992.0 && Math.Abs(y % 2) == 1 ? -magnitude : magnitude;
        }

        return DD.Pow(x, y);
    }

    public static DD Xlogy(double x, double y)
    {
        if (double.IsNaN(x) || double.IsNaN(y))
        {
            return NaN;
        }

        if (x == 0)
        {
            return 0.0;
        }

        return !double.IsFinite(x) || !double.IsFinite(y) || y <= 0 ? x * Math.Log(y) : DD.Log(y) * x;
    }

    public static DD Xlog1py(double x, double y)
    {
        if (double.IsNaN(x) || double.IsNaN(y))
        {
            return NaN;
        }

        if (x == 0)
        {
            return 0.0;
        }

        if (!double.IsFinite(x) || !double.IsFinite(y) || y <= -1)
        {
            // log1p(y) is only needed for its sign and whether it is 0, inf or NaN here
            double l = y <= -1 || !double.IsFinite(y) ? Math.Log(1 + y) : Math.Sign(y);
            return x * l;
        }

        return Log1p(y) * x;
    }
}
