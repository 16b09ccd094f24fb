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
/// The GPU pair sweep's guarantees beyond its numbers: the same bits on repeated runs and whatever the group size; bad
/// views refused; and its kernels compiled by ILGPU's PTX (sm_90) and OpenCL C backends with no GPU present (with and
/// without 64-bit atomics: they use none), as the generated pointwise kernels are.
/// </summary>
public class GpuPairDeterminismTests : IClassFixture<GpuFixture>
{
    private readonly KernelDevice _device;

    public GpuPairDeterminismTests(GpuFixture fixture) => _device = fixture.Device;

    private static long[] Bits(IEnumerable<double> values) => values.Select(BitConverter.DoubleToInt64Bits).ToArray();

    private long[] Run<T, TE>(DeviceArrays dev, ArrayView<T> x, ArrayView<T> a, ArrayView<T> y, ArrayView<T> b, int n, int d, int groupSize)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> where TE : struct, IGpuPairElement<T>
    {
        var term = new GpuGaussianPairTerm<T>(0.9);
        var results = new List<double>();
        var grad = dev.Out<T>(n * d);
        var rows = dev.Out<T>(n);
        results.AddRange(GpuPairLauncher.Run<GpuGaussianPairTerm<T>, T, TE>(_device, in term, x, a, d, new(x, a, GpuPairColumns.SelfOffDiagonal, 0.5),
            new GpuPairSet<T>(y, b, GpuPairColumns.Cross, -1.0), GpuPairReduction.Sum, default, grad, true, groupSize));
        results.AddRange(GpuPairLauncher.Run<GpuGaussianPairTerm<T>, T, TE>(_device, in term, x, a, d, new(y, b, GpuPairColumns.Cross, 0.0), null,
            GpuPairReduction.Sum, default, default, false, groupSize));
        GpuPairLauncher.Run<GpuGaussianPairTerm<T>, T, TE>(_device, in term, x, default, d, new(y, b, GpuPairColumns.Cross, 0.0), null,
            GpuPairReduction.RowLogSumExp, rows, default, false, groupSize);
        results.AddRange(dev.Down(grad).Select(v => double.CreateTruncating(v)));
        results.AddRange(dev.Down(rows).Select(v => double.CreateTruncating(v)));
        return Bits(results);
    }

    [Fact]
    public void SameBits_OnRepeatedRuns_AndForEveryGroupSize()
    {
        const int n = 150, m = 70, d = 3;
        double[] x = PairOracle.Normal(n * d, 1), y = PairOracle.Normal(m * d, 2), a = PairOracle.Positive(n, 3), b = PairOracle.Positive(m, 4);
        using var dev = new DeviceArrays(_device);
        var (xd, yd, ad, bd) = (dev.Up(x), dev.Up(y), dev.Up(a), dev.Up(b));
        var (xf, yf, af, bf) = (dev.Up(PairOracle.ToFloat(x)), dev.Up(PairOracle.ToFloat(y)), dev.Up(PairOracle.ToFloat(a)), dev.Up(PairOracle.ToFloat(b)));
        long[] first = Run<double, GpuPairDouble>(dev, xd, ad, yd, bd, n, d, 0);
        long[] firstF = Run<float, GpuPairFloat>(dev, xf, af, yf, bf, n, d, 0);
        foreach (int groupSize in new[] { 0, 1, 32, 64, 256 })
        {
            Assert.Equal(first, Run<double, GpuPairDouble>(dev, xd, ad, yd, bd, n, d, groupSize));
            Assert.Equal(firstF, Run<float, GpuPairFloat>(dev, xf, af, yf, bf, n, d, groupSize));
        }
    }

