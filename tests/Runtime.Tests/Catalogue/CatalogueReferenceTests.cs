using System.Text.Json;
using KernelDsl.Catalogue;
using static KernelDsl.Runtime.Tests.Catalogue.Reference;

namespace KernelDsl.Runtime.Tests.Catalogue;

/// <summary>
/// Every catalogue member against tests/reference (SciPy float64, mpmath-checked): double within 1e-12 relative,
/// gradients within 1e-9; float within 1e-5. Inputs are converted to float for the float kernels, so the float reference is
/// the double reference value (the conversion error is inside the tolerance for these well-conditioned cases).
/// </summary>
public class CatalogueReferenceTests
{
    private delegate double ValueD(double[][] x, double[] a);
    private delegate double GradD(double[][] x, double[] a, double[][] dx);
    private delegate float ValueF(float[][] x, float[] a);
    private delegate float GradF(float[][] x, float[] a, float[][] dx);

    private sealed record Entry(string[] Inputs, string[] Params, ValueD VD, GradD GD, ValueF VF, GradF GF);

    private static Entry Two(ValueD vd, GradD gd, ValueF vf, GradF gf, params string[] ps) => new(new[] { "p", "q" }, ps, vd, gd, vf, gf);

    private static readonly Dictionary<string, Entry> Families = new()
    {
        ["kl"] = Two((x, a) => KullbackLeibler.Value(x[0], x[1]), (x, a, d) => KullbackLeibler.ValueAndGradient(x[0], x[1], d[0], d[1]),
                     (x, a) => KullbackLeibler.Value(x[0], x[1]), (x, a, d) => KullbackLeibler.ValueAndGradient(x[0], x[1], d[0], d[1])),
        ["reverse_kl"] = Two((x, a) => ReverseKullbackLeibler.Value(x[0], x[1]), (x, a, d) => ReverseKullbackLeibler.ValueAndGradient(x[0], x[1], d[0], d[1]),
                     (x, a) => ReverseKullbackLeibler.Value(x[0], x[1]), (x, a, d) => ReverseKullbackLeibler.ValueAndGradient(x[0], x[1], d[0], d[1])),
        ["jeffreys"] = Two((x, a) => Jeffreys.Value(x[0], x[1]), (x, a, d) => Jeffreys.ValueAndGradient(x[0], x[1], d[0], d[1]),
                     (x, a) => Jeffreys.Value(x[0], x[1]), (x, a, d) => Jeffreys.ValueAndGradient(x[0], x[1], d[0], d[1])),
        ["jensen_shannon"] = Two((x, a) => JensenShannon.Value(x[0], x[1]), (x, a, d) => JensenShannon.ValueAndGradient(x[0], x[1], d[0], d[1]),
                     (x, a) => JensenShannon.Value(x[0], x[1]), (x, a, d) => JensenShannon.ValueAndGradient(x[0], x[1], d[0], d[1])),
        ["skew_kl"] = Two((x, a) => SkewKullbackLeibler.Value(x[0], x[1], a[0]), (x, a, d) => SkewKullbackLeibler.ValueAndGradient(x[0], x[1], d[0], d[1], a[0]),
                     (x, a) => SkewKullbackLeibler.Value(x[0], x[1], a[0]), (x, a, d) => SkewKullbackLeibler.ValueAndGradient(x[0], x[1], d[0], d[1], a[0]), "a"),
        ["total_variation"] = Two((x, a) => TotalVariation.Value(x[0], x[1]), (x, a, d) => TotalVariation.ValueAndGradient(x[0], x[1], d[0], d[1]),
                     (x, a) => TotalVariation.Value(x[0], x[1]), (x, a, d) => TotalVariation.ValueAndGradient(x[0], x[1], d[0], d[1])),
        ["squared_hellinger"] = Two((x, a) => SquaredHellinger.Value(x[0], x[1]), (x, a, d) => SquaredHellinger.ValueAndGradient(x[0], x[1], d[0], d[1]),
                     (x, a) => SquaredHellinger.Value(x[0], x[1]), (x, a, d) => SquaredHellinger.ValueAndGradient(x[0], x[1], d[0], d[1])),
        ["pearson_chi2"] = Two((x, a) => PearsonChiSquared.Value(x[0], x[1]), (x, a, d) => PearsonChiSquared.ValueAndGradient(x[0], x[1], d[0], d[1]),
                     (x, a) => PearsonChiSquared.Value(x[0], x[1]), (x, a, d) => PearsonChiSquared.ValueAndGradient(x[0], x[1], d[0], d[1])),
        ["alpha_amari"] = Two((x, a) => AlphaDivergence.Value(x[0], x[1], a[0]), (x, a, d) => AlphaDivergence.ValueAndGradient(x[0], x[1], d[0], d[1], a[0]),
                     (x, a) => AlphaDivergence.Value(x[0], x[1], a[0]), (x, a, d) => AlphaDivergence.ValueAndGradient(x[0], x[1], d[0], d[1], a[0]), "a"),
        ["renyi"] = Two((x, a) => Renyi.Value(x[0], x[1], a[0]), (x, a, d) => Renyi.ValueAndGradient(x[0], x[1], d[0], d[1], a[0]),
                     (x, a) => Renyi.Value(x[0], x[1], a[0]), (x, a, d) => Renyi.ValueAndGradient(x[0], x[1], d[0], d[1], a[0]), "a"),
        ["beta_divergence"] = Two((x, a) => BetaDivergence.Value(x[0], x[1], a[0]), (x, a, d) => BetaDivergence.ValueAndGradient(x[0], x[1], d[0], d[1], a[0]),
                     (x, a) => BetaDivergence.Value(x[0], x[1], a[0]), (x, a, d) => BetaDivergence.ValueAndGradient(x[0], x[1], d[0], d[1], a[0]), "b"),
        ["itakura_saito"] = Two((x, a) => ItakuraSaito.Value(x[0], x[1]), (x, a, d) => ItakuraSaito.ValueAndGradient(x[0], x[1], d[0], d[1]),
                     (x, a) => ItakuraSaito.Value(x[0], x[1]), (x, a, d) => ItakuraSaito.ValueAndGradient(x[0], x[1], d[0], d[1])),
        ["generalized_kl"] = Two((x, a) => GeneralizedKullbackLeibler.Value(x[0], x[1]), (x, a, d) => GeneralizedKullbackLeibler.ValueAndGradient(x[0], x[1], d[0], d[1]),
                     (x, a) => GeneralizedKullbackLeibler.Value(x[0], x[1]), (x, a, d) => GeneralizedKullbackLeibler.ValueAndGradient(x[0], x[1], d[0], d[1])),
        ["cauchy_schwarz"] = Two((x, a) => CauchySchwarz.Value(x[0], x[1]), (x, a, d) => CauchySchwarz.ValueAndGradient(x[0], x[1], d[0], d[1]),
                     (x, a) => CauchySchwarz.Value(x[0], x[1]), (x, a, d) => CauchySchwarz.ValueAndGradient(x[0], x[1], d[0], d[1])),
        ["entropy"] = new(new[] { "p" }, System.Array.Empty<string>(), (x, a) => Entropy.Value(x[0]), (x, a, d) => Entropy.ValueAndGradient(x[0], d[0]),
                     (x, a) => Entropy.Value(x[0]), (x, a, d) => Entropy.ValueAndGradient(x[0], d[0])),
        ["gaussian_kl_standard"] = new(new[] { "mu", "logvar" }, System.Array.Empty<string>(),
                     (x, a) => GaussianKlStandard.Value(x[0], x[1]), (x, a, d) => GaussianKlStandard.ValueAndGradient(x[0], x[1], d[0], d[1]),
                     (x, a) => GaussianKlStandard.Value(x[0], x[1]), (x, a, d) => GaussianKlStandard.ValueAndGradient(x[0], x[1], d[0], d[1])),
        ["log_variance"] = new(new[] { "x" }, System.Array.Empty<string>(), (x, a) => LogVariance.Value(x[0]), (x, a, d) => LogVariance.ValueAndGradient(x[0], d[0]),
                     (x, a) => LogVariance.Value(x[0]), (x, a, d) => LogVariance.ValueAndGradient(x[0], d[0])),
        ["dpo"] = new(new[] { "pw", "rw", "pl", "rl" }, new[] { "beta" },
                     (x, a) => Dpo.Value(x[0], x[1], x[2], x[3], a[0]), (x, a, d) => Dpo.ValueAndGradient(x[0], x[1], x[2], x[3], d[0], d[1], d[2], d[3], a[0]),
                     (x, a) => Dpo.Value(x[0], x[1], x[2], x[3], a[0]), (x, a, d) => Dpo.ValueAndGradient(x[0], x[1], x[2], x[3], d[0], d[1], d[2], d[3], a[0])),
        ["ipo"] = new(new[] { "pw", "rw", "pl", "rl" }, new[] { "beta" },
                     (x, a) => Ipo.Value(x[0], x[1], x[2], x[3], a[0]), (x, a, d) => Ipo.ValueAndGradient(x[0], x[1], x[2], x[3], d[0], d[1], d[2], d[3], a[0]),
                     (x, a) => Ipo.Value(x[0], x[1], x[2], x[3], a[0]), (x, a, d) => Ipo.ValueAndGradient(x[0], x[1], x[2], x[3], d[0], d[1], d[2], d[3], a[0])),
    };

