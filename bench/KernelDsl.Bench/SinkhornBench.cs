using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using System.Threading.Tasks;
using KernelDsl.Catalogue;
using KernelDsl.Runtime;

namespace KernelDsl.Bench;

/// <summary>
/// --sinkhorn [n ...] [--threads T] [--tolerance E] [--max-iterations K] [--dense-max N]: the catalogue's debiased SinkhornDivergence (float,
/// cost |x - y|²/2, blur 0.05, scaling 0.5, the default tolerance and budget unless given: a capped budget times the
/// iterations at 100,000, where a converged run takes tens of minutes on two cores) between x ~ U[0, 1]³ and y ~ N(0.6, 0.2²)³
/// at n = m (default 10,000 and 100,000), against
/// <list type="bullet">
/// <item>the softmin roofline: the same number of updates, each a pass over n·m + m·n + n² + m² pairs at
/// <see cref="FlopsPerPair"/> flops, as FMA chains (<see cref="PairsMmd.FmaChains"/>) on the same threads: the time the
/// sweeps would take if every flop were an FMA and nothing else ran;</item>
/// <item>a dense log-domain Sinkhorn (GeomLoss's "tensorized" backend in spirit): the four cost matrices stored in float
/// (4 n² values: 1.6 GB at 10,000, 160 GB at 100,000, so only where n ≤ --dense-max, default 10,000), the same ε schedule
/// and the same updates (averaged while annealing, over-relaxed alternating at the target ε, the self problems averaged),
/// as many as the generated call ran, each row's log-sum-exp with TensorPrimitives, rows in parallel.</item>
/// </list>
/// Memory: the bytes a warm call allocates (GC.GetTotalAllocatedBytes) and the process's peak working set after the run,
/// next to (n + m) d · 4 and n · m · 4. Wall time (the solve is multi-threaded). Writes sinkhorn.csv / sinkhorn.md in the
/// current folder.
/// </summary>
internal static class SinkhornBench
{
    private const int D = 3;
    private const double Blur = 0.05, Scaling = 0.5;

    /// <summary>
    /// Flops per pair of one softmin update at d features (FMA = 2): the squared distance 3d, the cost and the offset 3
    /// (f/2, ·(-1/ε), + h_j), the exponential 22 (as <see cref="PairsMmd.FlopsPerPair"/> counts it), the running sum 2
    /// (the running maximum and the rescale are not counted). d = 3: 36.
    /// </summary>
    public static int FlopsPerPair(int d) => 3 * d + 3 + 22 + 2;

    private sealed record Row(int N, string Method, double Seconds, int Iterations, double MarginalError, bool Converged, double Value, string Note);

    public static void Run(IReadOnlyList<int> sizes, int threads, double? tolerance, int denseMax, int? maxIterations)
    {
        KernelSettings.MaxDegreeOfParallelism = threads;
        var rows = new List<Row>();
        var defaults = SinkhornOptions.Default;
        var options = new SinkhornOptions
        {
            Scaling = Scaling,
            Tolerance = tolerance ?? defaults.Tolerance,
            MaxIterations = maxIterations ?? defaults.MaxIterations,
        };
        // Warm the JIT on a small problem.
        {
            var (wx, wy) = Clouds(500);
            SinkhornDivergence.Value(wx, Uniform(500), wy, Uniform(500), D, (float)Blur, options);
            SinkhornDivergence.ValueAndGradient(wx, Uniform(500), wy, Uniform(500), D, new float[wx.Length], new float[wy.Length], (float)Blur, options);
        }
        foreach (int n in sizes)
        {
            var (x, y) = Clouds(n);
            float[] a = Uniform(n), b = Uniform(n), gx = new float[x.Length];
            Console.WriteLine($"n = m = {n:N0}, d = {D}, blur {Blur}, scaling {Scaling}, tolerance {options.Tolerance:G3}, {threads} thread(s)");

            long before = GC.GetTotalAllocatedBytes(precise: true);
            var sw = Stopwatch.StartNew();
            SinkhornResult value = SinkhornDivergence.Value(x, a, y, b, D, (float)Blur, options);
            double valueSeconds = sw.Elapsed.TotalSeconds;
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            rows.Add(Result(n, "Generated_Value", valueSeconds, value, $"allocated {allocated:N0} B"));

            before = GC.GetTotalAllocatedBytes(precise: true);
            sw.Restart();
            SinkhornResult withGradient = SinkhornDivergence.ValueAndGradient(x, a, y, b, D, gx, default, (float)Blur, options);
            double gradientSeconds = sw.Elapsed.TotalSeconds;
            allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            rows.Add(Result(n, "Generated_ValueGradX", gradientSeconds, withGradient, $"allocated {allocated:N0} B"));

            // The roofline of the updates the value call ran (plus its final exact updates: 4 more sweeps).
            double pairs = (value.Iterations + 1) * (2.0 * n * n + 2.0 * n * n);
            rows.Add(new Row(n, "Roofline_Softmin", Roofline(pairs * FlopsPerPair(D), threads), value.Iterations, double.NaN, true, double.NaN,
                $"{pairs:G3} pairs at {FlopsPerPair(D)} flops"));

            if (n <= denseMax)
            {
                sw.Restart();
                var dense = new DenseSinkhorn(x, y, n, n, D, threads);
                double build = sw.Elapsed.TotalSeconds;
                sw.Restart();
                double denseValue = dense.Divergence(Blur * Blur, Epsilon0(x, y), Math.Pow(Scaling, 2), value.Iterations, options.Overrelaxation);
                double solve = sw.Elapsed.TotalSeconds;
                rows.Add(new Row(n, "Dense_LogDomain", solve, value.Iterations, double.NaN, true, denseValue,
                    $"+ {build:F2} s to fill 4 cost matrices ({4.0 * n * n * 4 / 1e9:F1} GB)"));
            }
            else
            {
                rows.Add(new Row(n, "Dense_LogDomain", double.NaN, 0, double.NaN, false, double.NaN, $"does not fit: 4 cost matrices need {4.0 * n * n * 4 / 1e9:F0} GB"));
            }
            foreach (var r in rows.Where(r => r.N == n)) Console.WriteLine($"  {r.Method,-22} {r.Seconds,10:F3} s  iterations {r.Iterations,4}  error {r.MarginalError:G3}  value {r.Value:G8}  {r.Note}");
            Console.WriteLine($"  (n + m) d · 4 = {2L * n * D * 4:N0} B; an n × m float buffer = {(long)n * n * 4:N0} B; peak working set so far {Process.GetCurrentProcess().PeakWorkingSet64:N0} B");
        }
        Write(rows, threads);
    }

