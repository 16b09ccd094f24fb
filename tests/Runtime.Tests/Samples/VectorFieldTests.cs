using KernelDsl.Catalogue;
using KernelDsl.Language;
using KernelDsl.Language.Binding;
using KernelDsl.Language.Interpretation;
using KernelDsl.Runtime.Tests.Catalogue;
using KernelDsl.Runtime.Tests.Pairs;

namespace KernelDsl.Runtime.Tests.Samples;

/// <summary>A vector field with weights on j: the weighted mean displacement towards y, through a local function.</summary>
[Divergence("(x: points, y: points(b); h) => mean_j(g(x, y)) where g(u, v) = (v - u) * exp(-sqdist(u, v) / h)")]
internal static partial class WeightedDriftField;

/// <summary>A self vector field with the point itself outside the sum: x_i plus a repulsion from every x_j.</summary>
[Divergence("(x: points; h) => x + mean_j(r(x, x)) where r(u, v) = (u - v) / (1 + sqdist(u, v) / h)")]
internal static partial class RepulsionStepField;

/// <summary>Payload, point and plain row sums in one epilogue: Σ_j k y_j - x_i Σ_j k over 1 + Σ_j k.</summary>
[Divergence("(x: points, y: points; h) => (sum_j(k(x, y) * y) - x * sum_j(k(x, y))) / (1 + sum_j(k(x, y))) where k(u, v) = 1 / (1 + dot(u, v)^2 / h)")]
internal static partial class MixedVectorField;

/// <summary>Companions on both clouds, one read at j (a payload) and one at the output point i.</summary>
[Divergence("(x: points, s: vectors(x), y: points(b), t: vectors(y); h) => mean_j(g(x, y)) where g(u, v) = t(v) * exp(-dist(u, v) / h) - s(u) * dot(u, v)")]
internal static partial class CompanionField;

/// <summary>
/// Vector fields (a d-vector per point, output n × d): the Gaussian barycentric map against a plain double loop, other
/// shapes against the sample interpreter (the double oracle), tails of every width, the same bits at 1, 2 and 16 threads,
/// and bad spans.
/// </summary>
[Collection(nameof(ParallelismCollection))]
public class VectorFieldTests
{
    private static BoundSampleFormula Bind(string text)
    {
        var bag = new DiagnosticBag();
        var bound = SampleBinder.Compile(text, bag);
        Assert.False(bag.HasErrors, string.Join("; ", bag.Items));
        Assert.True(bound.OutputIsVector);
        return bound;
    }

    // T(x_i) = Σ_j k_ij y_j / Σ_j k_ij, k = exp(-|x_i - y_j|² / (2σ²)), by a plain double loop.
    private static double[] Barycentric(double[] x, double[] y, int d, double sigma)
    {
        int n = x.Length / d, m = y.Length / d;
        var t = new double[x.Length];
        for (int i = 0; i < n; i++)
        {
            double total = 0;
            var acc = new double[d];
            for (int j = 0; j < m; j++)
            {
                double f = 0;
                for (int c = 0; c < d; c++) f += (x[i * d + c] - y[j * d + c]) * (x[i * d + c] - y[j * d + c]);
                double k = Math.Exp(-f / (2 * sigma * sigma));
                total += k;
                for (int c = 0; c < d; c++) acc[c] += k * y[j * d + c];
            }
            for (int c = 0; c < d; c++) t[i * d + c] = acc[c] / total;
        }
        return t;
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(37, 29, 3)]
    [InlineData(70, 131, 17)]
    public void GaussianBarycentricMap_MatchesAPlainLoop(int n, int m, int d)
    {
        double[] x = PairOracle.Normal(n * d, 21), y = PairOracle.Normal(m * d, 22);
        double sigma = 0.8 * Math.Sqrt(d);
        var expected = Barycentric(x, y, d, sigma);
        var output = new double[n * d];
        GaussianBarycentricMap.Value(x, y, d, output, sigma);
        for (int k = 0; k < output.Length; k++) Reference.Close(expected[k], output[k], 1e-12, 1e-14, $"T[{k}]");

        // float: the two row sums are rounded to float (2^-24 relative each) before their ratio, a convex combination of
        // the y_j: the error is bounded relative to the largest |y|.
        float[] xf = PairOracle.ToFloat(x), yf = PairOracle.ToFloat(y);
        var e64 = Barycentric(xf.Select(e => (double)e).ToArray(), yf.Select(e => (double)e).ToArray(), d, (float)sigma);
        var of = new float[n * d];
        GaussianBarycentricMap.Value(xf, yf, d, of, (float)sigma);
        double scale = Math.Max(1, yf.Max(e => Math.Abs((double)e)));
        for (int k = 0; k < of.Length; k++) Reference.Close(e64[k], of[k], 0, 1e-5 * scale, $"float T[{k}]");
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(5, 7, 2)]
    [InlineData(66, 131, 3)]
    [InlineData(33, 19, 17)]
    public void VectorFields_MatchTheSampleInterpreter(int n, int m, int d)
    {
        double[] x = PairOracle.Normal(n * d, 23), y = PairOracle.Normal(m * d, 24), b = PairOracle.Positive(m, 25);
        const double h = 1.7;
        var output = new double[n * d];

        WeightedDriftField.Value(x, y, b, d, output, h);
        var expected = SampleInterpreter.Evaluate(Bind(WeightedDriftField.Formula), new SampleInputs(d, new[] { x, y }, new[] { null, b }, new[] { h }));
        Close(expected, output, "drift");

        RepulsionStepField.Value(x, d, output, h);
        expected = SampleInterpreter.Evaluate(Bind(RepulsionStepField.Formula), new SampleInputs(d, new[] { x }, parameters: new[] { h }));
        Close(expected, output, "repulsion");

        MixedVectorField.Value(x, y, d, output, h);
        expected = SampleInterpreter.Evaluate(Bind(MixedVectorField.Formula), new SampleInputs(d, new[] { x, y }, parameters: new[] { h }));
        Close(expected, output, "mixed");

        double[] s = PairOracle.Normal(n * d, 31), t = PairOracle.Normal(m * d, 32);
        CompanionField.Value(x, s, y, b, t, d, output, h);
        expected = SampleInterpreter.Evaluate(Bind(CompanionField.Formula), new SampleInputs(d, new[] { x, y }, new[] { null, b }, new[] { h }, companions: new[] { s, t }));
        Close(expected, output, "companions");

        GaussianBarycentricMap.Value(x, y, d, output, h);
        expected = SampleInterpreter.Evaluate(Bind(GaussianBarycentricMap.Formula), new SampleInputs(d, new[] { x, y }, parameters: new[] { h }));
        Close(expected, output, "barycentric");
    }

