using System.ComponentModel;

namespace KernelDsl.Runtime;

/// <summary>
/// Combines the partial results of one reduction over chunks (slot <c>slot</c> of each of <c>count</c> rows of
/// <c>stride</c> doubles), in chunk order, so that the result does not depend on how the chunks were scheduled. A contract
/// between the generator and the runtime: generated kernels call it after each pass.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static unsafe class ChunkPartials
{
    /// <summary>The sum of the partial sums.</summary>
    public static double Sum(double* partials, int count, int stride, int slot)
    {
        double s = 0.0;
        for (int c = 0; c < count; c++) s += partials[(nint)c * stride + slot];
        return s;
    }

    /// <summary>The largest partial maximum (NaN if any is NaN; -inf for no chunk).</summary>
    public static double Max(double* partials, int count, int stride, int slot)
    {
        double m = double.NegativeInfinity;
        for (int c = 0; c < count; c++) m = Partials.Max(m, partials[(nint)c * stride + slot]);
        return m;
    }

    /// <summary>The smallest partial minimum (NaN if any is NaN; +inf for no chunk).</summary>
    public static double Min(double* partials, int count, int stride, int slot)
    {
        double m = double.PositiveInfinity;
        for (int c = 0; c < count; c++) m = Partials.Min(m, partials[(nint)c * stride + slot]);
        return m;
    }

    /// <summary>The logsumexp of partial (max, sum of exp(x - max)) pairs held in slots <c>slot</c> and <c>slot + 1</c>.</summary>
    public static double LogSumExp(double* partials, int count, int stride, int slot)
    {
        double max = double.NegativeInfinity, sum = 0.0;
        for (int c = 0; c < count; c++)
            Runtime.LogSumExp.Combine(ref max, ref sum, partials[(nint)c * stride + slot], partials[(nint)c * stride + slot + 1]);
        return Runtime.LogSumExp.Finish(max, sum);
    }
}
