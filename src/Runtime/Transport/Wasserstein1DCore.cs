using System;
using System.Buffers;

namespace KernelDsl.Runtime;

/// <summary>
/// The exact 1-D Wasserstein distance on unsorted samples: argument checks, weight normalisation, sorting (with the
/// permutation when a gradient or weights need it) into pooled scratch, the merge (<see cref="Wasserstein1DMerge"/>),
/// the p-th root and its chain rule, and the scatter of the gradient back to the samples' own order.
/// </summary>
internal static class Wasserstein1DCore
{
    /// <summary>
    /// W_p (the p-th root) between <paramref name="u"/> and <paramref name="v"/>, optional weights, optional gradients
    /// (empty: skipped; written, not added to). Every input is read into scratch before a gradient is written, so a
    /// gradient may share memory with an input, but not with the other gradient.
    /// </summary>
    public static double Distance(ReadOnlySpan<double> u, ReadOnlySpan<double> v, double p, ReadOnlySpan<double> uWeights,
        ReadOnlySpan<double> vWeights, Span<double> du, Span<double> dv)
    {
        CheckP(p);
        if (u.IsEmpty) throw new ArgumentException("'u' is empty: a distribution needs at least one sample.", nameof(u));
        if (v.IsEmpty) throw new ArgumentException("'v' is empty: a distribution needs at least one sample.", nameof(v));
        int n = u.Length, m = v.Length;
        SpanChecks.Length(du, n, nameof(du));
        SpanChecks.Length(dv, m, nameof(dv));
        SpanChecks.Apart(du, dv, nameof(du), nameof(dv));
        bool gradient = !du.IsEmpty || !dv.IsEmpty;
        bool weighted = !uWeights.IsEmpty || !vWeights.IsEmpty;
        int total = n + m;
        // Scratch: sorted copies (n + m), gradients in the samples' order (n + m), normalised weights (n + m), then the
        // merge's work area (permuted weights and sorted-order gradients, 2(n + m)).
        int doubles = 5 * total;
        double[] scratch = ArrayPool<double>.Shared.Rent(doubles);
        int[] order = ArrayPool<int>.Shared.Rent(gradient || weighted ? 2 * total : 1);
        try
        {
            Span<double> s = scratch.AsSpan(0, doubles);
            Span<double> a = uWeights.IsEmpty ? default : s.Slice(2 * total, n);
            Span<double> b = vWeights.IsEmpty ? default : s.Slice(2 * total + n, m);
            if (!a.IsEmpty) NormalizeWeights(uWeights, n, nameof(uWeights), nameof(u), a);
            if (!b.IsEmpty) NormalizeWeights(vWeights, m, nameof(vWeights), nameof(v), b);
            Span<double> gu = gradient ? s.Slice(total, n) : default;
            Span<double> gv = gradient ? s.Slice(total + n, m) : default;
            double power = PowerSum(u, a, v, b, p, gu, gv, s.Slice(0, total), s.Slice(3 * total), order);
            double w = Root(power, p);
            if (gradient)
            {
                double chain = RootSlope(power, w, p);
                if (!du.IsEmpty) for (int k = 0; k < n; k++) du[k] = chain * gu[k];
                if (!dv.IsEmpty) for (int k = 0; k < m; k++) dv[k] = chain * gv[k];
            }
            return w;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(scratch);
            ArrayPool<int>.Shared.Return(order);
        }
    }

    /// <summary>The float entry: widens the inputs to double, runs <see cref="Distance(ReadOnlySpan{double}, ReadOnlySpan{double}, double, ReadOnlySpan{double}, ReadOnlySpan{double}, Span{double}, Span{double})"/>, rounds once.</summary>
    public static float Distance(ReadOnlySpan<float> u, ReadOnlySpan<float> v, double p, ReadOnlySpan<float> uWeights,
        ReadOnlySpan<float> vWeights, Span<float> du, Span<float> dv)
    {
        SpanChecks.Apart(du, dv, nameof(du), nameof(dv));
        int total = u.Length + v.Length + uWeights.Length + vWeights.Length + du.Length + dv.Length;
        double[] wide = ArrayPool<double>.Shared.Rent(Math.Max(1, total));
        try
        {
            Span<double> w = wide.AsSpan(0, total);
            int offset = 0;
            Span<double> Widen(ReadOnlySpan<float> source, Span<double> all, ref int at)
            {
                Span<double> taken = all.Slice(at, source.Length);
                for (int i = 0; i < source.Length; i++) taken[i] = source[i];
                at += source.Length;
                return taken;
            }
            Span<double> wu = Widen(u, w, ref offset), wv = Widen(v, w, ref offset);
            Span<double> wa = Widen(uWeights, w, ref offset), wb = Widen(vWeights, w, ref offset);
            Span<double> gu = w.Slice(offset, du.Length), gv = w.Slice(offset + du.Length, dv.Length);
            double value = Distance(wu, wv, p, wa, wb, gu, gv);
            for (int i = 0; i < du.Length; i++) du[i] = (float)gu[i];
            for (int i = 0; i < dv.Length; i++) dv[i] = (float)gv[i];
            return (float)value;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(wide);
        }
    }

