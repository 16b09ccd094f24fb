using KernelDsl.Language;
using KernelDsl.Language.Interpretation;
using KernelDsl.Language.Ir;
using KernelDsl.Dsl.Tests.Support;

namespace KernelDsl.Dsl.Tests;

/// <summary>Row-level inputs (row, mask, label) and the label gather s[y], through the interpreter.</summary>
public class RowInputTests
{
    private const string CrossEntropy = "(s, y: label) => logsumexp(s) - s[y]";
    private const string SmoothedZ = "(s, y: label; eps, z) => (1 - eps) * (logsumexp(s) - s[y]) + eps * mean(logsumexp(s) - s) + z * logsumexp(s)^2";

    [Fact]
    public void Header_kinds_are_bound()
    {
        var c = Numerics.CompileOk("(t, s, w: row, m: mask, y: label; T) => w * m * (sum(t * s) + s[y]) / T");
        Assert.Equal(new[] { "t", "s" }, c.InputNames);
        Assert.Equal(new[] { "w", "m", "y" }, c.RowInputNames);
        Assert.Equal(new[] { RowInputKind.Row, RowInputKind.Mask, RowInputKind.Label }, c.RowInputKinds);
        Assert.Equal(new[] { "T" }, c.ParameterNames);
    }

    [Fact]
    public void Cross_entropy_with_labels_matches_reference()
    {
        var data = ReferenceFamily.Load("cross_entropy_logits");
        var compiled = Numerics.CompileOk(CrossEntropy);
        // The gather is a sibling of the logsumexp in one pass; the gradient softmax - onehot needs a second.
        Assert.Single(compiled.ValuePlan!.Passes);
        Assert.Equal(2, compiled.ValuePlan.Passes[0].Accumulators.Count);
        var m = new Numerics.Mismatches();
        foreach (var c in data.Cases)
        {
            int rows = c.Integer("rows"), cols = c.Integer("cols");
            var labels = c.Integers("labels");
            var perRow = c.Vector("per_row");
            var grad = c.Vector("grad_s_per_row_value");
            double total = 0;
            for (int r = 0; r < rows; r++)
            {
                var s = c.Vector("s").AsSpan(r * cols, cols).ToArray();
                var result = Interpreter.Run(compiled.GradientPlan!, new[] { s }, Array.Empty<double>(), new double[] { labels[r] });
                m.Check($"{c.Name} row {r}", result.Value, perRow[r], 1e-12, 0);
                m.CheckVector($"{c.Name} row {r} ds", result.InputGradients[0], grad.AsSpan(r * cols, cols).ToArray(), 1e-9, 1e-15);
                total += result.Value;
            }
            m.Check($"{c.Name} mean", total / rows, c.Number("mean"), 1e-12, 0);
        }
        m.AssertNone("cross_entropy_logits with labels");
    }

    [Fact]
    public void Gather_is_finite_next_to_masked_logits()
    {
        // s[y] is a select, not s * onehot: -inf logits elsewhere (a vocabulary mask) must not make it NaN.
        var compiled = Numerics.CompileOk(CrossEntropy);
        var s = new[] { double.NegativeInfinity, 1.0, double.NegativeInfinity, 2.0 };
        var r = Interpreter.Run(compiled.GradientPlan!, new[] { s }, Array.Empty<double>(), new[] { 3.0 });
        Assert.Equal(Math.Log(1 + Math.Exp(-1)), r.Value, 14);
        Assert.Equal(0.0, r.InputGradients[0]![0]);
        Assert.Equal(0.0, r.InputGradients[0]![2]);
    }

    [Fact]
    public void Label_smoothing_and_z_loss_gradients_match_central_differences()
    {
        var compiled = Numerics.CompileOk(SmoothedZ);
        var rng = new Random(3);
        var s = Enumerable.Range(0, 11).Select(_ => 4 * rng.NextDouble() - 2).ToArray();
        var p = new[] { 0.1, 1e-3 };
        var row = new[] { 4.0 };
        var r = Interpreter.Run(compiled.GradientPlan!, new[] { s }, p, row);
        double F(double[] x, double[] q) => Interpreter.Run(compiled.ValuePlan!, new[] { x }, q, row).Value;
        var m = new Numerics.Mismatches();
        for (int i = 0; i < s.Length; i++)
        {
            var up = (double[])s.Clone(); up[i] += 1e-6;
            var dn = (double[])s.Clone(); dn[i] -= 1e-6;
            m.Check($"ds[{i}]", r.InputGradients[0]![i], (F(up, p) - F(dn, p)) / 2e-6, 1e-6, 1e-9);
        }
        for (int j = 0; j < p.Length; j++)
        {
            var up = (double[])p.Clone(); up[j] += 1e-6;
            var dn = (double[])p.Clone(); dn[j] -= 1e-6;
            m.Check($"d{compiled.ParameterNames[j]}", r.ParameterGradients[j], (F(s, up) - F(s, dn)) / 2e-6, 1e-6, 1e-9);
        }
        m.AssertNone(SmoothedZ);
    }
}
