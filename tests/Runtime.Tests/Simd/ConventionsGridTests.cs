using System.Globalization;
using System.IO;
using System.Runtime.Intrinsics;
using System.Text.Json;

namespace KernelDsl.Runtime.Tests.Simd;

/// <summary>
/// The xlogy column of tests/reference/conventions.json.gz (scipy.special at special values) is the contract: every
/// double width must reproduce it bit for bit (any NaN for NaN, the sign of zeros included). Float widths get the
/// grid rounded to float and must agree with the same rules.
/// </summary>
public sealed class ConventionsGridTests
{
    internal static IReadOnlyList<(double X, double Y, double Xlogy)> Grid()
    {
        using JsonDocument doc = JsonDocument.Parse(KernelDsl.Runtime.Tests.Catalogue.Reference.ReadText("conventions"));
        return doc.RootElement.GetProperty("cases").EnumerateArray()
            .Select(c => (Number(c.GetProperty("x")), Number(c.GetProperty("y")), Number(c.GetProperty("xlogy"))))
            .ToList();
    }

    private static double Number(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? e.GetString() switch
        {
            "inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            "nan" => double.NaN,
            var s => double.Parse(s!, CultureInfo.InvariantCulture),
        }
        : e.GetDouble();

    private static void Exact<V, TVec>() where V : ISimd<TVec, double> where TVec : struct
    {
        if (!V.IsHardwareAccelerated)
        {
            return;
        }

        var grid = Grid();
        Assert.Equal(121, grid.Count);
        double[] got = Lanes.Map2<V, TVec, double>(grid.Select(g => g.X).ToArray(), grid.Select(g => g.Y).ToArray(), V.Xlogy);
        for (int i = 0; i < grid.Count; i++)
        {
            (double x, double y, double expected) = grid[i];
            bool same = double.IsNaN(expected) ? double.IsNaN(got[i]) : BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(got[i]);
            Assert.True(same, $"{typeof(V).Name}.Xlogy({x:R}, {y:R}) = {got[i]:R}, the grid says {expected:R}");
        }
    }

    private static void RoundedToFloat<V, TVec>() where V : ISimd<TVec, float> where TVec : struct
    {
        if (!V.IsHardwareAccelerated)
        {
            return;
        }

        var grid = Grid();
        float[] xs = grid.Select(g => (float)g.X).ToArray();
        float[] ys = grid.Select(g => (float)g.Y).ToArray();
        float[] got = Lanes.Map2<V, TVec, float>(xs, ys, V.Xlogy);
        for (int i = 0; i < grid.Count; i++)
        {
            DD reference = Reference.Xlogy(xs[i], ys[i]);
            double error = Accuracy.UlpError(got[i], reference, isFloat: true, signedZero: true);
            Assert.True(error <= 1.5, $"{typeof(V).Name}.Xlogy({xs[i]:R}, {ys[i]:R}) = {got[i]:R}, reference {reference.Value:R}");

            // Where the float grid point is the double one, the special classification must be the grid's.
            if (((double)xs[i]).Equals(grid[i].X) && ((double)ys[i]).Equals(grid[i].Y))
            {
                double expected = grid[i].Xlogy;
                Assert.Equal(double.IsNaN(expected), float.IsNaN(got[i]));
                Assert.Equal(double.IsPositiveInfinity(expected), float.IsPositiveInfinity(got[i]));
                Assert.Equal(double.IsNegativeInfinity(expected), float.IsNegativeInfinity(got[i]));
                if (expected == 0)
                {
                    Assert.Equal(double.IsNegative(expected), float.IsNegative(got[i]));
                }
            }
        }
    }

    [Fact]
    public void Simd512D_matches_the_grid_exactly() => Exact<Simd512D, Vector512<double>>();

    [Fact]
    public void Simd256D_matches_the_grid_exactly() => Exact<Simd256D, Vector256<double>>();

    [Fact]
    public void Simd128D_matches_the_grid_exactly() => Exact<Simd128D, Vector128<double>>();

    [Fact]
    public void ScalarD_matches_the_grid_exactly() => Exact<ScalarD, double>();

    [Fact]
    public void Float_widths_follow_the_grid_rounded_to_float()
    {
        RoundedToFloat<Simd512F, Vector512<float>>();
        RoundedToFloat<Simd256F, Vector256<float>>();
        RoundedToFloat<Simd128F, Vector128<float>>();
        RoundedToFloat<ScalarF, float>();
    }
}
