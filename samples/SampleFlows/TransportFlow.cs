using System;
using System.Collections.Generic;
using KernelDsl;
using KernelDsl.Catalogue;

namespace SampleFlows;

/// <summary>
/// A Sinkhorn-divergence gradient flow (the GeomLoss demonstration): 300 particles from a Gaussian descend
/// S_ε(particles, target), the catalogue's debiased <see cref="SinkhornDivergence"/> with the cost |x - y|²/2 and blur 0.05,
/// moved by -n ∇_x S (the gradient through the converged potentials); and the transport plan at the start, drawn as each
/// particle's barycentric image T(x_i) = Σ_j π_ij y_j / a_i (lazy: one sweep over the pairs, the plan never stored).
/// </summary>
internal static class TransportFlow
{
    private const int Particles = 300, TargetPoints = 400, Steps = 60;
    private const double Blur = 0.05, Rate = 0.1;
    private static readonly int[] Panels = { 0, 6, Steps };

    /// <summary>The flow's snapshots and the plan's barycentric images at the start.</summary>
    public sealed record Result(double[] Target, double[] Start, double[] Images, List<Snapshot> Snapshots, int Iterations, int Unconverged);

    /// <summary>Checks the generated value and gradient against a dense double log-domain Sinkhorn on a small cloud.</summary>
    public static void Check(Checks checks)
    {
        var random = new Random(3);
        double[] x = Cloud.Gaussian(random, 9, 0, 0, 1), y = Cloud.Gaussian(random, 7, 1, 0.5, 0.8);
        double[] a = Uniform(9), b = Uniform(7);
        double[] dx = new double[x.Length], dy = new double[y.Length];
        var options = new SinkhornOptions { Tolerance = 1e-13, MaxIterations = 100_000 };
        SinkhornResult r = SinkhornDivergence.ValueAndGradient(x, a, y, b, 2, dx, dy, 0.5, options);
        (double plain, double[] pdx) = Dense(x, y, 0.25);
        Console.WriteLine($"   S_ε on 9 vs 7 points (blur 0.5): generated {r.Value:G15} ({r.Iterations} iterations), dense double loop {plain:G15}");
        checks.That("Sinkhorn converged on the small cloud", r.Converged);
                // Both solvers stop at their own tolerance (marginals to 1e-13, potentials' change below 1e-14): agreement to ~1e-9.
        checks.AtMost("S_ε, generated vs dense double Sinkhorn, relative error", Math.Abs(r.Value - plain) / Math.Abs(plain), 1e-8);
        checks.AtMost("dS_ε/dx, generated vs dense double Sinkhorn, max error / max |gradient|", Cloud.RelativeError(dx, pdx), 1e-6);
    }

    /// <summary>Runs the flow onto two crescents and returns the snapshots and the plan at the start.</summary>
    public static Result Run()
    {
        var random = new Random(7);
        double[] target = Crescents(random, TargetPoints);
        double[] x = Cloud.Gaussian(random, Particles, -1.5, 0.2, 0.35);
        double[] a = Uniform(Particles), b = Uniform(TargetPoints);
        double[] dx = new double[x.Length], g = new double[TargetPoints], images = new double[x.Length];
        double[] start = (double[])x.Clone();
        var snapshots = new List<Snapshot>();
        int iterations = 0, unconverged = 0;
        SinkhornDivergence.Potentials(x, a, target, b, 2, default, g, Blur);
        SinkhornDivergence.BarycentricMap(x, a, target, b, 2, g, images, Blur);
        for (int step = 0; ; step++)
        {
            SinkhornResult r = SinkhornDivergence.ValueAndGradient(x, a, target, b, 2, dx, default, Blur);
            iterations += r.Iterations;
            if (!r.Converged) unconverged++;
            if (Array.IndexOf(Panels, step) >= 0)
            {
                snapshots.Add(new Snapshot(step, (double[])x.Clone(), r.Value));
                Console.WriteLine($"   step {step,3}: S_ε = {r.Value:G4} ({r.Iterations} Sinkhorn iterations, marginal error {r.MarginalError:G2})");
            }
            if (step == Steps) break;
            // The gradient of a mean over particles is O(1/n) per particle, hence the n (GeomLoss's flows do the same).
            for (int k = 0; k < x.Length; k++) x[k] -= Rate * Particles * dx[k];
        }
        Console.WriteLine($"   {Steps + 1 - unconverged} of {Steps + 1} solves reached the tolerance; {iterations} Sinkhorn iterations in all");
        return new Result(target, start, images, snapshots, iterations, unconverged);
    }

