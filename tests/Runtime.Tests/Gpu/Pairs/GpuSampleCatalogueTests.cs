using System.Reflection;
using ILGPU;
using ILGPU.Backends;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.OpenCL;
using ILGPU.Backends.PTX;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;
using KernelDsl.Runtime.Gpu;
using KernelDsl.Runtime.Tests.Pairs;
using CpuCat = KernelDsl.Catalogue;
using GpuCat = KernelDsl.Gpu.Catalogue;

namespace KernelDsl.Runtime.Tests.Gpu.Pairs;

/// <summary>A formula whose clouds' gradients have shares of three different pair terms: the later shares are added to the gradient view (accumulate).</summary>
[Loss("(x: points, y: points; s) => mean(exp(-sqdist(x, y) / s)) + mean(dist(x, x)) - mean(tanh(dot(x, y)))")]
public static partial class GpuThreeTermLoss;

/// <summary>
/// The generated Gpu classes of the sample catalogue (and of a formula with three pair terms) on ILGPU's CPU accelerator
/// against the generated CPU classes: value, value and gradient in every cloud, over views and over spans, at two sizes (one
/// column tile at d = 3; two tiles of 186 points at d = 11). Bounds: double, 1e-12 of the value (the data keep the values
/// away from 0) and 1e-12 of the largest gradient component; float, 2e-4 of (1 + |value|) and 2e-4 of the largest gradient
/// component: both sides round each pair term in float, the CPU adds float lanes within a tile where the GPU adds every
/// pair in double (the pair sweep's own float bound is 4e-5 of Σ|terms| per sum, and an MMD² adds three such means). Also:
/// at the smaller size, each gradient alone and the same bits on a second run; the span overloads; bad views; and the
/// generated terms' kernels compiled for PTX and OpenCL.
/// </summary>
public class GpuSampleCatalogueTests : IClassFixture<GpuFixture>
{
    private readonly KernelDevice _device;

    public GpuSampleCatalogueTests(GpuFixture fixture) => _device = fixture.Device;

    /// <summary>Host clouds: x (n × d), y (m × d), weights a and b, the parameter p.</summary>
    public sealed record Clouds<T>(T[] X, T[] Y, T[] A, T[] B, int D, double P);

    /// <summary>The same clouds on the device.</summary>
    public sealed record Views<T>(ArrayView<T> X, ArrayView<T> Y, ArrayView<T> A, ArrayView<T> B, int D, double P) where T : unmanaged;

    /// <summary>A CPU call: Value when dx is null, else ValueAndGradient.</summary>
    public delegate double CpuCall<T>(Clouds<T> c, T[]? dx, T[]? dy);

    /// <summary>A GPU call over views: Value when dx and dy are empty and <paramref name="gradient"/> is false.</summary>
    public delegate double GpuCall<T>(KernelDevice device, Views<T> v, ArrayView<T> dx, ArrayView<T> dy, bool gradient) where T : unmanaged;

    /// <summary>A GPU call over host spans (the copying overloads).</summary>
    public delegate double GpuSpanCall<T>(KernelDevice device, Clouds<T> c, T[]? dx, T[]? dy);

    private sealed record Case(string Name, CpuCall<double> CpuD, GpuCall<double> GpuD, CpuCall<float> CpuF, GpuCall<float> GpuF, GpuSpanCall<double> SpanD);

