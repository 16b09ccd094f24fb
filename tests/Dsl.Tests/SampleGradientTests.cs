using KernelDsl.Dsl.Tests.Support;
using KernelDsl.Language.Binding;
using KernelDsl.Language.Calculus;
using KernelDsl.Language.Interpretation;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Ops;

namespace KernelDsl.Dsl.Tests;

/// <summary>
/// Gradients of sample formulas whose scalars (parameters, and constants of a pair such as 1/n) enter terms of different
/// pairings: k(x, y) and k(x, x) range over different points on j, per-point terms of x and of y over different points on
/// i. The differentiator must sum each consumer's contributions over that consumer's points (the count of its cloud), not
/// over "the length of j". Every derivative (clouds, weights, parameters) is checked against a fourth-order central
/// difference of the interpreter's value and against the direct evaluator's dual numbers (an independent oracle), at 1e-9.
/// The clouds have different sizes (3 and 5 points), so a count taken from the wrong cloud shows.
/// </summary>
public sealed class SampleGradientTests
{
    private const double Tolerance = 1e-9;

    /// <summary>The example: d/ds of mean(k(x, y) + s) + mean(k(x, x) + s) is 2 (each mean of s is s).</summary>
    private const string Example = "(x: points, y: points; s) => mean(k(x, y) + s) + mean(k(x, x) + s) where k(u, v) = exp(-sqdist(u, v) / 2)";

    public static TheoryData<string> Formulas => new()
    {
        Example,
        // A parameter scaling pair terms of three pairings, and in the kernel's bandwidth; weights on both clouds.
        "(x: points(a), y: points(b); s, t) => mean(k(x, y) * s) - mean(k(y, y) * s) + t * mean(k(x, x)) + s * t where k(u, v) = exp(-sqdist(u, v) / t)",
        // Per-point terms of x and of y (axis i over different clouds) with the same parameter, next to a pair term.
        "(x: points(a), y: points; s) => mean(sum_k(x^2) + s) + sum(sum_k(y) * s) + mean(s * dist(x, y)) + sum(s + dot(x, y))",
        // Per-point reductions over j of two pairings, a parameter inside and outside them.
        "(x: points, y: points(b); s) => mean(logsumexp_j(-sqdist(x, y) / s) + s) + mean(mean_j(s * dot(x, x))) - sum(s * sum_j(k(y, x))) where k(u, v) = exp(-dist(u, v))",
        // U-statistics and a cross term, each with the parameter added to every pair.
        "(x: points(a), y: points(b); s) => umean(k(x, x) + s) + umean(k(y, y) + s) - 2 * mean(k(x, y) + s) where k(u, v) = exp(-sqdist(u, v) / s)",
        // max and min over per-point terms of different clouds, a row value as a coefficient, logsumexp over all pairs.
        "(x: points, y: points, w: row; s) => w * max(sum_k(x) * s) + min(sum_k(y) + s) + logsumexp(s * dot(x, y)) - logsumexp(s * dot(y, y))",
        // The same scalar constant 1/n of two means of one cloud in different pairings, a weighted one.
        "(x: points(a), y: points; s) => mean(s * sqdist(x, y)) * mean(s * sqdist(x, x)) + sum(s^2 * sum_k(x)) + mean(s + sum_k(y))",
    };

    private static SampleInputs Data(BoundSampleFormula f, double[][] clouds, double[]?[] weights, double[] parameters) =>
        new(2, clouds, weights, parameters, f.Graph.RowInputNames.Select(_ => 0.7).ToArray());

