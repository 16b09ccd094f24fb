using System.Collections.Generic;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Ops;
using static KernelDsl.Language.Ops.OpTable;

namespace KernelDsl.Language.Calculus;

/// <summary>The gradient of a scalar node: one node per input and per parameter; null where structurally zero.</summary>
internal sealed class Gradient
{
    internal Gradient(Node?[] inputs, Node?[] parameters) { Inputs = inputs; Parameters = parameters; }

    /// <summary>d value / d input_i: a node over the input's axes, or over fewer (a value broadcast over the missing ones).</summary>
    public Node?[] Inputs { get; }

    /// <summary>d value / d parameter_j (a scalar node).</summary>
    public Node?[] Parameters { get; }
}

/// <summary>
/// Reverse-mode symbolic differentiation of the DAG. The chain rule lives here once; each op states only its partial
/// derivatives (<see cref="Op.Derivative"/>). Axes: a node used by a consumer that ranges over more axes (a broadcast)
/// receives the SUM of its contributions over exactly the missing axes (consumer's axes minus its own): a scalar used by a
/// vector over i gets a sum over i, which is how reductions appear in gradients (e.g. the adjoint of mean(x) in a
/// variance); x_i used by a pair term f(x_i, y_j) gets a sum over j, a per-point reduction with axes (i). There is no
/// per-op case. An adjoint may range over fewer axes than its node (the 1 a sum passes to every element): it is broadcast.
/// The sum runs over the consumer's points: an axis letter alone does not say whose (j is x's points in k(x, x) and y's in
/// k(x, y)), so contributions are grouped by their missing axes AND by the cloud each missing axis ranges over in the
/// consumer (<see cref="Graph.CloudOn"/>), and a contribution constant over a missing axis is multiplied by that axis's
/// extent in the consumer (<see cref="Graph.Extent"/>: a cloud's count, or the length of the axis in a formula over a
/// support, where every axis has one extent and the result is what sum(c) = c·n gave).
/// Normalizers need no rule of their own: softmax(e) is exp(e - logsumexp(e)), so the vector-Jacobian product falls out as
/// vectors and one scalar, never a V x V matrix.
/// </summary>
internal static class Differentiator
{
    /// <summary>Differentiates <paramref name="output"/> (a scalar) with respect to every input and parameter.</summary>
    public static Gradient Differentiate(Graph g, Node output)
    {
        int count = output.Id + 1;
        var adjoint = new Node?[count]; // contributions from consumers over the node's own axes (or broadcast to them)
        // Contributions from consumers with more axes, per set of missing axes and the points those axes range over in the
        // consumer (a representative consumer stands for them), summed over those axes when the node is reached.
        var broadcast = new List<(Axes Missing, Node Consumer, Node Sum)>?[count];
        adjoint[output.Id] = g.Constant(1);
        var inputs = new Node?[g.InputNames.Count];
        var parameters = new Node?[g.ParameterNames.Count];
        var variable = Variables(g, count);

        for (int id = output.Id; id >= 0; id--)
        {
            var node = g[id];
            var adj = adjoint[id];
            if (broadcast[id] is { } pending)
                foreach (var (missing, consumer, sum) in pending)
                    adj = Accumulate(g, adj, SumOver(g, missing, consumer, sum));
            if (adj == null) continue;
            if (node.Op == Input) { inputs[node.Index] = adj; continue; }
            if (node.Op == Parameter) { parameters[node.Index] = adj; continue; }
            if (node.Op.Kind == OpKind.Leaf) continue;
            for (int k = 0; k < node.Args.Length; k++)
            {
                var child = g[node.Args[k]];
                if (!variable[child.Id]) continue;
                var partial = node.Op.Derivative(g, node, k);
                if (partial == null) continue;
                var contribution = g.Make(Mul, adj, partial);
                // The consumer ranges over axes the child does not: the child was broadcast along them, so its adjoint is the
                // sum of the contributions over exactly those axes, even where one contribution is the same for every
                // element (in sum(p - a), d/da is -n).
                var missing = node.Axes - child.Axes;
                if (missing.IsEmpty) adjoint[child.Id] = Accumulate(g, adjoint[child.Id], contribution);
                else AddBroadcast(g, ref broadcast[child.Id], missing, node, contribution);
            }
        }
        return new Gradient(inputs, parameters);
    }

    private static Node Accumulate(Graph g, Node? sum, Node term) => sum == null ? term : g.Make(Add, sum, term);

    // Adds a contribution to the group of its missing axes and of the points they range over in its consumer (groups kept
    // in the order they first appear). Two consumers over (i, j) pairing x with y and x with x sum over different points
    // on j: their contributions are two groups, two sums, never one sum of an ambiguous length.
    private static void AddBroadcast(Graph g, ref List<(Axes Missing, Node Consumer, Node Sum)>? groups, Axes missing, Node consumer, Node term)
    {
        groups ??= new List<(Axes, Node, Node)>(1);
        for (int i = 0; i < groups.Count; i++)
        {
            if (groups[i].Missing != missing || !SamePoints(g, groups[i].Consumer, consumer, missing)) continue;
            groups[i] = (missing, groups[i].Consumer, Accumulate(g, groups[i].Sum, term));
            return;
        }
        groups.Add((missing, consumer, term));
    }

    // True when every axis of the set ranges over the same points in both consumers.
    private static bool SamePoints(Graph g, Node a, Node b, Axes axes)
    {
        foreach (var axis in axes.Each())
            if (g.CloudOn(a, axis) != g.CloudOn(b, axis)) return false;
        return true;
    }

    // The sum of v over the axes m, which range over the consumer's points. Over an axis v does not range over, the sum is
    // v times that axis's extent in the consumer (Graph.Extent: the count of the cloud its leaves put there, or the axis's
    // length in a formula over a support): the extent is read here, where the consumer is known, not left to the
    // simplifier's sum(c) = c·n, whose n names an axis but not the points it ranges over.
    private static Node SumOver(Graph g, Axes m, Node consumer, Node v)
    {
        var kept = m & v.Axes;
        var result = kept.IsEmpty ? v : g.Reduce(Sum, kept, v);
        foreach (var axis in (m - v.Axes).Each()) result = g.Make(Mul, result, g.Extent(consumer, axis));
        return result;
    }

    // A constant or the support length has no gradient; skipping them keeps the gradient DAG small.
    private static bool[] Variables(Graph g, int count)
    {
        var depends = new bool[count];
        for (int id = 0; id < count; id++)
        {
            var node = g[id];
            bool d = node.Op == Input || node.Op == Parameter;
            foreach (var a in node.Args) d |= depends[a];
            depends[id] = d;
        }
        return depends;
    }
}
