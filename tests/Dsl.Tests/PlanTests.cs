using KernelDsl.Dsl.Tests.Support;
using KernelDsl.Language;
using KernelDsl.Language.Interpretation;
using KernelDsl.Language.Ops;
using KernelDsl.Language.Planning;

namespace KernelDsl.Dsl.Tests;

/// <summary>
/// Pass plans: how many passes and accumulators the design's examples need, and golden files of <see cref="Plan.Describe"/>
/// (Snapshots/PlanTests.Describe_matches_golden_file#{name}.{value|gradient}.verified.txt; UPDATE_SNAPSHOTS=1 rewrites them).
/// </summary>
public sealed class PlanTests
{
    public const string Kl = "(p, q) => xlogy(p, p / q)";
    public const string Renyi = "(p, q; a) => log(sum(p^a * q^(1 - a))) / (a - 1)";
    public const string CauchySchwarz = "(p, q) => -log(sum(p * q) / sqrt(sum(p^2) * sum(q^2)))";
    public const string Dpo = "(pw, rw, pl, rl; beta) => mean(softplus(-beta * ((pw - rw) - (pl - rl))))";

    [Fact]
    public void Distillation_from_logits_value_takes_two_passes()
    {
        var plan = Numerics.CompileOk(ReferenceRowFamilyTests.KdKl).ValuePlan!;
        Assert.Equal(2, plan.Passes.Count);
        // Pass 0: both normalizers side by side (online max + sum-exp each); pass 1: the weighted sum.
        Assert.Equal(new[] { OpTable.LogSumExp, OpTable.LogSumExp }, plan.Passes[0].Accumulators.Select(a => a.Op));
        Assert.Equal(OpTable.Sum, Assert.Single(plan.Passes[1].Accumulators).Op);
        Assert.Equal(2, Numerics.CompileOk(ReferenceRowFamilyTests.KdReverseKl).ValuePlan!.Passes.Count);
    }

    [Fact]
    public void Distillation_gradient_for_the_student_takes_two_passes()
    {
        var compiled = Numerics.CompileOk(ReferenceRowFamilyTests.KdKl);
        var student = compiled.InputGradientPlans[compiled.InputNames.ToList().IndexOf("s")]!;
        Assert.Equal(2, student.Passes.Count);
        Assert.Contains(student.Passes[1].Writes, w => compiled.InputNames[w.Input] == "s");
        Assert.All(student.ParameterGradients, Assert.Null);
    }

    [Fact]
    public void Cauchy_schwarz_is_one_pass_with_three_accumulators()
    {
        var plan = Numerics.CompileOk(CauchySchwarz).ValuePlan!;
        var pass = Assert.Single(plan.Passes);
        Assert.Equal(3, pass.Accumulators.Count);
        Assert.Equal(new[] { 0, 1 }, pass.Reads);
        Assert.True(pass.ServesValue);
    }

    [Fact]
    public void Dpo_value_and_gradient_is_one_pass()
    {
        var compiled = Numerics.CompileOk(Dpo);
        var pass = Assert.Single(compiled.GradientPlan!.Passes);
        Assert.Equal(4, pass.Writes.Count);
        Assert.Equal(new[] { 0, 1, 2, 3 }, pass.ServesInputs);
        Assert.True(pass.ServesParameters);
        Assert.NotNull(compiled.GradientPlan.ParameterGradients[0]);
    }

    [Fact]
    public void Kl_value_and_gradient_is_one_pass()
    {
        var compiled = Numerics.CompileOk(Kl);
        var pass = Assert.Single(compiled.GradientPlan!.Passes);
        Assert.Equal(new[] { 0, 1 }, pass.Writes.Select(w => w.Input));
        Assert.Single(pass.Accumulators);
        Assert.All(compiled.InputGradientPlans, p => Assert.Single(p!.Passes));
    }

    [Fact]
    public void A_scalar_gradient_is_a_fill_and_an_absent_one_is_zero()
    {
        var compiled = Numerics.CompileOk("(p, q) => sum(p) * 2 + 0 * sum(q^2) - sum(q^2)");
        var plan = compiled.GradientPlan!;
        Assert.Equal(0, Assert.Single(plan.Fills).Input); // d/dp = 2 everywhere
        var r = Interpreter.Run(plan, new[] { new[] { 1.0, 2.0 }, new[] { 3.0, 4.0 } }, Array.Empty<double>());
        Assert.Equal(new[] { 2.0, 2.0 }, r.InputGradients[0]);
        Assert.Equal(new[] { -6.0, -8.0 }, r.InputGradients[1]);

        var unused = FormulaCompiler.Compile("(p, q) => sum(p)").GradientPlan!;
        Assert.Equal(new[] { 1 }, unused.ZeroGradients);
    }

    [Fact]
    public void Too_many_passes_is_a_diagnostic_not_a_plan()
    {
        // Each logsumexp needs the one inside it: nine nested ones need nine passes, more than CompilePipeline allows.
        string nested = "p";
        for (int i = 0; i < 9; i++) nested = $"logsumexp(p * {nested})";
        var compiled = FormulaCompiler.Compile("(p) => " + nested);
        Assert.Equal("KDSL0301", Assert.Single(compiled.Diagnostics).Id);
        Assert.Null(compiled.GradientPlan);
        nested = "p";
        for (int i = 0; i < 3; i++) nested = $"logsumexp(p * {nested})";
        Assert.Equal(3, Numerics.CompileOk("(p) => " + nested).ValuePlan!.Passes.Count);
    }

    public static TheoryData<string, string> Golden() => new()
    {
        { "KL", Kl },
        { "Renyi", Renyi },
        { "CauchySchwarz", CauchySchwarz },
        { "KdLogits", ReferenceRowFamilyTests.KdKl },
        { "Dpo", Dpo },
    };

    [Theory]
    [MemberData(nameof(Golden))]
    public void Describe_matches_golden_file(string name, string formula)
    {
        var compiled = Numerics.CompileOk(formula);
        Snapshot.Match($"formula: {formula}\n" + compiled.ValuePlan!.Describe(), name + ".value");
        Snapshot.Match($"formula: {formula}\n" + compiled.GradientPlan!.Describe(), name + ".gradient");
    }

    [Fact]
    public void Describe_is_deterministic()
    {
        foreach (var row in Golden())
        {
            string formula = (string)row[1];
            Assert.Equal(FormulaCompiler.Compile(formula).GradientPlan!.Describe(), FormulaCompiler.Compile(formula).GradientPlan!.Describe());
        }
    }
}
