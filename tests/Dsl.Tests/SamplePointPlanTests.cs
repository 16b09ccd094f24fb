using KernelDsl.Language;
using KernelDsl.Language.Planning.Samples;

namespace KernelDsl.Dsl.Tests;

/// <summary>
/// The sample planner's terms of one point (<c>Σ_i w_i Σ_k h(x_ik)</c>) and row-level inputs: what the CRPS plans to,
/// and the shapes still refused (KDSL0302 with the part named).
/// </summary>
public class SamplePointPlanTests
{
    private static SamplePlan Plan(string formula)
    {
        var compiled = FormulaCompiler.Compile(formula);
        Assert.Empty(compiled.Diagnostics);
        return Assert.IsType<SamplePlan>(compiled.SamplePlan);
    }

    [Fact]
    public void Crps_PlansOnePairReduction_OnePointReduction_AndTheRowInputInTheTerm()
    {
        var plan = Plan("(e: points, y: row) => mean(sum_k(abs(e - y))) - 0.5 * mean(dist(e, e))");
        Assert.Equal(new[] { "y" }, plan.RowInputNames);
        Assert.True(plan.HasRows);
        var term = Assert.Single(plan.Points.Terms);
        Assert.Equal("abs(u - y)", term.Describe());
        Assert.NotNull(term.Slope);
        var reduction = Assert.Single(plan.Points.Reductions);
        Assert.Equal(0, reduction.Cloud);
        Assert.False(reduction.Weighted);
        Assert.NotNull(Assert.Single(plan.Points.Slopes));
        var pair = Assert.Single(plan.Reductions);
        Assert.True(pair.IsSelf && pair.Diagonal);
    }

    [Fact]
    public void RowInputs_InTheEpilogue_AreScalars_AndWeightsOfAPointTermAreFactors()
    {
        var plan = Plan("(x: points(a), y: row) => y * mean(sum_k(x^2)) + mean(dist(x, x))");
        Assert.Contains(plan.Scalars, s => s.Kind == SampleScalarKind.RowInput && s.Cloud == 0);
        Assert.True(Assert.Single(plan.Points.Reductions).Weighted);
        Assert.Equal("u^2", Assert.Single(plan.Points.Terms).Describe());
    }

    [Theory]
    [InlineData("(x: points(a), y: row; s) => mean(sum_k((x - y)^2 / s))")]
    [InlineData("(x: points(a), z: points, y: row, t: row; s) => t * log(mean(sum_k((x - y)^2 / s))) + mean(k(x, z)) * y where k(u, v) = exp(-sqdist(u, v))")]
    [InlineData("(x: points, y: row; s) => mean(2 * s * sum_k(abs(x - y)) / y)")]
    public void ScalarFactors_OfATermOfOnePoint_GoIntoItsTerm(string formula)
    {
        // The parameter s multiplies or divides each point's sum: it is a constant of h, beside u.
        string h = Assert.Single(Plan(formula).Points.Terms).Describe();
        Assert.Contains("u", h, System.StringComparison.Ordinal);
        Assert.Contains("s", h, System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("(e: points, m: mask) => mean(dist(e, e))", "a mask")]
    [InlineData("(x: points, y: points) => mean(sum_k(x) * sum_k(x))", "a term of one point other than")]
    [InlineData("(x: points, y: row) => mean(exp(-sqdist(x, x) / y))", "this pair term is not compiled")]
    public void ShapesNotCompiled_AreNamed(string formula, string part)
    {
        var compiled = FormulaCompiler.Compile(formula);
        Assert.Null(compiled.SamplePlan);
        var d = Assert.Single(compiled.Diagnostics, d => d.Id == "KDSL0302"); // beside it, at most a note on an unused input
        Assert.Contains(part, d.Message, System.StringComparison.Ordinal);
    }
}
