using System.Reflection;
using ILGPU;
using ILGPU.Backends;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.OpenCL;
using ILGPU.Backends.PTX;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;
using KernelDsl.Runtime.Gpu;
using KernelDsl.Runtime.Tests.Pairs;

namespace KernelDsl.Runtime.Tests.Gpu.Pairs;

/// <summary>
/// The GPU softmin sweeps' guarantees beyond their numbers: the same bits on repeated runs and whatever the group size;
/// the view and span overloads agree bit for bit; bad views refused; the kernels compiled by ILGPU's PTX (sm_90) and
/// OpenCL C backends with no GPU present, with no atomic instruction.
/// </summary>
public class GpuSoftminDeterminismTests : IClassFixture<GpuFixture>
{
    private readonly KernelDevice _device;

    public GpuSoftminDeterminismTests(GpuFixture fixture) => _device = fixture.Device;

    private long[] Run<T, TE>(DeviceArrays dev, ArrayView<T> x, ArrayView<T> y, ArrayView<T> h, ArrayView<T> payload, int n, int d, int p, int groupSize)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> where TE : struct, IGpuPairElement<T>
    {
        var cost = new GpuHalfSquaredCost<T>();
        var (rows, grad, bary) = (dev.Out<T>(n), dev.Out<T>(n * d), dev.Out<T>(n * p));
        GpuSoftminLauncher.Run<GpuHalfSquaredCost<T>, T, TE>(_device, in cost, x, y, h, d, 0.35, rows, -1.5, grad, payload, p, bary, groupSize);
        var all = dev.Down(rows).Concat(dev.Down(grad)).Concat(dev.Down(bary));
        GpuSoftminLauncher.Run<GpuHalfSquaredCost<T>, T, TE>(_device, in cost, x, y, default, d, 2.0, rows, 0.0, default, default, 0, default, groupSize);
        return all.Concat(dev.Down(rows)).Select(v => BitConverter.DoubleToInt64Bits(double.CreateTruncating(v))).ToArray();
    }

    [Fact]
    public void SameBits_OnRepeatedRuns_AndForEveryGroupSize()
    {
        const int n = 150, m = 700, d = 3, p = 2;
        double[] x = PairOracle.Normal(n * d, 1), y = PairOracle.Normal(m * d, 2), h = PairOracle.Normal(m, 3), payload = PairOracle.Normal(m * p, 4);
        using var dev = new DeviceArrays(_device);
        var (xd, yd, hd, pd) = (dev.Up(x), dev.Up(y), dev.Up(h), dev.Up(payload));
        var (xf, yf, hf, pf) = (dev.Up(PairOracle.ToFloat(x)), dev.Up(PairOracle.ToFloat(y)), dev.Up(PairOracle.ToFloat(h)), dev.Up(PairOracle.ToFloat(payload)));
        long[] first = Run<double, GpuPairDouble>(dev, xd, yd, hd, pd, n, d, p, 0);
        long[] firstF = Run<float, GpuPairFloat>(dev, xf, yf, hf, pf, n, d, p, 0);
        foreach (int groupSize in new[] { 0, 1, 32, 64, 256 })
        {
            Assert.Equal(first, Run<double, GpuPairDouble>(dev, xd, yd, hd, pd, n, d, p, groupSize));
            Assert.Equal(firstF, Run<float, GpuPairFloat>(dev, xf, yf, hf, pf, n, d, p, groupSize));
        }
    }

    [Fact]
    public void ViewAndSpanOverloads_AgreeBitForBit()
    {
        const int n = 33, m = 91, d = 4, p = 4;
        double[] x = PairOracle.Normal(n * d, 5), y = PairOracle.Normal(m * d, 6), h = PairOracle.Normal(m, 7);
        using var dev = new DeviceArrays(_device);
        var (xd, yd, hd) = (dev.Up(x), dev.Up(y), dev.Up(h));
        var cost = new GpuHalfSquaredCost<double>();
        var (rows, grad, bary) = (dev.Out<double>(n), dev.Out<double>(n * d), dev.Out<double>(n * p));
        GpuSoftmin.RowLogSumExpWithGradient(_device, in cost, xd, yd, hd, d, 0.8, rows, 2.0, grad, yd, p, bary); // y as payload: the barycentric map
        var (l, g, q) = (new double[n], new double[n * d], new double[n * p]);
        GpuSoftmin.RowLogSumExpWithGradient(_device, in cost, x, y, h, d, 0.8, l, 2.0, g, y, p, q);
        Assert.Equal(dev.Down(rows), l);
        Assert.Equal(dev.Down(grad), g);
        Assert.Equal(dev.Down(bary), q);
        GpuSoftmin.RowLogSumExpWithGradient(_device, in cost, xd, yd, hd, d, 0.8, rows, 2.0, grad);
        GpuSoftmin.RowLogSumExpWithGradient(_device, in cost, x, y, h, d, 0.8, l, 2.0, g);
        Assert.Equal(dev.Down(rows), l);
        Assert.Equal(dev.Down(grad), g);
    }

