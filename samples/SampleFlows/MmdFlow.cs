using System;
using System.Collections.Generic;
using KernelDsl.Catalogue;

namespace SampleFlows;

/// <summary>Particles at one step of a flow, with the loss there.</summary>
internal sealed record Snapshot(int Step, double[] Points, double Loss);

/// <summary>
/// An MMD gradient flow: particles drawn from a Gaussian descend MMD²(particles, ring) with the generated gradient of the
/// catalogue's <see cref="EnergyKernelMmd2"/>, MMD² with the energy kernel k(u, v) = -|u - v| (equal to the energy
/// distance). With a Gaussian kernel, particles that stray beyond a bandwidth of the target feel almost no pull and stay
/// stranded; the energy kernel's pull does not fade with distance.
/// </summary>
internal static class MmdFlow
{
    /// <summary>The ring's radius.</summary>
    public const double Radius = 2;

    private const int Particles = 300, TargetPoints = 600, Steps = 2000;
    private const double Rate = 0.02;
    private static readonly int[] Panels = { 0, 50, Steps };

    /// <summary>Checks the generated value and gradients against a double loop on a small cloud.</summary>
    public static void Check(Checks checks)
    {
        var random = new Random(11);
        double[] x = Cloud.Gaussian(random, 9, 0, 0, 1), y = Cloud.Gaussian(random, 7, 1, 0, 1);
        double[] dx = new double[x.Length], dy = new double[y.Length];
        double value = EnergyKernelMmd2.ValueAndGradient(x, y, 2, dx, dy);
        (double plain, double[] pdx, double[] pdy) = Plain(x, y);
        Console.WriteLine($"   MMD² on 9 vs 7 points: generated {value:G15}, double loop {plain:G15}");
        checks.AtMost("MMD², generated vs double loop, relative error", Math.Abs(value - plain) / Math.Abs(plain), 1e-12);
        checks.AtMost("d MMD²/dx, generated vs double loop, max error / max |gradient|", Cloud.RelativeError(dx, pdx), 1e-12);
        checks.AtMost("d MMD²/dy, generated vs double loop, max error / max |gradient|", Cloud.RelativeError(dy, pdy), 1e-12);
    }

    /// <summary>Runs the flow and returns the target and the particles at the start, the middle and the end.</summary>
    public static (double[] Target, List<Snapshot> Snapshots) Run()
    {
        var random = new Random(5);
        var target = new double[2 * TargetPoints];
        for (int j = 0; j < TargetPoints; j++)
        {
            double angle = 2 * Math.PI * random.NextDouble(), r = Radius + 0.05 * Cloud.Normal(random);
            target[2 * j] = r * Math.Cos(angle);
            target[2 * j + 1] = r * Math.Sin(angle);
        }
        double[] x = Cloud.Gaussian(random, Particles, -1, 0.5, 0.4);
        double[] dx = new double[x.Length];
        var snapshots = new List<Snapshot>();
        // Gradient descent on the particles; the gradient of a mean over particles is O(1/n) per particle, hence the n.
        for (int step = 0; ; step++)
        {
            double loss = EnergyKernelMmd2.ValueAndGradient(x, target, 2, dx, default);
            if (Array.IndexOf(Panels, step) >= 0)
            {
                snapshots.Add(new Snapshot(step, (double[])x.Clone(), loss));
                Console.WriteLine($"   step {step,5}: MMD² = {loss:G4}");
            }
            if (step == Steps) break;
            for (int k = 0; k < x.Length; k++) x[k] -= Rate * Particles * dx[k];
        }
        return (target, snapshots);
    }

    // MMD² with the energy kernel -|u - v| and its gradients, by plain double loops (a pair i = j adds nothing).
    private static (double Value, double[] Dx, double[] Dy) Plain(double[] x, double[] y)
    {
        int n = x.Length / 2, m = y.Length / 2;
        double[] dx = new double[x.Length], dy = new double[y.Length];
        double value = 0;
        void Pair(double[] u, int i, double[] v, int j, double weight, double[] du, double[] dv)
        {
            double r = Math.Sqrt(Cloud.SqDist(u, i, v, j));
            if (r == 0) return;
            value -= weight * r;
            for (int c = 0; c < 2; c++)
            {
                double g = -weight * (u[2 * i + c] - v[2 * j + c]) / r;   // ∂(-weight |u_i - v_j|)/∂u_ic
                du[2 * i + c] += g;
                dv[2 * j + c] -= g;
            }
        }
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) Pair(x, i, x, j, 1.0 / (n * n), dx, dx);
        for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) Pair(y, i, y, j, 1.0 / (m * m), dy, dy);
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) Pair(x, i, y, j, -2.0 / (n * m), dx, dy);
        return (value, dx, dy);
    }
}
