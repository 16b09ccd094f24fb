namespace KernelDsl.Runtime.Tests.Simd;

/// <summary>Errors in units in the last place of the result type, measured against a double-double reference.</summary>
internal static class Accuracy
{
    /// <summary>
    /// The error of <paramref name="result"/> in ulps of the result type at the reference value. Non-finite and zero
    /// references must be matched exactly (the sign of a zero only when <paramref name="signedZero"/>); a miss there
    /// counts as +inf.
    /// </summary>
    public static double UlpError(double result, DD reference, bool isFloat, bool signedZero = false)
    {
        double r = reference.Hi + reference.Lo;
        if (isFloat)
        {
            r = (float)r; // a reference beyond float's range must come out as inf (or 0) exactly
            if (double.IsFinite(r) && r != 0)
            {
                r = reference.Hi + reference.Lo;
            }
        }

        if (double.IsNaN(r))
        {
            return double.IsNaN(result) ? 0 : double.PositiveInfinity;
        }

        if (double.IsInfinity(r))
        {
            return result == r ? 0 : double.PositiveInfinity;
        }

        if (r == 0)
        {
            if (result != 0)
            {
                return Math.Abs(result) / Ulp(double.Epsilon, isFloat);
            }

            return !signedZero || double.IsNegative(result) == double.IsNegative(reference.Hi) ? 0 : double.PositiveInfinity;
        }

        if (!double.IsFinite(result))
        {
            return double.PositiveInfinity;
        }

        double error = Math.Abs((result - reference.Hi) - reference.Lo);
        return error / Ulp(r, isFloat);
    }

    /// <summary>The spacing of the result type's numbers at |x| (the binade's ulp, subnormal spacing below).</summary>
    public static double Ulp(double x, bool isFloat)
    {
        int e = x == 0 ? int.MinValue : Math.ILogB(x);
        return isFloat ? Math.ScaleB(1.0, Math.Max(e, -126) - 23) : Math.ScaleB(1.0, Math.Max(e, -1022) - 52);
    }
}

/// <summary>The worst error seen over a set of points, with the point that produced it.</summary>
internal sealed class ErrorStats
{
    public double MaxUlp { get; private set; }

    public double MaxRelative { get; private set; }

    public string Worst { get; private set; } = "";

    public int Count { get; private set; }

    public void Add(double ulp, double relative, string where)
    {
        Count++;
        if (ulp > MaxUlp || double.IsNaN(ulp))
        {
            MaxUlp = double.IsNaN(ulp) ? double.PositiveInfinity : ulp;
            Worst = where;
        }

        if (double.IsFinite(relative) && relative > MaxRelative)
        {
            MaxRelative = relative;
        }
    }

    public override string ToString() =>
        $"max {MaxUlp:0.000} ulp, max relative {MaxRelative:0.00e+0} over {Count} points; worst at {Worst}";
}
