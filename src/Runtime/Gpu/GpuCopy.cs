using System;
using ILGPU;
using ILGPU.Runtime;

namespace KernelDsl.Runtime.Gpu;

/// <summary>The copies the generated GPU launchers make (kept here so generated files need no ILGPU using directives).</summary>
public static class GpuCopy
{
    /// <summary>Copies host values into the start of a device view.</summary>
    public static void ToDevice(ArrayView<float> destination, float[] source) =>
        destination.SubView(0, source.Length).CopyFromCPU(source);

    /// <summary>Copies a device view into a host span of the same length.</summary>
    public static void ToHost<T>(ArrayView<T> source, Span<T> destination) where T : unmanaged => source.CopyToCPU(destination);

    /// <summary>Copies a device view of doubles into a host span of the same length (waits for the work queued before it).</summary>
    public static void ToHost(ArrayView<double> source, Span<double> destination) => source.CopyToCPU(destination);

    /// <summary>Sets a device view to zero (all bits zero: +0 for float, Half and bfloat16).</summary>
    public static void Zero<T>(ArrayView<T> view) where T : unmanaged => view.MemSetToZero();

    /// <summary>A Half view as the 16-bit patterns the kernels read (an empty view stays empty).</summary>
    public static ArrayView<ushort> Bits(ArrayView<System.Half> view) => view.Length == 0 ? default : view.Cast<ushort>();

    /// <summary>Copies host doubles into the start of a device view.</summary>
    public static void ToDevice(ArrayView<double> destination, double[] source) =>
        destination.SubView(0, source.Length).CopyFromCPU(source);

    /// <summary>Copies a whole device buffer of doubles to a new host array (waits for the work queued before it).</summary>
    public static double[] ToHost(ArrayView<double> source)
    {
        var host = new double[source.Length];
        source.CopyToCPU(host);
        return host;
    }

    /// <summary>Fills a device view with the scalar <paramref name="scalars"/>[<paramref name="index"/>], on the device (no copy back).</summary>
    public static void Fill<TS, TE>(Accelerator accelerator, ArrayView<TE> view, ArrayView<double> scalars, int index)
        where TS : struct, IGpuStorage<TE> where TE : unmanaged
    {
        if (view.Length == 0) return;
        FillKernel<TS, TE>.For(accelerator)((int)view.Length, view, scalars, index);
    }

    private static class FillKernel<TS, TE> where TS : struct, IGpuStorage<TE> where TE : unmanaged
    {
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Accelerator, Action<Index1D, ArrayView<TE>, ArrayView<double>, int>> Kernels = new();

        public static Action<Index1D, ArrayView<TE>, ArrayView<double>, int> For(Accelerator accelerator) =>
            Kernels.GetValue(accelerator, a => a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<TE>, ArrayView<double>, int>(Run));

        private static void Run(Index1D i, ArrayView<TE> view, ArrayView<double> scalars, int index) => view[i] = TS.Store((float)scalars[index]);
    }
}
