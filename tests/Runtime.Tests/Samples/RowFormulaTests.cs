using KernelDsl.Language;
using KernelDsl.Language.Binding;
using KernelDsl.Language.Interpretation;
using KernelDsl.Runtime.Tests.Catalogue;
using KernelDsl.Runtime.Tests.Pairs;

namespace KernelDsl.Runtime.Tests.Samples;

/// <summary>Two clouds, weights, two row-level inputs, a scalar factor inside a term of one point and a nonlinear epilogue.</summary>
[Loss("(x: points(a), z: points, y: row, t: row; s) => t * log(mean(sum_k((x - y)^2 / s))) + mean(k(x, z)) * y + mean(sum_k(z * y)) where k(u, v) = exp(-sqdist(u, v))")]
public static partial class MixedRowFormula;

/// <summary>A value whose derivative in the points is 0 everywhere (sign is flat): no reduction has a nonzero slope.</summary>
[Loss("(e: points, y: row) => y + sign(mean(dist(e, e)))")]
public static partial class FlatRowFormula;

/// <summary>
/// Sample formulas with terms of one point and row-level inputs beyond the CRPS, against the double oracle
/// (<see cref="SampleInterpreter"/>) row by row: <c>Rows</c> and <c>RowsAndGradient</c> (the small-cloud path) and the
/// single-row <c>Value</c> and <c>ValueAndGradient</c> (the tiled engine), in both clouds.
/// </summary>
public class RowFormulaTests
{
    [Theory]
    [InlineData(4, 3, 5, 1, 1)]
    [InlineData(3, 9, 6, 3, 2)]
    public void MixedRowFormula_MatchesTheOracle_PerRow(int rows, int n, int m, int d, int seed)
    {
        var bag = new DiagnosticBag();
        var f = SampleBinder.Compile(MixedRowFormula.Formula, bag);
        Assert.False(bag.HasErrors);
        double[] x = PairOracle.Normal(rows * n * d, seed), z = PairOracle.Normal(rows * m * d, seed + 1);
        double[] a = PairOracle.Positive(rows * n, seed + 2), y = PairOracle.Normal(rows, seed + 3), t = PairOracle.Positive(rows, seed + 4);
        const double s = 0.8;
        var perRow = new double[rows];
        var withGradient = new double[rows];
        var dx = new double[x.Length];
        var dz = new double[z.Length];
        MixedRowFormula.Rows(x, a, z, y, t, d, perRow, s);
        MixedRowFormula.RowsAndGradient(x, a, z, y, t, d, withGradient, dx, dz, s);
        for (int r = 0; r < rows; r++)
        {
            double[] xr = x.Skip(r * n * d).Take(n * d).ToArray(), zr = z.Skip(r * m * d).Take(m * d).ToArray(), ar = a.Skip(r * n).Take(n).ToArray();
            var input = new SampleInputs(d, new[] { xr, zr }, new[] { ar, null }, new[] { s }, new[] { y[r], t[r] });
            var oracle = SampleInterpreter.Gradient(f, input);
            Reference.Close(oracle.Value, perRow[r], 1e-12, 1e-14, $"row {r}");
            Reference.Close(oracle.Value, withGradient[r], 1e-12, 1e-14, $"row {r} with the gradient");
            var gx = new double[xr.Length];
            var gz = new double[zr.Length];
            Reference.Close(oracle.Value, MixedRowFormula.Value(xr, ar, zr, d, y[r], t[r], s), 1e-12, 1e-14, $"row {r} Value");
            Reference.Close(oracle.Value, MixedRowFormula.ValueAndGradient(xr, ar, zr, d, gx, gz, y[r], t[r], s), 1e-12, 1e-14, $"row {r} ValueAndGradient");
            foreach (var (expected, rowsGrad, single, name) in new[] { (oracle.Clouds[0], dx.Skip(r * n * d).Take(n * d).ToArray(), gx, "x"), (oracle.Clouds[1], dz.Skip(r * m * d).Take(m * d).ToArray(), gz, "z") })
            {
                double scale = expected.Max(Math.Abs);
                for (int i = 0; i < expected.Length; i++)
                {
                    Reference.Close(expected[i], rowsGrad[i], 1e-11, 1e-13 * scale, $"row {r} Rows d{name}[{i}]");
                    Reference.Close(expected[i], single[i], 1e-11, 1e-13 * scale, $"row {r} ValueAndGradient d{name}[{i}]");
                }
            }
        }
    }

    /// <summary>RowsAndGradient writes a requested gradient even when it is 0 (found by review: it left the span as it was).</summary>
    [Fact]
    public void RowsAndGradient_WritesZero_WhenNoReductionHasASlope()
    {
        double[] e = PairOracle.Normal(3 * 4, 5), y = { 0.5, -1, 2 };
        var perRow = new double[3];
        var de = Enumerable.Repeat(7.0, e.Length).ToArray();
        FlatRowFormula.RowsAndGradient(e, y, 1, perRow, de);
        Assert.All(de, g => Assert.Equal(0.0, g));
        for (int r = 0; r < 3; r++) Assert.Equal(y[r] + 1, perRow[r]);
        var single = Enumerable.Repeat(7.0, 4).ToArray();
        FlatRowFormula.ValueAndGradient(e.AsSpan(0, 4), 1, single, y[0]);
        Assert.All(single, g => Assert.Equal(0.0, g));
    }
}
