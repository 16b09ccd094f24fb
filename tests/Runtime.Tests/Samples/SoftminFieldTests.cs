using KernelDsl.Language;
using KernelDsl.Language.Binding;
using KernelDsl.Language.Interpretation;
using KernelDsl.Runtime.Tests.Catalogue;
using KernelDsl.Runtime.Tests.Pairs;

namespace KernelDsl.Runtime.Tests.Samples;

/// <summary>The weighted softmin of Sinkhorn per point, <c>F_i = -ε log Σ_j b_j e^(-|x_i - y_j|² / ε)</c>, with its gradient.</summary>
[Divergence("(x: points, y: points(b); eps) => -eps * logsumexp_j(-sqdist(x, y) / eps)")]
internal static partial class WeightedSoftmin;

/// <summary>
/// The softmin field's ValueAndGradient (a softmax-weighted sweep, PairSweep.RowLogSumExpWithGradient): value and
/// gradient against the sample interpreter (the field's value, and the gradient of the scalar Σ_i F_i, whose derivative
/// in x_i is ∇_{x_i} F_i), central differences of the generated double value, float within a stated bound, small ε,
/// and the same bits at 1, 2 and 16 threads.
/// </summary>
[Collection(nameof(ParallelismCollection))]
public class SoftminFieldTests
{
    private const string Summed = "(x: points, y: points(b); eps) => sum(-eps * logsumexp_j(-sqdist(x, y) / eps))";

    private static BoundSampleFormula Bind(string text)
    {
        var bag = new DiagnosticBag();
        var bound = SampleBinder.Compile(text, bag);
        Assert.False(bag.HasErrors, string.Join("; ", bag.Items));
        return bound;
    }

    // 1 + max_ij |z_ij|, z = -|x_i - y_j|² / ε + log b_j: the scale of the exponents, and so of the rounding of the weights.
    private static double ExponentScale(double[] x, double[] y, double[] b, int d, double eps)
    {
        double s = 0;
        for (int i = 0; i < x.Length / d; i++)
            for (int j = 0; j < y.Length / d; j++)
            {
                double f = 0;
                for (int k = 0; k < d; k++) f += (x[i * d + k] - y[j * d + k]) * (x[i * d + k] - y[j * d + k]);
                s = Math.Max(s, Math.Abs(-f / eps + Math.Log(b[j])));
            }
        return 1 + s;
    }

