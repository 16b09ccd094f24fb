using System;
using System.Runtime.CompilerServices;

namespace KernelDsl.Runtime;

/// <summary>
/// The blocks of a sweep: four rows against one tile. First the pair features of the four rows, register-blocked (each
/// column vector loaded once for four rows, no call and no branch inside), into a small buffer that stays in L1; then,
/// one row at a time, the pair term over the buffer and the row's reduction. The term runs on <see cref="PairSimd{V, TVec, T}"/>,
/// whose exponential has no call inside (a call, even one not taken, makes the JIT spill every live vector around it).
/// </summary>
internal unsafe partial struct PairJob<T, TTerm>
{
    /// <summary>The features of rows x0..x3 against the columns [jStart, count) of a tile, to buffer rows 0..3 (stride width).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FeatureBlock<TVec, V>(T* tile, int width, int jStart, int count, int d, T* x0, T* x1, T* x2, T* x3, T* features)
        where TVec : struct where V : struct, IVectorOps<V, TVec, T>
    {
        for (int jj = jStart; jj < count; jj += V.Count)
        {
            TVec f0 = V.Zero, f1 = V.Zero, f2 = V.Zero, f3 = V.Zero;
            for (int k = 0; k < d; k++)
            {
                TVec y = V.Load(ref *(tile + (nint)k * width), jj);
                if (TTerm.Feature == PairFeature.SquaredDistance)
                {
                    TVec e0 = V.Sub(V.Broadcast(x0[k]), y), e1 = V.Sub(V.Broadcast(x1[k]), y);
                    TVec e2 = V.Sub(V.Broadcast(x2[k]), y), e3 = V.Sub(V.Broadcast(x3[k]), y);
                    f0 = V.MultiplyAdd(e0, e0, f0);
                    f1 = V.MultiplyAdd(e1, e1, f1);
                    f2 = V.MultiplyAdd(e2, e2, f2);
                    f3 = V.MultiplyAdd(e3, e3, f3);
                }
                else
                {
                    f0 = V.MultiplyAdd(V.Broadcast(x0[k]), y, f0);
                    f1 = V.MultiplyAdd(V.Broadcast(x1[k]), y, f1);
                    f2 = V.MultiplyAdd(V.Broadcast(x2[k]), y, f2);
                    f3 = V.MultiplyAdd(V.Broadcast(x3[k]), y, f3);
                }
            }
            V.Store(f0, ref *features, jj);
            V.Store(f1, ref *(features + width), jj);
            V.Store(f2, ref *(features + 2 * width), jj);
            V.Store(f3, ref *(features + 3 * width), jj);
        }
    }

    /// <summary>Rows ib..ib+nb-1 of x (rows past nb repeat the last one; their results are not used).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void BlockRows(int ib, int nb, out T* x0, out T* x1, out T* x2, out T* x3)
    {
        x0 = X + (nint)ib * D;
        x1 = X + (nint)(ib + Math.Min(1, nb - 1)) * D;
        x2 = X + (nint)(ib + Math.Min(2, nb - 1)) * D;
        x3 = X + (nint)(ib + Math.Min(3, nb - 1)) * D;
    }

    /// <summary>The geometry of tile <paramref name="t"/> of a group: its first column, its column count, its padded width and its data.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T* Tile(in PairGroup<T> group, int t, int d, out int first, out int count, out int width)
    {
        first = t * group.TileWidth;
        count = Math.Min(group.TileWidth, group.Count - first);
        width = PairPacking.PaddedWidth(group.Count, group.TileWidth, t);
        return group.Packed + (long)first * (d + 1);
    }

    /// <summary>Whether the vector of columns [j, j + c) needs a lane mask for row <paramref name="i"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool NeedsMask(int jj, int c, int tileCount, int j, int i, PairColumns columns, bool half) =>
        jj + c > tileCount
        || (half && j <= i)
        || (columns == PairColumns.SelfOffDiagonal && j <= i && j + c > i);

    /// <summary>Σ_j b_j φ(f_ij) of four rows over one tile, added to <paramref name="rowValue"/> (stride 1).</summary>
    private readonly void BlockValue<TVec, V>(in PairGroup<T> group, int t, int ib, int nb, double* rowValue, T* features)
        where TVec : struct where V : struct, IVectorOps<V, TVec, T>
    {
        int d = D, c = V.Count;
        T* tile = Tile(in group, t, d, out int first, out int count, out int width);
        T* weights = tile + (nint)d * width;
        bool half = Half(in group);
        int jStart = 0;
        if (half)
        {
            int s = ib - first;
            if (s >= count) return; // the whole tile lies before the block: pairs j < i are the other half
            jStart = Math.Max(0, s) / c * c;
        }
        BlockRows(ib, nb, out T* x0, out T* x1, out T* x2, out T* x3);
        FeatureBlock<TVec, V>(tile, width, jStart, count, d, x0, x1, x2, x3, features);
        TTerm term = Term;
        for (int r = 0; r < nb; r++)
        {
            T* f = features + (nint)r * width;
            int i = ib + r;
            TVec acc = V.Zero;
            for (int jj = jStart; jj < count; jj += c)
            {
                TVec wv = V.Mul(V.Load(ref *weights, jj), term.Value<TVec, PairSimd<V, TVec, T>>(V.Load(ref *f, jj)));
                acc = NeedsMask(jj, c, count, first + jj, i, group.Columns, half)
                    ? V.Add(acc, Masked<TVec, V>(LaneFactor<TVec, V>(first + jj, i, group.Count, group.Columns, half), wv))
                    : V.Add(acc, wv);
            }
            rowValue[r] += V.SumToDouble(acc);
        }
    }

