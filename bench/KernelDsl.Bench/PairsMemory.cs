using System;
using System.Diagnostics;
using KernelDsl.Runtime;

namespace KernelDsl.Bench;

/// <summary>
/// --pairs-memory [n] [d]: the bytes Gaussian MMD² value and value + grad_x allocate (the engine's own instantiation and
/// the catalogue's generated GaussianMmd2) at n = m (default 200,000, d = 3),
/// counted with GC.GetTotalAllocatedBytes after a warm-up call, next to (n + m) d · 4 and n · m · 4 bytes. About 10^11
/// pairs at the default size: minutes on two cores.
/// </summary>
internal static class PairsMemory
{
    public static void Run(int n, int d)
    {
        var rng = new Random(20261207);
        float[] x = new float[n * d], y = new float[n * d], g = new float[n * d];
        for (int i = 0; i < x.Length; i++) { x[i] = (float)(rng.NextDouble() * 2 - 1); y[i] = (float)(rng.NextDouble() * 2 - 0.5); }
        // Warm the JIT and the pools on a small problem.
        GaussianMmd.ValueAndGradient(x.AsSpan(0, 300 * d), y.AsSpan(0, 300 * d), d, 1.0, MmdEstimator.Biased, g.AsSpan(0, 300 * d));
        GaussianMmd.Value(x.AsSpan(0, 300 * d), y.AsSpan(0, 300 * d), d, 1.0, MmdEstimator.Biased);
        Console.WriteLine($"n = m = {n:N0}, d = {d}: (n + m) d * 4 = {(2L * n * d * 4):N0} bytes; an n x m float buffer would be {((long)n * n * 4):N0} bytes");
        Measure("value", () => GaussianMmd.Value(x, y, d, 1.0, MmdEstimator.Biased));
        Measure("value + grad_x", () => GaussianMmd.ValueAndGradient(x, y, d, 1.0, MmdEstimator.Biased, g));
        // The catalogue's generated GaussianMmd2: the same engine calls, written by the generator.
        KernelDsl.Catalogue.GaussianMmd2.ValueAndGradient(x.AsSpan(0, 300 * d), y.AsSpan(0, 300 * d), d, g.AsSpan(0, 300 * d), Span<float>.Empty, 1f);
        Measure("generated GaussianMmd2 value", () => KernelDsl.Catalogue.GaussianMmd2.Value(x, y, d, 1f));
        Measure("generated GaussianMmd2 value + grad_x", () => KernelDsl.Catalogue.GaussianMmd2.ValueAndGradient(x, y, d, g, Span<float>.Empty, 1f));
    }

    private static void Measure(string what, Func<double> call)
    {
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var sw = Stopwatch.StartNew();
        double v = call();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Console.WriteLine($"  {what}: MMD² = {v:G6}, allocated {allocated:N0} bytes, {sw.Elapsed.TotalSeconds:F1} s");
    }
}
