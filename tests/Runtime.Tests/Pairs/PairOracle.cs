using System.Numerics;

namespace KernelDsl.Runtime.Tests.Pairs;

/// <summary>
/// Independent references for the pair sweep: plain double loops over every pair (no tiles, no SIMD, no symmetry), and
/// test terms for the parts of the contract the Gaussian does not exercise (the dot-product feature, an additive cost).
/// </summary>
internal static class PairOracle
{
    /// <summary>A scalar pair term: φ and φ' of the feature, and which feature.</summary>
    public sealed record Term(Func<double, double> Phi, Func<double, double> Slope, bool Dot);

    public static Term Gaussian(double sigma) =>
        new(f => Math.Exp(-f / (2 * sigma * sigma)), f => -Math.Exp(-f / (2 * sigma * sigma)) / (2 * sigma * sigma), false);

    public static Term DotTanh(double c) => new(f => Math.Tanh(c * f), f => c * (1 - Math.Tanh(c * f) * Math.Tanh(c * f)), true);

    public static Term NegativeCost(double eps) => new(f => -f / eps, _ => -1 / eps, false);

    public static double Feature<T>(Term term, T[] x, int i, T[] y, int j, int d) where T : INumberBase<T>
    {
        double f = 0;
        for (int k = 0; k < d; k++)
        {
            double u = double.CreateTruncating(x[i * d + k]), v = double.CreateTruncating(y[j * d + k]);
            f += term.Dot ? u * v : (u - v) * (u - v);
        }
        return f;
    }

    private static double W<T>(T[]? w, int i) where T : INumberBase<T> => w is null ? 1.0 : double.CreateTruncating(w[i]);

    /// <summary>Σ_ij a_i b_j φ(f_ij) over the pairs <paramref name="include"/> accepts, and Σ |a_i b_j φ(f_ij)| (the scale of rounding errors).</summary>
    public static (double Sum, double Abs) Sum<T>(Term term, T[] x, T[]? a, T[] y, T[]? b, int d, Func<int, int, bool>? include = null)
        where T : INumberBase<T>
    {
        int n = x.Length / d, m = y.Length / d;
        double s = 0, abs = 0;
        for (int i = 0; i < n; i++)
        for (int j = 0; j < m; j++)
        {
            if (include != null && !include(i, j)) continue;
            double t = W(a, i) * W(b, j) * term.Phi(Feature(term, x, i, y, j, d));
            s += t;
            abs += Math.Abs(t);
        }
        return (s, abs);
    }

    /// <summary>Σ_{i≠j} a_i a_j φ(f(x_i, x_j)), plus the diagonal when asked.</summary>
    public static (double Sum, double Abs) SelfSum<T>(Term term, T[] x, T[]? a, int d, bool diagonal) where T : INumberBase<T> =>
        Sum(term, x, a, x, a, d, (i, j) => diagonal || i != j);

    /// <summary>∂/∂x of Σ_ij a_i b_j φ(f(x_i, y_j)), with y = x when <paramref name="self"/> (then x_i appears on both sides).</summary>
    public static double[] Gradient<T>(Term term, T[] x, T[]? a, T[] y, T[]? b, int d, bool self, bool diagonal) where T : INumberBase<T>
    {
        int n = x.Length / d, m = y.Length / d;
        var g = new double[n * d];
        for (int i = 0; i < n; i++)
        for (int j = 0; j < m; j++)
        {
            if (self && !diagonal && i == j) continue;
            double s = W(a, i) * W(b, j) * term.Slope(Feature(term, x, i, y, j, d));
            for (int k = 0; k < d; k++)
            {
                double u = double.CreateTruncating(x[i * d + k]), v = double.CreateTruncating(y[j * d + k]);
                double di = term.Dot ? v : 2 * (u - v); // ∂f/∂x_i
                double dj = term.Dot ? u : -2 * (u - v); // ∂f/∂y_j (= ∂f/∂x_j when y is x)
                g[i * d + k] += s * di;
                if (self) g[j * d + k] += s * dj;
            }
        }
        return g;
    }

    /// <summary>Per row: log Σ_j exp(φ(f_ij) + h_j), shifted by the row maximum.</summary>
    public static double[] RowLogSumExp<T>(Term term, T[] x, T[] y, T[]? h, int d) where T : INumberBase<T>
    {
        int n = x.Length / d, m = y.Length / d;
        var result = new double[n];
        var z = new double[m];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++) z[j] = term.Phi(Feature(term, x, i, y, j, d)) + (h is null ? 0 : double.CreateTruncating(h[j]));
            double max = z.Max(), s = 0;
            foreach (double v in z) s += Math.Exp(v - max);
            result[i] = max + Math.Log(s);
        }
        return result;
    }

    public static double[] Normal(int count, int seed)
    {
        var rng = new Random(seed);
        var v = new double[count];
        for (int i = 0; i < count; i++) v[i] = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        return v;
    }

    public static double[] Positive(int count, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => 0.1 + rng.NextDouble()).ToArray();
    }

    public static float[] ToFloat(double[] v) => v.Select(e => (float)e).ToArray();
}

/// <summary>tanh(c · x·y): a pair term of the dot-product feature, for tests.</summary>
internal readonly struct DotTanhTerm<T> : IPairTerm<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _c;

    public DotTanhTerm(double c) => _c = T.CreateTruncating(c);

    public static PairFeature Feature => PairFeature.Dot;

    public TVec Value<TVec, V>(TVec feature) where TVec : struct where V : struct, ISimd<TVec, T> => V.Tanh(V.Mul(V.Broadcast(_c), feature));

    public TVec ValueAndSlope<TVec, V>(TVec feature, out TVec slope) where TVec : struct where V : struct, ISimd<TVec, T>
    {
        TVec c = V.Broadcast(_c), t = V.Tanh(V.Mul(c, feature));
        slope = V.Mul(c, V.Sub(V.Broadcast(T.One), V.Mul(t, t)));
        return t;
    }
}

/// <summary>-|x - y|² / ε: the exponent of a softmin with the squared Euclidean cost, for the row log-sum-exp.</summary>
internal readonly struct NegativeCostTerm<T> : IPairTerm<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _minusInvEps;

    public NegativeCostTerm(double eps) => _minusInvEps = T.CreateTruncating(-1 / eps);

    public static PairFeature Feature => PairFeature.SquaredDistance;

    public TVec Value<TVec, V>(TVec feature) where TVec : struct where V : struct, ISimd<TVec, T> => V.Mul(V.Broadcast(_minusInvEps), feature);

    public TVec ValueAndSlope<TVec, V>(TVec feature, out TVec slope) where TVec : struct where V : struct, ISimd<TVec, T>
    {
        slope = V.Broadcast(_minusInvEps);
        return V.Mul(slope, feature);
    }
}
