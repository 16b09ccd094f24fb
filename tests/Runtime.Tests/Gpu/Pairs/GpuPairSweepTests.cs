using KernelDsl.Runtime.Gpu;
using KernelDsl.Runtime.Tests.Pairs;
using static KernelDsl.Runtime.Tests.Catalogue.Reference;

namespace KernelDsl.Runtime.Tests.Gpu.Pairs;

/// <summary>
/// The GPU pair sweep on ILGPU's CPU accelerator against the CPU pair sweep (<see cref="PairSweep"/>), with the same terms
/// written for each: the Gaussian (squared distance), tanh of the dot product, the softmin exponent. Sizes hit one point,
/// one feature, several tiles of columns (256 points a tile at d ≤ 8), partial groups, and d = 2100, too wide for a
/// tile (columns read from global memory). Bounds: double 1e-12 of Σ|terms| (sums) or of the value (rows) or of the
/// largest gradient component; float 4e-5 of the same (each sweep is within 2e-5 of the exact sum of the float inputs:
/// the CPU adds float lanes within a tile, the GPU adds every pair in double), gradients 1e-4 of the largest component.
/// </summary>
public class GpuPairSweepTests : IClassFixture<GpuFixture>
{
    private readonly KernelDevice _device;

    public GpuPairSweepTests(GpuFixture fixture) => _device = fixture.Device;

    public static IEnumerable<object[]> Sizes() => new[]
    {
        new object[] { 1, 1, 1 }, new object[] { 5, 1, 2 }, new object[] { 13, 29, 3 }, new object[] { 67, 45, 5 },
        new object[] { 9, 8, 64 }, new object[] { 257, 33, 7 }, new object[] { 40, 300, 2 }, new object[] { 3, 4, 2100 },
    };