    private static readonly Dictionary<string, Case> Cases = new[]
    {
        new Case("GaussianMmd2",
            (c, dx, dy) => dx is null ? CpuCat.GaussianMmd2.Value(c.X, c.Y, c.D, c.P) : CpuCat.GaussianMmd2.ValueAndGradient(c.X, c.Y, c.D, dx, dy, c.P),
            (g, v, dx, dy, grad) => grad ? GpuCat.GaussianMmd2.Gpu.ValueAndGradient(g, v.X, v.Y, v.D, dx, dy, v.P) : GpuCat.GaussianMmd2.Gpu.Value(g, v.X, v.Y, v.D, v.P),
            (c, dx, dy) => dx is null ? CpuCat.GaussianMmd2.Value(c.X, c.Y, c.D, (float)c.P) : CpuCat.GaussianMmd2.ValueAndGradient(c.X, c.Y, c.D, dx, dy, (float)c.P),
            (g, v, dx, dy, grad) => grad ? GpuCat.GaussianMmd2.Gpu.ValueAndGradient(g, v.X, v.Y, v.D, dx, dy, (float)v.P) : GpuCat.GaussianMmd2.Gpu.Value(g, v.X, v.Y, v.D, (float)v.P),
            (g, c, dx, dy) => dx is null ? GpuCat.GaussianMmd2.Gpu.Value(g, c.X, c.Y, c.D, c.P) : GpuCat.GaussianMmd2.Gpu.ValueAndGradient(g, c.X, c.Y, c.D, dx, dy, c.P)),
        new Case("GaussianMmd2Unbiased",
            (c, dx, dy) => dx is null ? CpuCat.GaussianMmd2Unbiased.Value(c.X, c.Y, c.D, c.P) : CpuCat.GaussianMmd2Unbiased.ValueAndGradient(c.X, c.Y, c.D, dx, dy, c.P),
            (g, v, dx, dy, grad) => grad ? GpuCat.GaussianMmd2Unbiased.Gpu.ValueAndGradient(g, v.X, v.Y, v.D, dx, dy, v.P) : GpuCat.GaussianMmd2Unbiased.Gpu.Value(g, v.X, v.Y, v.D, v.P),
            (c, dx, dy) => dx is null ? CpuCat.GaussianMmd2Unbiased.Value(c.X, c.Y, c.D, (float)c.P) : CpuCat.GaussianMmd2Unbiased.ValueAndGradient(c.X, c.Y, c.D, dx, dy, (float)c.P),
            (g, v, dx, dy, grad) => grad ? GpuCat.GaussianMmd2Unbiased.Gpu.ValueAndGradient(g, v.X, v.Y, v.D, dx, dy, (float)v.P) : GpuCat.GaussianMmd2Unbiased.Gpu.Value(g, v.X, v.Y, v.D, (float)v.P),
            (g, c, dx, dy) => dx is null ? GpuCat.GaussianMmd2Unbiased.Gpu.Value(g, c.X, c.Y, c.D, c.P) : GpuCat.GaussianMmd2Unbiased.Gpu.ValueAndGradient(g, c.X, c.Y, c.D, dx, dy, c.P)),
        new Case("WeightedGaussianMmd2",
            (c, dx, dy) => dx is null ? CpuCat.WeightedGaussianMmd2.Value(c.X, c.A, c.Y, c.B, c.D, c.P) : CpuCat.WeightedGaussianMmd2.ValueAndGradient(c.X, c.A, c.Y, c.B, c.D, dx, dy, c.P),
            (g, v, dx, dy, grad) => grad ? GpuCat.WeightedGaussianMmd2.Gpu.ValueAndGradient(g, v.X, v.A, v.Y, v.B, v.D, dx, dy, v.P) : GpuCat.WeightedGaussianMmd2.Gpu.Value(g, v.X, v.A, v.Y, v.B, v.D, v.P),
            (c, dx, dy) => dx is null ? CpuCat.WeightedGaussianMmd2.Value(c.X, c.A, c.Y, c.B, c.D, (float)c.P) : CpuCat.WeightedGaussianMmd2.ValueAndGradient(c.X, c.A, c.Y, c.B, c.D, dx, dy, (float)c.P),
            (g, v, dx, dy, grad) => grad ? GpuCat.WeightedGaussianMmd2.Gpu.ValueAndGradient(g, v.X, v.A, v.Y, v.B, v.D, dx, dy, (float)v.P) : GpuCat.WeightedGaussianMmd2.Gpu.Value(g, v.X, v.A, v.Y, v.B, v.D, (float)v.P),
            (g, c, dx, dy) => dx is null ? GpuCat.WeightedGaussianMmd2.Gpu.Value(g, c.X, c.A, c.Y, c.B, c.D, c.P) : GpuCat.WeightedGaussianMmd2.Gpu.ValueAndGradient(g, c.X, c.A, c.Y, c.B, c.D, dx, dy, c.P)),
        new Case("LaplaceMmd2",
            (c, dx, dy) => dx is null ? CpuCat.LaplaceMmd2.Value(c.X, c.Y, c.D, c.P) : CpuCat.LaplaceMmd2.ValueAndGradient(c.X, c.Y, c.D, dx, dy, c.P),
            (g, v, dx, dy, grad) => grad ? GpuCat.LaplaceMmd2.Gpu.ValueAndGradient(g, v.X, v.Y, v.D, dx, dy, v.P) : GpuCat.LaplaceMmd2.Gpu.Value(g, v.X, v.Y, v.D, v.P),
            (c, dx, dy) => dx is null ? CpuCat.LaplaceMmd2.Value(c.X, c.Y, c.D, (float)c.P) : CpuCat.LaplaceMmd2.ValueAndGradient(c.X, c.Y, c.D, dx, dy, (float)c.P),
            (g, v, dx, dy, grad) => grad ? GpuCat.LaplaceMmd2.Gpu.ValueAndGradient(g, v.X, v.Y, v.D, dx, dy, (float)v.P) : GpuCat.LaplaceMmd2.Gpu.Value(g, v.X, v.Y, v.D, (float)v.P),
            (g, c, dx, dy) => dx is null ? GpuCat.LaplaceMmd2.Gpu.Value(g, c.X, c.Y, c.D, c.P) : GpuCat.LaplaceMmd2.Gpu.ValueAndGradient(g, c.X, c.Y, c.D, dx, dy, c.P)),
        new Case("InverseMultiquadricMmd2",
            (c, dx, dy) => dx is null ? CpuCat.InverseMultiquadricMmd2.Value(c.X, c.Y, c.D, c.P) : CpuCat.InverseMultiquadricMmd2.ValueAndGradient(c.X, c.Y, c.D, dx, dy, c.P),
            (g, v, dx, dy, grad) => grad ? GpuCat.InverseMultiquadricMmd2.Gpu.ValueAndGradient(g, v.X, v.Y, v.D, dx, dy, v.P) : GpuCat.InverseMultiquadricMmd2.Gpu.Value(g, v.X, v.Y, v.D, v.P),
            (c, dx, dy) => dx is null ? CpuCat.InverseMultiquadricMmd2.Value(c.X, c.Y, c.D, (float)c.P) : CpuCat.InverseMultiquadricMmd2.ValueAndGradient(c.X, c.Y, c.D, dx, dy, (float)c.P),
            (g, v, dx, dy, grad) => grad ? GpuCat.InverseMultiquadricMmd2.Gpu.ValueAndGradient(g, v.X, v.Y, v.D, dx, dy, (float)v.P) : GpuCat.InverseMultiquadricMmd2.Gpu.Value(g, v.X, v.Y, v.D, (float)v.P),
            (g, c, dx, dy) => dx is null ? GpuCat.InverseMultiquadricMmd2.Gpu.Value(g, c.X, c.Y, c.D, c.P) : GpuCat.InverseMultiquadricMmd2.Gpu.ValueAndGradient(g, c.X, c.Y, c.D, dx, dy, c.P)),
        new Case("EnergyKernelMmd2",
            (c, dx, dy) => dx is null ? CpuCat.EnergyKernelMmd2.Value(c.X, c.Y, c.D) : CpuCat.EnergyKernelMmd2.ValueAndGradient(c.X, c.Y, c.D, dx, dy),
            (g, v, dx, dy, grad) => grad ? GpuCat.EnergyKernelMmd2.Gpu.ValueAndGradient(g, v.X, v.Y, v.D, dx, dy) : GpuCat.EnergyKernelMmd2.Gpu.Value(g, v.X, v.Y, v.D),
            (c, dx, dy) => dx is null ? CpuCat.EnergyKernelMmd2.Value(c.X, c.Y, c.D) : CpuCat.EnergyKernelMmd2.ValueAndGradient(c.X, c.Y, c.D, dx, dy),
            (g, v, dx, dy, grad) => grad ? GpuCat.EnergyKernelMmd2.Gpu.ValueAndGradient(g, v.X, v.Y, v.D, dx, dy) : GpuCat.EnergyKernelMmd2.Gpu.Value(g, v.X, v.Y, v.D),
            (g, c, dx, dy) => dx is null ? GpuCat.EnergyKernelMmd2.Gpu.Value(g, c.X, c.Y, c.D) : GpuCat.EnergyKernelMmd2.Gpu.ValueAndGradient(g, c.X, c.Y, c.D, dx, dy)),
        new Case("EnergyDistance",
            (c, dx, dy) => dx is null ? CpuCat.EnergyDistance.Value(c.X, c.Y, c.D) : CpuCat.EnergyDistance.ValueAndGradient(c.X, c.Y, c.D, dx, dy),
            (g, v, dx, dy, grad) => grad ? GpuCat.EnergyDistance.Gpu.ValueAndGradient(g, v.X, v.Y, v.D, dx, dy) : GpuCat.EnergyDistance.Gpu.Value(g, v.X, v.Y, v.D),
            (c, dx, dy) => dx is null ? CpuCat.EnergyDistance.Value(c.X, c.Y, c.D) : CpuCat.EnergyDistance.ValueAndGradient(c.X, c.Y, c.D, dx, dy),
            (g, v, dx, dy, grad) => grad ? GpuCat.EnergyDistance.Gpu.ValueAndGradient(g, v.X, v.Y, v.D, dx, dy) : GpuCat.EnergyDistance.Gpu.Value(g, v.X, v.Y, v.D),
            (g, c, dx, dy) => dx is null ? GpuCat.EnergyDistance.Gpu.Value(g, c.X, c.Y, c.D) : GpuCat.EnergyDistance.Gpu.ValueAndGradient(g, c.X, c.Y, c.D, dx, dy)),
        new Case("CauchySchwarzSamples",
            (c, dx, dy) => dx is null ? CpuCat.CauchySchwarzSamples.Value(c.X, c.Y, c.D, c.P) : CpuCat.CauchySchwarzSamples.ValueAndGradient(c.X, c.Y, c.D, dx, dy, c.P),
            (g, v, dx, dy, grad) => grad ? GpuCat.CauchySchwarzSamples.Gpu.ValueAndGradient(g, v.X, v.Y, v.D, dx, dy, v.P) : GpuCat.CauchySchwarzSamples.Gpu.Value(g, v.X, v.Y, v.D, v.P),
            (c, dx, dy) => dx is null ? CpuCat.CauchySchwarzSamples.Value(c.X, c.Y, c.D, (float)c.P) : CpuCat.CauchySchwarzSamples.ValueAndGradient(c.X, c.Y, c.D, dx, dy, (float)c.P),
            (g, v, dx, dy, grad) => grad ? GpuCat.CauchySchwarzSamples.Gpu.ValueAndGradient(g, v.X, v.Y, v.D, dx, dy, (float)v.P) : GpuCat.CauchySchwarzSamples.Gpu.Value(g, v.X, v.Y, v.D, (float)v.P),
            (g, c, dx, dy) => dx is null ? GpuCat.CauchySchwarzSamples.Gpu.Value(g, c.X, c.Y, c.D, c.P) : GpuCat.CauchySchwarzSamples.Gpu.ValueAndGradient(g, c.X, c.Y, c.D, dx, dy, c.P)),
        new Case("GpuThreeTermLoss",
            (c, dx, dy) => dx is null ? GpuThreeTermLoss.Value(c.X, c.Y, c.D, c.P) : GpuThreeTermLoss.ValueAndGradient(c.X, c.Y, c.D, dx, dy, c.P),
            (g, v, dx, dy, grad) => grad ? GpuThreeTermLoss.Gpu.ValueAndGradient(g, v.X, v.Y, v.D, dx, dy, v.P) : GpuThreeTermLoss.Gpu.Value(g, v.X, v.Y, v.D, v.P),
            (c, dx, dy) => dx is null ? GpuThreeTermLoss.Value(c.X, c.Y, c.D, (float)c.P) : GpuThreeTermLoss.ValueAndGradient(c.X, c.Y, c.D, dx, dy, (float)c.P),
            (g, v, dx, dy, grad) => grad ? GpuThreeTermLoss.Gpu.ValueAndGradient(g, v.X, v.Y, v.D, dx, dy, (float)v.P) : GpuThreeTermLoss.Gpu.Value(g, v.X, v.Y, v.D, (float)v.P),
            (g, c, dx, dy) => dx is null ? GpuThreeTermLoss.Gpu.Value(g, c.X, c.Y, c.D, c.P) : GpuThreeTermLoss.Gpu.ValueAndGradient(g, c.X, c.Y, c.D, dx, dy, c.P)),
    }.ToDictionary(c => c.Name);