    // Two clouds of 3 and 5 points in d = 2, positive weights, parameters near 1.
    private static (double[][] Clouds, double[]?[] Weights, double[] Parameters) Start(BoundSampleFormula f)
    {
        var clouds = new double[f.CloudNames.Count][];
        var weights = new double[]?[f.CloudNames.Count];
        for (int c = 0; c < clouds.Length; c++)
        {
            int n = 3 + 2 * c;
            clouds[c] = Enumerable.Range(0, 2 * n).Select(t => 0.8 * Math.Sin(1.3 * t + 0.7 * c) + 0.2 * c).ToArray();
            if (f.WeightNames[c] != null) weights[c] = Enumerable.Range(0, n).Select(t => 0.3 + 0.1 * ((3 * t + c) % 4)).ToArray();
        }
        var parameters = f.Graph.ParameterNames.Select((_, q) => 0.9 + 0.25 * q).ToArray();
        return (clouds, weights, parameters);
    }

    [Fact]
    public void The_example_has_the_closed_form_derivative_two()
    {
        var f = SampleReferenceTests.Bind(Example);
        var (clouds, weights, parameters) = Start(f);
        var g = SampleInterpreter.Gradient(f, Data(f, clouds, weights, parameters));
        Assert.True(Numerics.Close(g.Parameters[0], 2, 1e-14, 1e-14), Numerics.Format(g.Parameters[0]));
    }

    [Theory]
    [MemberData(nameof(Formulas))]
    public void Gradients_match_central_differences_of_the_interpreter(string formula)
    {
        var f = SampleReferenceTests.Bind(formula);
        var (clouds, weights, parameters) = Start(f);
        double V() => SampleInterpreter.Evaluate(f, Data(f, clouds, weights, parameters))[0];
        var g = SampleInterpreter.Gradient(f, Data(f, clouds, weights, parameters));
        var bad = new Numerics.Mismatches();
        void Check(double[] target, int index, double analytic, string what)
        {
            // Fourth-order central difference: truncation ~h^4, rounding ~1e-16/h, both well under 1e-9 at h = 1e-3.
            const double h = 1e-3;
            double keep = target[index];
            double At(double x) { target[index] = x; return V(); }
            double fd = (8 * (At(keep + h) - At(keep - h)) - (At(keep + 2 * h) - At(keep - 2 * h))) / (12 * h);
            target[index] = keep;
            bad.Check($"{what}[{index}] vs central difference", analytic, fd, Tolerance, Tolerance);
        }
        for (int c = 0; c < clouds.Length; c++)
        {
            for (int e = 0; e < clouds[c].Length; e++) Check(clouds[c], e, g.Clouds[c][e], f.CloudNames[c]);
            if (weights[c] is { } w)
                for (int p = 0; p < w.Length; p++) Check(w, p, g.Weights[c]![p], f.WeightNames[c]!);
        }
        for (int q = 0; q < parameters.Length; q++) Check(parameters, q, g.Parameters[q], f.Graph.ParameterNames[q]);
        bad.AssertNone(formula);
    }

    [Theory]
    [MemberData(nameof(Formulas))]
    public void Gradients_match_the_direct_evaluator(string formula)
    {
        var f = SampleReferenceTests.Bind(formula);
        var (clouds, weights, parameters) = Start(f);
        var data = Data(f, clouds, weights, parameters);
        var g = SampleInterpreter.Gradient(f, data);
        Assert.True(Numerics.Close(g.Value, SampleDirectEvaluator.Evaluate(formula, data).Value, 1e-12, 1e-15), "value");
        var bad = new Numerics.Mismatches();
        void Same(double analytic, SampleSeedKind kind, int index, int element)
        {
            double dual = SampleDirectEvaluator.Evaluate(formula, data, kind, index, element).Derivative;
            bad.Check($"{kind} {index} [{element}] vs dual", analytic, dual, Tolerance, Tolerance);
        }
        for (int c = 0; c < clouds.Length; c++)
        {
            for (int e = 0; e < clouds[c].Length; e++) Same(g.Clouds[c][e], SampleSeedKind.Cloud, c, e);
            if (g.Weights[c] is { } w)
                for (int p = 0; p < w.Length; p++) Same(w[p], SampleSeedKind.Weight, c, p);
        }
        for (int q = 0; q < parameters.Length; q++) Same(g.Parameters[q], SampleSeedKind.Parameter, q, 0);
        bad.AssertNone(formula);
    }

