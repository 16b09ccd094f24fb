using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KernelDsl.Runtime;

/// <summary>
/// exp, log, log1p, expm1 and the positive-base pow core for float lanes, written once for every vector width.
/// Everything is computed in float: no lane is widened.
/// </summary>
/// <remarks>
/// exp: <c>x = n ln2 + r</c> with ln2 split in two (the first product and difference exact), <c>|r| &lt;= ln2/2</c>,
/// <c>e^r - 1 = r + r^2 Q(r)</c> with Q a degree-5 minimax polynomial (relative error 2^-28), then <c>2^n (1 + p)</c>
/// built from the exponent bits; arguments near the ends of the range scale in two steps so subnormal results are
/// rounded once. log: <c>x = 2^k z</c> with z in [0.69, 1.38), one of 16 table entries picked by the top mantissa
/// bits, <c>r = z invc - 1</c> (one fused multiply-add, exact for most entries), <c>log x = k ln2 + log c + r +
/// r^2 P(r)</c> with P a degree-3 minimax polynomial (FloatMath.LogTable.cs, written by logtable.py). log1p keeps the fdlibm arrangement
/// <c>k ln2 + f - (f^2/2 - s (f^2/2 + R(s^2)))</c>, <c>s = f / (2 + f)</c>, R a degree-3 minimax polynomial, and feeds the rounding error of <c>1 + x</c> back into <c>f</c>, so <c>f == x</c> exactly when no scaling happens.
/// expm1 uses the same reduction as exp with <c>2^n (1 + p) - 1</c> evaluated as one fused multiply-add. pow computes
/// <c>log|x|</c> in float-float (its cubic term included), multiplies by y in float-float and feeds the low part into
/// exp's reduced argument. The polynomial coefficients come from remez.py beside this file (log's from logtable.py).
/// </remarks>
internal static partial class FloatMath<V, TVec, T>
    where V : struct, IVectorOps<V, TVec, T>
    where TVec : struct
    where T : unmanaged
{
    private const float Log2E = 1.44269504f;
    private const float Ln2Hi = 0.693145751953125f;         // 45426 * 2^-16: 16 significant bits
    private const float Ln2Lo = 1.42860677e-06f;            // ln2 - Ln2Hi
    private const float Shift = 12582912f;                  // 1.5 * 2^23: adding it rounds to an integer in the low bits
    private const float ExpLo = -104f;                      // below: e^x rounds to 0
    private const float ExpHi = 89.5f;                      // above: e^x / 2 overflows
    private const float FastLimit = 86.5f;                  // |x| <= this: 2^(n + bias) is a normal number
    private const float Expm1Lo = -18f;                     // below: e^x - 1 rounds to -1
    private const float Expm1Hi = 89f;                      // above: e^x - 1 overflows (and 2^(n-1) is still finite)
    private const float Expm1Tiny = 9.313225746154785e-10f; // 2^-30: below, e^x - 1 rounds to x
    private const float Log1pMaxScale = 120f;               // 2^-k for larger k only scales a |c| <= 1 to nothing
    private const float MinNormal = 1.17549435E-38f;
    private const float SubnormalScale = 33554432f;         // 2^25
    private const float SubnormalBits = 25f;

    // e^r = 1 + r + r^2 Q(r) on |r| <= 0.3466 (minimax, relative error of Q 2.7e-9).
    private const float Q0 = 0.5f;
    private const float Q1 = 0.16666667f;
    private const float Q2 = 0.041666467f;
    private const float Q3 = 0.008333361f;
    private const float Q4 = 0.0013933604f;
    private const float Q5 = 0.00019857803f;

    // log(1 + f) = 2s + s R(z), z = s^2 <= 0.02944, R(z) = z P(z) (minimax, relative error of P 1.7e-9).
    private const float P0 = 0.6666667f;
    private const float P1 = 0.40000123f;
    private const float P2 = 0.28550795f;
    private const float P3 = 0.23331101f;

    // pow's log: log(1 + f) = 2s + (2/3) s^3 + s^5 H(z), H minimax on z <= 0.02944 (relative error 3.8e-7).
    private const float TwoThirdsHi = 0.6666667f;
    private const float TwoThirdsLo = -1.9868216e-08f;
    private const float H0 = 0.40000015f;
    private const float H1 = 0.28562227f;
    private const float H2 = 0.23048513f;

    /// <summary><c>e^r - 1</c> for a reduced argument <c>|r| &lt;= ln2/2</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Expm1Reduced(TVec r)
    {
        TVec q = V.MultiplyAdd(V.C(Q5), r, V.C(Q4));
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
        TVec r = V.MultiplyAdd(n, V.C(-Ln2Hi), xc); // exact: n has at most 8 bits, Ln2Hi 16
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
        return V.Select(V.Equal(x, zero), V.C(float.NegativeInfinity), V.Select(V.LessThan(x, zero), V.C(float.NaN), x));
    }

    /// <summary>
    /// <c>k ln2 + log z</c> from <see cref="IVectorOps{TSelf, TVec, T}.SplitForTable16"/>: with the entry's invc and
    /// <c>log c = -log invc = hi + lo</c>, <c>r = z invc - 1</c> is formed with one rounding (none for most entries,
    /// whose invc has few bits), <c>a = k Ln2Hi + hi</c> is exact (both are multiples of 2^-16), and the result is
    /// <c>a + (r + (k Ln2Lo + lo + r^2 P(r)))</c>. The entries beside 1 have invc = 1 (logtable.py), so r never nearly
    /// cancels a log c of its own size, and the rounding of the inner sum stays below half an ulp of the result.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec LogTableKernel(TVec z, TVec index, TVec k)
    {
        ref float table = ref MemoryMarshal.GetReference(LogTable);
        TVec r = V.FusedMultiplyAdd(z, V.Lookup16(ref table, index), V.C(-1.0));
        TVec p = V.MultiplyAdd(V.C(LogTableP3), r, V.C(LogTableP2));
        p = V.MultiplyAdd(p, r, V.C(LogTableP1));
        p = V.MultiplyAdd(p, r, V.C(LogTableP0));
        TVec a = V.MultiplyAdd(k, V.C(Ln2Hi), V.Lookup16(ref Unsafe.Add(ref table, 16), index));
        TVec small = V.MultiplyAdd(V.Mul(r, r), p, V.MultiplyAdd(k, V.C(Ln2Lo), V.Lookup16(ref Unsafe.Add(ref table, 32), index)));
        return V.Add(a, V.Add(r, small));
    }

    /// <summary>
    /// Natural logarithm. Where a lane is not a positive normal number (rare), the vector is split again with its
    /// subnormal lanes scaled into the normal range, and the lanes of zeros, negatives, inf and NaN are selected after
    /// the kernel. The kernel is inlined once per log: a log's inlined code is small enough that a loop holding several
    /// (the pair sweep, rel_entr's rare path) stays within the JIT's inlining limits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Log(TVec x)
    {
        TVec k = V.SplitForTable16(x, LogTableOffset, out TVec z, out TVec index);
        TVec special = V.NotPositiveNormal(x);
        if (V.AnyTrue(special))
        {
            TVec scaled = V.Select(Subnormal(x), V.Mul(x, V.C(SubnormalScale)), x);
            k = V.Add(V.SplitForTable16(scaled, LogTableOffset, out z, out index), V.And(Subnormal(x), V.C(-SubnormalBits)));
        }

        TVec result = LogTableKernel(z, index, k);
        if (V.AnyTrue(special))
        {
            result = V.Select(V.AndNot(special, Subnormal(x)), LogSpecial(x), result);
        }

        return result;
    }

    /// <summary>Mask of the positive subnormal lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Subnormal(TVec x) => V.AndNot(V.GreaterThan(x, V.Zero), V.GreaterThanOrEqual(x, V.C(MinNormal)));

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
        TVec poly = V.MultiplyAdd(V.C(H2), z, V.C(H1));
        return V.MultiplyAdd(poly, z, V.C(H0));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec LogPoly(TVec z)
    {
        TVec poly = V.MultiplyAdd(V.C(P3), z, V.C(P2));
        poly = V.MultiplyAdd(poly, z, V.C(P1));
        return V.MultiplyAdd(poly, z, V.C(P0));
    }

    /// <summary>
    /// <c>x^y</c> for positive finite x (normal or subnormal) and finite y; other lanes hold garbage that the caller
    /// replaces. log x is computed as a float-float and multiplied by y as a float-float.
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
        // float-float too; only the s^5 tail is rounded like an ordinary product.
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
