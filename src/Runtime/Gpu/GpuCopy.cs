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
    public static void ToHost(ArrayView<float> source, Span<float> destination) => source.CopyToCPU(destination);

    /// <summary>Copies a device view of doubles into a host span of the same length (waits for the work queued before it).</summary>
    public static void ToHost(ArrayView<double> source, Span<double> destination) => source.CopyToCPU(destination);

    /// <summary>Sets a device view to zero.</summary>
    public static void Zero(ArrayView<float> view) => view.MemSetToZero();

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
    public static void Fill(Accelerator accelerator, ArrayView<float> view, ArrayView<double> scalars, int index)
    {
        if (view.Length == 0) return;
        FillKernels.GetValue(accelerator, a => a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<double>, int>(FillKernel))
            ((int)view.Length, view, scalars, index);
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Accelerator, Action<Index1D, ArrayView<float>, ArrayView<double>, int>> FillKernels = new();

    private static void FillKernel(Index1D i, ArrayView<float> view, ArrayView<double> scalars, int index) => view[i] = (float)scalars[index];
}
