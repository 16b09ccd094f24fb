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
    /// When true, wherever a row is split into segments (whole views, and batches of few long rows) the segments' sums
    /// meet through atomic adds, in whatever order the groups finish: results may then differ in the last bits from run
    /// to run. False (the default): every group writes its own partial and one group per row combines them in a fixed
    /// order, so a result is the same on every run. Maxima, minima and logsumexps always take the ordered path; a row run
    /// by one group needs neither. The atomic kernels are compiled only when this is first set and used (they need
    /// 64-bit atomics, which some OpenCL devices lack).
    /// </summary>
    public bool AtomicReductions { get; set; }

    /// <summary>The accelerator's name and type, for logs.</summary>
    public string Name => $"{Accelerator.Name} ({Accelerator.AcceleratorType})";

    /// <summary>
    /// Why a better accelerator was passed over (a CUDA or OpenCL device that failed to start, with the error), or null.
    /// </summary>
    public string? FallbackReason { get; private init; }

    /// <summary>
    /// The best device: CUDA, then OpenCL, then ILGPU's CPU accelerator. A device that is present but fails to start (a
    /// missing or mismatched driver) is skipped, and <see cref="FallbackReason"/> says why.
    /// </summary>
    public static KernelDevice CreateBest()
    {
        var context = Context.Create(b => b.Default().EnableAlgorithms());
        string? reason = null;
        foreach (var type in new[] { AcceleratorType.Cuda, AcceleratorType.OpenCL })
            foreach (var device in context.Devices)
            {
                if (device.AcceleratorType != type) continue;
                if (device is CLDevice cl && !cl.Capabilities.Float64)
                {
                    // The kernels accumulate in double: a device without cl_khr_fp64 cannot run them.
                    reason = (reason is null ? "" : reason + "; ") + $"{device.Name} (OpenCL) has no double precision";
                    continue;
                }
                try
                {
                    return new KernelDevice(context, device.CreateAccelerator(context)) { FallbackReason = reason };
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    reason = (reason is null ? "" : reason + "; ") + $"{device.Name} ({type}) did not start: {e.Message}";
                }
            }
        return new KernelDevice(context, context.GetCPUDevice(0).CreateAccelerator(context)) { FallbackReason = reason };
    }

    /// <summary>ILGPU's CPU accelerator, whatever hardware is present (tests, determinism checks).</summary>
    public static KernelDevice CreateCpu()
    {
        var context = Context.Create(b => b.CPU().EnableAlgorithms());
        return new KernelDevice(context, context.GetCPUDevice(0).CreateAccelerator(context));
    }

    /// <summary>Allocates a buffer of <paramref name="length"/> elements on the device (contents undefined; at least one element).</summary>
    public MemoryBuffer1D<T, Stride1D.Dense> Allocate<T>(long length) where T : unmanaged
    {
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), length, "The length must not be negative.");
        return Accelerator.Allocate1D<T>(Math.Max(length, 1));
    }

    /// <summary>Copies a device view into a host span of the same length (waits for the work queued before it).</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public void Download<T>(ArrayView<T> source, Span<T> destination) where T : unmanaged
    {
        if (source.Length != destination.Length)
            throw new ArgumentException($"'destination' has length {destination.Length}; the view has {source.Length}.", nameof(destination));
        if (destination.Length > 0) source.CopyToCPU(destination);
    }

    /// <summary>Allocates a buffer on the device and copies <paramref name="data"/> into it.</summary>
    public MemoryBuffer1D<T, Stride1D.Dense> Upload<T>(ReadOnlySpan<T> data) where T : unmanaged
    {
        var buffer = Accelerator.Allocate1D<T>(Math.Max(data.Length, 1));
        if (data.Length > 0) ((ArrayView<T>)buffer.View.SubView(0, data.Length)).CopyFromCPU(data);
        return buffer;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Accelerator.Dispose();
        Context.Dispose();
    }
}
