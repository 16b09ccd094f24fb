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
