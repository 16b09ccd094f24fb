using KernelDsl.Catalogue;
using KernelDsl.Language;
using KernelDsl.Language.Interpretation;

namespace KernelDsl.Runtime.Tests.Catalogue;

/// <summary>
/// Every catalogue member, value and every gradient (inputs and parameters), generated double kernel against the double
/// interpreter running the same formula (the Formula constant) on random data: 1e-12 relative for values, 1e-9 for gradients.
/// This covers the members tests/reference has no data for (Neyman χ², Tsallis, Bhattacharyya, generalized JSD) and
/// the gradients it does not give (skew KL, JSD, k1-k3, DPO's rejected side, parameters).
/// </summary>
public class CatalogueInterpreterTests
{
    private delegate double Grad(double[][] x, double[] a, double[][] dx, double[] da);

    private sealed record Member(string Formula, int Inputs, double[] Params, Grad Run, bool Logits = false);

    private static readonly Dictionary<string, Member> Members = new()
    {
        ["KullbackLeibler"] = new(KullbackLeibler.Formula, 2, [], (x, a, d, da) => KullbackLeibler.ValueAndGradient(x[0], x[1], d[0], d[1])),
        ["ReverseKullbackLeibler"] = new(ReverseKullbackLeibler.Formula, 2, [], (x, a, d, da) => ReverseKullbackLeibler.ValueAndGradient(x[0], x[1], d[0], d[1])),
        ["Jeffreys"] = new(Jeffreys.Formula, 2, [], (x, a, d, da) => Jeffreys.ValueAndGradient(x[0], x[1], d[0], d[1])),
        ["JensenShannon"] = new(JensenShannon.Formula, 2, [], (x, a, d, da) => JensenShannon.ValueAndGradient(x[0], x[1], d[0], d[1])),
        ["SkewKullbackLeibler"] = new(SkewKullbackLeibler.Formula, 2, [0.1], (x, a, d, da) => SkewKullbackLeibler.ValueAndGradient(x[0], x[1], d[0], d[1], a[0], da)),
        ["GeneralizedJensenShannon"] = new(GeneralizedJensenShannon.Formula, 2, [0.3], (x, a, d, da) => GeneralizedJensenShannon.ValueAndGradient(x[0], x[1], d[0], d[1], a[0], da)),
        ["TotalVariation"] = new(TotalVariation.Formula, 2, [], (x, a, d, da) => TotalVariation.ValueAndGradient(x[0], x[1], d[0], d[1])),
        ["SquaredHellinger"] = new(SquaredHellinger.Formula, 2, [], (x, a, d, da) => SquaredHellinger.ValueAndGradient(x[0], x[1], d[0], d[1])),
        ["PearsonChiSquared"] = new(PearsonChiSquared.Formula, 2, [], (x, a, d, da) => PearsonChiSquared.ValueAndGradient(x[0], x[1], d[0], d[1])),
        ["NeymanChiSquared"] = new(NeymanChiSquared.Formula, 2, [], (x, a, d, da) => NeymanChiSquared.ValueAndGradient(x[0], x[1], d[0], d[1])),
        ["AlphaDivergence"] = new(AlphaDivergence.Formula, 2, [0.7], (x, a, d, da) => AlphaDivergence.ValueAndGradient(x[0], x[1], d[0], d[1], a[0], da)),
        ["Renyi"] = new(Renyi.Formula, 2, [2.5], (x, a, d, da) => Renyi.ValueAndGradient(x[0], x[1], d[0], d[1], a[0], da)),
        ["Tsallis"] = new(Tsallis.Formula, 2, [1.5], (x, a, d, da) => Tsallis.ValueAndGradient(x[0], x[1], d[0], d[1], a[0], da)),
        ["BetaDivergence"] = new(BetaDivergence.Formula, 2, [1.5], (x, a, d, da) => BetaDivergence.ValueAndGradient(x[0], x[1], d[0], d[1], a[0], da)),
        ["ItakuraSaito"] = new(ItakuraSaito.Formula, 2, [], (x, a, d, da) => ItakuraSaito.ValueAndGradient(x[0], x[1], d[0], d[1])),
        ["GeneralizedKullbackLeibler"] = new(GeneralizedKullbackLeibler.Formula, 2, [], (x, a, d, da) => GeneralizedKullbackLeibler.ValueAndGradient(x[0], x[1], d[0], d[1])),
        ["CauchySchwarz"] = new(CauchySchwarz.Formula, 2, [], (x, a, d, da) => CauchySchwarz.ValueAndGradient(x[0], x[1], d[0], d[1])),
        ["Bhattacharyya"] = new(Bhattacharyya.Formula, 2, [], (x, a, d, da) => Bhattacharyya.ValueAndGradient(x[0], x[1], d[0], d[1])),
        ["Entropy"] = new(Entropy.Formula, 1, [], (x, a, d, da) => Entropy.ValueAndGradient(x[0], d[0])),
        ["GaussianKlStandard"] = new(GaussianKlStandard.Formula, 2, [], (x, a, d, da) => GaussianKlStandard.ValueAndGradient(x[0], x[1], d[0], d[1]), Logits: true),
        ["LogVariance"] = new(LogVariance.Formula, 1, [], (x, a, d, da) => LogVariance.ValueAndGradient(x[0], d[0]), Logits: true),
        ["Dpo"] = new(Dpo.Formula, 4, [0.2], (x, a, d, da) => Dpo.ValueAndGradient(x[0], x[1], x[2], x[3], d[0], d[1], d[2], d[3], a[0], da), Logits: true),
        ["Ipo"] = new(Ipo.Formula, 4, [0.2], (x, a, d, da) => Ipo.ValueAndGradient(x[0], x[1], x[2], x[3], d[0], d[1], d[2], d[3], a[0], da), Logits: true),
        ["FDpoForwardKl"] = new(FDpoForwardKl.Formula, 4, [0.2], (x, a, d, da) => FDpoForwardKl.ValueAndGradient(x[0], x[1], x[2], x[3], d[0], d[1], d[2], d[3], a[0], da), Logits: true),
        ["FDpoJensenShannon"] = new(FDpoJensenShannon.Formula, 4, [0.2], (x, a, d, da) => FDpoJensenShannon.ValueAndGradient(x[0], x[1], x[2], x[3], d[0], d[1], d[2], d[3], a[0], da), Logits: true),
        ["FDpoAlpha"] = new(FDpoAlpha.Formula, 4, [0.2, 0.5], (x, a, d, da) => FDpoAlpha.ValueAndGradient(x[0], x[1], x[2], x[3], d[0], d[1], d[2], d[3], a[0], a[1], da), Logits: true),
        ["KlEstimatorK1"] = new(KlEstimatorK1.Formula, 2, [], (x, a, d, da) => KlEstimatorK1.ValueAndGradient(x[0], x[1], d[0], d[1]), Logits: true),
        ["KlEstimatorK2"] = new(KlEstimatorK2.Formula, 2, [], (x, a, d, da) => KlEstimatorK2.ValueAndGradient(x[0], x[1], d[0], d[1]), Logits: true),
        ["KlEstimatorK3"] = new(KlEstimatorK3.Formula, 2, [], (x, a, d, da) => KlEstimatorK3.ValueAndGradient(x[0], x[1], d[0], d[1]), Logits: true),
        ["DistillationKl"] = new(DistillationKl.Formula, 2, [2.0], (x, a, d, da) => DistillationKl.ValueAndGradient(x[0], x[1], d[0], d[1], a[0], da), Logits: true),
        ["ReverseDistillationKl"] = new(ReverseDistillationKl.Formula, 2, [2.0], (x, a, d, da) => ReverseDistillationKl.ValueAndGradient(x[0], x[1], d[0], d[1], a[0], da), Logits: true),
    };

