using KernelDsl.Catalogue;

namespace KernelDsl.Runtime.Tests.Api;

/// <summary>A masked dot product: one row-level mask, no parameter.</summary>
[Loss("(p, q, m: mask) => sum(p * q)")]
public static partial class MaskedDot;

/// <summary>
/// Run-time checks of the generated entry points: the reduction argument, the perRow message, the ignore index of
/// single-row calls, NaN masks. Expected values are closed forms computed here from the inputs (no generated code).
/// </summary>
public class GeneratedApiChecksTests
{
    private static readonly float[] P = { 0.5f, 1.5f, 2f, 4f, 1f, 3f };
    private static readonly float[] Q = { 2f, 1f, 0.25f, 0.5f, 1f, 2f };

    [Theory]
    [InlineData(42)]
    [InlineData(-1)]
    [InlineData(5)]
    public void Rows_UndefinedReduction_ThrowsNamingReduction(int value)
    {
        var reduction = (RowReduction)value;
        var e1 = Assert.Throws<ArgumentOutOfRangeException>(() => KullbackLeibler.Rows(P, Q, 3, default, reduction));
        Assert.Equal("reduction", e1.ParamName);
        var dp = new float[P.Length];
        var e2 = Assert.Throws<ArgumentOutOfRangeException>(() => KullbackLeibler.RowsAndGradient(P, Q, 3, default, reduction, dp, default));
        Assert.Equal("reduction", e2.ParamName);
        var e3 = Assert.Throws<ArgumentOutOfRangeException>(() => Renyi.Rows(new double[] { 0.5, 0.5 }, new double[] { 0.25, 0.75 }, 2, default, reduction, 2.0));
        Assert.Equal("reduction", e3.ParamName);
    }

    [Fact]
    public void Rows_DefinedReductions_AreTheClosedForms()
    {
        // Dot products of the two rows: 0.5*2 + 1.5*1 + 2*0.25 = 3, 4*0.5 + 1*1 + 3*2 = 9.
        var m = new float[] { 1f, 1f };
        Assert.Equal(12f, MaskedDot.Rows(P, Q, m, 3, default, RowReduction.Sum));
        Assert.Equal(12f, MaskedDot.Rows(P, Q, m, 3, default, RowReduction.None));
        Assert.Equal(2f, MaskedDot.Rows(P, Q, m, 3, default, RowReduction.Mean));
        Assert.Equal(6f, MaskedDot.Rows(P, Q, m, 3, default, RowReduction.BatchMean));
        Assert.Equal(9f, MaskedDot.Rows(P, Q, new float[] { 0f, 1f }, 3, default, RowReduction.ValidMean));
    }