    public static IEnumerable<object[]> Names() => Families.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(Names))]
    public void DoubleMatchesReference(string family)
    {
        var e = Families[family];
        foreach (var c in Cases(family))
        {
            string name = family + "/" + c.GetProperty("name").GetString();
            var x = e.Inputs.Select(i => Array(c, i)).ToArray();
            var a = e.Params.Select(p => Param(c, p)).ToArray();
            double expected = Number(c.GetProperty("value"));
            Close(expected, e.VD(x, a), 1e-12, 1e-300, name + " value");
            var d = x.Select(v => new double[v.Length]).ToArray();
            Close(expected, e.GD(x, a, d), 1e-12, 1e-300, name + " value (with gradient)");
            for (int i = 0; i < e.Inputs.Length; i++)
            {
                string key = "grad_" + (family == "gaussian_kl_standard" && e.Inputs[i] == "logvar" ? "logvar" : e.Inputs[i]);
                if (!Has(c, key)) continue;
                var g = Array(c, key);
                for (int k = 0; k < g.Length; k++) Close(g[k], d[i][k], 1e-9, 1e-12, $"{name} {key}[{k}]");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void FloatMatchesReference(string family)
    {
        var e = Families[family];
        foreach (var c in Cases(family))
        {
            string name = family + "/" + c.GetProperty("name").GetString();
            var xd = e.Inputs.Select(i => Array(c, i)).ToArray();
            if (xd.Any(v => v.Any(z => z != 0 && Math.Abs(z) < 1e-30))) continue; // below float's range: not a float case
            var x = xd.Select(v => v.Select(z => (float)z).ToArray()).ToArray();
            var a = e.Params.Select(p => (float)Param(c, p)).ToArray();
            double expected = Number(c.GetProperty("value"));
            Close(expected, e.VF(x, a), 1e-5, 1e-6, name + " value");
            var d = x.Select(v => new float[v.Length]).ToArray();
            Close(expected, e.GF(x, a, d), 1e-5, 1e-6, name + " value (with gradient)");
            for (int i = 0; i < e.Inputs.Length; i++)
            {
                string key = "grad_" + e.Inputs[i];
                if (!Has(c, key)) continue;
                var g = Array(c, key);
                double scale = g.Max(Math.Abs);
                for (int k = 0; k < g.Length; k++) Close(g[k], d[i][k], 1e-5, 1e-5 * scale, $"{name} {key}[{k}]");
            }
        }
    }

    [Theory]
    [InlineData("kd_kl_logits")]
    [InlineData("kd_reverse_kl_logits")]
    public void DistillationRowsMatchReference(string family)
    {
        foreach (var c in Cases(family))
        {
            string name = family + "/" + c.GetProperty("name").GetString();
            int rows = c.GetProperty("rows").GetInt32(), cols = c.GetProperty("cols").GetInt32();
            var t = Array(c, "t");
            var s = Array(c, "s");
            double T = Param(c, "T");
            var perRow = Array(c, "per_row");
            var got = new double[rows];
            var ds = new double[t.Length];
            double total = family == "kd_kl_logits"
                ? DistillationKl.RowsAndGradient(t, s, cols, got, RowReduction.None, default, ds, T)
                : ReverseDistillationKl.RowsAndGradient(t, s, cols, got, RowReduction.None, default, ds, T);
            for (int r = 0; r < rows; r++) Close(perRow[r], got[r], 1e-12, 1e-14, $"{name} row {r}");
            Close(perRow.Sum(), total, 1e-12, 1e-14, name + " sum");
            if (Has(c, "batchmean"))
            {
                double bm = DistillationKl.Rows(t, s, cols, default, RowReduction.BatchMean, T);
                Close(Number(c.GetProperty("batchmean")), bm, 1e-12, 1e-14, name + " batchmean");
            }
            if (Has(c, "grad_s_per_row_value"))
            {
                var g = Array(c, "grad_s_per_row_value");
                for (int k = 0; k < g.Length; k++) Close(g[k], ds[k], 1e-9, 1e-12, $"{name} ds[{k}]");
                var tf = t.Select(v => (float)v).ToArray();
                var sf = s.Select(v => (float)v).ToArray();
                var dsf = new float[tf.Length];
                var gotf = new float[rows];
                DistillationKl.RowsAndGradient(tf, sf, cols, gotf, RowReduction.None, default, dsf, (float)T);
                for (int r = 0; r < rows; r++) Close(perRow[r], gotf[r], 1e-5, 1e-5, $"{name} float row {r}");
                double scale = g.Max(Math.Abs);
                for (int k = 0; k < g.Length; k++) Close(g[k], dsf[k], 1e-5, 1e-5 * scale, $"{name} float ds[{k}]");
            }
        }
    }

    [Fact]
    public void KlEstimatorsMatchReference()
    {
        foreach (var c in Cases("kl_estimators"))
        {
            var lref = Array(c, "lref");
            var lpi = Array(c, "lpi");
            Close(Number(c.GetProperty("k1")), KlEstimatorK1.Value(lref, lpi), 1e-12, 1e-15, "k1");
            Close(Number(c.GetProperty("k2")), KlEstimatorK2.Value(lref, lpi), 1e-12, 1e-15, "k2");
            Close(Number(c.GetProperty("k3")), KlEstimatorK3.Value(lref, lpi), 1e-12, 1e-15, "k3");
        }
    }
}
