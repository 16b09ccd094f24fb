using System;

namespace KernelDsl.Runtime;

/// <summary>
/// The exact 1-D Wasserstein merge on sorted samples: W_p^p = ∫_0^1 |F^-1(t) - G^-1(t)|^p dt, with F^-1 and G^-1 the
/// quantile functions of two weighted empirical distributions, evaluated by walking the merged breakpoints of their
/// cumulative weights once (O(n + m)). The engine of <c>Wasserstein1D</c> and of each direction of the sliced distance.
/// </summary>
internal static class Wasserstein1DMerge
{
    /// <summary>
    /// W_p^p between sorted <paramref name="u"/> (weights <paramref name="a"/>, summing to 1; empty: uniform) and sorted
    /// <paramref name="v"/> (weights <paramref name="b"/>). When <paramref name="gu"/> and <paramref name="gv"/> are not
    /// empty they receive ∂W_p^p/∂u_k and ∂W_p^p/∂v_k per sorted position (overwritten), with sign(0) = 0 and the gradient
    /// of a run of equal values shared equally by its members (<see cref="ShareTies"/>).
    /// </summary>
    public static double PowerSum(ReadOnlySpan<double> u, ReadOnlySpan<double> a, ReadOnlySpan<double> v, ReadOnlySpan<double> b,
        double p, Span<double> gu, Span<double> gv)
    {
        int n = u.Length, m = v.Length;
        bool gradient = !gu.IsEmpty;
        if (gradient)
        {
            gu.Clear();
            gv.Clear();
        }
        var sum = new CompensatedSum();
        if (n == m && a.IsEmpty && b.IsEmpty)
        {
            // Equal sizes, uniform weights: the quantile functions share every breakpoint, W_p^p = mean_k |u_k - v_k|^p.
            double w = 1.0 / n;
            for (int k = 0; k < n; k++)
            {
                double diff = u[k] - v[k];
                sum.Add(Power(Math.Abs(diff), p));
                if (gradient)
                {
                    double g = Slope(diff, p) * w;
                    gu[k] = g;
                    gv[k] = -g;
                }
            }
            if (gradient)
            {
                ShareTies(u, gu);
                ShareTies(v, gv);
            }
            return sum.Value * w;
        }

        int i = 0, j = 0;
        double cumA = a.IsEmpty ? 0 : a[0], cumB = b.IsEmpty ? 0 : b[0];
        double endA = End(a, n, 0, cumA), endB = End(b, m, 0, cumB), t = 0;
        while (true)
        {
            double next = Math.Min(endA, endB), length = next - t;
            if (length > 0)
            {
                double diff = u[i] - v[j];
                sum.Add(length * Power(Math.Abs(diff), p));
                if (gradient)
                {
                    double g = length * Slope(diff, p);
                    gu[i] += g;
                    gv[j] -= g;
                }
                t = next;
            }
            bool lastA = i == n - 1, lastB = j == m - 1;
            if (lastA && lastB) break;
            if (!lastA && (endA <= endB || lastB))
            {
                i++;
                if (!a.IsEmpty) cumA += a[i];
                endA = End(a, n, i, cumA);
            }
            else
            {
                j++;
                if (!b.IsEmpty) cumB += b[j];
                endB = End(b, m, j, cumB);
            }
        }
        if (gradient)
        {
            ShareTies(u, gu);
            ShareTies(v, gv);
        }
        return sum.Value;
    }

    /// <summary>
    /// The right end of sample k's quantile interval: its cumulative weight ((k + 1)/n when uniform: one correctly rounded
    /// division, so equal fractions of both sides compare equal), exactly 1 for the last sample, never above 1.
    /// </summary>
    private static double End(ReadOnlySpan<double> weights, int count, int k, double cumulative) =>
        k == count - 1 ? 1.0 : weights.IsEmpty ? (double)(k + 1) / count : Math.Min(cumulative, 1.0);

    /// <summary>|d|^p for d ≥ 0, exact products for p = 1 and 2.</summary>
    public static double Power(double d, double p) => p == 1 ? d : p == 2 ? d * d : Math.Pow(d, p);

    /// <summary>d/dd |d|^p = p |d|^(p-1) sign(d), with sign(0) = 0.</summary>
    public static double Slope(double d, double p)
    {
        if (d == 0) return 0;
        if (p == 1) return Math.Sign(d);
        if (p == 2) return 2 * d;
        return p * Math.Pow(Math.Abs(d), p - 1) * Math.Sign(d);
    }

    /// <summary>
    /// The subgradient convention at ties: the members of a run of equal sorted values get the mean of the run's
    /// gradients, so the result does not depend on the order the sort left them in (every ordering of the run is an
    /// optimal quantile assignment; this is the average of their gradients).
    /// </summary>
    public static void ShareTies(ReadOnlySpan<double> sorted, Span<double> gradient)
    {
        int start = 0;
        while (start < sorted.Length)
        {
            int end = start + 1;
            while (end < sorted.Length && sorted[end] == sorted[start]) end++;
            if (end - start > 1)
            {
                double s = 0;
                for (int k = start; k < end; k++) s += gradient[k];
                s /= end - start;
                for (int k = start; k < end; k++) gradient[k] = s;
            }
            start = end;
        }
    }

    /// <summary>Neumaier's compensated sum: the error does not grow with the number of terms.</summary>
    private struct CompensatedSum
    {
        private double _sum, _compensation;

        public void Add(double x)
        {
            double t = _sum + x;
            _compensation += Math.Abs(_sum) >= Math.Abs(x) ? (_sum - t) + x : (x - t) + _sum;
            _sum = t;
        }

        public readonly double Value => _sum + _compensation;
    }
}
