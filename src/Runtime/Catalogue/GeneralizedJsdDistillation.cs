using System;
using KernelDsl.Runtime;

#if KERNELDSL_GPU
namespace KernelDsl.Gpu.Catalogue; // the catalogue compiled into KernelDsl.Gpu, with its Gpu classes
#else
namespace KernelDsl.Catalogue;
#endif

/// <summary>
/// The generalized JSD of GKD normalised by β(1 - β): JSD_β(P, Q) / (β (1 - β)) with M = β P + (1 - β) Q, P = softmax(t),
/// Q = softmax(s). Divided this way it tends to the forward KL(P || Q) as β → 0 and to the reverse KL(Q || P) as β → 1
/// (the β² term of KL(Q || M) vanishes faster than β), so one parameter moves continuously from forward to reverse KL.
/// At exactly β = 0 and β = 1 the formula is 0/0 in floating point, so those two points run the KL kernels, which are its
/// limits; in between, the generated kernel of <see cref="NormalizedGeneralizedJsd"/>.
/// </summary>
public static class GeneralizedJsdDistillation
{
    /// <summary>Per-row values of row-major logits, reduced across rows, and the gradients (see <see cref="DistillationKl.RowsAndGradient(ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float}, RowReduction, Span{float}, Span{float}, float, Span{float}, ReadOnlySpan{float}, bool)"/>).</summary>
    /// <param name="t">Teacher logits, row-major.</param>
    /// <param name="s">Student logits, row-major.</param>
    /// <param name="rowLength">The vocabulary size.</param>
    /// <param name="perRow">Receives each row's value; empty to skip.</param>
    /// <param name="reduction">How rows are combined.</param>
    /// <param name="dt">Receives the gradient with respect to t; empty to skip.</param>
    /// <param name="ds">Receives the gradient with respect to s; empty to skip.</param>
    /// <param name="beta">β in [0, 1]: 0 is forward KL(P || Q), 1 is reverse KL(Q || P).</param>
    /// <param name="upstream">Optional, one per row: scales each row's gradient.</param>
    /// <returns>The reduced value.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="beta"/> is not in [0, 1].</exception>
    public static float RowsAndGradient(ReadOnlySpan<float> t, ReadOnlySpan<float> s, int rowLength, Span<float> perRow,
        RowReduction reduction, Span<float> dt, Span<float> ds, float beta, ReadOnlySpan<float> upstream = default)
    {
        CheckBeta(beta);
        if (beta == 0) return DistillationKl.RowsAndGradient(t, s, rowLength, perRow, reduction, dt, ds, 1f, default, upstream);
        if (beta == 1) return ReverseDistillationKl.RowsAndGradient(t, s, rowLength, perRow, reduction, dt, ds, 1f, default, upstream);
        return NormalizedGeneralizedJsd.RowsAndGradient(t, s, rowLength, perRow, reduction, dt, ds, beta, default, upstream);
    }

    /// <inheritdoc cref="RowsAndGradient(ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float}, RowReduction, Span{float}, Span{float}, float, ReadOnlySpan{float})"/>
    public static double RowsAndGradient(ReadOnlySpan<double> t, ReadOnlySpan<double> s, int rowLength, Span<double> perRow,
        RowReduction reduction, Span<double> dt, Span<double> ds, double beta, ReadOnlySpan<double> upstream = default)
    {
        CheckBeta(beta);
        if (beta == 0) return DistillationKl.RowsAndGradient(t, s, rowLength, perRow, reduction, dt, ds, 1.0, default, upstream);
        if (beta == 1) return ReverseDistillationKl.RowsAndGradient(t, s, rowLength, perRow, reduction, dt, ds, 1.0, default, upstream);
        return NormalizedGeneralizedJsd.RowsAndGradient(t, s, rowLength, perRow, reduction, dt, ds, beta, default, upstream);
    }

    /// <summary>Per-row values of row-major logits, reduced across rows.</summary>
    /// <param name="t">Teacher logits, row-major.</param>
    /// <param name="s">Student logits, row-major.</param>
    /// <param name="rowLength">The vocabulary size.</param>
    /// <param name="perRow">Receives each row's value; empty to skip.</param>
    /// <param name="reduction">How rows are combined.</param>
    /// <param name="beta">β in [0, 1]: 0 is forward KL(P || Q), 1 is reverse KL(Q || P).</param>
    /// <returns>The reduced value.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="beta"/> is not in [0, 1].</exception>
    public static double Rows(ReadOnlySpan<double> t, ReadOnlySpan<double> s, int rowLength, Span<double> perRow, RowReduction reduction, double beta)
    {
        CheckBeta(beta);
        if (beta == 0) return DistillationKl.Rows(t, s, rowLength, perRow, reduction, 1.0);
        if (beta == 1) return ReverseDistillationKl.Rows(t, s, rowLength, perRow, reduction, 1.0);
        return NormalizedGeneralizedJsd.Rows(t, s, rowLength, perRow, reduction, beta);
    }

    private static void CheckBeta(double beta)
    {
        if (!(beta >= 0 && beta <= 1)) throw new ArgumentOutOfRangeException(nameof(beta), beta, "beta must be in [0, 1].");
    }
}

/// <summary>JSD_β / (β (1 - β)) on logits for 0 &lt; β &lt; 1; use <see cref="GeneralizedJsdDistillation"/>, which also covers β = 0 and 1.</summary>
[Loss("(t, s; beta) => sum(rel_entr(softmax(t), beta * softmax(t) + (1 - beta) * softmax(s))) / (1 - beta) + sum(rel_entr(softmax(s), beta * softmax(t) + (1 - beta) * softmax(s))) / beta", Precision = KernelPrecision.Both)]
public static partial class NormalizedGeneralizedJsd;
