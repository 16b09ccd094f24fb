namespace KernelDsl.Generators.Gpu;

/// <summary>
/// An element type the GPU entry points take (float, System.Half, or bfloat16 as ushort) and how the generic kernels see
/// it: the storage struct that loads and stores it, the element type of the kernel's views, and the view conversion.
/// </summary>
internal sealed class GpuStorage
{
    public static readonly GpuStorage Float = new("float", "global::KernelDsl.Runtime.Gpu.GpuFloat", "float", bits: false);
    public static readonly GpuStorage Half = new("global::System.Half", "global::KernelDsl.Runtime.Gpu.GpuHalf", "ushort", bits: true);
    public static readonly GpuStorage BFloat16 = new("ushort", "global::KernelDsl.Runtime.Gpu.GpuBFloat16", "ushort", bits: false);

    private readonly bool _bits;

    private GpuStorage(string element, string storage, string kernelElement, bool bits)
    {
        Element = element;
        Storage = storage;
        KernelElement = kernelElement;
        _bits = bits;
    }

    /// <summary>The element type of the public views and spans.</summary>
    public string Element { get; }

    /// <summary>The runtime struct implementing IGpuStorage.</summary>
    public string Storage { get; }

    /// <summary>The element type of the kernels' views.</summary>
    public string KernelElement { get; }

    /// <summary>The kernel set for this storage.</summary>
    public string Kernels => $"_Kernels<{Storage}, {KernelElement}>";

    /// <summary>A public view as the kernels take it (Half views are read as their bit patterns).</summary>
    public string ToKernel(string view) => _bits ? $"global::KernelDsl.Runtime.Gpu.GpuCopy.Bits({view})" : view;
}
