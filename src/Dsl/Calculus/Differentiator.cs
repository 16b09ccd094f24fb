using KernelDsl.Language.Ir;
using KernelDsl.Language.Ops;
using static KernelDsl.Language.Ops.OpTable;

namespace KernelDsl.Language.Calculus;

/// <summary>The gradient of a scalar node: one node per vector input and per parameter; null where structurally zero.</summary>
internal sealed class Gradient
{
    internal Gradient(Node?[] inputs, Node?[] parameters) { Inputs = inputs; Parameters = parameters; }

    /// <summary>d value / d input_i (a vector node, or a scalar broadcast over the support).</summary>
    public Node?[] Inputs { get; }

    /// <summary>d value / d parameter_j (a scalar node).</summary>
    public Node?[] Parameters { get; }
}

/// <summary>
/// Reverse-mode symbolic differentiation of the DAG. The chain rule lives here once; each op states only its partial
/// derivatives (<see cref="Op.Derivative"/>). Shapes: a scalar used by vector nodes (a broadcast) receives the SUM of its
/// vector adjoint contributions, which is how reductions appear in gradients (e.g. the adjoint of mean(x) in a variance).
/// Normalizers need no rule of their own: softmax(e) is exp(e - logsumexp(e)), so the vector-Jacobian product falls out as
/// vectors and one scalar, never a V x V matrix.
/// </summary>
internal static class Differentiator
{
    /// <summary>Differentiates <paramref name="output"/> (a scalar) with respect to every input and parameter.</summary>
    public static Gradient Differentiate(Graph g, Node output)
    {
        int count = output.Id + 1;
        var adjoint = new Node?[count];      // contributions of the node's own shape (or scalar to a vector)
        var vectorAdjoint = new Node?[count]; // vector contributions to a scalar node, summed when the node is reached
        adjoint[output.Id] = g.Constant(1);
        var inputs = new Node?[g.InputNames.Count];
        var parameters = new Node?[g.ParameterNames.Count];
        var variable = Variables(g, count);

        for (int id = output.Id; id >= 0; id--)
        {
            var node = g[id];
            var adj = adjoint[id];
            if (!node.IsVector && vectorAdjoint[id] is { } va)
                adj = Accumulate(g, adj, g.Make(Sum, va));
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
                // A scalar used by a vector node is broadcast: its adjoint is the sum over the support of the per-element
                // contributions, even where one contribution is a scalar for every element (in sum(p - a), d/da is -n).
                if (!child.IsVector && (contribution.IsVector || node.IsVector))
                    vectorAdjoint[child.Id] = Accumulate(g, vectorAdjoint[child.Id], contribution);
                else
                    adjoint[child.Id] = Accumulate(g, adjoint[child.Id], contribution);
            }
        }
        return new Gradient(inputs, parameters);
    }

    private static Node Accumulate(Graph g, Node? sum, Node term) => sum == null ? term : g.Make(Add, sum, term);

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
