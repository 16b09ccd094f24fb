using KernelDsl.Dsl.Tests.Support;
using KernelDsl.Language;
using KernelDsl.Language.Binding;
using KernelDsl.Language.Interpretation;
using KernelDsl.Language.Planning.Samples;

namespace KernelDsl.Dsl.Tests;

/// <summary>
/// Entropic optimal transport in the language: <c>sinkhorn(c(x, y), ε)</c> and <c>sinkhorn_divergence(c(x, y), ε)</c>.
/// Diagnostics (ID and exact span), the plan, and the dense double oracles (the interpreter's, from the bound cost node;
/// the direct evaluator's, from the syntax, with dual-number derivatives through the envelope theorem) against
/// tests/reference/samples/sinkhorn_divergence (GeomLoss's convention, converged at fixed ε), closed forms and central
/// differences.
/// </summary>
public sealed class TransportLanguageTests
{
    /// <summary>The catalogue's SinkhornDivergence (GeomLoss's SamplesLoss("sinkhorn", p=2, blur, debias=True)).</summary>
    public const string Divergence = "(x: points(a), y: points(b); blur) => sinkhorn_divergence(c(x, y), blur^2) where c(u, v) = sqdist(u, v) / 2";

    /// <summary>OT_ε(a, b) with the same cost.</summary>
    public const string Entropic = "(x: points(a), y: points(b); blur) => sinkhorn(c(x, y), blur^2) where c(u, v) = sqdist(u, v) / 2";

    private static BoundSampleFormula Bind(string text)
    {
        var bag = new DiagnosticBag();
        var bound = SampleBinder.Compile(text, bag);
        Assert.True(!bag.HasErrors && bound.Output != null && bound.Transport != null, text + ": " + string.Join("; ", bag.Items));
        return bound;
    }

    private static SampleInputs Inputs(ReferenceCase c, bool weights, double blur) =>
        new(c.Integer("d"), new[] { c.Vector("x"), c.Vector("y") }, weights ? new[] { c.Vector("a"), c.Vector("b") } : null, new[] { blur });

    public static TheoryData<string, string> Diagnostics => new()
    {
        { "(x: points, y: points; e) => sinkhorn([|sqdist(x, x)|], e)", "KDSL0130" },
        { "(x: points, y: points; e) => sinkhorn([|x|], e)", "KDSL0130" },
        { "(x: points, y: points; e) => sinkhorn_divergence([|mean(dist(x, y))|], e)", "KDSL0130" },
        { "(x: points, y: points; e) => sinkhorn([|dist(x, y) + mean(dist(x, y))|], e)", "KDSL0130" },
        { "(x: points, s: vectors(x), y: points; e) => sinkhorn([|c(x, y)|], e) where c(u, v) = sqdist(u, v) * sum_k(s(u))", "KDSL0130" },
        { "(x: points, y: points; e) => 2 * [|sinkhorn(sqdist(x, y), e)|]", "KDSL0131" },
        { "(x: points, y: points; e) => mean(dist(x, y)) + [|sinkhorn_divergence(sqdist(x, y), e)|]", "KDSL0131" },
        { "(x: points, y: points; e) => mean([|sinkhorn(dist(x, y), e)|])", "KDSL0131" },
        { "(x: points, y: points) => sinkhorn(sqdist(x, y), [|mean(dist(x, y))|])", "KDSL0132" },
        { "(x: points, y: points, w: row) => sinkhorn(sqdist(x, y), [|w|])", "KDSL0132" },
        { "(x: points, y: points; e) => [|sinkhorn(sqdist(x, y))|]", "KDSL0104" },
        { "(x: points, [|sinkhorn|]: points; e) => mean(dist(x, x))", "KDSL0108" },
    };

    [Theory]
    [MemberData(nameof(Diagnostics))]
    public void Reports_id_and_exact_span(string annotated, string ids)
    {
        var text = AnnotatedText.Parse(annotated);
        var compiled = FormulaCompiler.Compile(text.Text);
        var actual = compiled.Diagnostics.Where(d => d.Severity == FormulaSeverity.Error).Select(d => $"{d.Id} {d.Span}").OrderBy(s => s, StringComparer.Ordinal).ToList();
        var wanted = ids.Split(' ').Zip(text.Spans, (id, span) => $"{id} {span}")
            .OrderBy(s => s, StringComparer.Ordinal).ToList();
        Assert.True(wanted.SequenceEqual(actual), $"'{text.Text}'\nexpected: {string.Join("; ", wanted)}\nactual:   {string.Join("; ", compiled.Diagnostics)}");
    }

