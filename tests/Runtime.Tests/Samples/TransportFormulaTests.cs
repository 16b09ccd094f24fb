using KernelDsl.Catalogue;
using KernelDsl.Language.Interpretation;
using KernelDsl.Runtime.Tests.Catalogue;
using KernelDsl.Runtime.Tests.Pairs;

namespace KernelDsl.Runtime.Tests.Samples;

/// <summary>A user cost: |x - y|^1.5 / 1.5, uniform weights, ε = blur^1.5.</summary>
[Divergence("(x: points, y: points; blur) => sinkhorn_divergence(c(x, y), blur^1.5) where c(u, v) = dist(u, v)^1.5 / 1.5")]
internal static partial class PowerCostDivergence;

/// <summary>A dot-product cost with weights on x only, OT_ε itself (no debiasing).</summary>
[Divergence("(x: points(a), y: points; t) => sinkhorn(2 - dot(x, y), t / 2)")]
internal static partial class DotCostTransport;

/// <summary>Weights under names of their own on both clouds, and ε from two parameters (the first one named when it fails).</summary>
[Divergence("(x: points(mu), y: points(nu); s, k) => sinkhorn(sqdist(x, y) / 2, s * k)")]
internal static partial class NamedWeightsTransport;

/// <summary>Weights on the second cloud only, under a name the solver does not use.</summary>
[Divergence("(x: points, y: points(mu); t) => sinkhorn_divergence(sqdist(x, y) / 2, t)")]
internal static partial class SecondWeightsTransport;

/// <summary>
/// The generated transport entry points (the catalogue's SinkhornDivergence and EntropicTransport, and user costs) end to
/// end through the Sinkhorn solver: against tests/reference/samples/sinkhorn_divergence (value 1e-9, grad_x 1e-7), the
/// closed form of one Dirac each side, the dense double oracle of the language (SampleDirectEvaluator: the cost from the
/// syntax, derivatives by the envelope theorem), central differences of the generated value, float within a stated
/// bound, the plan's marginals, convergence reported, ε checked on the host (naming the first parameter it reads), and the
/// weights' values checked under the formula's names with the solver's tolerances.
/// </summary>
public class TransportFormulaTests
{
    private static readonly SinkhornOptions Tight = new() { Tolerance = 1e-13, MaxIterations = 100_000 };

    private static void Close(double expected, double actual, double rel, double abs, string what) => Reference.Close(expected, actual, rel, abs, what);

    [Fact]
    public void Catalogue_SinkhornDivergence_MatchesTheReference()
    {
        foreach (var c in Reference.Cases("samples/sinkhorn_divergence"))
        {
            string name = c.GetProperty("name").GetString()!;
            int d = c.GetProperty("d").GetInt32();
            double[] x = Reference.Array(c, "x"), y = Reference.Array(c, "y"), a = Reference.Array(c, "a"), b = Reference.Array(c, "b");
            double blur = Reference.Param(c, "blur");
            var dx = new double[x.Length];
            var r = SinkhornDivergence.ValueAndGradient(x, a, y, b, d, dx, default, blur, Tight);
            Assert.True(r.Converged, $"{name}: error {r.MarginalError} after {r.Iterations}");
            Close(blur * blur, r.Epsilon, 1e-15, 0, name + " ε");
            Close(c.GetProperty("value").GetDouble(), r.Value, 1e-9, 1e-15, name + " value");
            double[] want = Reference.Array(c, "grad_x");
            for (int k = 0; k < want.Length; k++) Close(want[k], dx[k], 0, 1e-7, $"{name} grad_x[{k}]");
            Close(c.GetProperty("value").GetDouble(), SinkhornDivergence.Value(x, a, y, b, d, blur, Tight).Value, 1e-9, 1e-15, name + " Value");
            Close(c.GetProperty("ot_ab").GetDouble(), EntropicTransport.Value(x, a, y, b, d, blur, Tight).Value, 1e-9, 1e-15, name + " OT(a, b)");

            // float: the same problem to the bound the solver's float accumulation allows (relative 1e-4 of the value).
            float[] xf = x.Select(v => (float)v).ToArray(), yf = y.Select(v => (float)v).ToArray(), af = a.Select(v => (float)v).ToArray(), bf = b.Select(v => (float)v).ToArray();
            var rf = SinkhornDivergence.Value(xf, af, yf, bf, d, (float)blur);
            Assert.True(rf.Converged, name + " float");
            Close(c.GetProperty("value").GetDouble(), rf.Value, 1e-4, 1e-5, name + " float value");
        }
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(1.0)]
    [InlineData(10.0)]
    public void OneDiracEachSide_IsHalfTheSquaredDistance(double blur)
    {
        double[] x = [0.5, -1.0, 2.0], y = [-0.25, 0.75, 1.0], one = [1.0];
        double want = 0.5 * (0.75 * 0.75 + 1.75 * 1.75 + 1.0);
        var dx = new double[3];
        var r = SinkhornDivergence.ValueAndGradient(x, one, y, one, 3, dx, default, blur);
        Assert.True(r.Converged);
        Close(want, r.Value, 1e-12, 1e-12, "S");
        for (int k = 0; k < 3; k++) Close(x[k] - y[k], dx[k], 1e-12, 1e-12, $"grad_x[{k}]");
    }

