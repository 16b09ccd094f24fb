using KernelDsl.Catalogue;
using static KernelDsl.Runtime.Tests.Catalogue.Reference;

namespace KernelDsl.Runtime.Tests.Catalogue;

/// <summary>Determinism across thread counts, large-n accuracy, special-value conventions, and bad input.</summary>
[Collection(nameof(ParallelismCollection))]
public class KernelBehaviourTests
{
    private static float[] Distribution(int n, int seed)
    {
        var rng = new Random(seed);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(0.01 + rng.NextDouble());
        return x;
    }

    private static T WithParallelism<T>(int degree, Func<T> f)
    {
        int old = KernelSettings.MaxDegreeOfParallelism;
        KernelSettings.MaxDegreeOfParallelism = degree;
        try { return f(); }
        finally { KernelSettings.MaxDegreeOfParallelism = old; }
    }

    [Fact]
    public void SameBitsForAnyDegreeOfParallelism()
    {
        int n = 3_000_017; // many chunks and a ragged tail
        var p = Distribution(n, 1);
        var q = Distribution(n, 2);
        float Run(int d, float[] dp) => WithParallelism(d, () => KullbackLeibler.ValueAndGradient(p, q, dp, default));
        var g1 = new float[n]; var g2 = new float[n]; var g16 = new float[n];
        float v1 = Run(1, g1), v2 = Run(2, g2), v16 = Run(16, g16);
        Assert.Equal(BitConverter.SingleToInt32Bits(v1), BitConverter.SingleToInt32Bits(v2));
        Assert.Equal(BitConverter.SingleToInt32Bits(v1), BitConverter.SingleToInt32Bits(v16));
        Assert.True(g1.AsSpan().SequenceEqual(g2) && g1.AsSpan().SequenceEqual(g16));

        double r1 = WithParallelism(1, () => Renyi.Value(p.Select(x => (double)x).ToArray(), q.Select(x => (double)x).ToArray(), 2.0));
        double r16 = WithParallelism(16, () => Renyi.Value(p.Select(x => (double)x).ToArray(), q.Select(x => (double)x).ToArray(), 2.0));
        Assert.Equal(BitConverter.DoubleToInt64Bits(r1), BitConverter.DoubleToInt64Bits(r16));

        var t = Distribution(64 * 4096, 3); var s = Distribution(64 * 4096, 4);
        var ds1 = new float[t.Length]; var ds16 = new float[t.Length];
        float k1 = WithParallelism(1, () => DistillationKl.RowsAndGradient(t, s, 4096, default, RowReduction.BatchMean, default, ds1, 2f));
        float k16 = WithParallelism(16, () => DistillationKl.RowsAndGradient(t, s, 4096, default, RowReduction.BatchMean, default, ds16, 2f));
        Assert.Equal(BitConverter.SingleToInt32Bits(k1), BitConverter.SingleToInt32Bits(k16));
        Assert.True(ds1.AsSpan().SequenceEqual(ds16));
    }

    [Fact]
    public void FloatKlAt16MillionIsWithin1e6OfDouble()
    {
        int n = 16 << 20;
        var rng = new Random(7);
        var p = new float[n];
        var q = new float[n];
        for (int i = 0; i < n; i++) { p[i] = (float)(rng.NextDouble() + 1e-3); q[i] = (float)(rng.NextDouble() + 1e-3); }
        // The reference: the same float inputs, widened, summed in double with compensation.
        double sum = 0, c = 0;
        for (int i = 0; i < n; i++)
        {
            double term = p[i] * Math.Log((double)p[i] / q[i]);
            double t = sum + term;
            c += Math.Abs(sum) >= Math.Abs(term) ? (sum - t) + term : (term - t) + sum;
            sum = t;
        }
        double reference = sum + c;
        float got = KullbackLeibler.Value(p, q);
        Assert.True(Math.Abs(got - reference) <= 1e-6 * Math.Abs(reference), $"float {got:R} vs double {reference:R}: relative {Math.Abs(got - reference) / Math.Abs(reference):E2}");
    }

    [Fact]
    public void ConventionsGridMatchesScipy()
    {
        foreach (var c in Cases("conventions"))
        {
            double x = Number(c.GetProperty("x")), y = Number(c.GetProperty("y"));
            // KL is rel_entr summed: identical to scipy on the whole grid, in double and (where the values are floats) in float.
            // The grid is scipy 1.10's, which computed x log(x / y) as written: where x / y overflows or underflows for
            // finite positive x, y (5e-324 / 2 rounds to 0) it gave ±inf or lost digits, and the true value, which the
            // kernels give, is x (log x - log y).
            double relEntr = Number(c.GetProperty("rel_entr"));
            bool ratioOutOfRange = x > 0 && y > 0 && double.IsFinite(x) && double.IsFinite(y) && !double.IsNormal(x / y);
            if (ratioOutOfRange) relEntr = x * (Math.Log(x) - Math.Log(y));
            Close(relEntr, KullbackLeibler.Value(new[] { x }, new[] { y }), 1e-15, 0, $"rel_entr({x}, {y})");
            if ((double)(float)x == x && (double)(float)y == y && Math.Abs(x) > 1e-37 || x == 0)
            {
                double expectedF = (float)relEntr;
                Close(expectedF, KullbackLeibler.Value(new[] { (float)x }, new[] { (float)y }), 1e-6, 1e-44, $"float rel_entr({x}, {y})");
            }
            // Generalized KL is rel_entr(x, y) - x + y: scipy's kl_div wherever no inf - inf arises (x or y infinite: NaN here,
            // inf in scipy; documented in README).
            if (double.IsFinite(x) && double.IsFinite(y))
                Close(ratioOutOfRange ? relEntr - x + y : Number(c.GetProperty("kl_div")), GeneralizedKullbackLeibler.Value(new[] { x }, new[] { y }), 1e-15, 0, $"kl_div({x}, {y})");
            if (x >= 0)
                Close(-Number(c.GetProperty("entr_x")), -Entropy.Value(new[] { x }), 1e-15, 0, $"entr({x})");
        }
    }

