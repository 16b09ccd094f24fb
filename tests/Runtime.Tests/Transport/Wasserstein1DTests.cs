using KernelDsl.Catalogue;
using static KernelDsl.Runtime.Tests.Catalogue.Reference;

namespace KernelDsl.Runtime.Tests.Transport;

/// <summary>
/// Independent references for 1-D Wasserstein distances, written here and sharing nothing with the library's merge:
/// scipy's CDF form for p = 1 and the replicated-sample form (uniform weights on a common grid) for any p.
/// </summary>
internal static class OneDimensionalReference
{
    /// <summary>
    /// scipy.stats.wasserstein_distance as scipy computes it (_cdf_distance with p = 1): ∫ |U(x) - V(x)| dx over the sorted
    /// union of the samples, U and V the weighted CDFs evaluated with a right-continuous search.
    /// </summary>
    public static double CdfDistance(double[] u, double[] v, double[]? uw = null, double[]? vw = null)
    {
        uw ??= Enumerable.Repeat(1.0, u.Length).ToArray();
        vw ??= Enumerable.Repeat(1.0, v.Length).ToArray();
        double[] all = u.Concat(v).OrderBy(t => t).ToArray();
        double su = uw.Sum(), sv = vw.Sum(), total = 0;
        for (int k = 0; k < all.Length - 1; k++)
        {
            double at = all[k], delta = all[k + 1] - all[k];
            if (delta == 0) continue;
            double cu = 0, cv = 0;
            for (int i = 0; i < u.Length; i++) if (u[i] <= at) cu += uw[i];
            for (int j = 0; j < v.Length; j++) if (v[j] <= at) cv += vw[j];
            total += Math.Abs(cu / su - cv / sv) * delta;
        }
        return total;
    }

    /// <summary>
    /// W_p with integer weights (null: 1 each): every sample repeated by its weight, both sides spread on a common grid of
    /// lcm(N, M) quantile cells (N, M the total weights), W_p^p the mean over cells of |u_(cell) - v_(cell)|^p.
    /// </summary>
    public static double Replicated(double[] u, double[] v, double p, int[]? uw = null, int[]? vw = null)
    {
        double[] ur = Expand(u, uw), vr = Expand(v, vw);
        long lcm = (long)ur.Length / Gcd(ur.Length, vr.Length) * vr.Length;
        double sum = 0;
        for (long c = 0; c < lcm; c++)
        {
            double a = ur[c / (lcm / ur.Length)], b = vr[c / (lcm / vr.Length)];
            sum += Math.Pow(Math.Abs(a - b), p);
        }
        return Math.Pow(sum / lcm, 1 / p);
    }

    private static double[] Expand(double[] values, int[]? weights) =>
        values.Select((x, i) => Enumerable.Repeat(x, weights?[i] ?? 1)).SelectMany(r => r).OrderBy(t => t).ToArray();

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

    public static double[] Normal(Random rng, int count, double mean = 0, double scale = 1) =>
        Enumerable.Range(0, count).Select(_ => mean + scale * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble())).ToArray();

    /// <summary>Central differences of f at every coordinate of <paramref name="at"/>.</summary>
    public static double[] CentralDifferences(Func<double[], double> f, double[] at, double h = 1e-6)
    {
        var g = new double[at.Length];
        for (int i = 0; i < at.Length; i++)
        {
            double[] up = (double[])at.Clone(), down = (double[])at.Clone();
            up[i] += h;
            down[i] -= h;
            g[i] = (f(up) - f(down)) / (2 * h);
        }
        return g;
    }

    /// <summary>max |g - fd| / max(1, max |fd|) ≤ rel.</summary>
    public static void SameGradient(double[] fd, double[] g, double rel, string what)
    {
        double scale = Math.Max(1, fd.Max(Math.Abs)), err = 0;
        for (int i = 0; i < fd.Length; i++) err = Math.Max(err, Math.Abs(g[i] - fd[i]));
        Assert.True(err <= rel * scale, $"{what}: gradient error {err:E2} > {rel * scale:E2}");
    }
}

