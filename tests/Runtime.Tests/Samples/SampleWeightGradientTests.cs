using KernelDsl.Catalogue;
using KernelDsl.Language;
using KernelDsl.Language.Binding;
using KernelDsl.Language.Interpretation;
using KernelDsl.Runtime.Tests.Catalogue;
using KernelDsl.Runtime.Tests.Pairs;

namespace KernelDsl.Runtime.Tests.Samples;

/// <summary>
/// A weighted U-statistic of a dot-product term (its diagonal is |x_i|², not 0), a parameter outside the pair terms
/// (∂V/∂c of the epilogue itself) and a quotient of reductions.
/// </summary>
[Divergence("(x: points(a), y: points(b); c) => umean(tanh(c * dot(x, x))) - c^2 * mean(exp(-sqdist(x, y))) / (1 + mean(sqdist(y, y)))")]
internal static partial class WeightedDotFormula;

/// <summary>The energy distance between weighted samples: weights and no parameter (the overload has no dParams).</summary>
[Divergence("(x: points(a), y: points(b)) => 2 * mean(dist(x, y)) - mean(dist(x, x)) - mean(dist(y, y))")]
internal static partial class WeightedEnergyDistance;

/// <summary>
/// The gradient with respect to the weights (and the parameters, with them) of weighted sample formulas: against a
/// closed form written here, central differences of the double value, the sample interpreter (the double oracle that
/// differentiates the bound DAG with no planner), across thread counts, and on bad spans.
/// </summary>
/// <remarks>
/// Central differences: step 1e-6 on weights in [0.1, 1.1], bound 1e-7 relative plus 1e-9 absolute (truncation ~1e-12,
/// rounding ~1e-10 of values near 1). Oracle and closed form: 1e-11 relative plus 1e-13 of the largest entry.
/// </remarks>
[Collection(nameof(ParallelismCollection))]
public class SampleWeightGradientTests
{
    private const int N = 7, M = 6, D = 3;

    private static double Kernel(double[] u, int i, double[] v, int j, double sigma)
    {
        double f = 0;
        for (int k = 0; k < D; k++) f += (u[i * D + k] - v[j * D + k]) * (u[i * D + k] - v[j * D + k]);
        return Math.Exp(-f / (2 * sigma * sigma));
    }

    // ∂/∂a_i of a'Kxx a / A² + b'Kyy b / B² - 2 a'Kxy b / (A B), A = Σa, B = Σb, by hand:
    // 2 (Kxx a)_i / A² - 2 a'Kxx a / A³ - 2 (Kxy b)_i / (A B) + 2 a'Kxy b / (A² B).
    private static double[] ClosedFormDa(double[] x, double[] a, double[] y, double[] b, double sigma)
    {
        double sa = a.Sum(), sb = b.Sum(), axxa = 0, axyb = 0;
        var kxxa = new double[N];
        var kxyb = new double[N];
        for (int i = 0; i < N; i++)
        {
            for (int j = 0; j < N; j++) kxxa[i] += Kernel(x, i, x, j, sigma) * a[j];
            for (int j = 0; j < M; j++) kxyb[i] += Kernel(x, i, y, j, sigma) * b[j];
            axxa += a[i] * kxxa[i];
            axyb += a[i] * kxyb[i];
        }
        return Enumerable.Range(0, N).Select(i =>
            2 * kxxa[i] / (sa * sa) - 2 * axxa / (sa * sa * sa) - 2 * kxyb[i] / (sa * sb) + 2 * axyb / (sa * sa * sb)).ToArray();
    }