    private static double[] Uniform(int n)
    {
        var w = new double[n];
        Array.Fill(w, 1.0 / n);
        return w;
    }

    /// <summary>Two interleaved crescents ("moons") right of the origin, with a little noise.</summary>
    private static double[] Crescents(Random random, int n)
    {
        var points = new double[2 * n];
        for (int i = 0; i < n; i++)
        {
            double t = Math.PI * random.NextDouble();
            bool upper = i % 2 == 0;
            double px = upper ? Math.Cos(t) : 1 - Math.Cos(t), py = upper ? Math.Sin(t) : 0.5 - Math.Sin(t);
            points[2 * i] = 0.8 + 0.9 * px + 0.05 * Cloud.Normal(random);
            points[2 * i + 1] = -0.2 + 0.9 * py + 0.05 * Cloud.Normal(random);
        }
        return points;
    }

    // The debiased Sinkhorn divergence with uniform weights and its gradient in x, by a plain dense double log-domain
    // Sinkhorn (alternating updates to convergence, each problem on its own; the envelope theorem for the gradient).
    private static (double Value, double[] Dx) Dense(double[] x, double[] y, double eps)
    {
        int n = x.Length / 2, m = y.Length / 2;
        (double ab, double[] fab, double[] gab) = Solve(x, n, y, m, eps);
        (double aa, double[] faa, double[] gaa) = Solve(x, n, x, n, eps);
        (double bb, _, _) = Solve(y, m, y, m, eps);
        var dx = new double[x.Length];
        for (int i = 0; i < n; i++)
            for (int c = 0; c < 2; c++)
            {
                double s = 0;
                for (int j = 0; j < m; j++)
                    s += Math.Exp((fab[i] + gab[j] - Cloud.SqDist(x, i, y, j) / 2) / eps) / (n * (double)m) * (x[2 * i + c] - y[2 * j + c]);
                for (int j = 0; j < n; j++)
                {
                    // x sits in both slots of OT(a, a): the plan's row and column through x_i, halved.
                    double pij = Math.Exp((faa[i] + gaa[j] - Cloud.SqDist(x, i, x, j) / 2) / eps), pji = Math.Exp((faa[j] + gaa[i] - Cloud.SqDist(x, j, x, i) / 2) / eps);
                    s -= (pij + pji) / 2 / (n * (double)n) * (x[2 * i + c] - x[2 * j + c]);
                }
                dx[2 * i + c] = s;
            }
        return (ab - aa / 2 - bb / 2, dx);
    }

    private static (double Value, double[] F, double[] G) Solve(double[] x, int n, double[] y, int m, double eps)
    {
        double[] f = new double[n], g = new double[m];
        for (int iteration = 0; iteration < 100_000; iteration++)
        {
            double change = 0;
            for (int i = 0; i < n; i++)
            {
                double next = Softmin(j => g[j] - Cloud.SqDist(x, i, y, j) / 2, m, eps);
                change = Math.Max(change, Math.Abs(next - f[i]));
                f[i] = next;
            }
            for (int j = 0; j < m; j++) g[j] = Softmin(i => f[i] - Cloud.SqDist(x, i, y, j) / 2, n, eps);
            if (change < 1e-14) break;
        }
        double value = 0;
        for (int i = 0; i < n; i++) value += f[i] / n;
        for (int j = 0; j < m; j++) value += g[j] / m;
        return (value, f, g);
    }

    // -ε log (1/count) Σ_k exp(z_k / ε), shifted by the largest z.
    private static double Softmin(Func<int, double> z, int count, double eps)
    {
        double max = double.NegativeInfinity;
        for (int k = 0; k < count; k++) max = Math.Max(max, z(k));
        double sum = 0;
        for (int k = 0; k < count; k++) sum += Math.Exp((z(k) - max) / eps);
        return -(max + eps * Math.Log(sum / count));
    }
}
