using System.Collections.Generic;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Syntax;
using static KernelDsl.Language.Ops.OpTable;

namespace KernelDsl.Language.Binding;

/// <content>
/// Entropic optimal transport: <c>sinkhorn(c(x, y), ε)</c> and <c>sinkhorn_divergence(c(x, y), ε)</c>. Each is a whole
/// formula (the solver computes its value; it is not a node of the DAG that other terms could combine with): the first
/// argument is a cost between the points of two distinct clouds (a pair term of sqdist, dist or dot and the parameters),
/// the second ε, a scalar of the parameters and literals. The clouds' weights come from the header (uniform otherwise).
/// </content>
internal sealed partial class SampleBinder
{
    private SampleTransport? _transport;

    /// <summary>True when <paramref name="name"/> is one of the transport functions.</summary>
    internal static bool IsTransport(string name) => name is "sinkhorn" or "sinkhorn_divergence";

    // The body without its parentheses.
    private static ExpressionSyntax Unwrap(ExpressionSyntax body)
    {
        while (body is ParenthesizedSyntax p) body = p.Inner;
        return body;
    }

    // A transport call anywhere but as the whole body: its arguments are bound for their own mistakes.
    private Val? TransportInside(CallSyntax c, Scope scope)
    {
        _report.Report(Diagnostics.TransportNotWhole, c.Span, c.Name,
            "; to combine transport values, declare each formula on its own type and add their results");
        BindAll(c.Arguments, scope);
        return null;
    }

    // The body sinkhorn(c(x, y), ε): checks the cost and ε; the value returned is ε (the formula's Output).
    private Val? BindTransport(CallSyntax c, Scope scope)
    {
        foreach (var a in c.Arguments)
            if (a is ErrorSyntax) return null; // reported by the parser
        if (!CheckArity(c, 2, "2 arguments (a cost c(x, y) and ε)")) { BindAll(c.Arguments, scope); return null; }
        var cost = Bind(c.Arguments[0], scope);
        var epsilon = Operand(c.Arguments[1], scope);
        var checkedCost = cost == null ? null : CheckCost(c, cost);
        var checkedEpsilon = epsilon == null ? null : CheckEpsilon(c, epsilon);
        if (checkedCost == null || checkedEpsilon == null) return null;
        _transport = new SampleTransport(c.Name == "sinkhorn_divergence", checkedCost.Node!, checkedEpsilon, checkedCost.Ci, checkedCost.Cj);
        return new Val(checkedEpsilon, -1, -1);
    }

    private Val? CheckCost(CallSyntax c, Val cost)
    {
        var span = c.Arguments[0].Span;
        string? why = null;
        if (cost.Point != null) why = $"{Describe(c.Arguments[0])} is a point cloud, not a cost of two points";
        else if (cost.Ci < 0 || cost.Cj < 0) why = $"{Describe(c.Arguments[0])} ranges over {Describe(cost.Ci, cost.Cj)}, not over the pairs of two clouds";
        else if (cost.Ci == cost.Cj)
            why = $"{Describe(c.Arguments[0])} pairs {_clouds[cost.Ci]} with itself (the self terms of the divergence are the solver's: write c(x, y) with two clouds)";
        else if (cost.Node!.Axes.Contains(Axes.K)) why = $"{Describe(c.Arguments[0])} is a vector over the features, not a number per pair";
        else if (Reads(cost.Node, n => n.Op == Input && _leaves[n.Index].Companion >= 0) is { } companion)
            why = $"it reads the companion '{_companions[_leaves[companion.Index].Companion]}'";
        else if (Reads(cost.Node, n => n.Op == RowInput) is { } row) why = $"it reads the row-level input '{_graph.RowInputNames[row.Index]}'";
        else if (Reads(cost.Node, n => n.Op.Kind == OpKind.Reduction && n.Reduced.Overlaps(Axes.I | Axes.J)) != null)
            why = "it contains a reduction over points; the cost is a function of one pair of points";
        if (why == null) return cost;
        _report.Report(Diagnostics.TransportCost, span, c.Name, why);
        return null;
    }

    private Node? CheckEpsilon(CallSyntax c, Val epsilon)
    {
        string? why = null;
        if (epsilon.Ci >= 0 || epsilon.Cj >= 0 || !epsilon.Node!.Axes.IsEmpty)
            why = $"{Describe(c.Arguments[1])} ranges over {Describe(epsilon.Ci, epsilon.Cj)}";
        else if (Reads(epsilon.Node, n => n.Op == Input || n.Op == Ops.OpTable.Count || n.Op == Length) != null)
            why = $"{Describe(c.Arguments[1])} reads the points";
        else if (Reads(epsilon.Node, n => n.Op == RowInput) is { } row) why = $"it reads the row-level input '{_graph.RowInputNames[row.Index]}'";
        if (why == null) return epsilon.Node;
        _report.Report(Diagnostics.TransportEpsilon, c.Arguments[1].Span, c.Name, why);
        return null;
    }

    // The first node under root (root included) that matches, or null.
    private Node? Reads(Node root, System.Func<Node, bool> match)
    {
        var seen = new HashSet<int>();
        var stack = new Stack<Node>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (!seen.Add(n.Id)) continue;
            if (match(n)) return n;
            foreach (int a in n.Args) stack.Push(_graph[a]);
        }
        return null;
    }
}
