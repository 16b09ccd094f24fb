namespace KernelDsl.Runtime.Tests.Simd;

/// <summary>
/// A double-double number (about 106 significant bits) and the elementary functions the SIMD tests use as their
/// reference. Independent of the implementation under test: Taylor series with argument reduction for exp, Newton's
/// method on exp for log, and identities on those for the rest.
/// </summary>
internal readonly record struct DD(double Hi, double Lo)
{
    public static readonly DD Ln2 = new(0.6931471805599453, 2.3190468138462996e-17);
    public static readonly DD One = new(1, 0);

    public static implicit operator DD(double value) => new(value, 0);

    public double Value => Hi + Lo;

    public static DD TwoSum(double a, double b)
    {
        double s = a + b;
        double bb = s - a;
        return new DD(s, (a - (s - bb)) + (b - bb));
    }

    private static DD QuickTwoSum(double a, double b)
    {
        double s = a + b;
        return new DD(s, b - (s - a));
    }

    public static DD operator +(DD a, DD b)
    {
        DD s = TwoSum(a.Hi, b.Hi);
        DD t = TwoSum(a.Lo, b.Lo);
        s = QuickTwoSum(s.Hi, s.Lo + t.Hi);
        return QuickTwoSum(s.Hi, s.Lo + t.Lo);
    }

    public static DD operator -(DD a) => new(-a.Hi, -a.Lo);

    public static DD operator -(DD a, DD b) => a + -b;

    public static DD operator *(DD a, DD b)
    {
        double p = a.Hi * b.Hi;
        if (!double.IsFinite(p) || p == 0)
        {
            return p; // overflow, underflow to a (signed) zero, or a special operand
        }

        double e = Math.FusedMultiplyAdd(a.Hi, b.Hi, -p);
        e += a.Hi * b.Lo + a.Lo * b.Hi;
        return QuickTwoSum(p, e);
    }

    public static DD operator /(DD a, DD b)
    {
        double q1 = a.Hi / b.Hi;
        DD r = a - b * q1;
        double q2 = r.Hi / b.Hi;
        r -= b * q2;
        double q3 = r.Hi / b.Hi;
        return QuickTwoSum(q1, q2) + q3;
    }

    public static DD Scale(DD a, int n) => new(Math.ScaleB(a.Hi, n), Math.ScaleB(a.Lo, n));

    /// <summary>e^a - 1 for finite a with |a| &lt; 720; exact relative precision near 0.</summary>
    public static DD Expm1(DD a)
    {
        if (Math.Abs(a.Hi) < 1e-150)
        {
            return a + a.Hi * a.Hi / 2; // scaling r down below would lose subnormal bits
        }

        if (a.Hi < -80)
        {
            return Exp(a) - One;
        }

        int k = (int)Math.Round(a.Hi / Ln2.Hi);
        DD r = Scale(a - Ln2 * k, -12); // |r| <= 0.35 / 4096

        // expm1(r) by Taylor, then expm1(2r) = expm1(r) (2 + expm1(r)) twelve times.
        DD term = r;
        DD sum = r;
        for (int n = 2; n < 30; n++)
        {
            term = term * r / n;
            sum += term;
            if (Math.Abs(term.Hi) < 1e-40 * Math.Abs(sum.Hi))
            {
                break;
            }
        }

        for (int i = 0; i < 12; i++)
        {
            sum *= sum + 2.0;
        }

        if (k == 0)
        {
            return sum;
        }

        // 2^k (1 + s) - 1, in two halves so the power stays finite.
        DD e = sum + One;
        e = Scale(Scale(e, k / 2), k - k / 2);
        return e - One;
    }

    /// <summary>e^a; 0 below -746 and +inf above 710.</summary>
    public static DD Exp(DD a)
    {
        if (a.Hi > 710)
        {
            return double.PositiveInfinity;
        }

        if (a.Hi < -746)
        {
            return 0.0;
        }

        int k = (int)Math.Round(a.Hi / Ln2.Hi);
        DD r = a - Ln2 * k;
        DD e = Expm1(r) + One;
        return Scale(Scale(e, k / 2), k - k / 2);
    }

    /// <summary>log a for a positive finite a, by Newton's method on exp.</summary>
    public static DD Log(DD a)
    {
        // Work on the mantissa so exp never under- or overflows.
        int e = Math.ILogB(a.Hi);
        DD m = Scale(a, -e);
        DD y = Math.Log(m.Hi);
        for (int i = 0; i < 2; i++) // quadratic convergence from 2^-52: 2^-104, then exact to DD precision
        {
            y = y + m * Exp(-y) - One;
        }

        return y + Ln2 * e;
    }

    /// <summary>log(1 + x) for x &gt; -1.</summary>
    public static DD Log1p(DD x)
    {
        if (Math.Abs(x.Hi) >= 0.25)
        {
            return Log(One + x);
        }

        if (Math.Abs(x.Hi) < 1e-150)
        {
            return x - x.Hi * x.Hi / 2;
        }

        // Newton on expm1(y) = x from a start accurate to about 1e-12.
        double h = x.Hi;
        DD y = Math.Abs(h) < 1e-4 ? h - h * h / 2 + h * h * h / 3 : Math.Log(1 + h);
        for (int i = 0; i < 3; i++) // from 1e-12: 1e-24, 1e-48
        {
            DD em = Expm1(y);
            y -= (em - x) / (em + One);
        }

        return y;
    }

    public static DD Pow(double x, double y) => Exp(Log(x) * y);
}
