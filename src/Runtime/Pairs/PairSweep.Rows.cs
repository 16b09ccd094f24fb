using System;

namespace KernelDsl.Runtime;

/// <content>Row sweeps for per-point fields: a value per row together with that row's gradient in its own point.</content>
public static partial class PairSweep
{
    /// <summary>
    /// Per row, in one sweep: <c>output[i] = Σ_j b_j φ(f(x_i, y_j))</c> and <c>gradX[i, :] = scale · Σ_j b_j φ'(f_ij) ∂f_ij/∂x_i</c>
    /// (n × d, written): the gradient of each row's sum in the row's own point, the columns held fixed (y may be x itself:
    /// every j, i included, is a column).
    /// </summary>
    public static void RowSumsWithGradient<TTerm>(in TTerm term, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, int d,
        Span<float> output, double scale, Span<float> gradX)
        where TTerm : struct, IPairTerm<float> =>
        PairSweepCore<float, PairWidthsF>.Run(in term, x, default, d, new PairSweepCore<float, PairWidthsF>.Columns(y, b, PairColumns.Cross, scale), default, 1,
            PairReduction.RowSums, NonEmpty(gradX, x), output);

    /// <inheritdoc cref="RowSumsWithGradient{TTerm}(in TTerm, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float}, double, Span{float})"/>
    public static void RowSumsWithGradient<TTerm>(in TTerm term, ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, int d,
        Span<double> output, double scale, Span<double> gradX)
        where TTerm : struct, IPairTerm<double> =>
        PairSweepCore<double, PairWidthsD>.Run(in term, x, default, d, new PairSweepCore<double, PairWidthsD>.Columns(y, b, PairColumns.Cross, scale), default, 1,
            PairReduction.RowSums, NonEmpty(gradX, x), output);

    /// <summary>
    /// Per row and payload column: <c>output[i, c] = Σ_j b_j φ(f(x_i, y_j)) P[j, c]</c>, with <paramref name="payload"/> P
    /// m × p row-major (y itself for <c>Σ_j k(x_i, y_j) y_j</c>, or a companion of y such as the scores of SVGD) and the
    /// output n × p. Tiled and SIMD as the gradient's <c>Σ_j φ' y_j</c>, chunks fixed by n (the same bits at any thread
    /// count), memory O((n + m)(d + p)).
    /// </summary>
    public static void RowPayloadSums<TTerm>(in TTerm term, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, int d,
        ReadOnlySpan<float> payload, int p, Span<float> output)
        where TTerm : struct, IPairTerm<float> =>
        PairSweepCore<float, PairWidthsF>.Run(in term, x, default, d, new PairSweepCore<float, PairWidthsF>.Columns(y, b, PairColumns.Cross, 0.0), default, 1,
            PairReduction.RowPayload, default, output, payload, p);

    /// <inheritdoc cref="RowPayloadSums{TTerm}(in TTerm, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, Span{float})"/>
    public static void RowPayloadSums<TTerm>(in TTerm term, ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, int d,
        ReadOnlySpan<double> payload, int p, Span<double> output)
        where TTerm : struct, IPairTerm<double> =>
        PairSweepCore<double, PairWidthsD>.Run(in term, x, default, d, new PairSweepCore<double, PairWidthsD>.Columns(y, b, PairColumns.Cross, 0.0), default, 1,
            PairReduction.RowPayload, default, output, payload, p);

    /// <summary>
    /// Per row, in one sweep over the pairs: <c>output[i] = L_i = log Σ_j exp(φ(f(x_i, y_j)) + h_j)</c> (h empty: 0) and
    /// <c>gradX[i, :] = scale · Σ_j p_ij φ'(f_ij) ∂f_ij/∂x_i</c> (n × d, written), with the softmax weights
    /// <c>p_ij = exp(φ(f_ij) + h_j - L_i)</c>: the gradient of each row's log-sum-exp in the row's own point, the columns
    /// held fixed. Streamed: each tile is reduced relative to its own maximum and merged into the row's running maximum,
    /// sum and gradient with one rescale, so nothing overflows and no n × m buffer is made; chunks fixed by n (the same
    /// bits at any thread count). With <c>φ = -c / ε</c> and <c>h = g / ε + log b</c> it is the gradient of Sinkhorn's
    /// softmin through fixed dual potentials (the envelope theorem).
    /// </summary>
    public static void RowLogSumExpWithGradient<TTerm>(in TTerm term, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> h, int d,
        Span<float> output, double scale, Span<float> gradX)
        where TTerm : struct, IPairTerm<float> =>
        PairSweepCore<float, PairWidthsF>.Run(in term, x, default, d, new PairSweepCore<float, PairWidthsF>.Columns(y, h, PairColumns.Cross, scale), default, 1,
            PairReduction.RowSoftmax, NonEmpty(gradX, x), output);