    public static IEnumerable<object[]> Names() => Cases.Keys.Select(k => new object[] { k });

    // x standard normal; y shifted and narrower, so every value is well away from 0 (a relative bound means something).
    private static Clouds<double> Data(int n, int m, int d, int seed)
    {
        var y = PairOracle.Normal(m * d, seed + 1);
        for (int i = 0; i < y.Length; i++) y[i] = 0.7 * y[i] + 0.6;
        return new(PairOracle.Normal(n * d, seed), y, PairOracle.Positive(n, seed + 2), PairOracle.Positive(m, seed + 3), d, 0.9 * Math.Sqrt(d));
    }

    private static Clouds<float> ToFloat(Clouds<double> c) =>
        new(PairOracle.ToFloat(c.X), PairOracle.ToFloat(c.Y), PairOracle.ToFloat(c.A), PairOracle.ToFloat(c.B), c.D, c.P);

    private static double MaxAbs<T>(T[] v) where T : System.Numerics.INumberBase<T> => v.Length == 0 ? 0 : v.Max(e => Math.Abs(double.CreateTruncating(e)));

    private static void Near<T>(T[] expected, T[] actual, double relative, string what) where T : System.Numerics.INumberBase<T>
    {
        double bound = relative * MaxAbs(expected);
        Assert.True(bound > 0, $"{what}: a zero gradient tests nothing");
        for (int i = 0; i < expected.Length; i++)
        {
            double e = double.CreateTruncating(expected[i]), a = double.CreateTruncating(actual[i]);
            Assert.True(Math.Abs(e - a) <= bound, $"{what}[{i}]: CPU {e:R}, GPU {a:R}, bound {bound:R}");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void GpuMatchesTheCpu_DoubleAndFloat(string name)
    {
        var k = Cases[name];
        foreach (var (n, m, d) in new[] { (37, 29, 3), (12, 200, 11) })
        {
            string at = $"{name} n={n} m={m} d={d}";
            var c = Data(n, m, d, 7 * n + m + d);
            var cf = ToFloat(c);
            using var dev = new DeviceArrays(_device);
            var v = new Views<double>(dev.Up(c.X), dev.Up(c.Y), dev.Up(c.A), dev.Up(c.B), d, c.P);
            var vf = new Views<float>(dev.Up(cf.X), dev.Up(cf.Y), dev.Up(cf.A), dev.Up(cf.B), d, c.P);

            // double: the value alone (at the smaller size), then value and both gradients, on views.
            double value = k.CpuD(c, null, null);
            Assert.True(Math.Abs(value) > 1e-3, $"{at}: value {value} too close to 0 for a relative bound");
            if (m != 200) Assert.True(Math.Abs(k.GpuD(_device, v, default, default, false) - value) <= 1e-12 * Math.Abs(value), $"{at}: double value");
            double[] dx = new double[n * d], dy = new double[m * d];
            double cpuBoth = k.CpuD(c, dx, dy);
            var (gx, gy) = (dev.Out<double>(n * d), dev.Out<double>(m * d));
            double gpuBoth = k.GpuD(_device, v, gx, gy, true);
            Assert.True(Math.Abs(gpuBoth - cpuBoth) <= 1e-12 * Math.Abs(cpuBoth), $"{at}: double value with gradients, CPU {cpuBoth:R}, GPU {gpuBoth:R}");
            double[] hx = dev.Down(gx), hy = dev.Down(gy);
            Near(dx, hx, 1e-12, $"{at}: double dx");
            Near(dy, hy, 1e-12, $"{at}: double dy");

            // float.
            float valueF = (float)k.CpuF(cf, null, null);
            if (m != 200) Assert.True(Math.Abs(k.GpuF(_device, vf, default, default, false) - valueF) <= 2e-4 * (1 + Math.Abs(valueF)), $"{at}: float value");
            float[] dxf = new float[n * d], dyf = new float[m * d];
            double cpuF = k.CpuF(cf, dxf, dyf);
            var (gxf, gyf) = (dev.Out<float>(n * d), dev.Out<float>(m * d));
            Assert.True(Math.Abs(k.GpuF(_device, vf, gxf, gyf, true) - cpuF) <= 2e-4 * (1 + Math.Abs(cpuF)), $"{at}: float value with gradients");
            Near(dxf, dev.Down(gxf), 2e-4, $"{at}: float dx");
            Near(dyf, dev.Down(gyf), 2e-4, $"{at}: float dy");

            if (m == 200) continue; // the larger size checks the tiles; the rest needs one size
            // One gradient at a time: the other view empty is skipped, the value the same.
            var gx2 = dev.Out<double>(n * d);
            Assert.True(Math.Abs(k.GpuD(_device, v, gx2, default, true) - cpuBoth) <= 1e-12 * Math.Abs(cpuBoth), $"{at}: value with dx alone");
            Assert.Equal(hx, dev.Down(gx2));
            var gy2 = dev.Out<double>(m * d);
            Assert.True(Math.Abs(k.GpuD(_device, v, default, gy2, true) - cpuBoth) <= 1e-12 * Math.Abs(cpuBoth), $"{at}: value with dy alone");
            Assert.Equal(hy, dev.Down(gy2));

            // Same bits on a second run.
            var (gx3, gy3) = (dev.Out<double>(n * d), dev.Out<double>(m * d));
            Assert.Equal(BitConverter.DoubleToInt64Bits(gpuBoth), BitConverter.DoubleToInt64Bits(k.GpuD(_device, v, gx3, gy3, true)));
            Assert.Equal(hx, dev.Down(gx3));
            Assert.Equal(hy, dev.Down(gy3));
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void SpanOverloads_CopyAndAgreeWithTheViews(string name)
    {
        var k = Cases[name];
        var c = Data(23, 31, 2, 5);
        using var dev = new DeviceArrays(_device);
        var v = new Views<double>(dev.Up(c.X), dev.Up(c.Y), dev.Up(c.A), dev.Up(c.B), c.D, c.P);
        var (gx, gy) = (dev.Out<double>(c.X.Length), dev.Out<double>(c.Y.Length));
        double viaViews = k.GpuD(_device, v, gx, gy, true);
        double[] dx = new double[c.X.Length], dy = new double[c.Y.Length];
        Assert.Equal(viaViews, k.SpanD(_device, c, dx, dy));
        Assert.Equal(dev.Down(gx), dx);
        Assert.Equal(dev.Down(gy), dy);
        Assert.Equal(k.GpuD(_device, v, default, default, false), k.SpanD(_device, c, null, null));
        double[] dyOnly = new double[c.Y.Length];
        Assert.Equal(viaViews, k.SpanD(_device, c, Array.Empty<double>(), dyOnly));
        Assert.Equal(dy, dyOnly);
    }

    [Fact]
    public void BadViews_AreRefused()
    {
        using var dev = new DeviceArrays(_device);
        var x = dev.Up(new double[] { 1, 2, 3, 4, 5, 6 });
        var y = dev.Up(new double[] { 1, 2, 3, 4 });
        Assert.Throws<ArgumentException>(() => GpuCat.GaussianMmd2.Gpu.Value(_device, x, y, 4, 1.0)); // 6 is not a multiple of 4
        Assert.Throws<ArgumentOutOfRangeException>(() => GpuCat.GaussianMmd2.Gpu.Value(_device, x, y, 0, 1.0));
        Assert.Throws<ArgumentException>(() => GpuCat.GaussianMmd2.Gpu.Value(_device, new ArrayView<double>(), y, 2, 1.0)); // an empty cloud
        Assert.Throws<ArgumentException>(() => GpuCat.WeightedGaussianMmd2.Gpu.Value(_device, x, dev.Up(new double[] { 1, 1 }), y, dev.Up(new double[] { 1, 1 }), 2, 1.0)); // a: 2 weights, 3 points
        Assert.Throws<ArgumentException>(() => GpuCat.GaussianMmd2.Gpu.ValueAndGradient(_device, x, y, 2, dev.Out<double>(5), default, 1.0)); // dx: 5 of 6
        Assert.Throws<ArgumentException>(() => GpuCat.GaussianMmd2.Gpu.ValueAndGradient(_device, x, y, 2, x, default, 1.0)); // dx over its input
        var both = dev.Out<double>(6);
        Assert.Throws<ArgumentException>(() => GpuCat.EnergyDistance.Gpu.ValueAndGradient(_device, x, x, 2, both, both)); // two gradients in one view
        Assert.Throws<ArgumentNullException>(() => GpuCat.GaussianMmd2.Gpu.Value(null!, x, y, 2, 1.0));
    }

    /// <summary>The pair terms of every generated sample Gpu class, as the pair kernels' type arguments (private nested types).</summary>
    private static IEnumerable<MethodInfo> Kernels()
    {
        const BindingFlags flags = BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var declarations = typeof(GpuCat.GaussianMmd2).Assembly.GetTypes().Append(typeof(GpuThreeTermLoss))
            .Where(t => t.GetNestedType("Gpu")?.GetNestedType("_PairTerm0`1", BindingFlags.NonPublic) != null);
        foreach (var declaration in declarations)
            foreach (var term in declaration.GetNestedType("Gpu")!.GetNestedTypes(BindingFlags.NonPublic).Where(t => t.Name.StartsWith("_PairTerm", StringComparison.Ordinal)))
            {
                yield return typeof(GpuPairKernels<,,>).MakeGenericType(term.MakeGenericType(typeof(float)), typeof(float), typeof(GpuPairFloat)).GetMethod("SweepKernel", flags)!;
                yield return typeof(GpuPairKernels<,,>).MakeGenericType(term.MakeGenericType(typeof(double)), typeof(double), typeof(GpuPairDouble)).GetMethod("SweepKernel", flags)!;
            }
    }

    [Fact]
    public void GeneratedTermKernels_CompileForPtxAndOpenCl()
    {
        using var context = Context.Create(b => b.Default().EnableAlgorithms());
        using Backend ptx = new PTXBackend(context, CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, null!);
        using Backend cl = new CLBackend(context, new CLCapabilityContext(true, true, true, true, true), CLDeviceVendor.Nvidia, CLCVersion.CL20);
        var methods = Kernels().ToList();
        Assert.True(methods.Count >= 2 * 11, $"{methods.Count} kernels"); // eight catalogue members (one term each) and three terms here, float and double
        foreach (var method in methods)
        {
            var entry = EntryPointDescription.FromExplicitlyGroupedKernel(method);
            var compiled = (PTXCompiledKernel)ptx.Compile(entry, default);
            Assert.Contains(".entry", compiled.PTXAssembly);
            Assert.Contains("bar.sync", compiled.PTXAssembly);
            Assert.DoesNotContain("atom.", compiled.PTXAssembly); // deterministic: no atomic instruction
            Assert.NotNull(cl.Compile(entry, default));
        }
    }
}
