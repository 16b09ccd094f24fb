using System.Numerics;
using KernelDsl.Runtime.Gpu;
using KernelDsl.Runtime.Tests.Pairs;
using static KernelDsl.Runtime.Tests.Catalogue.Reference;

namespace KernelDsl.Runtime.Tests.Gpu.Pairs;

/// <summary>The costs of the softmin tests: |x - y|²/2, a root cost sqrt(|x - y|² + δ) (a nonlinear slope), and -x·y (the dot feature).</summary>
public enum SoftminCost
{
    HalfSquared,
    Root,
    Dot,
}

/// <summary>
/// The GPU softmin sweeps (<see cref="GpuSoftmin"/>) on ILGPU's CPU accelerator against the CPU pair sweep's
/// <c>PairSweep.RowLogSumExpWithGradient</c>, each with its own term for the same cost: the GPU's cost c(f) with a
/// runtime ε, the CPU's exponent φ = -c(f)/ε (see <see cref="GpuSoftminCosts"/>). Sizes: one point, one feature, tails
/// of groups and tiles, several tiles (256 points a tile at d + p ≤ 8), and d = 2100 (columns read from global memory).
/// Bounds, with Z = 1 + max |z_ij| of the test (an error δ in an exponent moves L by δ and a weight by δ relative):
/// double L within 1e-13 · Z, gradient and payload within 1e-12 · Z of their largest component; float L within
/// 2e-6 · Z, gradient and payload within 1e-4 · Z of the largest component (both sides round exponents the same way;
/// the CPU adds float lanes within a tile, the GPU adds every term in double).
/// </summary>
public class GpuSoftminTests : IClassFixture<GpuFixture>
{
    internal const double Delta = 0.3;
    private readonly KernelDevice _device;

    public GpuSoftminTests(GpuFixture fixture) => _device = fixture.Device;

    public static IEnumerable<object[]> Cases()
    {
        var sizes = new[] { (1, 1, 1), (5, 1, 2), (13, 29, 3), (67, 45, 5), (257, 33, 7), (40, 300, 2), (9, 700, 3), (3, 4, 2100) };
        foreach (var (n, m, d) in sizes)
            foreach (var cost in new[] { SoftminCost.HalfSquared, SoftminCost.Root, SoftminCost.Dot })
                yield return new object[] { n, m, d, cost };
    }

