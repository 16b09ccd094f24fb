using ILGPU;
using ILGPU.Runtime;

namespace KernelDsl.Runtime.Gpu;

/// <summary>
/// Reductions across the threads of one group, in shared memory, in a fixed tree order (thread t takes t + s for
/// s = size/2, size/4, ..., 1), so a result depends only on the group size, never on scheduling. Every thread of the
/// group gets the result. The group size must be a power of two no larger than <see cref="MaxSize"/>
/// (<see cref="GpuLaunch.GroupSize"/> picks one).
/// </summary>
[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]
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

    /// <summary>Merges every thread's logsumexp pair (max, sum of e^(x - max) less the max's 1; see <see cref="KernelDsl.Runtime.LogSumExp"/>) into the group's pair.</summary>
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

/// <summary>The per-thread accumulators of the GPU kernels (double, fed float elements).</summary>
[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]
public static class GpuAccumulate
{
    /// <summary>
    /// One element of an online logsumexp: (max, sum of e^(x - max) less the max's own 1) in double, the exponential taken in float (the
    /// element's precision; a double exp per element would be software on most GPUs). -inf adds nothing; NaN propagates.
    /// </summary>
    public static void LseStep(ref double max, ref double sum, float x)
    {
        if (float.IsNaN(x)) { max = double.NaN; sum = double.NaN; return; }
        if (float.IsNegativeInfinity(x)) return;
        if (x > max) { sum = (sum + 1.0) * GpuMath<float>.Exp((float)(max - x)); max = x; }
        else if (x == max) sum += 1.0;
        else sum += GpuMath<float>.Exp((float)(x - max));
    }
}
