using System.Collections.Generic;
using System.Linq;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Ops;

namespace KernelDsl.Language.Planning.Lowering;

/// <summary>
/// The nodes a CPU loop computes per element for one pass: the pass's elementwise nodes, except that a guarded op
/// (rel_entr, xlogy, xlog1py) whose unguarded expression serves nothing else, in every pass of the plan that computes the
/// op, is computed whole, from its two arguments, and that expression's nodes are not computed at all.
/// </summary>
/// <remarks>
/// A guarded op carries its unguarded expression (x·log(x/y) for rel_entr) so that the value and the derivatives share
/// the log. Where nothing shares it (a value pass), the runtime's two-argument form owns the log and can do better than
/// the composition: float rel_entr then runs log's table kernel without log's own special-lane test, since every lane
/// that test would fix is one rel_entr's test replaces (FloatMath.RelEntr.cs), and adds the product and the rounding
/// correction with one rounding. The expression is taken down to the op's own arguments (which stay), and the op is
/// computed whole only when every node of it is private: used in the pass only inside the expression (or by the op
/// itself) and read by no reduction or gradient write. So nothing is ever computed twice: a log or a division the formula
/// also uses elsewhere keeps the composition.
/// </remarks>
internal sealed class LoopBody
{
    private readonly HashSet<int> _whole;

    private LoopBody(IReadOnlyList<Node> nodes, HashSet<int> whole)
    {
        Nodes = nodes;
        _whole = whole;
    }

    /// <summary>The nodes to compute, in the pass's dependency order.</summary>
    public IReadOnlyList<Node> Nodes { get; }

    /// <summary>True when <paramref name="node"/> is a guarded op computed from its formula arguments alone.</summary>
    public bool IsWhole(Node node) => _whole.Contains(node.Id);

    /// <summary>
    /// The loop body of <paramref name="pass"/>, one of <paramref name="plan"/>'s passes. A guarded op is computed whole
    /// only where every pass of the plan that computes it can: passes that recompute a node (a max's value, then its
    /// count of ties, then its gradient) compare its bits, so they must compute it the same way.
    /// </summary>
    public static LoopBody For(Plan plan, Pass pass)
    {
        var whole = Eligible(plan.Graph, pass);
        foreach (var other in plan.Passes)
        {
            if (other == pass || whole.Count == 0) continue;
            var computed = new HashSet<int>(other.Elementwise.Select(n => n.Id));
            var eligible = Eligible(plan.Graph, other);
            foreach (int id in whole.Keys.ToList())
                if (computed.Contains(id) && !eligible.ContainsKey(id)) whole.Remove(id);
        }

        var dropped = new HashSet<int>(whole.Values.SelectMany(e => e));
        return new LoopBody(pass.Elementwise.Where(n => !dropped.Contains(n.Id)).ToList(), new HashSet<int>(whole.Keys));
    }

    // The guarded ops of the pass that could be computed whole, each with its expression's nodes: those whose every node is
    // used only inside the expression (or by the op) and read by no reduction or gradient write of the pass.
    private static Dictionary<int, HashSet<int>> Eligible(Graph g, Pass pass)
    {
        var inPass = new HashSet<int>(pass.Elementwise.Select(n => n.Id));
        var users = new Dictionary<int, HashSet<int>>();
        foreach (var n in pass.Elementwise)
            foreach (int a in n.Args)
                if (inPass.Contains(a))
                {
                    if (!users.TryGetValue(a, out var set)) users[a] = set = new HashSet<int>();
                    set.Add(n.Id);
                }

        var read = new HashSet<int>(pass.Accumulators.Select(r => r.Args[0]));
        read.UnionWith(pass.Writes.Select(w => w.Gradient.Id));

        var eligible = new Dictionary<int, HashSet<int>>();
        foreach (var n in pass.Elementwise)
        {
            if (n.Op is not GuardedOp || !inPass.Contains(n.Args[2])) continue;
            var expression = Expression(g, n, inPass);
            if (expression.All(id => !read.Contains(id) && users[id].All(u => u == n.Id || expression.Contains(u))))
                eligible[n.Id] = expression;
        }

        return eligible;
    }

    // The pass's nodes of the guarded op's unguarded expression, down to (and without) the op's own arguments.
    private static HashSet<int> Expression(Graph g, Node guarded, HashSet<int> inPass)
    {
        var stop = new HashSet<int>(guarded.Args.Take(guarded.Op.UserArity));
        var nodes = new HashSet<int>();
        var stack = new Stack<int>();
        stack.Push(guarded.Args[2]);
        while (stack.Count > 0)
        {
            int id = stack.Pop();
            if (stop.Contains(id) || !inPass.Contains(id) || !nodes.Add(id)) continue;
            foreach (int a in g[id].Args) stack.Push(a);
        }

        return nodes;
    }
}