    /// <summary>
    /// Σ_j b_j φ(f_ij) and Σ_j b_j φ'(f_ij) ∂f_ij/∂x_i of four rows over one tile, in one pass over the pairs: the values
    /// go to <paramref name="rowValue"/>, the gradient sums (times the group's scale) to <paramref name="rowGrad"/> (d per row).
    /// The weighted slopes b_j φ'(f_ij) replace the features in the buffer for <see cref="GradientDots"/>. For the squared distance it sums b_j φ' (x_i - y_j) directly, not φ'·x_i - Σ φ' y_j, which would cancel.
    /// </summary>
    private readonly void BlockGradient<TVec, V>(in PairGroup<T> group, int t, int ib, int nb, double* rowValue, double* rowGrad, T* features)
        where TVec : struct where V : struct, IVectorOps<V, TVec, T>
    {
        int d = D, c = V.Count;
        T* tile = Tile(in group, t, d, out int first, out int count, out int width);
        T* weights = tile + (nint)d * width;
        BlockRows(ib, nb, out T* x0, out T* x1, out T* x2, out T* x3);
        FeatureBlock<TVec, V>(tile, width, 0, count, d, x0, x1, x2, x3, features);
        TTerm term = Term;
        for (int r = 0; r < nb; r++)
        {
            T* f = features + (nint)r * width;
            int i = ib + r;
            TVec acc = V.Zero;
            for (int jj = 0; jj < count; jj += c)
            {
                TVec w = V.Load(ref *weights, jj);
                TVec v = term.ValueAndSlope<TVec, PairSimd<V, TVec, T>>(V.Load(ref *f, jj), out TVec slope);
                TVec wv = V.Mul(w, v), ws = V.Mul(w, slope);
                if (NeedsMask(jj, c, count, first + jj, i, group.Columns, false))
                {
                    TVec q = LaneFactor<TVec, V>(first + jj, i, group.Count, group.Columns, false);
                    wv = Masked<TVec, V>(q, wv);
                    ws = Masked<TVec, V>(q, ws);
                }
                acc = V.Add(acc, wv);
                V.Store(ws, ref *f, jj);
            }
            rowValue[r] += V.SumToDouble(acc);
        }
        GradientDots<TVec, V>(tile, width, count, d, nb, x0, x1, x2, x3, features, group.GradientScale, rowGrad);
    }

