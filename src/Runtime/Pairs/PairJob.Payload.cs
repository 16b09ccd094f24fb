using System.Runtime.CompilerServices;

namespace KernelDsl.Runtime;

/// <summary>
/// The payload reduction of a sweep (<see cref="PairReduction.RowPayload"/>): per row i and payload column c,
/// <c>Σ_j b_j φ(f_ij) P[j, c]</c>, with P a companion of the column points (y itself, or m rows of p values), packed in
/// the same tiles. It is the gradient path's <c>Σ_j s_ij y_j</c> (<see cref="GradientDots"/>) with the weighted values
/// <c>b_j φ(f_ij)</c> in place of the slopes and P in place of y.
/// </summary>
internal unsafe partial struct PairJob<T, TTerm>
{
    /// <summary>Σ_j b_j φ(f_ij) P[j, :] of four rows over one tile, added to <paramref name="rowOut"/> (p per row).</summary>
    private readonly void BlockPayload<TVec, V>(in PairGroup<T> group, int t, int ib, int nb, double* rowOut, T* features)
        where TVec : struct where V : struct, IVectorOps<V, TVec, T>
    {
        int d = D, c = V.Count;
        T* tile = Tile(in group, t, d, out int first, out int count, out int width);
        T* weights = tile + (nint)d * width;
        T* payload = Payload + (long)first * (PayloadWidth + 1);
        BlockRows(ib, nb, out T* x0, out T* x1, out T* x2, out T* x3);
        FeatureBlock<TVec, V>(tile, width, 0, count, d, x0, x1, x2, x3, features);
        TTerm term = Term;
        for (int r = 0; r < nb; r++)
        {
            T* f = features + (nint)r * width;
            int i = ib + r;
            for (int jj = 0; jj < count; jj += c)
            {
                TVec wv = V.Mul(V.Load(ref *weights, jj), term.Value<TVec, PairSimd<V, TVec, T>>(V.Load(ref *f, jj)));
                if (NeedsMask(jj, c, count, first + jj, i, group.Columns, false))
                    wv = Masked<TVec, V>(LaneFactor<TVec, V>(first + jj, i, group.Count, group.Columns, false), wv);
                V.Store(wv, ref *f, jj);
            }
        }
        PayloadDots<TVec, V>(payload, width, count, PayloadWidth, nb, features, rowOut);
    }

    /// <summary>
    /// Σ_j v_rj P[j, c] over one tile for the four rows of a block (weighted values v in the buffer) and every payload
    /// column c, added to <paramref name="rowOut"/> (p per row; rows past <paramref name="nb"/> are not written).
    /// Register-blocked over four rows and two columns, as <see cref="GradientDots"/>.
    /// </summary>
    private static void PayloadDots<TVec, V>(T* payload, int width, int count, int p, int nb, T* values, double* rowOut)
        where TVec : struct where V : struct, IVectorOps<V, TVec, T>
    {
        int c = V.Count;
        T* s0 = values, s1 = values + width, s2 = values + 2 * width, s3 = values + 3 * width;
        int k = 0;
        for (; k + 2 <= p; k += 2)
        {
            T* pa = payload + (nint)k * width, pb = pa + width;
            TVec ga0 = V.Zero, ga1 = V.Zero, ga2 = V.Zero, ga3 = V.Zero, gb0 = V.Zero, gb1 = V.Zero, gb2 = V.Zero, gb3 = V.Zero;
            for (int jj = 0; jj < count; jj += c)
            {
                TVec ykA = V.Load(ref *pa, jj), ykB = V.Load(ref *pb, jj);
                TVec w0 = V.Load(ref *s0, jj), w1 = V.Load(ref *s1, jj), w2 = V.Load(ref *s2, jj), w3 = V.Load(ref *s3, jj);
                ga0 = V.MultiplyAdd(w0, ykA, ga0);
                ga1 = V.MultiplyAdd(w1, ykA, ga1);
                ga2 = V.MultiplyAdd(w2, ykA, ga2);
                ga3 = V.MultiplyAdd(w3, ykA, ga3);
                gb0 = V.MultiplyAdd(w0, ykB, gb0);
                gb1 = V.MultiplyAdd(w1, ykB, gb1);
                gb2 = V.MultiplyAdd(w2, ykB, gb2);
                gb3 = V.MultiplyAdd(w3, ykB, gb3);
            }
            AddGradient<TVec, V>(rowOut, p, k, nb, 1.0, ga0, ga1, ga2, ga3);
            AddGradient<TVec, V>(rowOut, p, k + 1, nb, 1.0, gb0, gb1, gb2, gb3);
        }
        for (; k < p; k++)
        {
            T* py = payload + (nint)k * width;
            TVec g0 = V.Zero, g1 = V.Zero, g2 = V.Zero, g3 = V.Zero;
            for (int jj = 0; jj < count; jj += c)
            {
                TVec yk = V.Load(ref *py, jj);
                g0 = V.MultiplyAdd(V.Load(ref *s0, jj), yk, g0);
                g1 = V.MultiplyAdd(V.Load(ref *s1, jj), yk, g1);
                g2 = V.MultiplyAdd(V.Load(ref *s2, jj), yk, g2);
                g3 = V.MultiplyAdd(V.Load(ref *s3, jj), yk, g3);
            }
            AddGradient<TVec, V>(rowOut, p, k, nb, 1.0, g0, g1, g2, g3);
        }
    }

    /// <summary>Writes a chunk's payload rows (p per row) from the scratch at <paramref name="sums"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void FinishPayload(int i0, int rows, double* sums)
    {
        int p = PayloadWidth;
        for (int r = 0; r < rows; r++)
        {
            T* dst = RowOut + (long)(i0 + r) * p;
            for (int k = 0; k < p; k++) dst[k] = T.CreateTruncating(sums[r * p + k]);
        }
    }
}