    private static (double[] X, double[] Y, double[] A, double[] B) Data(int n, int m, int d, int seed)
    {
        var y = PairOracle.Normal(m * d, seed + 1);
        for (int i = 0; i < y.Length; i++) y[i] = 0.8 * y[i] + 0.2;
        return (PairOracle.Normal(n * d, seed), y, PairOracle.Positive(n, seed + 2), PairOracle.Positive(m, seed + 3));
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Sums_MatchTheCpuSweep_DoubleAndFloat(int n, int m, int d)
    {
        var (x, y, a, b) = Data(n, m, d, 100 * n + m + d);
        double sigma = 0.7 * Math.Sqrt(d), c = 0.3 / d;
        using var dev = new DeviceArrays(_device);
        var (xd, yd, ad, bd) = (dev.Up(x), dev.Up(y), dev.Up(a), dev.Up(b));
        float[] xf = PairOracle.ToFloat(x), yf = PairOracle.ToFloat(y), af = PairOracle.ToFloat(a), bf = PairOracle.ToFloat(b);
        var (xg, yg, ag, bg) = (dev.Up(xf), dev.Up(yf), dev.Up(af), dev.Up(bf));

        var k = PairOracle.Gaussian(sigma);
        var (dk, fk) = (new GaussianPairTerm<double>(sigma), new GaussianPairTerm<float>(sigma));
        var (gdk, gfk) = (new GpuGaussianPairTerm<double>(sigma), new GpuGaussianPairTerm<float>(sigma));
        double cross = PairOracle.Sum(k, x, a, y, b, d).Abs;
        Close(PairSweep.Sum(in dk, x, a, y, b, d), GpuPairSweep.Sum(_device, in gdk, xd, ad, yd, bd, d), 0, 1e-12 * cross, "cross");
        Close(PairSweep.Sum(in dk, x, default, y, default, d), GpuPairSweep.Sum(_device, in gdk, xd, default, yd, default, d), 0,
            1e-12 * PairOracle.Sum(k, x, null, y, null, d).Abs, "cross, unweighted");
        Close(PairSweep.Sum(in fk, xf, af, yf, bf, d), GpuPairSweep.Sum(_device, in gfk, xg, ag, yg, bg, d), 0, 4e-5 * cross, "float cross");
        foreach (bool diagonal in new[] { true, false })
        {
            double self = PairOracle.SelfSum(k, x, a, d, diagonal).Abs;
            Close(PairSweep.SelfSum(in dk, x, a, d, diagonal), GpuPairSweep.SelfSum(_device, in gdk, xd, ad, d, diagonal), 0, 1e-12 * self, $"self, diagonal {diagonal}");
            Close(PairSweep.SelfSum(in fk, xf, af, d, diagonal), GpuPairSweep.SelfSum(_device, in gfk, xg, ag, d, diagonal), 0, 4e-5 * self, $"float self, diagonal {diagonal}");
        }

        // The dot-product feature.
        var t = PairOracle.DotTanh(c);
        var (dt, ft) = (new DotTanhTerm<double>(c), new DotTanhTerm<float>(c));
        var (gdt, gft) = (new GpuDotTanhTerm<double>(c), new GpuDotTanhTerm<float>(c));
        double dot = PairOracle.Sum(t, x, a, y, b, d).Abs;
        Close(PairSweep.Sum(in dt, x, a, y, b, d), GpuPairSweep.Sum(_device, in gdt, xd, ad, yd, bd, d), 0, 1e-12 * dot, "dot cross");
        Close(PairSweep.Sum(in ft, xf, af, yf, bf, d), GpuPairSweep.Sum(_device, in gft, xg, ag, yg, bg, d), 0, 4e-5 * dot, "float dot cross");
        double dotSelf = PairOracle.SelfSum(t, x, a, d, false).Abs;
        Close(PairSweep.SelfSum(in dt, x, a, d, false), GpuPairSweep.SelfSum(_device, in gdt, xd, ad, d, false), 0, 1e-12 * dotSelf, "dot self");
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Rows_MatchTheCpuSweep_SumsAndLogSumExp(int n, int m, int d)
    {
        var (x, y, _, b) = Data(n, m, d, 7 * n + 3 * m + d);
        double sigma = 0.7 * Math.Sqrt(d), eps = 0.5 * d;
        var h = PairOracle.Normal(m, n + m);
        using var dev = new DeviceArrays(_device);
        var (xd, yd, bd, hd) = (dev.Up(x), dev.Up(y), dev.Up(b), dev.Up(h));
        float[] xf = PairOracle.ToFloat(x), yf = PairOracle.ToFloat(y), bf = PairOracle.ToFloat(b), hf = PairOracle.ToFloat(h);
        var (xg, yg, bg, hg) = (dev.Up(xf), dev.Up(yf), dev.Up(bf), dev.Up(hf));

        var sumsD = dev.Out<double>(n);
        var cpuD = new double[n];
        var gk = new GpuGaussianPairTerm<double>(sigma);
        GpuPairSweep.RowSums(_device, in gk, xd, yd, bd, d, sumsD);
        PairSweep.RowSums(new GaussianPairTerm<double>(sigma), x, y, b, d, cpuD);
        var got = dev.Down(sumsD);
        for (int i = 0; i < n; i++) Close(cpuD[i], got[i], 1e-12, 0, $"row sum {i}"); // positive terms: Σ|terms| is the value

        var sumsF = dev.Out<float>(n);
        var cpuF = new float[n];
        var gkf = new GpuGaussianPairTerm<float>(sigma);
        GpuPairSweep.RowSums(_device, in gkf, xg, yg, bg, d, sumsF);
        PairSweep.RowSums(new GaussianPairTerm<float>(sigma), xf, yf, bf, d, cpuF);
        var gotF = dev.Down(sumsF);
        for (int i = 0; i < n; i++) Close(cpuF[i], gotF[i], 4e-5, 0, $"float row sum {i}");

        // log Σ_j exp(-|x_i - y_j|² / ε + h_j): an error in a term's exponent z moves the result by at most that error,
        // so the bound is relative to the largest |z| of the row (here, to 1 + the largest |result|, a looser scale).
        foreach (bool withH in new[] { true, false })
        {
            var lseD = dev.Out<double>(n);
            var cpuL = new double[n];
            var gc = new GpuNegativeCostTerm<double>(eps);
            GpuPairSweep.RowLogSumExp(_device, in gc, xd, yd, withH ? hd : default, d, lseD);
            PairSweep.RowLogSumExp(new NegativeCostTerm<double>(eps), x, y, withH ? h : default, d, cpuL);
            var gotL = dev.Down(lseD);
            double scale = 1 + cpuL.Max(Math.Abs) + h.Max(Math.Abs);
            for (int i = 0; i < n; i++) Close(cpuL[i], gotL[i], 0, 1e-13 * scale * m, $"row logsumexp {i}, h {withH}");

            var lseF = dev.Out<float>(n);
            var cpuLf = new float[n];
            var gcf = new GpuNegativeCostTerm<float>(eps);
            GpuPairSweep.RowLogSumExp(_device, in gcf, xg, yg, withH ? hg : default, d, lseF);
            PairSweep.RowLogSumExp(new NegativeCostTerm<float>(eps), xf, yf, withH ? hf : default, d, cpuLf);
            var gotLf = dev.Down(lseF);
            for (int i = 0; i < n; i++) Close(cpuLf[i], gotLf[i], 0, 4e-5 * scale, $"float row logsumexp {i}, h {withH}");
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Gradients_MatchTheCpuSweep(int n, int m, int d)
    {
        var (x, y, a, b) = Data(n, m, d, 31 * n + m + 5 * d);
        double sigma = 0.7 * Math.Sqrt(d), c = 0.3 / d;
        using var dev = new DeviceArrays(_device);
        var (xd, yd, ad, bd) = (dev.Up(x), dev.Up(y), dev.Up(a), dev.Up(b));
        float[] xf = PairOracle.ToFloat(x), yf = PairOracle.ToFloat(y), af = PairOracle.ToFloat(a), bf = PairOracle.ToFloat(b);
        var (xg, yg, ag, bg) = (dev.Up(xf), dev.Up(yf), dev.Up(af), dev.Up(bf));

        foreach (bool diagonal in new[] { true, false })
        {
            var gpu = dev.Out<double>(n * d);
            var cpu = new double[n * d];
            var gk = new GpuGaussianPairTerm<double>(sigma);
            var (self, cross) = GpuPairSweep.SelfAndCrossWithGradient(_device, in gk, xd, ad, yd, bd, d, diagonal, 0.7, -1.3, gpu);
            var (cpuSelf, cpuCross) = PairSweep.SelfAndCrossWithGradient(new GaussianPairTerm<double>(sigma), x, a, y, b, d, diagonal, 0.7, -1.3, cpu);
            var k = PairOracle.Gaussian(sigma);
            Close(cpuSelf, self, 0, 1e-12 * PairOracle.SelfSum(k, x, a, d, diagonal).Abs, "self (with gradient)");
            Close(cpuCross, cross, 0, 1e-12 * PairOracle.Sum(k, x, a, y, b, d).Abs, "cross (with gradient)");
            AssertGradient(cpu, dev.Down(gpu), 1e-12, $"self and cross, diagonal {diagonal}");

            var gpuF = dev.Out<float>(n * d);
            var cpuF = new float[n * d];
            var gkf = new GpuGaussianPairTerm<float>(sigma);
            GpuPairSweep.SelfAndCrossWithGradient(_device, in gkf, xg, ag, yg, bg, d, diagonal, 0.7, -1.3, gpuF);
            PairSweep.SelfAndCrossWithGradient(new GaussianPairTerm<float>(sigma), xf, af, yf, bf, d, diagonal, 0.7, -1.3, cpuF);
            AssertGradient(cpuF.Select(v => (double)v).ToArray(), dev.Down(gpuF).Select(v => (double)v).ToArray(), 1e-4, $"float self and cross, diagonal {diagonal}");
        }

        var dotGpu = dev.Out<double>(n * d);
        var dotCpu = new double[n * d];
        var gt = new GpuDotTanhTerm<double>(c);
        double dotSum = GpuPairSweep.SumWithGradient(_device, in gt, xd, ad, yd, bd, d, 2.5, dotGpu);
        double cpuDotSum = PairSweep.SumWithGradient(new DotTanhTerm<double>(c), x, a, y, b, d, 2.5, dotCpu);
        Close(cpuDotSum, dotSum, 0, 1e-12 * PairOracle.Sum(PairOracle.DotTanh(c), x, a, y, b, d).Abs, "dot (with gradient)");
        AssertGradient(dotCpu, dev.Down(dotGpu), 1e-12, "dot cross");
    }

    private static void AssertGradient(double[] expected, double[] actual, double rel, string what)
    {
        double scale = expected.Length == 0 ? 0 : expected.Max(Math.Abs);
        for (int i = 0; i < expected.Length; i++) Close(expected[i], actual[i], 0, rel * scale + 1e-300, $"{what} grad[{i}]");
    }
}
