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

    /// <summary>Copies a whole device buffer of doubles to a new host array.</summary>
    public static double[] ToHost(MemoryBuffer1D<double, Stride1D.Dense> source) => source.GetAsArray1D();

    /// <summary>Sets a device view to zero.</summary>
    public static void Zero(ArrayView<float> view) => view.MemSetToZero();

    /// <summary>Fills a device view with one value.</summary>
    public static void Fill(ArrayView<float> view, float value)
    {
        var host = new float[view.Length];
        Array.Fill(host, value);
        view.CopyFromCPU(host);
    }
}