/// <summary>
/// <see cref="Wasserstein1D"/>: p = 1 against the scipy-style CDF form (unequal sizes, weights, ties), any p against the
/// replicated-sample form, closed forms (translation, Diracs, a two-point case), gradients against central differences
/// away from ties, the tie convention, float, NaN and argument checks.
/// </summary>
/// <remarks>
/// Bounds. double: 1e-12 relative plus 1e-14 absolute against the references (both sum O(n + m) terms in double).
/// float: the overloads compute in double from the widened inputs, so the float value equals the double value of the same
/// float inputs rounded once; against the double inputs, W_p moves by at most max|u_i - fl(u_i)| + max|v_j - fl(v_j)|
/// (W_p is 1-Lipschitz in each sample for the sup norm), i.e. 2^-24 (max|u| + max|v|), plus the final rounding 2^-24 W_p.
/// </remarks>
public class Wasserstein1DTests
{
    private static void Near(double expected, double actual, string what) => Close(expected, actual, 1e-12, 1e-14, what);

    [Theory]
    [InlineData(7, 7, false, 1)]
    [InlineData(5, 11, false, 2)]
    [InlineData(13, 4, true, 3)]
    [InlineData(1, 9, true, 4)]
    [InlineData(40, 25, true, 5)]
    public void P1_EqualsTheScipyCdfForm(int n, int m, bool weighted, int seed)
    {
        var rng = new Random(seed);
        double[] u = OneDimensionalReference.Normal(rng, n), v = OneDimensionalReference.Normal(rng, m, 0.3, 2);
        double[]? uw = weighted ? u.Select(_ => rng.NextDouble() + 0.05).ToArray() : null;
        double[]? vw = weighted ? v.Select(_ => rng.NextDouble() + 0.05).ToArray() : null;
        double expected = OneDimensionalReference.CdfDistance(u, v, uw, vw);
        Near(expected, Wasserstein1D.Value(u, v, 1, uw, vw), "value");
        Near(expected, Wasserstein1D.ValueAndGradient(u, v, new double[n], new double[m], 1, uw, vw), "value with the gradient");
    }