    /// <summary>
    /// Σ_j s_rj ∂f/∂x_rk over one tile for the four rows of a block (slopes s in the buffer) and every k, added times
    /// <paramref name="scale"/> to <paramref name="rowGrad"/> (d per row; rows past <paramref name="nb"/> are not written).
    /// Register-blocked over four rows and two k: each vector of feature rows k, k + 1 and each vector of the four slope rows
    /// is loaded once for eight products, so the loop is bound by the arithmetic, not by two loads per multiply-add.
    /// </summary>
    private static void GradientDots<TVec, V>(T* tile, int width, int count, int d, int nb, T* x0, T* x1, T* x2, T* x3, T* slopes,
        double scale, double* rowGrad)
        where TVec : struct where V : struct, IVectorOps<V, TVec, T>
    {
        int c = V.Count;
        T* s0 = slopes, s1 = slopes + width, s2 = slopes + 2 * width, s3 = slopes + 3 * width;
        bool distance = TTerm.Feature == PairFeature.SquaredDistance;
        int k = 0;
        for (; k + 2 <= d; k += 2)
        {
            T* ya = tile + (nint)k * width, yb = ya + width;
            TVec a0 = V.Broadcast(x0[k]), a1 = V.Broadcast(x1[k]), a2 = V.Broadcast(x2[k]), a3 = V.Broadcast(x3[k]);
            TVec b0 = V.Broadcast(x0[k + 1]), b1 = V.Broadcast(x1[k + 1]), b2 = V.Broadcast(x2[k + 1]), b3 = V.Broadcast(x3[k + 1]);
            TVec ga0 = V.Zero, ga1 = V.Zero, ga2 = V.Zero, ga3 = V.Zero, gb0 = V.Zero, gb1 = V.Zero, gb2 = V.Zero, gb3 = V.Zero;
            for (int jj = 0; jj < count; jj += c)
            {
                TVec ykA = V.Load(ref *ya, jj), ykB = V.Load(ref *yb, jj);
                TVec w0 = V.Load(ref *s0, jj), w1 = V.Load(ref *s1, jj), w2 = V.Load(ref *s2, jj), w3 = V.Load(ref *s3, jj);
                if (distance)
                {
                    ga0 = V.MultiplyAdd(w0, V.Sub(a0, ykA), ga0);
                    ga1 = V.MultiplyAdd(w1, V.Sub(a1, ykA), ga1);
                    ga2 = V.MultiplyAdd(w2, V.Sub(a2, ykA), ga2);
                    ga3 = V.MultiplyAdd(w3, V.Sub(a3, ykA), ga3);
                    gb0 = V.MultiplyAdd(w0, V.Sub(b0, ykB), gb0);
                    gb1 = V.MultiplyAdd(w1, V.Sub(b1, ykB), gb1);
                    gb2 = V.MultiplyAdd(w2, V.Sub(b2, ykB), gb2);
                    gb3 = V.MultiplyAdd(w3, V.Sub(b3, ykB), gb3);
                }
                else
                {
                    ga0 = V.MultiplyAdd(w0, ykA, ga0);
                    ga1 = V.MultiplyAdd(w1, ykA, ga1);
                    ga2 = V.MultiplyAdd(w2, ykA, ga2);
                    ga3 = V.MultiplyAdd(w3, ykA, ga3);
                    gb0 = V.MultiplyAdd(w0, ykB, gb0);
                    gb1 = V.MultiplyAdd(w1, ykB, gb1);
                    gb2 = V.MultiplyAdd(w2, ykB, gb2);
                    gb3 = V.MultiplyAdd(w3, ykB, gb3);
                }
            }
            AddGradient<TVec, V>(rowGrad, d, k, nb, scale, ga0, ga1, ga2, ga3);
            AddGradient<TVec, V>(rowGrad, d, k + 1, nb, scale, gb0, gb1, gb2, gb3);
        }
        for (; k < d; k++)
        {
            T* y = tile + (nint)k * width;
            TVec a0 = V.Broadcast(x0[k]), a1 = V.Broadcast(x1[k]), a2 = V.Broadcast(x2[k]), a3 = V.Broadcast(x3[k]);
            TVec g0 = V.Zero, g1 = V.Zero, g2 = V.Zero, g3 = V.Zero;
            for (int jj = 0; jj < count; jj += c)
            {
                TVec yk = V.Load(ref *y, jj);
                g0 = V.MultiplyAdd(V.Load(ref *s0, jj), distance ? V.Sub(a0, yk) : yk, g0);
                g1 = V.MultiplyAdd(V.Load(ref *s1, jj), distance ? V.Sub(a1, yk) : yk, g1);
                g2 = V.MultiplyAdd(V.Load(ref *s2, jj), distance ? V.Sub(a2, yk) : yk, g2);
                g3 = V.MultiplyAdd(V.Load(ref *s3, jj), distance ? V.Sub(a3, yk) : yk, g3);
            }
            AddGradient<TVec, V>(rowGrad, d, k, nb, scale, g0, g1, g2, g3);
        }
    }

    /// <summary>Adds the lane sums of four rows' accumulators for feature <paramref name="k"/>, times the scale, to rows 0..nb-1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddGradient<TVec, V>(double* rowGrad, int d, int k, int nb, double scale, TVec g0, TVec g1, TVec g2, TVec g3)
        where TVec : struct where V : struct, IVectorOps<V, TVec, T>
    {
        rowGrad[k] += scale * V.SumToDouble(g0);
        if (nb > 1) rowGrad[d + k] += scale * V.SumToDouble(g1);
        if (nb > 2) rowGrad[2 * d + k] += scale * V.SumToDouble(g2);
        if (nb > 3) rowGrad[3 * d + k] += scale * V.SumToDouble(g3);
    }

    /// <summary>The online log Σ_j exp(φ(f_ij) + h_j) of four rows over one tile, merged into (max, sum) per row.</summary>
    private readonly void BlockLse<TVec, V>(in PairGroup<T> group, int t, int ib, int nb, double* rowMax, double* rowSum, T* features)
        where TVec : struct where V : struct, IVectorOps<V, TVec, T>
    {
        int d = D, c = V.Count;
        T* tile = Tile(in group, t, d, out int first, out int count, out int width);
        T* offsets = tile + (nint)d * width;
        BlockRows(ib, nb, out T* x0, out T* x1, out T* x2, out T* x3);
        FeatureBlock<TVec, V>(tile, width, 0, count, d, x0, x1, x2, x3, features);
        TTerm term = Term;
        TVec minusInf = V.C(double.NegativeInfinity);
        for (int r = 0; r < nb; r++)
        {
            T* f = features + (nint)r * width;
            int i = ib + r;
            TVec max = minusInf, sum = V.Zero;
            for (int jj = 0; jj < count; jj += c)
            {
                TVec z = V.Add(term.Value<TVec, PairSimd<V, TVec, T>>(V.Load(ref *f, jj)), V.Load(ref *offsets, jj));
                if (NeedsMask(jj, c, count, first + jj, i, group.Columns, false))
                    z = V.Select(V.GreaterThan(LaneFactor<TVec, V>(first + jj, i, group.Count, group.Columns, false), V.Zero), z, minusInf);
                V.LseAccumulate(ref max, ref sum, z);
            }
            V.LseCombine(max, sum, ref rowMax[r], ref rowSum[r]);
        }
    }
}
