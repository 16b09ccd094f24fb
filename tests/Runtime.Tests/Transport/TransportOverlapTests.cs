using System.Runtime.InteropServices;
using KernelDsl.Catalogue;

namespace KernelDsl.Runtime.Tests.Transport;

/// <summary>
/// Outputs of the discrete solver (single and batch) and of SinKD that share memory with the inputs or with each other
/// are refused, naming the output: the solver writes f and g before the plan's pass reads the costs again, and a batch's
/// problems run in parallel, so such calls would otherwise return wrong numbers silently.
/// </summary>
public class TransportOverlapTests
{
    private static readonly double[] A = { .5, .5 }, B = { .25, .25, .5 }, M = { 0, 1, 2, 1, 0, 1 };

    private static void Names(string name, Action call) => Assert.Equal(name, Assert.ThrowsAny<ArgumentException>(call).ParamName);

    [Fact]
    public void DiscreteSolve_OutputsOverlappingInputsOrEachOther_Throw()
    {
        double[] costs = (double[])M.Clone(), a = (double[])A.Clone(), b = (double[])B.Clone();
        Names("plan", () => DiscreteSinkhorn.Sinkhorn(A, B, costs, 2, 3, 1, costs));
        Names("f", () => DiscreteSinkhorn.Solve(a, B, M, 2, 3, 1, new DiscreteSinkhornOutputs<double> { PotentialF = a }));
        Names("g", () => DiscreteSinkhorn.Solve(A, b, M, 2, 3, 1, new DiscreteSinkhornOutputs<double> { PotentialG = b }));
        Names("f", () => DiscreteSinkhorn.Solve(A, B, costs, 2, 3, 1, new DiscreteSinkhornOutputs<double> { PotentialF = costs.AsSpan(4, 2) }));
        double[] plan = new double[6];
        Names("g", () => DiscreteSinkhorn.Solve(A, B, M, 2, 3, 1, new DiscreteSinkhornOutputs<double> { Plan = plan, PotentialG = plan.AsSpan(3, 3) }));
        double[] fg = new double[4];
        Names("g", () => DiscreteSinkhorn.Solve(A, B, M, 2, 3, 1, new DiscreteSinkhornOutputs<double> { PotentialF = fg.AsSpan(0, 2), PotentialG = fg.AsSpan(1, 3) }));
        Names("outputs", () => DiscreteSinkhorn.Solve(A, B, costs, 2, 3, 1, new DiscreteSinkhornOutputs<double> { EntropicValue = costs.AsSpan(0, 1) }));
        Names("outputs", () => DiscreteSinkhorn.Solve(A, B, M, 2, 3, 1, new DiscreteSinkhornOutputs<double> { Plan = plan, EntropicValue = plan.AsSpan(5, 1) }));
        float[] costsF = M.Select(v => (float)v).ToArray();
        Names("plan", () => DiscreteSinkhorn.Sinkhorn(new[] { .5f, .5f }, new[] { .25f, .25f, .5f }, costsF, 2, 3, 1, costsF));
        // Outputs apart from everything still run.
        var r = DiscreteSinkhorn.Sinkhorn(A, B, M, 2, 3, 1, plan);
        Assert.True(r.Converged);
    }

    [Fact]
    public void DiscreteBatch_OutputsOverlappingInputsOrEachOther_Throw()
    {
        const int batch = 2;
        double[] costs = M.Concat(M).ToArray(), a = A.Concat(A).ToArray(), b = B.Concat(B).ToArray();
        var results = new SinkhornResult[batch];
        double[] plans = new double[12];
        Names("plans", () => DiscreteSinkhorn.Batch(a, b, costs, batch, 2, 3, 1, results, new DiscreteSinkhornOutputs<double> { Plan = costs }));
        Names("f", () => DiscreteSinkhorn.Batch(a, b, costs, batch, 2, 3, 1, results, new DiscreteSinkhornOutputs<double> { PotentialF = a }));
        Names("g", () => DiscreteSinkhorn.Batch(a, b, costs, batch, 2, 3, 1, results,
            new DiscreteSinkhornOutputs<double> { Plan = plans, PotentialG = plans.AsSpan(6, 6) }));
        Names("entropic", () => DiscreteSinkhorn.Batch(a, b, costs, batch, 2, 3, 1, results,
            new DiscreteSinkhornOutputs<double> { EntropicValue = b.AsSpan(0, batch) }));
        Names("entropic", () => DiscreteSinkhorn.Batch(a, b, costs, batch, 2, 3, 1, results,
            new DiscreteSinkhornOutputs<double> { Plan = plans, EntropicValue = plans.AsSpan(10, batch) }));
        // The results are a struct array: memory of the same bytes as the costs or the plans is refused too.
        Names("results", () => DiscreteSinkhorn.Batch(a, b, costs, batch, 2, 3, 1, MemoryMarshal.Cast<double, SinkhornResult>(costs.AsSpan()).Slice(0, batch)));
        double[] store = new double[64];
        Names("results", () => DiscreteSinkhorn.Batch(a, b, costs, batch, 2, 3, 1, MemoryMarshal.Cast<double, SinkhornResult>(store.AsSpan()).Slice(0, batch),
            new DiscreteSinkhornOutputs<double> { Plan = store.AsSpan(0, 12) }));
        // Apart from everything, the batch runs.
        DiscreteSinkhorn.Batch(a, b, costs, batch, 2, 3, 1, results, new DiscreteSinkhornOutputs<double> { Plan = plans });
        Assert.All(results, r => Assert.True(r.Converged));
    }

    [Fact]
    public void Distillation_OutputsOverlappingTheLogitsOrEachOther_Throw()
    {
        double[] t = { 1, 0, -1, 0.5, 2, 0 }, s = { 0, 1, 0.3, -0.5, 0.2, 1 };
        Names("gradStudent", () => SinkhornDistillation.LossAndGradient(t, s, 2, 3, 1, 1, s, out _));
        Names("gradStudent", () => SinkhornDistillation.LossAndGradient(t, s, 2, 3, 1, 1, t, out _));
        Names("plan", () => SinkhornDistillation.LossAndGradient(t, s, 2, 3, 1, 1, default, out _, s.AsSpan(0, 4)));
        Names("plan", () => SinkhornDistillation.LossAndGradient(t, s, 2, 3, 1, 1, default, out _, t.AsSpan(2, 4)));
        double[] grad = new double[6];
        Names("plan", () => SinkhornDistillation.LossAndGradient(t, s, 2, 3, 1, 1, grad, out _, grad.AsSpan(1, 4)));
        // The float overloads: the plan (double) against float logits is checked byte for byte.
        float[] tf = t.Select(v => (float)v).ToArray(), sf = new float[8]; // 8 floats: the bytes of 4 doubles
        Names("plan", () => SinkhornDistillation.LossAndGradient(tf, sf.AsSpan(0, 6), 2, 3, 1, 1, default, out _, MemoryMarshal.Cast<float, double>(sf.AsSpan())));
    }

    [Fact]
    public void Distillation_ABatchTooLargeForItsBTimesBMatrices_NamesTheBatch()
    {
        // 2 B² values for the cost matrix and the plan: past Array.MaxLength at B = 40,000 (the logits themselves are small).
        const int batch = 40_000;
        float[] t = new float[batch], s = new float[batch];
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => SinkhornDistillation.Loss(t, s, batch, 1, 1, 1));
        Assert.Equal("batch", e.ParamName);
    }
}
