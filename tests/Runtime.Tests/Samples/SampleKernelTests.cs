using KernelDsl.Catalogue;
using KernelDsl.Language;
using KernelDsl.Language.Binding;
using KernelDsl.Language.Interpretation;
using KernelDsl.Runtime.Tests.Catalogue;
using KernelDsl.Runtime.Tests.Pairs;

namespace KernelDsl.Runtime.Tests.Samples;

/// <summary>A nonlinear epilogue over three pair terms, one of them a dot product and one a U-statistic.</summary>
[Divergence("(x: points, y: points; c) => log(mean(tanh(c * dot(x, y)) + 2)) * mean(sqdist(x, x)) + umean(exp(-dist(y, y) / c))")]
internal static partial class MixedPairFormula;

/// <summary>Weighted sums, means and U-statistics in a quotient.</summary>
[Divergence("(x: points(a), y: points(b); c) => sum(sigmoid(c - sqdist(x, y))) / (1 + mean(softplus(dot(x, x) / c))) - umean(sqrt(1 + sqdist(y, y)))")]
internal static partial class WeightedPairFormula;

/// <summary>Three clouds and one kernel: z meets y and x on the j side, and itself.</summary>
[Divergence("(x: points, y: points, z: points) => mean(k(x, y)) + mean(k(y, z)) - 3 * mean(k(x, z)) + mean(k(z, z)) where k(u, v) = 1 / (1 + sqdist(u, v))")]
internal static partial class ThreeCloudFormula;

/// <summary>
/// Generated sample kernels against the double oracle (the sample interpreter, which evaluates the bound DAG and the
/// differentiator's gradient DAG with no planner), against central differences of their own value, across thread counts,
/// and on bad arguments.
/// </summary>
[Collection(nameof(ParallelismCollection))]
public class SampleKernelTests
{
    private static BoundSampleFormula Bind(string text)
    {
        var bag = new DiagnosticBag();
        var bound = SampleBinder.Compile(text, bag);
        Assert.False(bag.HasErrors, string.Join("; ", bag.Items));
        return bound;
    }

    private static void Close(double expected, double actual, double rel, string what) =>
        Reference.Close(expected, actual, rel, rel * 1e-3, what);

    [Theory]
    [InlineData(5, 7, 2, 1)]
    [InlineData(40, 33, 3, 2)]
    [InlineData(300, 290, 5, 3)]
    public void PairFormulas_MatchTheSampleInterpreter_ValuesAndGradients(int n, int m, int d, int seed)
    {
        double[] x = PairOracle.Normal(n * d, seed), y = PairOracle.Normal(m * d, seed + 10), z = PairOracle.Normal((m + 3) * d, seed + 20);
        double[] a = PairOracle.Positive(n, seed + 30), b = PairOracle.Positive(m, seed + 40);
        const double c = 0.7;
        var dx = new double[x.Length];
        var dy = new double[y.Length];
        var dz = new double[z.Length];

        var mixed = Bind(MixedPairFormula.Formula);
        var input = new SampleInputs(d, new[] { x, y }, parameters: new[] { c });
        Check(mixed, input, MixedPairFormula.Value(x, y, d, c), MixedPairFormula.ValueAndGradient(x, y, d, dx, dy, c), new[] { dx, dy }, "mixed");

        var weighted = Bind(WeightedPairFormula.Formula);
        input = new SampleInputs(d, new[] { x, y }, new[] { a, b }, new[] { c });
        Check(weighted, input, WeightedPairFormula.Value(x, a, y, b, d, c), WeightedPairFormula.ValueAndGradient(x, a, y, b, d, dx, dy, c), new[] { dx, dy }, "weighted");

        var three = Bind(ThreeCloudFormula.Formula);
        input = new SampleInputs(d, new[] { x, y, z });
        Check(three, input, ThreeCloudFormula.Value(x, y, z, d), ThreeCloudFormula.ValueAndGradient(x, y, z, d, dx, dy, dz), new[] { dx, dy, dz }, "three clouds");
    }

