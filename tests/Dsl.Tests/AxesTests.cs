using KernelDsl.Dsl.Tests.Support;
using KernelDsl.Language.Calculus;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Planning;
using static KernelDsl.Language.Ops.OpTable;

namespace KernelDsl.Dsl.Tests;

/// <summary>
/// Index axes in the IR: the set type, the axes of leaves, pointwise nodes (union) and reductions (minus the removed
/// axes), how they print, and the differentiator's per-axis broadcast rule on hand-built pair graphs over (i, j), checked
/// against central differences of a small evaluator written here (independent of the planner and the interpreter).
/// </summary>
public sealed class AxesTests
{
    private static readonly Axes I = Axes.I, J = Axes.J, K = Axes.K, B = Axes.B;

    [Fact]
    public void Sets_union_minus_contain_and_print()
    {
        var ij = I | J;
        Assert.Equal("()", Axes.None.ToString());
        Assert.Equal("(i)", I.ToString());
        Assert.Equal("(i, j)", ij.ToString());
        Assert.Equal("(b, i, k)", (K | I | B).ToString());
        Assert.Equal("ij", ij.Compact());
        Assert.Equal(2, ij.Count);
        Assert.True(ij.Contains(I) && ij.Contains(J) && ij.Contains(Axes.None));
        Assert.False(I.Contains(ij));
        Assert.Equal(J, ij - I);
        Assert.Equal(I, ij & (I | K));
        Assert.True((ij - ij).IsEmpty);
        Assert.True(ij.Overlaps(J | K));
        Assert.False(I.Overlaps(J));
        Assert.Equal(new[] { B, I, K }, (K | B | I).Each());
        foreach (var a in new[] { B, I, J, K }) Assert.Equal(a, Axes.At(a.Position));
        Assert.Equal(0, I.Position); // the support's length keeps its payload
        Assert.Throws<InvalidOperationException>(() => ij.Position);
    }

    [Fact]
    public void Leaves_have_their_own_axes()
    {
        var g = new Graph(new[] { "p", "y" }, new[] { "a" }, new[] { "w" }, new[] { RowInputKind.Row });
        Assert.Equal(I, g.Input(0).Axes);
        Assert.True(g.Input(0).IsVector);
        Assert.Equal(J, g.Input(1, J).Axes);
        Assert.False(g.Input(1, J).IsVector);
        Assert.Equal(I | K, g.Input(1, I | K).Axes);
        Assert.NotSame(g.Input(1, J), g.Input(1, I | K)); // the axes are part of the interned key
        Assert.Equal(I, g.ElementIndex().Axes);
        // b is the outer map of the whole formula, not an axis on nodes: a row-level input is one value for the row.
        foreach (var scalar in new[] { g.Parameter(0), g.Constant(2), g.RowInput(0), g.Length(), g.Length(J) })
        {
            Assert.True(scalar.IsScalar);
            Assert.True(scalar.Reduced.IsEmpty);
        }
        Assert.Same(g.Length(), g.Length(I));
        Assert.NotSame(g.Length(I), g.Length(J));
    }

    [Fact]
    public void Pointwise_nodes_range_over_the_union_of_their_arguments()
    {
        var g = new Graph(new[] { "x", "y" }, new[] { "a" });
        Node x = g.Input(0, I), y = g.Input(1, J), a = g.Parameter(0);
        Assert.Equal(I | J, g.Make(Sub, x, y).Axes);
        Assert.Equal(I | J, g.Make(Exp, g.Make(Mul, a, g.Make(Sub, x, y))).Axes);
        Assert.Equal(I, g.Make(Add, x, a).Axes);
        Assert.Equal(J, g.Make(Log, y).Axes);
        Assert.True(g.Make(Mul, a, a).IsScalar);
    }