    [Fact]
    public void Messages_say_what_the_arguments_must_be()
    {
        string Message(string f) => FormulaCompiler.Compile(f).Diagnostics.First(d => d.Severity == FormulaSeverity.Error).Message;
        Assert.Equal("The first argument of 'sinkhorn' is the cost between the points of two distinct clouds, as in c(x, y) where c(u, v) = sqdist(u, v) / 2; " +
            "'sqdist(...)' pairs x with itself (the self terms of the divergence are the solver's: write c(x, y) with two clouds)",
            Message("(x: points, y: points; e) => sinkhorn(sqdist(x, x), e)"));
        Assert.Equal("'sinkhorn_divergence' is a whole formula: the body must be exactly one call sinkhorn_divergence(c(x, y), eps), not part of a larger expression; " +
            "to combine transport values, declare each formula on its own type and add their results",
            Message("(x: points, y: points; e) => -sinkhorn_divergence(sqdist(x, y), e)"));
        Assert.Equal("The second argument of 'sinkhorn', the entropic regularization ε, is an expression of parameters and literals (e.g. blur^2); 'mean(...)' reads the points",
            Message("(x: points, y: points) => sinkhorn(sqdist(x, y), mean(dist(x, y)))"));
    }

    [Fact]
    public void Binds_the_cost_the_clouds_and_epsilon()
    {
        var f = Bind(Divergence);
        var t = f.Transport!;
        Assert.True(t.Debiased);
        Assert.Equal((0, 1), (t.CloudI, t.CloudJ));
        Assert.Equal(new[] { "a", "b" }, f.WeightNames);
        Assert.True(t.Epsilon.Axes.IsEmpty);
        Assert.Same(t.Epsilon, f.Output);
        Assert.Equal(Language.Ir.Axes.I | Language.Ir.Axes.J, t.Cost.Axes);
        Assert.False(Bind(Entropic).Transport!.Debiased);
        // Parentheses around the call and a literal ε are fine; y may come first in the header.
        var swapped = Bind("(y: points, x: points) => (sinkhorn(dist(x, y), 0.5))").Transport!;
        Assert.Equal((1, 0), (swapped.CloudI, swapped.CloudJ));
    }

    private static SamplePlan Plan(string text)
    {
        var compiled = FormulaCompiler.Compile(text);
        Assert.False(compiled.HasErrors, string.Join("; ", compiled.Diagnostics));
        return compiled.SamplePlan!;
    }

    [Fact]
    public void The_plan_is_one_cost_term_and_epsilon_on_the_host()
    {
        var plan = Plan("(x: points, y: points; blur, p) => sinkhorn_divergence(c(x, y), blur^p) where c(u, v) = dist(u, v)^p / p");
        var t = plan.Transport!;
        Assert.True(t.Debiased);
        Assert.Empty(plan.Reductions);
        var cost = Assert.Single(plan.Terms);
        Assert.Equal(SampleFeature.SquaredDistance, cost.Feature);
        Assert.True(cost.Slope != null, string.Join("\n", t.Describe(plan)));
        Assert.Equal(new[] { 0, 1 }, t.EpsilonParameters);
        Assert.Equal("pow(blur, p)", Language.Planning.PlanPrinter.Formula(plan.Epilogue, plan.Output));
        var dot = Plan("(x: points, y: points; e) => sinkhorn(-dot(x, y), e * 2)");
        Assert.Equal(SampleFeature.Dot, dot.Terms[0].Feature);
        Assert.Equal(new[] { 0 }, dot.Transport!.EpsilonParameters);
        var lines = t.Describe(plan);
        Assert.Contains(lines, l => l.StartsWith("value = OT_ε(a, b) - OT_ε(a, a)/2 - OT_ε(b, b)/2", StringComparison.Ordinal));
        Assert.Contains(lines, l => l == "a: uniform on x (1/n); b: uniform on y (1/m)");
    }

    [Fact]
    public void The_oracles_match_the_reference_divergence_and_its_gradient()
    {
        var divergence = Bind(Divergence);
        var entropic = Bind(Entropic);
        foreach (var c in ReferenceFamily.Load("samples/sinkhorn_divergence").Cases)
        {
            double blur = c.Parameter("blur");
            var inputs = Inputs(c, weights: true, blur);
            Close(SampleInterpreter.Evaluate(divergence, inputs)[0], c.Number("value"), 1e-9, c.Name + " interpreter value");
            Close(SampleInterpreter.Evaluate(entropic, inputs)[0], c.Number("ot_ab"), 1e-9, c.Name + " interpreter OT(a, b)");
            Close(SampleDirectEvaluator.Evaluate(Divergence, inputs).Value, c.Number("value"), 1e-9, c.Name + " direct value");
            Close(SampleDirectEvaluator.Evaluate(Entropic, inputs).Value, c.Number("ot_ab"), 1e-9, c.Name + " direct OT(a, b)");
            var gx = c.Vector("grad_x");
            if (gx.Length > 12) continue; // the direct evaluator seeds one coordinate per solve: the small cases suffice
            for (int e = 0; e < gx.Length; e++)
            {
                double g = SampleDirectEvaluator.Evaluate(Divergence, inputs, SampleSeedKind.Cloud, 0, e).Derivative;
                Assert.True(Math.Abs(g - gx[e]) <= 1e-7 * Math.Abs(gx[e]) + 1e-9, $"{c.Name} grad_x[{e}]: {g} vs {gx[e]}");
            }
        }
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(1.0)]
    [InlineData(25.0)]
    public void One_dirac_each_side_is_half_the_squared_distance_at_every_epsilon(double blur)
    {
        var inputs = new SampleInputs(3, new[] { new[] { 0.5, -1.0, 2.0 }, new[] { -0.25, 0.75, 1.0 } }, new[] { new[] { 1.0 }, new[] { 1.0 } }, new[] { blur });
        double expected = 0.5 * (0.75 * 0.75 + 1.75 * 1.75 + 1.0);
        Close(SampleInterpreter.Evaluate(Bind(Divergence), inputs)[0], expected, 1e-12, "interpreter");
        Close(SampleDirectEvaluator.Evaluate(Divergence, inputs).Value, expected, 1e-12, "direct");
        // OT(a, b) of two Diracs is the cost itself (the plan is the product, KL = 0).
        Close(SampleDirectEvaluator.Evaluate(Entropic, inputs).Value, expected, 1e-12, "OT(a, b)");
    }

