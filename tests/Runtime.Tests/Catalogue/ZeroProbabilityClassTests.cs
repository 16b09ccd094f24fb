using KernelDsl.Catalogue;

namespace KernelDsl.Runtime.Tests.Catalogue;

/// <summary>
/// Distillation losses with -inf logits (a padded or banned class: probability exactly 0). Such a class must contribute 0
/// to the value and get 0 gradient where it is the weight distribution's (torch's kl_div convention), and must not touch
/// the other classes. The reference is an independent closed form in double over the classes of positive probability
/// only: with a = log_softmax(t/T) over the finite teacher entries F, p = e^a, b = log_softmax(s/T) over all entries,
/// q = e^b, KL = Σ_F p (a - b): value T² KL, ds_j = T (q_j - p_j), dt_j = T p_j (a_j - b_j - KL) on F and 0 elsewhere.
/// </summary>
public class ZeroProbabilityClassTests
{
    private const double Temperature = 2.0;
    private static readonly double NegInf = double.NegativeInfinity;

    /// <summary>The closed form above for one row (weights w = teacher logits, other = student logits).</summary>
    private static (double Value, double[] Dw, double[] Dother) Expected(double[] w, double[] other, double T)
    {
        int n = w.Length;
        double LogSumExp(IEnumerable<double> v)
        {
            double m = v.Max();
            return m + Math.Log(v.Sum(z => Math.Exp(z - m)));
        }

        double lw = LogSumExp(w.Where(double.IsFinite).Select(z => z / T));
        double lo = LogSumExp(other.Select(z => z / T));
        var a = w.Select(z => z / T - lw).ToArray();
        var b = other.Select(z => z / T - lo).ToArray();
        double kl = 0;
        for (int i = 0; i < n; i++)
        {
            if (double.IsFinite(w[i]))
            {
                kl += Math.Exp(a[i]) * (a[i] - b[i]);
            }
        }

        var dw = new double[n];
        var dother = new double[n];
        for (int i = 0; i < n; i++)
        {
            double p = double.IsFinite(w[i]) ? Math.Exp(a[i]) : 0;
            dother[i] = T * (Math.Exp(b[i]) - p);
            dw[i] = double.IsFinite(w[i]) ? T * p * (a[i] - b[i] - kl) : 0;
        }

        return (T * T * kl, dw, dother);
    }

    /// <summary>Three rows of 19: three -inf teacher entries; only one finite teacher entry; no -inf at all.</summary>
    private static (double[] Teacher, double[] Student, int Cols) Rows()
    {
        int cols = 19;
        var rng = new Random(17);
        var t = Enumerable.Range(0, 3 * cols).Select(_ => 8 * rng.NextDouble() - 4).ToArray();
        var s = Enumerable.Range(0, 3 * cols).Select(_ => 8 * rng.NextDouble() - 4).ToArray();
        t[0] = NegInf;
        t[5] = NegInf;
        t[18] = NegInf;
        for (int k = 0; k < cols; k++)
        {
            if (k != 7)
            {
                t[cols + k] = NegInf;
            }
        }

        return (t, s, cols);
    }

    private static void CheckRow(string what, (double Value, double[] Dw, double[] Dother) e, double value, IReadOnlyList<double> dw, IReadOnlyList<double> dother, double rel, double abs)
    {
        Reference.Close(e.Value, value, rel, abs, $"{what} value");
        for (int i = 0; i < e.Dw.Length; i++)
        {
            Reference.Close(e.Dw[i], dw[i], rel, abs, $"{what} d(weight logits)[{i}]");
            Reference.Close(e.Dother[i], dother[i], rel, abs, $"{what} d(other logits)[{i}]");
        }
    }

    [Fact]
    public void DistillationKl_ignores_minus_infinity_teacher_logits_in_double_and_float()
    {
        (double[] t, double[] s, int cols) = Rows();
        for (int r = 0; r < 3; r++)
        {
            double[] tr = t[(r * cols)..((r + 1) * cols)], sr = s[(r * cols)..((r + 1) * cols)];
            var e = Expected(tr, sr, Temperature);

            var dt = new double[cols];
            var ds = new double[cols];
            double v = DistillationKl.ValueAndGradient(tr, sr, dt, ds, Temperature);
            CheckRow($"double row {r}", e, v, dt, ds, 1e-12, 1e-14);
            Reference.Close(e.Value, DistillationKl.Value(tr, sr, Temperature), 1e-12, 1e-14, $"double row {r} Value");

            float[] tf = tr.Select(z => (float)z).ToArray(), sf = sr.Select(z => (float)z).ToArray();
            var dtf = new float[cols];
            var dsf = new float[cols];
            float vf = DistillationKl.ValueAndGradient(tf, sf, dtf, dsf, (float)Temperature);
            CheckRow($"float row {r}", e, vf, dtf.Select(z => (double)z).ToArray(), dsf.Select(z => (double)z).ToArray(), 1e-4, 1e-5);
        }

        // Rows: the same three rows in one batch (Sum), per-row values and both gradients.
        var per = new double[3];
        var dtRows = new double[t.Length];
        var dsRows = new double[s.Length];
        double total = DistillationKl.RowsAndGradient(t, s, cols, per, RowReduction.Sum, dtRows, dsRows, Temperature);
        var perF = new float[3];
        var dtRowsF = new float[t.Length];
        var dsRowsF = new float[s.Length];
        float totalF = DistillationKl.RowsAndGradient(t.Select(z => (float)z).ToArray(), s.Select(z => (float)z).ToArray(), cols, perF, RowReduction.Sum, dtRowsF, dsRowsF, (float)Temperature);
        double expectedTotal = 0;
        for (int r = 0; r < 3; r++)
        {
            var e = Expected(t[(r * cols)..((r + 1) * cols)], s[(r * cols)..((r + 1) * cols)], Temperature);
            expectedTotal += e.Value;
            CheckRow($"double Rows row {r}", e, per[r], dtRows[(r * cols)..((r + 1) * cols)], dsRows[(r * cols)..((r + 1) * cols)], 1e-12, 1e-14);
            CheckRow($"float Rows row {r}", e, perF[r], dtRowsF[(r * cols)..((r + 1) * cols)].Select(z => (double)z).ToArray(), dsRowsF[(r * cols)..((r + 1) * cols)].Select(z => (double)z).ToArray(), 1e-4, 1e-5);
        }

        Reference.Close(expectedTotal, total, 1e-12, 1e-14, "double Rows total");
        Reference.Close(expectedTotal, totalF, 1e-4, 1e-5, "float Rows total");

        // The row with one finite teacher entry k: p is one-hot, so the value is T² (logsumexp(s/T) - s_k/T).
        double[] s1 = s[cols..(2 * cols)];
        double m = s1.Max() / Temperature;
        double oneHot = Temperature * Temperature * (m + Math.Log(s1.Sum(z => Math.Exp(z / Temperature - m))) - s1[7] / Temperature);
        Reference.Close(oneHot, per[1], 1e-12, 1e-14, "one finite teacher entry");
    }