    /// <summary>
    /// The root cause, structurally: no node of a sample formula's gradient names the length of i or j (which would not say
    /// whose points), and the example's parameter gradient multiplies by n_x·n_y and by n_x·n_x, the counts of its clouds.
    /// </summary>
    [Theory]
    [MemberData(nameof(Formulas))]
    public void The_gradient_of_a_sample_formula_counts_clouds_never_axis_lengths(string formula)
    {
        var f = SampleReferenceTests.Bind(formula);
        var gradient = Differentiator.Differentiate(f.Graph, f.Output!);
        var roots = gradient.Inputs.Concat(gradient.Parameters).OfType<Node>().ToList();
        Assert.NotEmpty(roots);
        foreach (var node in Reachable(f.Graph, roots).Where(n => n.Op == OpTable.Length))
            Assert.True(Axes.At(node.Index) == Axes.K, $"{formula}: {node} is the length of {Axes.At(node.Index)}");
    }

    [Fact]
    public void The_examples_parameter_gradient_multiplies_by_the_count_of_each_pairings_clouds()
    {
        var f = SampleReferenceTests.Bind(Example);
        var ds = Differentiator.Differentiate(f.Graph, f.Output!).Parameters[0]!;
        var counts = Reachable(f.Graph, new[] { ds }).Where(n => n.Op == OpTable.Count).Select(n => n.Index).OrderBy(c => c).ToArray();
        Assert.Equal(new[] { 0, 1 }, counts); // count(x) and count(y): n_x·n_y for k(x, y), n_x·n_x for k(x, x)
        // Evaluated with 3 and 5 points it is 2, and the same with the clouds swapped in size.
        foreach (var (nx, ny) in new[] { (3, 5), (5, 3), (1, 4) })
        {
            var data = new SampleInputs(2, new[] { Enumerable.Range(0, 2 * nx).Select(t => 0.1 * t).ToArray(), Enumerable.Range(0, 2 * ny).Select(t => -0.2 * t).ToArray() },
                parameters: new[] { 0.4 });
            Assert.True(Numerics.Close(SampleInterpreter.Gradient(f, data).Parameters[0], 2, 1e-14, 1e-14), $"{nx} x {ny}");
        }
    }

    /// <summary>Graph.CloudOn reads, per axis, the cloud a node's leaves range over; a formula over a support declares none.</summary>
    [Fact]
    public void A_nodes_cloud_on_an_axis_comes_from_its_leaves()
    {
        var f = SampleReferenceTests.Bind("(x: points, y: points) => mean(sqdist(x, y)) + mean(sqdist(x, x))");
        var g = f.Graph;
        var pairs = g.Nodes.Where(n => n.Axes == (Axes.I | Axes.J)).ToList();
        Assert.Contains(pairs, n => g.CloudOn(n, Axes.I) == 0 && g.CloudOn(n, Axes.J) == 1);
        Assert.Contains(pairs, n => g.CloudOn(n, Axes.I) == 0 && g.CloudOn(n, Axes.J) == 0);
        Assert.All(pairs, n => Assert.Equal(-1, g.CloudOn(n, Axes.K)));
        Assert.All(g.Nodes.Where(n => n.IsScalar), n => Assert.Equal(-1, g.CloudOn(n, Axes.I)));
        var support = new Graph(new[] { "p" }, Array.Empty<string>());
        var p = support.Input(0);
        Assert.Equal(-1, support.CloudOn(p, Axes.I));
        Assert.Same(support.Length(), support.Extent(p, Axes.I));
    }

    private static IEnumerable<Node> Reachable(Graph g, IEnumerable<Node> roots)
    {
        var seen = new HashSet<int>();
        var stack = new Stack<Node>(roots);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (!seen.Add(n.Id)) continue;
            yield return n;
            foreach (var a in n.Args) stack.Push(g[a]);
        }
    }
}