    // A user cost against the language's dense oracle (value; x and y gradients by the envelope theorem) and against
    // central differences of the generated value.
    [Fact]
    public void UserCost_MatchesTheDenseOracle_AndCentralDifferences()
    {
        const int n = 7, m = 5, d = 2;
        double[] x = PairOracle.Normal(n * d, 3), y = PairOracle.Normal(m * d, 4);
        const double blur = 0.8;
        var inputs = new SampleInputs(d, new[] { x, y }, null, new[] { blur });
        var dx = new double[x.Length];
        var dy = new double[y.Length];
        var r = PowerCostDivergence.ValueAndGradient(x, y, d, dx, dy, blur, Tight);
        Assert.True(r.Converged);
        Close(SampleDirectEvaluator.Evaluate(PowerCostDivergence.Formula, inputs).Value, r.Value, 1e-9, 1e-12, "value");
        for (int e = 0; e < x.Length; e += 3)
            Close(SampleDirectEvaluator.Evaluate(PowerCostDivergence.Formula, inputs, SampleSeedKind.Cloud, 0, e).Derivative, dx[e], 1e-7, 1e-9, $"dx[{e}]");
        for (int e = 0; e < y.Length; e += 3)
            Close(SampleDirectEvaluator.Evaluate(PowerCostDivergence.Formula, inputs, SampleSeedKind.Cloud, 1, e).Derivative, dy[e], 1e-7, 1e-9, $"dy[{e}]");
        const double h = 1e-5;
        foreach (int e in new[] { 1, 6 })
        {
            double[] plus = (double[])y.Clone(), minus = (double[])y.Clone();
            plus[e] += h;
            minus[e] -= h;
            double fd = (PowerCostDivergence.Value(x, plus, d, blur, Tight).Value - PowerCostDivergence.Value(x, minus, d, blur, Tight).Value) / (2 * h);
            Close(fd, dy[e], 1e-5, 1e-7, $"dy[{e}] vs central difference");
        }
    }

    // OT_ε with a dot cost and weights on x: the value and ∂/∂x against the oracle, ∂/∂a = f (GeomLoss's convention; the
    // oracle's derivative in a_i is f_i when the masses are 1), and the potentials from Potentials.
    [Fact]
    public void DotCost_WithWeights_ValueAndGradients_MatchTheOracle()
    {
        const int n = 6, m = 4, d = 3;
        double[] x = PairOracle.Normal(n * d, 8), y = PairOracle.Normal(m * d, 9), a = PairOracle.Positive(n, 10);
        double total = a.Sum();
        for (int i = 0; i < n; i++) a[i] /= total;
        const double t = 0.9;
        var inputs = new SampleInputs(d, new[] { x, y }, new double[]?[] { a, null }, new[] { t });
        var dx = new double[x.Length];
        var da = new double[n];
        var r = DotCostTransport.ValueAndGradient(x, a, y, d, dx, default, da, t, Tight);
        Assert.True(r.Converged);
        Close(SampleDirectEvaluator.Evaluate(DotCostTransport.Formula, inputs).Value, r.Value, 1e-9, 1e-12, "value");
        for (int e = 0; e < x.Length; e += 2)
            Close(SampleDirectEvaluator.Evaluate(DotCostTransport.Formula, inputs, SampleSeedKind.Cloud, 0, e).Derivative, dx[e], 1e-7, 1e-9, $"dx[{e}]");
        var f = new double[n];
        var g = new double[m];
        DotCostTransport.Potentials(x, a, y, d, f, g, t, Tight);
        // Potentials are defined up to (f + k, g - k): ∂/∂a is compared along directions that keep Σ a (differences).
        double oracle0 = SampleDirectEvaluator.Evaluate(DotCostTransport.Formula, inputs, SampleSeedKind.Weight, 0, 0).Derivative;
        for (int i = 0; i < n; i++)
        {
            double oracle = SampleDirectEvaluator.Evaluate(DotCostTransport.Formula, inputs, SampleSeedKind.Weight, 0, i).Derivative;
            Close(oracle - oracle0, da[i] - da[0], 1e-7, 1e-9, $"da[{i}] - da[0]");
            Close(f[i], da[i], 1e-9, 1e-12, $"da[{i}] = f[{i}]");
        }
        Close(a.Zip(f, (w, v) => w * v).Sum() + g.Sum() / m, r.Value, 1e-9, 1e-12, "<a, f> + <b, g>");
    }