    [Fact]
    public void BadViews_AreRefused()
    {
        using var dev = new DeviceArrays(_device);
        var x = dev.Up(new double[] { 1, 2, 3, 4, 5, 6 });
        var y = dev.Up(new double[] { 1, 2, 3, 4 });
        var term = new GpuGaussianPairTerm<double>(1.0);
        Assert.Throws<ArgumentException>(() => GpuPairSweep.Sum(_device, in term, x, default, y, default, 4)); // 6 is not a multiple of 4
        Assert.Throws<ArgumentException>(() => GpuPairSweep.Sum(_device, in term, x, dev.Up(new double[] { 1, 1 }), y, default, 2)); // a: 2 weights, 3 points
        Assert.Throws<ArgumentException>(() => GpuPairSweep.RowSums(_device, in term, x, y, default, 2, dev.Out<double>(2))); // output: 2 rows of 3
        Assert.Throws<ArgumentException>(() => GpuPairSweep.SumWithGradient(_device, in term, x, default, y, default, 2, 1.0, dev.Out<double>(5)));
        Assert.Throws<ArgumentException>(() => GpuPairSweep.SumWithGradient(_device, in term, x, default, y, default, 2, 1.0, x)); // gradient over its input
        Assert.Throws<ArgumentOutOfRangeException>(() => GpuPairSweep.Sum(_device, in term, x, default, y, default, 0));
        Assert.Throws<ArgumentException>(() => GpuGaussianMmd.Value(_device, x, y, 2, 1.0, MmdEstimator.Biased, dev.Up(new double[] { 1, 1, 1 }))); // weights without Weighted
        Assert.Equal(0.0, GpuPairSweep.Sum(_device, in term, default, default, y, default, 2)); // no rows: no pairs
    }

    /// <summary>The pair kernels for the terms in this suite (the Gaussian, a dot-product term, the softmin exponent) and the second stage.</summary>
    private static IEnumerable<MethodInfo> Kernels()
    {
        const BindingFlags flags = BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var kernels in new[]
                 {
                     typeof(GpuPairKernels<GpuGaussianPairTerm<float>, float, GpuPairFloat>), typeof(GpuPairKernels<GpuGaussianPairTerm<double>, double, GpuPairDouble>),
                     typeof(GpuPairKernels<GpuDotTanhTerm<float>, float, GpuPairFloat>), typeof(GpuPairKernels<GpuNegativeCostTerm<double>, double, GpuPairDouble>),
                 })
            yield return kernels.GetMethod("SweepKernel", flags)!;
        yield return typeof(GpuPairTotals).GetMethod("TotalKernel", flags)!;
    }

    [Fact]
    public void KernelsCompileForPtxAndOpenCl()
    {
        using var context = Context.Create(b => b.Default().EnableAlgorithms());
        using Backend ptx = new PTXBackend(context, CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, null!);
        using Backend cl = new CLBackend(context, new CLCapabilityContext(true, true, true, true, true), CLDeviceVendor.Nvidia, CLCVersion.CL20);
        using Backend clNoAtomics = new CLBackend(context, new CLCapabilityContext(float16: true, float64: true, genericAddressSpace: true, int64_Atomics: false, subGroups: true), CLDeviceVendor.Intel, CLCVersion.CL20);
        var methods = Kernels().ToList();
        Assert.Equal(5, methods.Count);
        foreach (var method in methods)
        {
            Assert.NotNull(method);
            var entry = EntryPointDescription.FromExplicitlyGroupedKernel(method);
            var compiled = (PTXCompiledKernel)ptx.Compile(entry, default);
            Assert.Contains(".entry", compiled.PTXAssembly);
            Assert.Contains(".shared", compiled.PTXAssembly); // the column tiles, or the second stage's tree
            Assert.Contains("bar.sync", compiled.PTXAssembly);
            Assert.DoesNotContain("atom.", compiled.PTXAssembly); // deterministic: no atomic instruction at all
            int sharedBytes = System.Text.RegularExpressions.Regex.Matches(compiled.PTXAssembly, @"\.shared[^\[;]*\[(\d+)\]").Sum(m => int.Parse(m.Groups[1].Value));
            Assert.True(sharedBytes <= 24 * 1024, $"{method.DeclaringType}.{method.Name}: {sharedBytes} bytes of shared memory");
            Assert.NotNull(cl.Compile(entry, default));
            Assert.NotNull(clNoAtomics.Compile(entry, default));
        }
    }
}
