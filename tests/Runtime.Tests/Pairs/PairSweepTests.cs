using static KernelDsl.Runtime.Tests.Catalogue.Reference;

namespace KernelDsl.Runtime.Tests.Pairs;

/// <summary>
/// The pair sweep's reductions against plain double loops over every pair (<see cref="PairOracle"/>), at sizes chosen to
/// hit its edges: one point, one feature, 64 features, counts that are not multiples of any vector width, several tiles
/// and several chunks of rows. Errors are bounded relative to Σ|terms| (the scale of the rounding), 1e-12 in double and
/// 2e-5 in float (inputs rounded to float first, so only the arithmetic differs).
/// </summary>
public class PairSweepTests
{
    public static IEnumerable<object[]> Sizes() => new[]
    {
        new object[] { 1, 1, 1 }, new object[] { 1, 17, 3 }, new object[] { 5, 1, 2 }, new object[] { 3, 7, 1 },
        new object[] { 13, 29, 3 }, new object[] { 67, 45, 5 }, new object[] { 130, 1100, 3 }, new object[] { 70, 150, 64 },
        new object[] { 9, 8, 64 }, new object[] { 257, 33, 7 },
    };

    private static (double[] X, double[] Y, double[] A, double[] B) Data(int n, int m, int d, int seed)
    {
        var y = PairOracle.Normal(m * d, seed + 1);
        for (int i = 0; i < y.Length; i++) y[i] = 0.8 * y[i] + 0.2;
        return (PairOracle.Normal(n * d, seed), y, PairOracle.Positive(n, seed + 2), PairOracle.Positive(m, seed + 3));
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Sums_MatchTheDoubleLoop_DoubleAndFloat(int n, int m, int d)
    {
        var (x, y, a, b) = Data(n, m, d, 100 * n + m + d);
        double sigma = 0.7 * Math.Sqrt(d);
        var k = PairOracle.Gaussian(sigma);
        var dk = new GaussianPairTerm<double>(sigma);
        var fk = new GaussianPairTerm<float>(sigma);
        float[] xf = PairOracle.ToFloat(x), yf = PairOracle.ToFloat(y), af = PairOracle.ToFloat(a), bf = PairOracle.ToFloat(b);

        var cross = PairOracle.Sum(k, x, a, y, b, d);
        Close(cross.Sum, PairSweep.Sum(in dk, x, a, y, b, d), 0, 1e-12 * cross.Abs, "cross");
        var crossU = PairOracle.Sum(k, x, null, y, null, d);
        Close(crossU.Sum, PairSweep.Sum(in dk, x, default, y, default, d), 0, 1e-12 * crossU.Abs, "cross, weights 1");
        var crossF = PairOracle.Sum(k, xf, af, yf, bf, d);
        Close(crossF.Sum, PairSweep.Sum(in fk, xf, af, yf, bf, d), 0, 2e-5 * crossF.Abs, "cross float");
        foreach (bool diagonal in new[] { false, true })
        {
            var self = PairOracle.SelfSum(k, x, a, d, diagonal);
            Close(self.Sum, PairSweep.SelfSum(in dk, x, a, d, diagonal), 0, 1e-12 * self.Abs + 1e-300, $"self diagonal={diagonal}");
            var selfF = PairOracle.SelfSum(k, xf, af, d, diagonal);
            Close(selfF.Sum, PairSweep.SelfSum(in fk, xf, af, d, diagonal), 0, 2e-5 * selfF.Abs + 1e-300, $"self float diagonal={diagonal}");
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Gradients_MatchTheDoubleLoop_SquaredDistanceAndDot(int n, int m, int d)
    {
        var (x, y, a, b) = Data(n, m, d, 7 * n + 3 * m + d);
        foreach (var (term, name) in new[] { (PairOracle.Gaussian(0.9 * Math.Sqrt(d)), "gaussian"), (PairOracle.DotTanh(0.3 / Math.Sqrt(d)), "dot tanh") })
        {
            var g = new double[x.Length];
            double crossScale = -0.75, selfScale = 1.25;
            double value, selfValue = 0;
            bool diagonal = n % 2 == 0;
            if (term.Dot)
            {
                var t = new DotTanhTerm<double>(0.3 / Math.Sqrt(d));
                value = PairSweep.SumWithGradient(in t, x, a, y, b, d, crossScale, g);
                var g2 = new double[x.Length];
                (selfValue, double value2) = PairSweep.SelfAndCrossWithGradient(in t, x, a, y, b, d, diagonal, selfScale, crossScale, g2);
                Assert.Equal(value, value2);
                Check(g2, self: true);
            }
            else
            {
                var t = new GaussianPairTerm<double>(0.9 * Math.Sqrt(d));
                value = PairSweep.SumWithGradient(in t, x, a, y, b, d, crossScale, g);
                var g2 = new double[x.Length];
                (selfValue, _) = PairSweep.SelfAndCrossWithGradient(in t, x, a, y, b, d, diagonal, selfScale, crossScale, g2);
                Check(g2, self: true);
            }
            var expected = PairOracle.Sum(term, x, a, y, b, d);
            Close(expected.Sum, value, 0, 1e-12 * expected.Abs, name + " value");
            var expectedSelf = PairOracle.SelfSum(term, x, a, d, diagonal);
            Close(expectedSelf.Sum, selfValue, 0, 1e-12 * expectedSelf.Abs + 1e-300, name + " self value");
            Check(g, self: false);

            void Check(double[] actual, bool self)
            {
                double[] cross = PairOracle.Gradient(term, x, a, y, b, d, false, false);
                double[] own = PairOracle.Gradient(term, x, a, x, a, d, true, diagonal);
                double[] want = cross.Select((c, i) => crossScale * c + (self ? selfScale * own[i] : 0)).ToArray();
                double scale = want.Max(Math.Abs) + 1e-300;
                for (int i = 0; i < want.Length; i++) Close(want[i], actual[i], 0, 1e-12 * scale * Math.Max(1, m), $"{name} self={self} grad[{i}]");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void RowSumsAndRowLogSumExp_MatchTheDoubleLoop(int n, int m, int d)
    {
        var (x, y, _, b) = Data(n, m, d, 31 * n + m);
        var k = PairOracle.Gaussian(0.8 * Math.Sqrt(d));
        var t = new GaussianPairTerm<double>(0.8 * Math.Sqrt(d));
        var rows = new double[n];
        PairSweep.RowSums(in t, x, y, b, d, rows);
        for (int i = 0; i < n; i++)
        {
            int row = i;
            var e = PairOracle.Sum(k, x, null, y, b, d, (ii, _) => ii == row);
            Close(e.Sum, rows[i], 1e-12, 0, $"row sum {i}");
        }

        double eps = 0.5;
        double[] h = PairOracle.Normal(m, 3);
        var softmin = PairOracle.NegativeCost(eps);
        var cost = new NegativeCostTerm<double>(eps);
        var lse = new double[n];
        PairSweep.RowLogSumExp(in cost, x, y, h, d, lse);
        double[] want = PairOracle.RowLogSumExp(softmin, x, y, h, d);
        for (int i = 0; i < n; i++) Close(want[i], lse[i], 1e-12, 1e-12, $"row logsumexp {i}");

        var lsef = new float[n];
        float[] xf = PairOracle.ToFloat(x), yf = PairOracle.ToFloat(y), hf = PairOracle.ToFloat(h);
        PairSweep.RowLogSumExp(new NegativeCostTerm<float>(eps), xf, yf, hf, d, lsef);
        double[] wantf = PairOracle.RowLogSumExp(softmin, xf, yf, hf, d);
        for (int i = 0; i < n; i++) Close(wantf[i], lsef[i], 1e-5, 1e-5, $"row logsumexp float {i}");
    }

    [Fact]
    public void MaskedLanes_DiscardNonFiniteTerms()
    {
        // φ(f) = log f is -inf on the diagonal (f = 0): 0 · -inf would be NaN, so finite sums prove the masks select.
        double[] x = PairOracle.Normal(19 * 2, 4);
        var t = new LogTerm<double>();
        var log = new PairOracle.Term(Math.Log, f => 1 / f, false);
        var want = PairOracle.SelfSum(log, x, null, 2, false);
        Close(want.Sum, PairSweep.SelfSum(in t, x, default, 2, diagonal: false), 0, 1e-12 * want.Abs, "self sum off the diagonal");
        var g = new double[x.Length];
        var (self, _) = PairSweep.SelfAndCrossWithGradient(in t, x, default, PairOracle.Normal(6, 9), default, 2, false, 1.0, 0.0, g);
        Close(want.Sum, self, 0, 1e-12 * want.Abs, "self sum off the diagonal, with the gradient");
        Assert.All(g, v => Assert.True(double.IsFinite(v)));
        var xf = PairOracle.ToFloat(x);
        Assert.True(float.IsFinite((float)PairSweep.SelfSum(new LogTerm<float>(), xf, default, 2, diagonal: false)));
        Assert.Equal(double.NegativeInfinity, PairSweep.SelfSum(in t, x, default, 2, diagonal: true));
    }

    [Fact]
    public void EmptyAndBadInputs()
    {
        var t = new GaussianPairTerm<double>(1.0);
        Assert.Equal(0.0, PairSweep.Sum(in t, ReadOnlySpan<double>.Empty, default, new double[] { 1, 2 }, default, 2));
        Assert.Equal(0.0, PairSweep.Sum(in t, new double[] { 1, 2 }, default, ReadOnlySpan<double>.Empty, default, 2));
        Assert.Throws<ArgumentException>(() => PairSweep.Sum(in t, new double[] { 1, 2, 3 }, default, new double[] { 1, 2 }, default, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => PairSweep.Sum(in t, new double[] { 1 }, default, new double[] { 1 }, default, 0));
        Assert.Throws<ArgumentException>(() => PairSweep.Sum(in t, new double[] { 1, 2 }, new double[] { 1, 1 }, new double[] { 1, 2 }, default, 2));
        Assert.Throws<ArgumentException>(() => PairSweep.SumWithGradient(in t, new double[] { 1, 2 }, default, new double[] { 1, 2 }, default, 2, 1.0, new double[3]));
        Assert.Throws<ArgumentException>(() => PairSweep.RowSums(in t, new double[] { 1, 2 }, new double[] { 1, 2 }, default, 2, new double[2]));
        Assert.Throws<ArgumentException>(() => GaussianMmd.Value(new double[] { 1 }, new double[] { 2 }, 1, 1.0, MmdEstimator.Weighted));
    }
}

/// <summary>φ(f) = log f: -inf at f = 0, for the mask tests.</summary>
internal readonly struct LogTerm<T> : IPairTerm<T> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    public static PairFeature Feature => PairFeature.SquaredDistance;

    public TVec Value<TVec, V>(TVec feature) where TVec : struct where V : struct, ISimd<TVec, T> => V.Log(feature);

    public TVec ValueAndSlope<TVec, V>(TVec feature, out TVec slope) where TVec : struct where V : struct, ISimd<TVec, T>
    {
        slope = V.Div(V.Broadcast(T.One), feature);
        return V.Log(feature);
    }
}