    // The lazy plan from the generated entry points: its rows sum to a (ApplyPlan of ones), and the barycentric map onto one
    // point is that point.
    [Fact]
    public void ApplyPlan_RowsSumToTheWeights_AndTheMapOntoADiracIsThatPoint()
    {
        const int n = 5, m = 6, d = 2;
        double[] x = PairOracle.Normal(n * d, 21), y = PairOracle.Normal(m * d, 22), a = PairOracle.Positive(n, 23), b = PairOracle.Positive(m, 24);
        double sa = a.Sum(), sb = b.Sum();
        for (int i = 0; i < n; i++) a[i] /= sa;
        for (int j = 0; j < m; j++) b[j] /= sb;
        const double blur = 0.7;
        var g = new double[m];
        Assert.True(EntropicTransport.Potentials(x, a, y, b, d, default, g, blur, Tight).Converged);
        var rows = new double[n];
        EntropicTransport.ApplyPlan(x, a, y, b, d, g, Enumerable.Repeat(1.0, m).ToArray(), 1, rows, blur);
        for (int i = 0; i < n; i++) Close(a[i], rows[i], 1e-12, 1e-14, $"row {i}");

        double[] dirac = [0.25, -0.5], one = [1.0];
        var g1 = new double[1];
        EntropicTransport.Potentials(x, a, dirac, one, d, default, g1, blur);
        var map = new double[n * d];
        EntropicTransport.BarycentricMap(x, a, dirac, one, d, g1, map, blur);
        for (int i = 0; i < n; i++)
            for (int k = 0; k < d; k++) Close(dirac[k], map[i * d + k], 1e-12, 1e-14, $"T(x_{i})[{k}]");
    }

    [Fact]
    public void ARunThatCannotConverge_SaysSo()
    {
        double[] x = PairOracle.Normal(40, 31), y = PairOracle.Normal(30, 32);
        var budget = new SinkhornOptions { MaxIterations = 3, Tolerance = 1e-12 };
        var r = PowerCostDivergence.Value(x, y, 2, 0.05, budget);
        Assert.False(r.Converged);
        Assert.True(r.Iterations <= 3);
        Assert.Throws<SinkhornNotConvergedException>(() => r.ConvergedValue);
        Assert.Throws<SinkhornNotConvergedException>(() => PowerCostDivergence.Value(x, y, 2, 0.05, new SinkhornOptions { MaxIterations = 3, Tolerance = 1e-12, ThrowIfNotConverged = true }));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void EpsilonNotPositiveAndFinite_NamesTheParameter(double value)
    {
        double[] x = [0.0, 1.0], y = [1.0, 2.0], w = [0.5, 0.5];
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => SinkhornDivergence.Value(x, w, y, w, 1, value));
        Assert.Equal("blur", e.ParamName);
        var t = Assert.Throws<ArgumentOutOfRangeException>(() => DotCostTransport.Value(x, w, y, 1, value));
        Assert.Equal("t", t.ParamName);
        // ε = t / 2 < 0 for a negative t; ε = blur² is positive for a negative blur.
        Assert.Equal("t", Assert.Throws<ArgumentOutOfRangeException>(() => DotCostTransport.Value(x, w, y, 1, -1.0)).ParamName);
        Assert.True(SinkhornDivergence.Value(x, w, y, w, 1, -1.0).Converged);
    }