    /// <inheritdoc cref="RowLogSumExpWithGradient{TTerm}(in TTerm, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float}, double, Span{float})"/>
    public static void RowLogSumExpWithGradient<TTerm>(in TTerm term, ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> h, int d,
        Span<double> output, double scale, Span<double> gradX)
        where TTerm : struct, IPairTerm<double> =>
        PairSweepCore<double, PairWidthsD>.Run(in term, x, default, d, new PairSweepCore<double, PairWidthsD>.Columns(y, h, PairColumns.Cross, scale), default, 1,
            PairReduction.RowSoftmax, NonEmpty(gradX, x), output);

    /// <summary>
    /// As <see cref="RowLogSumExpWithGradient{TTerm}(in TTerm, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float}, double, Span{float})"/>,
    /// and in the same sweep the softmax-weighted payload <c>barycentric[i, c] = Σ_j p_ij P[j, c]</c>, with
    /// <paramref name="payload"/> P m × p row-major (y itself gives the barycentric map of the plan, Sinkhorn's
    /// <c>T(x_i)</c>) and <paramref name="barycentric"/> n × p.
    /// </summary>
    public static void RowLogSumExpWithGradient<TTerm>(in TTerm term, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> h, int d,
        Span<float> output, double scale, Span<float> gradX, ReadOnlySpan<float> payload, int p, Span<float> barycentric)
        where TTerm : struct, IPairTerm<float> =>
        PairSweepCore<float, PairWidthsF>.Run(in term, x, default, d, new PairSweepCore<float, PairWidthsF>.Columns(y, h, PairColumns.Cross, scale), default, 1,
            PairReduction.RowSoftmax, NonEmpty(gradX, x), output, payload, Positive(p), barycentric);

    /// <inheritdoc cref="RowLogSumExpWithGradient{TTerm}(in TTerm, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float}, double, Span{float}, ReadOnlySpan{float}, int, Span{float})"/>
    public static void RowLogSumExpWithGradient<TTerm>(in TTerm term, ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> h, int d,
        Span<double> output, double scale, Span<double> gradX, ReadOnlySpan<double> payload, int p, Span<double> barycentric)
        where TTerm : struct, IPairTerm<double> =>
        PairSweepCore<double, PairWidthsD>.Run(in term, x, default, d, new PairSweepCore<double, PairWidthsD>.Columns(y, h, PairColumns.Cross, scale), default, 1,
            PairReduction.RowSoftmax, NonEmpty(gradX, x), output, payload, Positive(p), barycentric);

    private static int Positive(int p) =>
        p < 1 ? throw new ArgumentOutOfRangeException(nameof(p), p, "A payload has at least one value per column point.") : p;

    /// <summary><c>into[j] = log w[j]</c> (the offsets of a weighted row log-sum-exp: <c>log Σ_j w_j e^z = log Σ_j e^(z + log w_j)</c>).</summary>
    public static void LogOf(ReadOnlySpan<float> w, Span<float> into)
    {
        if (into.Length != w.Length) throw Partials.OutputLength(nameof(into), into.Length, w.Length);
        for (int j = 0; j < w.Length; j++) into[j] = MathF.Log(w[j]);
    }

    /// <inheritdoc cref="LogOf(ReadOnlySpan{float}, Span{float})"/>
    public static void LogOf(ReadOnlySpan<double> w, Span<double> into)
    {
        if (into.Length != w.Length) throw Partials.OutputLength(nameof(into), into.Length, w.Length);
        for (int j = 0; j < w.Length; j++) into[j] = Math.Log(w[j]);
    }
}
