using System.Text.Json;
using KernelDsl.Catalogue;
using KernelDsl.Runtime.Tests.Catalogue;
using KernelDsl.Runtime.Tests.Pairs;
using static KernelDsl.Runtime.Tests.Catalogue.Reference;

namespace KernelDsl.Runtime.Tests.Samples;

/// <summary>
/// The generated CRPS of ensembles (<see cref="CrpsEnsemble"/>, <see cref="FairCrpsEnsemble"/>): batched rows (the
/// small-cloud path) and single ensembles (the tiled engine) against samples/crps_ensemble (SciPy float64), gradients
/// against the reference and central differences, the same bits at 1, 2 and 16 threads, M = 1, and argument checks.
/// </summary>
/// <remarks>
/// Bounds. double: 1e-12 relative plus an absolute floor of 1e-14 for values (the fair CRPS is exactly 0 when y lies
/// between two members, a difference of equal sums), 1e-12 absolute for gradients (entries of order 1/M). float: the
/// members and y are rounded to float (relative 2^-24 each) and each pair distance is rounded to float once, sums in
/// double: |error| ≤ 2^-21 · (max_i |e_i| + |y| + mean_ij |e_i - e_j|).
/// </remarks>
[Collection(nameof(ParallelismCollection))]
public class CrpsEnsembleTests
{
    private static IReadOnlyList<JsonElement> Cases() => Reference.Cases("samples/crps_ensemble");

    private static int Int(JsonElement c, string name) => c.GetProperty(name).GetInt32();

    private static string Name(JsonElement c) => c.GetProperty("name").GetString()!;

    private static void Value(double expected, double actual, string what) => Close(expected, actual, 1e-12, 1e-14, what);

    [Fact]
    public void Rows_MatchTheReference_ValuesFairAndGradient()
    {
        var cases = Cases();
        Assert.Equal(4, cases.Count);
        foreach (var c in cases)
        {
            int rows = Int(c, "rows"), members = Int(c, "members");
            double[] e = Array(c, "e"), y = Array(c, "y"), crps = Array(c, "crps"), grad = Array(c, "grad_e");
            var perRow = new double[rows];
            CrpsEnsemble.Rows(e, y, 1, perRow);
            for (int r = 0; r < rows; r++) Value(crps[r], perRow[r], $"{Name(c)} row {r}");
            var withGradient = new double[rows];
            var de = new double[e.Length];
            CrpsEnsemble.RowsAndGradient(e, y, 1, withGradient, de);
            Assert.Equal(perRow, withGradient);
            for (int i = 0; i < e.Length; i++) Close(grad[i], de[i], 0, 1e-12, $"{Name(c)} grad_e[{i}]");
            if (members > 1)
            {
                double[] fair = Array(c, "fair");
                FairCrpsEnsemble.Rows(e, y, 1, perRow);
                for (int r = 0; r < rows; r++) Value(fair[r], perRow[r], $"{Name(c)} fair row {r}");
            }
        }
    }

    [Fact]
    public void SingleEnsembles_OnTheTiledEngine_MatchTheReference()
    {
        foreach (var c in Cases())
        {
            int rows = Int(c, "rows"), members = Int(c, "members");
            double[] e = Array(c, "e"), y = Array(c, "y"), crps = Array(c, "crps"), grad = Array(c, "grad_e");
            for (int r = 0; r < rows; r++)
            {
                var row = e.AsSpan(r * members, members);
                Value(crps[r], CrpsEnsemble.Value(row, 1, y[r]), $"{Name(c)} row {r}");
                var de = new double[members];
                Value(crps[r], CrpsEnsemble.ValueAndGradient(row, 1, de, y[r]), $"{Name(c)} row {r} with the gradient");
                for (int i = 0; i < members; i++) Close(grad[r * members + i], de[i], 0, 1e-12, $"{Name(c)} row {r} grad[{i}]");
                if (members > 1) Value(Array(c, "fair")[r], FairCrpsEnsemble.Value(row, 1, y[r]), $"{Name(c)} fair row {r}");
            }
        }
    }

