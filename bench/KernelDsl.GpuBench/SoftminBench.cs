using System;
using System.Diagnostics;
using ILGPU;
using ILGPU.Runtime;
using KernelDsl;
using KernelDsl.Gpu.Catalogue;
using KernelDsl.Runtime.Gpu;

/// <summary>
/// Sinkhorn's softmin on the GPU between clouds of n = m points, d = 3, float, cost |x - y|²/2: the row log-sum-exp sweep
/// <c>L_i = log Σ_j exp(-c_ij/ε + h_j)</c> (one exponential per pair), the same with the softmax-weighted gradient, and
/// whole solver iterations through the Gpu catalogue's SinkhornDivergence (4 sweeps each: the two cross updates and the
/// two debiasing ones, plus the O(n) kernels and the error scalars). Pairs per second count every (i, j) a sweep visits.
/// </summary>
internal static class SoftminBench
{
    public static void Run(KernelDevice device, int[] sizes, int iterations, Random rng)
    {
        const int d = 3;
        const double eps = 0.01;
        const float blur = 0.1f; // the catalogue's SinkhornDivergence takes blur: ε = blur² ≈ 0.01, the sweeps' ε
        var acc = device.Accelerator;
        var cost = new GpuHalfSquaredCost<float>();
        foreach (int points in sizes)
        {
            var cloud = new float[points * d];
            for (int i = 0; i < cloud.Length; i++) cloud[i] = (float)(rng.NextDouble() * 2 - 1);
            using var x = acc.Allocate1D(cloud);
            for (int i = 0; i < cloud.Length; i++) cloud[i] = (float)(rng.NextDouble() * 2 - 0.5);
            using var y = acc.Allocate1D(cloud);
            var offsets = new float[points];
            for (int j = 0; j < points; j++) offsets[j] = (float)(-Math.Log(points) + rng.NextDouble());
            using var h = acc.Allocate1D(offsets);
            using var lse = acc.Allocate1D<float>(points);
            var uniform = new float[points];
            Array.Fill(uniform, 1f / points);
            using var w = acc.Allocate1D(uniform);
            using var grad = acc.Allocate1D<float>(cloud.Length);
            int reps = points >= 100_000 ? 1 : Math.Min(iterations, 5);
            double pairs = (double)points * points;

            double value = Time(acc, reps, () => GpuSoftmin.RowLogSumExp(device, in cost, x.View, y.View, h.View, d, eps, lse.View));
            Console.WriteLine($"softmin value, n = m = {points}, d = 3:          {value * 1e3,11:F3} ms  {pairs / value / 1e9,8:F2} Gpairs/s");
            double withGrad = Time(acc, reps, () => GpuSoftmin.RowLogSumExpWithGradient(device, in cost, x.View, y.View, h.View, d, eps, lse.View, 1.0, grad.View));
            Console.WriteLine($"softmin value+grad_x, n = m = {points}, d = 3:   {withGrad * 1e3,11:F3} ms  {pairs / withGrad / 1e9,8:F2} Gpairs/s");

            // Whole iterations of the debiased solver: a fixed budget (the run reports that it did not converge).
            const int budget = 5;
            var options = new SinkhornOptions { MaxIterations = budget };
            var result = default(SinkhornResult);
            double solve = Time(acc, 1, () => result = SinkhornDivergence.Gpu.Value(device, x.View, w.View, y.View, w.View, d, blur, options));
            double perIteration = solve / (result.Iterations + 1); // + the final exact updates (as many sweeps as one iteration)
            Console.WriteLine($"Sinkhorn divergence, n = m = {points}, d = 3:    {perIteration * 1e3,11:F3} ms/iteration  {4 * pairs / perIteration / 1e9,8:F2} Gpairs/s  ({result.Iterations} iterations, converged {result.Converged})");
        }
    }

    private static double Time(Accelerator acc, int reps, Action body)
    {
        body(); // warm-up: compiles the kernels
        acc.Synchronize();
        var sw = Stopwatch.StartNew();
        for (int k = 0; k < reps; k++) body();
        acc.Synchronize();
        return sw.Elapsed.TotalSeconds / reps;
    }
}
