using KernelDsl.Dsl.Tests.Support;
using KernelDsl.Language.Binding;
using KernelDsl.Language.Interpretation;

namespace KernelDsl.Dsl.Tests;

/// <summary>
/// The two evaluations of a sample formula agree: the interpreter (binder, IR, simplifier, differentiator's gradient DAG)
/// and the direct evaluator (the syntax tree, plain loops, dual numbers), which share nothing but the parser.
/// </summary>
public sealed class SampleDirectEvaluatorTests
{
    // Positive coordinates, so that rel_entr between rows is finite.
    private static SampleInputs Data(BoundSampleFormula f)
    {
        var clouds = f.CloudNames.Select((_, c) => Enumerable.Range(0, 2 * (3 + c)).Select(t => 0.45 * Math.Sin(1.7 * t + c) + 0.1 * c + 0.55).ToArray()).ToArray();
        var weights = f.WeightNames.Select((w, c) => w == null ? null : Enumerable.Range(0, 3 + c).Select(t => 0.2 + 0.15 * ((t * 7 + c) % 5)).ToArray()).ToArray();
        return new SampleInputs(2, clouds, weights, f.Graph.ParameterNames.Select(_ => 0.8).ToArray(), f.Graph.RowInputNames.Select(_ => 0.3).ToArray());
    }

    public static TheoryData<string> Formulas()
    {
        var all = new TheoryData<string>();
        foreach (var row in ((IEnumerable<object[]>)SampleLanguageTests.CatalogueFormulas).Concat(SampleLanguageTests.GradientFormulas))
            all.Add((string)row[0]);
        return all;
    }

    [Theory]
    [MemberData(nameof(Formulas))]
    public void Interpreter_and_direct_evaluator_agree_on_values_and_every_derivative(string formula)
    {
        var f = SampleReferenceTests.Bind(formula);
        var data = Data(f);
        if (f.OutputCloud >= 0)
        {
            var field = SampleInterpreter.Evaluate(f, data);
            var direct = SampleDirectEvaluator.Field(formula, data);
            Assert.Equal(direct.Length, field.Length);
            for (int i = 0; i < field.Length; i++) Assert.True(Numerics.Close(field[i], direct[i], 1e-12, 1e-15), $"[{i}]: {field[i]} vs {direct[i]}");
            return;
        }
        var g = SampleInterpreter.Gradient(f, data);
        Assert.True(Numerics.Close(g.Value, SampleDirectEvaluator.Evaluate(formula, data).Value, 1e-12, 1e-15), "value");
        void Same(double analytic, SampleSeedKind kind, int index, int element)
        {
            double dual = SampleDirectEvaluator.Evaluate(formula, data, kind, index, element).Derivative;
            Assert.True(Numerics.Close(analytic, dual, 1e-10, 1e-13), $"{kind} {index} [{element}]: {Numerics.Format(analytic)} vs dual {Numerics.Format(dual)}");
        }
        for (int c = 0; c < f.CloudNames.Count; c++)
        {
            for (int e = 0; e < data.Clouds[c].Length; e++) Same(g.Clouds[c][e], SampleSeedKind.Cloud, c, e);
            if (g.Weights[c] is { } w)
                for (int p = 0; p < w.Length; p++) Same(w[p], SampleSeedKind.Weight, c, p);
        }
        for (int q = 0; q < g.Parameters.Length; q++) Same(g.Parameters[q], SampleSeedKind.Parameter, q, 0);
    }

    [Fact]
    public void Rel_entr_with_a_NaN_coordinate_is_NaN_as_scipy_gives_it()
    {
        // scipy.special.rel_entr(x, nan) and rel_entr(0, nan) are nan (not +inf, not 0); one NaN makes the mean NaN.
        const string formula = "(x: points, y: points) => mean(sum_k(rel_entr(x, y)))";
        var f = SampleReferenceTests.Bind(formula);
        var data = Data(f);
        data.Clouds[1][0] = double.NaN;
        Assert.True(double.IsNaN(SampleDirectEvaluator.Evaluate(formula, data).Value));
        data.Clouds[0][0] = 0.0;
        Assert.True(double.IsNaN(SampleDirectEvaluator.Evaluate(formula, data).Value));
        data.Clouds[1][0] = 0.5;
        data.Clouds[0][1] = double.NaN;
        Assert.True(double.IsNaN(SampleDirectEvaluator.Evaluate(formula, data).Value));
    }
}
