using KernelDsl.Gpu.Catalogue;
using KernelDsl.Runtime.Gpu;
using static KernelDsl.Runtime.Tests.Catalogue.Reference;

namespace KernelDsl.Runtime.Tests.Gpu;

/// <summary>A distillation loss with a row mask and a row weight, to run every row-level kind on the device.</summary>
[Loss("(t, s, m: mask, w: row; T) => w * T^2 * sum(softmax(t / T) * (log_softmax(t / T) - log_softmax(s / T)))")]
public static partial class MaskedWeightedDistillation;

/// <summary>
/// GPU Rows (one group per row, every pass on the device) against the CPU Rows: per-row values, every reduction, input
/// and parameter gradients, upstream, labels with the ignore index, masks, row weights, the per-input plans; skipped
/// rows exactly 0; bad row-level spans throw as on the CPU.
/// </summary>
public class GpuRowsTests : IClassFixture<GpuFixture>
{
    private readonly KernelDevice _device;

    public GpuRowsTests(GpuFixture fixture) => _device = fixture.Device;

    private static float[] Logits(int n, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(8 * rng.NextDouble() - 4)).ToArray();
    }

    private static void Same(float[] cpu, float[] gpu, string what)
    {
        double scale = cpu.Length == 0 ? 0 : cpu.Max(v => Math.Abs((double)v));
        for (int k = 0; k < cpu.Length; k++) Close(cpu[k], gpu[k], 1e-5, 1e-5 * scale, $"{what}[{k}]");
    }

    public static IEnumerable<object[]> Reductions() => Enum.GetValues<RowReduction>().Select(r => new object[] { r });

    [Theory]
    [MemberData(nameof(Reductions))]
    public void DistillationRowsMatchCpu(RowReduction reduction)
    {
        const int rows = 5, cols = 3001;
        var t = Logits(rows * cols, 1);
        var s = Logits(rows * cols, 2);
        float[] upstream = reduction == RowReduction.None ? [0.5f, -1f, 2f, 0f, 1.5f] : [];
        var (pc, pg) = (new float[rows], new float[rows]);
        var (dtc, dsc, dtg, dsg) = (new float[t.Length], new float[t.Length], new float[t.Length], new float[t.Length]);
        var (dTc, dTg) = (new float[1], new float[1]);
        float cpu = DistillationKl.RowsAndGradient(t, s, cols, pc, reduction, dtc, dsc, 2f, dTc, upstream);
        float gpu = DistillationKl.Gpu.RowsAndGradient(_device, t, s, cols, pg, reduction, dtg, dsg, 2f, dTg, upstream);
        Close(cpu, gpu, 1e-5, 1e-6, $"{reduction} value");
        Same(pc, pg, "perRow");
        Same(dtc, dtg, "dt");
        Same(dsc, dsg, "ds");
        Close(dTc[0], dTg[0], 1e-5, 1e-6, "dT");

        // Value only, and the student's gradient alone (its own, shorter plan).
        Close(DistillationKl.Rows(t, s, cols, default, reduction, 2f), DistillationKl.Gpu.Rows(_device, t, s, cols, default, reduction, 2f), 1e-5, 1e-6, "Rows");
        var (ds1c, ds1g) = (new float[t.Length], new float[t.Length]);
        DistillationKl.RowsAndGradient(t, s, cols, default, reduction, default, ds1c, 2f, default, upstream);
        DistillationKl.Gpu.RowsAndGradient(_device, t, s, cols, default, reduction, default, ds1g, 2f, default, upstream);
        Same(ds1c, ds1g, "ds alone");
    }

    [Theory]
    [MemberData(nameof(Reductions))]
    public void ManyShortRowsRunOneGroupPerRow(RowReduction reduction)
    {
        // 100 rows fill the CPU accelerator's groups: one group per row runs both passes in one kernel (few long rows,
        // above, are split into segments instead). Same checks against the CPU.
        const int rows = 100, cols = 37;
        Assert.Equal(1, GpuLaunch.Segments(_device.Accelerator, rows, cols, GpuLaunch.GroupSize(_device.Accelerator)));
        var t = Logits(rows * cols, 11);
        var s = Logits(rows * cols, 12);
        var m = Enumerable.Range(0, rows).Select(r => r % 7 == 3 ? 0f : 1f).ToArray();
        var w = Enumerable.Range(0, rows).Select(r => 0.5f + r % 3).ToArray();
        var upstream = reduction == RowReduction.None ? Enumerable.Range(0, rows).Select(r => r % 5 - 2f).ToArray() : [];
        var (pc, pg) = (new float[rows], new float[rows]);
        var (dtc, dsc, dtg, dsg) = (new float[t.Length], new float[t.Length], new float[t.Length], new float[t.Length]);
        var (dTc, dTg) = (new float[1], new float[1]);
        float cpu = MaskedWeightedDistillation.RowsAndGradient(t, s, m, w, cols, pc, reduction, dtc, dsc, 2f, dTc, upstream);
        float gpu = MaskedWeightedDistillation.Gpu.RowsAndGradient(_device, t, s, m, w, cols, pg, reduction, dtg, dsg, 2f, dTg, upstream);
        Close(cpu, gpu, 1e-5, 1e-6, $"{reduction} value");
        Same(pc, pg, "perRow");
        Same(dtc, dtg, "dt");
        Same(dsc, dsg, "ds");
        // dT sums 100 rows' contributions of both signs (upstream from -2 to 2): cancellation. Judge both float results
        // against the double kernel: the device may be off by no more than twice the CPU float kernel, or 1e-5.
        var dTd = new double[1];
        MaskedWeightedDistillation.RowsAndGradient(t.Select(v => (double)v).ToArray(), s.Select(v => (double)v).ToArray(), m.Select(v => (double)v).ToArray(),
            w.Select(v => (double)v).ToArray(), cols, default, reduction, default, default, 2.0, dTd, upstream.Select(v => (double)v).ToArray());
        Close(dTd[0], dTg[0], 1e-5, 2 * Math.Abs(dTc[0] - dTd[0]), "dT");
        for (int k = 3 * cols; k < 4 * cols; k++) Assert.Equal(0f, dsg[k]); // row 3 is masked

        int[] y = Enumerable.Range(0, rows).Select(r => r % 9 == 0 ? -100 : r % cols).ToArray();
        var (dc, dg) = (new float[s.Length], new float[s.Length]);
        cpu = CrossEntropy.RowsAndGradient(s, y, cols, pc, reduction, dc, upstream);
        gpu = CrossEntropy.Gpu.RowsAndGradient(_device, s, y, cols, pg, reduction, dg, upstream);
        Close(cpu, gpu, 1e-5, 1e-6, $"{reduction} CE value");
        Same(pc, pg, "CE perRow");
        Same(dc, dg, "CE ds");
    }

    [Fact]
    public void CrossEntropyWithIgnoredRowsMatchesCpu()
    {
        const int rows = 6, cols = 517;
        var s = Logits(rows * cols, 3);
        int[] y = [3, -100, 516, 0, -100, 200];
        foreach (var reduction in new[] { RowReduction.ValidMean, RowReduction.Sum })
        {
            var (pc, pg, dc, dg) = (new float[rows], new float[rows], new float[s.Length], new float[s.Length]);
            float cpu = CrossEntropy.RowsAndGradient(s, y, cols, pc, reduction, dc);
            float gpu = CrossEntropy.Gpu.RowsAndGradient(_device, s, y, cols, pg, reduction, dg);
            Close(cpu, gpu, 1e-5, 1e-6, $"{reduction} value");
            Same(pc, pg, "perRow");
            Same(dc, dg, "ds");
            for (int k = cols; k < 2 * cols; k++) Assert.Equal(0f, dg[k]); // the ignored row: exactly 0
            Assert.Equal(0f, pg[1]);
        }
    }

    [Fact]
    public void SmoothedCrossEntropyParameterGradientsMatchCpu()
    {
        const int rows = 4, cols = 1000;
        var s = Logits(rows * cols, 4);
        int[] y = [1, 999, 5, 0];
        var (dc, dg, pc, pg) = (new float[s.Length], new float[s.Length], new float[2], new float[2]);
        float cpu = CrossEntropySmoothed.RowsAndGradient(s, y, cols, default, RowReduction.BatchMean, dc, 0.1f, 1e-3f, pc);
        float gpu = CrossEntropySmoothed.Gpu.RowsAndGradient(_device, s, y, cols, default, RowReduction.BatchMean, dg, 0.1f, 1e-3f, pg);
        Close(cpu, gpu, 1e-5, 1e-6, "value");
        Same(dc, dg, "ds");
        Same(pc, pg, "dParameters");
    }

    [Fact]
    public void RowWeightsLabelsAndMasksMatchCpu()
    {
        const int rows = 4, cols = 700;
        var t = Logits(rows * cols, 5);
        var s = Logits(rows * cols, 6);
        float[] m = [1, 0, 1, 1], w = [0.5f, 2f, 0f, 1f], near = [0, 1, 0.25f, 1];
        int[] y = [3, 10, -100, 699];
        var (dtc, dsc, dtg, dsg) = (new float[t.Length], new float[t.Length], new float[t.Length], new float[t.Length]);
        var (pc, pg) = (new float[rows], new float[rows]);
        float cpu = MaskedWeightedDistillation.RowsAndGradient(t, s, m, w, cols, pc, RowReduction.ValidMean, dtc, dsc, 2f);
        float gpu = MaskedWeightedDistillation.Gpu.RowsAndGradient(_device, t, s, m, w, cols, pg, RowReduction.ValidMean, dtg, dsg, 2f);
        Close(cpu, gpu, 1e-5, 1e-6, "masked value");
        Same(pc, pg, "masked perRow");
        Same(dtc, dtg, "masked dt");
        Same(dsc, dsg, "masked ds");
        for (int k = cols; k < 2 * cols; k++) Assert.Equal(0f, dsg[k]); // masked row

        System.Array.Clear(dsc);
        System.Array.Clear(dsg);
        cpu = TokenAdaptiveDistillation.RowsAndGradient(t, s, y, near, cols, pc, RowReduction.Mean, default, dsc, 2f);
        gpu = TokenAdaptiveDistillation.Gpu.RowsAndGradient(_device, t, s, y, near, cols, pg, RowReduction.Mean, default, dsg, 2f);
        Close(cpu, gpu, 1e-5, 1e-6, "TAD value");
        Same(pc, pg, "TAD perRow");
        Same(dsc, dsg, "TAD ds");

        cpu = WeightedForwardReverseKl.Rows(t, s, w, near, cols, pc, RowReduction.Sum, 2f);
        gpu = WeightedForwardReverseKl.Gpu.Rows(_device, t, s, w, near, cols, pg, RowReduction.Sum, 2f);
        Close(cpu, gpu, 1e-5, 1e-6, "BD-KD value");
        Same(pc, pg, "BD-KD perRow");
    }

    [Theory]
    [InlineData(3, 5000)]   // few long rows: segments
    [InlineData(100, 50)]   // many short rows: one group per row
    public void InPlaceGradientOverwritesTheLogitsExactlyAsOutOfPlace(int rows, int cols)
    {
        // On a GPU the logits' gradient in place of the logits saves a rows x vocabulary buffer. Allowed where the plan
        // writes the gradient in the last pass that reads the input (the CPU's rule); same bits as out of place.
        var t = Logits(rows * cols, 21);
        var s = Logits(rows * cols, 22);
        using var tv = _device.Upload<float>(t);
        using var sv = _device.Upload<float>(s);
        using var dsv = _device.Allocate<float>(s.Length);
        var (tView, sView, dsView) = (tv.View.SubView(0, t.Length), sv.View.SubView(0, s.Length), dsv.View.SubView(0, s.Length));
        float outOfPlace = DistillationKl.Gpu.RowsAndGradient(_device, tView, sView, cols, default, RowReduction.BatchMean, default, dsView, 2f);
        var expected = new float[s.Length];
        _device.Download(dsView, expected);
        float inPlace = DistillationKl.Gpu.RowsAndGradient(_device, tView, sView, cols, default, RowReduction.BatchMean, default, sView, 2f, inPlace: true);
        var got = new float[s.Length];
        _device.Download(sView, got);
        Assert.Equal(BitConverter.SingleToInt32Bits(outOfPlace), BitConverter.SingleToInt32Bits(inPlace));
        Assert.Equal(expected, got);

        // Without inPlace, or over another input, or shifted: refused, naming the gradient.
        using var again = _device.Upload<float>(s);
        var aView = again.View.SubView(0, s.Length);
        Assert.Equal("ds", Assert.Throws<ArgumentException>(() => DistillationKl.Gpu.RowsAndGradient(_device, tView, aView, cols, default, RowReduction.Sum, default, aView, 2f)).ParamName);
        Assert.Equal("dt", Assert.Throws<ArgumentException>(() => DistillationKl.Gpu.RowsAndGradient(_device, tView, aView, cols, default, RowReduction.Sum, aView, default, 2f, inPlace: true)).ParamName);
        using var wide = _device.Allocate<float>(s.Length + cols);
        var (front, back) = (wide.View.SubView(0, s.Length), wide.View.SubView(cols, s.Length));
        Assert.Equal("ds", Assert.Throws<ArgumentException>(() => DistillationKl.Gpu.RowsAndGradient(_device, tView, front, cols, default, RowReduction.Sum, default, back, 2f, inPlace: true)).ParamName);
    }

    [Theory]
    [MemberData(nameof(Reductions))]
    public void NoRowsAtAllGiveWhatTheCpuGives(RowReduction reduction)
    {
        float[] none = [];
        float cpu = DistillationKl.RowsAndGradient(none, none, 5, default, reduction, default, none, 2f);
        float gpu = DistillationKl.Gpu.RowsAndGradient(_device, none, none, 5, default, reduction, default, none, 2f);
        Assert.Equal(BitConverter.SingleToInt32Bits(cpu), BitConverter.SingleToInt32Bits(gpu));
    }

    [Fact]
    public void RowsAreDeterministicRunToRun()
    {
        var t = Logits(8 * 4096, 7);
        var s = Logits(8 * 4096, 8);
        var (a, b) = (new float[s.Length], new float[s.Length]);
        float va = DistillationKl.Gpu.RowsAndGradient(_device, t, s, 4096, default, RowReduction.BatchMean, default, a, 2f);
        float vb = DistillationKl.Gpu.RowsAndGradient(_device, t, s, 4096, default, RowReduction.BatchMean, default, b, 2f);
        Assert.Equal(BitConverter.SingleToInt32Bits(va), BitConverter.SingleToInt32Bits(vb));
        Assert.Equal(a, b);
    }

    [Fact]
    public void BadRowInputsThrowAsOnTheCpu()
    {
        var s = new float[12];
        Assert.Equal("y", Assert.Throws<ArgumentOutOfRangeException>(() => CrossEntropy.Gpu.Rows(_device, s, [0, 4, 1], 4, default, RowReduction.Sum)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => CrossEntropy.Gpu.Rows(_device, s, [0, 1], 4, default, RowReduction.Sum)).ParamName);
        Assert.Equal("rowLength", Assert.Throws<ArgumentException>(() => CrossEntropy.Gpu.Rows(_device, s, [0, 1], 5, default, RowReduction.Sum)).ParamName);
        Assert.Equal("perRow", Assert.Throws<ArgumentException>(() => CrossEntropy.Gpu.Rows(_device, s, [0, 1, 2], 4, new float[2], RowReduction.Sum)).ParamName);
        Assert.Equal("ds", Assert.Throws<ArgumentException>(() => CrossEntropy.Gpu.RowsAndGradient(_device, s, [0, 1, 2], 4, default, RowReduction.Sum, new float[5])).ParamName);
        Assert.Equal("upstream", Assert.Throws<ArgumentException>(() => CrossEntropy.Gpu.RowsAndGradient(_device, s, [0, 1, 2], 4, default, RowReduction.None, new float[12], [1f])).ParamName);

        // A label gather compares element indices in float: rows longer than 2^24 are refused, on the CPU and the GPU.
        var huge = new float[(1 << 24) + 1];
        Assert.Equal("rowLength", Assert.Throws<ArgumentOutOfRangeException>(() => CrossEntropy.Rows(huge, [0], huge.Length, default, RowReduction.Sum)).ParamName);
        Assert.Equal("rowLength", Assert.Throws<ArgumentOutOfRangeException>(() => CrossEntropy.Gpu.Rows(_device, huge, [0], huge.Length, default, RowReduction.Sum)).ParamName);
        Assert.Equal("s", Assert.Throws<ArgumentOutOfRangeException>(() => CrossEntropy.Value(huge, 0)).ParamName);
    }
}
