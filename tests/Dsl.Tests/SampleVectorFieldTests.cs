using KernelDsl.Dsl.Tests.Support;
using KernelDsl.Language;
using KernelDsl.Language.Binding;
using KernelDsl.Language.Interpretation;
using KernelDsl.Language.Ir;

namespace KernelDsl.Dsl.Tests;

/// <summary>
/// Vector fields (a d-vector per point: a point used as a value, reduced over j) and companions (<c>s: vectors(x)</c>, read
/// as <c>s(v)</c> at a point of x): what binds and how, the interpreter against the direct evaluator (which share nothing
/// but the parser), and the diagnostics with their exact spans.
/// </summary>
public sealed class SampleVectorFieldTests
{
    private const string Svgd =
        "(x: points, s: vectors(x); h) => mean_j(phi(x, x)) where k(u, v) = exp(-sqdist(u, v) / h), phi(u, v) = k(v, u) * s(v) + 2 / h * (u - v) * k(v, u)";

    public static TheoryData<string> VectorFormulas => new()
    {
        "(x: points, y: points; h) => sum_j(k(x, y) * y) / sum_j(k(x, y)) where k(u, v) = exp(-sqdist(u, v) / h)",
        "(x: points, y: points(b); h) => mean_j(g(x, y)) where g(u, v) = (v - u) * exp(-sqdist(u, v) / h)",
        "(x: points; h) => x + mean_j(r(x, x)) where r(u, v) = (u - v) / (1 + sqdist(u, v) / h)",
        "(x: points, y: points; h) => (sum_j(k(x, y) * y) - x * sum_j(k(x, y))) / (1 + sum_j(k(x, y))) where k(u, v) = 1 / (1 + dot(u, v)^2 / h)",
        Svgd,
        "(x: points, s: vectors(x), y: points(b), t: vectors(y); h) => mean_j(g(x, y)) where g(u, v) = t(v) * exp(-dist(u, v) / h) - s(u) * dot(u, v)",
    };

    private static SampleInputs Data(BoundSampleFormula f, int d)
    {
        var clouds = f.CloudNames.Select((_, c) => Enumerable.Range(0, d * (4 + 3 * c)).Select(t => 0.7 * Math.Sin(1.3 * t + c) + 0.2 * c).ToArray()).ToArray();
        var weights = f.WeightNames.Select((w, c) => w == null ? null : Enumerable.Range(0, 4 + 3 * c).Select(t => 0.3 + 0.2 * ((t * 5 + c) % 4)).ToArray()).ToArray();
        var companions = f.CompanionClouds.Select((c, s) => Enumerable.Range(0, clouds[c].Length).Select(t => Math.Cos(0.9 * t + s)).ToArray()).ToArray();
        return new SampleInputs(d, clouds, weights, f.Graph.ParameterNames.Select(_ => 1.1).ToArray(), companions: companions);
    }

    [Theory]
    [MemberData(nameof(VectorFormulas))]
    public void Interpreter_and_direct_evaluator_agree_on_vector_fields(string formula)
    {
        var f = SampleReferenceTests.Bind(formula);
        Assert.True(f.OutputIsVector);
        Assert.Equal(Axes.I | Axes.K, f.OutputAxes);
        foreach (int d in new[] { 1, 3 })
        {
            var data = Data(f, d);
            var field = SampleInterpreter.Evaluate(f, data);
            var direct = SampleDirectEvaluator.VectorField(formula, data);
            Assert.Equal(data.Rows[f.OutputCloud] * d, field.Length);
            Assert.Equal(direct.Length, field.Length);
            for (int k = 0; k < field.Length; k++) Assert.True(Numerics.Close(field[k], direct[k], 1e-12, 1e-15), $"d = {d} [{k}]: {field[k]} vs {direct[k]}");
        }
    }

    [Fact]
    public void A_companion_binds_after_its_cloud_and_reads_in_its_points_role()
    {
        var f = SampleReferenceTests.Bind(Svgd);
        Assert.Equal(new[] { "x" }, f.CloudNames);
        Assert.Equal(new[] { "s" }, f.CompanionNames);
        Assert.Equal(new[] { 0 }, f.CompanionClouds);
        var companion = Assert.Single(f.Leaves, l => l.Companion >= 0);
        Assert.Equal(Axes.J, companion.Role); // s(v), v the second point
        Assert.Equal(0, companion.Cloud);
        Assert.False(companion.IsWeight);
    }

