using KernelDsl.Catalogue;
using static KernelDsl.Runtime.Tests.Catalogue.Reference;

namespace KernelDsl.Runtime.Tests.Catalogue;

/// <summary>
/// Half and bfloat16 logits through the same API, computed and accumulated in float. The reference is the double kernel on
/// the same 16-bit values widened exactly, so the bounds are float's for values (1e-5 relative) and the storage format's
/// rounding for gradients written back in 16 bits: half an ulp, 2^-11 relative for Half and 2^-8 for bfloat16 (plus a float
/// floor of 1e-6 of the largest component, and for Half its smallest subnormal, 2^-24).
/// </summary>
public class LowPrecisionLossTests
{
    private static (double[] T, double[] S) Logits(int n, int seed)
    {
        var rng = new Random(seed);
        return (Enumerable.Range(0, n).Select(_ => 12 * rng.NextDouble() - 6).ToArray(),
                Enumerable.Range(0, n).Select(_ => 12 * rng.NextDouble() - 6).ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DistillationRowsInHalfAndBFloat16(bool bfloat16)
    {
        int rows = 8, v = 4099;
        var (t0, s0) = Logits(rows * v, bfloat16 ? 2 : 1);
        // Round the logits to the 16-bit format; the double reference sees exactly those values.
        double[] Round(double[] x) => bfloat16
            ? x.Select(z => (double)BFloat16.ToSingle(BFloat16.FromSingle((float)z))).ToArray()
            : x.Select(z => (double)(float)(Half)z).ToArray();
        var t = Round(t0);
        var s = Round(s0);
        var perRow = new double[rows];
        var ds = new double[s.Length];
        double expected = DistillationKl.RowsAndGradient(t, s, v, perRow, RowReduction.BatchMean, default, ds, 2.0);

        var got = new float[rows];
        float value;
        double[] dsLow;
        if (bfloat16)
        {
            var tb = t.Select(z => BFloat16.FromSingle((float)z)).ToArray();
            var sb = s.Select(z => BFloat16.FromSingle((float)z)).ToArray();
            var g = new ushort[s.Length];
            value = DistillationKl.RowsAndGradient(tb, sb, v, got, RowReduction.BatchMean, default, g, 2f);
            dsLow = g.Select(b => (double)BFloat16.ToSingle(b)).ToArray();
        }
        else
        {
            var th = t.Select(z => (Half)z).ToArray();
            var sh = s.Select(z => (Half)z).ToArray();
            var g = new Half[s.Length];
            value = DistillationKl.RowsAndGradient(th, sh, v, got, RowReduction.BatchMean, default, g, 2f);
            dsLow = g.Select(h => (double)h).ToArray();
        }
        Close(expected, value, 1e-5, 1e-7, "batch mean");
        for (int r = 0; r < rows; r++) Close(perRow[r], got[r], 1e-5, 1e-7, $"row {r}");
        double rel = bfloat16 ? Math.Pow(2, -8) : Math.Pow(2, -11);
        // Half's smallest subnormal is 2^-24: smaller gradients round to 0 or to it, a format limit, not a kernel error.
        double floor = Math.Max(1e-6 * ds.Max(Math.Abs), bfloat16 ? 0 : Math.Pow(2, -24));
        for (int k = 0; k < ds.Length; k++) Close(ds[k], dsLow[k], rel, floor, $"ds[{k}]");
    }

    [Fact]
    public void CrossEntropyInBFloat16WithIgnoredRows()
    {
        int rows = 4, v = 1000;
        var (_, s0) = Logits(rows * v, 3);
        var s = s0.Select(z => (double)BFloat16.ToSingle(BFloat16.FromSingle((float)z))).ToArray();
        int[] y = { 5, -100, 999, 0 };
        var ds = new double[s.Length];
        double expected = CrossEntropy.RowsAndGradient(s, y, v, default, RowReduction.ValidMean, ds);
        var g = new ushort[s.Length];
        float value = CrossEntropy.RowsAndGradient(s.Select(z => BFloat16.FromSingle((float)z)).ToArray(), y, v, default, RowReduction.ValidMean, g);
        Close(expected, value, 1e-5, 1e-7, "valid mean");
        for (int k = 0; k < ds.Length; k++)
        {
            double got = BFloat16.ToSingle(g[k]);
            if (k / v == 1) Assert.Equal(0.0, got);
            else Close(ds[k], got, Math.Pow(2, -8), 1e-9, $"ds[{k}]");
        }
    }
}
