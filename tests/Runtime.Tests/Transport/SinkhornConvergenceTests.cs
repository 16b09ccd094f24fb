using KernelDsl.Runtime.Tests.Catalogue;
using KernelDsl.Runtime.Tests.Pairs;

namespace KernelDsl.Runtime.Tests.Transport;

/// <summary>
/// The solver's convergence control: over-relaxed and plain updates reach the same fixed point (the reference values and
/// gradients, and the dense oracle's potentials); a run whose error stops falling reports a stall (float below its precision
/// floor; double, with the same settings, converges); the defaults converge on a realistic small case in float and
/// double, to a value within the stated bound of a tightly converged double run.
/// </summary>
public class SinkhornConvergenceTests
{
    public static IEnumerable<object[]> Names() => Reference.Cases("samples/sinkhorn_divergence").Select(c => new object[] { c.GetProperty("name").GetString()! });

    [Theory]
    [MemberData(nameof(Names))]
    public void PlainAndOverrelaxed_MatchTheReference(string name)
    {
        var c = Reference.Cases("samples/sinkhorn_divergence").Single(k => k.GetProperty("name").GetString() == name);
        int d = c.GetProperty("d").GetInt32();
        double[] x = Reference.Array(c, "x"), y = Reference.Array(c, "y"), a = Reference.Array(c, "a"), b = Reference.Array(c, "b");
        double eps = Reference.Param(c, "eps");
        double[] want = Reference.Array(c, "grad_x");
        foreach (double omega in new[] { 1.0, 1.5, 1.8 })
        {
            var options = new SinkhornOptions { Overrelaxation = omega, Tolerance = 1e-13, MaxIterations = 100_000, StallIterations = 0 };
            var gradX = new double[x.Length];
            var r = SinkhornSweep.Solve(new HalfSquaredDistance<double>(), x, a, y, b, d, eps, debias: true, options, new SinkhornOutputs<double> { GradX = gradX });
            Assert.True(r.Converged && !r.Stalled, $"{name} ω = {omega}: error {r.MarginalError} after {r.Iterations}");
            Reference.Close(c.GetProperty("value").GetDouble(), r.Value, 1e-9, 1e-15, $"{name} ω = {omega} value");
            for (int k = 0; k < want.Length; k++) Reference.Close(want[k], gradX[k], 0, 1e-7, $"{name} ω = {omega} grad_x[{k}]");
            var plain = SinkhornSweep.Solve(new HalfSquaredDistance<double>(), x, a, y, b, d, eps, debias: false, options, default);
            Assert.True(plain.Converged);
            Reference.Close(c.GetProperty("ot_ab").GetDouble(), plain.Value, 1e-9, 1e-15, $"{name} ω = {omega} ot_ab");
        }
    }

    /// <summary>Over-relaxation at a small ε (where it matters): the same potentials as the dense oracle, in fewer iterations.</summary>
    [Fact]
    public void Overrelaxed_ReachesTheDenseOraclesPotentials_InFewerIterations()
    {
        int n = 40, m = 35, d = 2;
        double eps = 0.01;
        double[] x = Uniform(n * d, 3), y = Gaussian(m * d, 4, 0.6, 0.2);
        double[] a = Enumerable.Repeat(1.0 / n, n).ToArray(), b = Enumerable.Repeat(1.0 / m, m).ToArray();
        var dense = DenseSinkhorn.Solve(DenseSinkhorn.Cost(x, y, d, DenseSinkhorn.HalfSquared), a, b, eps);
        var iterations = new List<int>();
        foreach (double omega in new[] { 1.0, 1.5 })
        {
            double[] f = new double[n], g = new double[m];
            var options = new SinkhornOptions { Overrelaxation = omega, Tolerance = 1e-12, MaxIterations = 100_000, StallIterations = 0 };
            var r = SinkhornSweep.Solve(new HalfSquaredDistance<double>(), x, default, y, default, d, eps, false, options,
                new SinkhornOutputs<double> { PotentialF = f, PotentialG = g });
            Assert.True(r.Converged, $"ω = {omega}: error {r.MarginalError}");
            Reference.Close(dense.Value, r.Value, 1e-10, 1e-12, $"ω = {omega} OT_ε");
            double k = Enumerable.Range(0, m).Average(j => dense.G[j] - g[j]);
            for (int i = 0; i < n; i++) Reference.Close(dense.F[i], f[i] - k, 1e-9, 1e-10, $"ω = {omega} f[{i}]");
            for (int j = 0; j < m; j++) Reference.Close(dense.G[j], g[j] + k, 1e-9, 1e-10, $"ω = {omega} g[{j}]");
            iterations.Add(r.Iterations);
        }
        Assert.True(iterations[1] < iterations[0], $"ω = 1.5: {iterations[1]} iterations, ω = 1: {iterations[0]}");
    }

