using KernelDsl.Gpu.Catalogue;
using KernelDsl.Runtime.Gpu;
using static KernelDsl.Runtime.Tests.Catalogue.Reference;

namespace KernelDsl.Runtime.Tests.Gpu;

/// <summary>
/// Half and bfloat16 views on the device: the kernels' software conversions against System.Half and the CPU's BFloat16
/// (every Half pattern, every tie between neighbouring halves, random floats), then whole losses in 16 bits on the device
/// against the same losses in 16 bits on the CPU (values 1e-5; gradients within one unit of the 16-bit format's last
/// place, since each side rounds its own float result).
/// </summary>
public class GpuLowPrecisionTests : IClassFixture<GpuFixture>
{
    private readonly KernelDevice _device;

    public GpuLowPrecisionTests(GpuFixture fixture) => _device = fixture.Device;

    private static void SameFloat(float expected, float actual, string what)
    {
        if (float.IsNaN(expected)) Assert.True(float.IsNaN(actual), what);
        else Assert.Equal(BitConverter.SingleToUInt32Bits(expected), BitConverter.SingleToUInt32Bits(actual));
    }

    [Fact]
    public void HalfLoadIsExactForEveryPattern()
    {
        for (int bits = 0; bits < 65536; bits++)
            SameFloat((float)BitConverter.UInt16BitsToHalf((ushort)bits), GpuHalf.Load((ushort)bits), $"0x{bits:X4}");
    }

    [Fact]
    public void HalfStoreRoundsAsSystemHalf()
    {
        var floats = new List<float> { 0f, -0f, float.Epsilon, 65504f, 65519.99f, 65520f, 1e6f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 5.9604645E-08f, 2.9802322E-08f, 2.9802326E-08f };
        for (int bits = 0; bits < 0x7C00; bits++)
        {
            float a = (float)BitConverter.UInt16BitsToHalf((ushort)bits), b = (float)BitConverter.UInt16BitsToHalf((ushort)(bits + 1));
            float mid = (float)(((double)a + b) / 2); // the tie between neighbours (exact in float), and a float ulp either side
            floats.AddRange(new[] { a, mid, MathF.BitDecrement(mid), MathF.BitIncrement(mid), -mid });
        }
        var rng = new Random(5);
        for (int k = 0; k < 200_000; k++) floats.Add(BitConverter.UInt32BitsToSingle((uint)rng.NextInt64(0, 1L << 32)));
        foreach (float f in floats)
        {
            ushort expected = BitConverter.HalfToUInt16Bits((Half)f), actual = GpuHalf.Store(f);
            if (float.IsNaN(f)) Assert.True(Half.IsNaN(BitConverter.UInt16BitsToHalf(actual)), $"{f}");
            else Assert.True(expected == actual, $"{f:R}: expected 0x{expected:X4}, got 0x{actual:X4}");
        }
    }

    [Fact]
    public void BFloat16MatchesTheCpuConversions()
    {
        var rng = new Random(6);
        for (int k = 0; k < 200_000; k++)
        {
            float f = BitConverter.UInt32BitsToSingle((uint)rng.NextInt64(0, 1L << 32));
            Assert.Equal(BFloat16.FromSingle(f), GpuBFloat16.Store(f));
            ushort b = (ushort)rng.Next(65536);
            SameFloat(BFloat16.ToSingle(b), GpuBFloat16.Load(b), $"0x{b:X4}");
        }
    }

    // Within one unit in the last place of the 16-bit format (or a float floor for values near 0).
    private static void Within16(double expected, double actual, double ulp, double floor, string what) =>
        Close(expected, actual, ulp, floor, what);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DistillationRowsIn16BitsMatchTheCpu(bool bfloat16)
    {
        const int rows = 4, cols = 2000;
        var rng = new Random(bfloat16 ? 8 : 9);
        var t = Enumerable.Range(0, rows * cols).Select(_ => (float)(8 * rng.NextDouble() - 4)).ToArray();
        var s = Enumerable.Range(0, rows * cols).Select(_ => (float)(8 * rng.NextDouble() - 4)).ToArray();
        double ulp = bfloat16 ? 1.0 / 128 : 1.0 / 1024;
        var (pc, pg) = (new float[rows], new float[rows]);
        double[] dc, dg;
        float cpu, gpu;
        if (bfloat16)
        {
            var tb = t.Select(BFloat16.FromSingle).ToArray();
            var sb = s.Select(BFloat16.FromSingle).ToArray();
            var (gc, gg) = (new ushort[s.Length], new ushort[s.Length]);
            cpu = DistillationKl.RowsAndGradient(tb, sb, cols, pc, RowReduction.BatchMean, default, gc, 2f);
            gpu = DistillationKl.Gpu.RowsAndGradient(_device, tb, sb, cols, pg, RowReduction.BatchMean, default, gg, 2f);
            (dc, dg) = (gc.Select(b => (double)BFloat16.ToSingle(b)).ToArray(), gg.Select(b => (double)BFloat16.ToSingle(b)).ToArray());
        }
        else
        {
            var th = t.Select(z => (Half)z).ToArray();
            var sh = s.Select(z => (Half)z).ToArray();
            var (gc, gg) = (new Half[s.Length], new Half[s.Length]);
            cpu = DistillationKl.RowsAndGradient(th, sh, cols, pc, RowReduction.BatchMean, default, gc, 2f);
            gpu = DistillationKl.Gpu.RowsAndGradient(_device, th, sh, cols, pg, RowReduction.BatchMean, default, gg, 2f);
            (dc, dg) = (gc.Select(h => (double)h).ToArray(), gg.Select(h => (double)h).ToArray());
        }
        Close(cpu, gpu, 1e-5, 1e-6, "value");
        for (int r = 0; r < rows; r++) Close(pc[r], pg[r], 1e-5, 1e-6, $"perRow[{r}]");
        double scale = dc.Max(Math.Abs);
        for (int k = 0; k < dc.Length; k++) Within16(dc[k], dg[k], ulp, 1e-6 * scale + 6e-8, $"ds[{k}]");
    }

    [Fact]
    public void HalfValueAndGradientOverWholeViews()
    {
        var rng = new Random(10);
        var s = Enumerable.Range(0, 3000).Select(_ => (Half)(8 * rng.NextDouble() - 4)).ToArray();
        var (gc, gg) = (new Half[s.Length], new Half[s.Length]);
        float cpu = CrossEntropy.ValueAndGradient(s, gc, 17);
        float gpu = CrossEntropy.Gpu.ValueAndGradient(_device, s, gg, 17);
        Close(cpu, gpu, 1e-5, 1e-6, "value");
        for (int k = 0; k < s.Length; k++) Within16((double)gc[k], (double)gg[k], 1.0 / 1024, 6e-8, $"ds[{k}]");
    }
}