    // Relative 1e-12, absolute 1e-14 of the field's largest entry (an entry near 0 is a difference of sums of that size).
    private static void Close(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = Math.Max(1e-300, expected.Max(Math.Abs));
        for (int k = 0; k < actual.Length; k++) Reference.Close(expected[k], actual[k], 1e-12, 1e-14 * scale, $"{what} F[{k}]");
    }

    private static T WithThreads<T>(int degree, Func<T> f)
    {
        int old = KernelSettings.MaxDegreeOfParallelism;
        KernelSettings.MaxDegreeOfParallelism = degree;
        try { return f(); }
        finally { KernelSettings.MaxDegreeOfParallelism = old; }
    }

    [Fact]
    public void VectorFields_SameBits_At1_2_16Threads()
    {
        const int n = 1500, m = 1300, d = 5;
        double[] x = PairOracle.Normal(n * d, 26), y = PairOracle.Normal(m * d, 27), b = PairOracle.Positive(m, 28);
        float[] xf = PairOracle.ToFloat(x), yf = PairOracle.ToFloat(y);
        string Run()
        {
            var o = new double[n * d];
            var of = new float[n * d];
            var text = new System.Text.StringBuilder();
            WeightedDriftField.Value(x, y, b, d, o, 2.0);
            text.Append(string.Join(",", o.Select(BitConverter.DoubleToInt64Bits)));
            RepulsionStepField.Value(x, d, o, 2.0);
            text.Append(string.Join(",", o.Select(BitConverter.DoubleToInt64Bits)));
            GaussianBarycentricMap.Value(xf, yf, d, of, 1.5f);
            text.Append(string.Join(",", of.Select(BitConverter.SingleToInt32Bits)));
            return text.ToString();
        }
        string one = WithThreads(1, Run);
        Assert.Equal(one, WithThreads(2, Run));
        Assert.Equal(one, WithThreads(16, Run));
    }

    [Fact]
    public void BadSpans_ThrowArgumentException_NamingTheArgument()
    {
        const int d = 2;
        double[] x = PairOracle.Normal(4 * d, 29), y = PairOracle.Normal(6 * d, 30);
        var good = new double[4 * d];
        Assert.Equal("output", Assert.ThrowsAny<ArgumentException>(() => GaussianBarycentricMap.Value(x, y, d, new double[4], 1.0)).ParamName);
        Assert.Equal("output", Assert.ThrowsAny<ArgumentException>(() => GaussianBarycentricMap.Value(x, y, d, default, 1.0)).ParamName);
        Assert.Equal("output", Assert.ThrowsAny<ArgumentException>(() => GaussianBarycentricMap.Value(x, y, d, y.AsSpan(0, 8), 1.0)).ParamName);
        Assert.Equal("x", Assert.ThrowsAny<ArgumentException>(() => GaussianBarycentricMap.Value(x.AsSpan(0, 7), y, d, good, 1.0)).ParamName);
        Assert.Equal("y", Assert.ThrowsAny<ArgumentException>(() => GaussianBarycentricMap.Value(x, y.AsSpan(0, 5), d, good, 1.0)).ParamName);
        Assert.Equal("b", Assert.ThrowsAny<ArgumentException>(() => WeightedDriftField.Value(x, y, new double[5], d, good, 1.0)).ParamName);
        double[] s = PairOracle.Normal(4 * d, 33), t = PairOracle.Normal(6 * d, 34), b = PairOracle.Positive(6, 35);
        Assert.Equal("s", Assert.ThrowsAny<ArgumentException>(() => CompanionField.Value(x, s.AsSpan(0, 6), y, b, t, d, good, 1.0)).ParamName);
        Assert.Equal("t", Assert.ThrowsAny<ArgumentException>(() => CompanionField.Value(x, s, y, b, t.AsSpan(0, 10), d, good, 1.0)).ParamName);
        Assert.Equal("output", Assert.ThrowsAny<ArgumentException>(() => CompanionField.Value(x, s, y, b, t, d, s, 1.0)).ParamName);
    }
}