    [Fact]
    public void Rows_WrongPerRowLength_SaysWhatPerRowIs()
    {
        var e = Assert.Throws<ArgumentException>(() => KullbackLeibler.Rows(P, Q, 3, new float[3], RowReduction.Sum));
        Assert.Equal("perRow", e.ParamName);
        Assert.DoesNotContain("gradient", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("per row", e.Message, StringComparison.Ordinal);
        Assert.Contains("(2)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SingleRow_IgnoredLabel_GivesZeroAndZeroGradients_LikeOneIgnoredRowOfRows()
    {
        var s = new float[] { 1f, 2f, 3f };
        var ds = new float[] { 7f, 7f, 7f };
        Assert.Equal(0f, CrossEntropy.Value(s, -100));
        Assert.Equal(0f, CrossEntropy.ValueAndGradient(s, ds, -100));
        Assert.Equal(new float[3], ds);

        // The same row through Rows, ignored there too.
        var dsRows = new float[] { 7f, 7f, 7f };
        var perRow = new float[1];
        Assert.Equal(0f, CrossEntropy.RowsAndGradient(s, new[] { -100 }, 3, perRow, RowReduction.Sum, dsRows));
        Assert.Equal(new float[3], dsRows);
        Assert.Equal(0f, perRow[0]);

        // A chosen ignore index, as in Rows; a label that is neither in range nor ignored still throws.
        Assert.Equal(0.0, CrossEntropy.Value(new double[] { 1, 2, 3 }, 7, ignoreIndex: 7));
        Assert.Equal("y", Assert.Throws<ArgumentOutOfRangeException>(() => CrossEntropy.Value(s, -100, ignoreIndex: -1)).ParamName);
        // An ordinary label: logsumexp(s) - s[y], closed form.
        double lse = Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3));
        Assert.Equal(lse - 2, CrossEntropy.Value(new double[] { 1, 2, 3 }, 1), 12);
    }

    [Fact]
    public void NaNMask_Throws_NamingTheMaskAndTheRow()
    {
        var rows = Assert.Throws<ArgumentException>(() => MaskedDot.Rows(P, Q, new[] { 1f, float.NaN }, 3, default, RowReduction.Sum));
        Assert.Equal("m", rows.ParamName);
        Assert.Contains("Row 1", rows.Message, StringComparison.Ordinal);
        var dp = new float[P.Length];
        var grad = Assert.Throws<ArgumentException>(() => MaskedDot.RowsAndGradient(P, Q, new[] { float.NaN, 1f }, 3, default, RowReduction.Sum, dp, default));
        Assert.Equal("m", grad.ParamName);
        Assert.Contains("Row 0", grad.Message, StringComparison.Ordinal);
        var single = Assert.Throws<ArgumentException>(() => MaskedDot.Value(P, Q, float.NaN));
        Assert.Equal("m", single.ParamName);
        Assert.Throws<ArgumentException>(() => MaskedDot.ValueAndGradient(P, Q, dp, default, float.NaN));
        // A zero mask still skips: value 0 and gradient exactly 0.
        Array.Fill(dp, 5f);
        Assert.Equal(0f, MaskedDot.ValueAndGradient(P, Q, dp, default, 0f));
        Assert.Equal(new float[P.Length], dp);
    }
}

/// <summary>The same run-time checks on the GPU entry points (the fixture's accelerator), which share the CPU's rules.</summary>
public class GeneratedGpuApiChecksTests : IClassFixture<KernelDsl.Runtime.Tests.Gpu.GpuFixture>
{
    private readonly KernelDsl.Runtime.Gpu.KernelDevice _device;

    public GeneratedGpuApiChecksTests(KernelDsl.Runtime.Tests.Gpu.GpuFixture fixture) => _device = fixture.Device;

    [Fact]
    public void Gpu_UndefinedReduction_PerRow_IgnoredLabel_NaNMask()
    {
        float[] p = { 0.5f, 1.5f, 2f, 4f, 1f, 3f }, q = { 2f, 1f, 0.25f, 0.5f, 1f, 2f };
        Assert.Equal("reduction", Assert.Throws<ArgumentOutOfRangeException>(() => KernelDsl.Gpu.Catalogue.KullbackLeibler.Gpu.Rows(_device, p, q, 3, default, (RowReduction)42)).ParamName);
        Assert.Equal("perRow", Assert.Throws<ArgumentException>(() => KernelDsl.Gpu.Catalogue.KullbackLeibler.Gpu.Rows(_device, p, q, 3, new float[5], RowReduction.Sum)).ParamName);

        var s = new float[] { 1f, 2f, 3f };
        var ds = new float[] { 7f, 7f, 7f };
        Assert.Equal(0f, KernelDsl.Gpu.Catalogue.CrossEntropy.Gpu.ValueAndGradient(_device, s, ds, -100));
        Assert.Equal(new float[3], ds);
        Assert.Equal(0f, KernelDsl.Gpu.Catalogue.CrossEntropy.Gpu.Value(_device, s, 2, ignoreIndex: 2));

        var e = Assert.Throws<ArgumentException>(() => MaskedDot.Gpu.Rows(_device, p, q, new[] { 1f, float.NaN }, 3, default, RowReduction.Sum));
        Assert.Equal("m", e.ParamName);
        Assert.Contains("Row 1", e.Message, StringComparison.Ordinal);
        Assert.Equal("m", Assert.Throws<ArgumentException>(() => MaskedDot.Gpu.Value(_device, p, q, float.NaN)).ParamName);
    }
}
