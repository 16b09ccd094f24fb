using System.Text.Json;
using KernelDsl.Runtime.Gpu;
using KernelDsl.Runtime.Tests.Pairs;
using static KernelDsl.Runtime.Tests.Catalogue.Reference;

namespace KernelDsl.Runtime.Tests.Gpu.Pairs;

/// <summary>
/// The Gaussian MMD² on device views (<see cref="GpuGaussianMmd"/>, ILGPU's CPU accelerator) against SciPy float64
/// references (tests/reference/mmd2_gaussian.json.gz, analytic gradients; the Gaussian cases of
/// tests/reference/samples/mmd2_kernels.json.gz, weighted too) and against the CPU <see cref="GaussianMmd"/>.
/// Bounds as the CPU's reference tests: double 1e-12 relative plus 1e-15 absolute (values), 1e-12 relative plus 1e-14 of
/// the largest component (gradients); float 2e-5 of the scale of the three means (values), 1e-4 of the largest component
/// (gradients).
/// </summary>
public class GpuGaussianMmdTests : IClassFixture<GpuFixture>
{
    private readonly KernelDevice _device;

    public GpuGaussianMmdTests(GpuFixture fixture) => _device = fixture.Device;

    [Fact]
    public void Double_MatchesMmd2Gaussian_ValuesAndAnalyticGradients()
    {
        var cases = Cases("mmd2_gaussian");
        Assert.Equal(12, cases.Count);
        using var dev = new DeviceArrays(_device);
        foreach (var c in cases)
        {
            string name = c.GetProperty("name").GetString()!;
            int d = c.GetProperty("d").GetInt32();
            double sigma = Param(c, "sigma");
            var (x, y) = (dev.Up(Array(c, "x")), dev.Up(Array(c, "y")));
            Close(c.GetProperty("biased").GetDouble(), GpuGaussianMmd.Value(_device, x, y, d, sigma, MmdEstimator.Biased), 1e-12, 1e-15, name + " biased");
            Close(c.GetProperty("unbiased").GetDouble(), GpuGaussianMmd.Value(_device, x, y, d, sigma, MmdEstimator.Unbiased), 1e-12, 1e-15, name + " unbiased");
            var g = dev.Out<double>((int)x.Length);
            double v = GpuGaussianMmd.ValueAndGradient(_device, x, y, d, sigma, MmdEstimator.Biased, g);
            Close(c.GetProperty("biased").GetDouble(), v, 1e-12, 1e-15, name + " biased (with gradient)");
            double[] expected = Array(c, "grad_x_biased"), got = dev.Down(g);
            double scale = expected.Max(Math.Abs);
            for (int i = 0; i < got.Length; i++) Close(expected[i], got[i], 1e-12, 1e-14 * scale, $"{name} grad_x[{i}]");
        }
    }

    [Fact]
    public void Double_MatchesMmd2Kernels_GaussianCases_BiasedWeightedUnbiased()
    {
        int count = 0;
        using var dev = new DeviceArrays(_device);
        foreach (var c in Cases("samples/mmd2_kernels").Where(c => c.GetProperty("kernel").GetString() == "gaussian"))
        {
            count++;
            string name = c.GetProperty("name").GetString()!;
            int d = c.GetProperty("d").GetInt32();
            double s = Param(c, "s");
            var (x, y, a, b) = (dev.Up(Array(c, "x")), dev.Up(Array(c, "y")), dev.Up(Array(c, "a")), dev.Up(Array(c, "b")));
            Close(c.GetProperty("biased").GetDouble(), GpuGaussianMmd.Value(_device, x, y, d, s, MmdEstimator.Biased), 1e-12, 1e-15, name + " biased");
            Close(c.GetProperty("weighted").GetDouble(), GpuGaussianMmd.Value(_device, x, y, d, s, MmdEstimator.Weighted, a, b), 1e-12, 1e-15, name + " weighted");
            double unbiased = GpuGaussianMmd.Value(_device, x, y, d, s, MmdEstimator.Unbiased);
            if (c.GetProperty("unbiased").ValueKind == JsonValueKind.Null) Assert.True(double.IsNaN(unbiased), name + ": unbiased needs n, m >= 2");
            else Close(c.GetProperty("unbiased").GetDouble(), unbiased, 1e-12, 1e-15, name + " unbiased");
            var g = dev.Out<double>((int)x.Length);
            double v = GpuGaussianMmd.ValueAndGradient(_device, x, y, d, s, MmdEstimator.Weighted, g, a, b);
            Close(c.GetProperty("weighted").GetDouble(), v, 1e-12, 1e-15, name + " weighted (with gradient)");
            if (!Has(c, "grad_x_weighted")) continue;
            double[] expected = Array(c, "grad_x_weighted"), got = dev.Down(g);
            for (int i = 0; i < got.Length; i++) Close(expected[i], got[i], 1e-7, 1e-8, $"{name} grad_x_weighted[{i}] (reference by central differences)");
        }
        Assert.Equal(12, count);
    }

