using KernelDsl.Catalogue;
using KernelDsl.Runtime.Tests.Catalogue;
using KernelDsl.Runtime.Tests.Pairs;

namespace KernelDsl.Runtime.Tests.Samples;

/// <summary>
/// SvgdDirection against tests/reference/samples/svgd_field (numpy, float64): φ(x_i) = (1/n) Σ_j [k(x_j, x_i) s_j +
/// ∇_{x_j} k(x_j, x_i)] with k(u, v) = exp(-|u - v|² / h); against a plain double loop on random data; bad spans.
/// </summary>
public class SvgdDirectionTests
{
    [Fact]
    public void SvgdDirection_MatchesTheReference()
    {
        var cases = Reference.Cases("samples/svgd_field");
        Assert.NotEmpty(cases);
        foreach (var c in cases)
        {
            string name = c.GetProperty("name").GetString()!;
            int d = c.GetProperty("d").GetInt32();
            double[] x = Reference.Array(c, "x"), s = Reference.Array(c, "score"), phi = Reference.Array(c, "phi");
            double h = Reference.Param(c, "h");
            var got = new double[x.Length];
            SvgdDirection.Value(x, s, d, got, h);
            double scale = phi.Max(Math.Abs);
            for (int k = 0; k < phi.Length; k++) Reference.Close(phi[k], got[k], 1e-12, 1e-13 * scale, $"{name} φ[{k}]");

            // float: kernel values to a few ulps, sums of n terms in float lanes within a tile; relative to the largest
            // component (components near 0 are differences of terms of that size).
            var gotF = new float[x.Length];
            SvgdDirection.Value(PairOracle.ToFloat(x), PairOracle.ToFloat(s), d, gotF, (float)h);
            for (int k = 0; k < phi.Length; k++) Reference.Close(phi[k], gotF[k], 0, 2e-5 * scale, $"{name} float φ[{k}]");
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(17, 3)]
    [InlineData(300, 2)]
    [InlineData(45, 17)]
    public void SvgdDirection_MatchesAPlainLoop(int n, int d)
    {
        double[] x = PairOracle.Normal(n * d, n), s = PairOracle.Normal(n * d, n + 1);
        double h = 0.7 * d;
        var expected = new double[x.Length];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double f = 0;
                for (int k = 0; k < d; k++) f += (x[j * d + k] - x[i * d + k]) * (x[j * d + k] - x[i * d + k]);
                double kij = Math.Exp(-f / h);
                for (int k = 0; k < d; k++) expected[i * d + k] += (kij * s[j * d + k] + 2 / h * (x[i * d + k] - x[j * d + k]) * kij) / n;
            }
        var got = new double[x.Length];
        SvgdDirection.Value(x, s, d, got, h);
        double scale = expected.Max(Math.Abs);
        for (int k = 0; k < got.Length; k++) Reference.Close(expected[k], got[k], 1e-12, 1e-13 * scale, $"φ[{k}]");
    }

    [Fact]
    public void SvgdDirection_BadSpans_ThrowNamingTheArgument()
    {
        double[] x = PairOracle.Normal(8, 1), s = PairOracle.Normal(8, 2);
        Assert.Equal("s", Assert.ThrowsAny<ArgumentException>(() => SvgdDirection.Value(x, s.AsSpan(0, 6), 2, new double[8], 1.0)).ParamName);
        Assert.Equal("output", Assert.ThrowsAny<ArgumentException>(() => SvgdDirection.Value(x, s, 2, new double[6], 1.0)).ParamName);
        Assert.Equal("output", Assert.ThrowsAny<ArgumentException>(() => SvgdDirection.Value(x, s, 2, s, 1.0)).ParamName);
        Assert.Equal("x", Assert.ThrowsAny<ArgumentException>(() => SvgdDirection.Value(x.AsSpan(0, 7), s.AsSpan(0, 7), 2, new double[7], 1.0)).ParamName);
    }
}
