using KernelDsl.Runtime.Gpu;
using KernelDsl.Runtime.Tests.Catalogue;
using KernelDsl.Runtime.Tests.Gpu.Pairs;
using KernelDsl.Runtime.Tests.Pairs;
using GpuCat = KernelDsl.Gpu.Catalogue;

namespace KernelDsl.Runtime.Tests.Gpu.Transport;

/// <summary>
/// The GPU Sinkhorn solver (<see cref="GpuSinkhornSweep"/>, with the cost |x - y|²/2 of <see cref="GpuHalfSquaredCost{T}"/>)
/// on ILGPU's CPU accelerator: against the CPU solver (<see cref="SinkhornSweep"/>, the same scheme) step for step — the
/// same iteration count and convergence, the value to a relative 1e-12 and potentials and gradients to 1e-10 of their
/// largest component in double (the softmin sweeps differ by rounding only); float within its bound; a run that cannot
/// converge in its budget says so, empty weights being uniform; argument checks. Through the user's entry, the Gpu
/// catalogue's SinkhornDivergence: the closed form of one Dirac on each side and the same bits on every run (the reference
/// sinkhorn_divergence cases are in <see cref="GpuTransportCatalogueTests"/>).
/// </summary>
public class GpuSinkhornTests : IClassFixture<GpuFixture>
{
    private static readonly SinkhornOptions Tight = new() { Tolerance = 1e-13, MaxIterations = 100_000 };
    private readonly KernelDevice _device;

    public GpuSinkhornTests(GpuFixture fixture) => _device = fixture.Device;

    private static (double[] X, double[] A, double[] Y, double[] B) Clouds(int n, int m, int d, int seed)
    {
        double[] x = PairOracle.Normal(n * d, seed), y = PairOracle.Normal(m * d, seed + 1).Select(v => 0.7 * v + 0.5).ToArray();
        double[] a = PairOracle.Positive(n, seed + 2), b = PairOracle.Positive(m, seed + 3);
        double sa = a.Sum(), sb = b.Sum();
        return (x, a.Select(v => v / sa).ToArray(), y, b.Select(v => v / sb).ToArray());
    }

    private static void Near(double[] want, double[] got, double rel, string what)
    {
        double scale = want.Max(Math.Abs);
        for (int k = 0; k < want.Length; k++) Reference.Close(want[k], got[k], 0, rel * scale + 1e-300, $"{what}[{k}]");
    }

    [Theory]
    [InlineData(40, 55, 3, 0.1, true)]
    [InlineData(40, 55, 3, 0.1, false)]
    [InlineData(1, 7, 2, 0.5, true)]
    [InlineData(150, 20, 1, 0.1, true)]
    public void MatchesTheCpuSolver_StepForStep(int n, int m, int d, double eps, bool debias)
    {
        var (x, a, y, b) = Clouds(n, m, d, 17 * n + m);
        var cpu = (gx: new double[n * d], gy: new double[m * d], ga: new double[n], gb: new double[m], f: new double[n], g: new double[m]);
        var want = SinkhornSweep.Solve(new HalfSquaredDistance<double>(), x, a, y, b, d, eps, debias, null,
            new SinkhornOutputs<double> { GradX = cpu.gx, GradY = cpu.gy, GradA = cpu.ga, GradB = cpu.gb, PotentialF = cpu.f, PotentialG = cpu.g });

        using var dev = new DeviceArrays(_device);
        var outputs = new GpuSinkhornOutputs<double>
        {
            GradX = dev.Out<double>(n * d), GradY = dev.Out<double>(m * d), GradA = dev.Out<double>(n), GradB = dev.Out<double>(m),
            PotentialF = dev.Out<double>(n), PotentialG = dev.Out<double>(m),
        };
        var got = GpuSinkhornSweep.Solve(_device, new GpuHalfSquaredCost<double>(), dev.Up(x), dev.Up(a), dev.Up(y), dev.Up(b), d, eps, debias, null, in outputs);
        Assert.True(want.Converged);
        Assert.Equal(want.Converged, got.Converged);
        Assert.Equal(want.Iterations, got.Iterations);
        Assert.Equal(eps, got.Epsilon);
        Reference.Close(want.Value, got.Value, 1e-12, 1e-15, "value");
        Reference.Close(want.MarginalError, got.MarginalError, 1e-3, 1e-12, "marginal error");
        Near(cpu.gx, dev.Down(outputs.GradX), 1e-10, "grad_x");
        Near(cpu.gy, dev.Down(outputs.GradY), 1e-10, "grad_y");
        Near(cpu.ga, dev.Down(outputs.GradA), 1e-10, "grad_a");
        Near(cpu.gb, dev.Down(outputs.GradB), 1e-10, "grad_b");
        Near(cpu.f, dev.Down(outputs.PotentialF), 1e-10, "f");
        Near(cpu.g, dev.Down(outputs.PotentialG), 1e-10, "g");

        // The plan applied lazily: the barycentric map and a payload, from the potential g.
        var bary = new double[n * d];
        SinkhornSweep.BarycentricMap(new HalfSquaredDistance<double>(), x, a, y, b, d, eps, cpu.g, bary);
        var baryGpu = dev.Out<double>(n * d);
        GpuSinkhornSweep.BarycentricMap(_device, new GpuHalfSquaredCost<double>(), dev.Up(x), dev.Up(a), dev.Up(y), dev.Up(b), d, eps, dev.Up(cpu.g), baryGpu);
        Near(bary, dev.Down(baryGpu), 1e-12, "barycentric map");
        var v = PairOracle.Normal(m * 2, 5);
        var plan = new double[n * 2];
        SinkhornSweep.ApplyPlan(new HalfSquaredDistance<double>(), x, a, y, b, d, eps, cpu.g, v, 2, plan);
        var planGpu = dev.Out<double>(n * 2);
        GpuSinkhornSweep.ApplyPlan(_device, new GpuHalfSquaredCost<double>(), dev.Up(x), dev.Up(a), dev.Up(y), dev.Up(b), d, eps, dev.Up(cpu.g), dev.Up(v), 2, planGpu);
        Near(plan, dev.Down(planGpu), 1e-12, "plan · v");
    }

