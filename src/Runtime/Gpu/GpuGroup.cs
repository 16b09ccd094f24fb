using ILGPU;
using ILGPU.Runtime;

namespace KernelDsl.Runtime.Gpu;

/// <summary>
/// Reductions across the threads of one group, in shared memory, in a fixed tree order (thread t takes t + s for
/// s = size/2, size/4, ..., 1), so a result depends only on the group size, never on scheduling. Every thread of the
/// group gets the result. The group size must be a power of two no larger than <see cref="MaxSize"/>
/// (<see cref="GpuLaunch.GroupSize"/> picks one).
/// </summary>
public static class GpuGroup
{
    /// <summary>The largest group the generated kernels launch.</summary>
    public const int MaxSize = 256;

    /// <summary>
    /// The shared memory a kernel allocates once (<c>SharedMemory.Allocate&lt;double&gt;(SharedLength)</c>) and hands to every
    /// reduction: each ends with a barrier, so the next may reuse it. One buffer per kernel, whatever its number of
    /// reductions (ILGPU inlines helpers and sums their static allocations, so an allocation per call would add up).
    /// </summary>
    public const int SharedLength = 2 * MaxSize;

    /// <summary>The sum over the group.</summary>
    public static double Sum(double value, ArrayView<double> shared)
    {
        int t = Group.IdxX;
        shared[t] = value;
        Group.Barrier();
        for (int s = Group.DimX / 2; s > 0; s >>= 1)
        {
            if (t < s) shared[t] += shared[t + s];
            Group.Barrier();
        }
        double result = shared[0];
        Group.Barrier();
        return result;
    }

    /// <summary>The maximum over the group (NaN if any thread has NaN).</summary>
    public static double Max(double value, ArrayView<double> shared) => Extreme(value, shared, max: true);

    /// <summary>The minimum over the group (NaN if any thread has NaN).</summary>
    public static double Min(double value, ArrayView<double> shared) => Extreme(value, shared, max: false);

    private static double Extreme(double value, ArrayView<double> shared, bool max)
    {
        int t = Group.IdxX;
        shared[t] = value;
        Group.Barrier();
        for (int s = Group.DimX / 2; s > 0; s >>= 1)
        {
            if (t < s) shared[t] = max ? Partials.Max(shared[t], shared[t + s]) : Partials.Min(shared[t], shared[t + s]);
            Group.Barrier();
        }
        double result = shared[0];
        Group.Barrier();
        return result;
    }

    /// <summary>Merges every thread's logsumexp pair (max, sum of e^(x - max)) into the group's pair.</summary>
    public static void LogSumExp(ref double max, ref double sum, ArrayView<double> shared)
    {
        int t = Group.IdxX, half = MaxSize;
        shared[t] = max;
        shared[half + t] = sum;
        Group.Barrier();
        for (int s = Group.DimX / 2; s > 0; s >>= 1)
        {
            if (t < s)
            {
                double m = shared[t], a = shared[half + t];
                KernelDsl.Runtime.LogSumExp.Combine(ref m, ref a, shared[t + s], shared[half + t + s]);
                shared[t] = m;
                shared[half + t] = a;
            }
            Group.Barrier();
        }
        max = shared[0];
        sum = shared[half];
        Group.Barrier();
    }
}

/// <summary>
/// How a pass kernel's groups hand in their sums: a kernel is generic over it, so the ordered kernel contains no atomic
/// instruction at all (ILGPU folds the constant and drops the branch) and runs on devices without 64-bit atomics; the
/// atomic one is compiled only when the caller asks for it.
/// </summary>
public interface IGpuSums
{
    /// <summary>True: sums meet through atomic adds into the row's first partial; false: one partial per group.</summary>
    static abstract bool Atomic { get; }
}

/// <summary>Each group writes its own partial; a second stage combines them in a fixed order (the default).</summary>
public readonly struct GpuOrderedSums : IGpuSums
{
    /// <inheritdoc/>
    public static bool Atomic => false;
}

/// <summary>Groups add their sums atomically (order free: the last bits may vary from run to run).</summary>
public readonly struct GpuAtomicSums : IGpuSums
{
    /// <inheritdoc/>
    public static bool Atomic => true;
}

/// <summary>The per-thread accumulators of the GPU kernels (double, fed float elements).</summary>
public static class GpuAccumulate
{
    /// <summary>
    /// One element of an online logsumexp: (max, sum of e^(x - max)) in double, the exponential taken in float (the
    /// element's precision; a double exp per element would be software on most GPUs). -inf adds nothing; NaN propagates.
    /// </summary>
    public static void LseStep(ref double max, ref double sum, float x)
    {
        if (float.IsNaN(x)) { max = double.NaN; sum = double.NaN; return; }
        if (float.IsNegativeInfinity(x)) return;
        if (x > max) { sum = sum * GpuMath<float>.Exp((float)(max - x)) + 1.0; max = x; }
        else if (x == max) sum += 1.0;
        else sum += GpuMath<float>.Exp((float)(x - max));
    }
}

/// <summary>How the generated GPU kernels are launched on an accelerator: group size and number of groups.</summary>
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
