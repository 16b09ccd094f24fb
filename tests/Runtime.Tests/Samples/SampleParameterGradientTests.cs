using KernelDsl.Catalogue;
using KernelDsl.Runtime.Tests.Catalogue;
using KernelDsl.Runtime.Tests.Pairs;

namespace KernelDsl.Runtime.Tests.Samples;

/// <summary>
/// The gradient with respect to the parameters (the bandwidth of an MMD or a Cauchy-Schwarz divergence) of the catalogue's
/// sample formulas: the ValueAndGradient overload with a dParams span, against central differences of the double value.
/// </summary>
/// <remarks>
/// Central differences: step h = 1e-5 · θ, truncation error h² |V'''| / 6 ≈ 1e-11 here and rounding about
/// 1e-16 / h ≈ 1e-11, so the bound is 1e-7 relative plus 1e-9 absolute. float against double on the same (float-rounded)
/// points: each pair's ∂φ/∂θ is a few float ulps off and the sums are in double, so the error is bounded by
/// 1e-5 times the scale of the sums, Σ_r |dV/dR_r| Σ_ij w_i w_j |∂φ_r/∂θ| ≤ 4 sup|∂φ/∂θ| for these means.
/// </remarks>
public class SampleParameterGradientTests
{
    private const int N = 6, M = 5, D = 3;

    private delegate double Full(double[] x, double[] y, double[] dx, double[] dy, double[] dParams, double s);

    // The catalogue members with a parameter: the value, and the overload with every gradient (weights 0.1 + U(0, 1)).
    private static readonly double[] A = PairOracle.Positive(N, 31), B = PairOracle.Positive(M, 32);

    private static (string Name, Func<double[], double[], double, double> Value, Full Gradient, double S)[] Members() => new (string, Func<double[], double[], double, double>, Full, double)[]
    {
        ("GaussianMmd2", (x, y, s) => GaussianMmd2.Value(x, y, D, s), (x, y, dx, dy, dp, s) => GaussianMmd2.ValueAndGradient(x, y, D, dx, dy, dp, s), 1.3),
        ("GaussianMmd2Unbiased", (x, y, s) => GaussianMmd2Unbiased.Value(x, y, D, s), (x, y, dx, dy, dp, s) => GaussianMmd2Unbiased.ValueAndGradient(x, y, D, dx, dy, dp, s), 1.3),
        ("WeightedGaussianMmd2", (x, y, s) => WeightedGaussianMmd2.Value(x, A, y, B, D, s), (x, y, dx, dy, dp, s) => WeightedGaussianMmd2.ValueAndGradient(x, A, y, B, D, dx, default, dy, default, dp, s), 1.3),
        ("LaplaceMmd2", (x, y, s) => LaplaceMmd2.Value(x, y, D, s), (x, y, dx, dy, dp, s) => LaplaceMmd2.ValueAndGradient(x, y, D, dx, dy, dp, s), 1.3),
        ("InverseMultiquadricMmd2", (x, y, s) => InverseMultiquadricMmd2.Value(x, y, D, s), (x, y, dx, dy, dp, s) => InverseMultiquadricMmd2.ValueAndGradient(x, y, D, dx, dy, dp, s), 1.3),
        ("CauchySchwarzSamples", (x, y, s) => CauchySchwarzSamples.Value(x, y, D, s), (x, y, dx, dy, dp, s) => CauchySchwarzSamples.ValueAndGradient(x, y, D, dx, dy, dp, s), 0.9),
    };

    [Fact]
    public void ParameterGradients_MatchCentralDifferences_OfTheDoubleValue()
    {
        double[] x = PairOracle.Normal(N * D, 11), y = PairOracle.Normal(M * D, 12);
        foreach (var (name, value, gradient, s) in Members())
        {
            var dParams = new double[1];
            double v = gradient(x, y, new double[x.Length], new double[y.Length], dParams, s);
            Reference.Close(value(x, y, s), v, 1e-12, 1e-15, name + " value");
            double h = 1e-5 * s;
            double expected = (value(x, y, s + h) - value(x, y, s - h)) / (2 * h);
            Reference.Close(expected, dParams[0], 1e-7, 1e-9, name + " dV/ds");
            Assert.True(Math.Abs(expected) > 1e-4, name + ": the bandwidth matters here (a zero would not be a check)");
        }
    }

