using KernelDsl.Gpu.Catalogue;
using KernelDsl.Runtime.Gpu;
using static KernelDsl.Runtime.Tests.Catalogue.Reference;

namespace KernelDsl.Runtime.Tests.Gpu;

/// <summary>One ILGPU CPU accelerator for the GPU tests (kernels are compiled once per accelerator).</summary>
public sealed class GpuFixture : IDisposable
{
    public KernelDevice Device { get; } = KernelDevice.CreateCpu();

    public void Dispose() => Device.Dispose();
}

/// <summary>
/// The generated GPU kernels on ILGPU's CPU accelerator against the CPU kernels (float, 1e-5 relative; gradients 1e-5 of
/// the largest component), run-to-run determinism, and bad views.
/// </summary>
public class GpuKernelTests : IClassFixture<GpuFixture>
{
    private readonly KernelDevice _device;

    public GpuKernelTests(GpuFixture fixture) => _device = fixture.Device;

    private delegate float Cpu(float[][] x, float[][] d);
    private delegate float Gpu(KernelDevice device, float[][] x, float[][] d);

    private static readonly Dictionary<string, (int Inputs, bool Logits, Cpu Cpu, Gpu Gpu)> Members = new()
    {
        ["KullbackLeibler"] = (2, false, (x, d) => KullbackLeibler.ValueAndGradient(x[0], x[1], d[0], d[1]), (g, x, d) => KullbackLeibler.Gpu.ValueAndGradient(g, x[0], x[1], d[0], d[1])),
        ["JensenShannon"] = (2, false, (x, d) => JensenShannon.ValueAndGradient(x[0], x[1], d[0], d[1]), (g, x, d) => JensenShannon.Gpu.ValueAndGradient(g, x[0], x[1], d[0], d[1])),
        ["Renyi"] = (2, false, (x, d) => Renyi.ValueAndGradient(x[0], x[1], d[0], d[1], 2f), (g, x, d) => Renyi.Gpu.ValueAndGradient(g, x[0], x[1], d[0], d[1], 2f)),
        ["CauchySchwarz"] = (2, false, (x, d) => CauchySchwarz.ValueAndGradient(x[0], x[1], d[0], d[1]), (g, x, d) => CauchySchwarz.Gpu.ValueAndGradient(g, x[0], x[1], d[0], d[1])),
        ["TotalVariation"] = (2, false, (x, d) => TotalVariation.ValueAndGradient(x[0], x[1], d[0], d[1]), (g, x, d) => TotalVariation.Gpu.ValueAndGradient(g, x[0], x[1], d[0], d[1])),
        ["Entropy"] = (1, false, (x, d) => Entropy.ValueAndGradient(x[0], d[0]), (g, x, d) => Entropy.Gpu.ValueAndGradient(g, x[0], d[0])),
        ["LogVariance"] = (1, true, (x, d) => LogVariance.ValueAndGradient(x[0], d[0]), (g, x, d) => LogVariance.Gpu.ValueAndGradient(g, x[0], d[0])),
        ["Dpo"] = (4, true, (x, d) => Dpo.ValueAndGradient(x[0], x[1], x[2], x[3], d[0], d[1], d[2], d[3], 0.1f), (g, x, d) => Dpo.Gpu.ValueAndGradient(g, x[0], x[1], x[2], x[3], d[0], d[1], d[2], d[3], 0.1f)),
        ["DistillationKl"] = (2, true, (x, d) => DistillationKl.ValueAndGradient(x[0], x[1], d[0], d[1], 2f), (g, x, d) => DistillationKl.Gpu.ValueAndGradient(g, x[0], x[1], d[0], d[1], 2f)),
        ["ReverseKullbackLeibler"] = (2, false, (x, d) => ReverseKullbackLeibler.ValueAndGradient(x[0], x[1], d[0], d[1]), (g, x, d) => ReverseKullbackLeibler.Gpu.ValueAndGradient(g, x[0], x[1], d[0], d[1])),
        ["Jeffreys"] = (2, false, (x, d) => Jeffreys.ValueAndGradient(x[0], x[1], d[0], d[1]), (g, x, d) => Jeffreys.Gpu.ValueAndGradient(g, x[0], x[1], d[0], d[1])),
        ["SkewKullbackLeibler"] = (2, false, (x, d) => SkewKullbackLeibler.ValueAndGradient(x[0], x[1], d[0], d[1], 0.1f), (g, x, d) => SkewKullbackLeibler.Gpu.ValueAndGradient(g, x[0], x[1], d[0], d[1], 0.1f)),
        ["GeneralizedJensenShannon"] = (2, false, (x, d) => GeneralizedJensenShannon.ValueAndGradient(x[0], x[1], d[0], d[1], 0.3f), (g, x, d) => GeneralizedJensenShannon.Gpu.ValueAndGradient(g, x[0], x[1], d[0], d[1], 0.3f)),
        ["SquaredHellinger"] = (2, false, (x, d) => SquaredHellinger.ValueAndGradient(x[0], x[1], d[0], d[1]), (g, x, d) => SquaredHellinger.Gpu.ValueAndGradient(g, x[0], x[1], d[0], d[1])),
        ["PearsonChiSquared"] = (2, false, (x, d) => PearsonChiSquared.ValueAndGradient(x[0], x[1], d[0], d[1]), (g, x, d) => PearsonChiSquared.Gpu.ValueAndGradient(g, x[0], x[1], d[0], d[1])),
        ["NeymanChiSquared"] = (2, false, (x, d) => NeymanChiSquared.ValueAndGradient(x[0], x[1], d[0], d[1]), (g, x, d) => NeymanChiSquared.Gpu.ValueAndGradient(g, x[0], x[1], d[0], d[1])),
        ["AlphaDivergence"] = (2, false, (x, d) => AlphaDivergence.ValueAndGradient(x[0], x[1], d[0], d[1], 0.7f), (g, x, d) => AlphaDivergence.Gpu.ValueAndGradient(g, x[0], x[1], d[0], d[1], 0.7f)),
        ["Tsallis"] = (2, false, (x, d) => Tsallis.ValueAndGradient(x[0], x[1], d[0], d[1], 1.5f), (g, x, d) => Tsallis.Gpu.ValueAndGradient(g, x[0], x[1], d[0], d[1], 1.5f)),
        ["BetaDivergence"] = (2, false, (x, d) => BetaDivergence.ValueAndGradient(x[0], x[1], d[0], d[1], 1.5f), (g, x, d) => BetaDivergence.Gpu.ValueAndGradient(g, x[0], x[1], d[0], d[1], 1.5f)),
        ["ItakuraSaito"] = (2, false, (x, d) => ItakuraSaito.ValueAndGradient(x[0], x[1], d[0], d[1]), (g, x, d) => ItakuraSaito.Gpu.ValueAndGradient(g, x[0], x[1], d[0], d[1])),
        ["GeneralizedKullbackLeibler"] = (2, false, (x, d) => GeneralizedKullbackLeibler.ValueAndGradient(x[0], x[1], d[0], d[1]), (g, x, d) => GeneralizedKullbackLeibler.Gpu.ValueAndGradient(g, x[0], x[1], d[0], d[1])),
        ["Bhattacharyya"] = (2, false, (x, d) => Bhattacharyya.ValueAndGradient(x[0], x[1], d[0], d[1]), (g, x, d) => Bhattacharyya.Gpu.ValueAndGradient(g, x[0], x[1], d[0], d[1])),
        ["GaussianKlStandard"] = (2, true, (x, d) => GaussianKlStandard.ValueAndGradient(x[0], x[1], d[0], d[1]), (g, x, d) => GaussianKlStandard.Gpu.ValueAndGradient(g, x[0], x[1], d[0], d[1])),
        ["KlEstimatorK1"] = (2, true, (x, d) => KlEstimatorK1.ValueAndGradient(x[0], x[1], d[0], d[1]), (g, x, d) => KlEstimatorK1.Gpu.ValueAndGradient(g, x[0], x[1], d[0], d[1])),
        ["KlEstimatorK2"] = (2, true, (x, d) => KlEstimatorK2.ValueAndGradient(x[0], x[1], d[0], d[1]), (g, x, d) => KlEstimatorK2.Gpu.ValueAndGradient(g, x[0], x[1], d[0], d[1])),
        ["KlEstimatorK3"] = (2, true, (x, d) => KlEstimatorK3.ValueAndGradient(x[0], x[1], d[0], d[1]), (g, x, d) => KlEstimatorK3.Gpu.ValueAndGradient(g, x[0], x[1], d[0], d[1])),
        ["ReverseDistillationKl"] = (2, true, (x, d) => ReverseDistillationKl.ValueAndGradient(x[0], x[1], d[0], d[1], 2f), (g, x, d) => ReverseDistillationKl.Gpu.ValueAndGradient(g, x[0], x[1], d[0], d[1], 2f)),
        ["SkewKullbackLeiblerLogits"] = (2, true, (x, d) => SkewKullbackLeiblerLogits.ValueAndGradient(x[0], x[1], d[0], d[1], 0.1f), (g, x, d) => SkewKullbackLeiblerLogits.Gpu.ValueAndGradient(g, x[0], x[1], d[0], d[1], 0.1f)),
        ["GeneralizedJensenShannonLogits"] = (2, true, (x, d) => GeneralizedJensenShannonLogits.ValueAndGradient(x[0], x[1], d[0], d[1], 0.3f), (g, x, d) => GeneralizedJensenShannonLogits.Gpu.ValueAndGradient(g, x[0], x[1], d[0], d[1], 0.3f)),
        ["NormalizedGeneralizedJsd"] = (2, true, (x, d) => NormalizedGeneralizedJsd.ValueAndGradient(x[0], x[1], d[0], d[1], 0.3f), (g, x, d) => NormalizedGeneralizedJsd.Gpu.ValueAndGradient(g, x[0], x[1], d[0], d[1], 0.3f)),
        ["WeightedForwardReverseKl"] = (2, true, (x, d) => WeightedForwardReverseKl.ValueAndGradient(x[0], x[1], d[0], d[1], 0.7f, 0.3f, 2f), (g, x, d) => WeightedForwardReverseKl.Gpu.ValueAndGradient(g, x[0], x[1], d[0], d[1], 0.7f, 0.3f, 2f)),
        ["TokenAdaptiveDistillation"] = (2, true, (x, d) => TokenAdaptiveDistillation.ValueAndGradient(x[0], x[1], d[0], d[1], 7, 0f, 2f), (g, x, d) => TokenAdaptiveDistillation.Gpu.ValueAndGradient(g, x[0], x[1], d[0], d[1], 7, 0f, 2f)),
        ["Ipo"] = (4, true, (x, d) => Ipo.ValueAndGradient(x[0], x[1], x[2], x[3], d[0], d[1], d[2], d[3], 0.2f), (g, x, d) => Ipo.Gpu.ValueAndGradient(g, x[0], x[1], x[2], x[3], d[0], d[1], d[2], d[3], 0.2f)),
        ["FDpoForwardKl"] = (4, true, (x, d) => FDpoForwardKl.ValueAndGradient(x[0], x[1], x[2], x[3], d[0], d[1], d[2], d[3], 0.2f), (g, x, d) => FDpoForwardKl.Gpu.ValueAndGradient(g, x[0], x[1], x[2], x[3], d[0], d[1], d[2], d[3], 0.2f)),
        ["FDpoJensenShannon"] = (4, true, (x, d) => FDpoJensenShannon.ValueAndGradient(x[0], x[1], x[2], x[3], d[0], d[1], d[2], d[3], 0.2f), (g, x, d) => FDpoJensenShannon.Gpu.ValueAndGradient(g, x[0], x[1], x[2], x[3], d[0], d[1], d[2], d[3], 0.2f)),
        ["FDpoAlpha"] = (4, true, (x, d) => FDpoAlpha.ValueAndGradient(x[0], x[1], x[2], x[3], d[0], d[1], d[2], d[3], 0.2f, 0.5f), (g, x, d) => FDpoAlpha.Gpu.ValueAndGradient(g, x[0], x[1], x[2], x[3], d[0], d[1], d[2], d[3], 0.2f, 0.5f)),
        ["CrossEntropySmoothed"] = (1, true, (x, d) => CrossEntropySmoothed.ValueAndGradient(x[0], d[0], 3, 0.1f, 1e-3f), (g, x, d) => CrossEntropySmoothed.Gpu.ValueAndGradient(g, x[0], d[0], 3, 0.1f, 1e-3f)),
        ["MaskedDistillationKl"] = (3, true, (x, d) => MaskedDistillationKl.ValueAndGradient(x[0], x[1], Mask(x[2]), d[0], d[1], default, 2f), (g, x, d) => MaskedDistillationKl.Gpu.ValueAndGradient(g, x[0], x[1], Mask(x[2]), d[0], d[1], default, 2f)),
        ["CrossEntropy"] = (1, true, (x, d) => CrossEntropy.ValueAndGradient(x[0], d[0], 7), (g, x, d) => CrossEntropy.Gpu.ValueAndGradient(g, x[0], d[0], 7)),
    };