    [Theory]
    [InlineData(1, 1, 1, 0.5)]
    [InlineData(5, 7, 3, 0.5)]
    [InlineData(37, 300, 17, 4.0)]
    [InlineData(70, 1100, 3, 0.2)]
    [InlineData(13, 259, 3, 1e-3)] // every weight but the nearest point's underflows
    public void WeightedSoftmin_MatchesTheSampleInterpreter_ValueAndGradient(int n, int m, int d, double eps)
    {
        double[] x = PairOracle.Normal(n * d, n + 61), y = PairOracle.Normal(m * d, m + 62), b = PairOracle.Positive(m, 63);
        var inputs = new SampleInputs(d, new[] { x, y }, new[] { null, b }, new[] { eps });
        double[] want = SampleInterpreter.Evaluate(Bind(WeightedSoftmin.Formula), inputs);
        double[] wantGrad = SampleInterpreter.Gradient(Bind(Summed), inputs).Clouds[0];
        double zScale = ExponentScale(x, y, b, d, eps), gScale = Math.Max(1e-3, wantGrad.Max(Math.Abs));

        var value = new double[n];
        var both = new double[n];
        var grad = new double[n * d];
        WeightedSoftmin.Value(x, y, b, d, value, eps);
        WeightedSoftmin.ValueAndGradient(x, y, b, d, both, grad, eps);
        for (int i = 0; i < n; i++)
        {
            Reference.Close(want[i], value[i], 1e-12, 1e-14 * eps * zScale, $"F[{i}]");
            Reference.Close(want[i], both[i], 1e-12, 1e-14 * eps * zScale, $"F[{i}] with the gradient");
        }
        for (int k = 0; k < grad.Length; k++) Reference.Close(wantGrad[k], grad[k], 1e-12, 1e-14 * gScale * zScale, $"dF[{k}]");

        // float: the exponents in float are off by about |z| · 2^-23, so each softmax weight by as much relative; the
        // bound is 1e-6 · ε · (1 + max|z|) for F and 4e-6 · (1 + max|z|) · max|2 (x_i - y_j)| for the gradient.
        float[] xf = PairOracle.ToFloat(x), yf = PairOracle.ToFloat(y), bf = PairOracle.ToFloat(b);
        double[] xd = xf.Select(e => (double)e).ToArray(), yd = yf.Select(e => (double)e).ToArray(), bd = bf.Select(e => (double)e).ToArray();
        var inputsF = new SampleInputs(d, new[] { xd, yd }, new[] { null, bd }, new[] { (double)(float)eps });
        double[] wantF = SampleInterpreter.Evaluate(Bind(WeightedSoftmin.Formula), inputsF);
        double[] wantGradF = SampleInterpreter.Gradient(Bind(Summed), inputsF).Clouds[0];
        double spread = 2 * (xd.Concat(yd).Max() - xd.Concat(yd).Min());
        var valueF = new float[n];
        var gradF = new float[n * d];
        WeightedSoftmin.ValueAndGradient(xf, yf, bf, d, valueF, gradF, (float)eps);
        for (int i = 0; i < n; i++) Reference.Close(wantF[i], valueF[i], 1e-6, 1e-6 * eps * zScale, $"float F[{i}]");
        for (int k = 0; k < gradF.Length; k++) Reference.Close(wantGradF[k], gradF[k], 0, 4e-6 * zScale * spread, $"float dF[{k}]");
    }

    [Fact]
    public void WeightedSoftmin_Gradient_IsTheCentralDifferenceOfEachPointsValue()
    {
        const int n = 7, m = 90, d = 3;
        const double eps = 0.7, h = 1e-5;
        double[] x = PairOracle.Normal(n * d, 71), y = PairOracle.Normal(m * d, 72), b = PairOracle.Positive(m, 73);
        var g = new double[x.Length];
        WeightedSoftmin.ValueAndGradient(x, y, b, d, default, g, eps);
        var plus = new double[n];
        var minus = new double[n];
        for (int k = 0; k < x.Length; k++)
        {
            double keep = x[k];
            x[k] = keep + h;
            WeightedSoftmin.Value(x, y, b, d, plus, eps);
            x[k] = keep - h;
            WeightedSoftmin.Value(x, y, b, d, minus, eps);
            x[k] = keep;
            int i = k / d;
            Reference.Close((plus[i] - minus[i]) / (2 * h), g[k], 1e-6, 1e-8, $"dF[{k}]");
        }
    }

    [Fact]
    public void WeightedSoftmin_ValueAndGradient_SameBits_At1_2_16Threads()
    {
        const int n = 500, m = 400, d = 3;
        double[] x = PairOracle.Normal(n * d, 81), y = PairOracle.Normal(m * d, 82), b = PairOracle.Positive(m, 83);
        float[] xf = PairOracle.ToFloat(x), yf = PairOracle.ToFloat(y), bf = PairOracle.ToFloat(b);
        string Run()
        {
            var v = new double[n];
            var g = new double[n * d];
            var vf = new float[n];
            var gf = new float[n * d];
            WeightedSoftmin.ValueAndGradient(x, y, b, d, v, g, 0.3);
            WeightedSoftmin.ValueAndGradient(xf, yf, bf, d, vf, gf, 0.3f);
            return string.Join(",", v.Concat(g).Select(e => BitConverter.DoubleToInt64Bits(e).ToString("X"))) + "|"
                + string.Join(",", vf.Concat(gf).Select(e => BitConverter.SingleToInt32Bits(e).ToString("X")));
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
}
