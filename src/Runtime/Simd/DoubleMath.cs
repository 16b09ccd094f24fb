using System.Runtime.CompilerServices;

namespace KernelDsl.Runtime;

/// <summary>
/// exp, log, log1p, expm1 and the positive-base pow core for double lanes, written once for every vector width.
/// </summary>
/// <remarks>
/// exp: <c>x = n ln2 + r</c> with ln2 split in two (the first product and difference exact), <c>|r| &lt;= ln2/2</c>,
/// <c>e^r - 1 = r + r^2 Q(r)</c> with Q a degree-10 minimax polynomial (relative error 2^-58), then <c>2^n (1 + p)</c>
/// built from the exponent bits; arguments near the ends of the range scale in two steps so subnormal results are
/// rounded once. log: <c>x = 2^k m</c>, <c>m</c> in [sqrt(1/2), sqrt(2)), <c>f = m - 1</c>, <c>s = f / (2 + f)</c> and the
/// fdlibm arrangement <c>k ln2 + f - (f^2/2 - s (f^2/2 + R(s^2)))</c> with R a degree-6 minimax polynomial.
/// log1p feeds the rounding error of <c>1 + x</c> back into <c>f</c>, so <c>f == x</c> exactly when no scaling happens.
/// expm1 uses the same reduction as exp with <c>2^n (1 + p) - 1</c> evaluated as one fused multiply-add. pow computes
/// <c>log|x|</c> in double-double (its cubic term included), multiplies by y in double-double and feeds the low part into
/// exp's reduced argument. The polynomial coefficients come from remez.py beside this file.
/// </remarks>
internal static class DoubleMath<V, TVec, T>
    where V : struct, IVectorOps<V, TVec, T>
    where TVec : struct
    where T : unmanaged
{
    private const double Log2E = 1.4426950408889634;
    private const double Ln2Hi = 0.6931471803691238;        // 0x3FE62E42FEE00000: 32 significant bits
    private const double Ln2Lo = 1.9082149292705877e-10;    // ln2 - Ln2Hi
    private const double Shift = 6755399441055744.0;        // 1.5 * 2^52: adding it rounds to an integer in the low bits
    private const double ExpLo = -746.0;                    // below: e^x rounds to 0
    private const double ExpHi = 711.0;                     // above: e^x / 2 overflows
    private const double FastLimit = 708.0;                 // |x| <= this: 2^(n + bias) is a normal number
    private const double Expm1Lo = -40.0;                   // below: e^x - 1 rounds to -1
    private const double Expm1Hi = 710.0;                   // above: e^x - 1 overflows (and 2^(n-1) is still finite)
    private const double Expm1Tiny = 8.673617379884035e-19; // 2^-60: below, e^x - 1 rounds to x
    private const double Log1pMaxScale = 1000.0;            // 2^-k for larger k only scales a |c| <= 1 to nothing
    private const double MinNormal = 2.2250738585072014E-308;
    private const double SubnormalScale = 18014398509481984.0; // 2^54
    private const double SubnormalBits = 54.0;

    // e^r = 1 + r + r^2 Q(r) on |r| <= 0.3466 (minimax, relative error of Q 2.7e-18).
    private const double Q0 = 0.5;
    private const double Q1 = 0.1666666666666667;
    private const double Q2 = 0.041666666666666616;
    private const double Q3 = 0.008333333333326164;
    private const double Q4 = 0.0013888888888917974;
    private const double Q5 = 0.00019841269874736075;
    private const double Q6 = 2.4801587245719106e-05;
    private const double Q7 = 2.7557255494841606e-06;
    private const double Q8 = 2.755734962692376e-07;
    private const double Q9 = 2.5105181702647486e-08;
    private const double Q10 = 2.0889376372283207e-09;

    // log(1 + f) = 2s + s R(z), z = s^2 <= 0.02944, R(z) = z P(z) (minimax, relative error of P 4.6e-16).
    private const double P0 = 0.666666666666667;
    private const double P1 = 0.39999999999899116;
    private const double P2 = 0.28571428626132195;
    private const double P3 = 0.22222211111582835;
    private const double P4 = 0.18182890678303074;
    private const double P5 = 0.15331673737577833;
    private const double P6 = 0.14617002548594527;

    // pow's log: log(1 + f) = 2s + (2/3) s^3 + s^5 H(z), H minimax on z <= 0.02944 (relative error 4.6e-18).
    private const double TwoThirdsHi = 0.6666666666666666;
    private const double TwoThirdsLo = 3.700743415417188e-17;
    private const double H0 = 0.4;
    private const double H1 = 0.2857142857142937;
    private const double H2 = 0.2222222222165491;
    private const double H3 = 0.1818181833559136;
    private const double H4 = 0.1538459494327618;
    private const double H5 = 0.1333480565088594;
    private const double H6 = 0.11706212740301229;
    private const double H7 = 0.11723407206503167;

    /// <summary><c>e^r - 1</c> for a reduced argument <c>|r| &lt;= ln2/2</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Expm1Reduced(TVec r)
    {
        TVec q = V.MultiplyAdd(V.C(Q10), r, V.C(Q9));
        q = V.MultiplyAdd(q, r, V.C(Q8));
        q = V.MultiplyAdd(q, r, V.C(Q7));
        q = V.MultiplyAdd(q, r, V.C(Q6));
        q = V.MultiplyAdd(q, r, V.C(Q5));
        q = V.MultiplyAdd(q, r, V.C(Q4));
        q = V.MultiplyAdd(q, r, V.C(Q3));
        q = V.MultiplyAdd(q, r, V.C(Q2));
        q = V.MultiplyAdd(q, r, V.C(Q1));
        q = V.MultiplyAdd(q, r, V.C(Q0));
        return V.MultiplyAdd(V.Mul(r, r), q, r);
    }

    /// <summary>
    /// <c>2^bias * e^x</c> from the reduction of the clamped argument <paramref name="xc"/>: <c>xc = n ln2 + r</c>,
    /// <paramref name="shifted"/> = n + <see cref="Shift"/>. No NaN handling.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec ExpFromReduced(TVec xc, TVec shifted, TVec n, TVec r, int bias)
    {
        TVec p = Expm1Reduced(r);
        TVec scale = V.Pow2FromShifted(shifted, bias);
        TVec result = V.MultiplyAdd(scale, p, scale);
        if (V.AnyTrue(V.GreaterThan(V.Abs(xc), V.C(FastLimit))))
        {
            result = ScaleInTwoSteps(p, n, bias);
        }

        return result;
    }

    /// <summary>
    /// <c>2^(n + bias) (1 + p)</c> for any n the clamp allows: the power is split in two normal halves so overflow
    /// gives +inf and a subnormal result is rounded only by the last multiplication.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static TVec ScaleInTwoSteps(TVec p, TVec n, int bias) => ScaleInTwoStepsInlined(p, n, bias);

    /// <summary>The body of <see cref="ScaleInTwoSteps"/>, for <see cref="ExpInlined"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec ScaleInTwoStepsInlined(TVec p, TVec n, int bias)
    {
        TVec total = V.Add(n, V.C(bias));
        TVec n1 = V.Floor(V.Mul(total, V.C(0.5)));
        TVec n2 = V.Sub(total, n1);
        TVec s1 = V.Pow2FromShifted(V.Add(n1, V.C(Shift)), 0);
        TVec s2 = V.Pow2FromShifted(V.Add(n2, V.C(Shift)), 0);
        return V.Mul(V.MultiplyAdd(s1, p, s1), s2);
    }

    /// <summary>Reduces <paramref name="xc"/> = n ln2 + r; returns r, with n and n + Shift.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Reduce(TVec xc, out TVec shifted, out TVec n)
    {
        shifted = V.MultiplyAdd(xc, V.C(Log2E), V.C(Shift));
        n = V.Sub(shifted, V.C(Shift));
        TVec r = V.MultiplyAdd(n, V.C(-Ln2Hi), xc); // exact: n has at most 11 bits, Ln2Hi 32
        return V.MultiplyAdd(n, V.C(-Ln2Lo), r);
    }

    /// <summary>
    /// <c>2^bias * e^x</c>; NaN propagates. Where every lane has <c>|x| &lt;= FastLimit</c> (NaN fails the test) the
    /// argument needs no clamp and no NaN select; otherwise the whole vector takes <see cref="ExpFull"/>, inlined (a call,
    /// even one not taken, makes the JIT keep every vector live across it in memory), which gives the same bits in the
    /// ordinary lanes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec ExpScaled(TVec x, int bias)
    {
        TVec rare = V.Not(V.LessThanOrEqual(V.Abs(x), V.C(FastLimit)));
        TVec r = Reduce(x, out TVec shifted, out _);
        TVec p = Expm1Reduced(r);
        TVec scale = V.Pow2FromShifted(shifted, bias);
        TVec result = V.MultiplyAdd(scale, p, scale);
        if (V.AnyTrue(rare))
        {
            result = ExpFull(x, bias);
        }

        return result;
    }

    /// <summary>
    /// <c>2^bias * e^x</c> for every argument: clamped, scaled in two steps where <c>|x| &gt; FastLimit</c>, NaN returned
    /// as it is.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec ExpFull(TVec x, int bias)
    {
        TVec xc = V.MinNative(V.MaxNative(x, V.C(ExpLo)), V.C(ExpHi));
        TVec r = Reduce(xc, out TVec shifted, out TVec n);
        TVec p = Expm1Reduced(r);
        TVec result;
        if (V.AnyTrue(V.GreaterThan(V.Abs(xc), V.C(FastLimit))))
        {
            result = ScaleInTwoStepsInlined(p, n, bias);
        }
        else
        {
            TVec scale = V.Pow2FromShifted(shifted, bias);
            result = V.MultiplyAdd(scale, p, scale);
        }

        return V.Select(V.IsNaN(x), x, result);
    }

    /// <summary>
    /// <c>e^x</c>, bit for bit as <see cref="ExpScaled"/> with bias 0, which no longer calls out of line either: kept for
    /// the pair sweep, whose loops hold many vectors live across the exponential.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec ExpInlined(TVec x) => ExpScaled(x, 0);

    /// <summary>
    /// <c>e^max(x, -FastLimit)</c> for <c>x &lt;= 0</c>: the fast path only, for callers (online log-sum-exp) to whom a
    /// result below the smallest normal number is as good as 0. NaN handling is left to the caller.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec ExpNormalRange(TVec x)
    {
        TVec r = Reduce(V.MaxNative(x, V.C(-FastLimit)), out TVec shifted, out _);
        TVec p = Expm1Reduced(r);
        TVec scale = V.Pow2FromShifted(shifted, 0);
        return V.MultiplyAdd(scale, p, scale);
    }

    /// <summary><c>e^x - 1</c>, accurate near 0; ±0, tiny arguments and NaN are returned as they are.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Expm1(TVec x)
    {
        TVec xc = V.MinNative(V.MaxNative(x, V.C(Expm1Lo)), V.C(Expm1Hi));
        TVec r = Reduce(xc, out TVec shifted, out _); // n = 0 for |x| < ln2/2, where r == x exactly
        TVec p = Expm1Reduced(r);

        // 2^n (1 + p) - 1 = 2 (2^(n-1) p + (2^(n-1) - 1/2)): one rounding, and 2^(n-1) stays finite for the largest n.
        TVec half = V.Pow2FromShifted(shifted, -1);
        TVec result = V.Mul(V.MultiplyAdd(half, p, V.Sub(half, V.C(0.5))), V.C(2.0));

        // Tiny |x|: expm1(x) rounds to x (this also keeps -0, subnormals and NaN).
        return V.Select(V.GreaterThan(V.Abs(x), V.C(Expm1Tiny)), result, x);
    }

    /// <summary>
    /// <c>log(1 + f) + k ln2</c> for <c>f</c> in [sqrt(1/2) - 1, sqrt(2) - 1] (fdlibm's arrangement).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec LogKernel(TVec f, TVec k)
    {
        TVec s = V.Div(f, V.Add(V.C(2.0), f));
        TVec z = V.Mul(s, s);
        TVec rz = V.Mul(z, LogPoly(z));
        TVec hfsq = V.Mul(V.Mul(V.C(0.5), f), f);
        TVec tail = V.MultiplyAdd(s, V.Add(hfsq, rz), V.Mul(k, V.C(Ln2Lo)));
        return V.MultiplyAdd(k, V.C(Ln2Hi), V.Sub(f, V.Sub(hfsq, tail)));
    }

    /// <summary>Special results of log for lanes that are not positive normal numbers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec LogSpecial(TVec x)
    {
        TVec zero = V.Zero;
        return V.Select(V.Equal(x, zero), V.C(double.NegativeInfinity), V.Select(V.LessThan(x, zero), V.C(double.NaN), x));
    }

    /// <summary>
    /// Natural logarithm. Lanes that are not positive normal numbers (rare) send the whole vector through
    /// <see cref="LogWithSpecials"/>, inlined so that the ordinary path holds no call.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Log(TVec x)
    {
        TVec k = V.SplitExponent(x, out TVec m);
        TVec result = LogKernel(V.Sub(m, V.C(1.0)), k);
        TVec special = V.NotPositiveNormal(x);
        if (V.AnyTrue(special))
        {
            result = LogWithSpecials(x, special);
        }

        return result;
    }

    /// <summary>log for any lanes: subnormals scaled into the normal range, zeros, negatives, inf and NaN selected.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec LogWithSpecials(TVec x, TVec special)
    {
        TVec subnormal = V.AndNot(V.GreaterThan(x, V.Zero), V.GreaterThanOrEqual(x, V.C(MinNormal)));
        TVec k = SplitExponentWithSubnormals(x, subnormal, out TVec m);
        TVec result = LogKernel(V.Sub(m, V.C(1.0)), k);
        return V.Select(V.AndNot(special, subnormal), LogSpecial(x), result);
    }

    /// <summary><see cref="IVectorOps{TSelf, TVec, T}.SplitExponent"/> after scaling the lanes marked subnormal up into the normal range.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec SplitExponentWithSubnormals(TVec x, TVec subnormal, out TVec m)
    {
        TVec scaled = V.Select(subnormal, V.Mul(x, V.C(SubnormalScale)), x);
        return V.Add(V.SplitExponent(scaled, out m), V.And(subnormal, V.C(-SubnormalBits)));
    }

    /// <summary><c>log(1 + x)</c>, accurate near 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Log1p(TVec x)
    {
        TVec one = V.C(1.0);
        TVec u = V.Add(one, x);
        TVec k = V.SplitExponent(u, out TVec m);

        // 1 + x = u + c exactly (|c| <= 1 once u is large); log(1 + x) = k ln2 + log(m + c 2^-k),
        // and for k = 0, m - 1 + c == x exactly.
        TVec c = V.Select(V.GreaterThanOrEqual(u, V.C(2.0)), V.Sub(one, V.Sub(u, x)), V.Sub(x, V.Sub(u, one)));
        TVec inverseScale = V.Pow2FromShifted(V.Sub(V.C(Shift), V.MinNative(k, V.C(Log1pMaxScale))), 0);
        TVec f = V.MultiplyAdd(c, inverseScale, V.Sub(m, one));
        TVec result = LogKernel(f, k);

        TVec special = V.NotPositiveNormal(u); // x <= -1, +inf, NaN (u is never subnormal)
        if (V.AnyTrue(special))
        {
            result = V.Select(special, LogSpecial(u), result);
        }

        return V.Select(V.Equal(x, V.Zero), x, result); // log1p(±0) = ±0
    }

    /// <summary>H(z) with log(1 + f) = 2s + (2/3) s^3 + s^5 H(s^2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec LogTailPoly(TVec z)
    {
        TVec poly = V.MultiplyAdd(V.C(H7), z, V.C(H6));
        poly = V.MultiplyAdd(poly, z, V.C(H5));
        poly = V.MultiplyAdd(poly, z, V.C(H4));
        poly = V.MultiplyAdd(poly, z, V.C(H3));
        poly = V.MultiplyAdd(poly, z, V.C(H2));
        poly = V.MultiplyAdd(poly, z, V.C(H1));
        return V.MultiplyAdd(poly, z, V.C(H0));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec LogPoly(TVec z)
    {
        TVec poly = V.MultiplyAdd(V.C(P6), z, V.C(P5));
        poly = V.MultiplyAdd(poly, z, V.C(P4));
        poly = V.MultiplyAdd(poly, z, V.C(P3));
        poly = V.MultiplyAdd(poly, z, V.C(P2));
        poly = V.MultiplyAdd(poly, z, V.C(P1));
        return V.MultiplyAdd(poly, z, V.C(P0));
    }

    /// <summary>
    /// <c>x^y</c> for positive finite x (normal or subnormal) and finite y; other lanes hold garbage that the caller
    /// replaces. log x is computed as a double-double and multiplied by y as a double-double.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec PowPositive(TVec x, TVec y)
    {
        TVec k;
        TVec m;
        TVec special = V.NotPositiveNormal(x);
        if (V.AnyTrue(special))
        {
            k = SplitExponentWithSubnormals(x, V.LessThan(x, V.C(MinNormal)), out m);
        }
        else
        {
            k = V.SplitExponent(x, out m);
        }

        TVec one = V.C(1.0);
        TVec two = V.C(2.0);
        TVec f = V.Sub(m, one);                                     // exact
        TVec d = V.Add(two, f);
        TVec dLo = V.Sub(f, V.Sub(d, two));                         // 2 + f = d + dLo exactly
        TVec q = V.Div(one, d);
        TVec sHi = V.Mul(f, q);
        TVec residual = V.Sub(V.FusedMultiplyAdd(V.Neg(sHi), d, f), V.Mul(sHi, dLo));
        TVec sLo = V.Mul(residual, q);                              // s = f / (2 + f) = sHi + sLo

        // log(1 + f) = 2s + (2/3) s^3 + s^5 H(s^2). The cubic term can be 1% of the result, so it is formed as a
        // double-double too; only the s^5 tail is rounded like an ordinary product.
        TVec zHi = V.Mul(sHi, sHi);
        TVec zLo = V.FusedMultiplyAdd(sHi, sHi, V.Neg(zHi));
        TVec cubeHi = V.Mul(zHi, sHi);
        TVec cubeLo = V.Add(V.FusedMultiplyAdd(zHi, sHi, V.Neg(cubeHi)), V.MultiplyAdd(zLo, sHi, V.Mul(V.Mul(V.C(3.0), zHi), sLo)));
        TVec cubicHi = V.Mul(V.C(TwoThirdsHi), cubeHi);
        TVec cubicLo = V.Add(V.FusedMultiplyAdd(V.C(TwoThirdsHi), cubeHi, V.Neg(cubicHi)),
                             V.MultiplyAdd(V.C(TwoThirdsHi), cubeLo, V.Mul(V.C(TwoThirdsLo), cubeHi)));
        TVec tail = V.Mul(V.Mul(cubeHi, zHi), LogTailPoly(zHi));

        // log x = k ln2 + 2s + cubic + tail as logHi + logLo; each Fast2Sum adds a smaller term to a larger one.
        TVec t1 = V.Mul(k, V.C(Ln2Hi));                             // exact
        TVec t2 = V.Add(sHi, sHi);
        TVec hi = V.Add(t1, t2);
        TVec lo = V.Add(V.Sub(t1, hi), t2);
        TVec hi2 = V.Add(hi, cubicHi);
        lo = V.Add(lo, V.Add(V.Sub(hi, hi2), cubicHi));
        TVec small = V.Add(V.Add(V.Add(sLo, sLo), cubicLo), tail);
        lo = V.Add(lo, V.MultiplyAdd(k, V.C(Ln2Lo), small));
        TVec logHi = V.Add(hi2, lo);
        TVec logLo = V.Add(V.Sub(hi2, logHi), lo);

        // y log x as pHi + pLo; past the clamp of exp the low part is meaningless (and may be NaN).
        TVec pHi = V.Mul(y, logHi);
        TVec pLo = V.Add(V.FusedMultiplyAdd(y, logHi, V.Neg(pHi)), V.Mul(y, logLo));
        pLo = V.And(pLo, V.LessThan(V.Abs(pHi), V.C(-ExpLo)));

        TVec xc = V.MinNative(V.MaxNative(pHi, V.C(ExpLo)), V.C(ExpHi));
        TVec r = V.Add(Reduce(xc, out TVec shifted, out TVec n), pLo);
        return ExpFromReduced(xc, shifted, n, r, 0);
    }
}
