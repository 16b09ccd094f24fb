using ILGPU.Runtime;

namespace KernelDsl.Runtime.Gpu;

/// <summary>How the generated GPU kernels are launched on an accelerator: group size and number of groups.</summary>
[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]
public static class GpuLaunch
{
    /// <summary>The largest power of two no larger than <see cref="GpuGroup.MaxSize"/> and the accelerator's group limit.</summary>
    public static int GroupSize(Accelerator accelerator)
    {
        int limit = System.Math.Min(GpuGroup.MaxSize, accelerator.MaxNumThreadsPerGroup);
        int size = 1;
        while (size * 2 <= limit) size *= 2;
        return size;
    }

    /// <summary>
    /// Groups for a grid-stride pass over <paramref name="n"/> elements: one per <paramref name="groupSize"/> elements, at
    /// most one full wave of the device (or 64, if the device's wave is smaller: the CPU accelerator's is one group). A
    /// function of the device and the length only, so the partials, and the result, are the same on every run.
    /// </summary>
    public static int Groups(Accelerator accelerator, long n, int groupSize)
    {
        long wave = (long)accelerator.NumMultiprocessors * System.Math.Max(1, accelerator.MaxNumThreadsPerMultiprocessor / groupSize);
        long cap = System.Math.Max(64, wave);
        long needed = (n + groupSize - 1) / groupSize;
        return (int)System.Math.Clamp(needed, 1, cap);
    }

    /// <summary>
    /// Groups per row for a batch of <paramref name="rows"/> rows: as many as <see cref="Groups"/> gives the whole batch,
    /// shared among the rows (at least 1, at most one per <paramref name="groupSize"/> elements of a row). 1 means one
    /// group per row, every pass in one kernel; more means the row is split, with a second stage per pass.
    /// </summary>
    public static int Segments(Accelerator accelerator, int rows, long rowLength, int groupSize)
    {
        if (rows <= 0) return 1;
        long total = Groups(accelerator, (long)rows * rowLength, groupSize);
        long perRow = System.Math.Max(1, total / rows);
        long cap = System.Math.Max(1, (rowLength + groupSize - 1) / groupSize);
        return (int)System.Math.Min(perRow, cap);
    }
}
