using System.Reflection;
using ILGPU;
using ILGPU.Backends;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.OpenCL;
using ILGPU.Backends.PTX;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;
using KernelDsl.Runtime.Gpu;

namespace KernelDsl.Runtime.Tests.Gpu;

/// <summary>
/// Every generated GPU kernel compiled by ILGPU's PTX backend (sm_90, the H100) and its OpenCL C backend, with no GPU
/// present: the CPU accelerator runs kernels as .NET code, so only this shows that what the generator writes (generic
/// math, shared memory, barriers, double epilogues) lowers to the GPU back ends.
/// </summary>
public class GpuBackendCompileTests
{
    /// <summary>Every declaration with a Gpu class: the catalogue and this test assembly's own formulas.</summary>
    public static IEnumerable<object[]> Declarations() =>
        typeof(KernelDsl.Gpu.Catalogue.KullbackLeibler).Assembly.GetTypes().Concat(typeof(GpuBackendCompileTests).Assembly.GetTypes())
            .Where(t => t.GetNestedType("Gpu") is { } gpu && gpu.GetNestedType("_Kernels`2", BindingFlags.NonPublic) != null)
            .OrderBy(t => t.FullName).Select(t => new object[] { t.FullName! });

    private static IEnumerable<MethodInfo> Kernels(string declaration)
    {
        var type = typeof(KernelDsl.Gpu.Catalogue.KullbackLeibler).Assembly.GetType(declaration) ?? typeof(GpuBackendCompileTests).Assembly.GetType(declaration)!;
        var open = type.GetNestedType("Gpu")!.GetNestedType("_Kernels`2", BindingFlags.NonPublic)!;
        // The kernels are generic over the element storage: float, Half and bfloat16 (both as ushort bit patterns).
        foreach (var storage in new[] { (typeof(GpuFloat), typeof(float)), (typeof(GpuHalf), typeof(ushort)), (typeof(GpuBFloat16), typeof(ushort)) })
        {
            var kernels = open.MakeGenericType(storage.Item1, storage.Item2);
            foreach (var m in kernels.GetMethods(BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly).Where(m => m.ReturnType == typeof(void)))
            {
                if (!m.IsGenericMethodDefinition) yield return m;
                else
                {
                    // Pass kernels, generic over how sums meet: ordered (the default) and atomic (when asked).
                    yield return m.MakeGenericMethod(typeof(GpuOrderedSums));
                    yield return m.MakeGenericMethod(typeof(GpuAtomicSums));
                }
            }
        }
    }

    [Fact]
    public void AtomicSumsNeedSixtyFourBitAtomics()
    {
        // The reason the atomic kernels are separate: without 64-bit atomics the OpenCL back end refuses them.
        var atomic = Kernels(typeof(KernelDsl.Gpu.Catalogue.KullbackLeibler).FullName!)
            .First(m => m.IsGenericMethod && m.GetGenericArguments()[0] == typeof(GpuAtomicSums));
        using var context = Context.Create(b => b.Default().EnableAlgorithms());
        using Backend clNoAtomics = new CLBackend(context, new CLCapabilityContext(float16: true, float64: true, genericAddressSpace: true, int64_Atomics: false, subGroups: true), CLDeviceVendor.Intel, CLCVersion.CL20);
        Assert.ThrowsAny<Exception>(() => clNoAtomics.Compile(EntryPointDescription.FromExplicitlyGroupedKernel(atomic), default));
    }

    [Fact]
    public void EveryCatalogueMemberHasKernels() => Assert.True(Declarations().Count() >= 40);

    [Theory]
    [MemberData(nameof(Declarations))]
    public void KernelsCompileForPtxAndOpenCl(string declaration)
    {
        var methods = Kernels(declaration).ToList();
        Assert.NotEmpty(methods);
        using var context = Context.Create(b => b.Default().EnableAlgorithms());
        using Backend ptx = new PTXBackend(context, CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, null!);
        using Backend cl = new CLBackend(context, new CLCapabilityContext(true, true, true, true, true), CLDeviceVendor.Nvidia, CLCVersion.CL20);
        // A device with doubles but no 64-bit atomics (many OpenCL GPUs): every kernel but the atomic ones must compile.
        using Backend clNoAtomics = new CLBackend(context, new CLCapabilityContext(float16: true, float64: true, genericAddressSpace: true, int64_Atomics: false, subGroups: true), CLDeviceVendor.Intel, CLCVersion.CL20);
        foreach (var method in methods)
        {
            bool atomic = method.IsGenericMethod && method.GetGenericArguments()[0] == typeof(GpuAtomicSums);
            var entry = EntryPointDescription.FromExplicitlyGroupedKernel(method);
            var compiled = (PTXCompiledKernel)ptx.Compile(entry, default);
            Assert.Contains(".entry", compiled.PTXAssembly);
            if (compiled.PTXAssembly.Contains(".shared"))
                Assert.Contains("bar.sync", compiled.PTXAssembly); // a group reduction synchronises the group
            // One shared buffer per kernel, however many reductions it has (ILGPU sums static allocations).
            int sharedBytes = System.Text.RegularExpressions.Regex.Matches(compiled.PTXAssembly, @"\.shared[^\[;]*\[(\d+)\]")
                .Sum(m => int.Parse(m.Groups[1].Value));
            Assert.True(sharedBytes <= GpuGroup.SharedLength * sizeof(double), $"{method.Name}: {sharedBytes} bytes of shared memory");
            Assert.NotNull(cl.Compile(entry, default));
            if (atomic) continue;
            Assert.DoesNotContain("atom.", compiled.PTXAssembly); // the ordered kernel has no atomic instruction at all
            Assert.NotNull(clNoAtomics.Compile(entry, default));
        }
    }
}