    [Fact]
    public void PointGradients_OfTheFullOverload_AreTheOtherOverloads_BitForBit()
    {
        double[] x = PairOracle.Normal(N * D, 13), y = PairOracle.Normal(M * D, 14);
        double[] dx = new double[x.Length], dy = new double[y.Length], dxFull = new double[x.Length], dyFull = new double[y.Length];
        double v = GaussianMmd2Unbiased.ValueAndGradient(x, y, D, dx, dy, 0.8);
        double vFull = GaussianMmd2Unbiased.ValueAndGradient(x, y, D, dxFull, dyFull, new double[1], 0.8);
        Assert.Equal(v, vFull);
        Assert.Equal(dx, dxFull);
        Assert.Equal(dy, dyFull);
        double cs = CauchySchwarzSamples.ValueAndGradient(x, y, D, dx, dy, 0.8);
        Assert.Equal(cs, CauchySchwarzSamples.ValueAndGradient(x, y, D, dxFull, dyFull, default, 0.8));
        Assert.Equal(dx, dxFull);
        Assert.Equal(dy, dyFull);
    }

    [Fact]
    public void GaussianBandwidthGradient_MatchesTheClosedForm()
    {
        // dV/dσ of the biased Gaussian MMD²: ∂k/∂σ = k · |u - v|² / σ³, the means as in the value.
        double[] x = PairOracle.Normal(N * D, 15), y = PairOracle.Normal(M * D, 16);
        const double sigma = 0.7;
        double Mean(double[] u, int nu, double[] w, int nw)
        {
            double sum = 0;
            for (int i = 0; i < nu; i++)
                for (int j = 0; j < nw; j++)
                {
                    double f = 0;
                    for (int k = 0; k < D; k++) f += (u[i * D + k] - w[j * D + k]) * (u[i * D + k] - w[j * D + k]);
                    sum += Math.Exp(-f / (2 * sigma * sigma)) * f / (sigma * sigma * sigma);
                }
            return sum / (nu * nw);
        }
        double expected = Mean(x, N, x, N) + Mean(y, M, y, M) - 2 * Mean(x, N, y, M);
        var dParams = new double[1];
        GaussianMmd2.ValueAndGradient(x, y, D, default, default, dParams, sigma);
        Reference.Close(expected, dParams[0], 1e-12, 1e-15, "dV/dσ");
    }

    [Fact]
    public void FloatParameterGradients_WithinTheStatedBound_OfDouble()
    {
        float[] xf = PairOracle.ToFloat(PairOracle.Normal(40 * D, 17)), yf = PairOracle.ToFloat(PairOracle.Normal(33 * D, 18));
        double[] x = xf.Select(e => (double)e).ToArray(), y = yf.Select(e => (double)e).ToArray();
        const float sigma = 1.1f;
        var df = new float[1];
        var dd = new double[1];
        GaussianMmd2.ValueAndGradient(xf, yf, D, default, default, df, sigma);
        GaussianMmd2.ValueAndGradient(x, y, D, default, default, dd, sigma);
        // sup_f |∂φ/∂σ| = sup f e^{-f/2σ²} / σ³ = 2 / (e σ).
        Reference.Close(dd[0], df[0], 0, 1e-5 * 4 * 2 / (Math.E * sigma), "float dV/dσ");
        var dl = new float[1];
        var dld = new double[1];
        LaplaceMmd2.ValueAndGradient(xf, yf, D, default, default, dl, sigma);
        LaplaceMmd2.ValueAndGradient(x, y, D, default, default, dld, sigma);
        // ∂φ/∂s = e^{-r/s} r / s², at most 1 / (e s).
        Reference.Close(dld[0], dl[0], 0, 1e-5 * 4 / (Math.E * sigma), "float Laplace dV/ds");
    }
}
