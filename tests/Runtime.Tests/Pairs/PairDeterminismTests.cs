using KernelDsl.Runtime.Tests.Catalogue;

namespace KernelDsl.Runtime.Tests.Pairs;

/// <summary>
/// Same bits at 1, 2 and 16 threads (chunks are fixed by n, partials added in chunk order; each row's gradient is written
/// by its own chunk), and memory O((n + m) d) (growing linearly in n + m). In the collection that runs alone: it changes the
/// process-wide thread setting and counts the bytes the process allocates.
/// </summary>
[Collection(nameof(ParallelismCollection))]
public class PairDeterminismTests
{
    private static T WithThreads<T>(int degree, Func<T> f)
    {
        int old = KernelSettings.MaxDegreeOfParallelism;
        KernelSettings.MaxDegreeOfParallelism = degree;
        try { return f(); }
        finally { KernelSettings.MaxDegreeOfParallelism = old; }
    }

    [Theory]
    [InlineData(1000, 777, 3)]
    [InlineData(333, 1500, 64)]
    public void SameBits_At1_2_16Threads(int n, int m, int d)
    {
        double[] x = PairOracle.Normal(n * d, 1), y = PairOracle.Normal(m * d, 2), a = PairOracle.Positive(n, 3), b = PairOracle.Positive(m, 4);
        float[] xf = PairOracle.ToFloat(x), yf = PairOracle.ToFloat(y), af = PairOracle.ToFloat(a), bf = PairOracle.ToFloat(b);
        double sigma = Math.Sqrt(d);
        string Run()
        {
            var gd = new double[x.Length];
            var gf = new float[xf.Length];
            var rows = new double[n];
            var lse = new float[n];
            double v1 = GaussianMmd.Value(x, y, d, sigma, MmdEstimator.Unbiased);
            double v2 = GaussianMmd.ValueAndGradient(x, y, d, sigma, MmdEstimator.Weighted, gd, a, b);
            double v3 = GaussianMmd.ValueAndGradient(xf, yf, d, sigma, MmdEstimator.Biased, gf);
            double v4 = GaussianMmd.Value(xf, yf, d, sigma, MmdEstimator.Weighted, af, bf);
            PairSweep.RowSums(new GaussianPairTerm<double>(sigma), x, y, b, d, rows);
            PairSweep.RowLogSumExp(new NegativeCostTerm<float>(2.0), xf, yf, bf, d, lse);
            static string Bits(IEnumerable<double> v) => string.Join(",", v.Select(e => BitConverter.DoubleToInt64Bits(e).ToString("X")));
            return Bits(new[] { v1, v2, v3, v4 }) + "|" + Bits(gd) + "|" + Bits(gf.Select(e => (double)e)) + "|" + Bits(rows) + "|" + Bits(lse.Select(e => (double)e));
        }
        string one = WithThreads(1, Run);
        Assert.Equal(one, WithThreads(2, Run));
        Assert.Equal(one, WithThreads(16, Run));
    }

    [Fact]
    public void Mmd2AndGradient_AllocateLinearly_InNPlusM()
    {
        // The 200,000-point measurement of the issue is `--pairs-memory` in bench/KernelDsl.Bench (about 10^11 pairs: a
        // minute of CPU, too long for the suite). Here: the same call at two sizes, 4x apart in n + m (16x in pairs).
        const int d = 3;
        long At(int n)
        {
            float[] x = PairOracle.ToFloat(PairOracle.Normal(n * d, 5)), y = PairOracle.ToFloat(PairOracle.Normal(n * d, 6));
            var g = new float[x.Length];
            // Warm the pools and the JIT on a small problem, so the count is of what the call itself allocates.
            GaussianMmd.ValueAndGradient(x.AsSpan(0, 300 * d), y.AsSpan(0, 200 * d), d, 1.0, MmdEstimator.Biased, g.AsSpan(0, 300 * d));
            long before = GC.GetTotalAllocatedBytes(precise: true);
            double value = GaussianMmd.ValueAndGradient(x, y, d, 1.0, MmdEstimator.Biased, g);
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            Assert.True(double.IsFinite(value) && value >= -1e-6, $"MMD² = {value}");
            // The packed copies of x and y (d + 1 rows of floats each, pooled arrays rounded up to a power of two) and
            // per-chunk partials: a few times (n + m)(d + 1) · 4 bytes. An n × m buffer would be n² · 4 bytes.
            long bound = 4L * (2 * n) * (d + 1) * sizeof(float);
            Assert.True(allocated <= bound, $"n = {n}: allocated {allocated} bytes, bound {bound}");
            return allocated;
        }
        long small = At(2_000), large = At(8_000);
        // Linear growth is 4x; an n × m buffer anywhere would grow 16x (and 256 MB at 8,000 would break the bound above).
        // The small call may allocate nothing at all (the shared pool, per thread, may already hold big enough arrays from
        // earlier tests), so the growth is measured from the small size's bound when that is larger.
        long smallBound = 4L * (2 * 2_000) * (d + 1) * sizeof(float);
        Assert.True(large <= 6 * Math.Max(small, smallBound), $"allocated {small} bytes at n = 2,000 and {large} at 8,000");
    }
}
