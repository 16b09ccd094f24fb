using KernelDsl.Catalogue;
using KernelDsl.Runtime.Tests.Catalogue;

namespace KernelDsl.Runtime.Tests.Transport;

/// <summary>
/// <see cref="DiscreteSinkhorn.Batch(ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, int, int, int, double, Span{SinkhornResult}, in DiscreteSinkhornOutputs{double}, SinkhornOptions?)"/>:
/// every problem gives the same bits as a single call on it (shared or per-problem costs, float and double, every output),
/// and single calls and batches give the same bits at 1, 2 and 16 threads.
/// </summary>
[Collection(nameof(ParallelismCollection))]
public class DiscreteBatchTests
{
    private static T[] Concat<T>(IEnumerable<T[]> parts) => parts.SelectMany(p => p).ToArray();

    private sealed record Outputs<T>(SinkhornResult[] Results, T[] Plans, T[] F, T[] G, double[] Entropic);

    private static Outputs<double> Singles(double[][] a, double[][] b, double[][] M, int n, int m, double reg, SinkhornOptions? options)
    {
        int batch = a.Length;
        var o = new Outputs<double>(new SinkhornResult[batch], new double[batch * n * m], new double[batch * n], new double[batch * m], new double[batch]);
        for (int k = 0; k < batch; k++)
            o.Results[k] = DiscreteSinkhorn.Solve(a[k], b[k], M[k], n, m, reg, new DiscreteSinkhornOutputs<double>
            {
                Plan = o.Plans.AsSpan(k * n * m, n * m), PotentialF = o.F.AsSpan(k * n, n), PotentialG = o.G.AsSpan(k * m, m), EntropicValue = o.Entropic.AsSpan(k, 1),
            }, options);
        return o;
    }

    private static Outputs<double> Batched(double[] a, double[] b, double[] M, int batch, int n, int m, double reg, SinkhornOptions? options)
    {
        var o = new Outputs<double>(new SinkhornResult[batch], new double[batch * n * m], new double[batch * n], new double[batch * m], new double[batch]);
        DiscreteSinkhorn.Batch(a, b, M, batch, n, m, reg, o.Results, new DiscreteSinkhornOutputs<double> { Plan = o.Plans, PotentialF = o.F, PotentialG = o.G, EntropicValue = o.Entropic }, options);
        return o;
    }

    private static void Same(Outputs<double> x, Outputs<double> y)
    {
        Assert.Equal(x.Results, y.Results);
        Assert.Equal(x.Plans, y.Plans);
        Assert.Equal(x.F, y.F);
        Assert.Equal(x.G, y.G);
        Assert.Equal(x.Entropic, y.Entropic);
    }

    private static (double[][] a, double[][] b, double[][] M) Problems(int batch, int n, int m, int seed)
    {
        var ps = Enumerable.Range(0, batch).Select(k => DiscreteOracle.Random(n, m, seed + k)).ToArray();
        return (ps.Select(p => p.a).ToArray(), ps.Select(p => p.b).ToArray(), ps.Select(p => p.M).ToArray());
    }

    [Fact]
    public void Batch_PerProblemCosts_EqualsSingleCalls_BitForBit()
    {
        const int batch = 9, n = 17, m = 23;
        var (a, b, M) = Problems(batch, n, m, 100);
        Same(Singles(a, b, M, n, m, 0.05, null), Batched(Concat(a), Concat(b), Concat(M), batch, n, m, 0.05, null));
    }

    [Fact]
    public void Batch_SharedCosts_EqualsSingleCalls_BitForBit_AndConvergenceIsPerProblem()
    {
        const int batch = 6, n = 20, m = 12;
        var (a, b, M) = Problems(batch, n, m, 200);
        var shared = Enumerable.Repeat(M[0], batch).ToArray();
        var options = new SinkhornOptions { Tolerance = 1e-10, MaxIterations = 40 };
        var single = Singles(a, b, shared, n, m, 0.01, options);
        var batched = Batched(Concat(a), Concat(b), M[0], batch, n, m, 0.01, options);
        Same(single, batched);
        Assert.All(batched.Results, r => Assert.Equal(r.Converged, r.MarginalError <= 1e-10));
    }

    [Fact]
    public void Batch_Float_UniformWeights_EqualsSingleCalls_BitForBit()
    {
        const int batch = 5, n = 33, m = 40;
        var M = Enumerable.Range(0, batch).Select(k => DiscreteOracle.ToFloat(DiscreteOracle.Random(n, m, 300 + k).M)).ToArray();
        var results = new SinkhornResult[batch];
        var plans = new float[batch * n * m];
        DiscreteSinkhorn.Batch(default, default, Concat(M), batch, n, m, 0.1, results, new DiscreteSinkhornOutputs<float> { Plan = plans });
        for (int k = 0; k < batch; k++)
        {
            var plan = new float[n * m];
            Assert.Equal(DiscreteSinkhorn.Sinkhorn(default, default, M[k], n, m, 0.1, plan), results[k]);
            Assert.Equal(plan, plans.AsSpan(k * n * m, n * m).ToArray());
        }
    }

    [Fact]
    public void SingleCallsAndBatches_AreTheSameBits_At1_2_16Threads()
    {
        // 700 × 600 runs its passes over threads (more than 2^18 entries), in 3 row chunks.
        var (a, b, M) = DiscreteOracle.Random(700, 600, 400);
        float[] Mf = DiscreteOracle.ToFloat(M), af = DiscreteOracle.ToFloat(a), bf = DiscreteOracle.ToFloat(b);
        var (ba, bb, bM) = Problems(12, 30, 50, 500);
        var options = new SinkhornOptions { Tolerance = 1e-12, MaxIterations = 60 };
        (SinkhornResult, double[], SinkhornResult, float[], SinkhornResult[], double[]) Run()
        {
            var plan = new double[M.Length];
            var r = DiscreteSinkhorn.Sinkhorn(a, b, M, 700, 600, 0.02, plan, options);
            var planF = new float[M.Length];
            var rf = DiscreteSinkhorn.Sinkhorn(af, bf, Mf, 700, 600, 0.02, planF, options);
            var batched = Batched(Concat(ba), Concat(bb), Concat(bM), 12, 30, 50, 0.02, options);
            return (r, plan, rf, planF, batched.Results, batched.Plans);
        }
        var reference = WithThreads(1, Run);
        foreach (int threads in new[] { 2, 16 })
        {
            var other = WithThreads(threads, Run);
            Assert.Equal(reference.Item1, other.Item1);
            Assert.Equal(reference.Item2, other.Item2);
            Assert.Equal(reference.Item3, other.Item3);
            Assert.Equal(reference.Item4, other.Item4);
            Assert.Equal(reference.Item5, other.Item5);
            Assert.Equal(reference.Item6, other.Item6);
        }
    }

    private static T WithThreads<T>(int degree, Func<T> body)
    {
        int old = KernelSettings.MaxDegreeOfParallelism;
        KernelSettings.MaxDegreeOfParallelism = degree;
        try { return body(); }
        finally { KernelSettings.MaxDegreeOfParallelism = old; }
    }
}
