using KernelDsl.Catalogue;
using KernelDsl.Language;
using KernelDsl.Language.Interpretation;
using static KernelDsl.Runtime.Tests.Catalogue.Reference;

namespace KernelDsl.Runtime.Tests.Catalogue;

/// <summary>
/// The losses on logits with row-level inputs: against tests/reference where it has data, against the double
/// interpreter for the rest, and the row semantics (ignore index, masks, zero weights, labels out of range, upstream).
/// </summary>
public class LogitLossTests
{
    internal delegate double Single(double[][] x, double[] rows, double[] a, double[][] dx);

    internal sealed record Member(string Formula, int Inputs, double[] Params, Single Run, double[]? RowValues = null);

    internal static readonly Dictionary<string, Member> Members = new()
    {
        ["CrossEntropy"] = new(CrossEntropy.Formula, 1, [], (x, r, a, d) => CrossEntropy.ValueAndGradient(x[0], d[0], (int)r[0]), [3]),
        ["CrossEntropySmoothed"] = new(CrossEntropySmoothed.Formula, 1, [0.1, 1e-3], (x, r, a, d) => CrossEntropySmoothed.ValueAndGradient(x[0], d[0], (int)r[0], a[0], a[1]), [5]),
        ["SkewKullbackLeiblerLogits"] = new(SkewKullbackLeiblerLogits.Formula, 2, [0.1], (x, r, a, d) => SkewKullbackLeiblerLogits.ValueAndGradient(x[0], x[1], d[0], d[1], a[0])),
        ["GeneralizedJensenShannonLogits"] = new(GeneralizedJensenShannonLogits.Formula, 2, [0.3], (x, r, a, d) => GeneralizedJensenShannonLogits.ValueAndGradient(x[0], x[1], d[0], d[1], a[0])),
        ["WeightedForwardReverseKl"] = new(WeightedForwardReverseKl.Formula, 2, [2.0], (x, r, a, d) => WeightedForwardReverseKl.ValueAndGradient(x[0], x[1], d[0], d[1], r[0], r[1], a[0]), [0.7, 0.3]),
        ["MaskedDistillationKl"] = new(MaskedDistillationKl.Formula, 3, [2.0], (x, r, a, d) => MaskedDistillationKl.ValueAndGradient(x[0], x[1], x[2], d[0], d[1], default, a[0])),
        ["NormalizedGeneralizedJsd"] = new(NormalizedGeneralizedJsd.Formula, 2, [0.3], (x, r, a, d) => NormalizedGeneralizedJsd.ValueAndGradient(x[0], x[1], d[0], d[1], a[0])),
        ["TokenAdaptiveDistillation"] = new(TokenAdaptiveDistillation.Formula, 2, [2.0], (x, r, a, d) => TokenAdaptiveDistillation.ValueAndGradient(x[0], x[1], d[0], d[1], (int)r[0], r[1], a[0]), [2, 0.0]),
    };