    [Fact]
    public void Reductions_remove_the_axes_they_name()
    {
        var g = new Graph(new[] { "x", "y" }, new[] { "a" });
        Node x = g.Input(0, I), y = g.Input(1, J);
        var d = g.Make(Sub, x, y);
        var overJ = g.Reduce(LogSumExp, J, d);
        Assert.Equal(I, overJ.Axes);
        Assert.Equal(J, overJ.Reduced);
        var overIJ = g.Reduce(LogSumExp, I | J, d);
        Assert.True(overIJ.IsScalar);
        Assert.Equal(I | J, overIJ.Reduced);
        Assert.Same(overJ, g.Reduce(LogSumExp, J, d)); // interned with its payload
        Assert.NotSame(overJ, g.Reduce(LogSumExp, I, d));
        Assert.Equal(J, g.Reduce(LogSumExp, I, d).Axes);
        // Make on a reduction removes the support, as every formula's reductions do today.
        var sumP = g.Make(Sum, x);
        Assert.Equal(I, sumP.Reduced);
        Assert.True(sumP.IsScalar);
        Assert.Throws<ArgumentException>(() => g.Reduce(Sum, Axes.None, d));
        Assert.Throws<ArgumentException>(() => g.Reduce(Exp, I, d));
    }

    [Fact]
    public void Reductions_print_their_axes_except_the_support()
    {
        var g = new Graph(new[] { "x", "y" }, Array.Empty<string>());
        Node x = g.Input(0, I), y = g.Input(1, J);
        var d = g.Make(Sub, x, y);
        Assert.Equal("logsumexp(x)", PlanPrinter.Expression(g, g.Reduce(LogSumExp, I, x), top: true));
        Assert.Equal("logsumexp_j(x - y)", PlanPrinter.Expression(g, g.Reduce(LogSumExp, J, d), top: true));
        Assert.Equal("logsumexp_ij(x - y)", PlanPrinter.Expression(g, g.Reduce(LogSumExp, I | J, d), top: true));
        Assert.Equal("n_j", PlanPrinter.Expression(g, g.Length(J), top: true));
    }

    [Fact]
    public void Sums_over_axes_a_term_does_not_range_over_become_lengths()
    {
        var g = new Graph(new[] { "x", "y" }, new[] { "a" });
        Node x = g.Input(0, I), y = g.Input(1, J), a = g.Parameter(0);
        // sum_j(x_i) = x_i · n_j, still over (i).
        Assert.Same(g.Make(Mul, x, g.Length(J)), g.Reduce(Sum, J, x));
        // sum_ij(x_i) = sum_i(x) · n_j.
        Assert.Same(g.Make(Mul, g.Reduce(Sum, I, x), g.Length(J)), g.Reduce(Sum, I | J, x));
        // sum_ij(a) = a · n · n_j; sum over i alone is today's a · n.
        Assert.Same(g.Make(Mul, g.Make(Mul, a, g.Length(I)), g.Length(J)), g.Reduce(Sum, I | J, a));
        Assert.Same(g.Make(Mul, a, g.Length()), g.Make(Sum, a));
        // Factors constant over the summed axes leave the sum: sum_j(x_i · y_j) = x_i · sum_j(y).
        Assert.Same(g.Make(Mul, x, g.Reduce(Sum, J, y)), g.Reduce(Sum, J, g.Make(Mul, x, y)));
        Assert.Same(g.Make(Div, g.Reduce(Sum, J, y), x), g.Reduce(Sum, J, g.Make(Div, y, x)));
        // ... but not factors over a summed axis.
        var xy = g.Make(Mul, x, y);
        Assert.Equal(Sum, g.Reduce(Sum, I | J, xy).Op);
    }

    // Gaussian kernel mean over pairs: sum_ij exp(-a (x_i - y_j)^2) / (n · n_j).
    private static (Graph G, Node Value) KernelMean()
    {
        var g = new Graph(new[] { "x", "y" }, new[] { "a" });
        Node x = g.Input(0, I), y = g.Input(1, J), a = g.Parameter(0);
        var k = g.Make(Exp, g.Make(Neg, g.Make(Mul, a, g.Make(PowInt, 2, g.Make(Sub, x, y)))));
        var value = g.Make(Div, g.Reduce(Sum, I | J, k), g.Make(Mul, g.Length(I), g.Length(J)));
        return (g, value);
    }