    [Fact]
    public void WeightedGaussianMmd2_WeightGradients_MatchTheClosedForm_AndCentralDifferences()
    {
        double[] x = PairOracle.Normal(N * D, 21), y = PairOracle.Normal(M * D, 22), a = PairOracle.Positive(N, 23), b = PairOracle.Positive(M, 24);
        const double sigma = 1.2;
        double[] da = new double[N], db = new double[M], dParams = new double[1];
        double v = WeightedGaussianMmd2.ValueAndGradient(x, a, y, b, D, default, da, default, db, dParams, sigma);
        Reference.Close(WeightedGaussianMmd2.Value(x, a, y, b, D, sigma), v, 1e-12, 1e-15, "value");
        var closed = ClosedFormDa(x, a, y, b, sigma);
        for (int i = 0; i < N; i++) Reference.Close(closed[i], da[i], 1e-11, 1e-13 * closed.Max(Math.Abs), $"da[{i}] closed form");
        // By symmetry of the formula, db is the closed form with the clouds exchanged.
        var closedB = ClosedFormDaSwapped(x, a, y, b, sigma);
        for (int j = 0; j < M; j++) Reference.Close(closedB[j], db[j], 1e-11, 1e-13 * closedB.Max(Math.Abs), $"db[{j}] closed form");
        const double h = 1e-6;
        foreach (var (w, g, label) in new[] { (a, da, "da"), (b, db, "db") })
            for (int i = 0; i < w.Length; i++)
            {
                double keep = w[i];
                w[i] = keep + h;
                double up = WeightedGaussianMmd2.Value(x, a, y, b, D, sigma);
                w[i] = keep - h;
                double down = WeightedGaussianMmd2.Value(x, a, y, b, D, sigma);
                w[i] = keep;
                Reference.Close((up - down) / (2 * h), g[i], 1e-7, 1e-9, $"{label}[{i}] central difference");
            }
    }

    private static double[] ClosedFormDaSwapped(double[] x, double[] a, double[] y, double[] b, double sigma)
    {
        // The formula is symmetric in (x, a) and (y, b); the closed form of da with the roles exchanged, at sizes M and N.
        double sa = b.Sum(), sb = a.Sum(), axxa = 0, axyb = 0;
        var kxxa = new double[M];
        var kxyb = new double[M];
        for (int i = 0; i < M; i++)
        {
            for (int j = 0; j < M; j++) kxxa[i] += Kernel(y, i, y, j, sigma) * b[j];
            for (int j = 0; j < N; j++) kxyb[i] += Kernel(y, i, x, j, sigma) * a[j];
            axxa += b[i] * kxxa[i];
            axyb += b[i] * kxyb[i];
        }
        return Enumerable.Range(0, M).Select(i =>
            2 * kxxa[i] / (sa * sa) - 2 * axxa / (sa * sa * sa) - 2 * kxyb[i] / (sa * sb) + 2 * axyb / (sa * sa * sb)).ToArray();
    }

    private static BoundSampleFormula Bind(string text)
    {
        var bag = new DiagnosticBag();
        var bound = SampleBinder.Compile(text, bag);
        Assert.False(bag.HasErrors, string.Join("; ", bag.Items));
        return bound;
    }

    private static void Vector(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(Math.Abs);
        for (int i = 0; i < expected.Length; i++) Reference.Close(expected[i], actual[i], 1e-11, 1e-13 * scale, $"{what}[{i}]");
    }

    [Theory]
    [InlineData(5, 7, 2, 1)]
    [InlineData(40, 33, 3, 2)]
    public void WeightAndParameterGradients_MatchTheSampleInterpreter(int n, int m, int d, int seed)
    {
        double[] x = PairOracle.Normal(n * d, seed), y = PairOracle.Normal(m * d, seed + 10);
        double[] a = PairOracle.Positive(n, seed + 30), b = PairOracle.Positive(m, seed + 40);
        const double c = 0.7;
        var formulas = new (string Name, string Text, Func<double[], double[], double[], double[], double[], double> Full)[]
        {
            ("weighted dot", WeightedDotFormula.Formula, (dx, da, dy, db, dp) => WeightedDotFormula.ValueAndGradient(x, a, y, b, d, dx, da, dy, db, dp, c)),
            ("weighted quotient", WeightedPairFormula.Formula, (dx, da, dy, db, dp) => WeightedPairFormula.ValueAndGradient(x, a, y, b, d, dx, da, dy, db, dp, c)),
        };
        foreach (var (name, text, full) in formulas)
        {
            var oracle = SampleInterpreter.Gradient(Bind(text), new SampleInputs(d, new[] { x, y }, new[] { a, b }, new[] { c }));
            double[] dx = new double[x.Length], dy = new double[y.Length], da = new double[n], db = new double[m], dp = new double[1];
            Reference.Close(oracle.Value, full(dx, da, dy, db, dp), 1e-11, 1e-13, name + " value");
            Vector(oracle.Clouds[0], dx, name + " dx");
            Vector(oracle.Clouds[1], dy, name + " dy");
            Vector(oracle.Weights[0]!, da, name + " da");
            Vector(oracle.Weights[1]!, db, name + " db");
            Vector(oracle.Parameters, dp, name + " dc");
        }
        var energy = SampleInterpreter.Gradient(Bind(WeightedEnergyDistance.Formula), new SampleInputs(d, new[] { x, y }, new[] { a, b }));
        double[] dxe = new double[x.Length], dae = new double[n], dbe = new double[m];
        Reference.Close(energy.Value, WeightedEnergyDistance.ValueAndGradient(x, a, y, b, d, dxe, dae, default, dbe), 1e-11, 1e-13, "weighted energy value");
        Vector(energy.Clouds[0], dxe, "weighted energy dx");
        Vector(energy.Weights[0]!, dae, "weighted energy da");
        Vector(energy.Weights[1]!, dbe, "weighted energy db");
        var mixed = SampleInterpreter.Gradient(Bind(MixedPairFormula.Formula), new SampleInputs(d, new[] { x, y }, parameters: new[] { c }));
        var dMixed = new double[1];
        MixedPairFormula.ValueAndGradient(x, y, d, default, default, dMixed, c);
        Vector(mixed.Parameters, dMixed, "mixed dc");
    }

