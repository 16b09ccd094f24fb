using KernelDsl.Catalogue;

namespace KernelDsl.Runtime.Tests.Transport;

/// <summary>
/// An independent double oracle for discrete Sinkhorn: plain loops over the dual potentials f, g (cost units) with a
/// max-shifted log-sum-exp, P_ij = a_i b_j exp((f_i + g_j - M_ij) / reg), run until the row marginal's L1 error is below
/// a tolerance. It shares nothing with the solver (no SIMD, no log scalings, no chunking).
/// </summary>
internal static class DiscreteOracle
{
    public sealed record Solution(double[] Plan, double Cost, double Entropic, double[] F, double[] G, int Iterations);

    public static Solution Solve(double[] a, double[] b, double[] M, int n, int m, double reg, double tolerance = 1e-14, int maxIterations = 1_000_000)
    {
        var f = new double[n];
        var g = new double[m];
        var terms = new double[Math.Max(n, m)];
        int it = 0;
        for (; it < maxIterations; it++)
        {
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < m; j++) terms[j] = Math.Log(b[j]) + (g[j] - M[i * m + j]) / reg;
                f[i] = -reg * Lse(terms, m);
            }
            for (int j = 0; j < m; j++)
            {
                for (int i = 0; i < n; i++) terms[i] = Math.Log(a[i]) + (f[i] - M[i * m + j]) / reg;
                g[j] = -reg * Lse(terms, n);
            }
            double error = 0;
            for (int i = 0; i < n; i++)
            {
                double row = 0;
                for (int j = 0; j < m; j++) row += a[i] * b[j] * Math.Exp((f[i] + g[j] - M[i * m + j]) / reg);
                error += Math.Abs(row - a[i]);
            }
            if (error < tolerance) break;
        }
        var plan = new double[n * m];
        double cost = 0, kl = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
            {
                double p = a[i] * b[j] * Math.Exp((f[i] + g[j] - M[i * m + j]) / reg);
                plan[i * m + j] = p;
                cost += p * M[i * m + j];
                if (p > 0) kl += p * Math.Log(p / (a[i] * b[j])) - p + a[i] * b[j];
            }
        return new Solution(plan, cost, cost + reg * kl, f, g, it + 1);
    }

    private static double Lse(double[] x, int count)
    {
        double max = double.NegativeInfinity;
        for (int k = 0; k < count; k++) max = Math.Max(max, x[k]);
        if (double.IsNegativeInfinity(max)) return max;
        double sum = 0;
        for (int k = 0; k < count; k++) sum += Math.Exp(x[k] - max);
        return max + Math.Log(sum);
    }

    /// <summary>A random problem: weights in [0.2, 1] normalised to 1, costs |x_i - y_j| between sorted points in [0, 1] (as POT's tests).</summary>
    public static (double[] a, double[] b, double[] M) Random(int n, int m, int seed)
    {
        var rng = new Random(seed);
        double[] a = Normalized(n, rng), b = Normalized(m, rng);
        double[] x = Enumerable.Range(0, n).Select(_ => rng.NextDouble()).Order().ToArray();
        double[] y = Enumerable.Range(0, m).Select(_ => rng.NextDouble()).Order().ToArray();
        var M = new double[n * m];
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) M[i * m + j] = Math.Abs(x[i] - y[j]);
        return (a, b, M);
    }

    private static double[] Normalized(int count, Random rng)
    {
        var w = Enumerable.Range(0, count).Select(_ => 0.2 + 0.8 * rng.NextDouble()).ToArray();
        double s = w.Sum();
        return w.Select(v => v / s).ToArray();
    }

    public static float[] ToFloat(double[] x) => x.Select(v => (float)v).ToArray();
}

/// <summary>The oracle itself against POT's docstring example and a closed form, so that the tests that lean on it stand on something.</summary>
public class DiscreteOracleTests
{
    [Fact]
    public void Oracle_GivesPotsDocstringValue()
    {
        var s = DiscreteOracle.Solve(new[] { .5, .5 }, new[] { .5, .5 }, new[] { 0.0, 1, 1, 0 }, 2, 2, 1.0);
        Assert.Equal(0.26894142136999516, s.Cost, 1e-14);
    }

    [Fact]
    public void Oracle_OfARankOneCost_IsTheProductPlan()
    {
        // M_ij = u_i + v_j: exp(-M/reg) is rank one, so P = a ⊗ b whatever reg, and ⟨P, M⟩ = Σ a u + Σ b v.
        double[] a = { .2, .3, .5 }, b = { .6, .4 }, u = { .1, .7, .3 }, v = { .9, .2 };
        var M = new double[6];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 2; j++) M[i * 2 + j] = u[i] + v[j];
        var s = DiscreteOracle.Solve(a, b, M, 3, 2, 0.3);
        for (int i = 0; i < 3; i++) for (int j = 0; j < 2; j++) Assert.Equal(a[i] * b[j], s.Plan[i * 2 + j], 1e-15);
        var sol = DiscreteSinkhorn.Sinkhorn2(a, b, M, 3, 2, 0.3);
        Assert.Equal(a.Zip(u, (x, y) => x * y).Sum() + b.Zip(v, (x, y) => x * y).Sum(), sol.Value, 1e-14);
    }
}
