using System.ComponentModel;
using ILGPU;

namespace KernelDsl.Runtime.Gpu;

/// <summary>
/// The softmin sweeps of Sinkhorn on the GPU, the device twin of <see cref="PairSweep.RowLogSumExp{TTerm}(in TTerm, System.ReadOnlySpan{float}, System.ReadOnlySpan{float}, System.ReadOnlySpan{float}, int, System.Span{float})"/>
/// and <c>PairSweep.RowLogSumExpWithGradient</c> with the cost and ε apart: the cost term (<see cref="IGpuPairTerm{T}"/>)
/// gives <c>c(f)</c> of one pair feature, and ε is a runtime argument, so one compiled kernel serves every ε of an
/// ε-scaling schedule. Per row i of x (n × d) against the points y (m × d) with offsets h (m; empty: 0):
/// <c>output[i] = L_i = log Σ_j exp(-c(f(x_i, y_j))/ε + h_j)</c>; the gradient variants add
/// <c>gradX[i, :] = scale · Σ_j p_ij (-c'(f_ij)/ε) ∂f_ij/∂x_i</c> (n × d), the payload variants
/// <c>barycentric[i, :] = Σ_j p_ij P[j, :]</c> (P m × p; y itself gives the barycentric map), with the softmax weights
/// <c>p_ij = exp(-c_ij/ε + h_j - L_i)</c>. With <c>h = g/ε + log b</c>, <c>-ε L</c> is Sinkhorn's update of f.
/// </summary>
/// <remarks>
/// <para>How it runs (<see cref="GpuSoftminKernels{TCost, T, TE}"/>): one thread per row; the columns, offsets and payload
/// stream through shared memory in tiles; a streaming maximum with one rescale keeps every term at most 1, one exponential
/// per pair, so exponents of ±1e4 neither overflow nor vanish. Sums accumulate in double; no atomics: the same bits on
/// every run, whatever the group size. Memory O((n + m)(d + p)): no n × m buffer.</para>
/// <para>View overloads take device views (the potentials of a solver stay on the device between calls); span overloads
/// copy host data up and the results down. Calls are synchronous. A contract type (hidden).</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class GpuSoftmin
{
    // float

    /// <summary>Per row: <c>output[i] = log Σ_j exp(-c(f(x_i, y_j))/ε + h_j)</c>.</summary>
    /// <param name="device">The device the views live on.</param>
    /// <param name="cost">The cost term c(f).</param>
    /// <param name="x">The rows, n × d, row-major.</param>
    /// <param name="y">The columns, m × d, row-major.</param>
    /// <param name="h">The offsets of the columns (m), or empty for 0.</param>
    /// <param name="d">The features of a point.</param>
    /// <param name="epsilon">ε, positive.</param>
    /// <param name="output">The n log-sum-exps, written.</param>
    public static void RowLogSumExp<TCost>(KernelDevice device, in TCost cost, ArrayView<float> x, ArrayView<float> y, ArrayView<float> h, int d, double epsilon,
        ArrayView<float> output)
        where TCost : struct, IGpuPairTerm<float> =>
        GpuSoftminLauncher.Run<TCost, float, GpuPairFloat>(device, in cost, x, y, h, d, epsilon, output, 0.0, default, default, 0, default);

    /// <summary>
    /// Per row, in one sweep: the log-sum-exp (as <see cref="RowLogSumExp{TCost}(KernelDevice, in TCost, ArrayView{float}, ArrayView{float}, ArrayView{float}, int, double, ArrayView{float})"/>)
    /// and <c>gradX[i, :] = scale · Σ_j p_ij (-c'(f_ij)/ε) ∂f_ij/∂x_i</c> (n × d, written): the gradient of each row's
    /// log-sum-exp in its own point, the columns held fixed (times -ε: Sinkhorn's gradient through fixed potentials).
    /// </summary>
    /// <param name="device">The device the views live on.</param>
    /// <param name="cost">The cost term c(f).</param>
    /// <param name="x">The rows, n × d, row-major.</param>
    /// <param name="y">The columns, m × d, row-major.</param>
    /// <param name="h">The offsets of the columns (m), or empty for 0.</param>
    /// <param name="d">The features of a point.</param>
    /// <param name="epsilon">ε, positive.</param>
    /// <param name="output">The n log-sum-exps, written.</param>
    /// <param name="scale">The gradient's factor.</param>
    /// <param name="gradX">The gradient, n × d, written.</param>
    public static void RowLogSumExpWithGradient<TCost>(KernelDevice device, in TCost cost, ArrayView<float> x, ArrayView<float> y, ArrayView<float> h, int d, double epsilon,
        ArrayView<float> output, double scale, ArrayView<float> gradX)
        where TCost : struct, IGpuPairTerm<float> =>
        GpuSoftminLauncher.Run<TCost, float, GpuPairFloat>(device, in cost, x, y, h, d, epsilon, output, scale, Required(gradX), default, 0, default);

    /// <summary>
    /// As <see cref="RowLogSumExpWithGradient{TCost}(KernelDevice, in TCost, ArrayView{float}, ArrayView{float}, ArrayView{float}, int, double, ArrayView{float}, double, ArrayView{float})"/>,
    /// and in the same sweep <c>barycentric[i, c] = Σ_j p_ij P[j, c]</c> (P = <paramref name="payload"/>, m × p; output n × p).
    /// </summary>
    /// <param name="device">The device the views live on.</param>
    /// <param name="cost">The cost term c(f).</param>
    /// <param name="x">The rows, n × d, row-major.</param>
    /// <param name="y">The columns, m × d, row-major.</param>
    /// <param name="h">The offsets of the columns (m), or empty for 0.</param>
    /// <param name="d">The features of a point.</param>
    /// <param name="epsilon">ε, positive.</param>
    /// <param name="output">The n log-sum-exps, written.</param>
    /// <param name="scale">The gradient's factor.</param>
    /// <param name="gradX">The gradient, n × d, written.</param>
    /// <param name="payload">P, m × p, row-major.</param>
    /// <param name="p">Payload values per column point, at least 1.</param>
    /// <param name="barycentric">The softmax-weighted payload, n × p, written.</param>
    public static void RowLogSumExpWithGradient<TCost>(KernelDevice device, in TCost cost, ArrayView<float> x, ArrayView<float> y, ArrayView<float> h, int d, double epsilon,
        ArrayView<float> output, double scale, ArrayView<float> gradX, ArrayView<float> payload, int p, ArrayView<float> barycentric)
        where TCost : struct, IGpuPairTerm<float> =>
        GpuSoftminLauncher.Run<TCost, float, GpuPairFloat>(device, in cost, x, y, h, d, epsilon, output, scale, Required(gradX), payload, Positive(p), barycentric);

    /// <summary>
    /// Per row, in one sweep: the log-sum-exp and <c>barycentric[i, c] = Σ_j p_ij P[j, c]</c> without the gradient: the
    /// plan applied to a payload, row-normalised (y itself as P gives the barycentric map <c>T(x_i)</c>).
    /// </summary>
    /// <param name="device">The device the views live on.</param>
    /// <param name="cost">The cost term c(f).</param>
    /// <param name="x">The rows, n × d, row-major.</param>
    /// <param name="y">The columns, m × d, row-major.</param>
    /// <param name="h">The offsets of the columns (m), or empty for 0.</param>
    /// <param name="d">The features of a point.</param>
    /// <param name="epsilon">ε, positive.</param>
    /// <param name="output">The n log-sum-exps, written.</param>
    /// <param name="payload">P, m × p, row-major.</param>
    /// <param name="p">Payload values per column point, at least 1.</param>
    /// <param name="barycentric">The softmax-weighted payload, n × p, written.</param>
    public static void RowLogSumExpWithPayload<TCost>(KernelDevice device, in TCost cost, ArrayView<float> x, ArrayView<float> y, ArrayView<float> h, int d, double epsilon,
        ArrayView<float> output, ArrayView<float> payload, int p, ArrayView<float> barycentric)
        where TCost : struct, IGpuPairTerm<float> =>
        GpuSoftminLauncher.Run<TCost, float, GpuPairFloat>(device, in cost, x, y, h, d, epsilon, output, 0.0, default, payload, Positive(p), barycentric);

    // double

    /// <inheritdoc cref="RowLogSumExp{TCost}(KernelDevice, in TCost, ArrayView{float}, ArrayView{float}, ArrayView{float}, int, double, ArrayView{float})"/>
    public static void RowLogSumExp<TCost>(KernelDevice device, in TCost cost, ArrayView<double> x, ArrayView<double> y, ArrayView<double> h, int d, double epsilon,
        ArrayView<double> output)
        where TCost : struct, IGpuPairTerm<double> =>
        GpuSoftminLauncher.Run<TCost, double, GpuPairDouble>(device, in cost, x, y, h, d, epsilon, output, 0.0, default, default, 0, default);

    /// <inheritdoc cref="RowLogSumExpWithGradient{TCost}(KernelDevice, in TCost, ArrayView{float}, ArrayView{float}, ArrayView{float}, int, double, ArrayView{float}, double, ArrayView{float})"/>
    public static void RowLogSumExpWithGradient<TCost>(KernelDevice device, in TCost cost, ArrayView<double> x, ArrayView<double> y, ArrayView<double> h, int d, double epsilon,
        ArrayView<double> output, double scale, ArrayView<double> gradX)
        where TCost : struct, IGpuPairTerm<double> =>
        GpuSoftminLauncher.Run<TCost, double, GpuPairDouble>(device, in cost, x, y, h, d, epsilon, output, scale, Required(gradX), default, 0, default);

    /// <inheritdoc cref="RowLogSumExpWithGradient{TCost}(KernelDevice, in TCost, ArrayView{float}, ArrayView{float}, ArrayView{float}, int, double, ArrayView{float}, double, ArrayView{float}, ArrayView{float}, int, ArrayView{float})"/>
    public static void RowLogSumExpWithGradient<TCost>(KernelDevice device, in TCost cost, ArrayView<double> x, ArrayView<double> y, ArrayView<double> h, int d, double epsilon,
        ArrayView<double> output, double scale, ArrayView<double> gradX, ArrayView<double> payload, int p, ArrayView<double> barycentric)
        where TCost : struct, IGpuPairTerm<double> =>
        GpuSoftminLauncher.Run<TCost, double, GpuPairDouble>(device, in cost, x, y, h, d, epsilon, output, scale, Required(gradX), payload, Positive(p), barycentric);

    /// <inheritdoc cref="RowLogSumExpWithPayload{TCost}(KernelDevice, in TCost, ArrayView{float}, ArrayView{float}, ArrayView{float}, int, double, ArrayView{float}, ArrayView{float}, int, ArrayView{float})"/>
    public static void RowLogSumExpWithPayload<TCost>(KernelDevice device, in TCost cost, ArrayView<double> x, ArrayView<double> y, ArrayView<double> h, int d, double epsilon,
        ArrayView<double> output, ArrayView<double> payload, int p, ArrayView<double> barycentric)
        where TCost : struct, IGpuPairTerm<double> =>
        GpuSoftminLauncher.Run<TCost, double, GpuPairDouble>(device, in cost, x, y, h, d, epsilon, output, 0.0, default, payload, Positive(p), barycentric);

    private static int Positive(int p) =>
        p < 1 ? throw new System.ArgumentOutOfRangeException(nameof(p), p, "A payload has at least one value per column point.") : p;

    private static ArrayView<T> Required<T>(ArrayView<T> gradX) where T : unmanaged =>
        gradX.Length > 0 ? gradX : throw new System.ArgumentException("The gradient view is empty; RowLogSumExp computes the values alone.", nameof(gradX));
}