    // Softmin per point, summed: sum_i( -a · logsumexp_j( -(x_i - y_j)^2 / a + y_j ) ), a per-point reduction over j.
    private static (Graph G, Node Value) Softmin()
    {
        var g = new Graph(new[] { "x", "y" }, new[] { "a" });
        Node x = g.Input(0, I), y = g.Input(1, J), a = g.Parameter(0);
        var cost = g.Make(Div, g.Make(PowInt, 2, g.Make(Sub, x, y)), a);
        var lse = g.Reduce(LogSumExp, J, g.Make(Add, g.Make(Neg, cost), y));
        var value = g.Reduce(Sum, I, g.Make(Mul, g.Make(Neg, a), lse));
        return (g, value);
    }

    public static TheoryData<string> PairGraphs => new() { "kernel mean", "softmin" };

    private static (Graph G, Node Value) PairGraph(string name) => name == "kernel mean" ? KernelMean() : Softmin();

    [Theory]
    [MemberData(nameof(PairGraphs))]
    public void Gradient_of_a_pair_term_sums_over_exactly_the_missing_axes(string name)
    {
        var (g, value) = PairGraph(name);
        var grad = Differentiator.Differentiate(g, value);
        Node dx = grad.Inputs[0]!, dy = grad.Inputs[1]!, da = grad.Parameters[0]!;
        // x_i is used by terms over (i, j): its gradient ranges over (i) and is a reduction over j (y_j's, over i).
        Assert.Equal(I, dx.Axes);
        Assert.Equal(J, dy.Axes);
        Assert.True(da.IsScalar);
        Assert.Contains(J, ReductionsIn(g, dx));
        Assert.DoesNotContain(I, ReductionsIn(g, dx));
        Assert.Contains(I, ReductionsIn(g, dy));
        Assert.DoesNotContain(J, ReductionsIn(g, dy));
        if (name == "kernel mean") Assert.Contains(I | J, ReductionsIn(g, da)); // one sum over both missing axes
    }

    [Theory]
    [MemberData(nameof(PairGraphs))]
    public void Gradient_of_a_pair_term_matches_central_differences(string name)
    {
        var (g, value) = PairGraph(name);
        var grad = Differentiator.Differentiate(g, value);
        var x = new[] { 0.3, -1.1, 0.8 };
        var y = new[] { -0.4, 0.9, 0.1, 1.7 };
        var a = new[] { 0.7 };
        const double h = 1e-6, tolerance = 1e-7;

        double V(double[] xs, double[] ys, double[] ps) => new PairEvaluator(g, xs, ys, ps).At(value, 0, 0);

        var at = new PairEvaluator(g, x, y, a);
        for (int i = 0; i < x.Length; i++)
        {
            double fd = Difference(t => { var xs = (double[])x.Clone(); xs[i] += t; return V(xs, y, a); }, h);
            Assert.True(Numerics.Close(at.At(grad.Inputs[0]!, i, 0), fd, tolerance, tolerance), $"d/dx[{i}]: {at.At(grad.Inputs[0]!, i, 0)} vs {fd}");
        }
        for (int j = 0; j < y.Length; j++)
        {
            double fd = Difference(t => { var ys = (double[])y.Clone(); ys[j] += t; return V(x, ys, a); }, h);
            Assert.True(Numerics.Close(at.At(grad.Inputs[1]!, 0, j), fd, tolerance, tolerance), $"d/dy[{j}]: {at.At(grad.Inputs[1]!, 0, j)} vs {fd}");
        }
        double fa = Difference(t => V(x, y, new[] { a[0] + t }), h);
        Assert.True(Numerics.Close(at.At(grad.Parameters[0]!, 0, 0), fa, tolerance, tolerance), $"d/da: {at.At(grad.Parameters[0]!, 0, 0)} vs {fa}");
    }

    [Fact]
    public void A_node_used_over_its_own_axes_and_over_more_gets_both_contributions()
    {
        // sum_i(x^2) + sum_ij(x_i · y_j): d/dx_i = 2 x_i + sum_j(y).
        var g = new Graph(new[] { "x", "y" }, Array.Empty<string>());
        Node x = g.Input(0, I), y = g.Input(1, J);
        var value = g.Make(Add, g.Reduce(Sum, I, g.Make(PowInt, 2, x)), g.Reduce(Sum, I | J, g.Make(Mul, x, y)));
        var dx = Differentiator.Differentiate(g, value).Inputs[0]!;
        Assert.Equal(I, dx.Axes);
        var xs = new[] { 0.5, -2.0 };
        var ys = new[] { 1.25, 3.0, -0.5 };
        var at = new PairEvaluator(g, xs, ys, Array.Empty<double>());
        for (int i = 0; i < xs.Length; i++) Assert.Equal(2 * xs[i] + ys.Sum(), at.At(dx, i, 0), 12);
    }

