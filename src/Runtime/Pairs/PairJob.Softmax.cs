using System;
using System.Runtime.CompilerServices;

namespace KernelDsl.Runtime;

/// <summary>
/// The softmax reduction of a sweep (<see cref="PairReduction.RowSoftmax"/>): per row i, with <c>z_ij = φ(f_ij) + h_j</c>,
/// the log-sum-exp <c>L_i = log Σ_j e^(z_ij)</c>, the softmax-weighted gradient <c>Σ_j p_ij φ'(f_ij) ∂f_ij/∂x_i</c> and,
/// when a payload P is given, <c>Σ_j p_ij P[j, :]</c>, where <c>p_ij = e^(z_ij - L_i)</c>. One pass over the pairs: each
/// tile is reduced relative to its own maximum (its weights are at most 1, so nothing overflows), and the tile's
/// (maximum, sum, weighted sums) are merged into the row's running state with one rescale, as the value-only
/// log-sum-exp merges its lanes (<see cref="LogSumExp.Combine"/>). The sum leaves out the 1 of one maximal term, as there.
/// Without <see cref="Gradient"/> (a payload alone) the gradient sums are neither computed nor written.
/// </summary>
internal unsafe partial struct PairJob<T, TTerm>
{
    /// <summary>
    /// The doubles of a chunk's scratch for <see cref="PairReduction.RowSoftmax"/>: per row the maximum, the sum, d gradient
    /// sums and p payload sums (in that order, blocks of <paramref name="rows"/>), then one block's tile state.
    /// </summary>
    private readonly int SoftmaxDoubles(int rows) => rows * (2 + D + PayloadWidth) + 8 + 4 * (D + PayloadWidth);

    /// <summary>
    /// Four rows against one tile: the tile's maximum, sum (less one maximal term's 1), gradient and payload sums relative
    /// to that maximum, merged into the rows' state in <paramref name="dbl"/> (the chunk's scratch; the block's first row
    /// is row <paramref name="r0"/> of the chunk's <paramref name="rows"/>). The buffer holds the features, then z, then
    /// the weights e^(z - max); the second buffer (after four rows of the first) the slopes, then the weighted slopes.
    /// </summary>
    private readonly void BlockSoftmax<TVec, V>(in PairGroup<T> group, int t, int ib, int nb, int rows, int r0, double* dbl, T* features)
        where TVec : struct where V : struct, IVectorOps<V, TVec, T>
    {
        int d = D, c = V.Count, p = PayloadWidth;
        T* tile = Tile(in group, t, d, out int first, out int count, out int width);
        T* offsets = tile + (nint)d * width;
        T* slopes = features + 4 * (nint)width;
        double* tileMax = dbl + rows * (2 + d + p), tileSum = tileMax + 4, tileGrad = tileSum + 4, tilePayload = tileGrad + 4 * d;
        new Span<double>(tileGrad, 4 * (d + p)).Clear();
        BlockRows(ib, nb, out T* x0, out T* x1, out T* x2, out T* x3);
        FeatureBlock<TVec, V>(tile, width, 0, count, d, x0, x1, x2, x3, features);
        TTerm term = Term;
        TVec minusInf = V.C(double.NegativeInfinity), one = V.C(1.0);
        TVec cut = V.C(typeof(T) == typeof(float) ? -86.5 : -708.0);
        for (int r = 0; r < nb; r++)
        {
            T* f = features + (nint)r * width, s = slopes + (nint)r * width;
            TVec max = minusInf, nan = V.Zero;
            for (int jj = 0; jj < count; jj += c)
            {
                TVec z = V.Add(term.ValueAndSlope<TVec, PairSimd<V, TVec, T>>(V.Load(ref *f, jj), out TVec slope), V.Load(ref *offsets, jj));
                if (jj + c > count) z = V.Select(V.LessThan(V.Indices(first + jj), V.C(group.Count)), z, minusInf);
                nan = V.Add(nan, V.Select(V.IsNaN(z), one, V.Zero));
                max = V.Max(max, z);
                V.Store(z, ref *f, jj);
                V.Store(slope, ref *s, jj);
            }
            T m = V.MaxAcross(max);
            double mt = double.CreateTruncating(m);
            if (V.SumToDouble(nan) > 0) mt = double.NaN;
            tileMax[r] = mt;
            if (double.IsNaN(mt) || mt == double.NegativeInfinity) continue; // merged as NaN, or as nothing
            TVec top = V.Broadcast(m), sum = V.Zero, ties = V.Zero;
            for (int jj = 0; jj < count; jj += c)
            {
                TVec z = V.Load(ref *f, jj);
                TVec isTop = V.Equal(z, top);
                TVec dz = V.AndNot(V.Sub(z, top), isTop);
                TVec e = V.AndNot(ExpNormalRange<TVec, V>(dz), V.LessThan(dz, cut));
                TVec w = V.Select(V.GreaterThan(e, V.Zero), V.Mul(e, V.Load(ref *s, jj)), V.Zero);
                sum = V.Add(sum, V.AndNot(e, isTop));
                ties = V.Add(ties, V.Select(isTop, one, V.Zero));
                V.Store(e, ref *f, jj);
                V.Store(w, ref *s, jj);
            }
            tileSum[r] = V.SumToDouble(sum) + (V.SumToDouble(ties) - 1.0);
        }
        if (Gradient) GradientDots<TVec, V>(tile, width, count, d, nb, x0, x1, x2, x3, slopes, group.GradientScale, tileGrad);
        if (p > 0) PayloadDots<TVec, V>(Payload + (long)first * (p + 1), width, count, p, nb, features, tilePayload);
        for (int r = 0; r < nb; r++)
        {
            int row = r0 + r;
            MergeSoftmax(ref dbl[row], ref dbl[rows + row], dbl + 2 * rows + (nint)row * d, dbl + rows * (2 + d) + (nint)row * p, d, p,
                tileMax[r], tileSum[r], tileGrad + r * d, tilePayload + r * p);
        }
    }

