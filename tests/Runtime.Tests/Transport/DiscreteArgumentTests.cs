using KernelDsl.Catalogue;

namespace KernelDsl.Runtime.Tests.Transport;

/// <summary>Bad input to <see cref="DiscreteSinkhorn"/>: each failure is an <see cref="ArgumentException"/> that names the argument.</summary>
public class DiscreteArgumentTests
{
    private static readonly double[] A = { .5, .5 }, B = { .25, .25, .5 }, M = { 0, 1, 2, 1, 0, 1 };

    private static void Names(string name, Action call) => Assert.Equal(name, Assert.ThrowsAny<ArgumentException>(call).ParamName);

    [Fact]
    public void Shapes_AreChecked()
    {
        Names("rows", () => DiscreteSinkhorn.Sinkhorn2(A, B, M, 0, 3, 1));
        Names("columns", () => DiscreteSinkhorn.Sinkhorn2(A, B, M, 2, 0, 1));
        Names("costs", () => DiscreteSinkhorn.Sinkhorn2(A, B, M.AsSpan(0, 5), 2, 3, 1));
        Names("a", () => DiscreteSinkhorn.Sinkhorn2(new[] { 1.0 }, B, M, 2, 3, 1));
        Names("b", () => DiscreteSinkhorn.Sinkhorn2(A, new[] { .5, .5 }, M, 2, 3, 1));
        Names("plan", () => DiscreteSinkhorn.Sinkhorn(A, B, M, 2, 3, 1, new double[5]));
        Names("plan", () => DiscreteSinkhorn.Sinkhorn(A, B, M, 2, 3, 1, Span<double>.Empty));
        Names("f", () => DiscreteSinkhorn.Solve(A, B, M, 2, 3, 1, new DiscreteSinkhornOutputs<double> { PotentialF = new double[3] }));
        Names("g", () => DiscreteSinkhorn.Solve(A, B, M, 2, 3, 1, new DiscreteSinkhornOutputs<double> { PotentialG = new double[2] }));
        Names("outputs", () => DiscreteSinkhorn.Solve(A, B, M, 2, 3, 1, new DiscreteSinkhornOutputs<double> { EntropicValue = new double[2] }));
    }

    [Fact]
    public void Weights_MustBeNonNegative_WithEqualPositiveSums()
    {
        Names("a", () => DiscreteSinkhorn.Sinkhorn2(new[] { 1.5, -.5 }, B, M, 2, 3, 1));
        Names("a", () => DiscreteSinkhorn.Sinkhorn2(new[] { double.NaN, 1 }, B, M, 2, 3, 1));
        Names("b", () => DiscreteSinkhorn.Sinkhorn2(A, new[] { 0, 0, 0.0 }, M, 2, 3, 1));
        Names("b", () => DiscreteSinkhorn.Sinkhorn2(A, new[] { .25, .25, .6 }, M, 2, 3, 1));
        Names("b", () => DiscreteSinkhorn.Sinkhorn2(new[] { .5f, .5f }, new[] { .3f, .3f, .3f }, new float[6], 2, 3, 1));
        // Zero weights are allowed: their rows (columns) of the plan are 0.
        var plan = new double[6];
        var r = DiscreteSinkhorn.Sinkhorn(new[] { 1.0, 0 }, B, M, 2, 3, 0.5, plan);
        Assert.True(r.Converged);
        Assert.Equal(new[] { .25, .25, .5 }, plan.Take(3).ToArray(), (x, y) => Math.Abs(x - y) < 1e-12);
        Assert.Equal(new double[3], plan.Skip(3).ToArray());
    }

    [Fact]
    public void RegAndCostsAndOptions_AreChecked()
    {
        Names("reg", () => DiscreteSinkhorn.Sinkhorn2(A, B, M, 2, 3, 0));
        Names("reg", () => DiscreteSinkhorn.Sinkhorn2(A, B, M, 2, 3, -1));
        Names("reg", () => DiscreteSinkhorn.Sinkhorn2(A, B, M, 2, 3, double.NaN));
        Names("reg", () => DiscreteSinkhorn.Sinkhorn2(A, B, M, 2, 3, double.PositiveInfinity));
        Names("costs", () => DiscreteSinkhorn.Sinkhorn2(A, B, new[] { 0, 1, double.NaN, 1, 0, 1 }, 2, 3, 1));
        Names("costs", () => DiscreteSinkhorn.Sinkhorn2(A, B, new[] { 0, 1, 2, 1, double.PositiveInfinity, 1 }, 2, 3, 1));
        Names("costs", () => DiscreteSinkhorn.Sinkhorn2(new[] { .5f, .5f }, default, new[] { 0, 1, 2, 1, 0, float.NaN }, 2, 3, 1));
        // Costs over reg past float's range (a column of them: the column cannot be reached): said so, naming reg.
        Names("reg", () => DiscreteSinkhorn.Sinkhorn2(new[] { .5f, .5f }, default, new[] { 0, 1, 3e38f, 1, 0, 3e38f }, 2, 3, 1e-3)); // a whole column past the range
        Names("MaxIterations", () => DiscreteSinkhorn.Sinkhorn2(A, B, M, 2, 3, 1, new SinkhornOptions { MaxIterations = 0 }));
        Names("Tolerance", () => DiscreteSinkhorn.Sinkhorn2(A, B, M, 2, 3, 1, new SinkhornOptions { Tolerance = -1 }));
    }

    [Fact]
    public void Batch_ChecksItsShapes_AndEachProblemsSums()
    {
        var results = new SinkhornResult[2];
        Names("batch", () => DiscreteSinkhorn.Batch(default, default, M, 0, 2, 3, 1, results));
        Names("costs", () => DiscreteSinkhorn.Batch(default, default, new double[9], 2, 2, 3, 1, results));
        Names("results", () => DiscreteSinkhorn.Batch(default, default, M, 2, 2, 3, 1, new SinkhornResult[1]));
        Names("a", () => DiscreteSinkhorn.Batch(A, default, M, 2, 2, 3, 1, results));
        Names("b", () => DiscreteSinkhorn.Batch(new[] { .5, .5, .5, .5 }, new[] { .5, .5, 0, .5, .25, 0 }, M, 2, 2, 3, 1, results));
        Names("plans", () => DiscreteSinkhorn.Batch(default, default, M, 2, 2, 3, 1, results, new DiscreteSinkhornOutputs<double> { Plan = new double[6] }));
        Names("entropic", () => DiscreteSinkhorn.Batch(default, default, M, 2, 2, 3, 1, results, new DiscreteSinkhornOutputs<double> { EntropicValue = new double[1] }));
    }
}