    public static IEnumerable<object[]> Names() => Members.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(Names))]
    public void GeneratedMatchesInterpreter(string name)
    {
        var m = Members[name];
        var compiled = FormulaCompiler.Compile(m.Formula);
        Assert.False(compiled.HasErrors);
        foreach (int n in new[] { 7, 33, 1000, 70_001 })
        {
            var rng = new Random(n + name.Length);
            var x = Enumerable.Range(0, m.Inputs).Select(_ => Enumerable.Range(0, n).Select(_ => 8 * rng.NextDouble() - 4).ToArray()).ToArray();
            if (name == "MaskedDistillationKl") x[2] = Enumerable.Range(0, n).Select(i => i % 3 == 0 ? 0.0 : 1.0).ToArray();
            var rows = m.RowValues ?? [];
            var d = x.Select(v => new double[n]).ToArray();
            double value = m.Run(x, rows, m.Params, d);
            // Only the gradients the call asked for: the interpreter's full plan also has the others.
            var oracle = Interpreter.Run(compiled.GradientPlan!, x, m.Params, rows);
            string at = $"{name} n={n}";
            Close(oracle.Value, value, 1e-12, 1e-13, at + " value");
            for (int i = 0; i < Math.Min(m.Inputs, 2); i++)
            {
                var g = oracle.InputGradients[i]!;
                double scale = g.Max(Math.Abs);
                for (int k = 0; k < n; k++) Close(g[k], d[i][k], 1e-9, 1e-12 * scale, $"{at} d{compiled.InputNames[i]}[{k}]");
            }
            if (name == "MaskedDistillationKl")
                for (int k = 0; k < n; k += 3) Assert.Equal(0.0, d[1][k]); // dropped tokens: exactly zero
        }
    }

    [Fact]
    public void CrossEntropyRowsMatchReference()
    {
        foreach (var c in Cases("cross_entropy_logits"))
        {
            string name = "cross_entropy_logits/" + c.GetProperty("name").GetString();
            int rows = c.GetProperty("rows").GetInt32(), cols = c.GetProperty("cols").GetInt32();
            var s = Array(c, "s");
            var labels = c.GetProperty("labels").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var perRow = Array(c, "per_row");
            var grad = Array(c, "grad_s_per_row_value");
            var got = new double[rows];
            var ds = new double[s.Length];
            double mean = CrossEntropy.RowsAndGradient(s, labels, cols, got, RowReduction.ValidMean, ds);
            Close(Number(c.GetProperty("mean")), mean, 1e-12, 0, name + " mean");
            for (int r = 0; r < rows; r++) Close(perRow[r], got[r], 1e-12, 1e-15, $"{name} row {r}");
            for (int k = 0; k < s.Length; k++) Close(grad[k] / rows, ds[k], 1e-9, 1e-15, $"{name} ds[{k}]");
            // float
            var sf = s.Select(v => (float)v).ToArray();
            var dsf = new float[s.Length];
            float meanF = CrossEntropy.RowsAndGradient(sf, labels, cols, default, RowReduction.ValidMean, dsf);
            Close(Number(c.GetProperty("mean")), meanF, 1e-5, 1e-6, name + " float mean");
            double scale = grad.Max(Math.Abs) / rows;
            for (int k = 0; k < s.Length; k++) Close(grad[k] / rows, dsf[k], 1e-5, 1e-5 * scale, $"{name} float ds[{k}]");
        }
    }

    [Fact]
    public void GeneralizedJsdRowsMatchReference()
    {
        foreach (var c in Cases("generalized_jsd_logits"))
        {
            string name = "generalized_jsd_logits/" + c.GetProperty("name").GetString();
            int rows = c.GetProperty("rows").GetInt32(), cols = c.GetProperty("cols").GetInt32();
            var got = new double[rows];
            GeneralizedJensenShannonLogits.Rows(Array(c, "t"), Array(c, "s"), cols, got, RowReduction.None, Param(c, "beta"));
            var perRow = Array(c, "per_row");
            for (int r = 0; r < rows; r++) Close(perRow[r], got[r], 1e-12, 1e-15, $"{name} row {r}");
        }
    }

    [Fact]
    public void IgnoredMaskedAndZeroWeightRowsGetExactlyZeroGradient()
    {
        int rows = 6, v = 50;
        var rng = new Random(9);
        var s = Enumerable.Range(0, rows * v).Select(_ => (float)(6 * rng.NextDouble() - 3)).ToArray();
        var t = Enumerable.Range(0, rows * v).Select(_ => (float)(6 * rng.NextDouble() - 3)).ToArray();
        s[3 * v + 7] = float.PositiveInfinity; // garbage in an ignored row must not leak
        int[] y = { 1, -100, 4, -100, 49, 0 };
        var ds = new float[s.Length];
        var per = new float[rows];
        float loss = CrossEntropy.RowsAndGradient(s, y, v, per, RowReduction.ValidMean, ds);
        for (int r = 0; r < rows; r++)
        {
            bool ignored = y[r] == -100;
            if (ignored) Assert.Equal(0f, per[r]);
            for (int k = 0; k < v; k++)
                if (ignored) Assert.Equal(0f, ds[r * v + k]);
        }
        Assert.Equal((per[0] + per[2] + per[4] + per[5]) / 4, loss, 5);

        // zero weights: BD-KD with wf = wr = 0 on a row.
        var wf = new float[] { 1, 0, 0.5f, 1, 0, 1 };
        var wr = new float[] { 0, 0, 0.5f, 1, 0, 0 };
        var dsw = new float[s.Length];
        s[3 * v + 7] = 0;
        WeightedForwardReverseKl.RowsAndGradient(t, s, wf, wr, v, default, RowReduction.Sum, default, dsw, 2f);
        for (int k = 0; k < v; k++) { Assert.Equal(0f, dsw[1 * v + k]); Assert.Equal(0f, dsw[4 * v + k]); }
    }

    [Fact]
    public void LabelsOutOfRangeAndRowCountsAreRejected()
    {
        var s = new float[12];
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => CrossEntropy.Rows(s, new[] { 0, 4, 1 }, 4, default, RowReduction.Sum));
        Assert.Equal("y", ex.ParamName);
        Assert.Contains("Row 1", ex.Message);
        Assert.Equal("y", Assert.Throws<ArgumentOutOfRangeException>(() => CrossEntropy.Rows(s, new[] { 0, -1, 1 }, 4, default, RowReduction.Sum)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => CrossEntropy.Rows(s, new[] { 0, 1 }, 4, default, RowReduction.Sum)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentOutOfRangeException>(() => CrossEntropy.Value(new float[4], 4)).ParamName);
        Assert.Equal("upstream", Assert.Throws<ArgumentException>(() => CrossEntropy.RowsAndGradient(s, new[] { 0, 1, 2 }, 4, default, RowReduction.None, new float[12], new float[2])).ParamName);
        // an ignored row may carry any label value, even one out of range
        CrossEntropy.Rows(s, new[] { 0, -7, 1 }, 4, default, RowReduction.Sum, ignoreIndex: -7);
    }

    [Fact]
    public void GeneralizedJsdMovesContinuouslyFromForwardToReverseKl()
    {
        int rows = 3, v = 257;
        var rng = new Random(6);
        var t = Enumerable.Range(0, rows * v).Select(_ => 6 * rng.NextDouble() - 3).ToArray();
        var s = Enumerable.Range(0, rows * v).Select(_ => 6 * rng.NextDouble() - 3).ToArray();
        double Jsd(double beta, double[] ds) => GeneralizedJsdDistillation.RowsAndGradient(t, s, v, default, RowReduction.Sum, default, ds, beta);
        var d0 = new double[s.Length]; var dEps = new double[s.Length]; var d1 = new double[s.Length]; var d1Eps = new double[s.Length];
        double forward = Jsd(0, d0), nearZero = Jsd(1e-6, dEps), reverse = Jsd(1, d1), nearOne = Jsd(1 - 1e-6, d1Eps);
        Close(DistillationKl.Rows(t, s, v, default, RowReduction.Sum, 1.0), forward, 1e-15, 0, "beta = 0 is forward KL");
        Close(ReverseDistillationKl.Rows(t, s, v, default, RowReduction.Sum, 1.0), reverse, 1e-15, 0, "beta = 1 is reverse KL");
        Close(forward, nearZero, 1e-5, 0, "continuous at 0");
        Close(reverse, nearOne, 1e-5, 0, "continuous at 1");
        // The gradient converges to the endpoint's as beta -> 0 (and 1): first order, so a thousand times closer at 1e-6
        // than at 1e-3 (up to rounding).
        double Gap(double[] a, double[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
        var dFar0 = new double[s.Length]; var dFar1 = new double[s.Length];
        Jsd(1e-3, dFar0); Jsd(1 - 1e-3, dFar1);
        Assert.True(Gap(d0, dEps) < Gap(d0, dFar0) / 100, $"ds at 0: gap {Gap(d0, dEps):E2} at 1e-6 vs {Gap(d0, dFar0):E2} at 1e-3");
        Assert.True(Gap(d1, d1Eps) < Gap(d1, dFar1) / 100, $"ds at 1: gap {Gap(d1, d1Eps):E2} at 1e-6 vs {Gap(d1, dFar1):E2} at 1e-3");
        // In between it is GKD's JSD divided by beta (1 - beta).
        var perRow = new double[rows];
        GeneralizedJensenShannonLogits.Rows(t, s, v, perRow, RowReduction.None, 0.3);
        Close(perRow.Sum() / (0.3 * 0.7), GeneralizedJsdDistillation.Rows(t, s, v, default, RowReduction.Sum, 0.3), 1e-12, 0, "normalised GKD JSD");
        Assert.Throws<ArgumentOutOfRangeException>(() => GeneralizedJsdDistillation.Rows(t, s, v, default, RowReduction.Sum, 1.5));
    }

    [Fact]
    public void InPlaceGradientOverTheLogitsWhenTheCallerOptsIn()
    {
        int rows = 5, v = 3001;
        var rng = new Random(8);
        var t = Enumerable.Range(0, rows * v).Select(_ => (float)(8 * rng.NextDouble() - 4)).ToArray();
        var s = Enumerable.Range(0, rows * v).Select(_ => (float)(8 * rng.NextDouble() - 4)).ToArray();
        var ds = new float[s.Length];
        float expected = DistillationKl.RowsAndGradient(t, s, v, default, RowReduction.BatchMean, default, ds, 2f);
        // Without the opt-in, aliasing is refused; with it, ds overwrites s and equals the out-of-place gradient bit for bit.
        var alias = (float[])s.Clone();
        Assert.Equal("ds", Assert.Throws<ArgumentException>(() => DistillationKl.RowsAndGradient(t, alias, v, default, RowReduction.BatchMean, default, alias, 2f)).ParamName);
        float got = DistillationKl.RowsAndGradient(t, alias, v, default, RowReduction.BatchMean, default, alias, 2f, inPlace: true);
        Assert.Equal(expected, got);
        Assert.True(ds.AsSpan().SequenceEqual(alias));

        int[] y = { 0, 17, -100, 3000, 5 };
        var dce = new float[s.Length];
        CrossEntropy.RowsAndGradient(s, y, v, default, RowReduction.ValidMean, dce);
        var aliasCe = (float[])s.Clone();
        CrossEntropy.RowsAndGradient(aliasCe, y, v, default, RowReduction.ValidMean, aliasCe, inPlace: true);
        Assert.True(dce.AsSpan().SequenceEqual(aliasCe));

        // A gradient over another input, or shifted over its own, is refused even with the opt-in.
        var shifted = (float[])s.Clone();
        Assert.Equal("ds", Assert.Throws<ArgumentException>(() => DistillationKl.RowsAndGradient(t.AsSpan(0, s.Length - v), shifted.AsSpan(0, s.Length - v), v, default, RowReduction.Sum, default, shifted.AsSpan(v), 2f, inPlace: true)).ParamName);
        var ss = (float[])s.Clone();
        Assert.Equal("dt", Assert.Throws<ArgumentException>(() => DistillationKl.RowsAndGradient(t, ss, v, default, RowReduction.Sum, ss, default, 2f, inPlace: true)).ParamName);
        // The teacher's gradient over the teacher is safe too (written in the last pass that reads t).
        var dt = new float[t.Length];
        DistillationKl.RowsAndGradient(t, s, v, default, RowReduction.Sum, dt, default, 2f);
        var tt = (float[])t.Clone();
        DistillationKl.RowsAndGradient(tt, s, v, default, RowReduction.Sum, tt, default, 2f, inPlace: true);
        Assert.True(dt.AsSpan().SequenceEqual(tt));
    }

    [Fact]
    public void UpstreamScalesEachRowsGradientUnderNone()
    {
        int rows = 4, v = 9;
        var rng = new Random(2);
        var s = Enumerable.Range(0, rows * v).Select(_ => 4 * rng.NextDouble() - 2).ToArray();
        int[] y = { 0, 3, 8, 5 };
        double[] up = { 1.0, -2.0, 0.0, 0.25 };
        var plain = new double[s.Length];
        var scaled = new double[s.Length];
        CrossEntropy.RowsAndGradient(s, y, v, default, RowReduction.None, plain);
        CrossEntropy.RowsAndGradient(s, y, v, default, RowReduction.None, scaled, upstream: up);
        for (int k = 0; k < s.Length; k++) Assert.Equal(up[k / v] * plain[k], scaled[k], 15);
    }
}
