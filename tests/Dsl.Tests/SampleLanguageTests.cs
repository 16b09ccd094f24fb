using KernelDsl.Dsl.Tests.Support;
using KernelDsl.Language;
using KernelDsl.Language.Binding;
using KernelDsl.Language.Interpretation;
using KernelDsl.Language.Ir;

namespace KernelDsl.Dsl.Tests;

/// <summary>
/// The sample language: what each construct binds to (axes, pairings, reductions, the per-point output), values against
/// loops written here, gradients with respect to clouds, weights and parameters against central differences of the
/// interpreter's value, the compile pipeline's one diagnostic for a sample formula, and every sample diagnostic with its span.
/// </summary>
public sealed class SampleLanguageTests
{
    private static readonly double[] X = { 0.3, -1.1, 0.8, 0.25, -0.4, 0.9 };       // 3 points, d = 2
    private static readonly double[] Y = { -0.4, 0.9, 0.1, 1.7, 0.6, -0.2, 1.2, 0.4 }; // 4 points, d = 2
    private static readonly double[] A = { 0.2, 0.5, 0.3 };
    private static readonly double[] B = { 0.1, 0.4, 0.3, 0.2 };

    private static double Gauss(double[] u, int i, double[] v, int j, double s)
    {
        double d2 = 0;
        for (int k = 0; k < 2; k++) d2 += (u[2 * i + k] - v[2 * j + k]) * (u[2 * i + k] - v[2 * j + k]);
        return Math.Exp(-d2 / (2 * s * s));
    }

    private static double[] Value(string formula, double[] x, double[] y, double[]? a, double[]? b, params double[] parameters) =>
        SampleInterpreter.Evaluate(SampleReferenceTests.Bind(formula), new SampleInputs(2, new[] { x, y }, a == null && b == null ? null : new[] { a, b }, parameters));

    [Fact]
    public void Per_point_witness_function_is_the_output_over_the_first_cloud()
    {
        var f = SampleReferenceTests.Bind("(x: points, y: points; s) => mean_j(k(x, x)) - mean_j(k(x, y)) where k(u, v) = exp(-sqdist(u, v) / (2 * s^2))");
        Assert.Equal(0, f.OutputCloud);
        Assert.Equal(Axes.I, f.OutputAxes);
        var witness = SampleInterpreter.Evaluate(f, new SampleInputs(2, new[] { X, Y }, parameters: new[] { 0.8 }));
        Assert.Equal(3, witness.Length);
        for (int i = 0; i < 3; i++)
        {
            double xx = Enumerable.Range(0, 3).Sum(j => Gauss(X, i, X, j, 0.8)) / 3, xy = Enumerable.Range(0, 4).Sum(j => Gauss(X, i, Y, j, 0.8)) / 4;
            Assert.Equal(xx - xy, witness[i], 14);
        }
        Assert.Throws<ArgumentException>(() => SampleInterpreter.Gradient(f, new SampleInputs(2, new[] { X, Y }, parameters: new[] { 0.8 })));
    }

    [Fact]
    public void Weighted_softmin_over_j_is_a_logsumexp_with_log_weights()
    {
        var f = "(x: points, y: points(b); e) => mean(-e * logsumexp_j(-sqdist(x, y) / e))";
        double e = 0.7, total = 0;
        for (int i = 0; i < 3; i++)
        {
            double sum = 0;
            for (int j = 0; j < 4; j++)
            {
                double d2 = Math.Pow(X[2 * i] - Y[2 * j], 2) + Math.Pow(X[2 * i + 1] - Y[2 * j + 1], 2);
                sum += B[j] * Math.Exp(-d2 / e);
            }
            total += -e * Math.Log(sum);
        }
        Assert.Equal(total / 3, Value(f, X, Y, null, B, e)[0], 14);
    }