    [Fact]
    public void Svgd_formula_matches_its_definition_by_a_plain_loop()
    {
        // φ(x_i) = (1/n) Σ_j [k(x_j, x_i) s_j + (2/h)(x_i - x_j) k(x_j, x_i)], k(u, v) = exp(-|u - v|² / h).
        var f = SampleReferenceTests.Bind(Svgd);
        const int d = 3;
        var data = Data(f, d);
        double[] x = data.Clouds[0], s = data.Companions[0];
        int n = data.Rows[0];
        const double h = 1.1;
        var expected = new double[x.Length];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double q = 0;
                for (int c = 0; c < d; c++) q += (x[j * d + c] - x[i * d + c]) * (x[j * d + c] - x[i * d + c]);
                double k = Math.Exp(-q / h);
                for (int c = 0; c < d; c++) expected[i * d + c] += (k * s[j * d + c] + 2 / h * (x[i * d + c] - x[j * d + c]) * k) / n;
            }
        var field = SampleInterpreter.Evaluate(f, data);
        for (int e = 0; e < field.Length; e++) Assert.True(Numerics.Close(expected[e], field[e], 1e-12, 1e-15), $"[{e}]: {expected[e]} vs {field[e]}");
    }

    public static TheoryData<string, string> Diagnostics => new()
    {
        { "(x: points, y: points; h) => [|mean(exp(-sqdist(x, y) / h) * y)|]", "KDSL0126" },
        { "(x: points; h) => mean_j(exp(-sqdist(x, x) / h) * [|x|])", "KDSL0127" },
        { "(s: vectors([|x|]), x: points; h) => mean_j(exp(-sqdist(x, x) / h))", "KDSL0128" },
        { "(x: points, [|s: vectors|]; h) => mean_j(exp(-sqdist(x, x) / h))", "KDSL0128" },
        { "(x: points, s: vectors(x); h) => mean_j(exp(-sqdist(x, x) / h) * [|s|])", "KDSL0129" },
        { "(x: points, s: vectors(x); h) => mean_j(exp(-sqdist(x, x) / h) * s([|x|]))", "KDSL0129" },
        { "(x: points, y: points, s: vectors(x); h) => mean_j(g(x, y)) where g(u, v) = exp(-sqdist(u, v) / h) * s([|v|])", "KDSL0129" },
        { "(x: points, s: vectors(x), y: points(b); h) => mean_j(g(x, y)) where g(u, v) = exp(-sqdist(u, v) / h) * s([|b|])", "KDSL0124" },
        { "(x: points, [|s|]: vectors(x); h) => mean_j(exp(-sqdist(x, x) / h))", "KDSL0109" },
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
    }

    [Fact]
    public void A_companion_at_a_local_without_points_is_refused()
    {
        var compiled = FormulaCompiler.Compile("(x: points, s: vectors(x), y: points; h) => s(x0) * mean_j(exp(-dist(x, y) / h)) where x0 = 1");
        Assert.Equal("KDSL0129", Assert.Single(compiled.Diagnostics).Id);
    }

    [Fact]
    public void Messages_name_the_companion_and_its_cloud()
    {
        string Message(string f) => FormulaCompiler.Compile(f).Diagnostics.First(d => d.Severity == FormulaSeverity.Error).Message;
        Assert.Equal("'s' holds a vector per point of x: write s(v) with v a point of x; 'x' named here has no role: pass the points through a local function, as in phi(x, x) where phi(u, v) = ... s(v)",
            Message("(x: points, s: vectors(x); h) => mean_j(exp(-sqdist(x, x) / h) * s(x))"));
        Assert.Equal("'s' is a companion of a cloud: write 's: vectors(x)' with x a point cloud declared before it ('y' is not one)",
            Message("(x: points, s: vectors(y); h) => mean_j(exp(-sqdist(x, x) / h))"));
    }
}