    [Fact]
    public void KlGradientWithRespectToQIsZeroWherePIsZero()
    {
        // Sparse targets: d/dq rel_entr(p, q) = -p/q must be 0 where p = 0, also where q = 0 (xdivy), in double and float.
        double[] p = { 0.0, 0.5, 0.0, 0.5 }, q = { 0.25, 0.25, 0.0, 0.5 };
        var dq = new double[4];
        double v = KullbackLeibler.ValueAndGradient(p, q, default, dq);
        Assert.Equal(0.5 * Math.Log(2.0), v, 15);
        Assert.Equal(new[] { 0.0, -2.0, 0.0, -1.0 }, dq.Select(x => x == 0 ? 0.0 : x).ToArray());
        var dqf = new float[4];
        KullbackLeibler.ValueAndGradient(p.Select(x => (float)x).ToArray(), q.Select(x => (float)x).ToArray(), default, dqf);
        Assert.Equal(new[] { 0f, -2f, 0f, -1f }, dqf.Select(x => x == 0 ? 0f : x).ToArray());
    }

    [Fact]
    public void BadInputGivesArgumentExceptionsNamingTheArgument()
    {
        var a = new float[8]; var b = new float[7];
        Assert.Equal("q", Assert.Throws<ArgumentException>(() => KullbackLeibler.Value(a, b)).ParamName);
        Assert.Equal("dq", Assert.Throws<ArgumentException>(() => KullbackLeibler.ValueAndGradient(a, a, default, new float[3])).ParamName);
        Assert.Equal("dp", Assert.Throws<ArgumentException>(() => KullbackLeibler.ValueAndGradient(a, a, new float[9], default)).ParamName);
        Assert.Equal("rowLength", Assert.Throws<ArgumentOutOfRangeException>(() => KullbackLeibler.Rows(a, a, 0, default, RowReduction.Sum)).ParamName);
        Assert.Equal("rowLength", Assert.Throws<ArgumentOutOfRangeException>(() => KullbackLeibler.Rows(a, a, -4, default, RowReduction.Sum)).ParamName);
        Assert.Equal("rowLength", Assert.Throws<ArgumentException>(() => KullbackLeibler.Rows(a, a, 3, default, RowReduction.Sum)).ParamName);
        Assert.Equal("perRow", Assert.Throws<ArgumentException>(() => KullbackLeibler.Rows(a, a, 4, new float[1], RowReduction.None)).ParamName);
        Assert.Equal("dParameters", Assert.Throws<ArgumentException>(() => Renyi.ValueAndGradient(a, a, default, default, 2f, new float[2])).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => KernelSettings.MaxDegreeOfParallelism = 0);
        var logits = new float[8];
        Assert.Equal("ds", Assert.Throws<ArgumentException>(() => DistillationKl.RowsAndGradient(new float[8], logits, 4, default, RowReduction.Sum, default, logits, 1f)).ParamName);
        Assert.Equal("dq", Assert.Throws<ArgumentException>(() => KullbackLeibler.ValueAndGradient(a, logits, default, logits)).ParamName);
    }

    [Fact]
    public void EmptyInputGivesEachReductionsEmptyValue()
    {
        var e = System.Array.Empty<double>();
        Assert.Equal(0.0, KullbackLeibler.Value(e, e));                 // sum over nothing
        Assert.True(double.IsNaN(KlEstimatorK1.Value(e, e)));            // mean over nothing: 0/0
        Assert.Equal(0.0, KullbackLeibler.ValueAndGradient(e, e, e, e));
        Assert.Equal(0.0, DistillationKl.Rows(e, e, 4, default, RowReduction.Sum, 1.0)); // no rows
        // logsumexp over nothing is -inf, so a softmax over nothing is NaN-free only because nothing is summed.
        Assert.Equal(0.0, DistillationKl.Value(e, e, 1.0));
    }