    [Fact]
    public void BadArguments_NameTheCallersSpans()
    {
        double[] x = [0.0, 1.0, 2.0], y = [1.0, 2.0], w = [0.5, 0.5];
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => SinkhornDivergence.Value(x, w, y, w, 1, 1.0)).ParamName);
        Assert.Equal("dx", Assert.Throws<ArgumentException>(() => SinkhornDivergence.ValueAndGradient(y, w, y, w, 1, new double[3], default, 1.0)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => PowerCostDivergence.Value([0.0, 1.0], [1.0, 2.0, 3.0], 2, 1.0)).ParamName);
    }

    [Fact]
    public void EpsilonOfSeveralParameters_NamesTheFirst_AndListsThemAll()
    {
        double[] x = [0.0, 1.0], y = [1.0, 2.0], w = [0.5, 0.5];
        foreach (var (s, k) in new[] { (0.0, 1.0), (1.0, 0.0), (-1.0, 2.0), (double.NaN, 1.0), (1.0, double.PositiveInfinity) })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => NamedWeightsTransport.Value(x, w, y, w, 1, s, k));
            Assert.Equal("s", e.ParamName);
            Assert.Contains("s, k", e.Message, StringComparison.Ordinal);
        }
        Assert.True(NamedWeightsTransport.Value(x, w, y, w, 1, -1.0, -0.5).Converged);
    }

    // Each weight positive and finite, and equal masses (a cloud without weights has mass 1), under the formula's names:
    // the solver's own check would name a and b whatever the header calls them.
    [Fact]
    public void WeightValues_NameTheFormulasWeights()
    {
        double[] x = [0.0, 1.0, 2.0], y = [1.0, 2.0], half = [0.5, 0.5], third = [0.25, 0.25, 0.5];
        ArgumentException Fails(Action call) => Assert.Throws<ArgumentException>(call);

        // Positive and finite, each side.
        foreach (double bad in new[] { 0.0, -0.25, double.NaN, double.PositiveInfinity })
        {
            double[] wx = [0.25, bad, 0.5], wy = [0.5, bad];
            Assert.Equal("mu", Fails(() => NamedWeightsTransport.Value(x, wx, y, half, 1, 1.0, 1.0)).ParamName);
            Assert.Equal("nu", Fails(() => NamedWeightsTransport.Value(x, third, y, wy, 1, 1.0, 1.0)).ParamName);
            Assert.Equal("mu", Fails(() => SecondWeightsTransport.Value(x, y, wy, 1, 1.0)).ParamName);
            Assert.Equal("a", Fails(() => DotCostTransport.Value(x, wx, y, 1, 1.0)).ParamName);
        }

        // Masses that differ: the second cloud's weights are named, or the first's when the second has none.
        var e = Fails(() => NamedWeightsTransport.Value(x, third, y, [0.5, 1.5], 1, 1.0, 1.0));
        Assert.Equal("nu", e.ParamName);
        Assert.Contains("Σmu = 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("Σnu = 2", e.Message, StringComparison.Ordinal);
        e = Fails(() => SecondWeightsTransport.Value(x, y, [1.0, 1.0], 1, 1.0));
        Assert.Equal("mu", e.ParamName);
        Assert.Contains("'x' has no weights (uniform, mass 1)", e.Message, StringComparison.Ordinal);
        e = Fails(() => DotCostTransport.Value(x, [1.0, 0.5, 0.5], y, 1, 1.0));
        Assert.Equal("a", e.ParamName);
        Assert.Contains("'y' has no weights", e.Message, StringComparison.Ordinal);

        // Every entry point checks them: the gradients, the potentials, the plan and the map.
        double[] two = [1.0, 1.0];
        Assert.Equal("nu", Fails(() => NamedWeightsTransport.ValueAndGradient(x, third, y, two, 1, new double[3], default, 1.0, 1.0)).ParamName);
        Assert.Equal("nu", Fails(() => NamedWeightsTransport.ValueAndGradient(x, third, y, two, 1, default, default, new double[3], default, 1.0, 1.0)).ParamName);
        Assert.Equal("nu", Fails(() => NamedWeightsTransport.Potentials(x, third, y, two, 1, default, new double[2], 1.0, 1.0)).ParamName);
        Assert.Equal("nu", Fails(() => NamedWeightsTransport.ApplyPlan(x, third, y, two, 1, new double[2], new double[2], 1, new double[3], 1.0, 1.0)).ParamName);
        Assert.Equal("mu", Fails(() => SecondWeightsTransport.BarycentricMap(x, y, two, 1, new double[2], new double[3], 1.0)).ParamName);
    }

    // The relative tolerance on the masses is the solver's (1e-5 float, 1e-9 double): just inside, the solve runs (the
    // generated check is no stricter); just outside, the formula's name is in the error (it is no looser).
    [Fact]
    public void MassTolerance_IsTheSolvers()
    {
        double[] x = [0.0, 1.0, 2.0], y = [1.0, 2.0], third = [0.25, 0.25, 0.5];
        float[] xf = [0f, 1f, 2f], yf = [1f, 2f], thirdf = [0.25f, 0.25f, 0.5f];
        foreach (var (relative, throws) in new[] { (0.4, false), (4.0, true) })
        {
            double[] nu = [0.5, 0.5 + relative * 1e-9];
            float[] nuf = [0.5f, (float)(0.5 + relative * 1e-5)];
            if (throws)
            {
                Assert.Equal("nu", Assert.Throws<ArgumentException>(() => NamedWeightsTransport.Value(x, third, y, nu, 1, 1.0, 1.0)).ParamName);
                Assert.Equal("nu", Assert.Throws<ArgumentException>(() => NamedWeightsTransport.Value(xf, thirdf, yf, nuf, 1, 1f, 1f)).ParamName);
            }
            else
            {
                Assert.True(NamedWeightsTransport.Value(x, third, y, nu, 1, 1.0, 1.0).Converged);
                Assert.True(NamedWeightsTransport.Value(xf, thirdf, yf, nuf, 1, 1f, 1f).Converged);
            }
        }
    }
}