    [Fact]
    public void Float_IsWithinItsBoundOfTheDoubleSolve()
    {
        // float: the potentials carry about 1e-7 relative rounding per update, and a float solve stops at a marginal error
        // of 1e-5 (the default tolerance): the divergence is within 2e-5 relative of the double solve and of the CPU's
        // float solve, the gradients within 5e-4 of their largest component.
        const int n = 50, m = 60, d = 3;
        const double eps = 0.1;
        var (x, a, y, b) = Clouds(n, m, d, 3);
        var gx = new double[n * d];
        var want = SinkhornSweep.Solve(new HalfSquaredDistance<double>(), x, a, y, b, d, eps, true, null, new SinkhornOutputs<double> { GradX = gx });
        float[] xf = PairOracle.ToFloat(x), af = PairOracle.ToFloat(a), yf = PairOracle.ToFloat(y), bf = PairOracle.ToFloat(b);
        using var dev = new DeviceArrays(_device);
        var gradView = dev.Out<float>(n * d);
        SinkhornOptions? options = null;
        var got = GpuSinkhornSweep.Solve(_device, new GpuHalfSquaredCost<float>(), dev.Up(xf), dev.Up(af), dev.Up(yf), dev.Up(bf), d, eps, true, options,
            new GpuSinkhornOutputs<float> { GradX = gradView });
        var gxf = dev.Down(gradView);
        Assert.True(got.Converged);
        Reference.Close(want.Value, got.Value, 2e-5, 1e-7, "float value vs double");
        var cpuF = SinkhornSweep.Solve(new HalfSquaredDistance<float>(), xf, af, yf, bf, d, eps, true, options, default);
        Reference.Close(cpuF.Value, got.Value, 2e-5, 1e-7, "float value vs the CPU's float");
        Near(gx, gxf.Select(v => (double)v).ToArray(), 5e-4, "float grad_x");
    }

    [Theory]
    [InlineData(1e-4)]
    [InlineData(1.0)]
    [InlineData(100.0)]
    public void OneDiracEachSide_IsHalfTheSquaredDistance(double eps)
    {
        double[] x = [0.3, -1.2, 2.0], y = [1.1, 0.4, -0.5];
        double want = 0.5 * ((0.3 - 1.1) * (0.3 - 1.1) + (-1.2 - 0.4) * (-1.2 - 0.4) + (2.0 + 0.5) * (2.0 + 0.5));
        var (gx, gy) = (new double[3], new double[3]);
        double[] one = [1.0];
        var r = GpuCat.SinkhornDivergence.Gpu.ValueAndGradient(_device, x, one, y, one, 3, gx, gy, Math.Sqrt(eps)); // ε = blur²
        Assert.True(r.Converged);
        Reference.Close(want, r.Value, 1e-13, 1e-13, $"S at ε = {eps}");
        for (int k = 0; k < 3; k++)
        {
            Reference.Close(x[k] - y[k], gx[k], 1e-12, 1e-12, "grad_x");
            Reference.Close(y[k] - x[k], gy[k], 1e-12, 1e-12, "grad_y");
        }
    }