    [Fact]
    public void FloatWeightGradients_WithinTheStatedBound_OfDouble()
    {
        // Same float-rounded inputs in both; each kernel value is a few float ulps off and |k| ≤ 1, so each of the four
        // terms of da_i (see the closed form) is off by at most ~1e-6 of 2 / A (or 2 / B): bound 1e-5 · 8 / min(A, B).
        float[] xf = PairOracle.ToFloat(PairOracle.Normal(50 * D, 25)), yf = PairOracle.ToFloat(PairOracle.Normal(45 * D, 26));
        float[] af = PairOracle.ToFloat(PairOracle.Positive(50, 27)), bf = PairOracle.ToFloat(PairOracle.Positive(45, 28));
        double[] x = xf.Select(e => (double)e).ToArray(), y = yf.Select(e => (double)e).ToArray(), a = af.Select(e => (double)e).ToArray(), b = bf.Select(e => (double)e).ToArray();
        float[] daf = new float[50], dbf = new float[45];
        double[] da = new double[50], db = new double[45];
        WeightedGaussianMmd2.ValueAndGradient(xf, af, yf, bf, D, default, daf, default, dbf, default, 0.9f);
        WeightedGaussianMmd2.ValueAndGradient(x, a, y, b, D, default, da, default, db, default, (double)0.9f);
        double bound = 1e-5 * 8 / Math.Min(a.Sum(), b.Sum());
        for (int i = 0; i < da.Length; i++) Reference.Close(da[i], daf[i], 0, bound, $"float da[{i}]");
        for (int j = 0; j < db.Length; j++) Reference.Close(db[j], dbf[j], 0, bound, $"float db[{j}]");
    }

    private static T WithThreads<T>(int degree, Func<T> f)
    {
        int old = KernelSettings.MaxDegreeOfParallelism;
        KernelSettings.MaxDegreeOfParallelism = degree;
        try { return f(); }
        finally { KernelSettings.MaxDegreeOfParallelism = old; }
    }

    [Fact]
    public void WeightAndParameterGradients_SameBits_At1_2_16Threads()
    {
        const int n = 1000, m = 777, d = 3;
        double[] x = PairOracle.Normal(n * d, 1), y = PairOracle.Normal(m * d, 2), a = PairOracle.Positive(n, 3), b = PairOracle.Positive(m, 4);
        float[] xf = PairOracle.ToFloat(x), yf = PairOracle.ToFloat(y), af = PairOracle.ToFloat(a), bf = PairOracle.ToFloat(b);
        string Run()
        {
            double[] da = new double[n], db = new double[m], dp = new double[3];
            float[] daf = new float[n], dpf = new float[2];
            var values = new List<double>
            {
                WeightedGaussianMmd2.ValueAndGradient(x, a, y, b, d, default, da, default, db, dp.AsSpan(0, 1), 1.5),
                WeightedGaussianMmd2.ValueAndGradient(xf, af, yf, bf, d, default, daf, default, default, dpf.AsSpan(0, 1), 1.5f),
                GaussianMmd2Unbiased.ValueAndGradient(x, y, d, default, default, dp.AsSpan(1, 1), 1.5),
                CauchySchwarzSamples.ValueAndGradient(xf, yf, d, default, default, dpf.AsSpan(1, 1), 1.5f),
                WeightedDotFormula.ValueAndGradient(x, a, y, b, d, default, default, default, default, dp.AsSpan(2, 1), 0.3),
            };
            static string Bits(IEnumerable<double> v) => string.Join(",", v.Select(e => BitConverter.DoubleToInt64Bits(e).ToString("X")));
            return Bits(values) + "|" + Bits(da) + "|" + Bits(db) + "|" + Bits(dp) + "|" + Bits(daf.Concat(dpf).Select(e => (double)e));
        }
        string one = WithThreads(1, Run);
        Assert.Equal(one, WithThreads(2, Run));
        Assert.Equal(one, WithThreads(16, Run));
    }