    [Fact]
    public void FloatRows_WithinTheStatedBound()
    {
        foreach (var c in Cases())
        {
            int rows = Int(c, "rows"), members = Int(c, "members");
            double[] e = Array(c, "e"), y = Array(c, "y"), crps = Array(c, "crps");
            var perRow = new float[rows];
            CrpsEnsemble.Rows(PairOracle.ToFloat(e), PairOracle.ToFloat(y), 1, perRow);
            for (int r = 0; r < rows; r++)
            {
                var row = e.Skip(r * members).Take(members).ToArray();
                double spread = 0;
                foreach (double u in row) foreach (double v in row) spread += Math.Abs(u - v);
                double bound = Math.Pow(2, -21) * (row.Max(Math.Abs) + Math.Abs(y[r]) + spread / (members * members));
                Close(crps[r], perRow[r], 0, bound, $"{Name(c)} float row {r}");
            }
        }
    }

    // Random ensembles of d features (the multivariate energy form), B rows of M members.
    private static (double[] E, double[] Y) Random(int rows, int members, int d, int seed) =>
        (PairOracle.Normal(rows * members * d, seed), PairOracle.Normal(rows, seed + 1));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RowsGradient_MatchesCentralDifferences(bool fair)
    {
        const int rows = 3, members = 6, d = 2;
        var (e, y) = Random(rows, members, d, 31);
        void Rows(double[] points, double[] perRow)
        {
            if (fair) FairCrpsEnsemble.Rows(points, y, d, perRow);
            else CrpsEnsemble.Rows(points, y, d, perRow);
        }
        var value = new double[rows];
        var de = new double[e.Length];
        if (fair) FairCrpsEnsemble.RowsAndGradient(e, y, d, value, de);
        else CrpsEnsemble.RowsAndGradient(e, y, d, value, de);
        const double h = 1e-6;
        var up = new double[rows];
        var down = new double[rows];
        for (int i = 0; i < e.Length; i++)
        {
            int row = i / (members * d);
            double keep = e[i];
            e[i] = keep + h;
            Rows(e, up);
            e[i] = keep - h;
            Rows(e, down);
            e[i] = keep;
            Close((up[row] - down[row]) / (2 * h), de[i], 1e-6, 1e-8, $"fair={fair} de[{i}]");
            Assert.Equal(up.Where((_, r) => r != row), value.Where((_, r) => r != row)); // other rows do not move
        }
    }

