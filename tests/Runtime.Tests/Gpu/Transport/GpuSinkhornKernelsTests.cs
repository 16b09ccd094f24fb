using System.Reflection;
using ILGPU;
using ILGPU.Backends;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.OpenCL;
using ILGPU.Backends.PTX;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;
using KernelDsl.Runtime.Gpu;

namespace KernelDsl.Runtime.Tests.Gpu.Transport;

/// <summary>The O(n + m) kernels of the GPU Sinkhorn loop compiled by ILGPU's PTX (sm_90) and OpenCL C backends, float and double, with no atomic instruction.</summary>
public class GpuSinkhornKernelsTests
{
    [Fact]
    public void KernelsCompileForPtxAndOpenCl_WithoutAtomics()
    {
        const BindingFlags flags = BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var methods = new[] { typeof(GpuSinkhornKernels<float, GpuPairFloat>), typeof(GpuSinkhornKernels<double, GpuPairDouble>) }
            .SelectMany(t => t.GetMethods(flags).Where(m => m.Name.EndsWith("Kernel", StringComparison.Ordinal))).ToList();
        Assert.Equal(10, methods.Count);
        using var context = Context.Create(b => b.Default().EnableAlgorithms());
        using Backend ptx = new PTXBackend(context, CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, null!);
        using Backend clNoAtomics = new CLBackend(context, new CLCapabilityContext(float16: true, float64: true, genericAddressSpace: true, int64_Atomics: false, subGroups: true), CLDeviceVendor.Intel, CLCVersion.CL20);
        foreach (var method in methods)
        {
            var entry = EntryPointDescription.FromExplicitlyGroupedKernel(method);
            var compiled = (PTXCompiledKernel)ptx.Compile(entry, default);
            Assert.Contains(".entry", compiled.PTXAssembly);
            Assert.DoesNotContain("atom.", compiled.PTXAssembly);
            Assert.NotNull(clNoAtomics.Compile(entry, default));
        }
    }
}
