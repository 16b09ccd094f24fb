using System.Numerics;

namespace KernelDsl.Runtime.Tests.Transport;

/// <summary>
/// An independent dense double log-domain Sinkhorn for the tests (n × m matrices, plain loops, no code shared with the
/// engine): alternate exact updates f = -ε LSE_j(log b_j + (g_j - C_ij)/ε), g likewise, until the rows' L1 error is
/// below 1e-12, then the plan π_ij = a_i b_j exp((f_i + g_j - C_ij)/ε).
/// </summary>
internal sealed class DenseSinkhorn
{
    public double[] F = [], G = [];
    public double[,] Plan = new double[0, 0];
    public double Value;

    /// <summary>The cost matrix of two clouds under <paramref name="cost"/> of (u, v).</summary>
    public static double[,] Cost(double[] x, double[] y, int d, Func<double[], double[], double> cost)
    {
        int n = x.Length / d, m = y.Length / d;
        var c = new double[n, m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++) c[i, j] = cost(x[(i * d)..((i + 1) * d)], y[(j * d)..((j + 1) * d)]);
        return c;
    }

    public static double HalfSquared(double[] u, double[] v)
    {
        double s = 0;
        for (int k = 0; k < u.Length; k++) s += (u[k] - v[k]) * (u[k] - v[k]);
        return s / 2;
    }

    /// <summary>Solves OT_ε for the cost matrix C and weights a, b (summing alike); Value = ⟨a, f⟩ + ⟨b, g⟩.</summary>
    public static DenseSinkhorn Solve(double[,] c, double[] a, double[] b, double eps, int maxIterations = 200_000)
    {
        int n = a.Length, m = b.Length;
        var f = new double[n];
        var g = new double[m];
        var z = new double[Math.Max(n, m)];
        bool converged = false;
        for (int it = 0; it < maxIterations && !converged; it++)
        {
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < m; j++) z[j] = Math.Log(b[j]) + (g[j] - c[i, j]) / eps;
                f[i] = -eps * Lse(z, m);
            }
            for (int j = 0; j < m; j++)
            {
                for (int i = 0; i < n; i++) z[i] = Math.Log(a[i]) + (f[i] - c[i, j]) / eps;
                g[j] = -eps * Lse(z, n);
            }
            // the rows' L1 error of the plan (f, g) (its columns hold exactly)
            double error = 0;
            for (int i = 0; i < n; i++)
            {
                double row = 0;
                for (int j = 0; j < m; j++) row += b[j] * Math.Exp((f[i] + g[j] - c[i, j]) / eps);
                error += a[i] * Math.Abs(1 - row);
            }
            converged = error < 1e-12;
        }
        if (!converged) throw new InvalidOperationException("the dense oracle did not converge");
        // one more f update so the rows hold exactly, as the engine's ApplyPlan does from g
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++) z[j] = Math.Log(b[j]) + (g[j] - c[i, j]) / eps;
            f[i] = -eps * Lse(z, m);
        }
        var plan = new double[n, m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++) plan[i, j] = a[i] * b[j] * Math.Exp((f[i] + g[j] - c[i, j]) / eps);
        double value = 0;
        for (int i = 0; i < n; i++) value += a[i] * f[i];
        for (int j = 0; j < m; j++) value += b[j] * g[j];
        return new DenseSinkhorn { F = f, G = g, Plan = plan, Value = value };
    }

    /// <summary>
    /// OT_ε(a, a) of a cloud against itself (C symmetric): the symmetric fixed point f = T(f), by the averaged update
    /// f ← (f + T(f)) / 2 (plain alternation crawls on self problems); Value = 2 ⟨a, f⟩.
    /// </summary>
    public static double SolveSelf(double[,] c, double[] a, double eps, int maxIterations = 200_000)
    {
        int n = a.Length;
        var f = new double[n];
        var next = new double[n];
        var z = new double[n];
        for (int it = 0; it < maxIterations; it++)
        {
            double moved = 0;
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++) z[j] = Math.Log(a[j]) + (f[j] - c[i, j]) / eps;
                next[i] = -eps * Lse(z, n);
            }
            for (int i = 0; i < n; i++)
            {
                moved = Math.Max(moved, Math.Abs(next[i] - f[i]));
                f[i] = it == 0 ? next[i] : 0.5 * (f[i] + next[i]);
            }
            if (moved < 1e-14 * (1 + f.Max(Math.Abs))) return 2 * a.Zip(next, (w, v) => w * v).Sum();
        }
        throw new InvalidOperationException("the dense self oracle did not converge");
    }

    private static double Lse(double[] z, int count)
    {
        double max = double.NegativeInfinity;
        for (int k = 0; k < count; k++) max = Math.Max(max, z[k]);
        double s = 0;
        for (int k = 0; k < count; k++) s += Math.Exp(z[k] - max);
        return max + Math.Log(s);
    }
}

/// <summary>A non-quadratic cost for the tests: the smoothed distance c = sqrt(f + δ²) of the squared distance f.</summary>
internal readonly struct SmoothDistance<T> : IPairTerm<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public const double Delta2 = 0.04;

    public static PairFeature Feature => PairFeature.SquaredDistance;

    public TVec Value<TVec, V>(TVec feature) where TVec : struct where V : struct, ISimd<TVec, T> =>
        V.Sqrt(V.Add(feature, V.Broadcast(T.CreateTruncating(Delta2))));

    public TVec ValueAndSlope<TVec, V>(TVec feature, out TVec slope) where TVec : struct where V : struct, ISimd<TVec, T>
    {
        TVec r = V.Sqrt(V.Add(feature, V.Broadcast(T.CreateTruncating(Delta2))));
        slope = V.Div(V.Broadcast(T.CreateTruncating(0.5)), r);
        return r;
    }

    public static double Of(double[] u, double[] v) => Math.Sqrt(2 * DenseSinkhorn.HalfSquared(u, v) + Delta2);
}
