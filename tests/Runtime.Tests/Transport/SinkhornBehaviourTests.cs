using KernelDsl.Runtime.Tests.Catalogue;
using KernelDsl.Runtime.Tests.Pairs;

namespace KernelDsl.Runtime.Tests.Transport;

/// <summary>
/// How SinkhornSweep behaves around the numbers: float within a stated bound of double; the same bits at 1, 2 and 16
/// threads; convergence reported (and a run that cannot converge in its budget saying so, or throwing when asked);
/// argument errors that name the argument.
/// </summary>
[Collection(nameof(ParallelismCollection))]
public class SinkhornBehaviourTests
{
    private static (double[] X, double[] Y) Clouds(int n, int m, int d, int seed) =>
        (PairOracle.Normal(n * d, seed), PairOracle.Normal(m * d, seed + 1).Select(v => 0.7 * v + 0.4).ToArray());

    /// <summary>
    /// Float against double, both converged to a tolerance of 1e-5: the value within a relative 1e-4, each
    /// gradient coordinate within 1e-3 of the largest. The float potentials carry rounding of |g / ε| (up to ~10³ here) in
    /// their exponents, about 1e-4 relative in the plan.
    /// </summary>
    [Theory]
    [InlineData(true, 0.05)]
    [InlineData(false, 0.02)]
    public void Float_IsWithinTheStatedBoundOfDouble(bool debias, double eps)
    {
        int n = 120, m = 90, d = 3;
        var (x, y) = Clouds(n, m, d, 3);
        double[] gx = new double[n * d], gy = new double[m * d];
        float[] gxf = new float[n * d], gyf = new float[m * d];
        var options = new SinkhornOptions { MaxIterations = 20_000, Tolerance = 1e-5 };
        var rd = SinkhornSweep.Solve(new HalfSquaredDistance<double>(), x, default, y, default, d, eps, debias, options, new SinkhornOutputs<double> { GradX = gx, GradY = gy });
        var rf = SinkhornSweep.Solve(new HalfSquaredDistance<float>(), PairOracle.ToFloat(x), default, PairOracle.ToFloat(y), default, d, eps, debias, options,
            new SinkhornOutputs<float> { GradX = gxf, GradY = gyf });
        Assert.True(rd.Converged && rf.Converged, $"double {rd.MarginalError}, float {rf.MarginalError}");
        Reference.Close(rd.Value, rf.Value, 1e-4, 1e-6, "float value");
        double sx = gx.Max(Math.Abs), sy = gy.Max(Math.Abs);
        for (int k = 0; k < gx.Length; k++) Reference.Close(gx[k], gxf[k], 0, 1e-3 * sx, $"float grad_x[{k}]");
        for (int k = 0; k < gy.Length; k++) Reference.Close(gy[k], gyf[k], 0, 1e-3 * sy, $"float grad_y[{k}]");
    }

