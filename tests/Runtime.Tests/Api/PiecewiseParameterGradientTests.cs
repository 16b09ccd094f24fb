using System.Buffers;

namespace KernelDsl.Runtime.Tests.Api;

/// <summary>
/// Each element times the sign of its distance to a threshold: the parameter enters only through sign, so its gradient
/// is structurally null (0 wherever it is defined).
/// </summary>
[Loss("(x; a) => sum(x * sign(x - a))")]
public static partial class SignedAboveThreshold;

/// <summary>
/// A parameter whose gradient is structurally null must still come back as exactly 0, not as whatever the scratch memory
/// held: the rows entry sums every row's parameter gradients from a rented array once rows × (1 + parameters) passes the
/// stack's 256 doubles. The closed forms, computed here: the value is Σ x·sign(x - a), d/dx = sign(x - a) (no element
/// equals a), d/da = 0.
/// </summary>
public class PiecewiseParameterGradientTests
{
    private const int Rows = 300;
    private const int RowLength = 5;
    private const double Threshold = 0.25;

    private static double[] Inputs()
    {
        var rng = new Random(12);
        // Away from the threshold, so that sign(x - a) is ±1 in float and in double alike.
        return Enumerable.Range(0, Rows * RowLength).Select(_ => (rng.NextDouble() < 0.5 ? -1 : 1) * (0.5 + rng.NextDouble()) + Threshold).ToArray();
    }

    // Leaves an array full of NaN in the pool's bucket the scratch buffer rents from, so that an unwritten row shows.
    private static void DirtyThePool(int doubles)
    {
        var dirty = ArrayPool<double>.Shared.Rent(doubles);
        Array.Fill(dirty, double.NaN);
        ArrayPool<double>.Shared.Return(dirty);
    }

    [Fact]
    public void RowsAndGradient_ManyRows_ParameterGradientIsZero()
    {
        var x = Inputs();
        double expected = x.Sum(v => v * Math.Sign(v - Threshold));

        DirtyThePool(Rows * 2);
        var dx = new double[x.Length];
        var perRow = new double[Rows];
        var da = new[] { double.NaN };
        double total = SignedAboveThreshold.RowsAndGradient(x, RowLength, perRow, RowReduction.Sum, dx, Threshold, da);
        Assert.Equal(0.0, da[0]);
        Assert.Equal(expected, total, 1e-12 * x.Sum(Math.Abs));
        for (int r = 0; r < Rows; r++)
        {
            var row = x.AsSpan(r * RowLength, RowLength).ToArray();
            Assert.Equal(row.Sum(v => v * Math.Sign(v - Threshold)), perRow[r], 1e-13);
        }
        for (int i = 0; i < x.Length; i++) Assert.Equal(Math.Sign(x[i] - Threshold), dx[i]);

        var xf = x.Select(v => (float)v).ToArray();
        DirtyThePool(Rows * 2);
        var dxf = new float[xf.Length];
        var daf = new[] { float.NaN };
        SignedAboveThreshold.RowsAndGradient(xf, RowLength, default, RowReduction.Mean, dxf, (float)Threshold, daf);
        Assert.Equal(0f, daf[0]);
        double scale = 1.0 / xf.Length;
        for (int i = 0; i < xf.Length; i++) Assert.Equal(Math.Sign(xf[i] - (float)Threshold) * scale, dxf[i], 1e-6 * scale);
    }

    [Fact]
    public void ValueAndGradient_ParameterGradientIsZero()
    {
        var x = Inputs();
        var dx = new double[x.Length];
        var da = new[] { double.NaN };
        double value = SignedAboveThreshold.ValueAndGradient(x, dx, Threshold, da);
        Assert.Equal(0.0, da[0]);
        Assert.Equal(x.Sum(v => v * Math.Sign(v - Threshold)), value, 1e-12 * x.Sum(Math.Abs));
        for (int i = 0; i < x.Length; i++) Assert.Equal(Math.Sign(x[i] - Threshold), dx[i]);

        var xf = x.Select(v => (float)v).ToArray();
        var dxf = new float[xf.Length];
        var daf = new[] { float.NaN };
        SignedAboveThreshold.ValueAndGradient(xf, dxf, (float)Threshold, daf);
        Assert.Equal(0f, daf[0]);
        for (int i = 0; i < xf.Length; i++) Assert.Equal(Math.Sign(xf[i] - (float)Threshold), dxf[i]);
    }
}
