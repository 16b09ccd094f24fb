using System;

namespace KernelDsl.Language.Interpretation;

/// <summary>
/// A dense entropic optimal-transport solver in double, the oracle of the transport formulas (slow on purpose: the whole
/// cost matrix, no ε-scaling). OT_ε(a, b) = min_π ⟨π, C⟩ + ε KL(π | a ⊗ b), solved by log-domain Sinkhorn updates
/// f_i = -ε log Σ_j b_j exp((g_j - C_ij) / ε), g_j = -ε log Σ_i a_i exp((f_i - C_ij) / ε), both from the same (f, g) and
/// averaged with it, until an update changes no potential by more than <see cref="Tolerance"/> relative to the largest
/// (at least 1); then one exact update pair, accepted only if the rows' L1 marginal error is at most
/// <see cref="MarginalTolerance"/> of the mass (otherwise it iterates on). The weights must have equal sums (else there is
/// no transport plan).
/// </summary>
internal static class DenseSinkhorn
{
    /// <summary>The largest change of a potential in an update pair at which the solve stops, relative to max(1, max |f|, max |g|).</summary>
    public const double Tolerance = 1e-14;

    /// <summary>The rows' L1 marginal error, relative to the mass, that the returned potentials must reach.</summary>
    public const double MarginalTolerance = 1e-11;

    /// <summary>The most update pairs before the solve gives up.</summary>
    public const int MaxIterations = 1_000_000;

    /// <summary>The converged potentials f (n) and g (m) for the cost C (n × m, row-major) and weights a, b.</summary>
    /// <exception cref="InvalidOperationException">The potentials did not settle within <see cref="MaxIterations"/> update pairs.</exception>
    public static (double[] F, double[] G) Solve(double[] cost, double[] a, double[] b, double epsilon)
    {
        int n = a.Length, m = b.Length;
        if (cost.Length != n * m) throw new ArgumentException("The cost is not n × m.", nameof(cost));
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be positive.");
        double massA = 0, massB = 0;
        foreach (double w in a) massA += w;
        foreach (double w in b) massB += w;
        if (!(Math.Abs(massA - massB) <= 1e-12 * Math.Max(massA, massB)))
            throw new ArgumentException($"The weights' sums differ ({massA} and {massB}): there is no transport plan between them.", nameof(b));
        var f = new double[n];
        var g = new double[m];
        var nextF = new double[n];
        var nextG = new double[m];
        var terms = new double[Math.Max(n, m)];
        double change = 0, scale = 1;
        for (int it = 0; it < MaxIterations; it++)
        {
            // Both softmins from the same (f, g), then averaged: the symmetric update, which does not stall on a self problem.
            RowSoftmin(cost, b, g, epsilon, nextF, terms);
            ColumnSoftmin(cost, a, f, epsilon, nextG, terms);
            change = 0;
            scale = 1;
            for (int i = 0; i < n; i++)
            {
                double next = 0.5 * (f[i] + nextF[i]);
                change = Math.Max(change, Math.Abs(next - f[i]));
                scale = Math.Max(scale, Math.Abs(next));
                f[i] = next;
            }
            for (int j = 0; j < m; j++)
            {
                double next = 0.5 * (g[j] + nextG[j]);
                change = Math.Max(change, Math.Abs(next - g[j]));
                scale = Math.Max(scale, Math.Abs(next));
                g[j] = next;
            }
            if (change > Tolerance * scale) continue;
            // One exact update pair: the columns then hold to rounding. A small change can also mean a slow crawl, so the
            // oracle checks what it promises: the rows' L1 marginal error (free from one more row softmin) must be tiny
            // too; otherwise it goes on iterating from there.
            RowSoftmin(cost, b, g, epsilon, f, terms);
            ColumnSoftmin(cost, a, f, epsilon, g, terms);
            RowSoftmin(cost, b, g, epsilon, nextF, terms);
            double rows = 0;
            for (int i = 0; i < n; i++) rows += a[i] * Math.Abs(Math.Exp((f[i] - nextF[i]) / epsilon) - 1);
            if (rows <= MarginalTolerance * massA) return (f, g);
        }
        throw new InvalidOperationException($"The dense Sinkhorn oracle did not converge in {MaxIterations} iterations at ε = {epsilon} (n = {n}, m = {m}, the last changes {change:G3} at scale {scale:G3}).");
    }

    // f_i = -ε log Σ_j b_j exp((g_j - C_ij) / ε)
    private static void RowSoftmin(double[] cost, double[] b, double[] g, double epsilon, double[] f, double[] terms)
    {
        int m = b.Length;
        for (int i = 0; i < f.Length; i++)
        {
            for (int j = 0; j < m; j++) terms[j] = Math.Log(b[j]) + (g[j] - cost[i * m + j]) / epsilon;
            f[i] = -epsilon * LogSumExp(terms, m);
        }
    }

    // g_j = -ε log Σ_i a_i exp((f_i - C_ij) / ε)
    private static void ColumnSoftmin(double[] cost, double[] a, double[] f, double epsilon, double[] g, double[] terms)
    {
        int m = g.Length;
        for (int j = 0; j < m; j++)
        {
            for (int i = 0; i < a.Length; i++) terms[i] = Math.Log(a[i]) + (f[i] - cost[i * m + j]) / epsilon;
            g[j] = -epsilon * LogSumExp(terms, a.Length);
        }
    }

    /// <summary>log Σ exp(v_k) over the first <paramref name="count"/> values, with the maximum subtracted.</summary>
    private static double LogSumExp(double[] v, int count)
    {
        double max = double.NegativeInfinity;
        for (int k = 0; k < count; k++) max = Math.Max(max, v[k]);
        if (double.IsNegativeInfinity(max)) return max;
        double sum = 0;
        for (int k = 0; k < count; k++) sum += Math.Exp(v[k] - max);
        return max + Math.Log(sum);
    }

    /// <summary>OT_ε(a, b) from the converged potentials: ⟨a, f⟩ + ⟨b, g⟩.</summary>
    public static double Value(double[] a, double[] f, double[] b, double[] g)
    {
        double value = 0;
        for (int i = 0; i < a.Length; i++) value += a[i] * f[i];
        for (int j = 0; j < b.Length; j++) value += b[j] * g[j];
        return value;
    }
}