    /// <summary>e^x for x ≤ 0 on the normal range (below it the caller masks the result to 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec ExpNormalRange<TVec, V>(TVec x) where TVec : struct where V : struct, IVectorOps<V, TVec, T> =>
        typeof(T) == typeof(float) ? FloatMath<V, TVec, T>.ExpNormalRange(x) : DoubleMath<V, TVec, T>.ExpNormalRange(x);

    /// <summary>
    /// Merges a tile's state (maximum <paramref name="mt"/>, sum <paramref name="st"/>, gradient sums <paramref name="gt"/>
    /// and payload sums <paramref name="pt"/>, all relative to mt) into a row's running state (m, s, g, q relative to m),
    /// rescaling the side with the smaller maximum. NaN anywhere makes the whole row NaN.
    /// </summary>
    private static void MergeSoftmax(ref double m, ref double s, double* g, double* q, int d, int p, double mt, double st, double* gt, double* pt)
    {
        if (double.IsNaN(mt) || double.IsNaN(st) || double.IsNaN(m))
        {
            m = s = double.NaN;
            for (int k = 0; k < d; k++) g[k] = double.NaN;
            for (int k = 0; k < p; k++) q[k] = double.NaN;
            return;
        }
        if (mt == double.NegativeInfinity) return; // the tile has no term
        if (m == double.NegativeInfinity)
        {
            m = mt;
            s = st;
            for (int k = 0; k < d; k++) g[k] = gt[k];
            for (int k = 0; k < p; k++) q[k] = pt[k];
            return;
        }
        double keep = 1.0, add = 1.0; // equal maxima (+inf included): no rescale, one more maximal term
        if (mt > m) keep = Math.Exp(m - mt);
        else if (mt < m) add = Math.Exp(mt - m);
        s = mt > m ? st + (s + 1.0) * keep : s + (st + 1.0) * add;
        m = Math.Max(m, mt);
        for (int k = 0; k < d; k++) g[k] = g[k] * keep + gt[k] * add;
        for (int k = 0; k < p; k++) q[k] = q[k] * keep + pt[k] * add;
    }

    /// <summary>
    /// Writes a chunk's rows: <c>L_i = m + log1p(s)</c>, and the gradient (when asked) and payload sums divided by <c>s + 1</c> (the sum
    /// of e^(z - m) with the maximal term's 1): the softmax weights p_ij. A row without terms (every z = -inf) gets -inf
    /// and zeros.
    /// </summary>
    private readonly void FinishSoftmax(int i0, int rows, double* dbl)
    {
        int d = D, p = PayloadWidth;
        for (int r = 0; r < rows; r++)
        {
            double m = dbl[r], s = dbl[rows + r];
            RowOut[i0 + r] = T.CreateTruncating(LogSumExp.Finish(m, s));
            double inverse = m == double.NegativeInfinity ? 0.0 : 1.0 / (s + 1.0);
            if (Gradient)
            {
                double* g = dbl + 2 * rows + (nint)r * d;
                T* dst = Grad + (long)(i0 + r) * d;
                for (int k = 0; k < d; k++) dst[k] = T.CreateTruncating(g[k] * inverse);
            }
            if (p == 0) continue;
            double* q = dbl + rows * (2 + d) + (nint)r * p;
            T* into = PayloadOut + (long)(i0 + r) * p;
            for (int k = 0; k < p; k++) into[k] = T.CreateTruncating(q[k] * inverse);
        }
    }
}
