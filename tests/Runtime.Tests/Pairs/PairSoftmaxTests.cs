using System.Numerics;
using KernelDsl.Runtime.Tests.Catalogue;

namespace KernelDsl.Runtime.Tests.Pairs;

/// <summary>
/// The softmax-weighted row sweep (PairSweep.RowLogSumExpWithGradient): per row <c>L_i = log Σ_j e^(φ(f_ij) + h_j)</c>,
/// <c>scale · Σ_j p_ij φ'(f_ij) ∂f_ij/∂x_i</c> and the weighted payload <c>Σ_j p_ij P[j, :]</c>, against a plain double
/// loop that shifts by the row maximum; at tails (n, m not multiples of any width, one tile and several), d = 1, 3, 17,
/// h empty and given, extreme exponents (underflow everywhere but the maximum, large h); central differences of the
/// double value; the same bits at 1, 2 and 16 threads; float within a stated bound.
/// </summary>
[Collection(nameof(ParallelismCollection))]
public class PairSoftmaxTests
{
    /// <summary>The reference of one sweep: values, gradient, payload, and the scales of their rounding errors.</summary>
    private sealed record Want(double[] Lse, double[] ZScale, double[] Grad, double[] GradAbs, double[] Pay, double[] PayAbs);

    private static Want Oracle<T>(PairOracle.Term term, T[] x, T[] y, T[]? h, int d, double scale, T[]? payload, int p)
        where T : INumberBase<T>
    {
        int n = x.Length / d, m = y.Length / d;
        var lse = new double[n];
        var zScale = new double[n];
        var grad = new double[n * d];
        var gradAbs = new double[n * d];
        var pay = new double[n * p];
        var payAbs = new double[n * p];
        var z = new double[m];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++) z[j] = term.Phi(PairOracle.Feature(term, x, i, y, j, d)) + (h is null ? 0 : double.CreateTruncating(h[j]));
            double max = z.Max(), s = 0;
            foreach (double v in z) s += Math.Exp(v - max);
            lse[i] = max + Math.Log(s);
            zScale[i] = 1 + z.Max(Math.Abs);
            for (int j = 0; j < m; j++)
            {
                double w = Math.Exp(z[j] - max) / s;
                double slope = term.Slope(PairOracle.Feature(term, x, i, y, j, d));
                for (int k = 0; k < d; k++)
                {
                    double u = double.CreateTruncating(x[i * d + k]), v = double.CreateTruncating(y[j * d + k]);
                    double t = scale * w * slope * (term.Dot ? v : 2 * (u - v));
                    grad[i * d + k] += t;
                    gradAbs[i * d + k] += Math.Abs(t);
                }
                for (int c = 0; c < p; c++)
                {
                    double t = w * double.CreateTruncating(payload![j * p + c]);
                    pay[i * p + c] += t;
                    payAbs[i * p + c] += Math.Abs(t);
                }
            }
        }
        return new Want(lse, zScale, grad, gradAbs, pay, payAbs);
    }

    private static void Sweep(bool dot, double eps, double[] x, double[] y, double[]? h, int d, double[] lse, double scale, double[] grad,
        double[]? payload = null, int p = 0, double[]? pay = null)
    {
        if (dot && payload != null) PairSweep.RowLogSumExpWithGradient(new DotTanhTerm<double>(eps), x, y, h, d, lse, scale, grad, payload, p, pay);
        else if (dot) PairSweep.RowLogSumExpWithGradient(new DotTanhTerm<double>(eps), x, y, h, d, lse, scale, grad);
        else if (payload != null) PairSweep.RowLogSumExpWithGradient(new NegativeCostTerm<double>(eps), x, y, h, d, lse, scale, grad, payload, p, pay);
        else PairSweep.RowLogSumExpWithGradient(new NegativeCostTerm<double>(eps), x, y, h, d, lse, scale, grad);
    }

    private static void SweepF(bool dot, double eps, float[] x, float[] y, float[]? h, int d, float[] lse, double scale, float[] grad,
        float[]? payload = null, int p = 0, float[]? pay = null)
    {
        if (dot && payload != null) PairSweep.RowLogSumExpWithGradient(new DotTanhTerm<float>(eps), x, y, h, d, lse, scale, grad, payload, p, pay);
        else if (dot) PairSweep.RowLogSumExpWithGradient(new DotTanhTerm<float>(eps), x, y, h, d, lse, scale, grad);
        else if (payload != null) PairSweep.RowLogSumExpWithGradient(new NegativeCostTerm<float>(eps), x, y, h, d, lse, scale, grad, payload, p, pay);
        else PairSweep.RowLogSumExpWithGradient(new NegativeCostTerm<float>(eps), x, y, h, d, lse, scale, grad);
    }

    private static PairOracle.Term TermOf(bool dot, double eps) => dot ? PairOracle.DotTanh(eps) : PairOracle.NegativeCost(eps);

    [Theory]
    [InlineData(1, 1, 1, false, false)]
    [InlineData(5, 7, 3, true, false)]
    [InlineData(37, 300, 1, true, true)]
    [InlineData(70, 1100, 3, false, false)]
    [InlineData(13, 259, 17, true, false)]
    [InlineData(66, 1031, 17, false, true)]
    [InlineData(9, 2600, 3, true, false)]
    public void RowLogSumExpWithGradient_MatchesADoubleLoop(int n, int m, int d, bool withH, bool dot)
    {
        double[] x = PairOracle.Normal(n * d, n + 11), y = PairOracle.Normal(m * d, m + 12);
        double[]? h = withH ? PairOracle.Normal(m, 13).Select(v => 3 * v).ToArray() : null;
        double eps = dot ? 0.7 : 0.5, scale = -0.5;
        int p = d + 2;
        double[] payload = PairOracle.Normal(m * p, 14);
        Want want = Oracle(TermOf(dot, eps), x, y, h, d, scale, payload, p);
        var lse = new double[n];
        var grad = new double[n * d];
        var pay = new double[n * p];
        Sweep(dot, eps, x, y, h, d, lse, scale, grad, payload, p, pay);
        for (int i = 0; i < n; i++) Reference.Close(want.Lse[i], lse[i], 0, 1e-13 * want.ZScale[i], $"double L[{i}]");
        for (int k = 0; k < n * d; k++) Reference.Close(want.Grad[k], grad[k], 0, 1e-12 * want.GradAbs[k] * want.ZScale[k / d] + 1e-300, $"double grad[{k}]");
        for (int k = 0; k < n * p; k++) Reference.Close(want.Pay[k], pay[k], 0, 1e-12 * want.PayAbs[k] * want.ZScale[k / p] + 1e-300, $"double payload[{k}]");

        // Without the payload: the same value and gradient bits (the payload only adds sums).
        var lse2 = new double[n];
        var grad2 = new double[n * d];
        Sweep(dot, eps, x, y, h, d, lse2, scale, grad2);
        Assert.Equal(lse, lse2);
        Assert.Equal(grad, grad2);

        // float: the exponents z in float carry a relative error of a few ulps (2^-24), so each weight e^(z - L) is off
        // by about |z| · 2^-22 relative; the bound is 1e-6 · (1 + max|z|) for L and 2e-5 · (1 + max|z|) on the scale of
        // the gradient and payload sums.
        float[] xf = PairOracle.ToFloat(x), yf = PairOracle.ToFloat(y), pf = PairOracle.ToFloat(payload);
        float[]? hf = h is null ? null : PairOracle.ToFloat(h);
        Want wantF = Oracle(TermOf(dot, eps), xf, yf, hf, d, scale, pf, p);
        var lseF = new float[n];
        var gradF = new float[n * d];
        var payF = new float[n * p];
        SweepF(dot, eps, xf, yf, hf, d, lseF, scale, gradF, pf, p, payF);
        for (int i = 0; i < n; i++) Reference.Close(wantF.Lse[i], lseF[i], 0, 1e-6 * wantF.ZScale[i], $"float L[{i}]");
        for (int k = 0; k < n * d; k++) Reference.Close(wantF.Grad[k], gradF[k], 0, 2e-5 * wantF.GradAbs[k] * wantF.ZScale[k / d] + 1e-30, $"float grad[{k}]");
        for (int k = 0; k < n * p; k++) Reference.Close(wantF.Pay[k], payF[k], 0, 2e-5 * wantF.PayAbs[k] * wantF.ZScale[k / p] + 1e-30, $"float payload[{k}]");
    }

    [Theory]
    [InlineData(1e-4, 0.0)]   // φ down to about -1e4 · |x - y|²: every term but the nearest underflows
    [InlineData(1e-4, 700.0)] // and a large offset on top: e^(z) alone would overflow
    [InlineData(1e-3, -650.0)]
    public void RowLogSumExpWithGradient_ExtremeExponents_StayFiniteAndRight(double eps, double offset)
    {
        const int n = 21, m = 533, d = 3;
        double[] x = PairOracle.Normal(n * d, 21), y = PairOracle.Normal(m * d, 22);
        double[] h = PairOracle.Normal(m, 23).Select(v => offset + v).ToArray();
        Want want = Oracle(PairOracle.NegativeCost(eps), x, y, h, d, 1.0, null, 0);
        Assert.Contains(want.ZScale, s => s > 1e3);
        var lse = new double[n];
        var grad = new double[n * d];
        Sweep(false, eps, x, y, h, d, lse, 1.0, grad);
        for (int i = 0; i < n; i++)
        {
            Assert.True(double.IsFinite(lse[i]), $"L[{i}] = {lse[i]}");
            Reference.Close(want.Lse[i], lse[i], 0, 1e-13 * want.ZScale[i], $"L[{i}]");
        }
        for (int k = 0; k < n * d; k++)
        {
            Assert.True(double.IsFinite(grad[k]), $"grad[{k}] = {grad[k]}");
            Reference.Close(want.Grad[k], grad[k], 0, 1e-12 * want.GradAbs[k] * want.ZScale[k / d] + 1e-300, $"grad[{k}]");
        }

        float[] xf = PairOracle.ToFloat(x), yf = PairOracle.ToFloat(y), hf = PairOracle.ToFloat(h);
        Want wantF = Oracle(PairOracle.NegativeCost(eps), xf, yf, hf, d, 1.0, null, 0);
        var lseF = new float[n];
        var gradF = new float[n * d];
        SweepF(false, eps, xf, yf, hf, d, lseF, 1.0, gradF);
        for (int i = 0; i < n; i++) Reference.Close(wantF.Lse[i], lseF[i], 0, 1e-6 * wantF.ZScale[i], $"float L[{i}]");
        for (int k = 0; k < n * d; k++)
        {
            Assert.True(float.IsFinite(gradF[k]), $"float grad[{k}] = {gradF[k]}");
            Reference.Close(wantF.Grad[k], gradF[k], 0, 2e-5 * wantF.GradAbs[k] * wantF.ZScale[k / d] + 1e-30, $"float grad[{k}]");
        }
    }

    [Theory]
    [InlineData(3, false)]
    [InlineData(17, true)]
    public void RowLogSumExpWithGradient_MatchesCentralDifferences(int d, bool dot)
    {
        const int n = 6, m = 301;
        double eps = dot ? 0.4 : 0.8;
        double[] x = PairOracle.Normal(n * d, 31), y = PairOracle.Normal(m * d, 32), h = PairOracle.Normal(m, 33);
        var lse = new double[n];
        var grad = new double[n * d];
        Sweep(dot, eps, x, y, h, d, lse, 1.0, grad);
        const double step = 1e-5;
        var plus = new double[n];
        var minus = new double[n];
        var scratch = new double[n * d];
        for (int k = 0; k < n * d; k++)
        {
            double keep = x[k];
            x[k] = keep + step;
            Sweep(dot, eps, x, y, h, d, plus, 1.0, scratch);
            x[k] = keep - step;
            Sweep(dot, eps, x, y, h, d, minus, 1.0, scratch);
            x[k] = keep;
            double numeric = (plus[k / d] - minus[k / d]) / (2 * step);
            Reference.Close(numeric, grad[k], 1e-6, 1e-7, $"∂L[{k / d}]/∂x[{k}]");
        }
    }

    [Fact]
    public void RowLogSumExpWithGradient_SameBits_At1_2_16Threads()
    {
        const int n = 900, m = 777, d = 3, p = 4;
        double[] x = PairOracle.Normal(n * d, 41), y = PairOracle.Normal(m * d, 42), h = PairOracle.Normal(m, 43), payload = PairOracle.Normal(m * p, 44);
        float[] xf = PairOracle.ToFloat(x), yf = PairOracle.ToFloat(y), hf = PairOracle.ToFloat(h);
        string Run()
        {
            var lse = new double[n];
            var grad = new double[n * d];
            var pay = new double[n * p];
            var lseF = new float[n];
            var gradF = new float[n * d];
            var payF = new float[n * d];
            Sweep(false, 0.3, x, y, h, d, lse, 2.0, grad, payload, p, pay);
            SweepF(true, 0.5, xf, yf, hf, d, lseF, 1.0, gradF, yf, d, payF);
            return string.Join(",", lse.Concat(grad).Concat(pay).Select(e => BitConverter.DoubleToInt64Bits(e).ToString("X"))) + "|"
                + string.Join(",", lseF.Concat(gradF).Concat(payF).Select(e => BitConverter.SingleToInt32Bits(e).ToString("X")));
        }
        int old = KernelSettings.MaxDegreeOfParallelism;
        try
        {
            KernelSettings.MaxDegreeOfParallelism = 1;
            string one = Run();
            KernelSettings.MaxDegreeOfParallelism = 2;
            Assert.Equal(one, Run());
            KernelSettings.MaxDegreeOfParallelism = 16;
            Assert.Equal(one, Run());
        }
        finally { KernelSettings.MaxDegreeOfParallelism = old; }
    }

    [Fact]
    public void RowLogSumExpWithGradient_ZeroWeights_AreLeftOut_AndAllZeroGivesMinusInfinityAndZeros()
    {
        const int n = 11, m = 300, d = 3;
        double[] x = PairOracle.Normal(n * d, 61), y = PairOracle.Normal(m * d, 62), h = PairOracle.Normal(m, 63);
        for (int j = 0; j < m; j += 3) h[j] = double.NegativeInfinity; // log b_j of b_j = 0
        Want want = Oracle(PairOracle.NegativeCost(0.4), x, y, h, d, 1.0, null, 0);
        var lse = new double[n];
        var grad = new double[n * d];
        Sweep(false, 0.4, x, y, h, d, lse, 1.0, grad);
        for (int i = 0; i < n; i++) Reference.Close(want.Lse[i], lse[i], 0, 1e-13 * want.ZScale[i], $"L[{i}]");
        for (int k = 0; k < n * d; k++) Reference.Close(want.Grad[k], grad[k], 0, 1e-12 * want.GradAbs[k] * want.ZScale[k / d] + 1e-300, $"grad[{k}]");

        Array.Fill(h, double.NegativeInfinity);
        Sweep(false, 0.4, x, y, h, d, lse, 1.0, grad);
        Assert.All(lse, v => Assert.Equal(double.NegativeInfinity, v));
        Assert.All(grad, v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void RowLogSumExpWithGradient_ValueMatchesTheValueOnlySweep_AndBadLengthsThrow()
    {
        const int n = 10, m = 45, d = 3;
        double[] x = PairOracle.Normal(n * d, 51), y = PairOracle.Normal(m * d, 52), h = PairOracle.Normal(m, 53);
        var term = new NegativeCostTerm<double>(0.6);
        var lse = new double[n];
        var grad = new double[n * d];
        var valueOnly = new double[n];
        PairSweep.RowLogSumExpWithGradient(term, x, y, h, d, lse, 1.0, grad);
        PairSweep.RowLogSumExp(term, x, y, h, d, valueOnly);
        for (int i = 0; i < n; i++) Reference.Close(valueOnly[i], lse[i], 1e-15, 1e-15, $"L[{i}]");

        Assert.Equal("gradX", Assert.ThrowsAny<ArgumentException>(() => PairSweep.RowLogSumExpWithGradient(term, x, y, h, d, lse, 1.0, new double[n * d - 1])).ParamName);
        Assert.Equal("gradX", Assert.ThrowsAny<ArgumentException>(() => PairSweep.RowLogSumExpWithGradient(term, x, y, h, d, lse, 1.0, Span<double>.Empty)).ParamName);
        Assert.Equal("output", Assert.ThrowsAny<ArgumentException>(() => PairSweep.RowLogSumExpWithGradient(term, x, y, h, d, new double[n + 1], 1.0, grad)).ParamName);
        Assert.Equal("payload", Assert.ThrowsAny<ArgumentException>(() => PairSweep.RowLogSumExpWithGradient(term, x, y, h, d, lse, 1.0, grad, new double[m * 2 - 1], 2, new double[n * 2])).ParamName);
        Assert.Equal("barycentric", Assert.ThrowsAny<ArgumentException>(() => PairSweep.RowLogSumExpWithGradient(term, x, y, h, d, lse, 1.0, grad, new double[m * 2], 2, new double[n * 2 + 1])).ParamName);
        Assert.Equal("p", Assert.ThrowsAny<ArgumentException>(() => PairSweep.RowLogSumExpWithGradient(term, x, y, h, d, lse, 1.0, grad, new double[m * 2], 0, new double[n * 2])).ParamName);
    }
}