    private static Row Result(int n, string method, double seconds, SinkhornResult r, string note) =>
        new(n, method, seconds, r.Iterations, r.MarginalError, r.Converged, r.Value, note);

    private static (float[] X, float[] Y) Clouds(int n)
    {
        var rng = new Random(Data.Seed);
        float[] x = new float[n * D], y = new float[n * D];
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextDouble();
        for (int i = 0; i < y.Length; i++)
            y[i] = (float)(0.6 + 0.2 * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
        return (x, y);
    }

    private static float[] Uniform(int n) => Enumerable.Repeat(1f / n, n).ToArray();

    /// <summary>The first ε of GeomLoss's schedule for |x - y|²/2: the cost at the diameter of the union's bounding box.</summary>
    private static double Epsilon0(float[] x, float[] y)
    {
        double diameter2 = 0;
        for (int k = 0; k < D; k++)
        {
            double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            foreach (float[] p in new[] { x, y })
                for (int i = k; i < p.Length; i += D) { lo = Math.Min(lo, p[i]); hi = Math.Max(hi, p[i]); }
            diameter2 += (hi - lo) * (hi - lo);
        }
        return diameter2 / 2;
    }

    /// <summary>Seconds for <paramref name="flops"/> flops as FMA chains on <paramref name="threads"/> threads.</summary>
    private static double Roofline(double flops, int threads)
    {
        int lanes = Vector512.IsHardwareAccelerated ? 16 : 8;
        long iterations = (long)(flops / 2 / lanes / 8);
        var sw = Stopwatch.StartNew();
        if (threads == 1) PairsMmd.FmaChains(iterations);
        else Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ => PairsMmd.FmaChains(iterations / threads));
        return sw.Elapsed.TotalSeconds;
    }

    private static void Write(List<Row> rows, int threads)
    {
        using (var csv = new StreamWriter("sinkhorn.csv"))
        {
            csv.WriteLine("n,method,seconds,iterations,marginal_error,converged,value,note");
            foreach (var r in rows)
                csv.WriteLine(string.Join(",", r.N, r.Method, r.Seconds.ToString("R", CultureInfo.InvariantCulture), r.Iterations,
                    r.MarginalError.ToString("G4", CultureInfo.InvariantCulture), r.Converged, r.Value.ToString("R", CultureInfo.InvariantCulture), "\"" + r.Note + "\""));
        }
        using var md = new StreamWriter("sinkhorn.md");
        md.WriteLine($"Debiased Sinkhorn divergence, d = {D}, blur {Blur}, scaling {Scaling}, float, {threads} thread(s), wall time, one call each.");
        md.WriteLine();
        md.WriteLine("| n = m | method | seconds | iterations | marginal error | converged | value | x roofline | dense / generated |");
        md.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
        {
            var roof = rows.First(o => o.N == r.N && o.Method == "Roofline_Softmin");
            var gen = rows.First(o => o.N == r.N && o.Method == "Generated_Value");
            string xRoof = r.Method.StartsWith("Generated", StringComparison.Ordinal) && r.Method == "Generated_Value" ? (r.Seconds / roof.Seconds).ToString("F2", CultureInfo.InvariantCulture) : "";
            string dense = r.Method == "Dense_LogDomain" && !double.IsNaN(r.Seconds) ? (r.Seconds / gen.Seconds).ToString("F2", CultureInfo.InvariantCulture) : "";
            md.WriteLine($"| {r.N:N0} | {r.Method} | {r.Seconds:F3} | {r.Iterations} | {r.MarginalError:G3} | {r.Converged} | {r.Value:G8} | {xRoof} | {dense} |");
        }
    }

