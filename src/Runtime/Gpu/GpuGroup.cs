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
    /// <summary>The largest group the generated kernels launch (the shared arrays are this long).</summary>
    public const int MaxSize = 256;

    /// <summary>The sum over the group.</summary>
    public static double Sum(double value)
    {
        var shared = SharedMemory.Allocate<double>(MaxSize);
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
    public static double Max(double value) => Extreme(value, max: true);

    /// <summary>The minimum over the group (NaN if any thread has NaN).</summary>
    public static double Min(double value) => Extreme(value, max: false);

    private static double Extreme(double value, bool max)
    {
        var shared = SharedMemory.Allocate<double>(MaxSize);
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
    public static void LogSumExp(ref double max, ref double sum)
    {
        var maxes = SharedMemory.Allocate<double>(MaxSize);
        var sums = SharedMemory.Allocate<double>(MaxSize);
        int t = Group.IdxX;
        maxes[t] = max;
        sums[t] = sum;
        Group.Barrier();
        for (int s = Group.DimX / 2; s > 0; s >>= 1)
        {
            if (t < s)
            {
                double m = maxes[t], a = sums[t];
                KernelDsl.Runtime.LogSumExp.Combine(ref m, ref a, maxes[t + s], sums[t + s]);
                maxes[t] = m;
                sums[t] = a;
            }
            Group.Barrier();
        }
        max = maxes[0];
        sum = sums[0];
        Group.Barrier();
    }
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
    /// most one full wave of the device (and at least 64 when there is work for them). A function of the device and the
    /// length only, so the partials, and the result, are the same on every run.
    /// </summary>
    public static int Groups(Accelerator accelerator, long n, int groupSize)
    {
        long wave = (long)accelerator.NumMultiprocessors * System.Math.Max(1, accelerator.MaxNumThreadsPerMultiprocessor / groupSize);
        long cap = System.Math.Max(64, wave);
        long needed = (n + groupSize - 1) / groupSize;
        return (int)System.Math.Clamp(needed, 1, cap);
    }
}
