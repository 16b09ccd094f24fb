using System;
using System.Runtime.CompilerServices;

namespace KernelDsl.Runtime;

/// <summary>The register blocks of a sweep: four rows against one tile, for each reduction.</summary>
internal unsafe partial struct PairJob<T, TTerm>
{
    /// <summary>The pair features of four rows against the Count columns at <paramref name="jj"/> of a tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Features<TVec, V>(T* tile, int width, int jj, int d, T* x0, T* x1, T* x2, T* x3,
        out TVec f0, out TVec f1, out TVec f2, out TVec f3)
        where TVec : struct where V : struct, IVectorOps<TVec, T>
    {
        f0 = f1 = f2 = f3 = V.Zero;
        if (TTerm.Feature == PairFeature.SquaredDistance)
        {
            for (int k = 0; k < d; k++)
            {
                TVec y = V.Load(ref *(tile + (nint)k * width), jj);
                TVec e0 = V.Sub(V.Broadcast(x0[k]), y), e1 = V.Sub(V.Broadcast(x1[k]), y);
                TVec e2 = V.Sub(V.Broadcast(x2[k]), y), e3 = V.Sub(V.Broadcast(x3[k]), y);
                f0 = V.MultiplyAdd(e0, e0, f0);
                f1 = V.MultiplyAdd(e1, e1, f1);
                f2 = V.MultiplyAdd(e2, e2, f2);
                f3 = V.MultiplyAdd(e3, e3, f3);
            }
        }
        else
        {
            for (int k = 0; k < d; k++)
            {
                TVec y = V.Load(ref *(tile + (nint)k * width), jj);
                f0 = V.MultiplyAdd(V.Broadcast(x0[k]), y, f0);
                f1 = V.MultiplyAdd(V.Broadcast(x1[k]), y, f1);
                f2 = V.MultiplyAdd(V.Broadcast(x2[k]), y, f2);
                f3 = V.MultiplyAdd(V.Broadcast(x3[k]), y, f3);
            }
        }
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

    /// <summary>Whether the vector of columns [j, j + c) needs lane masks for the rows [ib, iLast].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool NeedsMask(int jj, int c, int tileCount, int j, int ib, int iLast, PairColumns columns, bool half) =>
        jj + c > tileCount
        || (half && j <= iLast)
        || (columns == PairColumns.SelfOffDiagonal && j <= iLast && j + c > ib);

    /// <summary>Σ_j b_j φ(f_ij) of four rows over one tile, added to <paramref name="rowValue"/> (stride 1).</summary>
    private readonly void BlockValue<TVec, V>(in PairGroup<T> group, int t, int ib, int nb, double* rowValue)
        where TVec : struct where V : struct, IVectorOps<TVec, T>
    {
        int d = D, c = V.Count;
        T* tile = Tile(in group, t, d, out int first, out int count, out int width);
        T* weights = tile + (nint)d * width;
        bool half = Half(in group);
        int iLast = ib + nb - 1, jStart = 0;
        if (half)
        {
            int s = ib - first;
            if (s >= count) return;
            jStart = Math.Max(0, s) / c * c;
        }
        TTerm term = Term;
        T* x0 = X + (nint)ib * d, x1 = X + (nint)(ib + Math.Min(1, nb - 1)) * d;
        T* x2 = X + (nint)(ib + Math.Min(2, nb - 1)) * d, x3 = X + (nint)(ib + Math.Min(3, nb - 1)) * d;
        TVec a0 = V.Zero, a1 = V.Zero, a2 = V.Zero, a3 = V.Zero;
        for (int jj = jStart; jj < count; jj += c)
        {
            int j = first + jj;
            Features<TVec, V>(tile, width, jj, d, x0, x1, x2, x3, out TVec f0, out TVec f1, out TVec f2, out TVec f3);
            TVec w = V.Load(ref *weights, jj);
            TVec v0 = term.Value<TVec, V>(f0), v1 = term.Value<TVec, V>(f1), v2 = term.Value<TVec, V>(f2), v3 = term.Value<TVec, V>(f3);
            if (!NeedsMask(jj, c, count, j, ib, iLast, group.Columns, half))
            {
                a0 = V.MultiplyAdd(w, v0, a0);
                a1 = V.MultiplyAdd(w, v1, a1);
                a2 = V.MultiplyAdd(w, v2, a2);
                a3 = V.MultiplyAdd(w, v3, a3);
            }
            else
            {
                a0 = V.Add(a0, Masked<TVec, V>(LaneFactor<TVec, V>(j, ib, group.Count, group.Columns, half), V.Mul(w, v0)));
                a1 = V.Add(a1, Masked<TVec, V>(LaneFactor<TVec, V>(j, ib + 1, group.Count, group.Columns, half), V.Mul(w, v1)));
                a2 = V.Add(a2, Masked<TVec, V>(LaneFactor<TVec, V>(j, ib + 2, group.Count, group.Columns, half), V.Mul(w, v2)));
                a3 = V.Add(a3, Masked<TVec, V>(LaneFactor<TVec, V>(j, ib + 3, group.Count, group.Columns, half), V.Mul(w, v3)));
            }
        }
        rowValue[0] += V.SumToDouble(a0);
        if (nb > 1) rowValue[1] += V.SumToDouble(a1);
        if (nb > 2) rowValue[2] += V.SumToDouble(a2);
        if (nb > 3) rowValue[3] += V.SumToDouble(a3);
    }

    /// <summary>
    /// Σ_j b_j φ(f_ij) and Σ_j b_j φ'(f_ij) ∂f_ij/∂x_i of four rows over one tile, in one pass over the pairs: the values
    /// go to <paramref name="rowValue"/>, the gradient sums (times the group's scale) to <paramref name="rowGrad"/> (d per row).
    /// For the squared distance the gradient sums b_j φ' (x_i - y_j) directly, not φ'·x_i - Σ φ' y_j, which would cancel.
    /// </summary>
    private readonly void BlockGradient<TVec, V>(in PairGroup<T> group, int t, int ib, int nb, double* rowValue, double* rowGrad, T* gacc)
        where TVec : struct where V : struct, IVectorOps<TVec, T>
    {
        int d = D, c = V.Count;
        T* tile = Tile(in group, t, d, out int first, out int count, out int width);
        T* weights = tile + (nint)d * width;
        int iLast = ib + nb - 1;
        TTerm term = Term;
        T* x0 = X + (nint)ib * d, x1 = X + (nint)(ib + Math.Min(1, nb - 1)) * d;
        T* x2 = X + (nint)(ib + Math.Min(2, nb - 1)) * d, x3 = X + (nint)(ib + Math.Min(3, nb - 1)) * d;
        T* g0 = gacc, g1 = gacc + (nint)d * c, g2 = gacc + (nint)2 * d * c, g3 = gacc + (nint)3 * d * c;
        TVec a0 = V.Zero, a1 = V.Zero, a2 = V.Zero, a3 = V.Zero;
        for (int jj = 0; jj < count; jj += c)
        {
            int j = first + jj;
            Features<TVec, V>(tile, width, jj, d, x0, x1, x2, x3, out TVec f0, out TVec f1, out TVec f2, out TVec f3);
            TVec w = V.Load(ref *weights, jj);
            TVec v0 = term.ValueAndSlope<TVec, V>(f0, out TVec s0), v1 = term.ValueAndSlope<TVec, V>(f1, out TVec s1);
            TVec v2 = term.ValueAndSlope<TVec, V>(f2, out TVec s2), v3 = term.ValueAndSlope<TVec, V>(f3, out TVec s3);
            if (!NeedsMask(jj, c, count, j, ib, iLast, group.Columns, false))
            {
                a0 = V.MultiplyAdd(w, v0, a0); s0 = V.Mul(w, s0);
                a1 = V.MultiplyAdd(w, v1, a1); s1 = V.Mul(w, s1);
                a2 = V.MultiplyAdd(w, v2, a2); s2 = V.Mul(w, s2);
                a3 = V.MultiplyAdd(w, v3, a3); s3 = V.Mul(w, s3);
            }
            else
            {
                TVec q0 = LaneFactor<TVec, V>(j, ib, group.Count, group.Columns, false);
                TVec q1 = LaneFactor<TVec, V>(j, ib + 1, group.Count, group.Columns, false);
                TVec q2 = LaneFactor<TVec, V>(j, ib + 2, group.Count, group.Columns, false);
                TVec q3 = LaneFactor<TVec, V>(j, ib + 3, group.Count, group.Columns, false);
                a0 = V.Add(a0, Masked<TVec, V>(q0, V.Mul(w, v0))); s0 = Masked<TVec, V>(q0, V.Mul(w, s0));
                a1 = V.Add(a1, Masked<TVec, V>(q1, V.Mul(w, v1))); s1 = Masked<TVec, V>(q1, V.Mul(w, s1));
                a2 = V.Add(a2, Masked<TVec, V>(q2, V.Mul(w, v2))); s2 = Masked<TVec, V>(q2, V.Mul(w, s2));
                a3 = V.Add(a3, Masked<TVec, V>(q3, V.Mul(w, v3))); s3 = Masked<TVec, V>(q3, V.Mul(w, s3));
            }
            for (int k = 0; k < d; k++)
            {
                TVec y = V.Load(ref *(tile + (nint)k * width), jj);
                nint o = (nint)k * c;
                if (TTerm.Feature == PairFeature.SquaredDistance)
                {
                    V.Store(V.MultiplyAdd(s0, V.Sub(V.Broadcast(x0[k]), y), V.Load(ref *g0, o)), ref *g0, o);
                    V.Store(V.MultiplyAdd(s1, V.Sub(V.Broadcast(x1[k]), y), V.Load(ref *g1, o)), ref *g1, o);
                    V.Store(V.MultiplyAdd(s2, V.Sub(V.Broadcast(x2[k]), y), V.Load(ref *g2, o)), ref *g2, o);
                    V.Store(V.MultiplyAdd(s3, V.Sub(V.Broadcast(x3[k]), y), V.Load(ref *g3, o)), ref *g3, o);
                }
                else
                {
                    V.Store(V.MultiplyAdd(s0, y, V.Load(ref *g0, o)), ref *g0, o);
                    V.Store(V.MultiplyAdd(s1, y, V.Load(ref *g1, o)), ref *g1, o);
                    V.Store(V.MultiplyAdd(s2, y, V.Load(ref *g2, o)), ref *g2, o);
                    V.Store(V.MultiplyAdd(s3, y, V.Load(ref *g3, o)), ref *g3, o);
                }
            }
        }
        double scale = group.GradientScale;
        rowValue[0] += V.SumToDouble(a0);
        if (nb > 1) rowValue[1] += V.SumToDouble(a1);
        if (nb > 2) rowValue[2] += V.SumToDouble(a2);
        if (nb > 3) rowValue[3] += V.SumToDouble(a3);
        for (int r = 0; r < nb; r++)
        for (int k = 0; k < d; k++)
            rowGrad[r * d + k] += scale * V.SumToDouble(V.Load(ref *gacc, ((nint)r * d + k) * c));
        new Span<T>(gacc, 4 * d * c).Clear();
    }

    /// <summary>The online log Σ_j exp(φ(f_ij) + h_j) of four rows over one tile, merged into (max, sum) per row.</summary>
    private readonly void BlockLse<TVec, V>(in PairGroup<T> group, int t, int ib, int nb, double* rowMax, double* rowSum)
        where TVec : struct where V : struct, IVectorOps<TVec, T>
    {
        int d = D, c = V.Count;
        T* tile = Tile(in group, t, d, out int first, out int count, out int width);
        T* offsets = tile + (nint)d * width;
        int iLast = ib + nb - 1;
        TTerm term = Term;
        T* x0 = X + (nint)ib * d, x1 = X + (nint)(ib + Math.Min(1, nb - 1)) * d;
        T* x2 = X + (nint)(ib + Math.Min(2, nb - 1)) * d, x3 = X + (nint)(ib + Math.Min(3, nb - 1)) * d;
        TVec minusInf = V.C(double.NegativeInfinity);
        TVec m0 = minusInf, m1 = minusInf, m2 = minusInf, m3 = minusInf, s0 = V.Zero, s1 = V.Zero, s2 = V.Zero, s3 = V.Zero;
        for (int jj = 0; jj < count; jj += c)
        {
            int j = first + jj;
            Features<TVec, V>(tile, width, jj, d, x0, x1, x2, x3, out TVec f0, out TVec f1, out TVec f2, out TVec f3);
            TVec h = V.Load(ref *offsets, jj);
            TVec z0 = V.Add(term.Value<TVec, V>(f0), h), z1 = V.Add(term.Value<TVec, V>(f1), h);
            TVec z2 = V.Add(term.Value<TVec, V>(f2), h), z3 = V.Add(term.Value<TVec, V>(f3), h);
            if (NeedsMask(jj, c, count, j, ib, iLast, group.Columns, false))
            {
                z0 = V.Select(V.GreaterThan(LaneFactor<TVec, V>(j, ib, group.Count, group.Columns, false), V.Zero), z0, minusInf);
                z1 = V.Select(V.GreaterThan(LaneFactor<TVec, V>(j, ib + 1, group.Count, group.Columns, false), V.Zero), z1, minusInf);
                z2 = V.Select(V.GreaterThan(LaneFactor<TVec, V>(j, ib + 2, group.Count, group.Columns, false), V.Zero), z2, minusInf);
                z3 = V.Select(V.GreaterThan(LaneFactor<TVec, V>(j, ib + 3, group.Count, group.Columns, false), V.Zero), z3, minusInf);
            }
            V.LseAccumulate(ref m0, ref s0, z0);
            V.LseAccumulate(ref m1, ref s1, z1);
            V.LseAccumulate(ref m2, ref s2, z2);
            V.LseAccumulate(ref m3, ref s3, z3);
        }
        V.LseCombine(m0, s0, ref rowMax[0], ref rowSum[0]);
        if (nb > 1) V.LseCombine(m1, s1, ref rowMax[1], ref rowSum[1]);
        if (nb > 2) V.LseCombine(m2, s2, ref rowMax[2], ref rowSum[2]);
        if (nb > 3) V.LseCombine(m3, s3, ref rowMax[3], ref rowSum[3]);
    }
}
