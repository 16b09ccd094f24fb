using System.Collections.Generic;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Syntax;

namespace KernelDsl.Language.Binding;

/// <content>The binder's values: a cloud argument (<c>PointRef</c>), a bound expression (<c>Val</c>), the scope of a local's body.</content>
internal sealed partial class SampleBinder
{
    // A cloud argument before it is given a role (Role = None), or a local's parameter bound to a cloud in a role.
    private sealed class PointRef
    {
        public PointRef(int cloud, Axes role, int pairI, int pairJ, TextSpan span) =>
            (Cloud, Role, PairI, PairJ, Span) = (cloud, role, pairI, pairJ, span);

        public int Cloud { get; }
        public Axes Role { get; }
        public int PairI { get; }
        public int PairJ { get; }
        public TextSpan Span { get; }
    }

    // A bound expression: a node, with the clouds bound to i and j (-1: none); or a cloud argument (Point).
    private sealed class Val
    {
        public Val(Node node, int ci, int cj) => (Node, Ci, Cj) = (node, ci, cj);

        public Val(PointRef point) { Point = point; Ci = Cj = -1; }

        public Node? Node { get; }
        public PointRef? Point { get; }
        public int Ci { get; }
        public int Cj { get; }

        // The axes i and j the value logically ranges over (a term constant over j of a pair still pairs two clouds).
        public Axes Logical => (Ci >= 0 ? Axes.I : Axes.None) | (Cj >= 0 ? Axes.J : Axes.None);
    }

    // The names in scope inside a local's body (its parameters, bound at the call, then the header's), the locals being
    // inlined (to refuse recursion), and inside sum_k(...) the role of each cloud named there.
    private sealed class Scope
    {
        public Scope(Scope? parent, Dictionary<string, Val?>? names, IReadOnlyList<string>? callers = null)
        {
            Parent = parent;
            Names = names;
            Callers = callers ?? parent?.Callers ?? System.Array.Empty<string>();
            FeatureRoles = parent?.FeatureRoles;
            Pair = parent?.Pair ?? (-1, -1);
        }

        public Scope? Parent { get; }
        public Dictionary<string, Val?>? Names { get; }
        public IReadOnlyList<string> Callers { get; }

        // Inside sum_k(...): the role each cloud named there plays, and the pairing; null outside.
        public Dictionary<int, Axes>? FeatureRoles { get; set; }
        public (int I, int J) Pair { get; set; }

        public bool TryGet(string name, out Val? value)
        {
            for (var s = this; s != null; s = s.Parent)
                if (s.Names != null && s.Names.TryGetValue(name, out value)) return true;
            value = null;
            return false;
        }

        // "k -> h -> k" when calling callee would recurse; null otherwise.
        public string? Chain(string callee)
        {
            int first = -1;
            for (int i = 0; i < Callers.Count; i++)
                if (Callers[i] == callee) { first = i; break; }
            if (first < 0) return null;
            var names = new List<string>();
            for (int i = first; i < Callers.Count; i++) names.Add(Callers[i]);
            names.Add(callee);
            return string.Join(" -> ", names);
        }
    }
}