    [Fact]
    public void Rows_compared_featurewise_with_sum_k()
    {
        // KL between the rows of two clouds of distributions: sum_k(rel_entr(u, v)) over all pairs.
        double[] p = { 0.2, 0.8, 0.5, 0.5 }, q = { 0.3, 0.7, 0.6, 0.4, 0.9, 0.1 };
        var v = Value("(x: points, y: points) => mean(sum_k(rel_entr(x, y)))", p, q, null, null)[0];
        double expected = 0;
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 2; k++) expected += p[2 * i + k] * Math.Log(p[2 * i + k] / q[2 * j + k]);
        Assert.Equal(expected / 6, v, 14);
        // dot and a scalar per point of one cloud.
        Assert.Equal(Enumerable.Range(0, 3).Sum(i => X[2 * i] * X[2 * i] + X[2 * i + 1] * X[2 * i + 1]),
            Value("(x: points, y: points) => sum(sum_k(x^2)) + 0 * mean(dot(x, y))", X, Y, null, null)[0], 14);
    }

    [Fact]
    public void Weighted_umean_leaves_out_the_diagonal()
    {
        var f = "(x: points(a), y: points(b); s) => umean(k(x, x)) where k(u, v) = exp(-sqdist(u, v) / (2 * s^2))";
        double num = 0, w2 = 0;
        for (int i = 0; i < 3; i++)
        {
            w2 += A[i] * A[i];
            for (int j = 0; j < 3; j++) if (i != j) num += A[i] * A[j] * Gauss(X, i, X, j, 0.9);
        }
        Assert.Equal(num / (A.Sum() * A.Sum() - w2), Value(f, X, Y, A, B, 0.9)[0], 14);
    }

    public static TheoryData<string> GradientFormulas => new()
    {
        "(x: points(a), y: points(b); s) => mean(k(x, x)) + mean(k(y, y)) - 2 * mean(k(x, y)) where k(u, v) = exp(-sqdist(u, v) / (2 * s^2))",
        "(x: points(a), y: points(b); s) => umean(k(x, x)) + umean(k(y, y)) - 2 * mean(k(x, y)) where k(u, v) = (1 + sqdist(u, v) / s^2)^(-0.5)",
        "(x: points(a), y: points(b); s) => -2 * log(mean(k(x, y))) + log(mean(k(x, x))) + log(mean(k(y, y))) where k(u, v) = exp(-sqdist(u, v) / (4 * s^2))",
        "(x: points(a), y: points(b); e) => sum(-e * logsumexp_j(-sqdist(x, y) / e)) + mean(dist(x, y)) * e",
        "(x: points(a), y: points(b); s) => mean((mean_j(k(x, x)) - mean_j(k(x, y)))^2) + 0.1 * s * mean(dot(y, y)) where k(u, v) = exp(-dist(u, v) / s)",
    };

    [Theory]
    [MemberData(nameof(GradientFormulas))]
    public void Gradients_match_central_differences_for_clouds_weights_and_parameters(string formula)
    {
        var f = SampleReferenceTests.Bind(formula);
        double[] x = (double[])X.Clone(), y = (double[])Y.Clone(), a = (double[])A.Clone(), b = (double[])B.Clone(), p = { 0.8 };
        double V() => SampleInterpreter.Evaluate(f, new SampleInputs(2, new[] { x, y }, new[] { a, b }, p))[0];
        var g = SampleInterpreter.Gradient(f, new SampleInputs(2, new[] { x, y }, new[] { a, b }, p));
        Assert.Equal(V(), g.Value, 14);
        const double h = 1e-6;
        void Check(double[] target, int index, double analytic, string what)
        {
            double keep = target[index];
            target[index] = keep + h;
            double up = V();
            target[index] = keep - h;
            double down = V();
            target[index] = keep;
            double fd = (up - down) / (2 * h);
            Assert.True(Numerics.Close(analytic, fd, 1e-6, 1e-8), $"{what}[{index}]: {Numerics.Format(analytic)} vs central difference {Numerics.Format(fd)}");
        }
        for (int k = 0; k < x.Length; k++) Check(x, k, g.Clouds[0][k], "dx");
        for (int k = 0; k < y.Length; k++) Check(y, k, g.Clouds[1][k], "dy");
        for (int k = 0; k < a.Length; k++) Check(a, k, g.Weights[0]![k], "da");
        for (int k = 0; k < b.Length; k++) Check(b, k, g.Weights[1]![k], "db");
        Check(p, 0, g.Parameters[0], "dparameter");
    }

    [Fact]
    public void The_bound_formula_carries_what_the_planner_needs()
    {
        var f = SampleReferenceTests.Bind("(x: points(a), y: points; s) => umean(k(x, x)) - 2 * mean(k(x, y)) + mean(logsumexp_j(-sqdist(y, x))) "
            + "where k(u, v) = exp(-sqdist(u, v) / s)");
        Assert.Equal(new[] { "x", "y" }, f.CloudNames);
        Assert.Equal(new[] { "a", null }, f.WeightNames);
        Assert.True(f.OutputAxes.IsEmpty);
        var r = f.Reductions.Select(x => $"{x.Name} {x.Axes} {f.CloudNames[x.CloudI]} {(x.CloudJ < 0 ? "-" : f.CloudNames[x.CloudJ])} {x.Weighted} {x.OffDiagonal}").ToList();
        Assert.Equal(new[]
        {
            "umean (i, j) x x True True",
            "mean (i, j) x y True False",
            "logsumexp_j (j) y x True False",
            "mean (i) y - False False",
        }, r);
        // Every leaf names its cloud, role and pairing: x as the first and second point of its self pair, and as the first of (x, y).
        var leaves = f.Leaves.Select(l => $"{(l.IsWeight ? f.WeightNames[l.Cloud] : f.CloudNames[l.Cloud])} {l.Role} {l.PairI},{l.PairJ}").ToList();
        Assert.Contains("x (i) 0,0", leaves);
        Assert.Contains("x (j) 0,0", leaves);
        Assert.Contains("x (i) 0,1", leaves);
        Assert.Contains("y (j) 0,1", leaves);
        Assert.Contains("y (i) 1,0", leaves);
        Assert.Contains("a (i) 0,0", leaves);
        foreach (var n in f.Graph.Nodes)
            if (n.Op == KernelDsl.Language.Ops.OpTable.Input)
                Assert.Equal(f.Leaves[n.Index].IsWeight ? f.Leaves[n.Index].Role : f.Leaves[n.Index].Role | Axes.K, n.Axes);
    }

    public static TheoryData<string> CatalogueFormulas => new()
    {
        // math -> formula, each at most three lines as a user writes it (the README table in the report lists them).
        "(x: points, y: points; s) => mean(k(x, x)) + mean(k(y, y)) - 2 * mean(k(x, y)) where k(u, v) = exp(-sqdist(u, v) / (2 * s^2))",
        "(x: points, y: points; s) => umean(k(x, x)) + umean(k(y, y)) - 2 * mean(k(x, y)) where k(u, v) = exp(-dist(u, v) / s)",
        "(x: points(a), y: points(b); s) => mean(k(x, x)) + mean(k(y, y)) - 2 * mean(k(x, y)) where k(u, v) = (1 + sqdist(u, v) / s^2)^(-0.5)",
        "(x: points, y: points) => 2 * mean(dist(x, y)) - mean(dist(x, x)) - mean(dist(y, y))",
        "(x: points, y: points; s) => -2 * log(mean(k(x, y))) + log(mean(k(x, x))) + log(mean(k(y, y))) where k(u, v) = exp(-sqdist(u, v) / (4 * s^2))",
        "(e: points, y: row) => mean(sum_k(abs(e - y))) - 0.5 * mean(dist(e, e))",
        "(x: points, y: points; s) => mean_j(k(x, x)) - mean_j(k(x, y)) where k(u, v) = exp(-sqdist(u, v) / (2 * s^2))",
        "(x: points, y: points(b); e) => -e * logsumexp_j(-sqdist(x, y) / e)",
        "(x: points, y: points) => mean(sum_k(rel_entr(x, y)))",
    };

    [Theory]
    [MemberData(nameof(CatalogueFormulas))]
    public void A_sample_formula_reaching_the_compiler_is_a_sample_plan_or_one_diagnostic_not_a_crash(string formula)
    {
        Assert.NotNull(SampleReferenceTests.Bind(formula).Output);
        var compiled = FormulaCompiler.Compile(formula);
        Assert.Null(compiled.ValuePlan);
        Assert.Null(compiled.GradientPlan);
        if (compiled.SamplePlan != null)
        {
            Assert.Empty(compiled.Diagnostics);
            return;
        }
        var d = Assert.Single(compiled.Diagnostics);
        Assert.Equal("KDSL0302", d.Id);
        Assert.Equal(formula.IndexOf("=>", StringComparison.Ordinal) + 3, d.Span.Start);
    }

    public static TheoryData<string, string> Diagnostics => new()
    {
        { "(x: points, y: points) => mean(dist(x, y)) + sum([|x|])", "KDSL0115" },
        { "(x: points) => mean(dist(x, x)) * exp([|x|])", "KDSL0115" },
        { "(x: points; s) => mean(sqdist(x, [|s|]))", "KDSL0116" },
        { "(x: points) => mean(dot(x, [|2 * s|])) where s = 1", "KDSL0116" },
        { "(p, q) => sum(sqdist([|p|], q))", "KDSL0116" },
        { "(x: points, y: points; s) => [|exp(-sqdist(x, y) / s)|]", "KDSL0117" },
        { "(x: points, y: points) => [|k(x, y)|] where k(u, v) = dist(u, v)", "KDSL0117" },
        { "(x: points) => mean(mean_j([|sum_k(x * x)|]))", "KDSL0118" },
        { "(x: points; s) => sum([|s * 2|]) + mean(dist(x, x))", "KDSL0118" },
        { "(x: points, y: points) => mean([|dist(x, y) + dist(x, x)|])", "KDSL0119" },
        { "(x: points) => mean(dist(x, x)) where [|x|] = 2", "KDSL0120" },
        { "(x: points) => mean(k(x, x)) where k([|x|], v) = dist(x, v)", "KDSL0120" },
        { "(x: points) => mean(k(x, x)) where k(u, v) = dist(u, v), [|k|](u, v) = dot(u, v)", "KDSL0120" },
        { "(x: points) => mean(k(x, x)) where k(u, v) = [|k|](u, v)", "KDSL0121" },
        { "(x: points) => mean(k(x, x)) where k(u, v) = h(u, v), h(u, v) = [|k|](u, v)", "KDSL0121" },
        { "(x: points, w: row([|a|])) => w * mean(dist(x, x))", "KDSL0122" },
        { "(p: row([|a|]), q) => p * sum(q)", "KDSL0122" },
        { "(x: points, y: points) => umean([|dist(x, y)|])", "KDSL0123" },
        { "(x: points, [|p|]) => mean(dist(x, x))", "KDSL0124" },
        { "(x: points(a)) => mean(dist(x, x)) * [|a|]", "KDSL0124" },
        { "(x: points) => mean([|softmax|](dist(x, x)))", "KDSL0124" },
        { "(x: points) => mean([|k(x)|]) where k(u, v) = dist(u, v)", "KDSL0104" },
        { "(x: points) => mean([|h|](x, x)) where k(u, v) = dist(u, v)", "KDSL0103" },
        { "(x: points, [|x|]: points) => mean(dist(x, x))", "KDSL0102" },
        { "(x: points([|x|])) => mean(dist(x, x))", "KDSL0102" },
        { "(x: points, [|y|]: points) => mean(dist(x, x))", "KDSL0109" },
        { "(x: points) => mean(k(x, x)) where k(u, v) [|dist|](u, v)", "KDSL0003" },
    };

    [Theory]
    [MemberData(nameof(Diagnostics))]
    public void Reports_id_and_exact_span(string annotated, string ids)
    {
        var text = AnnotatedText.Parse(annotated);
        var expected = ids.Split(' ');
        var compiled = FormulaCompiler.Compile(text.Text);
        var actual = compiled.Diagnostics.Select(d => $"{d.Id} {d.Span}").OrderBy(s => s, StringComparer.Ordinal).ToList();
        var wanted = expected.Zip(text.Spans, (id, span) => $"{id} {span}").OrderBy(s => s, StringComparer.Ordinal).ToList();
        Assert.True(wanted.SequenceEqual(actual), $"'{text.Text}'\nexpected: {string.Join("; ", wanted)}\nactual:   {string.Join("; ", compiled.Diagnostics)}");
        Assert.Null(compiled.ValuePlan);
    }

    [Fact]
    public void Messages_name_the_clouds_and_the_recursion()
    {
        string Message(string f) => FormulaCompiler.Compile(f).Diagnostics.First(d => d.Severity == FormulaSeverity.Error).Message;
        Assert.Equal("This combines a term over (x, y) with a term over (x, x); reduce each one first (for example mean(k(x, y)) - mean(k(x, x)))",
            Message("(x: points, y: points) => mean(dist(x, y) + dist(x, x))"));
        Assert.Equal("'k' calls itself (k -> h -> k); local functions are inlined and cannot recurse",
            Message("(x: points) => mean(k(x, x)) where k(u, v) = h(u, v), h(u, v) = k(u, v)"));
        Assert.Equal("The formula is a pair term over (i, j); reduce it over the pairs with mean(...) or sum(...), or per point with mean_j, sum_j or logsumexp_j",
            Message("(x: points, y: points) => exp(-sqdist(x, y))"));
    }

    private static readonly string[] FuzzTokens =
    {
        "x", "y", "u", "v", "k", "h", "s", "a", "b", "e", "points", "points(a)", "(b)", "where", "=", "=>", ",", ";", ":", "(", ")",
        "sqdist(", "dist(", "dot(", "sum_k(", "sum(", "mean(", "umean(", "sum_j(", "mean_j(", "logsumexp_j(", "logsumexp(",
        "max(", "exp(", "log(", "softmax(", "row", "label", "+", "-", "*", "/", "^", "2", "0.5", " ", "[", "]", "$",
    };

    /// <summary>
    /// Mutated sample formulas never make the compiler throw (the shared invariants of <see cref="CompilerFuzzTests.Check"/>),
    /// and every one that binds evaluates (the interpreter finds the clouds of every reduction: the binder admits no
    /// formula it cannot run).
    /// </summary>
    [Fact]
    public void Mutated_sample_formulas_compile_without_throwing_and_evaluate_when_they_bind()
    {
        var random = new Random(20261207);
        var corpus = ((IEnumerable<object[]>)CatalogueFormulas).Concat(GradientFormulas).Select(row => (string)row[0]).ToArray();
        int bound = 0;
        for (int n = 0; n < 3000; n++)
        {
            var sb = new System.Text.StringBuilder(corpus[random.Next(corpus.Length)]);
            for (int m = random.Next(1, 4); m > 0; m--)
            {
                int at = random.Next(sb.Length + 1);
                if (random.Next(2) == 0 && at < sb.Length) sb.Remove(at, Math.Min(sb.Length - at, random.Next(1, 6)));
                else sb.Insert(at, FuzzTokens[random.Next(FuzzTokens.Length)]);
            }
            string text = sb.ToString();
            CompilerFuzzTests.Check(text);
            var bag = new DiagnosticBag();
            var syntax = KernelDsl.Language.Syntax.Parser.Parse(text, bag);
            if (!SampleBinder.IsSampleFormula(syntax)) continue;
            var f = SampleBinder.Bind(syntax, bag);
            if (f.Output == null) continue;
            bound++;
            var clouds = f.CloudNames.Select((_, c) => Enumerable.Range(0, 2 * (2 + c)).Select(t => Math.Sin(t + c)).ToArray()).ToArray();
            var weights = f.WeightNames.Select((w, c) => w == null ? null : Enumerable.Range(0, 2 + c).Select(t => 0.5 + 0.1 * t).ToArray()).ToArray();
            var inputs = new SampleInputs(2, clouds, weights, f.Graph.ParameterNames.Select(_ => 0.7).ToArray(), f.Graph.RowInputNames.Select(_ => 0.3).ToArray());
            var value = SampleInterpreter.Evaluate(f, inputs);
            Assert.Equal(f.OutputCloud < 0 ? 1 : inputs.Rows[f.OutputCloud], value.Length);
        }
        Assert.InRange(bound, 30, 3000); // most mutations break the formula; some must still bind and run
    }
}