    /// <summary>
    /// Dense log-domain Sinkhorn: the cost matrices stored, each update a row log-sum-exp over a stored row
    /// (TensorPrimitives: the offset, the maximum, the exponentials and their sum), rows in parallel. Symmetric updates as
    /// the generated solver runs them, a fixed number of them, then one exact update of each potential.
    /// </summary>
    private sealed class DenseSinkhorn
    {
        private readonly float[] _cxy, _cyx, _cxx, _cyy;
        private readonly int _n, _m, _threads;

        public DenseSinkhorn(float[] x, float[] y, int n, int m, int d, int threads)
        {
            _n = n; _m = m; _threads = threads;
            _cxy = Costs(x, n, y, m, d); _cyx = Costs(y, m, x, n, d); _cxx = Costs(x, n, x, n, d); _cyy = Costs(y, m, y, m, d);
        }

        private float[] Costs(float[] u, int nu, float[] v, int nv, int d)
        {
            var c = new float[(long)nu * nv];
            Parallel.For(0, nu, new ParallelOptions { MaxDegreeOfParallelism = _threads }, i =>
            {
                for (int j = 0; j < nv; j++)
                {
                    float s = 0;
                    for (int k = 0; k < d; k++) { float t = u[i * d + k] - v[j * d + k]; s += t * t; }
                    c[(long)i * nv + j] = s / 2;
                }
            });
            return c;
        }

        public double Divergence(double eps, double eps0, double factor, int updates, double omega)
        {
            float[] f = new float[_n], g = new float[_m], faa = new float[_n], gbb = new float[_m];
            float[] ft = new float[_n], gt = new float[_m], faat = new float[_n], gbbt = new float[_m];
            float logA = -MathF.Log(_n), logB = -MathF.Log(_m);
            double e = Math.Max(eps0, eps);
            for (int it = 0; it < updates; it++)
            {
                bool atTarget = e == eps && it > 0;
                if (atTarget)
                {
                    // The solver's scheme at the target ε: alternating over-relaxed updates of (f, g).
                    Softmin(_cxy, _n, _m, g, logB, e, ft);
                    Relax(f, ft, omega);
                    Softmin(_cyx, _m, _n, f, logA, e, gt);
                    Relax(g, gt, omega);
                }
                else
                {
                    Softmin(_cxy, _n, _m, g, logB, e, ft);
                    Softmin(_cyx, _m, _n, f, logA, e, gt);
                    Average(f, ft, it == 0); Average(g, gt, it == 0);
                }
                Softmin(_cxx, _n, _n, faa, logA, e, faat);
                Softmin(_cyy, _m, _m, gbb, logB, e, gbbt);
                Average(faa, faat, it == 0); Average(gbb, gbbt, it == 0);
                e = e * factor > eps ? e * factor : eps;
            }
            Softmin(_cxy, _n, _m, g, logB, eps, f);
            Softmin(_cyx, _m, _n, f, logA, eps, g);
            Softmin(_cxx, _n, _n, faa, logA, eps, faat); faat.CopyTo(faa, 0);
            Softmin(_cyy, _m, _m, gbb, logB, eps, gbbt); gbbt.CopyTo(gbb, 0);
            double value = 0;
            for (int i = 0; i < _n; i++) value += (f[i] - (double)faa[i]) / _n;
            for (int j = 0; j < _m; j++) value += (g[j] - (double)gbb[j]) / _m;
            return value;
        }

        private static void Relax(float[] p, float[] updated, double omega)
        {
            for (int i = 0; i < p.Length; i++) p[i] = (float)(p[i] + omega * (updated[i] - (double)p[i]));
        }

        private static void Average(float[] p, float[] updated, bool whole)
        {
            for (int i = 0; i < p.Length; i++) p[i] = whole ? updated[i] : 0.5f * (p[i] + updated[i]);
        }

        // into_i = -ε log Σ_j exp(logW + column_j / ε - C_ij / ε)
        private void Softmin(float[] c, int rows, int cols, float[] column, float logW, double eps, float[] into)
        {
            float inv = (float)(1 / eps);
            Parallel.For(0, _threads, new ParallelOptions { MaxDegreeOfParallelism = _threads }, part =>
            {
                float[] z = new float[cols];
                int lo = (int)((long)rows * part / _threads), hi = (int)((long)rows * (part + 1) / _threads);
                for (int i = lo; i < hi; i++)
                {
                    var row = new ReadOnlySpan<float>(c, i * cols, cols);
                    TensorPrimitives.Subtract(column, row, z);          // g_j - C_ij
                    TensorPrimitives.Multiply(z, inv, z);                // (g_j - C_ij) / ε
                    float max = TensorPrimitives.Max(z);
                    TensorPrimitives.Subtract(z, max, z);
                    TensorPrimitives.Exp(z, z);
                    float sum = TensorPrimitives.Sum(z);
                    into[i] = (float)(-eps * (max + Math.Log(sum) + logW));
                }
            });
        }
    }
}