    [Theory]
    [InlineData(MmdEstimator.Biased)]
    [InlineData(MmdEstimator.Unbiased)]
    [InlineData(MmdEstimator.Weighted)]
    public void MatchesTheCpuGaussianMmd_DoubleAndFloat(MmdEstimator estimator)
    {
        const int n = 90, m = 61, d = 4;
        double[] x = PairOracle.Normal(n * d, 21), y = PairOracle.Normal(m * d, 22);
        for (int i = 0; i < y.Length; i++) y[i] += 0.4;
        bool weighted = estimator == MmdEstimator.Weighted;
        double[] a = weighted ? PairOracle.Positive(n, 23) : System.Array.Empty<double>(), b = weighted ? PairOracle.Positive(m, 24) : System.Array.Empty<double>();
        double sigma = 1.1;
        using var dev = new DeviceArrays(_device);

        var gd = dev.Out<double>(n * d);
        var cpu = new double[n * d];
        double expected = GaussianMmd.ValueAndGradient(x, y, d, sigma, estimator, cpu, a, b);
        double value = GpuGaussianMmd.ValueAndGradient(_device, dev.Up(x), dev.Up(y), d, sigma, estimator, gd, dev.Up(a), dev.Up(b));
        // The three sums are of order n², m², n m: their rounding, 1e-16 of each, is the scale of the error.
        var k = PairOracle.Gaussian(sigma);
        double scale = Scale(k, x, y, a, b, d, estimator);
        Close(expected, value, 0, 1e-12 * scale, "double value (with gradient)");
        Close(GaussianMmd.Value(x, y, d, sigma, estimator, a, b), GpuGaussianMmd.Value(_device, dev.Up(x), dev.Up(y), d, sigma, estimator, dev.Up(a), dev.Up(b)), 0, 1e-12 * scale, "double value");
        double[] got = dev.Down(gd);
        double gscale = cpu.Max(Math.Abs);
        for (int i = 0; i < got.Length; i++) Close(cpu[i], got[i], 0, 1e-12 * gscale, $"double grad[{i}]");

        float[] xf = PairOracle.ToFloat(x), yf = PairOracle.ToFloat(y), af = PairOracle.ToFloat(a), bf = PairOracle.ToFloat(b);
        var gf = dev.Out<float>(n * d);
        var cpuF = new float[n * d];
        double expectedF = GaussianMmd.ValueAndGradient(xf, yf, d, sigma, estimator, cpuF, af, bf);
        double valueF = GpuGaussianMmd.ValueAndGradient(_device, dev.Up(xf), dev.Up(yf), d, sigma, estimator, gf, dev.Up(af), dev.Up(bf));
        Close(expectedF, valueF, 0, 4e-5 * scale, "float value (with gradient)");
        float[] gotF = dev.Down(gf);
        double gscaleF = cpuF.Max(v => Math.Abs((double)v));
        for (int i = 0; i < gotF.Length; i++) Close(cpuF[i], gotF[i], 0, 1e-4 * gscaleF, $"float grad[{i}]");
    }

    /// <summary>mean|Kxx| + mean|Kyy| + 2 mean|Kxy| with the estimator's coefficients: the scale of the rounding of an MMD².</summary>
    private static double Scale(PairOracle.Term k, double[] x, double[] y, double[] a, double[] b, int d, MmdEstimator estimator)
    {
        int n = x.Length / d, m = y.Length / d;
        double[]? wa = a.Length > 0 ? a : null, wb = b.Length > 0 ? b : null;
        return estimator switch
        {
            MmdEstimator.Weighted => PairOracle.SelfSum(k, x, wa, d, true).Abs + PairOracle.SelfSum(k, y, wb, d, true).Abs + 2 * PairOracle.Sum(k, x, wa, y, wb, d).Abs,
            _ => PairOracle.SelfSum(k, x, null, d, true).Abs / ((double)n * n) + PairOracle.SelfSum(k, y, null, d, true).Abs / ((double)m * m)
                 + 2 * PairOracle.Sum(k, x, null, y, null, d).Abs / ((double)n * m),
        };
    }
}