    [Fact]
    public void Rows_AgreeWithTheTiledEngine_PerRow()
    {
        const int rows = 5, members = 40, d = 3;
        var (e, y) = Random(rows, members, d, 41);
        var perRow = new double[rows];
        var de = new double[e.Length];
        FairCrpsEnsemble.RowsAndGradient(e, y, d, perRow, de);
        for (int r = 0; r < rows; r++)
        {
            var row = e.AsSpan(r * members * d, members * d);
            var g = new double[members * d];
            Close(FairCrpsEnsemble.ValueAndGradient(row, d, g, y[r]), perRow[r], 1e-13, 1e-15, $"row {r}");
            for (int i = 0; i < g.Length; i++) Close(g[i], de[r * members * d + i], 1e-12, 1e-15, $"row {r} grad[{i}]");
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
        // Enough rows × members² to take threads (SmallClouds.Parallel), in double and float.
        const int rows = 2000, members = 20, d = 1;
        Assert.True((long)rows * members * members * d >= SmallClouds.ParallelThreshold);
        var (e, y) = Random(rows, members, d, 51);
        float[] ef = PairOracle.ToFloat(e), yf = PairOracle.ToFloat(y);
        (double[], double[], float[], float[]) Run() => (
            Fill<double>(rows, e.Length, (v, g) => CrpsEnsemble.RowsAndGradient(e, y, d, v, g)),
            Fill<double>(rows, e.Length, (v, g) => FairCrpsEnsemble.RowsAndGradient(e, y, d, v, g)),
            Fill<float>(rows, e.Length, (v, g) => CrpsEnsemble.RowsAndGradient(ef, yf, d, v, g)),
            Fill<float>(rows, e.Length, (v, g) => FairCrpsEnsemble.RowsAndGradient(ef, yf, d, v, g)));
        var one = WithThreads(1, Run);
        foreach (int threads in new[] { 2, 16 })
        {
            var other = WithThreads(threads, Run);
            Assert.Equal(one.Item1, other.Item1);
            Assert.Equal(one.Item2, other.Item2);
            Assert.Equal(one.Item3, other.Item3);
            Assert.Equal(one.Item4, other.Item4);
        }
    }

    // The values of every row, then the gradient, of one RowsAndGradient call.
    private static T[] Fill<T>(int rows, int length, Action<T[], T[]> call)
    {
        var (v, g) = (new T[rows], new T[length]);
        call(v, g);
        return v.Concat(g).ToArray();
    }

    [Fact]
    public void OneMember_IsTheAbsoluteError_AndTheFairCrpsIsNaN()
    {
        double[] e = { 1.5, -2.0 }, y = { 0.25, 1.0 };
        var perRow = new double[2];
        var de = new double[2];
        CrpsEnsemble.RowsAndGradient(e, y, 1, perRow, de);
        Assert.Equal(new[] { 1.25, 3.0 }, perRow); // |e - y|: a single member has no spread
        Assert.Equal(new[] { 1.0, -1.0 }, de);
        // The fair CRPS divides its pair sum by M (M - 1) = 0: the value and the gradient are NaN (documented, no exception).
        FairCrpsEnsemble.RowsAndGradient(e, y, 1, perRow, de);
        Assert.All(perRow, v => Assert.True(double.IsNaN(v)));
        Assert.All(de, v => Assert.True(double.IsNaN(v)));
        Assert.True(double.IsNaN(FairCrpsEnsemble.Value(e.AsSpan(0, 1), 1, y[0])));
    }

    [Fact]
    public void BadLengths_ThrowArgumentException_NamingTheArgument()
    {
        double[] e = new double[12], y = new double[3], perRow = new double[3], de = new double[12];
        Assert.Equal("e", Assert.Throws<ArgumentException>(() => CrpsEnsemble.Rows(new double[13], y, 1, perRow)).ParamName);
        Assert.Equal("e", Assert.Throws<ArgumentException>(() => CrpsEnsemble.Rows(e, y, 5, perRow)).ParamName);
        Assert.Equal("d", Assert.Throws<ArgumentOutOfRangeException>(() => CrpsEnsemble.Rows(e, y, 0, perRow)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => CrpsEnsemble.Rows(e, new double[2], 1, perRow)).ParamName);
        Assert.Equal("perRow", Assert.Throws<ArgumentException>(() => CrpsEnsemble.Rows(e, y, 1, Span<double>.Empty)).ParamName);
        Assert.Equal("de", Assert.Throws<ArgumentException>(() => CrpsEnsemble.RowsAndGradient(e, y, 1, perRow, new double[11])).ParamName);
        Assert.Equal("de", Assert.Throws<ArgumentException>(() => CrpsEnsemble.RowsAndGradient(e, y, 1, perRow, e)).ParamName);
        Assert.Equal("perRow", Assert.Throws<ArgumentException>(() => CrpsEnsemble.Rows(e, y, 1, e.AsSpan(0, 3))).ParamName);
        Assert.Equal("e", Assert.Throws<ArgumentException>(() => CrpsEnsemble.Value(System.Array.Empty<double>(), 1, 0.0)).ParamName);
        Assert.Equal("de", Assert.Throws<ArgumentException>(() => CrpsEnsemble.ValueAndGradient(e, 1, new double[5], 0.0)).ParamName);
        // An empty gradient span skips the gradient.
        CrpsEnsemble.RowsAndGradient(e, y, 1, perRow, Span<double>.Empty);
        Assert.Equal(new double[3], perRow);
        _ = de;
    }
}