    [Fact]
    public void SameBits_At1_2And16Threads()
    {
        int n = 300, m = 260, d = 3;
        var (x, y) = Clouds(n, m, d, 9);
        float[] xf = PairOracle.ToFloat(x), yf = PairOracle.ToFloat(y);
        int old = KernelSettings.MaxDegreeOfParallelism;
        var runs = new List<(double V, double[] G, float Vf, float[] Gf)>();
        try
        {
            foreach (int threads in new[] { 1, 2, 16 })
            {
                KernelSettings.MaxDegreeOfParallelism = threads;
                double[] g = new double[n * d + m * d + n + m];
                float[] gf = new float[n * d + m * d + n + m];
                var r = SinkhornSweep.Solve(new HalfSquaredDistance<double>(), x, default, y, default, d, 0.05, true, null, Outputs(g.AsSpan(), n, m, d));
                var rf = SinkhornSweep.Solve(new HalfSquaredDistance<float>(), xf, default, yf, default, d, 0.05, true, null, Outputs(gf.AsSpan(), n, m, d));
                runs.Add((r.Value, g, (float)rf.Value, gf));
            }
        }
        finally
        {
            KernelSettings.MaxDegreeOfParallelism = old;
        }
        foreach (var run in runs.Skip(1))
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(runs[0].V), BitConverter.DoubleToInt64Bits(run.V));
            Assert.Equal(runs[0].G, run.G);
            Assert.Equal(BitConverter.SingleToInt32Bits(runs[0].Vf), BitConverter.SingleToInt32Bits(run.Vf));
            Assert.Equal(runs[0].Gf, run.Gf);
        }
    }

    private static SinkhornOutputs<T> Outputs<T>(Span<T> all, int n, int m, int d) where T : unmanaged => new()
    {
        GradX = all.Slice(0, n * d),
        GradY = all.Slice(n * d, m * d),
        GradA = all.Slice(n * d + m * d, n),
        GradB = all.Slice(n * d + m * d + n, m),
    };

    [Fact]
    public void Converged_ReportsItsErrorWithinTheTolerance_AndTheTargetEpsilon()
    {
        var (x, y) = Clouds(40, 30, 2, 4);
        var options = new SinkhornOptions { Tolerance = 1e-8 };
        var r = SinkhornSweep.Solve(new HalfSquaredDistance<double>(), x, default, y, default, 2, 0.05, true, options, default);
        Assert.True(r.Converged);
        Assert.True(r.MarginalError <= 1e-8, r.MarginalError.ToString());
        Assert.InRange(r.Iterations, 2, options.MaxIterations);
        Assert.Equal(0.05, r.Epsilon);
        Assert.Equal(r.Value, r.ConvergedValue);
    }

    [Fact]
    public void ABudgetTooSmall_ReportsNotConverged_AndThrowsWhenAsked()
    {
        var (x, y) = Clouds(60, 50, 2, 5);
        var options = new SinkhornOptions { MaxIterations = 3 };
        var r = SinkhornSweep.Solve(new HalfSquaredDistance<double>(), x, default, y, default, 2, 1e-4, true, options, default);
        Assert.False(r.Converged);
        Assert.Equal(3, r.Iterations);
        Assert.True(r.MarginalError > options.Tolerance);
        Assert.True(double.IsFinite(r.Value));
        Assert.Throws<SinkhornNotConvergedException>(() => r.ConvergedValue);
        // A log line or a debugger prints the result: its ToString must not go through the throwing ConvergedValue.
        string text = r.ToString();
        Assert.Contains("Converged = False", text, StringComparison.Ordinal);
        Assert.Contains("Iterations = 3", text, StringComparison.Ordinal);
        var e = Assert.Throws<SinkhornNotConvergedException>(() => SinkhornSweep.Solve(new HalfSquaredDistance<double>(), x, default, y, default, 2, 1e-4, true,
            new SinkhornOptions { MaxIterations = 3, ThrowIfNotConverged = true }, default));
        Assert.False(e.Result.Converged);
        Assert.Equal(3, e.Result.Iterations);
    }

    [Fact]
    public void BadArguments_ThrowNamingThem()
    {
        double[] x = [0, 1, 2, 3], y = [1, 1, 2, 2, 3, 3], a = [0.5, 0.5], b = [0.2, 0.3, 0.5];
        var cost = new HalfSquaredDistance<double>();
        string Name(Action act) => Assert.ThrowsAny<ArgumentException>(act).ParamName!;
        SinkhornResult Solve(double[] xx, double[]? aa, double[] yy, double[]? bb, int d, double eps, SinkhornOutputs<double> o = default) =>
            SinkhornSweep.Solve(cost, xx, aa, yy, bb, d, eps, true, null, o);

        Assert.Equal("d", Name(() => Solve(x, a, y, b, 0, 1)));
        Assert.Equal("y", Name(() => Solve(x, a, [1, 2, 3], b, 2, 1)));
        Assert.Equal("x", Name(() => Solve([], null, y, b, 2, 1)));
        Assert.Equal("epsilon", Name(() => Solve(x, a, y, b, 2, 0)));
        Assert.Equal("epsilon", Name(() => Solve(x, a, y, b, 2, double.NaN)));
        Assert.Equal("epsilon", Name(() => Solve(x, a, y, b, 2, double.PositiveInfinity)));
        Assert.Equal("a", Name(() => Solve(x, [1.0], y, b, 2, 1)));
        Assert.Equal("a", Name(() => Solve(x, [1.5, -0.5], y, b, 2, 1)));
        Assert.Equal("b", Name(() => Solve(x, a, y, [0.2, double.NaN, 0.5], 2, 1)));
        Assert.Equal("b", Name(() => Solve(x, a, y, [0.2, 0.3, 0.6], 2, 1)));
        Assert.Equal("GradX", Name(() => Solve(x, a, y, b, 2, 1, new SinkhornOutputs<double> { GradX = new double[3] })));
        Assert.Equal("PotentialG", Name(() => Solve(x, a, y, b, 2, 1, new SinkhornOutputs<double> { PotentialG = new double[2] })));
        Assert.Equal("GradX", Name(() => Solve(x, a, y, b, 2, 1, new SinkhornOutputs<double> { GradX = x })));
        var shared = new double[4];
        Assert.Equal("GradA", Name(() => Solve(x, a, y, b, 2, 1, new SinkhornOutputs<double> { GradA = shared.AsSpan(0, 2), PotentialF = shared.AsSpan(1, 2) })));
        Assert.Equal("Scaling", Name(() => SinkhornSweep.Solve(cost, x, a, y, b, 2, 1, true, new SinkhornOptions { Scaling = 1 }, default)));
        Assert.Equal("MaxIterations", Name(() => SinkhornSweep.Solve(cost, x, a, y, b, 2, 1, true, new SinkhornOptions { MaxIterations = 0 }, default)));
        // float masses agree to a relative 1e-5
        float[] xf = [0, 1, 2, 3], yf = [1, 1, 2, 2, 3, 3];
        SinkhornSweep.Solve(new HalfSquaredDistance<float>(), xf, [0.5f, 0.5f], yf, [0.2f, 0.3f, 0.500001f], 2, 1, true, null, default);
        Assert.Equal("b", Name(() => SinkhornSweep.Solve(new HalfSquaredDistance<float>(), xf, [0.5f, 0.5f], yf, [0.2f, 0.3f, 0.5001f], 2, 1, true, null, default)));

        double[] g = new double[3], v = new double[6], output = new double[4];
        Assert.Equal("g", Name(() => SinkhornSweep.ApplyPlan(cost, x, a, y, b, 2, 1, new double[2], v, 2, output)));
        Assert.Equal("p", Name(() => SinkhornSweep.ApplyPlan(cost, x, a, y, b, 2, 1, g, v, 0, output)));
        Assert.Equal("v", Name(() => SinkhornSweep.ApplyPlan(cost, x, a, y, b, 2, 1, g, new double[5], 2, output)));
        Assert.Equal("output", Name(() => SinkhornSweep.ApplyPlan(cost, x, a, y, b, 2, 1, g, v, 2, new double[3])));
        Assert.Equal("output", Name(() => SinkhornSweep.ApplyPlan(cost, x, a, y, b, 2, 1, g, v, 2, x)));
        Assert.Equal("output", Name(() => SinkhornSweep.BarycentricMap(cost, x, a, y, b, 2, 1, g, new double[2])));
        Assert.Equal("epsilon", Name(() => SinkhornSweep.BarycentricMap(cost, x, a, y, b, 2, -1, g, output)));
    }
}