    // A user cost (dist^1.5 / 1.5), uniform weights, a parameter in ε: the two oracles agree, and the direct evaluator's
    // derivatives (points, weights, parameter) agree with central differences of its own value.
    [Fact]
    public void A_user_cost_agrees_between_oracles_and_with_central_differences()
    {
        const string user = "(x: points, y: points(b); s) => sinkhorn_divergence(c(x, y), 0.2 * s) where c(u, v) = dist(u, v)^1.5 / 1.5";
        var rng = new Random(7);
        double[] R(int k) => Enumerable.Range(0, k).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        var x = R(5 * 2);
        var y = R(4 * 2);
        var b = new[] { 0.2, 0.3, 0.1, 0.4 };
        SampleInputs In(double[] xs, double[] bs, double s) => new(2, new[] { xs, y }, new double[]?[] { null, bs }, new[] { s });
        var inputs = In(x, b, 1.5);
        double value = SampleInterpreter.Evaluate(Bind(user), inputs)[0];
        Close(SampleDirectEvaluator.Evaluate(user, inputs).Value, value, 1e-10, "direct vs interpreter");
        const double h = 1e-5;
        for (int e = 0; e < x.Length; e += 3)
        {
            var (plus, minus) = ((double[])x.Clone(), (double[])x.Clone());
            plus[e] += h;
            minus[e] -= h;
            double fd = (SampleDirectEvaluator.Evaluate(user, In(plus, b, 1.5)).Value - SampleDirectEvaluator.Evaluate(user, In(minus, b, 1.5)).Value) / (2 * h);
            double g = SampleDirectEvaluator.Evaluate(user, inputs, SampleSeedKind.Cloud, 0, e).Derivative;
            Assert.True(Numerics.Close(g, fd, 1e-6, 1e-8), $"x[{e}]: {g} vs {fd}");
        }
        {
            // Weights move along a direction that keeps their sum (b_1 up, b_2 down): transport needs equal masses.
            var (plus, minus) = ((double[])b.Clone(), (double[])b.Clone());
            (plus[1], plus[2], minus[1], minus[2]) = (b[1] + h, b[2] - h, b[1] - h, b[2] + h);
            double fd = (SampleDirectEvaluator.Evaluate(user, In(x, plus, 1.5)).Value - SampleDirectEvaluator.Evaluate(user, In(x, minus, 1.5)).Value) / (2 * h);
            double g = SampleDirectEvaluator.Evaluate(user, inputs, SampleSeedKind.Weight, 1, 1).Derivative
                - SampleDirectEvaluator.Evaluate(user, inputs, SampleSeedKind.Weight, 1, 2).Derivative;
            Assert.True(Numerics.Close(g, fd, 1e-6, 1e-8), $"b[1] - b[2]: {g} vs {fd}");
        }
        {
            double fd = (SampleDirectEvaluator.Evaluate(user, In(x, b, 1.5 + h)).Value - SampleDirectEvaluator.Evaluate(user, In(x, b, 1.5 - h)).Value) / (2 * h);
            double g = SampleDirectEvaluator.Evaluate(user, inputs, SampleSeedKind.Parameter, 0).Derivative;
            Assert.True(Numerics.Close(g, fd, 1e-6, 1e-8), $"s: {g} vs {fd}");
        }
    }

    [Fact]
    public void The_interpreter_points_to_the_direct_evaluator_for_gradients() =>
        Assert.Throws<ArgumentException>(() => SampleInterpreter.Gradient(Bind(Divergence),
            new SampleInputs(1, new[] { new[] { 0.0 }, new[] { 1.0 } }, new[] { new[] { 1.0 }, new[] { 1.0 } }, new[] { 1.0 })));

    private static void Close(double actual, double expected, double tolerance, string what) =>
        Assert.True(Numerics.Close(actual, expected, tolerance, tolerance * 1e-3), $"{what}: {Numerics.Format(actual)}, expected {Numerics.Format(expected)}");
}