    /// <summary>
    /// A row's gradient with an upstream factor u is u times the gradient with none, exactly (one float multiply per
    /// element): u = 1 runs the loop that stores the gradients as computed (DirectStores), the others the loop that
    /// multiplies them by the seed (GuardedStores).
    /// Rows of 100 elements run at the widest width this machine has (one width per run): whole vectors, then, at 256 or
    /// 512 bits (100 is not a multiple of 8 or 16 floats), an overlapping last vector; zeros in p cover the lanes where
    /// d/dp is 0.
    /// </summary>
    [Fact]
    public void Upstream_scales_each_rows_gradient_exactly()
    {
        int v = 100;
        float[] upstream = { 1f, 0.5f, 3f, -0.7f };
        int rows = upstream.Length;
        var p = Distribution(rows * v, 21);
        var q = Distribution(rows * v, 22);
        for (int i = 0; i < p.Length; i += 7) p[i] = 0f;
        float[] dp1 = new float[p.Length], dq1 = new float[p.Length], dpU = new float[p.Length], dqU = new float[p.Length];
        KullbackLeibler.RowsAndGradient(p, q, v, default, RowReduction.Sum, dp1, dq1);
        KullbackLeibler.RowsAndGradient(p, q, v, default, RowReduction.Sum, dpU, dqU, upstream);
        for (int i = 0; i < p.Length; i++)
        {
            float u = upstream[i / v];
            Assert.Equal(BitConverter.SingleToInt32Bits(u * dp1[i]), BitConverter.SingleToInt32Bits(dpU[i]));
            Assert.Equal(BitConverter.SingleToInt32Bits(u * dq1[i]), BitConverter.SingleToInt32Bits(dqU[i]));
        }
    }

    /// <summary>
    /// Asking for some gradients of a formula of more than two inputs runs the kernel of every gradient with the others'
    /// pointers null (the loop that tests them, GuardedStores): the gradients asked for are bit for bit those of the call
    /// that asks for all (DirectStores). 100 elements: whole vectors and a tail.
    /// </summary>
    [Fact]
    public void Some_gradients_of_many_inputs_equal_those_of_all()
    {
        int n = 100;
        float[][] x = Enumerable.Range(0, 4).Select(k => Distribution(n, 31 + k).Select(v => 4 * v - 2).ToArray()).ToArray();
        float[][] all = Enumerable.Range(0, 4).Select(_ => new float[n]).ToArray();
        float value = Dpo.ValueAndGradient(x[0], x[1], x[2], x[3], all[0], all[1], all[2], all[3], 0.1f);
        float[] d0 = new float[n], d2 = new float[n];
        float some = Dpo.ValueAndGradient(x[0], x[1], x[2], x[3], d0, default, d2, default, 0.1f);
        Assert.Equal(value, some);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(all[0][i]), BitConverter.SingleToInt32Bits(d0[i]));
            Assert.Equal(BitConverter.SingleToInt32Bits(all[2][i]), BitConverter.SingleToInt32Bits(d2[i]));
        }

        Assert.Contains(d0, g => g != 0f); // not vacuous: the gradients compared are not all zero
        Assert.Contains(d2, g => g != 0f);
    }

    [Fact]
    public void RowReductionsAndGradientScales()
    {
        int rows = 3, v = 5;
        var t = Distribution(rows * v, 11).Select(x => (double)x * 4).ToArray();
        var s = Distribution(rows * v, 12).Select(x => (double)x * 4).ToArray();
        var per = new double[rows];
        double sum = DistillationKl.Rows(t, s, v, per, RowReduction.Sum, 2.0);
        for (int r = 0; r < rows; r++)
            Close(DistillationKl.Value(t.AsSpan(r * v, v), s.AsSpan(r * v, v), 2.0), per[r], 1e-15, 1e-15, $"row {r}");
        Close(per.Sum(), sum, 1e-15, 0, "sum");
        Close(sum / rows, DistillationKl.Rows(t, s, v, default, RowReduction.BatchMean, 2.0), 1e-15, 0, "batchmean");
        Close(sum / (rows * v), DistillationKl.Rows(t, s, v, default, RowReduction.Mean, 2.0), 1e-15, 0, "mean");
        var dsSum = new double[t.Length]; var dsMean = new double[t.Length];
        DistillationKl.RowsAndGradient(t, s, v, default, RowReduction.Sum, default, dsSum, 2.0);
        DistillationKl.RowsAndGradient(t, s, v, default, RowReduction.Mean, default, dsMean, 2.0);
        for (int i = 0; i < t.Length; i++) Close(dsSum[i] / (rows * v), dsMean[i], 1e-14, 1e-17, $"ds[{i}]");
        // The gradient against central differences of the value.
        double h = 1e-6;
        for (int i = 0; i < t.Length; i += 4)
        {
            var sp = (double[])s.Clone(); sp[i] += h;
            var sm = (double[])s.Clone(); sm[i] -= h;
            double fd = (DistillationKl.Rows(t, sp, v, default, RowReduction.Sum, 2.0) - DistillationKl.Rows(t, sm, v, default, RowReduction.Sum, 2.0)) / (2 * h);
            Close(fd, dsSum[i], 1e-6, 1e-8, $"central difference ds[{i}]");
        }
    }
}

[CollectionDefinition(nameof(ParallelismCollection), DisableParallelization = true)]
public class ParallelismCollection { }