    [Fact]
    public void BadSpans_ThrowArgumentException_NamingTheArgument()
    {
        double[] x = new double[6], y = new double[4], a = { 1, 2, 3 }, b = { 1, 2 };
        Assert.Equal("da", Assert.ThrowsAny<ArgumentException>(() => WeightedGaussianMmd2.ValueAndGradient(x, a, y, b, 2, default, new double[2], default, default, default, 1.0)).ParamName);
        Assert.Equal("db", Assert.ThrowsAny<ArgumentException>(() => WeightedGaussianMmd2.ValueAndGradient(x, a, y, b, 2, default, default, default, new double[3], default, 1.0)).ParamName);
        Assert.Equal("dParams", Assert.ThrowsAny<ArgumentException>(() => WeightedGaussianMmd2.ValueAndGradient(x, a, y, b, 2, default, default, default, default, new double[2], 1.0)).ParamName);
        Assert.Equal("dParams", Assert.ThrowsAny<ArgumentException>(() => GaussianMmd2.ValueAndGradient(x, y, 2, default, default, new double[2], 1.0)).ParamName);
        // A gradient span may not share memory with an input or another gradient.
        Assert.Equal("da", Assert.ThrowsAny<ArgumentException>(() => WeightedGaussianMmd2.ValueAndGradient(x, a, y, b, 2, default, a, default, default, default, 1.0)).ParamName);
        Assert.Equal("dParams", Assert.ThrowsAny<ArgumentException>(() => GaussianMmd2.ValueAndGradient(x, y, 2, default, default, x.AsSpan(0, 1), 1.0)).ParamName);
        var shared = new double[10];
        Assert.Equal("db", Assert.ThrowsAny<ArgumentException>(() => WeightedGaussianMmd2.ValueAndGradient(x, a, y, b, 2, default, shared.AsSpan(0, 3), default, shared.AsSpan(2, 2), default, 1.0)).ParamName);
    }

    [Fact]
    public void EmptySpans_SkipTheirGradients_AndLeaveTheOthers()
    {
        double[] x = PairOracle.Normal(N * D, 41), y = PairOracle.Normal(M * D, 42), a = PairOracle.Positive(N, 43), b = PairOracle.Positive(M, 44);
        double[] dx = new double[x.Length], dy = new double[y.Length], da = new double[N], db = new double[M], dp = new double[1];
        double v = WeightedGaussianMmd2.ValueAndGradient(x, a, y, b, D, dx, da, dy, db, dp, 0.9);
        double[] daOnly = new double[N], dpOnly = new double[1];
        Reference.Close(v, WeightedGaussianMmd2.ValueAndGradient(x, a, y, b, D, default, daOnly, default, default, default, 0.9), 1e-12, 0, "da only");
        Reference.Close(v, WeightedGaussianMmd2.ValueAndGradient(x, a, y, b, D, default, default, default, default, dpOnly, 0.9), 1e-12, 0, "dParams only");
        // da equal to rounding, not bit for bit: da_i reads the pair sums through dV/dΣa (the normalisation,
        // -2 R_xx/(Σa)^3 + 2 R_xy/((Σa)^2 Σb)), and with dx R_xx comes from the gradient sweep (every ordered pair),
        // without dx from the value sweep (the pairs i < j, doubled): they differ in the last bits, as the values above
        // do (bit for bit for some inputs, not for others, in any order of the lane sums). dParams reads no pair sum of
        // the value (the epilogue is linear: its slopes are weight sums only) and its own pair sums are the same value
        // sweeps in both calls: the same bits.
        for (int i = 0; i < N; i++) Reference.Close(da[i], daOnly[i], 1e-12, 1e-15, $"da[{i}] only");
        Assert.Equal(dp, dpOnly);
    }
}