    public static IEnumerable<object[]> Names() => Members.Keys.Select(k => new object[] { k });

    [Fact]
    public void FDpoReducesToItsLimits()
    {
        // f-DPO with the reverse KL is DPO; with α = 1 the α form is the forward-KL form; α → 0 tends to DPO.
        var rng = new Random(4);
        var x = Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, 64).Select(_ => 4 * rng.NextDouble() - 2).ToArray()).ToArray();
        Reference.Close(FDpoForwardKl.Value(x[0], x[1], x[2], x[3], 0.3), FDpoAlpha.Value(x[0], x[1], x[2], x[3], 0.3, 1.0), 1e-13, 0, "alpha = 1");
        Reference.Close(Dpo.Value(x[0], x[1], x[2], x[3], 0.3), FDpoAlpha.Value(x[0], x[1], x[2], x[3], 0.3, 1e-7), 1e-6, 0, "alpha -> 0");
    }

    [Fact]
    public void EveryCatalogueMemberIsCovered()
    {
        // Sample formulas (point clouds) are covered by tests/Runtime.Tests/Samples.
        var declared = typeof(KullbackLeibler).Assembly.GetTypes()
            .Where(t => t.Namespace == "KernelDsl.Catalogue" && t.IsPublic && t.GetField("Formula") != null
                && !((string)t.GetField("Formula")!.GetRawConstantValue()!).Contains(": points", StringComparison.Ordinal)).Select(t => t.Name).OrderBy(n => n);
        Assert.Equal(declared, Members.Keys.Concat(LogitLossTests.Members.Keys).OrderBy(n => n));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void GeneratedMatchesInterpreter(string name)
    {
        var m = Members[name];
        var compiled = FormulaCompiler.Compile(m.Formula);
        Assert.False(compiled.HasErrors);
        foreach (int n in new[] { 1, 7, 33, 1000, 70_001 })
        {
            var rng = new Random(n * 31 + name.Length);
            var x = Enumerable.Range(0, m.Inputs).Select(_ => Enumerable.Range(0, n)
                .Select(_ => m.Logits ? 6 * rng.NextDouble() - 3 : 0.01 + rng.NextDouble()).ToArray()).ToArray();
            var d = x.Select(v => new double[n]).ToArray();
            var da = new double[m.Params.Length];
            double value = m.Run(x, m.Params, d, da);
            var oracle = Interpreter.Run(compiled.GradientPlan!, x, m.Params);
            string at = $"{name} n={n}";
            Reference.Close(oracle.Value, value, 1e-12, 1e-14, at + " value");
            for (int i = 0; i < m.Inputs; i++)
            {
                var g = oracle.InputGradients[i]!;
                double scale = g.Max(Math.Abs);
                for (int k = 0; k < n; k++) Reference.Close(g[k], d[i][k], 1e-9, 1e-12 * scale, $"{at} d{compiled.InputNames[i]}[{k}]");
            }
            for (int j = 0; j < m.Params.Length; j++)
                Reference.Close(oracle.ParameterGradients[j], da[j], 1e-9, 1e-12, $"{at} d{compiled.ParameterNames[j]}");
        }
    }
}