    // A vocabulary mask of 0/1 from random values (the third input of MaskedDistillationKl).
    private static float[] Mask(float[] x) => x.Select(v => v > 0 ? 1f : 0f).ToArray();

    public static IEnumerable<object[]> Names() => Members.Keys.Select(k => new object[] { k });

    [Fact]
    public void EveryGeneratedCatalogueMemberIsCovered()
    {
        // Sample formulas (point clouds) are covered by tests/Runtime.Tests/Samples.
        var declared = typeof(KullbackLeibler).Assembly.GetTypes()
            .Where(t => t.Namespace == "KernelDsl.Gpu.Catalogue" && t.IsPublic && t.GetField("Formula") != null
                && !((string)t.GetField("Formula")!.GetRawConstantValue()!).Contains(": points", StringComparison.Ordinal)).Select(t => t.Name).OrderBy(n => n);
        Assert.Equal(declared, Members.Keys.OrderBy(n => n));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void GpuMatchesCpu(string name)
    {
        var m = Members[name];
        foreach (int n in new[] { 0, 1, 17, 40_000 })
        {
            var rng = new Random(n + name.Length);
            var x = Enumerable.Range(0, m.Inputs).Select(_ => Enumerable.Range(0, n)
                .Select(_ => (float)(m.Logits ? 8 * rng.NextDouble() - 4 : 0.01 + rng.NextDouble())).ToArray()).ToArray();
            var dc = x.Select(v => new float[n]).ToArray();
            var dg = x.Select(v => new float[n]).ToArray();
            float cpu;
            try { cpu = m.Cpu(x, dc); }
            catch (ArgumentException e)
            {
                // Empty or too short for the member's label: the device refuses it the same way.
                Assert.Equal(e.GetType(), Assert.ThrowsAny<ArgumentException>(() => m.Gpu(_device, x, dg)).GetType());
                continue;
            }
            float gpu = m.Gpu(_device, x, dg);
            Close(cpu, gpu, 1e-5, 1e-6, $"{name} n={n} value");
            for (int i = 0; i < Math.Min(m.Inputs, name == "MaskedDistillationKl" ? 2 : m.Inputs); i++)
            {
                double scale = n == 0 ? 0 : dc[i].Max(v => Math.Abs((double)v));
                for (int k = 0; k < n; k++) Close(dc[i][k], dg[i][k], 1e-5, 1e-5 * scale, $"{name} n={n} d{i}[{k}]");
            }
        }
    }

    [Fact]
    public void EveryOpOfTheLanguageMatchesCpu()
    {
        // AllOps uses every function, including max/min/logsumexp reductions whose epilogues run in double on the device.
        foreach (int n in new[] { 33, 20_000 })
        {
            var rng = new Random(n);
            var x = Enumerable.Range(0, n).Select(_ => (float)(0.1 + rng.NextDouble())).ToArray();
            var y = Enumerable.Range(0, n).Select(_ => (float)(0.1 + rng.NextDouble())).ToArray();
            var (dxc, dyc, dxg, dyg) = (new float[n], new float[n], new float[n], new float[n]);
            var (pc, pg) = (new float[1], new float[1]);
            float cpu = KernelDsl.Runtime.Tests.Catalogue.AllOps.ValueAndGradient(x, y, dxc, dyc, 0.7f, pc);
            float gpu = KernelDsl.Runtime.Tests.Catalogue.AllOps.Gpu.ValueAndGradient(_device, x, y, dxg, dyg, 0.7f, pg);
            Close(cpu, gpu, 1e-5, 1e-6, $"n={n} value");
            Close(pc[0], pg[0], 1e-5, 1e-6, $"n={n} da");
            double scale = dxc.Concat(dyc).Max(v => Math.Abs((double)v));
            for (int k = 0; k < n; k++)
            {
                Close(dxc[k], dxg[k], 1e-5, 1e-5 * scale, $"n={n} dx[{k}]");
                Close(dyc[k], dyg[k], 1e-5, 1e-5 * scale, $"n={n} dy[{k}]");
            }
        }
    }

    [Fact]
    public void StudentGradientAloneUsesItsOwnPlan()
    {
        // ds alone runs the 2-pass plan (GradientOf_s) on the device too; it must equal the CPU's ds.
        var rng = new Random(3);
        var t = Enumerable.Range(0, 5000).Select(_ => (float)(8 * rng.NextDouble() - 4)).ToArray();
        var s = Enumerable.Range(0, 5000).Select(_ => (float)(8 * rng.NextDouble() - 4)).ToArray();
        var dsCpu = new float[s.Length];
        var dsGpu = new float[s.Length];
        float cpu = DistillationKl.ValueAndGradient(t, s, default, dsCpu, 2f);
        float gpu = DistillationKl.Gpu.ValueAndGradient(_device, t, s, default, dsGpu, 2f);
        Close(cpu, gpu, 1e-5, 1e-6, "value");
        double scale = dsCpu.Max(v => Math.Abs((double)v));
        for (int k = 0; k < s.Length; k++) Close(dsCpu[k], dsGpu[k], 1e-5, 1e-5 * scale, $"ds[{k}]");
    }

    [Fact]
    public void GradientAloneEqualsTheGradientOfValueAndGradient()
    {
        var rng = new Random(2);
        var t = Enumerable.Range(0, 3000).Select(_ => (float)(8 * rng.NextDouble() - 4)).ToArray();
        var s = Enumerable.Range(0, 3000).Select(_ => (float)(8 * rng.NextDouble() - 4)).ToArray();
        var (dt1, ds1, dt2, ds2, dT1, dT2) = (new float[3000], new float[3000], new float[3000], new float[3000], new float[1], new float[1]);
        DistillationKl.Gpu.ValueAndGradient(_device, t, s, dt1, ds1, 2f, dT1);
        DistillationKl.Gpu.Gradient(_device, t, s, dt2, ds2, 2f, dT2);
        Assert.Equal(dt1, dt2);
        Assert.Equal(ds1, ds2);
        Assert.Equal(dT1, dT2);
    }

    [Fact]
    public void KernelsAreCompiledOncePerAcceleratorAndReused()
    {
        // The kernel set of an accelerator is one object, and a launcher, once compiled, is the same delegate on the
        // next call: kernels are never recompiled per call.
        var kernelsType = typeof(KullbackLeibler).GetNestedType("Gpu")!
            .GetNestedType("_Kernels`2", System.Reflection.BindingFlags.NonPublic)!.MakeGenericType(typeof(GpuFloat), typeof(float));
        var forMethod = kernelsType.GetMethod("For")!;
        object first = forMethod.Invoke(null, new object[] { _device.Accelerator })!;
        Assert.Same(first, forMethod.Invoke(null, new object[] { _device.Accelerator }));
        var field = kernelsType.GetField("_ValuePass0", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        var p = Enumerable.Range(0, 5000).Select(i => 0.5f + i % 7).ToArray();
        KullbackLeibler.Gpu.Value(_device, p, p);
        object? launcher = field.GetValue(first);
        Assert.NotNull(launcher);
        KullbackLeibler.Gpu.Value(_device, p, p);
        Assert.Same(launcher, field.GetValue(first));
        using var other = KernelDevice.CreateCpu(); // another accelerator: its own set
        Assert.NotSame(first, forMethod.Invoke(null, new object[] { other.Accelerator }));
    }

    [Fact]
    public void DeterministicRunToRun()
    {
        var rng = new Random(1);
        var p = Enumerable.Range(0, 100_000).Select(_ => (float)(0.01 + rng.NextDouble())).ToArray();
        var q = Enumerable.Range(0, 100_000).Select(_ => (float)(0.01 + rng.NextDouble())).ToArray();
        float a = Renyi.Gpu.Value(_device, p, q, 2f), b = Renyi.Gpu.Value(_device, p, q, 2f);
        Assert.Equal(BitConverter.SingleToInt32Bits(a), BitConverter.SingleToInt32Bits(b));
    }

    [Theory]
    [InlineData("KullbackLeibler")]
    [InlineData("CauchySchwarz")]
    [InlineData("DistillationKl")]
    [InlineData("Dpo")]
    public void AtomicReductionsAgreeWithTheOrderedOnes(string name)
    {
        // Asked for by the caller: the groups' sums meet through atomic adds (order free); values and gradients agree.
        var m = Members[name];
        var rng = new Random(4);
        const int n = 50_000;
        var x = Enumerable.Range(0, m.Inputs).Select(_ => Enumerable.Range(0, n)
            .Select(_ => (float)(m.Logits ? 8 * rng.NextDouble() - 4 : 0.01 + rng.NextDouble())).ToArray()).ToArray();
        var (dOrdered, dAtomic) = (x.Select(_ => new float[n]).ToArray(), x.Select(_ => new float[n]).ToArray());
        float ordered = m.Gpu(_device, x, dOrdered);
        _device.AtomicReductions = true;
        try
        {
            float atomic = m.Gpu(_device, x, dAtomic);
            Close(ordered, atomic, 1e-6, 1e-7, $"{name} value");
            for (int i = 0; i < m.Inputs; i++)
            {
                double scale = dOrdered[i].Max(v => Math.Abs((double)v));
                for (int k = 0; k < n; k++) Close(dOrdered[i][k], dAtomic[i][k], 1e-5, 1e-6 * scale, $"{name} d{i}[{k}]");
            }
        }
        finally
        {
            _device.AtomicReductions = false;
        }
    }

    [Fact]
    public void BadViewsGiveArgumentExceptions()
    {
        using var p = _device.Upload<float>(new float[8]);
        using var q = _device.Upload<float>(new float[7]);
        Assert.Equal("q", Assert.Throws<ArgumentException>(() => KullbackLeibler.Gpu.Value(_device, p.View, q.View)).ParamName);
        Assert.Equal("dq", Assert.Throws<ArgumentException>(() => KullbackLeibler.Gpu.ValueAndGradient(_device, p.View, p.View, default, q.View)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentOutOfRangeException>(() => CrossEntropy.Gpu.Value(_device, p.View, 8)).ParamName);

        // A gradient view sharing memory with an input (kernels write it while other threads still read): refused.
        using var pq = _device.Upload<float>(new float[16]);
        var (first, second, straddle) = (pq.View.SubView(0, 8), pq.View.SubView(8, 8), pq.View.SubView(4, 8));
        Assert.Equal("dp", Assert.Throws<ArgumentException>(() => KullbackLeibler.Gpu.ValueAndGradient(_device, first, second, first, default)).ParamName);
        Assert.Equal("dq", Assert.Throws<ArgumentException>(() => KullbackLeibler.Gpu.ValueAndGradient(_device, first, second, default, straddle)).ParamName);
        Assert.Equal("ds", Assert.Throws<ArgumentException>(() => CrossEntropy.Gpu.RowsAndGradient(_device, first, [0, 1], 4, default, RowReduction.Sum, straddle)).ParamName);

        // Two gradients sharing memory: refused, naming the second, on the device and on the CPU.
        using var grads = _device.Allocate<float>(8);
        using var q8 = _device.Upload<float>(new float[8]);
        Assert.Equal("dq", Assert.Throws<ArgumentException>(() => KullbackLeibler.Gpu.ValueAndGradient(_device, p.View.SubView(0, 8), q8.View.SubView(0, 8), grads.View.SubView(0, 8), grads.View.SubView(0, 8))).ParamName);
        var shared = new float[8];
        Assert.Equal("dq", Assert.Throws<ArgumentException>(() => KullbackLeibler.ValueAndGradient(new float[8], new float[8], shared, shared)).ParamName);
        Assert.Equal("ds", Assert.Throws<ArgumentException>(() => DistillationKl.RowsAndGradient(new float[8], new float[8], 4, default, RowReduction.Sum, shared, shared, 2f)).ParamName);

        // A view from another accelerator: refused, naming it.
        using var other = KernelDevice.CreateCpu();
        using var elsewhere = other.Upload<float>(new float[8]);
        Assert.Equal("q", Assert.Throws<ArgumentException>(() => KullbackLeibler.Gpu.Value(_device, p.View, elsewhere.View)).ParamName);
    }

    [Fact]
    public void DeviceCopiesRoundTrip()
    {
        // Upload, Allocate and Download move data without ILGPU calls in user code; lengths are checked.
        var data = Enumerable.Range(0, 1000).Select(i => (float)i / 7).ToArray();
        using var up = _device.Upload<float>(data);
        var back = new float[data.Length];
        _device.Download(up.View.SubView(0, data.Length), back);
        Assert.Equal(data, back);
        using var empty = _device.Allocate<float>(0);
        Assert.Equal(1, empty.Length);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => _device.Download(up.View.SubView(0, 10), new float[9])).ParamName);
        Assert.Equal("length", Assert.Throws<ArgumentOutOfRangeException>(() => _device.Allocate<float>(-1)).ParamName);

        // With no GPU here, the best device is ILGPU's CPU accelerator, and it says so.
        using var best = KernelDevice.CreateBest();
        if (best.IsCpu) Assert.Contains("CPU", best.Name);
    }

    [Fact]
    public void ZeroMaskClearsEveryGradient()
    {
        // A zero row mask in a whole-view call: value 0, input gradients and parameter gradients exactly 0 (as on the CPU).
        var t = Enumerable.Range(0, 300).Select(i => (float)Math.Sin(i)).ToArray();
        var s = Enumerable.Range(0, 300).Select(i => (float)Math.Cos(i)).ToArray();
        var (dt, ds, dT) = (Enumerable.Repeat(7f, 300).ToArray(), Enumerable.Repeat(7f, 300).ToArray(), new[] { 7f });
        Assert.Equal(0f, MaskedWeightedDistillation.Gpu.ValueAndGradient(_device, t, s, dt, ds, 0f, 1f, 2f, dT));
        Assert.All(dt, v => Assert.Equal(0f, v));
        Assert.All(ds, v => Assert.Equal(0f, v));
        Assert.Equal(0f, dT[0]);
        Assert.Equal("dParameters", Assert.Throws<ArgumentException>(() => MaskedWeightedDistillation.Gpu.ValueAndGradient(_device, t, s, dt, ds, 0f, 1f, 2f, new float[2])).ParamName);
    }
}
