using KernelDsl.Catalogue;
using KernelDsl.Language;
using KernelDsl.Language.Binding;
using KernelDsl.Language.Interpretation;
using KernelDsl.Runtime.Tests.Catalogue;
using KernelDsl.Runtime.Tests.Pairs;

namespace KernelDsl.Runtime.Tests.Samples;

/// <summary>A nonlinear epilogue per point: a log of a weighted sum over a mean of dot products.</summary>
[Divergence("(x: points, y: points(b); s) => log(sum_j(k(x, y))) / (1 + mean_j(tanh(dot(x, y)))) where k(u, v) = exp(-sqdist(u, v) / s)")]
internal static partial class RatioField;

/// <summary>A self field: each point of x against every point of x, itself included.</summary>
[Divergence("(x: points; s) => mean_j(1 / (1 + sqdist(x, x) / s))")]
internal static partial class SelfField;

/// <summary>The weighted softmin of Sinkhorn, per point (its gradient: SoftminFieldTests).</summary>
[Divergence("(x: points, y: points(b); eps) => -eps * logsumexp_j(-sqdist(x, y) / eps)")]
internal static partial class SoftminField;

/// <summary>
/// Per-point fields (sum_j, mean_j, logsumexp_j): the MMD witness and its gradient against a plain double loop and central
/// differences, other fields against the sample interpreter (the double oracle), the same bits at 1, 2 and 16 threads, and
/// bad spans.
/// </summary>
[Collection(nameof(ParallelismCollection))]
public class SampleFieldTests
{
    private static BoundSampleFormula Bind(string text)
    {
        var bag = new DiagnosticBag();
        var bound = SampleBinder.Compile(text, bag);
        Assert.False(bag.HasErrors, string.Join("; ", bag.Items));
        return bound;
    }

    private static double Gauss(double[] u, int i, double[] v, int j, int d, double sigma)
    {
        double f = 0;
        for (int k = 0; k < d; k++) f += (u[i * d + k] - v[j * d + k]) * (u[i * d + k] - v[j * d + k]);
        return Math.Exp(-f / (2 * sigma * sigma));
    }

