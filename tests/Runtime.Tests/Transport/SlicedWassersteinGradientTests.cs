using KernelDsl.Catalogue;
using KernelDsl.Runtime.Tests.Catalogue;
using static KernelDsl.Runtime.Tests.Catalogue.Reference;

namespace KernelDsl.Runtime.Tests.Transport;

/// <summary>
/// <see cref="SlicedWasserstein"/> gradients against central differences (double, away from ties; equal and unequal sizes,
/// weights, p = 1, 1.5, 2, 3), the translated-cloud closed form of the gradient, gradients in place of their inputs, the
/// same bits at 1, 2 and 16 threads, and the argument checks.
/// </summary>
[Collection(nameof(ParallelismCollection))]
public class SlicedWassersteinGradientTests
{
    private static T WithThreads<T>(int degree, Func<T> f)
    {
        int old = KernelSettings.MaxDegreeOfParallelism;
        KernelSettings.MaxDegreeOfParallelism = degree;
        try { return f(); }
        finally { KernelSettings.MaxDegreeOfParallelism = old; }
    }

    [Theory]
    [InlineData(6, 6, 1.0, false)]
    [InlineData(6, 6, 2.0, false)]
    [InlineData(6, 6, 3.0, false)]
    [InlineData(5, 8, 1.0, true)]
    [InlineData(5, 8, 1.5, true)]
    [InlineData(5, 8, 2.0, true)]
    public void Gradient_MatchesCentralDifferences(int n, int m, double p, bool weighted)
    {
        const int d = 3, count = 5;
        var rng = new Random(53 + n + (int)(10 * p));
        double[] x = OneDimensionalReference.Normal(rng, n * d), y = OneDimensionalReference.Normal(rng, m * d, 0.7, 1.4);
        double[] theta = OneDimensionalReference.Normal(rng, count * d);
        double[]? xw = weighted ? Enumerable.Range(0, n).Select(_ => rng.NextDouble() + 0.2).ToArray() : null;
        double[]? yw = weighted ? Enumerable.Range(0, m).Select(_ => rng.NextDouble() + 0.2).ToArray() : null;
        var dx = new double[n * d];
        var dy = new double[m * d];
        double value = SlicedWasserstein.ValueAndGradient(x, y, d, theta, dx, dy, p, xw, yw);
        Assert.Equal(SlicedWasserstein.Value(x, y, d, theta, p, xw, yw), value);
        OneDimensionalReference.SameGradient(OneDimensionalReference.CentralDifferences(t => SlicedWasserstein.Value(t, y, d, theta, p, xw, yw), x), dx, 1e-7, "dx");
        OneDimensionalReference.SameGradient(OneDimensionalReference.CentralDifferences(t => SlicedWasserstein.Value(x, t, d, theta, p, xw, yw), y), dy, 1e-7, "dy");
        // Seeded directions: the same chain rule.
        SlicedWasserstein.ValueAndGradient(x, y, d, 9, 7, dx, dy, p, xw, yw);
        OneDimensionalReference.SameGradient(OneDimensionalReference.CentralDifferences(t => SlicedWasserstein.Value(t, y, d, 9, 7, p, xw, yw), x), dx, 1e-7, "dx, seeded");
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    public void Gradient_MatchesCentralDifferences_WhereEveryVectorTileRuns(double p)
    {
        // d = L = 21 = 16 + 4 + 1: the register tiles of 4 vectors, a single vector and the scalar tail all run, in the
        // projections (across directions) and in the gradient (across coordinates), for 128-, 256- and 512-bit vectors.
        const int n = 7, m = 6, d = 21, count = 21;
        var rng = new Random(71);
        double[] x = OneDimensionalReference.Normal(rng, n * d), y = OneDimensionalReference.Normal(rng, m * d, 0.3, 1.2);
        double[] theta = OneDimensionalReference.Normal(rng, count * d);
        var dx = new double[n * d];
        var dy = new double[m * d];
        SlicedWasserstein.ValueAndGradient(x, y, d, theta, dx, dy, p);
        OneDimensionalReference.SameGradient(OneDimensionalReference.CentralDifferences(t => SlicedWasserstein.Value(t, y, d, theta, p), x), dx, 1e-7, "dx");
        OneDimensionalReference.SameGradient(OneDimensionalReference.CentralDifferences(t => SlicedWasserstein.Value(x, t, d, theta, p), y), dy, 1e-7, "dy");
        // The value against projections computed here.
        double mean = 0;
        for (int l = 0; l < count; l++)
        {
            double[] u = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, d).Sum(k => x[i * d + k] * theta[l * d + k])).ToArray();
            double[] v = Enumerable.Range(0, m).Select(j => Enumerable.Range(0, d).Sum(k => y[j * d + k] * theta[l * d + k])).ToArray();
            mean += Math.Pow(OneDimensionalReference.Replicated(u, v, p), p) / count;
        }
        Close(Math.Pow(mean, 1 / p), SlicedWasserstein.Value(x, y, d, theta, p), 1e-12, 0, "value");
    }

    [Fact]
    public void Gradient_OfTranslatedClouds_IsTheClosedForm()
    {
        // Y = X + c, p = 2: SW_2² = mean_l (θ_l'c)², and moving x_i by δ changes only its own projections, so
        // ∂SW_2/∂x_i = -(1/n) mean_l (θ_l'c) θ_l / SW_2 and ∂SW_2/∂y_j = +(1/n) mean_l (θ_l'c) θ_l / SW_2.
        const int n = 8, d = 3, count = 6;
        var rng = new Random(59);
        double[] x = OneDimensionalReference.Normal(rng, n * d), c = { 1.5, -0.5, 0.75 };
        double[] y = Enumerable.Range(0, n * d).Select(i => x[i] + c[i % d]).ToArray();
        double[] theta = OneDimensionalReference.Normal(rng, count * d);
        double Dot(int l) => Enumerable.Range(0, d).Sum(k => theta[l * d + k] * c[k]);
        double sw = Math.Sqrt(Enumerable.Range(0, count).Average(l => Dot(l) * Dot(l)));
        double[] direction = Enumerable.Range(0, d).Select(k => Enumerable.Range(0, count).Average(l => Dot(l) * theta[l * d + k]) / (n * sw)).ToArray();
        var dx = new double[n * d];
        var dy = new double[n * d];
        Close(sw, SlicedWasserstein.ValueAndGradient(x, y, d, theta, dx, dy, 2), 1e-13, 0, "SW_2");
        for (int i = 0; i < n * d; i++)
        {
            Close(-direction[i % d], dx[i], 1e-12, 1e-15, $"dx[{i}]");
            Close(direction[i % d], dy[i], 1e-12, 1e-15, $"dy[{i}]");
        }
    }

    [Fact]
    public void Gradients_MayReplaceTheirInputs()
    {
        const int n = 30, m = 20, d = 4;
        var rng = new Random(61);
        double[] x = OneDimensionalReference.Normal(rng, n * d), y = OneDimensionalReference.Normal(rng, m * d, 1);
        var dx = new double[n * d];
        var dy = new double[m * d];
        double expected = SlicedWasserstein.ValueAndGradient(x, y, d, 16, 3, dx, dy, 2);
        double[] xx = (double[])x.Clone(), yy = (double[])y.Clone();
        Assert.Equal(expected, SlicedWasserstein.ValueAndGradient(xx, yy, d, 16, 3, xx, yy, 2));
        Assert.Equal(dx, xx);
        Assert.Equal(dy, yy);
    }

    [Theory]
    [InlineData(3000, 2500, 5, 64, false)]
    [InlineData(2048, 2048, 3, 40, true)]
    public void SameBits_At1_2_16Threads(int n, int m, int d, int count, bool weighted)
    {
        var rng = new Random(67);
        double[] x = OneDimensionalReference.Normal(rng, n * d), y = OneDimensionalReference.Normal(rng, m * d, 0.5, 2);
        double[]? xw = weighted ? Enumerable.Range(0, n).Select(_ => rng.NextDouble() + 0.1).ToArray() : null;
        double[]? yw = weighted ? Enumerable.Range(0, m).Select(_ => rng.NextDouble() + 0.1).ToArray() : null;
        float[] xf = x.Select(t => (float)t).ToArray(), yf = y.Select(t => (float)t).ToArray();
        string Run()
        {
            var dx = new double[n * d];
            var dy = new double[m * d];
            var dxf = new float[n * d];
            double value = SlicedWasserstein.ValueAndGradient(x, y, d, count, 5, dx, dy, 2, xw, yw);
            double plain = SlicedWasserstein.Value(x, y, d, count, 5, 1, xw, yw);
            float single = SlicedWasserstein.ValueAndGradient(xf, yf, d, count, 5, dxf, default, 1.5);
            return string.Join(",", new[] { value, plain, single }.Concat(dx).Concat(dy).Concat(dxf.Select(t => (double)t))
                .Select(t => BitConverter.DoubleToInt64Bits(t).ToString("X")));
        }
        string one = WithThreads(1, Run);
        Assert.Equal(one, WithThreads(2, Run));
        Assert.Equal(one, WithThreads(16, Run));
    }

    [Fact]
    public void ArgumentErrors_NameTheArgument()
    {
        double[] x = new double[6], y = new double[9], theta = { 1, 0, 0, 0, 1, 0 };
        void Throws(string name, Action call) => Assert.Equal(name, Assert.ThrowsAny<ArgumentException>(call).ParamName);
        Throws("d", () => SlicedWasserstein.Value(x, y, 0, theta));
        Throws("x", () => SlicedWasserstein.Value(new double[5], y, 3, theta));
        Throws("x", () => SlicedWasserstein.Value(System.Array.Empty<double>(), y, 3, theta));
        Throws("y", () => SlicedWasserstein.Value(x, new double[4], 3, theta));
        Throws("directions", () => SlicedWasserstein.Value(x, y, 3, System.Array.Empty<double>()));
        Throws("directions", () => SlicedWasserstein.Value(x, y, 3, new double[] { 1, 0 }));
        Throws("directions", () => SlicedWasserstein.Value(x, y, 3, new double[] { 1, 0, 0, 0, 0, 0 }));
        Throws("directions", () => SlicedWasserstein.Value(x, y, 3, new double[] { 1, double.NaN, 0 }));
        Throws("projections", () => SlicedWasserstein.Value(x, y, 3, 0, 1));
        Throws("p", () => SlicedWasserstein.Value(x, y, 3, theta, 0.99));
        Throws("p", () => SlicedWasserstein.Value(x, y, 3, 4, 1, double.NaN));
        Throws("xWeights", () => SlicedWasserstein.Value(x, y, 3, theta, 2, new double[3]));
        Throws("xWeights", () => SlicedWasserstein.Value(x, y, 3, theta, 2, new double[] { 1, -1 }));
        Throws("yWeights", () => SlicedWasserstein.Value(x, y, 3, theta, 2, default, new double[] { 0, 0, 0 }));
        Throws("dx", () => SlicedWasserstein.ValueAndGradient(x, y, 3, theta, new double[3], default));
        Throws("dy", () => SlicedWasserstein.ValueAndGradient(x, y, 3, theta, default, new double[6]));
        var shared = new double[15];
        Throws("dx", () => SlicedWasserstein.ValueAndGradient(x, y, 3, theta, shared.AsSpan(0, 6), shared.AsSpan(5, 9)));
        Throws("d", () => SlicedWasserstein.Value(new float[6], new float[9], -1, new float[3]));
        Throws("directions", () => SlicedWasserstein.Value(new float[6], new float[9], 3, new float[3]));
        Throws("dx", () => SlicedWasserstein.ValueAndGradient(new float[6], new float[9], 3, 2, 1, new float[5], default));
        Throws("projections", () => SlicedWasserstein.Directions(0, 3, 1, new double[3]));
        Throws("d", () => SlicedWasserstein.Directions(2, 0, 1, new double[0]));
        Throws("destination", () => SlicedWasserstein.Directions(2, 3, 1, new double[5]));
    }
}