    private static void Check(BoundSampleFormula f, SampleInputs input, double value, double valueWithGradient, double[][] gradients, string what)
    {
        var oracle = SampleInterpreter.Gradient(f, input);
        Close(SampleInterpreter.Evaluate(f, input)[0], value, 1e-11, what + " value");
        Close(oracle.Value, valueWithGradient, 1e-11, what + " value with the gradient");
        for (int k = 0; k < gradients.Length; k++)
        {
            double scale = oracle.Clouds[k].Max(Math.Abs);
            for (int i = 0; i < gradients[k].Length; i++)
                Reference.Close(oracle.Clouds[k][i], gradients[k][i], 1e-10, 1e-12 * scale, $"{what} d{f.CloudNames[k]}[{i}]");
        }
    }

    [Fact]
    public void Gradients_MatchCentralDifferences_OfTheirOwnValue_InBothClouds()
    {
        const int n = 6, m = 5, d = 3;
        double[] x = PairOracle.Normal(n * d, 7), y = PairOracle.Normal(m * d, 8);
        var members = new (string Name, Func<double[], double[], double> Value, Action<double[], double[], double[], double[]> Gradient)[]
        {
            ("GaussianMmd2Unbiased", (x, y) => GaussianMmd2Unbiased.Value(x, y, d, 1.3), (x, y, dx, dy) => GaussianMmd2Unbiased.ValueAndGradient(x, y, d, dx, dy, 1.3)),
            ("LaplaceMmd2", (x, y) => LaplaceMmd2.Value(x, y, d, 1.3), (x, y, dx, dy) => LaplaceMmd2.ValueAndGradient(x, y, d, dx, dy, 1.3)),
            ("InverseMultiquadricMmd2", (x, y) => InverseMultiquadricMmd2.Value(x, y, d, 1.3), (x, y, dx, dy) => InverseMultiquadricMmd2.ValueAndGradient(x, y, d, dx, dy, 1.3)),
            ("EnergyDistance", (x, y) => EnergyDistance.Value(x, y, d), (x, y, dx, dy) => EnergyDistance.ValueAndGradient(x, y, d, dx, dy)),
            ("CauchySchwarzSamples", (x, y) => CauchySchwarzSamples.Value(x, y, d, 0.9), (x, y, dx, dy) => CauchySchwarzSamples.ValueAndGradient(x, y, d, dx, dy, 0.9)),
        };
        const double h = 1e-6;
        foreach (var (name, value, gradient) in members)
        {
            var dx = new double[x.Length];
            var dy = new double[y.Length];
            gradient(x, y, dx, dy);
            foreach (var (cloud, g, label) in new[] { (x, dx, "dx"), (y, dy, "dy") })
                for (int i = 0; i < cloud.Length; i++)
                {
                    double keep = cloud[i];
                    cloud[i] = keep + h;
                    double up = value(x, y);
                    cloud[i] = keep - h;
                    double down = value(x, y);
                    cloud[i] = keep;
                    Reference.Close((up - down) / (2 * h), g[i], 1e-6, 1e-8, $"{name} {label}[{i}]");
                }
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
    public void SameBits_At1_2_16Threads()
    {
        const int n = 1000, m = 777, d = 3;
        double[] x = PairOracle.Normal(n * d, 1), y = PairOracle.Normal(m * d, 2), a = PairOracle.Positive(n, 3), b = PairOracle.Positive(m, 4);
        float[] xf = PairOracle.ToFloat(x), yf = PairOracle.ToFloat(y);
        string Run()
        {
            var dx = new double[x.Length];
            var dy = new double[y.Length];
            var dxf = new float[xf.Length];
            var values = new List<double>
            {
                GaussianMmd2Unbiased.Value(x, y, d, 1.5),
                WeightedGaussianMmd2.ValueAndGradient(x, a, y, b, d, dx, dy, 1.5),
                CauchySchwarzSamples.ValueAndGradient(xf, yf, d, dxf, default, 1.5f),
                MixedPairFormula.Value(x, y, d, 0.5),
            };
            static string Bits(IEnumerable<double> v) => string.Join(",", v.Select(e => BitConverter.DoubleToInt64Bits(e).ToString("X")));
            return Bits(values) + "|" + Bits(dx) + "|" + Bits(dy) + "|" + Bits(dxf.Select(e => (double)e));
        }
        string one = WithThreads(1, Run);
        Assert.Equal(one, WithThreads(2, Run));
        Assert.Equal(one, WithThreads(16, Run));
    }

    [Fact]
    public void BadArguments_ThrowArgumentException_NamingTheArgument()
    {
        double[] x = new double[6], y = new double[4], a = new double[3], b = new double[2];
        Assert.Equal("d", Assert.ThrowsAny<ArgumentException>(() => GaussianMmd2.Value(x, y, 0, 1.0)).ParamName);
        Assert.Equal("x", Assert.ThrowsAny<ArgumentException>(() => GaussianMmd2.Value(x, y, 4, 1.0)).ParamName);
        Assert.Equal("y", Assert.ThrowsAny<ArgumentException>(() => GaussianMmd2.Value(x, new double[5], 2, 1.0)).ParamName);
        // An empty cloud: a mean over it is 0/0, refused instead of a NaN value beside a finite gradient (found in review).
        Assert.Equal("y", Assert.ThrowsAny<ArgumentException>(() => GaussianMmd2.Value(x, Array.Empty<double>(), 2, 1.0)).ParamName);
        Assert.Equal("x", Assert.ThrowsAny<ArgumentException>(() => GaussianMmd2.ValueAndGradient(Array.Empty<double>(), y, 2, default, new double[y.Length], 1.0)).ParamName);
        // d = 0 in the engine's own Gaussian instantiation was a DivideByZeroException (found in review).
        Assert.Equal("d", Assert.ThrowsAny<ArgumentException>(() => KernelDsl.Runtime.GaussianMmd.Value(x, y, 0, 1.0, KernelDsl.Runtime.MmdEstimator.Biased)).ParamName);
        Assert.Equal("a", Assert.ThrowsAny<ArgumentException>(() => WeightedGaussianMmd2.Value(x, new double[2], y, b, 2, 1.0)).ParamName);
        Assert.Equal("b", Assert.ThrowsAny<ArgumentException>(() => WeightedGaussianMmd2.Value(x, a, y, new double[3], 2, 1.0)).ParamName);
        Assert.Equal("dx", Assert.ThrowsAny<ArgumentException>(() => GaussianMmd2.ValueAndGradient(x, y, 2, new double[5], default, 1.0)).ParamName);
        Assert.Equal("dy", Assert.ThrowsAny<ArgumentException>(() => GaussianMmd2.ValueAndGradient(x, y, 2, default, new double[6], 1.0)).ParamName);
        Assert.Equal("dx", Assert.ThrowsAny<ArgumentException>(() => GaussianMmd2.ValueAndGradient(x, y, 2, x, default, 1.0)).ParamName);
        var shared = new double[10];
        Assert.Equal("dy", Assert.ThrowsAny<ArgumentException>(() => GaussianMmd2.ValueAndGradient(x, y, 2, shared.AsSpan(0, 6), shared.AsSpan(4, 4), 1.0)).ParamName);
    }

    [Fact]
    public void EmptyGradientSpans_SkipThatGradient_AndLeaveTheValue()
    {
        const int d = 2;
        double[] x = PairOracle.Normal(8 * d, 5), y = PairOracle.Normal(6 * d, 6);
        var dy = new double[y.Length];
        var both = new double[x.Length];
        var dyBoth = new double[y.Length];
        double value = CauchySchwarzSamples.Value(x, y, d, 0.8);
        Reference.Close(value, CauchySchwarzSamples.ValueAndGradient(x, y, d, default, dy, 0.8), 1e-12, 0, "dy only");
        Reference.Close(value, CauchySchwarzSamples.ValueAndGradient(x, y, d, default, default, 0.8), 1e-12, 0, "no gradient");
        CauchySchwarzSamples.ValueAndGradient(x, y, d, both, dyBoth, 0.8);
        Assert.Equal(dyBoth, dy);
    }
}
