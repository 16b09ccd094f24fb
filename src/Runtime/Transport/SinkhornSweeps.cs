using System;
using System.Numerics;

namespace KernelDsl.Runtime;

/// <summary>Which cloud a sweep's rows or columns are: x (n points, weights a) or y (m points, weights b).</summary>
internal enum SinkhornCloud
{
    /// <summary>The first cloud, x.</summary>
    X,

    /// <summary>The second cloud, y.</summary>
    Y,
}

/// <summary>
/// The sweeps Sinkhorn's iteration needs, over the two clouds and the cost term a backend holds: the seam between the
/// iteration (<see cref="SinkhornLoop{T}"/>, which owns the potentials, the ε schedule, the stopping rule and the dot
/// products, all O(n + m) host work) and the O(n m) pair work. The CPU backend is <see cref="CpuSinkhornSweeps{T, TWidths, TCost}"/>;
/// the GPU solver (KernelDsl.Gpu) does not plug in here, since this seam passes the potentials as host spans: it repeats
/// the schedule on device buffers and shares only <see cref="SinkhornStopping"/> (its tests hold it to this loop step for step).
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal interface ISinkhornSweeps<T> where T : unmanaged
{
    /// <summary>Per row i of <paramref name="rows"/>: <c>output[i] = log Σ_j exp(-c(r_i, s_j) / ε + h_j)</c> over every point s_j of <paramref name="columns"/>.</summary>
    void LogSumExp(SinkhornCloud rows, SinkhornCloud columns, double epsilon, ReadOnlySpan<T> h, Span<T> output);

    /// <summary>
    /// As <see cref="LogSumExp"/>, and <c>gradient[i, :] = scale · Σ_j p_ij (-1/ε) ∇_1 c(r_i, s_j)</c> (rows × d) with the
    /// softmax weights <c>p_ij = exp(-c_ij / ε + h_j - output_i)</c>; with a payload P (columns × p, <paramref name="p"/> &gt; 0)
    /// also <c>weighted[i, :] = Σ_j p_ij P[j, :]</c>. With a payload the gradient may be empty: then it is neither computed
    /// nor written (the lazy plan asks for the payload alone).
    /// </summary>
    void LogSumExpWithGradient(SinkhornCloud rows, SinkhornCloud columns, double epsilon, ReadOnlySpan<T> h, Span<T> output, double scale, Span<T> gradient,
        ReadOnlySpan<T> payload, int p, Span<T> weighted);
}

/// <summary>
/// The CPU backend of <see cref="ISinkhornSweeps{T}"/>: each sweep is one tiled pair sweep of the engine
/// (<see cref="PairSweepCore{T, TWidths}"/>, the code behind <see cref="PairSweep.RowLogSumExp{TTerm}(in TTerm, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float})"/>
/// and <c>RowLogSumExpWithGradient</c>) with the cost wrapped as <see cref="SoftminTerm{T, TCost}"/>. Self problems sweep a
/// cloud against itself as columns of another set (every j, i included).
/// </summary>
internal readonly ref struct CpuSinkhornSweeps<T, TWidths, TCost> : ISinkhornSweeps<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TWidths : struct, IPairWidths<T>
    where TCost : struct, IPairTerm<T>
{
    private readonly TCost _cost;
    private readonly ReadOnlySpan<T> _x, _y;
    private readonly int _d;

    /// <summary>The backend for the clouds <paramref name="x"/> (n × d) and <paramref name="y"/> (m × d) under <paramref name="cost"/>.</summary>
    public CpuSinkhornSweeps(in TCost cost, ReadOnlySpan<T> x, ReadOnlySpan<T> y, int d)
    {
        _cost = cost;
        _x = x;
        _y = y;
        _d = d;
    }

    private ReadOnlySpan<T> Cloud(SinkhornCloud cloud) => cloud == SinkhornCloud.X ? _x : _y;

    /// <inheritdoc/>
    public void LogSumExp(SinkhornCloud rows, SinkhornCloud columns, double epsilon, ReadOnlySpan<T> h, Span<T> output) =>
        PairSweepCore<T, TWidths>.Run(new SoftminTerm<T, TCost>(in _cost, epsilon), Cloud(rows), default, _d,
            new PairSweepCore<T, TWidths>.Columns(Cloud(columns), h, PairColumns.Cross, 0.0), default, 1, PairReduction.RowLogSumExp, default, output);

    /// <inheritdoc/>
    public void LogSumExpWithGradient(SinkhornCloud rows, SinkhornCloud columns, double epsilon, ReadOnlySpan<T> h, Span<T> output, double scale, Span<T> gradient,
        ReadOnlySpan<T> payload, int p, Span<T> weighted) =>
        PairSweepCore<T, TWidths>.Run(new SoftminTerm<T, TCost>(in _cost, epsilon), Cloud(rows), default, _d,
            new PairSweepCore<T, TWidths>.Columns(Cloud(columns), h, PairColumns.Cross, scale), default, 1, PairReduction.RowSoftmax, gradient, output,
            payload, p, weighted);
}