    [Fact]
    public void ARunThatCannotConverge_SaysSo_OrThrows()
    {
        // Empty weights: uniform 1/n, 1/m, as the catalogue class given them explicitly (ε = 0.25² exactly, the same schedule).
        var (x, _, y, _) = Clouds(30, 30, 2, 9);
        var budget = new SinkhornOptions { MaxIterations = 3, Tolerance = 1e-12 };
        using var dev = new DeviceArrays(_device);
        var (xv, yv) = (dev.Up(x), dev.Up(y));
        var cost = new GpuHalfSquaredCost<double>();
        var r = GpuSinkhornSweep.Solve(_device, in cost, xv, default, yv, default, 2, 0.0625, true, budget, default);
        Assert.False(r.Converged);
        Assert.Equal(3, r.Iterations);
        Assert.True(r.MarginalError > 1e-12);
        Assert.Throws<SinkhornNotConvergedException>(() => r.ConvergedValue);
        var thrown = Assert.Throws<SinkhornNotConvergedException>(() => GpuSinkhornSweep.Solve(_device, in cost, xv, default, yv, default, 2, 0.0625, true,
            new SinkhornOptions { MaxIterations = 3, Tolerance = 1e-12, ThrowIfNotConverged = true }, default));
        Assert.Equal(r.Value, thrown.Result.Value);
        var uniform = dev.Up(Enumerable.Repeat(1.0 / 30, 30).ToArray());
        var explicitWeights = GpuCat.SinkhornDivergence.Gpu.Value(_device, xv, uniform, yv, uniform, 2, 0.25, budget);
        Assert.False(explicitWeights.Converged);
        Assert.Equal(r.Iterations, explicitWeights.Iterations);
        Reference.Close(r.Value, explicitWeights.Value, 1e-12, 1e-15, "empty weights vs uniform ones");
    }

    [Fact]
    public void SameBits_OnRepeatedRuns()
    {
        var (x, a, y, b) = Clouds(70, 45, 3, 21);
        var (g1, g2) = (new double[70 * 3], new double[70 * 3]);
        var budget = new SinkhornOptions { MaxIterations = 25 };
        double blur = Math.Sqrt(0.05);
        var r1 = GpuCat.SinkhornDivergence.Gpu.ValueAndGradient(_device, x, a, y, b, 3, g1, default, blur, budget);
        var r2 = GpuCat.SinkhornDivergence.Gpu.ValueAndGradient(_device, x, a, y, b, 3, g2, default, blur, budget);
        Assert.Equal(BitConverter.DoubleToInt64Bits(r1.Value), BitConverter.DoubleToInt64Bits(r2.Value));
        Assert.Equal(r1.Iterations, r2.Iterations);
        Assert.Equal(g1, g2);
    }

    [Fact]
    public void BadArguments_AreRefused()
    {
        using var dev = new DeviceArrays(_device);
        var x = dev.Up(new double[] { 0, 1, 2, 3 });
        var y = dev.Up(new double[] { 1, 2, 3, 4, 5, 6 });
        var cost = new GpuHalfSquaredCost<double>();
        Assert.Throws<ArgumentException>(() => GpuSinkhornSweep.Solve(_device, in cost, x, dev.Up(new[] { 0.5, 0.5 }), y, dev.Up(new[] { 0.2, 0.2, 0.2 }), 2, 1.0, true, null, default)); // masses 1 and 0.6
        Assert.Throws<ArgumentException>(() => GpuSinkhornSweep.Solve(_device, in cost, x, dev.Up(new[] { 1.5, -0.5 }), y, default, 2, 1.0, true, null, default)); // a negative weight
        Assert.Throws<ArgumentOutOfRangeException>(() => GpuSinkhornSweep.Solve(_device, in cost, x, default, y, default, 2, 0.0, true, null, default));
        Assert.Throws<ArgumentException>(() => GpuSinkhornSweep.Solve(_device, in cost, x, default, y, default, 2, 1.0, true, null,
            new GpuSinkhornOutputs<double> { GradX = dev.Out<double>(3) })); // 3 ≠ 2 × 2
        Assert.Throws<ArgumentException>(() => GpuSinkhornSweep.Solve(_device, in cost, x, default, y, default, 2, 1.0, true, null,
            new GpuSinkhornOutputs<double> { GradX = x })); // over an input
        Assert.Throws<ArgumentException>(() => GpuSinkhornSweep.Solve(_device, in cost, x, default, default, default, 2, 1.0, true, null, default)); // empty y
        // The plan: g one per point of y, the payload p values per point of y, the output p per point of x.
        var g = dev.Up(new double[3]);
        Assert.Equal("payload", Assert.Throws<ArgumentException>(() =>
            GpuSinkhornSweep.ApplyPlan(_device, in cost, x, default, y, default, 2, 1.0, g, dev.Up(new double[5]), 2, dev.Out<double>(4))).ParamName); // 5 ≠ 3 × 2
        Assert.Equal("g", Assert.Throws<ArgumentException>(() =>
            GpuSinkhornSweep.ApplyPlan(_device, in cost, x, default, y, default, 2, 1.0, dev.Up(new double[2]), dev.Up(new double[6]), 2, dev.Out<double>(4))).ParamName);
        Assert.Equal("p", Assert.Throws<ArgumentOutOfRangeException>(() =>
            GpuSinkhornSweep.ApplyPlan(_device, in cost, x, default, y, default, 2, 1.0, g, dev.Up(new double[3]), 0, dev.Out<double>(2))).ParamName);
        Assert.Equal("output", Assert.Throws<ArgumentException>(() =>
            GpuSinkhornSweep.ApplyPlan(_device, in cost, x, default, y, default, 2, 1.0, g, dev.Up(new double[6]), 2, dev.Out<double>(3))).ParamName); // 3 ≠ 2 × 2
    }
}
