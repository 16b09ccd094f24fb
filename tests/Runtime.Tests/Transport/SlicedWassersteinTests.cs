using System.Text.Json;
using KernelDsl.Catalogue;
using KernelDsl.Runtime.Tests.Catalogue;
using static KernelDsl.Runtime.Tests.Catalogue.Reference;

namespace KernelDsl.Runtime.Tests.Transport;

/// <summary>
/// <see cref="SlicedWasserstein"/> values: every case of samples/sliced_wasserstein (NumPy/SciPy float64, given unit
/// directions), d = 1 against scipy's CDF form and <see cref="Wasserstein1D"/>, unequal sizes and weights against the
/// independent 1-D references per direction, closed forms for translated clouds (given and seeded directions), and the
/// seeded directions themselves.
/// </summary>
/// <remarks>
/// Bounds. double: 1e-12 relative against the reference. float (inputs and directions rounded to float, computed in
/// double, rounded once): each projection θ'x moves by at most 2^-23 (1 + 2^-25) |θ| |x| (rounding of θ and of x), W_p
/// per direction by at most the largest projection move of each side (triangle inequality; W_p(u, u') ≤ max |u_i - u'_i|),
/// SW_p by at most the largest per-direction move (Minkowski), plus the final rounding 2^-24 SW_p:
/// |SW_float - SW| ≤ 2^-23 · 1.001 · max_l |θ_l| · (max_i |x_i| + max_j |y_j|) + 2^-24 · 1.001 · SW.
/// </remarks>
public class SlicedWassersteinTests
{
    private static IReadOnlyList<JsonElement> Cases() => Reference.Cases("samples/sliced_wasserstein");

    private static int Int(JsonElement c, string name) => c.GetProperty(name).GetInt32();

    private static string Name(JsonElement c) => c.GetProperty("name").GetString()!;

    private static double MaxNorm(double[] rows, int d) =>
        Enumerable.Range(0, rows.Length / d).Max(i => Math.Sqrt(Enumerable.Range(0, d).Sum(k => rows[i * d + k] * rows[i * d + k])));

    [Fact]
    public void EveryReferenceCase_Double_To1e12()
    {
        var cases = Cases();
        Assert.Equal(8, cases.Count);
        foreach (var c in cases)
        {
            int n = Int(c, "n"), d = Int(c, "d");
            double p = Param(c, "p");
            double[] x = Array(c, "x"), y = Array(c, "y"), theta = Array(c, "directions");
            Assert.Equal(Int(c, "projections") * d, theta.Length);
            double expected = Number(c.GetProperty("value"));
            Close(expected, SlicedWasserstein.Value(x, y, d, theta, p), 1e-12, 0, Name(c));
            var dx = new double[n * d];
            var dy = new double[n * d];
            Close(expected, SlicedWasserstein.ValueAndGradient(x, y, d, theta, dx, dy, p), 1e-12, 0, Name(c) + " with the gradient");
        }
    }

    [Fact]
    public void EveryReferenceCase_Float_WithinTheStatedBound()
    {
        foreach (var c in Cases())
        {
            int n = Int(c, "n"), d = Int(c, "d");
            double p = Param(c, "p");
            double[] x = Array(c, "x"), y = Array(c, "y"), theta = Array(c, "directions");
            float[] xf = x.Select(t => (float)t).ToArray(), yf = y.Select(t => (float)t).ToArray(), tf = theta.Select(t => (float)t).ToArray();
            double expected = Number(c.GetProperty("value"));
            double bound = Math.Pow(2, -23) * 1.001 * MaxNorm(theta, d) * (MaxNorm(x, d) + MaxNorm(y, d)) + Math.Pow(2, -24) * 1.001 * expected;
            float value = SlicedWasserstein.Value(xf, yf, d, tf, p);
            Close(expected, value, 0, bound, Name(c) + " float");
            // The float overload is the double engine on the widened inputs, rounded once.
            double widened = SlicedWasserstein.Value(xf.Select(t => (double)t).ToArray(), yf.Select(t => (double)t).ToArray(), d,
                tf.Select(t => (double)t).ToArray(), p);
            Assert.Equal((float)widened, value);
            var dxf = new float[n * d];
            Assert.Equal(value, SlicedWasserstein.ValueAndGradient(xf, yf, d, tf, dxf, default, p));
        }
    }