    // The witness F_i = mean_j k(z_i, x_j) - mean_j k(z_i, y_j) and ∇_{z_i} F_i, by a plain double loop.
    private static (double[] Value, double[] Gradient) Witness(double[] z, double[] x, double[] y, int d, double sigma)
    {
        int n = z.Length / d;
        var value = new double[n];
        var grad = new double[z.Length];
        foreach (var (cloud, sign) in new[] { (x, 1.0), (y, -1.0) })
        {
            int m = cloud.Length / d;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < m; j++)
                {
                    double k = Gauss(z, i, cloud, j, d, sigma);
                    value[i] += sign * k / m;
                    for (int c = 0; c < d; c++) grad[i * d + c] += sign * k * -(z[i * d + c] - cloud[j * d + c]) / (sigma * sigma) / m;
                }
        }
        return (value, grad);
    }

    [Theory]
    [InlineData(1, 1, 1, 1)]
    [InlineData(37, 29, 41, 3)]
    [InlineData(70, 300, 257, 17)]
    public void GaussianMmdWitness_MatchesAPlainLoop_ValueAndGradient(int n, int m1, int m2, int d)
    {
        double[] z = PairOracle.Normal(n * d, 1), x = PairOracle.Normal(m1 * d, 2), y = PairOracle.Normal(m2 * d, 3);
        for (int k = 0; k < y.Length; k++) y[k] += 0.5;
        double sigma = 0.6 * Math.Sqrt(d);
        var (value, grad) = Witness(z, x, y, d, sigma);
        double scale = value.Max(Math.Abs), gscale = grad.Max(Math.Abs);

        var v = new double[n];
        var both = new double[n];
        var g = new double[z.Length];
        GaussianMmdWitness.Value(z, x, y, d, v, sigma);
        GaussianMmdWitness.ValueAndGradient(z, x, y, d, both, g, sigma);
        for (int i = 0; i < n; i++)
        {
            Reference.Close(value[i], v[i], 1e-12, 1e-14 * scale, $"F[{i}]");
            Reference.Close(value[i], both[i], 1e-12, 1e-14 * scale, $"F[{i}] with the gradient");
        }
        for (int k = 0; k < g.Length; k++) Reference.Close(grad[k], g[k], 1e-12, 1e-14 * gscale, $"dF[{k}]");

        // float: each row's mean rounded to float (2^-24 relative) before the two means are subtracted, so the bound is
        // relative to the means' size, not to their (possibly cancelling) difference; the gradient rows likewise.
        float[] zf = PairOracle.ToFloat(z), xf = PairOracle.ToFloat(x), yf = PairOracle.ToFloat(y);
        var (vf64, gf64) = Witness(zf.Select(e => (double)e).ToArray(), xf.Select(e => (double)e).ToArray(), yf.Select(e => (double)e).ToArray(), d, (float)sigma);
        var vf = new float[n];
        var gf = new float[z.Length];
        GaussianMmdWitness.ValueAndGradient(zf, xf, yf, d, vf, gf, (float)sigma);
        for (int i = 0; i < n; i++) Reference.Close(vf64[i], vf[i], 0, 1e-5, $"float F[{i}]");
        double gfScale = Math.Max(1e-3, gf64.Max(Math.Abs));
        for (int k = 0; k < gf.Length; k++) Reference.Close(gf64[k], gf[k], 0, 1e-5 * gfScale / Math.Min(1.0, sigma * sigma), $"float dF[{k}]");
    }

    [Fact]
    public void GaussianMmdWitness_Gradient_IsTheCentralDifferenceOfEachPointsValue()
    {
        const int n = 9, d = 3;
        double[] z = PairOracle.Normal(n * d, 4), x = PairOracle.Normal(20 * d, 5), y = PairOracle.Normal(25 * d, 6);
        const double sigma = 0.9, h = 1e-5;
        var g = new double[z.Length];
        GaussianMmdWitness.ValueAndGradient(z, x, y, d, default, g, sigma);
        var plus = new double[n];
        var minus = new double[n];
        for (int k = 0; k < z.Length; k++)
        {
            double keep = z[k];
            z[k] = keep + h;
            GaussianMmdWitness.Value(z, x, y, d, plus, sigma);
            z[k] = keep - h;
            GaussianMmdWitness.Value(z, x, y, d, minus, sigma);
            z[k] = keep;
            int i = k / d;
            Reference.Close((plus[i] - minus[i]) / (2 * h), g[k], 1e-6, 1e-9, $"dF[{k}]");
        }
    }

    [Theory]
    [InlineData(5, 7, 2)]
    [InlineData(66, 131, 3)]
    public void Fields_MatchTheSampleInterpreter(int n, int m, int d)
    {
        double[] x = PairOracle.Normal(n * d, 7), y = PairOracle.Normal(m * d, 8), b = PairOracle.Positive(m, 9);
        const double s = 1.3;
        var output = new double[n];

        RatioField.Value(x, y, b, d, output, s);
        var expected = SampleInterpreter.Evaluate(Bind(RatioField.Formula), new SampleInputs(d, new[] { x, y }, new[] { null, b }, new[] { s }));
        for (int i = 0; i < n; i++) Reference.Close(expected[i], output[i], 1e-12, 1e-14, $"ratio F[{i}]");

        SelfField.Value(x, d, output, s);
        expected = SampleInterpreter.Evaluate(Bind(SelfField.Formula), new SampleInputs(d, new[] { x }, parameters: new[] { s }));
        for (int i = 0; i < n; i++) Reference.Close(expected[i], output[i], 1e-12, 1e-14, $"self F[{i}]");

        SoftminField.Value(x, y, b, d, output, s);
        expected = SampleInterpreter.Evaluate(Bind(SoftminField.Formula), new SampleInputs(d, new[] { x, y }, new[] { null, b }, new[] { s }));
        for (int i = 0; i < n; i++) Reference.Close(expected[i], output[i], 1e-12, 1e-12, $"softmin F[{i}]");
    }

    [Fact]
    public void RatioField_Gradient_IsTheCentralDifferenceOfEachPointsValue()
    {
        const int n = 6, m = 15, d = 2;
        double[] x = PairOracle.Normal(n * d, 10), y = PairOracle.Normal(m * d, 11), b = PairOracle.Positive(m, 12);
        const double s = 1.1, h = 1e-5;
        var value = new double[n];
        var fromGradient = new double[n];
        var g = new double[x.Length];
        RatioField.Value(x, y, b, d, value, s);
        RatioField.ValueAndGradient(x, y, b, d, fromGradient, g, s);
        Assert.Equal(value, fromGradient);
        var plus = new double[n];
        var minus = new double[n];
        for (int k = 0; k < x.Length; k++)
        {
            double keep = x[k];
            x[k] = keep + h;
            RatioField.Value(x, y, b, d, plus, s);
            x[k] = keep - h;
            RatioField.Value(x, y, b, d, minus, s);
            x[k] = keep;
            Reference.Close((plus[k / d] - minus[k / d]) / (2 * h), g[k], 1e-6, 1e-9, $"dF[{k}]");
        }
    }

    [Fact]
    public void SelfField_Gradient_HoldsThePointsJFixed()
    {
        const int n = 11, d = 3;
        const double s = 0.8;
        double[] x = PairOracle.Normal(n * d, 13);
        var g = new double[x.Length];
        SelfField.ValueAndGradient(x, d, default, g, s);
        // d/dx_i of mean_j 1 / (1 + |x_i - x_j|² / s), the x_j fixed: mean_j -(1 + f/s)^-2 · 2 (x_i - x_j) / s.
        for (int i = 0; i < n; i++)
            for (int c = 0; c < d; c++)
            {
                double expected = 0;
                for (int j = 0; j < n; j++)
                {
                    double f = 0;
                    for (int k = 0; k < d; k++) f += (x[i * d + k] - x[j * d + k]) * (x[i * d + k] - x[j * d + k]);
                    expected += -Math.Pow(1 + f / s, -2) * 2 * (x[i * d + c] - x[j * d + c]) / s / n;
                }
                Reference.Close(expected, g[i * d + c], 1e-12, 1e-14, $"dF[{i}, {c}]");
            }
    }

    private static T WithThreads<T>(int degree, Func<T> f)
    {
        int old = KernelSettings.MaxDegreeOfParallelism;
        KernelSettings.MaxDegreeOfParallelism = degree;
        try { return f(); }
        finally { KernelSettings.MaxDegreeOfParallelism = old; }
    }

    [Fact]
    public void Fields_SameBits_At1_2_16Threads()
    {
        const int n = 700, m = 523, d = 3;
        double[] z = PairOracle.Normal(n * d, 14), x = PairOracle.Normal(m * d, 15), y = PairOracle.Normal(m * d, 16), b = PairOracle.Positive(m, 17);
        float[] zf = PairOracle.ToFloat(z), xf = PairOracle.ToFloat(x), yf = PairOracle.ToFloat(y), bf = PairOracle.ToFloat(b);
        string Run()
        {
            var v = new double[n];
            var g = new double[z.Length];
            var vf = new float[n];
            var gf = new float[z.Length];
            var soft = new float[n];
            GaussianMmdWitness.ValueAndGradient(z, x, y, d, v, g, 1.1);
            RatioField.ValueAndGradient(zf, yf, bf, d, vf, gf, 1.7f);
            SoftminField.Value(zf, yf, bf, d, soft, 0.5f);
            static string Bits(IEnumerable<double> e) => string.Join(",", e.Select(q => BitConverter.DoubleToInt64Bits(q).ToString("X")));
            return Bits(v) + "|" + Bits(g) + "|" + Bits(vf.Select(q => (double)q)) + "|" + Bits(gf.Select(q => (double)q)) + "|" + Bits(soft.Select(q => (double)q));
        }
        string one = WithThreads(1, Run);
        Assert.Equal(one, WithThreads(2, Run));
        Assert.Equal(one, WithThreads(16, Run));
    }

    [Fact]
    public void BadSpans_ThrowArgumentException_NamingTheArgument()
    {
        const int d = 2;
        double[] z = PairOracle.Normal(4 * d, 18), x = PairOracle.Normal(5 * d, 19), y = PairOracle.Normal(6 * d, 20);
        var good = new double[4];
        Assert.Equal("output", Assert.ThrowsAny<ArgumentException>(() => GaussianMmdWitness.Value(z, x, y, d, new double[3], 1.0)).ParamName);
        Assert.Equal("output", Assert.ThrowsAny<ArgumentException>(() => GaussianMmdWitness.Value(z, x, y, d, default, 1.0)).ParamName);
        Assert.Equal("output", Assert.ThrowsAny<ArgumentException>(() => GaussianMmdWitness.Value(z, x, y, d, x.AsSpan(0, 4), 1.0)).ParamName);
        Assert.Equal("gradient", Assert.ThrowsAny<ArgumentException>(() => GaussianMmdWitness.ValueAndGradient(z, x, y, d, good, new double[7], 1.0)).ParamName);
        Assert.Equal("output", Assert.ThrowsAny<ArgumentException>(() => GaussianMmdWitness.ValueAndGradient(z, x, y, d, new double[5], new double[8], 1.0)).ParamName);
        Assert.Equal("gradient", Assert.ThrowsAny<ArgumentException>(() => GaussianMmdWitness.ValueAndGradient(z, x, y, d, good, z, 1.0)).ParamName);
        var both = new double[12];
        Assert.Equal("gradient", Assert.ThrowsAny<ArgumentException>(() => GaussianMmdWitness.ValueAndGradient(z, x, y, d, both.AsSpan(0, 4), both.AsSpan(2, 8), 1.0)).ParamName);
        Assert.Equal("z", Assert.ThrowsAny<ArgumentException>(() => GaussianMmdWitness.Value(z.AsSpan(0, 7), x, y, d, good, 1.0)).ParamName);
        Assert.Equal("b", Assert.ThrowsAny<ArgumentException>(() => SoftminField.Value(z, y, new double[5], d, good, 1.0)).ParamName);
    }
}
