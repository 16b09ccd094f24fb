using System;
using System.Runtime.CompilerServices;

namespace KernelDsl.Runtime;

/// <summary>
/// The blocks of a sweep: four rows against one tile. First the pair features of the four rows, register-blocked (each
/// column vector loaded once for four rows, no call and no branch inside), into a small buffer that stays in L1; then,
/// one row at a time, the pair term over the buffer and the row's reduction. The split keeps the term (whose exponential
/// has a cold call inside) out of the register-blocked loop, where every live vector would be spilled around that call.
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
                TVec wv = V.Mul(V.Load(ref *weights, jj), term.Value<TVec, V>(V.Load(ref *f, jj)));
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
    /// The weighted slopes b_j φ'(f_ij) replace the features in the buffer; then each (row, k) is one streaming dot product
    /// over the tile. For the squared distance it sums b_j φ' (x_i - y_j) directly, not φ'·x_i - Σ φ' y_j, which would cancel.
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
        double scale = group.GradientScale;
        for (int r = 0; r < nb; r++)
        {
            T* f = features + (nint)r * width;
            int i = ib + r;
            TVec acc = V.Zero;
            for (int jj = 0; jj < count; jj += c)
            {
                TVec w = V.Load(ref *weights, jj);
                TVec v = term.ValueAndSlope<TVec, V>(V.Load(ref *f, jj), out TVec slope);
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
            T* xr = r == 0 ? x0 : r == 1 ? x1 : r == 2 ? x2 : x3;
            for (int k = 0; k < d; k++)
            {
                T* y = tile + (nint)k * width;
                TVec xk = V.Broadcast(xr[k]), g = V.Zero;
                for (int jj = 0; jj < count; jj += c)
                {
                    TVec yk = V.Load(ref *y, jj);
                    g = V.MultiplyAdd(V.Load(ref *f, jj), TTerm.Feature == PairFeature.SquaredDistance ? V.Sub(xk, yk) : yk, g);
                }
                rowGrad[r * d + k] += scale * V.SumToDouble(g);
            }
        }
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
                TVec z = V.Add(term.Value<TVec, V>(V.Load(ref *f, jj)), V.Load(ref *offsets, jj));
                if (NeedsMask(jj, c, count, first + jj, i, group.Columns, false))
                    z = V.Select(V.GreaterThan(LaneFactor<TVec, V>(first + jj, i, group.Count, group.Columns, false), V.Zero), z, minusInf);
                V.LseAccumulate(ref max, ref sum, z);
            }
            V.LseCombine(max, sum, ref rowMax[r], ref rowSum[r]);
        }
    }
}
