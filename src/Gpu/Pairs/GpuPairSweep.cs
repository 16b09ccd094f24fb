using System.ComponentModel;
using ILGPU;

namespace KernelDsl.Runtime.Gpu;

/// <summary>
/// The GPU pair sweep that generated sample-based GPU kernels call with their pair term (<see cref="IGpuPairTerm{T}"/>),
/// the device twin of <see cref="PairSweep"/>: the same reductions, on device views. Points are row-major views of
/// <c>d</c> features: x is n × d, y is m × d. Weights a (of x) and b (of y) are optional: an empty view means weights 1.
/// </summary>
/// <remarks>
/// <para>How it runs: one thread per row i, in groups of <see cref="GpuLaunch.GroupSize"/>; the column points stream
/// through shared memory in tiles (up to 2048 elements, at most 256 points; the group loads a tile together, contiguous
/// in y), and each thread walks the columns in order and accumulates its row in double. Features and φ are computed in
/// the element type. With a gradient each thread adds into its own row of a double n × d accumulator and rounds it into
/// gradX at the end. Memory is O(n d) beyond the inputs; no n × m buffer is made.</para>
/// <para>Determinism: no atomics. A row's value depends only on its data (the column order is fixed, whatever the group
/// or tile size); sums over rows are a second kernel that adds the rows' values in a fixed order, which depends only on
/// the accelerator. So results are the same bits on every run.</para>
/// <para>Self sums cover ordered pairs <c>Σ_{i≠j} a_i a_j φ(f_ij)</c>, plus the diagonal if asked: every row meets every
/// column (each pair twice), as the CPU sweep does with a gradient.</para>
/// <para>Calls are synchronous: they return when the results (and the views written) are complete. A contract between
/// the generator and the runtime.</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class GpuPairSweep
{
    // float

    /// <summary><c>Σ_i Σ_j a_i b_j φ(f(x_i, y_j))</c>.</summary>
    public static double Sum<TTerm>(KernelDevice device, in TTerm term, ArrayView<float> x, ArrayView<float> a, ArrayView<float> y, ArrayView<float> b, int d)
        where TTerm : struct, IGpuPairTerm<float> =>
        GpuPairLauncher.Run<TTerm, float, GpuPairFloat>(device, in term, x, a, d, new(y, b, GpuPairColumns.Cross, 0.0), null, GpuPairReduction.Sum, default, default, false)[0];

    /// <summary><c>Σ_{i≠j} a_i a_j φ(f(x_i, x_j))</c>, plus <c>Σ_i a_i² φ(f(x_i, x_i))</c> when <paramref name="diagonal"/> is set.</summary>
    public static double SelfSum<TTerm>(KernelDevice device, in TTerm term, ArrayView<float> x, ArrayView<float> a, int d, bool diagonal)
        where TTerm : struct, IGpuPairTerm<float> =>
        GpuPairLauncher.Run<TTerm, float, GpuPairFloat>(device, in term, x, a, d, new(x, a, Self(diagonal), 0.0), null, GpuPairReduction.Sum, default, default, false)[0];

    /// <summary>Per row: <c>output[i] = Σ_j b_j φ(f(x_i, y_j))</c>.</summary>
    public static void RowSums<TTerm>(KernelDevice device, in TTerm term, ArrayView<float> x, ArrayView<float> y, ArrayView<float> b, int d, ArrayView<float> output)
        where TTerm : struct, IGpuPairTerm<float> =>
        GpuPairLauncher.Run<TTerm, float, GpuPairFloat>(device, in term, x, default, d, new(y, b, GpuPairColumns.Cross, 0.0), null, GpuPairReduction.RowSums, output, default, false);

    /// <summary>Per row: <c>output[i] = log Σ_j exp(φ(f(x_i, y_j)) + h_j)</c> (h empty: 0), the softmin of Sinkhorn, one exponential per pair.</summary>
    public static void RowLogSumExp<TTerm>(KernelDevice device, in TTerm term, ArrayView<float> x, ArrayView<float> y, ArrayView<float> h, int d, ArrayView<float> output)
        where TTerm : struct, IGpuPairTerm<float> =>
        GpuPairLauncher.Run<TTerm, float, GpuPairFloat>(device, in term, x, default, d, new(y, h, GpuPairColumns.Cross, 0.0), null, GpuPairReduction.RowLogSumExp, output, default, false);

    /// <summary>
    /// <c>S = Σ_i Σ_j a_i b_j φ(f(x_i, y_j))</c> and, in the same sweep, <c>gradX = scale · ∂S/∂x</c> (n × d, written; with
    /// <paramref name="accumulate"/>, added to what gradX holds, in double, rounded once).
    /// </summary>
    public static double SumWithGradient<TTerm>(KernelDevice device, in TTerm term, ArrayView<float> x, ArrayView<float> a, ArrayView<float> y, ArrayView<float> b, int d,
        double scale, ArrayView<float> gradX, bool accumulate = false)
        where TTerm : struct, IGpuPairTerm<float> =>
        GpuPairLauncher.Run<TTerm, float, GpuPairFloat>(device, in term, x, a, d, new(y, b, GpuPairColumns.Cross, scale), null, GpuPairReduction.Sum, default, gradX, true, 0, accumulate)[0];

    /// <summary>
    /// The self sum of x (as <see cref="SelfSum{TTerm}(KernelDevice, in TTerm, ArrayView{float}, ArrayView{float}, int, bool)"/>) and, in the
    /// same sweep, <c>gradX = scale · ∂Self/∂x</c> (n × d, written; with <paramref name="accumulate"/>, added).
    /// </summary>
    public static double SelfSumWithGradient<TTerm>(KernelDevice device, in TTerm term, ArrayView<float> x, ArrayView<float> a, int d, bool diagonal,
        double scale, ArrayView<float> gradX, bool accumulate = false)
        where TTerm : struct, IGpuPairTerm<float> =>
        GpuPairLauncher.Run<TTerm, float, GpuPairFloat>(device, in term, x, a, d, new(x, a, Self(diagonal), scale), null, GpuPairReduction.Sum, default, gradX, true, 0, accumulate)[0];

    /// <summary>
    /// The self sum of x and the cross sum of x against y in one sweep over the rows of x, with
    /// <c>gradX = selfScale · ∂Self/∂x + crossScale · ∂Cross/∂x</c> (written, or added with <paramref name="accumulate"/>): the x-side of an MMD² or an energy distance.
    /// </summary>
    public static (double Self, double Cross) SelfAndCrossWithGradient<TTerm>(KernelDevice device, in TTerm term, ArrayView<float> x, ArrayView<float> a,
        ArrayView<float> y, ArrayView<float> b, int d, bool diagonal, double selfScale, double crossScale, ArrayView<float> gradX, bool accumulate = false)
        where TTerm : struct, IGpuPairTerm<float>
    {
        var sums = GpuPairLauncher.Run<TTerm, float, GpuPairFloat>(device, in term, x, a, d, new(x, a, Self(diagonal), selfScale), new GpuPairSet<float>(y, b, GpuPairColumns.Cross, crossScale),
            GpuPairReduction.Sum, default, gradX, true, 0, accumulate);
        return (sums[0], sums[1]);
    }

    // double

    /// <summary><c>Σ_i Σ_j a_i b_j φ(f(x_i, y_j))</c>.</summary>
    public static double Sum<TTerm>(KernelDevice device, in TTerm term, ArrayView<double> x, ArrayView<double> a, ArrayView<double> y, ArrayView<double> b, int d)
        where TTerm : struct, IGpuPairTerm<double> =>
        GpuPairLauncher.Run<TTerm, double, GpuPairDouble>(device, in term, x, a, d, new(y, b, GpuPairColumns.Cross, 0.0), null, GpuPairReduction.Sum, default, default, false)[0];

    /// <summary><c>Σ_{i≠j} a_i a_j φ(f(x_i, x_j))</c>, plus <c>Σ_i a_i² φ(f(x_i, x_i))</c> when <paramref name="diagonal"/> is set.</summary>
    public static double SelfSum<TTerm>(KernelDevice device, in TTerm term, ArrayView<double> x, ArrayView<double> a, int d, bool diagonal)
        where TTerm : struct, IGpuPairTerm<double> =>
        GpuPairLauncher.Run<TTerm, double, GpuPairDouble>(device, in term, x, a, d, new(x, a, Self(diagonal), 0.0), null, GpuPairReduction.Sum, default, default, false)[0];

    /// <summary>Per row: <c>output[i] = Σ_j b_j φ(f(x_i, y_j))</c>.</summary>
    public static void RowSums<TTerm>(KernelDevice device, in TTerm term, ArrayView<double> x, ArrayView<double> y, ArrayView<double> b, int d, ArrayView<double> output)
        where TTerm : struct, IGpuPairTerm<double> =>
        GpuPairLauncher.Run<TTerm, double, GpuPairDouble>(device, in term, x, default, d, new(y, b, GpuPairColumns.Cross, 0.0), null, GpuPairReduction.RowSums, output, default, false);

    /// <summary>Per row: <c>output[i] = log Σ_j exp(φ(f(x_i, y_j)) + h_j)</c> (h empty: 0), the softmin of Sinkhorn, one exponential per pair.</summary>
    public static void RowLogSumExp<TTerm>(KernelDevice device, in TTerm term, ArrayView<double> x, ArrayView<double> y, ArrayView<double> h, int d, ArrayView<double> output)
        where TTerm : struct, IGpuPairTerm<double> =>
        GpuPairLauncher.Run<TTerm, double, GpuPairDouble>(device, in term, x, default, d, new(y, h, GpuPairColumns.Cross, 0.0), null, GpuPairReduction.RowLogSumExp, output, default, false);

    /// <summary>
    /// <c>S = Σ_i Σ_j a_i b_j φ(f(x_i, y_j))</c> and, in the same sweep, <c>gradX = scale · ∂S/∂x</c> (n × d, written; with
    /// <paramref name="accumulate"/>, added to what gradX holds, in double, rounded once).
    /// </summary>
    public static double SumWithGradient<TTerm>(KernelDevice device, in TTerm term, ArrayView<double> x, ArrayView<double> a, ArrayView<double> y, ArrayView<double> b, int d,
        double scale, ArrayView<double> gradX, bool accumulate = false)
        where TTerm : struct, IGpuPairTerm<double> =>
        GpuPairLauncher.Run<TTerm, double, GpuPairDouble>(device, in term, x, a, d, new(y, b, GpuPairColumns.Cross, scale), null, GpuPairReduction.Sum, default, gradX, true, 0, accumulate)[0];

    /// <summary>
    /// The self sum of x (as <see cref="SelfSum{TTerm}(KernelDevice, in TTerm, ArrayView{double}, ArrayView{double}, int, bool)"/>) and, in the
    /// same sweep, <c>gradX = scale · ∂Self/∂x</c> (n × d, written; with <paramref name="accumulate"/>, added).
    /// </summary>
    public static double SelfSumWithGradient<TTerm>(KernelDevice device, in TTerm term, ArrayView<double> x, ArrayView<double> a, int d, bool diagonal,
        double scale, ArrayView<double> gradX, bool accumulate = false)
        where TTerm : struct, IGpuPairTerm<double> =>
        GpuPairLauncher.Run<TTerm, double, GpuPairDouble>(device, in term, x, a, d, new(x, a, Self(diagonal), scale), null, GpuPairReduction.Sum, default, gradX, true, 0, accumulate)[0];

    /// <summary>
    /// The self sum of x and the cross sum of x against y in one sweep over the rows of x, with
    /// <c>gradX = selfScale · ∂Self/∂x + crossScale · ∂Cross/∂x</c> (written, or added with <paramref name="accumulate"/>): the x-side of an MMD² or an energy distance.
    /// </summary>
    public static (double Self, double Cross) SelfAndCrossWithGradient<TTerm>(KernelDevice device, in TTerm term, ArrayView<double> x, ArrayView<double> a,
        ArrayView<double> y, ArrayView<double> b, int d, bool diagonal, double selfScale, double crossScale, ArrayView<double> gradX, bool accumulate = false)
        where TTerm : struct, IGpuPairTerm<double>
    {
        var sums = GpuPairLauncher.Run<TTerm, double, GpuPairDouble>(device, in term, x, a, d, new(x, a, Self(diagonal), selfScale), new GpuPairSet<double>(y, b, GpuPairColumns.Cross, crossScale),
            GpuPairReduction.Sum, default, gradX, true, 0, accumulate);
        return (sums[0], sums[1]);
    }

    private static GpuPairColumns Self(bool diagonal) => diagonal ? GpuPairColumns.SelfWithDiagonal : GpuPairColumns.SelfOffDiagonal;
}