    /// <summary>
    /// Below float's floor (the tolerance 1e-9 against a floor of order u · R / ε, u = 2^-24, R the cost's range): float
    /// stalls, stops well before its budget, says so (and its exception names the stall and float precision), with its
    /// error above the tolerance and within the documented bound; double, with the same settings, converges.
    /// </summary>
    [Fact]
    public void Float_StallsAboveItsFloor_AndDoubleConverges()
    {
        int n = 70, m = 60, d = 3;
        double blur = 0.1, eps = blur * blur;
        double[] x = Uniform(n * d, 5), y = Gaussian(m * d, 6, 0.6, 0.2);
        var options = new SinkhornOptions { Tolerance = 1e-9, MaxIterations = 5000 };
        var rd = SinkhornSweep.Solve(new HalfSquaredDistance<double>(), x, default, y, default, d, eps, true, options, default);
        Assert.True(rd.Converged && !rd.Stalled, $"double: error {rd.MarginalError} after {rd.Iterations}");
        Assert.True(rd.MarginalError <= 1e-9);

        var rf = SinkhornSweep.Solve(new HalfSquaredDistance<float>(), PairOracle.ToFloat(x), default, PairOracle.ToFloat(y), default, d, eps, true, options, default);
        Assert.True(rf.Stalled, $"float: error {rf.MarginalError} after {rf.Iterations}");
        Assert.False(rf.Converged);
        Assert.InRange(rf.Iterations, 2, 1000);
        double range = 0.0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
                range = Math.Max(range, 0.5 * Enumerable.Range(0, d).Sum(k => (x[i * d + k] - y[j * d + k]) * (x[i * d + k] - y[j * d + k])));
        double floor = Math.Pow(2, -24) * range / eps;
        Assert.InRange(rf.MarginalError, options.Tolerance, floor);

        var e = Assert.Throws<SinkhornNotConvergedException>(() => rf.ConvergedValue);
        Assert.Contains("stalled", e.Message);
        Assert.Contains("float precision", e.Message);
        Assert.True(e.Result.Stalled);
        // the value is still sound: within float's bound of double's
        Reference.Close(rd.Value, rf.Value, 1e-4, 1e-6, "float value");
    }

    [Fact]
    public void StallRuleOff_RunsToTheBudget_AndABudgetIsNotAStall()
    {
        int n = 30, m = 25, d = 2;
        double[] x = Uniform(n * d, 7), y = Gaussian(m * d, 8, 0.6, 0.2);
        var off = new SinkhornOptions { Tolerance = 1e-12, MaxIterations = 300, StallIterations = 0 };
        var r = SinkhornSweep.Solve(new HalfSquaredDistance<float>(), PairOracle.ToFloat(x), default, PairOracle.ToFloat(y), default, d, 0.01, false, off, default);
        Assert.False(r.Converged);
        Assert.False(r.Stalled);
        Assert.Equal(300, r.Iterations);
        var e = Assert.Throws<SinkhornNotConvergedException>(() => r.ConvergedValue);
        Assert.DoesNotContain("stalled", e.Message);
    }

    /// <summary>
    /// The defaults on a realistic small case (the clouds of the measurement at n = 500: x ~ U[0, 1]³,
    /// y ~ N(0.6, 0.2²)³, blur 0.05, ε = 0.0025): converged, not stalled, well inside the budget, in float and double; the
    /// value within a relative 1e-5 (double) and 1e-4 (float) of double converged to 1e-11, each gradient coordinate within
    /// 1e-2 of the largest.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Defaults_Converge_OnARealisticSmallCase(bool debias)
    {
        int n = 500, m = 500, d = 3;
        double eps = 0.05 * 0.05;
        double[] x = Uniform(n * d, 9), y = Gaussian(m * d, 10, 0.6, 0.2);
        var tight = new double[n * d];
        var reference = SinkhornSweep.Solve(new HalfSquaredDistance<double>(), x, default, y, default, d, eps, debias,
            new SinkhornOptions { Tolerance = 1e-11, MaxIterations = 100_000, StallIterations = 0 }, new SinkhornOutputs<double> { GradX = tight });
        Assert.True(reference.Converged);
        double scale = tight.Max(Math.Abs);

        var gd = new double[n * d];
        var rd = SinkhornSweep.Solve(new HalfSquaredDistance<double>(), x, default, y, default, d, eps, debias, null, new SinkhornOutputs<double> { GradX = gd });
        var gf = new float[n * d];
        var rf = SinkhornSweep.Solve(new HalfSquaredDistance<float>(), PairOracle.ToFloat(x), default, PairOracle.ToFloat(y), default, d, eps, debias, null,
            new SinkhornOutputs<float> { GradX = gf });
        foreach (var (r, label) in new[] { (rd, "double"), (rf, "float") })
        {
            Assert.True(r.Converged && !r.Stalled, $"{label}: error {r.MarginalError} after {r.Iterations}");
            Assert.True(r.MarginalError <= SinkhornOptions.Default.Tolerance);
            Assert.InRange(r.Iterations, 2, 200);
        }
        Reference.Close(reference.Value, rd.Value, 1e-5, 0, "double value");
        Reference.Close(reference.Value, rf.Value, 1e-4, 0, "float value");
        for (int k = 0; k < tight.Length; k++)
        {
            Reference.Close(tight[k], gd[k], 0, 1e-2 * scale, $"double grad_x[{k}]");
            Reference.Close(tight[k], gf[k], 0, 1e-2 * scale, $"float grad_x[{k}]");
        }
    }

    [Fact]
    public void BadConvergenceOptions_ThrowNamingThem()
    {
        double[] x = [0, 1, 2, 3], y = [1, 1, 2, 2, 3, 3];
        string Name(SinkhornOptions o) => Assert.ThrowsAny<ArgumentException>(() =>
            SinkhornSweep.Solve(new HalfSquaredDistance<double>(), x, default, y, default, 2, 1, true, o, default)).ParamName!;
        Assert.Equal("Overrelaxation", Name(new SinkhornOptions { Overrelaxation = 2 }));
        Assert.Equal("Overrelaxation", Name(new SinkhornOptions { Overrelaxation = 0.9 }));
        Assert.Equal("Overrelaxation", Name(new SinkhornOptions { Overrelaxation = double.NaN }));
        Assert.Equal("StallIterations", Name(new SinkhornOptions { StallIterations = -1 }));
    }

    private static double[] Uniform(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => random.NextDouble()).ToArray();
    }

    private static double[] Gaussian(int count, int seed, double mean, double sigma) =>
        PairOracle.Normal(count, seed).Select(v => mean + sigma * v).ToArray();
}
