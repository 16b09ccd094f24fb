using KernelDsl.Dsl.Tests.Support;
using KernelDsl.Language;
using KernelDsl.Language.Interpretation;

namespace KernelDsl.Dsl.Tests;

/// <summary>
/// The row families of tests/reference (logits, rows x cols, row-major): the formula is evaluated row by row, the
/// interpreter running on each row's slice. Per-row values match to 1e-12 relative, their mean to the reference's batch
/// mean, and the gradient of each row's value with respect to s to 1e-9 relative (1e-12 absolute).
/// </summary>
public sealed class ReferenceRowFamilyTests
{
    private const double ValueTolerance = 1e-12, GradientTolerance = 1e-9, GradientFloor = 1e-12;

    public const string KdKl = "(t, s; T) => T^2 * sum(softmax(t / T) * (log_softmax(t / T) - log_softmax(s / T)))";
    public const string KdReverseKl = "(t, s; T) => T^2 * sum(softmax(s / T) * (log_softmax(s / T) - log_softmax(t / T)))";

    // M = beta P + (1 - beta) Q, P = softmax(t), Q = softmax(s); a pointwise top-level term is summed over the row.
    public const string GeneralizedJsd =
        "(t, s; beta) => beta * xlogy(softmax(t), softmax(t) / (beta * softmax(t) + (1 - beta) * softmax(s)))"
        + " + (1 - beta) * xlogy(softmax(s), softmax(s) / (beta * softmax(t) + (1 - beta) * softmax(s)))";

    // The language cannot say "s[label]" yet (the next issue adds integer labels): the test passes the labels as a one-hot
    // input y built from them, so that sum(y * s) = s[label].
    public const string CrossEntropy = "(s, y) => logsumexp(s) - sum(y * s)";

    [Theory]
    [InlineData("kd_kl_logits", KdKl, "T", "batchmean")]
    [InlineData("kd_reverse_kl_logits", KdReverseKl, "T", null)]
    [InlineData("generalized_jsd_logits", GeneralizedJsd, "beta", null)]
    [InlineData("cross_entropy_logits", CrossEntropy, null, "mean")]
    public void Interpreter_matches_reference_row_by_row(string family, string formula, string? parameter, string? meanKey)
    {
        var data = ReferenceFamily.Load(family);
        var compiled = Numerics.CompileOk(formula);
        int s = compiled.InputNames.ToList().IndexOf("s");
        var m = new Numerics.Mismatches();
        foreach (var c in data.Cases)
        {
            int rows = c.Integer("rows"), cols = c.Integer("cols");
            var perRow = c.Vector("per_row");
            var gradS = c.Has("grad_s_per_row_value") ? c.Vector("grad_s_per_row_value") : null;
            var parameters = parameter == null ? Array.Empty<double>() : new[] { c.Parameter(parameter) };
            double total = 0;
            for (int r = 0; r < rows; r++)
            {
                var inputs = RowInputs(compiled, c, r, cols);
                var result = Interpreter.Run(compiled.GradientPlan!, inputs, parameters);
                m.Check($"{c.Name} row {r}", result.Value, perRow[r], ValueTolerance, perRow[r] == 0 ? 1e-15 : 0);
                total += result.Value;
                if (gradS == null) continue;
                var expected = gradS.AsSpan(r * cols, cols).ToArray();
                m.CheckVector($"{c.Name} row {r} ds", result.InputGradients[s], expected, GradientTolerance, GradientFloor);
                // The plan for ds alone (fewer passes for distillation) computes the same gradient.
                var alone = Interpreter.Run(compiled.InputGradientPlans[s]!, inputs, parameters);
                m.CheckVector($"{c.Name} row {r} ds (input plan)", alone.InputGradients[s], expected, GradientTolerance, GradientFloor);
            }
            if (meanKey != null) m.Check($"{c.Name} {meanKey}", total / rows, c.Number(meanKey), ValueTolerance, 0);
        }
        m.AssertNone($"{family}: {formula} (reference: {data.Definition})");
    }

    private static double[][] RowInputs(CompiledFormula compiled, ReferenceCase c, int row, int cols)
    {
        var inputs = new double[compiled.InputNames.Count][];
        for (int i = 0; i < inputs.Length; i++)
        {
            string name = compiled.InputNames[i];
            if (name == "y")
            {
                inputs[i] = new double[cols];
                inputs[i][c.Integers("labels")[row]] = 1.0;
            }
            else inputs[i] = c.Vector(name).AsSpan(row * cols, cols).ToArray();
        }
        return inputs;
    }

    [Fact]
    public void Distillation_gradient_for_the_student_alone_takes_two_passes()
    {
        var compiled = Numerics.CompileOk(KdKl);
        Assert.Equal(2, compiled.InputGradientPlans[1]!.Passes.Count);
        Assert.Equal(3, compiled.GradientPlan!.Passes.Count);
    }
}
