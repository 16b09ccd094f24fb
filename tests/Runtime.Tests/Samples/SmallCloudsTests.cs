using KernelDsl.Runtime.Tests.Pairs;

namespace KernelDsl.Runtime.Tests.Samples;

/// <summary>
/// The small-cloud path of batched sample formulas (<see cref="SmallClouds"/>) and the sums of terms of one point
/// (<see cref="PointSweep"/>) against the plain double loops of <see cref="PairOracle"/> and closed forms: cross and self
/// sums, with and without weights and the diagonal, for the squared-distance and the dot-product features, values and
/// gradients.
/// </summary>
public class SmallCloudsTests
{
    private static void CloseAll(double[] expected, double[] actual, double rel, double abs, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(Math.Abs);
        for (int i = 0; i < expected.Length; i++) Catalogue.Reference.Close(expected[i], actual[i], rel, abs * scale, $"{what}[{i}]");
    }

    [Theory]
    [InlineData(1, 1, 1, false)]
    [InlineData(7, 5, 1, true)]
    [InlineData(13, 9, 3, false)]
    [InlineData(10, 4, 300, true)] // more features than the stack buffer of a point's gradient
    public void Sums_AndGradients_MatchTheOracle(int n, int m, int d, bool weighted)
    {
        double[] x = PairOracle.Normal(n * d, 11), y = PairOracle.Normal(m * d, 12);
        double[]? a = weighted ? PairOracle.Positive(n, 13) : null, b = weighted ? PairOracle.Positive(m, 14) : null;
        const double eps = 0.7, c = 0.3;
        var cost = new NegativeCostTerm<double>(eps);
        var tanh = new DotTanhTerm<double>(c);
        var costRef = PairOracle.NegativeCost(eps);
        var tanhRef = PairOracle.DotTanh(c);
        const double rel = 1e-13, abs = 1e-13;
        // Values.
        Catalogue.Reference.Close(PairOracle.Sum(costRef, x, a, y, b, d).Sum, SmallClouds.Sum(in cost, x, a, y, b, d), rel, abs * PairOracle.Sum(costRef, x, a, y, b, d).Abs, "cross sqdist");
        Catalogue.Reference.Close(PairOracle.Sum(tanhRef, x, a, y, b, d).Sum, SmallClouds.Sum(in tanh, x, a, y, b, d), rel, abs * PairOracle.Sum(tanhRef, x, a, y, b, d).Abs, "cross dot");
        foreach (bool diagonal in new[] { true, false })
        {
            var self = PairOracle.SelfSum(costRef, x, a, d, diagonal);
            Catalogue.Reference.Close(self.Sum, SmallClouds.SelfSum(in cost, x, a, d, diagonal), rel, abs * self.Abs, $"self sqdist diagonal={diagonal}");
            var selfDot = PairOracle.SelfSum(tanhRef, x, a, d, diagonal);
            Catalogue.Reference.Close(selfDot.Sum, SmallClouds.SelfSum(in tanh, x, a, d, diagonal), rel, abs * selfDot.Abs, $"self dot diagonal={diagonal}");
            // Self gradients, scaled, added to what the span holds.
            foreach (var (term, name) in new[] { (costRef, "sqdist"), (tanhRef, "dot") })
            {
                var expected = PairOracle.Gradient(term, x, a, x, a, d, self: true, diagonal).Select(g => 1 + 2.5 * g).ToArray();
                var actual = Enumerable.Repeat(1.0, x.Length).ToArray();
                if (term.Dot) SmallClouds.AddSelfGradient(in tanh, x, a, d, diagonal, 2.5, actual);
                else SmallClouds.AddSelfGradient(in cost, x, a, d, diagonal, 2.5, actual);
                CloseAll(expected, actual, 1e-12, 1e-13, $"self gradient {name} diagonal={diagonal}");
            }
        }
        // Cross gradients.
        var gx = new double[x.Length];
        SmallClouds.AddGradient(in tanh, x, a, y, b, d, -1.5, gx);
        CloseAll(PairOracle.Gradient(tanhRef, x, a, y, b, d, self: false, diagonal: false).Select(g => -1.5 * g).ToArray(), gx, 1e-12, 1e-13, "cross gradient dot");
    }

    [Fact]
    public void FloatSums_ComputePairsInFloat_AndSumInDouble()
    {
        const int n = 40, d = 2;
        double[] x = PairOracle.Normal(n * d, 21);
        float[] xf = PairOracle.ToFloat(x);
        var cost = new NegativeCostTerm<float>(0.5);
        // The oracle over the float-rounded points; each pair's term rounds once to float (relative 2^-24) and the
        // reciprocal 1/ε once, so the sum is within 2^-22 of Σ|terms|.
        var expected = PairOracle.SelfSum(PairOracle.NegativeCost(0.5), xf, null, d, diagonal: true);
        Catalogue.Reference.Close(expected.Sum, SmallClouds.SelfSum(in cost, xf, default, d, diagonal: true), 0, expected.Abs * Math.Pow(2, -22), "float self sum");
    }

    private readonly struct AbsShift(double y) : IPointTerm
    {
        public double Value(double u) => Math.Abs(u - y);

        public double Slope(double u) => Math.Sign(u - y);
    }

    [Fact]
    public void PointSweep_SumsOverPointsAndFeatures_AndAddsItsGradient()
    {
        double[] x = { 1, -2, 3, 0.5, 4, -1 }; // three points of two features
        double[] a = { 2, 1, 0.5 };
        var term = new AbsShift(1);
        // Σ_i a_i Σ_k |x_ik - 1| = 2 (0 + 3) + 1 (2 + 0.5) + 0.5 (3 + 2) = 11.
        Assert.Equal(11.0, PointSweep.Sum(in term, (ReadOnlySpan<double>)x, a, 2));
        Assert.Equal(3 + 2.5 + 5, PointSweep.Sum(in term, (ReadOnlySpan<double>)x, default, 2));
        var g = new double[] { 1, 1, 1, 1, 1, 1 };
        PointSweep.AddGradient(in term, (ReadOnlySpan<double>)x, a, 2, 3.0, g);
        Assert.Equal(new double[] { 1 + 0, 1 - 6, 1 + 3, 1 - 3, 1 + 1.5, 1 - 1.5 }, g);
    }

    [Fact]
    public void PointsPerRow_AndRowInputs_CheckTheirLengths_NamingTheArgument()
    {
        Assert.Equal(5, SmallClouds.PointsPerRow(new double[30], 3, 2, "e"));
        Assert.Equal("e", Assert.Throws<ArgumentException>(() => SmallClouds.PointsPerRow(new double[31], 3, 2, "e")).ParamName);
        Assert.Equal("e", Assert.Throws<ArgumentException>(() => SmallClouds.PointsPerRow(Array.Empty<double>(), 3, 2, "e")).ParamName);
        Assert.Equal("d", Assert.Throws<ArgumentOutOfRangeException>(() => SmallClouds.PointsPerRow(new double[30], 3, 0, "e")).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => SmallClouds.RowInput(new double[2], 3, "y")).ParamName);
        Assert.Equal("perRow", Assert.Throws<ArgumentException>(() => SmallClouds.Rows(Span<double>.Empty, "perRow")).ParamName);
    }
}