    [Fact]
    public void OneDimension_P1_IsScipysDistance_AndWasserstein1D()
    {
        var rng = new Random(31);
        double[] u = OneDimensionalReference.Normal(rng, 12), v = OneDimensionalReference.Normal(rng, 17, 0.4, 1.3);
        double[] uw = u.Select(_ => rng.NextDouble() + 0.1).ToArray(), vw = v.Select(_ => rng.NextDouble() + 0.1).ToArray();
        double[] one = { 1.0 };
        Close(OneDimensionalReference.CdfDistance(u, v), SlicedWasserstein.Value(u, v, 1, one, 1), 1e-12, 1e-14, "uniform, 12 vs 17");
        Close(OneDimensionalReference.CdfDistance(u, v, uw, vw), SlicedWasserstein.Value(u, v, 1, one, 1, uw, vw), 1e-12, 1e-14, "weighted");
        // The 1-D distance is symmetric under reflection; a direction is used as given, so -1 gives the same value and 2.5
        // scales every projection (and the distance) by 2.5.
        Assert.Equal(Wasserstein1D.Value(u, v, 2, uw, vw), SlicedWasserstein.Value(u, v, 1, one, 2, uw, vw));
        Close(Wasserstein1D.Value(u, v, 2), SlicedWasserstein.Value(u, v, 1, new[] { -1.0 }, 2), 1e-15, 0, "direction -1");
        Close(2.5 * Wasserstein1D.Value(u, v, 2), SlicedWasserstein.Value(u, v, 1, new[] { 2.5 }, 2), 1e-14, 0, "direction 2.5");
        Close(Wasserstein1D.Value(u, v, 2), SlicedWasserstein.Value(u, v, 1, 16, 99, 2), 1e-15, 0, "seeded, d = 1 (directions ±1)");
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    [InlineData(3.0)]
    public void UnequalSizesAndWeights_AreTheMeanOfTheOneDimensionalDistances(double p)
    {
        const int n = 6, m = 9, d = 3, count = 4;
        var rng = new Random(41);
        double[] x = OneDimensionalReference.Normal(rng, n * d), y = OneDimensionalReference.Normal(rng, m * d, 0.5, 1.2);
        double[] theta = OneDimensionalReference.Normal(rng, count * d);
        int[] xw = { 1, 2, 1, 3, 1, 2 }, yw = { 2, 1, 1, 1, 3, 1, 2, 1, 1 };
        double Project(double[] points, int i, int l) => Enumerable.Range(0, d).Sum(k => points[i * d + k] * theta[l * d + k]);
        double mean = 0;
        for (int l = 0; l < count; l++)
        {
            double[] u = Enumerable.Range(0, n).Select(i => Project(x, i, l)).ToArray(), v = Enumerable.Range(0, m).Select(j => Project(y, j, l)).ToArray();
            mean += Math.Pow(OneDimensionalReference.Replicated(u, v, p, xw, yw), p) / count;
        }
        double value = SlicedWasserstein.Value(x, y, d, theta, p, xw.Select(w => (double)w).ToArray(), yw.Select(w => (double)w).ToArray());
        Close(Math.Pow(mean, 1 / p), value, 1e-12, 0, "SW_p with integer weights, 6 vs 9");
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    [InlineData(3.0)]
    public void TranslatedClouds_GivenDirections_SWpIsTheMeanOfThetaDotCToThePowerP(double p)
    {
        // Y = X + c: every projection is a translation by θ'c, and a 1-D translation moves each sample by that amount, so
        // W_p(θ'X, θ'Y) = |θ'c| exactly and SW_p = (mean_l |θ_l'c|^p)^(1/p).
        const int n = 25, d = 4, count = 7;
        var rng = new Random(43);
        double[] x = OneDimensionalReference.Normal(rng, n * d), c = { 0.5, -1, 2, 0.25 };
        double[] y = Enumerable.Range(0, n * d).Select(i => x[i] + c[i % d]).ToArray();
        double[] theta = OneDimensionalReference.Normal(rng, count * d);
        double expected = Math.Pow(Enumerable.Range(0, count).Average(l => Math.Pow(Math.Abs(Enumerable.Range(0, d).Sum(k => theta[l * d + k] * c[k])), p)), 1 / p);
        Close(expected, SlicedWasserstein.Value(x, y, d, theta, p), 1e-13, 0, "translated clouds");
    }

    [Theory]
    [InlineData(3, 1.0)]
    [InlineData(3, 2.0)]
    [InlineData(10, 2.0)]
    public void TranslatedClouds_ManySeededDirections_ApproachTheSphereAverage(int d, double p)
    {
        // θ uniform on S^(d-1): E (θ'c)^2 = |c|^2 / d; for d = 3, θ'c / |c| is uniform on [-1, 1] (Archimedes), so
        // E |θ'c| = |c| / 2. With L directions the mean of |θ'c|^p / |c|^p has standard deviation σ / √L, σ² = E θ_1^(2p) -
        // (E |θ_1|^p)^2: 1/3 - 1/4 (d = 3, p = 1), 1/5 - 1/9 (d = 3, p = 2), 3/(d(d + 2)) - 1/d² (p = 2). The seeded
        // directions are fixed, so this deterministic check is held to 5σ/√L.
        const int n = 5, count = 20000;
        var rng = new Random(47);
        double[] x = OneDimensionalReference.Normal(rng, n * d);
        double[] c = Enumerable.Range(0, d).Select(k => 0.3 * (k + 1) - 1).ToArray();
        double norm = Math.Sqrt(c.Sum(t => t * t));
        double[] y = Enumerable.Range(0, n * d).Select(i => x[i] + c[i % d]).ToArray();
        double moment = p == 1 ? 0.5 : 1.0 / d;
        double sigma = p == 1 ? Math.Sqrt(1.0 / 3 - 0.25) : Math.Sqrt(3.0 / (d * (d + 2.0)) - 1.0 / (d * d));
        double mean = Math.Pow(SlicedWasserstein.Value(x, y, d, count, 2026, p) / norm, p);
        Assert.True(Math.Abs(mean - moment) <= 5 * sigma / Math.Sqrt(count), $"mean |θ'c|^p / |c|^p = {mean}, expected {moment} ± {5 * sigma / Math.Sqrt(count):E2}");
    }

    [Fact]
    public void SeededDirections_AreDeterministicUnitVectors_AndTheValuesUseThem()
    {
        const int count = 300, d = 7;
        var first = new double[count * d];
        var again = new double[count * d];
        SlicedWasserstein.Directions(count, d, 12345, first);
        SlicedWasserstein.Directions(count, d, 12345, again);
        Assert.Equal(first, again);
        var other = new double[count * d];
        SlicedWasserstein.Directions(count, d, 12346, other);
        Assert.NotEqual(first, other);
        for (int l = 0; l < count; l++)
            Close(1.0, Math.Sqrt(Enumerable.Range(0, d).Sum(k => first[l * d + k] * first[l * d + k])), 1e-15, 0, $"|θ_{l}|");
        // A shorter draw is a prefix of a longer one.
        var prefix = new double[10 * d];
        SlicedWasserstein.Directions(10, d, 12345, prefix);
        Assert.Equal(first.Take(10 * d), prefix);
        // Components have mean 0: they are uncorrelated with variance 1/d, so the mean of all L·d of them has standard
        // deviation 1/(d √L); held to 5σ.
        double m1 = first.Average(), m2 = first.Average(t => t * t);
        Assert.True(Math.Abs(m1) <= 5 / (d * Math.Sqrt(count)), $"mean {m1}");
        Assert.Equal(1.0 / d, m2, 12); // Σ_k θ_k² = 1 for each row, so the mean of the squares is exactly 1/d up to rounding
        var rng = new Random(3);
        double[] x = OneDimensionalReference.Normal(rng, 40 * d), y = OneDimensionalReference.Normal(rng, 30 * d, 1);
        Assert.Equal(SlicedWasserstein.Value(x, y, d, first, 2), SlicedWasserstein.Value(x, y, d, count, 12345, 2));
        Assert.Equal(SlicedWasserstein.Value(x, y, d, first, 1), SlicedWasserstein.Value(x, y, d, count, 12345, 1));
    }

    [Fact]
    public void OwnLogarithm_AgreesWithMathLog()
    {
        var rng = new Random(5);
        for (int i = 0; i < 10000; i++)
        {
            double s = i < 5000 ? rng.NextDouble() : Math.Pow(2, -104 * rng.NextDouble());
            if (s == 0) continue;
            Close(Math.Log(s), SlicedDirections.Log(s), 2e-15, 1e-300, $"log({s:R})");
        }
        Assert.Equal(0.0, SlicedDirections.Log(1.0));
    }

    [Fact]
    public void ProjectionsTimesD_PastAnArray_NamesTheCount_InsteadOfWrapping()
    {
        // 65,536 × 65,536 = 2^32 wraps to 0 in int; one point per cloud keeps the projections themselves small.
        const int d = 65_536, projections = 65_536;
        double[] x = new double[d], y = new double[d];
        Assert.Equal("projections", Assert.ThrowsAny<ArgumentException>(() => SlicedWasserstein.Value(x, y, d, projections, 1)).ParamName);
        float[] xf = new float[d], yf = new float[d];
        Assert.Equal("projections", Assert.ThrowsAny<ArgumentException>(() => SlicedWasserstein.Value(xf, yf, d, projections, 1)).ParamName);
    }
}