    /// <summary>
    /// W_p^p of unsorted samples with normalised weights (empty: uniform): <paramref name="sorted"/> (n + m) receives the
    /// sorted copies, <paramref name="work"/> (2(n + m)) holds the sort's scratch, then the permuted weights and the
    /// sorted-order gradients, <paramref name="order"/> (2(n + m)) the permutation and the sort's scratch for it. <paramref name="gu"/>/<paramref name="gv"/>, when not empty,
    /// receive ∂W_p^p per sample in the caller's order. NaN in a sample gives NaN (and NaN gradients).
    /// </summary>
    public static double PowerSum(ReadOnlySpan<double> u, ReadOnlySpan<double> a, ReadOnlySpan<double> v, ReadOnlySpan<double> b,
        double p, Span<double> gu, Span<double> gv, Span<double> sorted, Span<double> work, Span<int> order)
    {
        int n = u.Length, m = v.Length;
        Span<double> su = sorted.Slice(0, n), sv = sorted.Slice(n, m);
        u.CopyTo(su);
        v.CopyTo(sv);
        if (HasNaN(su) || HasNaN(sv))
        {
            gu.Fill(double.NaN);
            gv.Fill(double.NaN);
            return double.NaN;
        }
        bool gradient = !gu.IsEmpty || !gv.IsEmpty;
        if (!gradient && a.IsEmpty && b.IsEmpty)
        {
            Wasserstein1DSort.Sort(su, default, work, default);
            Wasserstein1DSort.Sort(sv, default, work, default);
            return Wasserstein1DMerge.PowerSum(su, default, sv, default, p, default, default);
        }
        Span<int> iu = order.Slice(0, n), iv = order.Slice(n, m);
        for (int k = 0; k < n; k++) iu[k] = k;
        for (int k = 0; k < m; k++) iv[k] = k;
        Span<int> itemScratch = order.Slice(n + m);
        Wasserstein1DSort.Sort(su, iu, work, itemScratch);
        Wasserstein1DSort.Sort(sv, iv, work, itemScratch);
        int offset = 0;
        Span<double> sa = default, sb = default;
        if (!a.IsEmpty)
        {
            sa = work.Slice(offset, n);
            offset += n;
            for (int k = 0; k < n; k++) sa[k] = a[iu[k]];
        }
        if (!b.IsEmpty)
        {
            sb = work.Slice(offset, m);
            offset += m;
            for (int k = 0; k < m; k++) sb[k] = b[iv[k]];
        }
        if (!gradient) return Wasserstein1DMerge.PowerSum(su, sa, sv, sb, p, default, default);
        Span<double> ggu = work.Slice(offset, n), ggv = work.Slice(offset + n, m);
        double power = Wasserstein1DMerge.PowerSum(su, sa, sv, sb, p, ggu, ggv);
        for (int k = 0; k < n; k++) gu[iu[k]] = ggu[k];
        for (int k = 0; k < m; k++) gv[iv[k]] = ggv[k];
        return power;
    }

    /// <summary>The p-th root of W_p^p.</summary>
    public static double Root(double power, double p) => p == 1 ? power : p == 2 ? Math.Sqrt(power) : Math.Pow(power, 1 / p);

    /// <summary>
    /// d W / d W^p = W^(1-p) / p = W / (p W^p); 0 where W = 0 (the root is not differentiable there and 0 is a
    /// subgradient of the distance, which is a minimum there).
    /// </summary>
    public static double RootSlope(double power, double root, double p) =>
        p == 1 ? 1.0 : power > 0 ? root / (p * power) : power == 0 ? 0.0 : double.NaN;

    /// <summary>Throws unless p ≥ 1 and finite.</summary>
    public static void CheckP(double p)
    {
        if (!(p >= 1) || double.IsPositiveInfinity(p))
            throw new ArgumentOutOfRangeException(nameof(p), p, "The order p must be finite and at least 1.");
    }

    /// <summary>
    /// Checks weights (length <paramref name="count"/>, finite, non-negative, positive sum) and writes them divided by their
    /// sum (the distributions are probability measures, as scipy normalises them).
    /// </summary>
    public static void NormalizeWeights(ReadOnlySpan<double> weights, int count, string name, string samplesName, Span<double> into)
    {
        if (weights.Length != count)
            throw new ArgumentException($"'{name}' has length {weights.Length} but '{samplesName}' has {count} samples: one weight per sample, or empty for uniform weights.", name);
        double sum = 0;
        foreach (double w in weights)
        {
            if (!(w >= 0) || double.IsPositiveInfinity(w))
                throw new ArgumentException($"'{name}' holds {w}: weights must be finite and non-negative.", name);
            sum += w;
        }
        if (!(sum > 0) || double.IsPositiveInfinity(sum))
            throw new ArgumentException($"'{name}' sums to {sum}: the weights must have a positive, finite sum.", name);
        for (int k = 0; k < count; k++) into[k] = weights[k] / sum;
    }

    private static bool HasNaN(ReadOnlySpan<double> values)
    {
        foreach (double x in values)
            if (double.IsNaN(x)) return true;
        return false;
    }
}
