using System;
using System.Runtime.CompilerServices;

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

    /// <summary>Lanes converted to double and added in lane order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static double ISimd<TVec, T>.SumToDouble(TVec v)
    {
        if (IsScalar)
        {
            return ToDouble(Unsafe.BitCast<TVec, T>(v));
        }

        ref T lanes = ref Unsafe.As<TVec, T>(ref v);
        double sum = ToDouble(lanes);
        for (int i = 1; i < TSelf.Count; i++)
        {
            sum += ToDouble(Unsafe.Add(ref lanes, i));
        }

        return sum;
    }

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

    /// <summary>Folds the lanes, in lane order, into a double (max, sum) pair.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void ISimd<TVec, T>.LseCombine(TVec max, TVec sum, ref double accMax, ref double accSum)
    {
        ref T maxLanes = ref Unsafe.As<TVec, T>(ref max);
        ref T sumLanes = ref Unsafe.As<TVec, T>(ref sum);
        for (int i = 0; i < TSelf.Count; i++)
        {
            LogSumExp.Combine(ref accMax, ref accSum, ToDouble(Unsafe.Add(ref maxLanes, i)), ToDouble(Unsafe.Add(ref sumLanes, i)));
        }
    }
}