    [Fact]
    public void ReverseDistillationKl_ignores_minus_infinity_student_logits()
    {
        // The reverse KL weights by the student's distribution: the mirror image (swap the roles in the closed form).
        (double[] w, double[] other, int cols) = Rows();
        for (int r = 0; r < 3; r++)
        {
            double[] sr = w[(r * cols)..((r + 1) * cols)], tr = other[(r * cols)..((r + 1) * cols)];
            var e = Expected(sr, tr, Temperature);
            var dt = new double[cols];
            var ds = new double[cols];
            double v = ReverseDistillationKl.ValueAndGradient(tr, sr, dt, ds, Temperature);
            CheckRow($"double row {r}", e, v, ds, dt, 1e-12, 1e-14);

            var dtf = new float[cols];
            var dsf = new float[cols];
            float vf = ReverseDistillationKl.ValueAndGradient(tr.Select(z => (float)z).ToArray(), sr.Select(z => (float)z).ToArray(), dtf, dsf, (float)Temperature);
            CheckRow($"float row {r}", e, vf, dsf.Select(z => (double)z).ToArray(), dtf.Select(z => (double)z).ToArray(), 1e-4, 1e-5);
        }
    }

    [Fact]
    public void TokenAdaptiveDistillation_soft_rows_ignore_minus_infinity_teacher_logits()
    {
        (double[] t, double[] s, int cols) = Rows();
        int[] y = { 1, 2, 3 };
        var near = new double[] { 0, 0, 0 }; // soft distillation on every row: T² KL
        var per = new double[3];
        var dt = new double[t.Length];
        var ds = new double[s.Length];
        TokenAdaptiveDistillation.RowsAndGradient(t, s, y, near, cols, per, RowReduction.Sum, dt, ds, Temperature);
        for (int r = 0; r < 3; r++)
        {
            var e = Expected(t[(r * cols)..((r + 1) * cols)], s[(r * cols)..((r + 1) * cols)], Temperature);
            CheckRow($"row {r}", e, per[r], dt[(r * cols)..((r + 1) * cols)], ds[(r * cols)..((r + 1) * cols)], 1e-12, 1e-14);
        }
    }

    [Fact]
    public void MaskedDistillationKl_gives_masked_and_minus_infinity_classes_zero_gradient()
    {
        // vm = 0 drops a class from both distributions; a -inf teacher logit with vm = 1 is a zero-probability class of P
        // only. Reference: the closed form over the kept classes (the dropped ones removed from both rows), T² KL.
        int cols = 12;
        var rng = new Random(23);
        var t = Enumerable.Range(0, cols).Select(_ => 6 * rng.NextDouble() - 3).ToArray();
        var s = Enumerable.Range(0, cols).Select(_ => 6 * rng.NextDouble() - 3).ToArray();
        var vm = Enumerable.Repeat(1.0, cols).ToArray();
        vm[2] = 0;
        vm[9] = 0;
        t[4] = NegInf;
        int[] kept = Enumerable.Range(0, cols).Where(i => vm[i] == 1).ToArray();
        var e = Expected(kept.Select(i => t[i]).ToArray(), kept.Select(i => s[i]).ToArray(), Temperature);

        var dt = new double[cols];
        var ds = new double[cols];
        double v = MaskedDistillationKl.ValueAndGradient(t, s, vm, dt, ds, default, Temperature);
        Reference.Close(e.Value, v, 1e-12, 1e-14, "value");
        for (int k = 0; k < kept.Length; k++)
        {
            Reference.Close(e.Dw[k], dt[kept[k]], 1e-12, 1e-14, $"dt[{kept[k]}]");
            Reference.Close(e.Dother[k], ds[kept[k]], 1e-12, 1e-14, $"ds[{kept[k]}]");
        }

        Assert.Equal(0.0, dt[2]);
        Assert.Equal(0.0, dt[9]);
        Assert.Equal(0.0, ds[2]);
        Assert.Equal(0.0, ds[9]);
        Assert.Equal(0.0, dt[4]);
    }
}
