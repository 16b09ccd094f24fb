using System;
using System.Collections.Generic;

namespace SampleFlows;

/// <summary>
/// Stein variational gradient descent (Liu and Wang, 2016) on a 2-D Gaussian mixture p:
/// x_i += ε φ(x_i), φ(x_i) = (1/n) Σ_j [k(x_j, x_i) ∇log p(x_j) + ∇_{x_j} k(x_j, x_i)], k(u, v) = exp(-|u - v|² / h),
/// with h = med² / log n (the median heuristic), from the catalogue's SvgdDirection: a generated formula with the scores
/// as the companion s: vectors(x) (the pair engine's payload and row sweeps, never n × n).
/// </summary>
internal static class Svgd
{
    private const int Particles = 200, Steps = 800;
    private const double StepSize = 0.15;
    private static readonly int[] Panels = { 0, 60, Steps };

    /// <summary>The mixture: weights, means (x, y) and standard deviations (isotropic components).</summary>
    public static readonly (double W, double X, double Y, double Sigma)[] Mixture =
    {
        (0.3, -2.0, 1.5, 0.6),
        (0.45, 2.0, 1.0, 0.8),
        (0.25, 0.0, -2.2, 0.5),
    };

    /// <summary>The mixture's density at (x, y).</summary>
    public static double Density(double x, double y)
    {
        double p = 0;
        foreach (var (w, mx, my, s) in Mixture)
            p += w * Math.Exp(-((x - mx) * (x - mx) + (y - my) * (y - my)) / (2 * s * s)) / (2 * Math.PI * s * s);
        return p;
    }

    /// <summary>The score ∇log p at every point of <paramref name="x"/>, row-major.</summary>
    public static double[] Score(double[] x)
    {
        var score = new double[x.Length];
        for (int i = 0; i < x.Length / 2; i++)
        {
            double px = x[2 * i], py = x[2 * i + 1], p = 0, gx = 0, gy = 0;
            foreach (var (w, mx, my, s) in Mixture)
            {
                double q = w * Math.Exp(-((px - mx) * (px - mx) + (py - my) * (py - my)) / (2 * s * s)) / (2 * Math.PI * s * s);
                p += q;
                gx -= q * (px - mx) / (s * s);
                gy -= q * (py - my) / (s * s);
            }
            score[2 * i] = gx / p;
            score[2 * i + 1] = gy / p;
        }
        return score;
    }

    /// <summary>The SVGD direction φ(x_i) of every particle, from the catalogue's <see cref="KernelDsl.Catalogue.SvgdDirection"/>.</summary>
    public static double[] Direction(double[] x, double h)
    {
        var phi = new double[x.Length];
        KernelDsl.Catalogue.SvgdDirection.Value(x, Score(x), 2, phi, h);
        return phi;
    }

    /// <summary>Checks the direction against a double loop over its two terms on a small cloud.</summary>
    public static void Check(Checks checks)
    {
        var random = new Random(12);
        double[] x = Cloud.Gaussian(random, 11, 0, 0, 1.5);
        double h = 0.7;
        double[] score = Score(x);
        double[] direction = Direction(x, h);
        double[] plain = new double[x.Length];
        int n = x.Length / 2;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double k = Math.Exp(-Cloud.SqDist(x, j, x, i) / h);
                for (int c = 0; c < 2; c++)
                    plain[2 * i + c] += (k * score[2 * j + c] - 2 / h * (x[2 * j + c] - x[2 * i + c]) * k) / n;   // k s_j + ∇_{x_j} k(x_j, x_i)
            }
        Console.WriteLine($"   on {n} points, h = {h}: scores of both signs ({Array.FindAll(score, s => s < 0).Length} of {score.Length} negative)");
        checks.AtMost("SVGD direction, SvgdDirection vs double loop, max error / max |term|", Cloud.RelativeError(direction, plain), 1e-12);
    }

    /// <summary>
    /// Runs SVGD from a wide Gaussian N(0, 2² I) and returns the particles at the start, the middle and the end. The start
    /// overlaps every mode on purpose: SVGD hardly moves particles between separated modes, so from a narrow start at the
    /// origin (N(0, 0.4² I)) the modes end with 0.12 / 0.74 / 0.14 of the particles instead of 0.30 / 0.45 / 0.25.
    /// </summary>
    public static List<Snapshot> Run(out double[] reference)
    {
        var random = new Random(8);
        double[] x = Cloud.Gaussian(random, Particles, 0, 0, 2);
        reference = Sample(random, 1500);
        var snapshots = new List<Snapshot>();
        for (int step = 0; ; step++)
        {
            if (Array.IndexOf(Panels, step) >= 0)
            {
                double mmd = KernelDsl.Catalogue.GaussianMmd2.Value(x, reference, 2, 0.5);
                snapshots.Add(new Snapshot(step, (double[])x.Clone(), mmd));
                Console.WriteLine($"   step {step,4}: MMD² to 1500 mixture samples (σ = 0.5) = {mmd:G4}");
            }
            if (step == Steps) break;
            double h = Cloud.MedianSqDist(x) / Math.Log(Particles);
            double[] phi = Direction(x, h);
            for (int k = 0; k < x.Length; k++) x[k] += StepSize * phi[k];
        }
        Console.WriteLine($"   particles per component at the end (most likely component): {Shares(x)}; mixture weights {string.Join(" / ", Array.ConvertAll(Mixture, m => m.W.ToString("F2")))}");
        return snapshots;
    }

    // The share of the particles whose most likely component is each of the mixture's, as "0.30 / 0.45 / 0.25".
    private static string Shares(double[] x)
    {
        var counts = new int[Mixture.Length];
        for (int i = 0; i < x.Length / 2; i++)
        {
            int best = 0;
            double bestValue = double.NegativeInfinity;
            for (int c = 0; c < Mixture.Length; c++)
            {
                var (w, mx, my, s) = Mixture[c];
                double value = Math.Log(w / (s * s)) - ((x[2 * i] - mx) * (x[2 * i] - mx) + (x[2 * i + 1] - my) * (x[2 * i + 1] - my)) / (2 * s * s);
                if (value > bestValue) (best, bestValue) = (c, value);
            }
            counts[best]++;
        }
        return string.Join(" / ", Array.ConvertAll(counts, c => (c / (double)(x.Length / 2)).ToString("F2")));
    }

    /// <summary>n independent draws from the mixture.</summary>
    public static double[] Sample(Random random, int n)
    {
        var points = new double[2 * n];
        for (int i = 0; i < n; i++)
        {
            double u = random.NextDouble();
            int c = 0;
            while (c < Mixture.Length - 1 && u > Mixture[c].W) u -= Mixture[c++].W;
            var (_, mx, my, s) = Mixture[c];
            points[2 * i] = mx + s * Cloud.Normal(random);
            points[2 * i + 1] = my + s * Cloud.Normal(random);
        }
        return points;
    }
}
