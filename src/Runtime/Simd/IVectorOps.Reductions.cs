using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace KernelDsl.Runtime;

/// <summary>Horizontal reductions and the online log-sum-exp.</summary>
internal partial interface IVectorOps<TSelf, TVec, T>
{
    /// <summary>Whether this is a scalar width (one lane, <typeparamref name="TVec"/> = <typeparamref name="T"/>): a constant to the JIT.</summary>
    private static bool IsScalar
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => typeof(TVec) == typeof(T);
    }

    /// <summary>
    /// Lanes converted to double and added by halving: while more than one value is left, value i gets value
    /// i + half added (float lanes are widened to two double vectors first, lanes 0 to Count/2 - 1 and the others, which
    /// is the first halving). A few vector operations where the lane order is a chain of Count - 1 dependent scalar
    /// additions (bench/README.md, issue-12 runs 11-12 against 13-14: a float KL value call at n = 16, 36.3 -> 15.2 ns),
    /// and an order of this code's own, not the runtime's horizontal sum's: the same bits at every thread count, on every
    /// .NET version.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static double ISimd<TVec, T>.SumToDouble(TVec v)
    {
        if (IsScalar)
        {
            return ToDouble(Unsafe.BitCast<TVec, T>(v));
        }

        if (typeof(TVec) == typeof(Vector512<float>))
        {
            var (lower, upper) = Vector512.Widen(Unsafe.BitCast<TVec, Vector512<float>>(v));
            return Halve(lower + upper);
        }

        if (typeof(TVec) == typeof(Vector256<float>))
        {
            var (lower, upper) = Vector256.Widen(Unsafe.BitCast<TVec, Vector256<float>>(v));
            return Halve(lower + upper);
        }

        if (typeof(TVec) == typeof(Vector128<float>))
        {
            var (lower, upper) = Vector128.Widen(Unsafe.BitCast<TVec, Vector128<float>>(v));
            return Halve(lower + upper);
        }

        if (typeof(TVec) == typeof(Vector512<double>))
        {
            return Halve(Unsafe.BitCast<TVec, Vector512<double>>(v));
        }

        if (typeof(TVec) == typeof(Vector256<double>))
        {
            return Halve(Unsafe.BitCast<TVec, Vector256<double>>(v));
        }

        if (typeof(TVec) == typeof(Vector128<double>))
        {
            return Halve(Unsafe.BitCast<TVec, Vector128<double>>(v));
        }

        throw new NotSupportedException($"SumToDouble: no halving order for {typeof(TVec)}.");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Halve(Vector512<double> v) => Halve(v.GetLower() + v.GetUpper());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Halve(Vector256<double> v) => Halve(v.GetLower() + v.GetUpper());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Halve(Vector128<double> v) => v.ToScalar() + v.GetElement(1);

    /// <summary>The largest lane with <see cref="Math.Max(double, double)"/> semantics.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static T ISimd<TVec, T>.MaxAcross(TVec v)
    {
        if (IsScalar)
        {
            return Unsafe.BitCast<TVec, T>(v);
        }

        ref T lanes = ref Unsafe.As<TVec, T>(ref v);
        double max = ToDouble(lanes);
        for (int i = 1; i < TSelf.Count; i++)
        {
            max = Math.Max(max, ToDouble(Unsafe.Add(ref lanes, i)));
        }

        return FromDoubleExact(max);
    }

    /// <summary>The smallest lane with <see cref="Math.Min(double, double)"/> semantics.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static T ISimd<TVec, T>.MinAcross(TVec v)
    {
        if (IsScalar)
        {
            return Unsafe.BitCast<TVec, T>(v);
        }

        ref T lanes = ref Unsafe.As<TVec, T>(ref v);
        double min = ToDouble(lanes);
        for (int i = 1; i < TSelf.Count; i++)
        {
            min = Math.Min(min, ToDouble(Unsafe.Add(ref lanes, i)));
        }

        return FromDoubleExact(min);
    }

    /// <summary>A value that came from a lane (so the conversion back to float is exact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T FromDoubleExact(double value)
    {
        if (typeof(T) == typeof(float))
        {
            float single = (float)value;
            return Unsafe.As<float, T>(ref single);
        }

        return Unsafe.As<double, T>(ref value);
    }

    /// <summary>
    /// d = x - max (0 where x == max, so equal infinities do not make NaN); e = exp(-|d|);
    /// sum = d &gt; 0 ? (sum + 1) e : sum + e; max = Max(max, x). The sum leaves out the 1 of the maximum, so that terms
    /// far below it (logsumexp([0, -40]) = 4.2e-18) are not lost against that 1: the value is max + log1p(sum).
    /// </summary>
    /// <remarks>
    /// exp is evaluated on its normal range only, and an argument below it gives 0 (the term is below the smallest
    /// normal number, so it cannot move max + log1p(sum) by more than that). This also makes the first element's
    /// rescale, e^-inf, exactly 0. NaN reaches the result through <c>max</c>.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void ISimd<TVec, T>.LseAccumulate(ref TVec max, ref TVec sum, TVec x)
    {
        TVec m = max;
        TVec d = TSelf.Select(TSelf.Equal(x, m), TSelf.Zero, TSelf.Sub(x, m));
        TVec nd = MinusAbs(d);
        TVec e = TSelf.Select(TSelf.LessThan(nd, TSelf.C(typeof(T) == typeof(float) ? -86.5 : -708.0)), TSelf.Zero, ExpNormalRange(nd));
        TVec s = sum;
        sum = TSelf.Select(TSelf.GreaterThan(d, TSelf.Zero), TSelf.MultiplyAdd(s, e, e), TSelf.Add(s, e));
        max = TSelf.Max(m, x);
    }

    /// <summary>
    /// Folds the lanes into a double (max, sum) pair. The ordinary case (every lane maximum below +inf, every lane sum
    /// finite, at least one finite maximum) is folded as vectors: M = the largest lane maximum, e = exp(m_l - M) per lane
    /// (0 below the normal range, which also covers the empty lanes at -inf), each lane's terms rescaled to M — the lanes
    /// whose maximum is M contribute s_l (their 1 counted apart), the others (1 + s_l) e — summed to double, plus the
    /// count of lanes at M less one (the 1 that the pair leaves out), both sums in <see cref="ISimd{TVec, T}.SumToDouble"/>'s
    /// fixed order; then ONE <see cref="LogSumExp.Combine"/> with the accumulator. Any other state (NaN, +inf, all lanes empty) takes the per-lane loop, in lane order, as before.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void ISimd<TVec, T>.LseCombine(TVec max, TVec sum, ref double accMax, ref double accSum)
    {
        if (!IsScalar)
        {
            TVec unusual = TSelf.Or(
                TSelf.Not(TSelf.LessThan(max, TSelf.C(double.PositiveInfinity))), // NaN or +inf maxima
                TSelf.IsNaN(TSelf.Sub(sum, sum)));                                // NaN or infinite sums
            if (!TSelf.AnyTrue(unusual))
            {
                T top = TSelf.MaxAcross(max);
                double m = ToDouble(top);
                if (m != double.NegativeInfinity)
                {
                    TVec atTop = TSelf.Equal(max, TSelf.Broadcast(top));
                    TVec d = TSelf.Sub(max, TSelf.Broadcast(top)); // <= 0; -inf for an empty lane
                    TVec e = TSelf.Select(TSelf.LessThan(d, TSelf.C(typeof(T) == typeof(float) ? -86.5 : -708.0)), TSelf.Zero, ExpNormalRange(d));
                    TVec terms = TSelf.Select(atTop, sum, TSelf.MultiplyAdd(sum, e, e));
                    double ties = TSelf.SumToDouble(TSelf.Select(atTop, TSelf.C(1.0), TSelf.Zero));
                    LogSumExp.Combine(ref accMax, ref accSum, m, TSelf.SumToDouble(terms) + (ties - 1.0));
                    return;
                }
            }
        }

        ref T maxLanes = ref Unsafe.As<TVec, T>(ref max);
        ref T sumLanes = ref Unsafe.As<TVec, T>(ref sum);
        for (int i = 0; i < TSelf.Count; i++)
        {
            LogSumExp.Combine(ref accMax, ref accSum, ToDouble(Unsafe.Add(ref maxLanes, i)), ToDouble(Unsafe.Add(ref sumLanes, i)));
        }
    }
}