    [Fact]
    public void P1_EqualsTheScipyCdfForm_WithTiesAndZeroWeights()
    {
        double[] u = { 0, 1, 1, 1, 3, 3, -2 }, v = { 1, 1, 2, 3, 3 };
        double[] uw = { 1, 2, 0, 3, 1, 0.5, 2 }, vw = { 0.5, 1, 1, 0, 4 };
        Near(OneDimensionalReference.CdfDistance(u, v), Wasserstein1D.Value(u, v), "uniform");
        Near(OneDimensionalReference.CdfDistance(u, v, uw, vw), Wasserstein1D.Value(u, v, 1, uw, vw), "weighted");
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(1.5)]
    [InlineData(2.0)]
    [InlineData(3.0)]
    public void AnyP_EqualsTheReplicatedSampleForm_UnequalSizesAndIntegerWeights(double p)
    {
        var rng = new Random(11);
        double[] u = OneDimensionalReference.Normal(rng, 6), v = OneDimensionalReference.Normal(rng, 9, 1, 0.5);
        int[] uw = { 1, 3, 2, 1, 4, 2 }, vw = { 2, 1, 1, 3, 1, 2, 5, 1, 1 };
        Near(OneDimensionalReference.Replicated(u, v, p), Wasserstein1D.Value(u, v, p), "uniform, 6 vs 9");
        Near(OneDimensionalReference.Replicated(u, v, p, uw, vw),
            Wasserstein1D.Value(u, v, p, uw.Select(w => (double)w).ToArray(), vw.Select(w => (double)w).ToArray()), "integer weights");
        // Weights are normalised: scaling one side's weights changes nothing.
        Near(OneDimensionalReference.Replicated(u, v, p, uw, vw),
            Wasserstein1D.Value(u, v, p, uw.Select(w => 0.25 * w).ToArray(), vw.Select(w => 3.0 * w).ToArray()), "scaled weights");
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    [InlineData(2.5)]
    public void ClosedForms_TranslationDiracsAndTwoPoints(double p)
    {
        var rng = new Random(3);
        double[] u = OneDimensionalReference.Normal(rng, 20);
        const double c = -1.75;
        double[] shifted = u.Select(t => t + c).Reverse().ToArray();
        Close(Math.Abs(c), Wasserstein1D.Value(u, shifted, p), 1e-14, 1e-15, "W_p(u, u + c) = |c|");
        Close(Math.Abs(2.5 - -0.5), Wasserstein1D.Value(new[] { 2.5 }, new[] { -0.5 }, p), 1e-15, 0, "two Diracs");
        Close(Math.Abs(2.5 - -0.5), Wasserstein1D.Value(new[] { 2.5, 2.5, 2.5 }, new[] { -0.5, -0.5 }, p), 2e-15, 0, "two Diracs, repeated");
        // δ_0 against (δ_0 + δ_1)/2: half of the mass moves by 1, so W_p^p = 1/2.
        Close(Math.Pow(0.5, 1 / p), Wasserstein1D.Value(new[] { 0.0 }, new[] { 0.0, 1.0 }, p), 1e-15, 0, "δ_0 vs (δ_0 + δ_1)/2");
    }

    [Theory]
    [InlineData(1.0, false)]
    [InlineData(2.0, false)]
    [InlineData(3.0, false)]
    [InlineData(1.0, true)]
    [InlineData(1.5, true)]
    [InlineData(2.0, true)]
    public void Gradient_MatchesCentralDifferences_AwayFromTies(double p, bool weighted)
    {
        var rng = new Random(17);
        double[] u = OneDimensionalReference.Normal(rng, 7), v = OneDimensionalReference.Normal(rng, weighted ? 5 : 7, 0.5, 1.5);
        double[]? uw = weighted ? u.Select(_ => rng.NextDouble() + 0.1).ToArray() : null;
        double[]? vw = weighted ? v.Select(_ => rng.NextDouble() + 0.1).ToArray() : null;
        var du = new double[u.Length];
        var dv = new double[v.Length];
        double value = Wasserstein1D.ValueAndGradient(u, v, du, dv, p, uw, vw);
        Assert.Equal(Wasserstein1D.Value(u, v, p, uw, vw), value);
        OneDimensionalReference.SameGradient(OneDimensionalReference.CentralDifferences(t => Wasserstein1D.Value(t, v, p, uw, vw), u), du, 1e-7, "du");
        OneDimensionalReference.SameGradient(OneDimensionalReference.CentralDifferences(t => Wasserstein1D.Value(u, t, p, uw, vw), v), dv, 1e-7, "dv");
    }

    [Fact]
    public void Gradient_AtTies_TiedSamplesShareTheirMean_AndAZeroDifferenceHasSlopeZero()
    {
        // u = {0, 0}, v = {-1, 1}, p = 2: W_2 = 1. The two zeros are tied; the sorted branch gives them slopes +1/2 and -1/2
        // (of W_2^2; each moved alone, the one matched to -1 pulls one way, the other the opposite), shared: 0 each. v is
        // not tied: ∂W_2/∂v_j = (v_j - 0) / (2 W_2) = ∓1/2.
        var du = new double[2];
        var dv = new double[2];
        Assert.Equal(1.0, Wasserstein1D.ValueAndGradient(new[] { 0.0, 0.0 }, new[] { -1.0, 1.0 }, du, dv, 2));
        Assert.Equal(new[] { 0.0, 0.0 }, du);
        Assert.Equal(new[] { -0.5, 0.5 }, dv);
        // p = 1, u = v: every difference is zero, so every slope is 0 (sign(0) = 0); p = 2, u = v: W = 0, gradient 0.
        double[] w = { 0.5, -1, 2 };
        Assert.Equal(0.0, Wasserstein1D.ValueAndGradient(w, w, du = new double[3], dv = new double[3], 1));
        Assert.All(du.Concat(dv), g => Assert.Equal(0.0, g));
        Assert.Equal(0.0, Wasserstein1D.ValueAndGradient(w, w, du, dv, 2));
        Assert.All(du.Concat(dv), g => Assert.Equal(0.0, g));
    }

    [Fact]
    public void Gradient_MayReplaceItsInput()
    {
        var rng = new Random(5);
        double[] u = OneDimensionalReference.Normal(rng, 9), v = OneDimensionalReference.Normal(rng, 4);
        var du = new double[9];
        var dv = new double[4];
        double expected = Wasserstein1D.ValueAndGradient(u, v, du, dv, 2);
        double[] uu = (double[])u.Clone(), vv = (double[])v.Clone();
        Assert.Equal(expected, Wasserstein1D.ValueAndGradient(uu, vv, uu, vv, 2));
        Assert.Equal(du, uu);
        Assert.Equal(dv, vv);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    public void Float_IsTheDoubleValueOfTheWidenedInputsRoundedOnce_AndWithinTheStatedBound(double p)
    {
        var rng = new Random(23);
        double[] u = OneDimensionalReference.Normal(rng, 30, 0, 3), v = OneDimensionalReference.Normal(rng, 21, 1, 2);
        double[] uw = u.Select(_ => rng.NextDouble() + 0.1).ToArray(), vw = v.Select(_ => rng.NextDouble() + 0.1).ToArray();
        float[] uf = u.Select(t => (float)t).ToArray(), vf = v.Select(t => (float)t).ToArray();
        float[] uwf = uw.Select(t => (float)t).ToArray(), vwf = vw.Select(t => (float)t).ToArray();
        var duf = new float[30];
        var dvf = new float[21];
        float value = Wasserstein1D.ValueAndGradient(uf, vf, duf, dvf, p, uwf, vwf);
        var du = new double[30];
        var dv = new double[21];
        double widened = Wasserstein1D.ValueAndGradient(uf.Select(t => (double)t).ToArray(), vf.Select(t => (double)t).ToArray(), du, dv, p,
            uwf.Select(t => (double)t).ToArray(), vwf.Select(t => (double)t).ToArray());
        Assert.Equal((float)widened, value);
        Assert.Equal(du.Select(t => (float)t), duf);
        Assert.Equal(dv.Select(t => (float)t), dvf);
        Assert.Equal((float)Wasserstein1D.Value(uf.Select(t => (double)t).ToArray(), vf.Select(t => (double)t).ToArray(), p), Wasserstein1D.Value(uf, vf, p));
        // Uniform weights (float weights would move the value by their own rounding): the stated bound against double inputs.
        double exact = Wasserstein1D.Value(u, v, p);
        double bound = Math.Pow(2, -24) * (u.Max(Math.Abs) + v.Max(Math.Abs) + exact) * 1.001;
        Close(exact, Wasserstein1D.Value(uf, vf, p), 0, bound, "float vs double inputs");
    }

    [Fact]
    public void NaN_Sample_GivesNaN()
    {
        var du = new double[2];
        Assert.True(double.IsNaN(Wasserstein1D.ValueAndGradient(new[] { 0.0, double.NaN }, new[] { 1.0 }, du, default)));
        Assert.All(du, g => Assert.True(double.IsNaN(g)));
        Assert.True(double.IsNaN(Wasserstein1D.Value(new[] { 0.0 }, new[] { double.NaN, 1.0 }, 2)));
    }

    [Fact]
    public void ArgumentErrors_NameTheArgument()
    {
        double[] u = { 0, 1 }, v = { 2 };
        void Throws(string name, Action call) => Assert.Equal(name, Assert.ThrowsAny<ArgumentException>(call).ParamName);
        Throws("u", () => Wasserstein1D.Value(System.Array.Empty<double>(), v));
        Throws("v", () => Wasserstein1D.Value(u, System.Array.Empty<double>()));
        Throws("p", () => Wasserstein1D.Value(u, v, 0.5));
        Throws("p", () => Wasserstein1D.Value(u, v, double.NaN));
        Throws("p", () => Wasserstein1D.Value(u, v, double.PositiveInfinity));
        Throws("uWeights", () => Wasserstein1D.Value(u, v, 1, new[] { 1.0 }));
        Throws("uWeights", () => Wasserstein1D.Value(u, v, 1, new[] { 1.0, -1.0 }));
        Throws("vWeights", () => Wasserstein1D.Value(u, v, 1, default, new[] { 0.0 }));
        Throws("vWeights", () => Wasserstein1D.Value(u, v, 1, default, new[] { double.NaN }));
        Throws("du", () => Wasserstein1D.ValueAndGradient(u, v, new double[3], default));
        Throws("dv", () => Wasserstein1D.ValueAndGradient(u, v, default, new double[2]));
        var shared = new double[3];
        Throws("du", () => Wasserstein1D.ValueAndGradient(u, v, shared.AsSpan(0, 2), shared.AsSpan(1, 1)));
        var sharedF = new float[3];
        Throws("du", () => Wasserstein1D.ValueAndGradient(new float[2], new float[1], sharedF.AsSpan(0, 2), sharedF.AsSpan(1, 1)));
        Throws("u", () => Wasserstein1D.Value(System.Array.Empty<float>(), new float[1]));
    }
}