    /// <summary>1 + the largest |z_ij| = |-c(f_ij)/ε + h_j|, in double from the given inputs.</summary>
    private static double ZScale(SoftminCost cost, double[] x, double[] y, double[]? h, int d, double eps)
    {
        int n = x.Length / d, m = y.Length / d;
        double z = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
            {
                double f = 0;
                for (int k = 0; k < d; k++) f += cost == SoftminCost.Dot ? x[i * d + k] * y[j * d + k] : (x[i * d + k] - y[j * d + k]) * (x[i * d + k] - y[j * d + k]);
                z = Math.Max(z, Math.Abs(-GpuSoftminCosts.Cost(cost, f) / eps + (h is null ? 0 : h[j])));
            }
        return 1 + z;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ValuesGradientsAndPayload_MatchTheCpuSweep(int n, int m, int d, SoftminCost cost)
    {
        double[] x = PairOracle.Normal(n * d, 3 * n + d), y = PairOracle.Normal(m * d, 5 * m + d);
        double eps = cost == SoftminCost.Dot ? 0.4 * d : 0.3 * d, scale = -0.7;
        int p = d < 100 ? d + 1 : 2;
        double[] payload = PairOracle.Normal(m * p, m + 7);
        foreach (bool withH in new[] { true, false })
        {
            double[]? h = withH ? PairOracle.Normal(m, n + m).Select(v => 2 * v).ToArray() : null;
            double z = ZScale(cost, x, y, h, d, eps);

            var want = new Rows<double>(n, d, p);
            GpuSoftminCosts.CpuSweep(cost, Delta, eps, x, y, h, d, scale, payload, p, want);
            var got = new Rows<double>(n, d, p);
            GpuSoftminCosts.GpuSweep(_device, cost, Delta, eps, x, y, h, d, scale, payload, p, got);
            Compare(want, got, 1e-13 * z, 1e-12 * z, $"double, {cost}, h {withH}");

            // The value alone and the payload without the gradient: the same bits as the full sweep.
            var lse = new double[n];
            GpuSoftminCosts.GpuValue(_device, cost, Delta, eps, x, y, h, d, lse);
            Assert.Equal(got.L, lse);
            var bary = new double[n * p];
            GpuSoftminCosts.GpuPayload(_device, cost, Delta, eps, x, y, h, d, payload, p, lse, bary);
            Assert.Equal(got.L, lse);
            Assert.Equal(got.Q, bary);

            float[] xf = PairOracle.ToFloat(x), yf = PairOracle.ToFloat(y), pf = PairOracle.ToFloat(payload);
            float[]? hf = h is null ? null : PairOracle.ToFloat(h);
            var wantF = new Rows<float>(n, d, p);
            GpuSoftminCosts.CpuSweep(cost, Delta, eps, xf, yf, hf, d, scale, pf, p, wantF);
            var gotF = new Rows<float>(n, d, p);
            GpuSoftminCosts.GpuSweep(_device, cost, Delta, eps, xf, yf, hf, d, scale, pf, p, gotF);
            Compare(wantF.Widen(), gotF.Widen(), 2e-6 * z, 1e-4 * z, $"float, {cost}, h {withH}");
        }
    }

    [Theory]
    [InlineData(SoftminCost.HalfSquared, 1e-4, 0.0)]  // z down to about -1e4 · |x - y|²/2: every term but the nearest underflows
    [InlineData(SoftminCost.HalfSquared, 1e-4, 1e4)]  // and offsets of 1e4 on top: e^z alone would overflow
    [InlineData(SoftminCost.Dot, 1e-4, 0.0)]          // z = x·y / ε: ±1e4 both ways
    [InlineData(SoftminCost.Dot, 2e-4, -1e4)]
    public void ExtremeExponents_StayFiniteAndMatchTheCpuSweep(SoftminCost cost, double eps, double offset)
    {
        const int n = 37, m = 533, d = 3, p = 3;
        double[] x = PairOracle.Normal(n * d, 41), y = PairOracle.Normal(m * d, 42), payload = PairOracle.Normal(m * p, 43);
        double[] h = PairOracle.Normal(m, 44).Select(v => offset + v).ToArray();
        double z = ZScale(cost, x, y, h, d, eps);
        Assert.True(z > 1e3, $"the exponents reach {z}");
        var want = new Rows<double>(n, d, p);
        GpuSoftminCosts.CpuSweep(cost, Delta, eps, x, y, h, d, 1.0, payload, p, want);
        var got = new Rows<double>(n, d, p);
        GpuSoftminCosts.GpuSweep(_device, cost, Delta, eps, x, y, h, d, 1.0, payload, p, got);
        Assert.All(got.L.Concat(got.G).Concat(got.Q), v => Assert.True(double.IsFinite(v)));
        Compare(want, got, 1e-13 * z, 1e-12 * z, $"double, {cost}, eps {eps}, offset {offset}");

        float[] xf = PairOracle.ToFloat(x), yf = PairOracle.ToFloat(y), hf = PairOracle.ToFloat(h), pf = PairOracle.ToFloat(payload);
        var wantF = new Rows<float>(n, d, p);
        GpuSoftminCosts.CpuSweep(cost, Delta, eps, xf, yf, hf, d, 1.0, pf, p, wantF);
        var gotF = new Rows<float>(n, d, p);
        GpuSoftminCosts.GpuSweep(_device, cost, Delta, eps, xf, yf, hf, d, 1.0, pf, p, gotF);
        var (wf, gf) = (wantF.Widen(), gotF.Widen());
        Assert.All(gf.L.Concat(gf.G).Concat(gf.Q), v => Assert.True(double.IsFinite(v)));
        Compare(wf, gf, 2e-6 * z, 1e-4 * z, $"float, {cost}, eps {eps}, offset {offset}");
    }

    [Fact]
    public void RowsWithoutTerms_GetMinusInfinityAndZeros_AndNaNSpreadsToItsRow()
    {
        const int n = 4, m = 6, d = 2, p = 1;
        double[] x = PairOracle.Normal(n * d, 1), y = PairOracle.Normal(m * d, 2), payload = PairOracle.Normal(m, 3);
        var h = Enumerable.Repeat(double.NegativeInfinity, m).ToArray();
        var got = new Rows<double>(n, d, p);
        GpuSoftminCosts.GpuSweep(_device, SoftminCost.HalfSquared, Delta, 1.0, x, y, h, d, 1.0, payload, p, got);
        Assert.All(got.L, v => Assert.Equal(double.NegativeInfinity, v));
        Assert.All(got.G.Concat(got.Q), v => Assert.Equal(0.0, v));

        x[2 * d] = double.NaN; // row 2
        h = PairOracle.Normal(m, 4);
        GpuSoftminCosts.GpuSweep(_device, SoftminCost.HalfSquared, Delta, 1.0, x, y, h, d, 1.0, payload, p, got);
        for (int i = 0; i < n; i++) Assert.Equal(i == 2, double.IsNaN(got.L[i]));
        Assert.True(double.IsNaN(got.G[2 * d]) && double.IsNaN(got.Q[2]));
        Assert.True(double.IsFinite(got.G[0]) && double.IsFinite(got.Q[3]));
    }

    private static void Compare(Rows<double> want, Rows<double> got, double lseBound, double rel, string what)
    {
        for (int i = 0; i < want.L.Length; i++) Close(want.L[i], got.L[i], 0, lseBound, $"{what}: L[{i}]");
        double gmax = want.G.Length == 0 ? 0 : want.G.Max(Math.Abs), qmax = want.Q.Length == 0 ? 0 : want.Q.Max(Math.Abs);
        for (int k = 0; k < want.G.Length; k++) Close(want.G[k], got.G[k], 0, rel * gmax + 1e-300, $"{what}: grad[{k}]");
        for (int k = 0; k < want.Q.Length; k++) Close(want.Q[k], got.Q[k], 0, rel * qmax + 1e-300, $"{what}: payload[{k}]");
    }
}

/// <summary>The outputs of one softmin sweep: L (n), the gradient (n × d) and the payload sums (n × p).</summary>
public sealed class Rows<T>
{
    public Rows(int n, int d, int p) : this(new T[n], new T[n * d], new T[n * p])
    {
    }

    private Rows(T[] l, T[] g, T[] q) => (L, G, Q) = (l, g, q);

    public T[] L { get; }

    public T[] G { get; }

    public T[] Q { get; }

    /// <summary>The outputs as doubles.</summary>
    public Rows<double> Widen() => new(D(L), D(G), D(Q));

    private static double[] D(T[] v) => v.Select(e => Convert.ToDouble(e)).ToArray();
}
