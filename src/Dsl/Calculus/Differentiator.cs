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
        // Contributions from consumers with more axes, per set of missing axes, summed over those axes when the node is reached.
        var broadcast = new List<(Axes Missing, Node Sum)>?[count];
        adjoint[output.Id] = g.Constant(1);
        var inputs = new Node?[g.InputNames.Count];
        var parameters = new Node?[g.ParameterNames.Count];
        var variable = Variables(g, count);

        for (int id = output.Id; id >= 0; id--)
        {
            var node = g[id];
            var adj = adjoint[id];
            if (broadcast[id] is { } pending)
                foreach (var (missing, sum) in pending)
                    adj = Accumulate(g, adj, g.Reduce(Sum, missing, sum));
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
                else AddBroadcast(g, ref broadcast[child.Id], missing, contribution);
            }
        }
        return new Gradient(inputs, parameters);
    }

    private static Node Accumulate(Graph g, Node? sum, Node term) => sum == null ? term : g.Make(Add, sum, term);

    // Adds a contribution to the group of its missing axes (groups kept in the order they first appear).
    private static void AddBroadcast(Graph g, ref List<(Axes Missing, Node Sum)>? groups, Axes missing, Node term)
    {
        groups ??= new List<(Axes, Node)>(1);
        for (int i = 0; i < groups.Count; i++)
        {
            if (groups[i].Missing != missing) continue;
            groups[i] = (missing, Accumulate(g, groups[i].Sum, term));
            return;
        }
        groups.Add((missing, term));
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
