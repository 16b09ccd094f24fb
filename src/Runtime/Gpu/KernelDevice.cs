using System;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;

namespace KernelDsl.Runtime.Gpu;

/// <summary>
/// An ILGPU context and the accelerator the generated GPU kernels run on: CUDA if present, else OpenCL, else ILGPU's CPU
/// accelerator (which runs the same kernels on the CPU, slowly: it is for tests and machines without a GPU). Owns both;
/// dispose it when done. Kernels are compiled once per accelerator and cached.
/// </summary>
public sealed class KernelDevice : IDisposable
{
    private KernelDevice(Context context, Accelerator accelerator)
    {
        Context = context;
        Accelerator = accelerator;
    }

    /// <summary>The ILGPU context (with the algorithms extension enabled, for the math intrinsics).</summary>
    public Context Context { get; }

    /// <summary>The accelerator kernels run on.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>True when the accelerator is ILGPU's CPU accelerator (no GPU was found, or it was asked for).</summary>
    public bool IsCpu => Accelerator.AcceleratorType == AcceleratorType.CPU;

    /// <summary>
    /// When true, the sums of whole-view calls (Value, ValueAndGradient) are combined across groups with atomic adds into
    /// one slot, in whatever order the groups finish: results may then differ in the last bits from run to run. False
    /// (the default): every group writes its own partial and one group combines them in a fixed order, so a result is the
    /// same on every run. Maxima, minima and logsumexps always take the ordered path; Rows never needs either (one group
    /// per row).
    /// </summary>
    public bool AtomicReductions { get; set; }

    /// <summary>The accelerator's name and type, for logs.</summary>
    public string Name => $"{Accelerator.Name} ({Accelerator.AcceleratorType})";

    /// <summary>The best device: CUDA, then OpenCL, then ILGPU's CPU accelerator.</summary>
    public static KernelDevice CreateBest()
    {
        var context = Context.Create(b => b.Default().EnableAlgorithms());
        foreach (var type in new[] { AcceleratorType.Cuda, AcceleratorType.OpenCL })
            foreach (var device in context.Devices)
                if (device.AcceleratorType == type)
                    return new KernelDevice(context, device.CreateAccelerator(context));
        return new KernelDevice(context, context.GetCPUDevice(0).CreateAccelerator(context));
    }

    /// <summary>ILGPU's CPU accelerator, whatever hardware is present (tests, determinism checks).</summary>
    public static KernelDevice CreateCpu()
    {
        var context = Context.Create(b => b.CPU().EnableAlgorithms());
        return new KernelDevice(context, context.GetCPUDevice(0).CreateAccelerator(context));
    }

    /// <summary>Allocates a buffer on the device and copies <paramref name="data"/> into it.</summary>
    public MemoryBuffer1D<T, Stride1D.Dense> Upload<T>(ReadOnlySpan<T> data) where T : unmanaged
    {
        var buffer = Accelerator.Allocate1D<T>(Math.Max(data.Length, 1));
        if (data.Length > 0) buffer.View.SubView(0, data.Length).CopyFromCPU(data.ToArray());
        return buffer;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Accelerator.Dispose();
        Context.Dispose();
    }
}