    [Fact]
    public void Formulas_bind_to_the_support_and_scalars_only()
    {
        var c = Numerics.CompileOk("(t, s, w: row, y: label; T) => w * (sum(softmax(t / T) * log_softmax(s / T)) + s[y])");
        var g = c.GradientPlan!.Graph;
        foreach (var n in g.Nodes)
        {
            Assert.True(I.Contains(n.Axes), $"{n} ranges over {n.Axes}");
            if (n.Op.Kind == OpKind.Reduction) Assert.Equal(I, n.Reduced);
            else Assert.True(n.Reduced.IsEmpty);
        }
    }

    [Fact]
    public void The_planner_sweeps_the_support_only()
    {
        var (g, value) = KernelMean();
        Assert.Throws<NotSupportedException>(() => Planner.Build(g, value, null, null, false));
        // A length of another axis is a scalar, but the loops know only n.
        var h = new Graph(new[] { "p" }, Array.Empty<string>());
        var perJ = h.Make(Div, h.Make(Sum, h.Input(0)), h.Length(J));
        Assert.Throws<NotSupportedException>(() => Planner.Build(h, perJ, null, null, false));
        var perI = h.Make(Div, h.Make(Sum, h.Input(0)), h.Length(I));
        Assert.Single(Planner.Build(h, perI, null, null, false).Passes);
    }

    private static double Difference(Func<double, double> f, double h) => (f(h) - f(-h)) / (2 * h);

    // The axes removed by the outermost reductions under root (the walk does not enter a reduction).
    private static List<Axes> ReductionsIn(Graph g, Node root)
    {
        var found = new List<Axes>();
        var seen = new HashSet<int>();
        var stack = new Stack<Node>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (!seen.Add(n.Id)) continue;
            if (n.Op.Kind == OpKind.Reduction) { found.Add(n.Reduced); continue; }
            foreach (var arg in n.Args) stack.Push(g[arg]);
        }
        return found;
    }

    /// <summary>
    /// Evaluates a node of a pair graph at one (i, j): leaves x over i (input 0) and y over j (input 1), parameters, the
    /// lengths n and n_j; pointwise ops through their double evaluation; sums and logsumexps by looping over the axes
    /// they remove (written here, plainly, without the planner's or the interpreter's machinery).
    /// </summary>
    private sealed class PairEvaluator
    {
        private readonly Graph _g;
        private readonly double[] _x, _y, _parameters;

        public PairEvaluator(Graph g, double[] x, double[] y, double[] parameters) => (_g, _x, _y, _parameters) = (g, x, y, parameters);

        public double At(Node n, int i, int j)
        {
            if (n.Op == Constant) return n.Constant;
            if (n.Op == Parameter) return _parameters[n.Index];
            if (n.Op == Input) return n.Axes == I ? _x[i] : _y[j];
            if (n.Op == Length) return Axes.At(n.Index) == I ? _x.Length : _y.Length;
            if (n.Op.Kind == OpKind.Reduction)
            {
                var terms = new List<double>();
                var arg = _g[n.Args[0]];
                foreach (int ii in n.Reduced.Contains(I) ? Enumerable.Range(0, _x.Length) : new[] { i })
                    foreach (int jj in n.Reduced.Contains(J) ? Enumerable.Range(0, _y.Length) : new[] { j })
                        terms.Add(At(arg, ii, jj));
                if (n.Op == Sum) return terms.Sum();
                Assert.Same(LogSumExp, n.Op);
                double max = terms.Max();
                return max + Math.Log(terms.Sum(t => Math.Exp(t - max)));
            }
            var args = n.Args.Select(a => At(_g[a], i, j)).ToArray();
            return n.Op.Evaluate(n, args);
        }
    }
}