    [Fact]
    public void BadViews_AreRefused()
    {
        using var dev = new DeviceArrays(_device);
        var x = dev.Up(new double[] { 1, 2, 3, 4, 5, 6 });
        var y = dev.Up(new double[] { 1, 2, 3, 4 });
        var cost = new GpuHalfSquaredCost<double>();
        var rows = dev.Out<double>(3);
        Assert.Throws<ArgumentException>(() => GpuSoftmin.RowLogSumExp(_device, in cost, x, y, default, 4, 1.0, rows)); // 6 is not a multiple of 4
        Assert.Throws<ArgumentException>(() => GpuSoftmin.RowLogSumExp(_device, in cost, x, y, dev.Up(new double[] { 1, 1, 1 }), 2, 1.0, rows)); // h: 3 offsets, 2 points
        Assert.Throws<ArgumentException>(() => GpuSoftmin.RowLogSumExp(_device, in cost, x, y, default, 2, 1.0, dev.Out<double>(2))); // output: 2 rows of 3
        Assert.Throws<ArgumentOutOfRangeException>(() => GpuSoftmin.RowLogSumExp(_device, in cost, x, y, default, 2, 0.0, rows)); // ε = 0
        Assert.Throws<ArgumentOutOfRangeException>(() => GpuSoftmin.RowLogSumExp(_device, in cost, x, y, default, 2, double.NaN, rows));
        Assert.Throws<ArgumentOutOfRangeException>(() => GpuSoftmin.RowLogSumExp(_device, in cost, x, y, default, 0, 1.0, rows));
        Assert.Throws<ArgumentException>(() => GpuSoftmin.RowLogSumExpWithGradient(_device, in cost, x, y, default, 2, 1.0, rows, 1.0, dev.Out<double>(5)));
        Assert.Throws<ArgumentException>(() => GpuSoftmin.RowLogSumExpWithGradient(_device, in cost, x, y, default, 2, 1.0, rows, 1.0, default)); // no gradient view
        Assert.Throws<ArgumentException>(() => GpuSoftmin.RowLogSumExpWithGradient(_device, in cost, x, y, default, 2, 1.0, rows, 1.0, x)); // gradient over its input
        Assert.Throws<ArgumentException>(() => GpuSoftmin.RowLogSumExp(_device, in cost, x, y, default, 2, 1.0, x.SubView(0, 3))); // output over an input
        Assert.Throws<ArgumentException>(() => GpuSoftmin.RowLogSumExpWithPayload(_device, in cost, x, y, default, 2, 1.0, rows, y, 3, dev.Out<double>(9))); // payload 4 ≠ 2 × 3
        Assert.Throws<ArgumentOutOfRangeException>(() => GpuSoftmin.RowLogSumExpWithPayload(_device, in cost, x, y, default, 2, 1.0, rows, y, 0, default));
        GpuSoftmin.RowLogSumExp(_device, in cost, default, y, default, 2, 1.0, default); // no rows: nothing to do
    }

    /// <summary>The softmin kernels for the costs of this suite.</summary>
    private static IEnumerable<MethodInfo> Kernels()
    {
        const BindingFlags flags = BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var kernels in new[]
                 {
                     typeof(GpuSoftminKernels<GpuHalfSquaredCost<float>, float, GpuPairFloat>), typeof(GpuSoftminKernels<GpuHalfSquaredCost<double>, double, GpuPairDouble>),
                     typeof(GpuSoftminKernels<GpuRootCost<float>, float, GpuPairFloat>), typeof(GpuSoftminKernels<GpuNegativeDotCost<double>, double, GpuPairDouble>),
                 })
            yield return kernels.GetMethod("SoftminKernel", flags)!;
    }

    [Fact]
    public void KernelsCompileForPtxAndOpenCl_WithoutAtomics()
    {
        using var context = Context.Create(b => b.Default().EnableAlgorithms());
        using Backend ptx = new PTXBackend(context, CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, null!);
        using Backend cl = new CLBackend(context, new CLCapabilityContext(true, true, true, true, true), CLDeviceVendor.Nvidia, CLCVersion.CL20);
        using Backend clNoAtomics = new CLBackend(context, new CLCapabilityContext(float16: true, float64: true, genericAddressSpace: true, int64_Atomics: false, subGroups: true), CLDeviceVendor.Intel, CLCVersion.CL20);
        var methods = Kernels().ToList();
        Assert.Equal(4, methods.Count);
        foreach (var method in methods)
        {
            Assert.NotNull(method);
            var entry = EntryPointDescription.FromExplicitlyGroupedKernel(method);
            var compiled = (PTXCompiledKernel)ptx.Compile(entry, default);
            Assert.Contains(".entry", compiled.PTXAssembly);
            Assert.Contains(".shared", compiled.PTXAssembly); // the column tiles
            Assert.Contains("bar.sync", compiled.PTXAssembly);
            Assert.DoesNotContain("atom.", compiled.PTXAssembly); // deterministic: no atomic instruction at all
            int sharedBytes = System.Text.RegularExpressions.Regex.Matches(compiled.PTXAssembly, @"\.shared[^\[;]*\[(\d+)\]").Sum(m => int.Parse(m.Groups[1].Value));
            Assert.True(sharedBytes <= 24 * 1024, $"{method.DeclaringType}.{method.Name}: {sharedBytes} bytes of shared memory");
            Assert.NotNull(cl.Compile(entry, default));
            Assert.NotNull(clNoAtomics.Compile(entry, default));
        }
    }
}
