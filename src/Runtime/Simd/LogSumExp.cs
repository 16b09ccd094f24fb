using System;
using System.Runtime.CompilerServices;

namespace KernelDsl.Runtime;

/// <summary>
/// Scalar steps of a streaming log-sum-exp held as a pair <c>(m, s)</c> meaning <c>m + log1p(s)</c>: m is the maximum
/// and s the sum of <c>exp(x - m)</c> over the elements other than one maximal element (whose term, 1, is kept apart so
/// that terms far below the maximum are not rounded away against it). The pair of an empty set is <c>(-inf, 0)</c>. Partial pairs (from lanes, blocks or threads) are merged with <see cref="Combine"/>
/// in a fixed order, and <see cref="Finish"/> turns the final pair into the value.
/// </summary>
[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]
public static class LogSumExp
{
    /// <summary>
    /// Merges the pair <c>(m2, s2)</c> into <c>(m, s)</c>, rescaling the smaller side by <c>exp(smaller - larger)</c>.
    /// A side whose maximum is -inf contributes nothing; +inf maxima make the result +inf; NaN in either side makes
    /// both members NaN.
    /// </summary>
    /// <param name="m">The running maximum.</param>
    /// <param name="s">The running sum of <c>exp(x - m)</c>, less the 1 of one maximal element.</param>
    /// <param name="m2">The maximum of the pair to merge.</param>
    /// <param name="s2">The sum of the pair to merge, relative to <paramref name="m2"/> and less its maximum's 1.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Combine(ref double m, ref double s, double m2, double s2)
    {
        if (double.IsNaN(m2) || double.IsNaN(s2) || double.IsNaN(m) || double.IsNaN(s))
        {
            m = double.NaN;
            s = double.NaN;
            return;
        }

        if (m2 == double.NegativeInfinity)
        {
            return; // an empty (or all -inf) side adds nothing
        }

        if (m == double.NegativeInfinity)
        {
            m = m2;
            s = s2;
        }
        else if (m2 > m)
        {
            s = s2 + (s + 1) * Math.Exp(m - m2); // m2 = +inf gives exp(-inf) = 0
            m = m2;
        }
        else if (m2 == m)
        {
            s += s2 + 1; // the other side's maximum is one more term equal to e^m (also +inf == +inf)
        }
        else
        {
            s += (s2 + 1) * Math.Exp(m2 - m);
        }
    }

    /// <summary>
    /// The log-sum-exp of a pair: <c>m + log1p(s)</c>, -inf for the empty pair (or when every element was -inf),
    /// +inf when an element was +inf, NaN when one was NaN.
    /// </summary>
    /// <param name="m">The maximum.</param>
    /// <param name="s">The sum of <c>exp(x - m)</c>, less the 1 of one maximal element.</param>
    /// <returns>The log-sum-exp.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Finish(double m, double s)
    {
        if (double.IsNaN(m) || double.IsNaN(s))
        {
            return double.NaN;
        }

        if (double.IsInfinity(m))
        {
            return m;
        }

        return m + Log1p(s);
    }

    /// <summary>log(1 + s) for s &gt;= 0, accurate for tiny s (Kahan: log(u) · s / (u - 1) with u = 1 + s; plain Math, so
    /// it also compiles in GPU kernels).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Log1p(double s)
    {
        double u = 1.0 + s;
        return u == 1.0 ? s : double.IsPositiveInfinity(u) ? u : Math.Log(u) * (s / (u - 1.0));
    }
}
