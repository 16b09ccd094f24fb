using System.Collections.Generic;
using KernelDsl.Language.Ir;
using static KernelDsl.Language.Ops.OpTable;

namespace KernelDsl.Language.Planning.Samples;

/// <content>
/// Vector fields: a d-vector per point i of the output cloud, e.g. <c>sum_j(k(x, y) * y) / sum_j(k(x, y))</c>. A sum over j
/// of a vector term is split into pair terms times one vector factor each, <c>Σ_t Σ_j c_t(i, j) v_t</c> with v_t the point
/// on j (a payload sweep of the engine, <c>Σ_j w_j φ(f_ij) y_j</c>), the point on i (then <c>x_i Σ_j c_t</c>, a row sum) or
/// 1 (a row sum); the epilogue then runs per point and feature.
/// </content>
internal sealed partial class SamplePlanner
{
    private const string NotLinear = "a vector term over j that is not a sum of pair terms times a point is not compiled to kernels yet";

    // Σ_j of a vector term: the sum over its parts, each a row reduction times its vector factor, in the epilogue.
    private Node? VectorRows(Node sum)
    {
        var parts = new List<(Node? Coefficient, Node? Vector)>();
        if (!Split(_g[sum.Args[0]], parts)) return null;
        Node? total = null;
        foreach (var (coefficient, vector) in parts)
        {
            if (coefficient == null || !coefficient.Axes.Contains(Axes.J))
                return FailNode("a vector sum over j without a pair term (a plain sum of points) is not compiled to kernels yet");
            var reduced = _g.Reduce(Sum, Axes.J, coefficient); // the graph may move a sign or a factor free of j out of the sum
            Node? part;
            if (vector == null) part = Rebuild(reduced);
            else if (_bound.Leaves[vector.Index].Role == Axes.J) part = PayloadRows(reduced, Source(vector));
            else
            {
                var row = Rebuild(reduced);
                var point = FieldPoint(vector);
                part = row == null || point == null ? null : _epilogue.Make(Mul, row, point);
            }
            if (part == null) return null;
            total = total == null ? part : _epilogue.Make(Add, total, part);
        }
        return total;
    }

    // Σ_j c_ij y_j from Σ_j c_ij as the graph built it: each sum over j in it becomes a payload sweep; what sits around the
    // sums (a sign, factors free of j) must be linear in them.
    private Node? PayloadRows(Node n, int payload)
    {
        if (n.Op == Sum && n.Reduced == Axes.J) return RowReduction(n, payload);
        if (!HasRowSum(n)) return FailNode(NotLinear);
        if (n.Op == Neg) return PayloadRows(_g[n.Args[0]], payload) is { } inner ? _epilogue.Make(Neg, inner) : null;
        if (n.Op == Add || n.Op == Sub)
        {
            var a = PayloadRows(_g[n.Args[0]], payload);
            var b = a == null ? null : PayloadRows(_g[n.Args[1]], payload);
            return b == null ? null : _epilogue.Make(n.Op, a!, b);
        }
        if ((n.Op == Mul || n.Op == Div) && HasRowSum(_g[n.Args[0]]) != HasRowSum(_g[n.Args[1]]))
        {
            bool first = HasRowSum(_g[n.Args[0]]);
            if (n.Op == Div && !first) return FailNode(NotLinear);
            var rows = PayloadRows(_g[n.Args[first ? 0 : 1]], payload);
            var other = rows == null ? null : Rebuild(_g[n.Args[first ? 1 : 0]]);
            return other == null ? null : first ? _epilogue.Make(n.Op, rows!, other) : _epilogue.Make(n.Op, other, rows!);
        }
        return FailNode(NotLinear);
    }

    private bool HasRowSum(Node n)
    {
        if (n.Op == Sum && n.Reduced == Axes.J) return true;
        foreach (int a in n.Args)
            if (HasRowSum(_g[a])) return true;
        return false;
    }

    // Splits a term over (i, j, k) into Σ_t c_t v_t: c_t without k (null: 1), v_t a point leaf (null: the vector of ones).
    private bool Split(Node n, List<(Node? Coefficient, Node? Vector)> into)
    {
        if (!n.Axes.Contains(Axes.K)) { into.Add((n, null)); return true; }
        if (n.Op == Input && !_bound.Leaves[n.Index].IsWeight) { into.Add((null, n)); return true; }
        int start = into.Count;
        if (n.Op == Add || n.Op == Sub)
        {
            if (!Split(_g[n.Args[0]], into)) return false;
            int second = into.Count;
            if (!Split(_g[n.Args[1]], into)) return false;
            if (n.Op == Sub) Scale(into, second, c => c == null ? _g.Constant(-1) : _g.Make(Neg, c));
            return true;
        }
        if (n.Op == Neg)
        {
            if (!Split(_g[n.Args[0]], into)) return false;
            Scale(into, start, c => c == null ? _g.Constant(-1) : _g.Make(Neg, c));
            return true;
        }
        if (n.Op == Mul || n.Op == Div)
        {
            Node a = _g[n.Args[0]], b = _g[n.Args[1]];
            if (n.Op == Mul && !a.Axes.Contains(Axes.K)) (a, b) = (b, a);
            if (!b.Axes.Contains(Axes.K))
            {
                if (!Split(a, into)) return false;
                var op = n.Op;
                Scale(into, start, c => op == Mul ? (c == null ? b : _g.Make(Mul, c, b)) : _g.Make(Div, c ?? _g.Constant(1), b));
                return true;
            }
        }
        _failure ??= NotLinear;
        return false;
    }

    private static void Scale(List<(Node? Coefficient, Node? Vector)> parts, int from, System.Func<Node?, Node> by)
    {
        for (int k = from; k < parts.Count; k++) parts[k] = (by(parts[k].Coefficient), parts[k].Vector);
    }

    // Where a vector leaf reads: a cloud's points (the cloud) or a companion (after the clouds).
    private int Source(Node leaf) =>
        _bound.Leaves[leaf.Index].Companion is int c and >= 0 ? _bound.CloudNames.Count + c : _bound.Leaves[leaf.Index].Cloud;

    private int SourceCloud(int source) => source < _bound.CloudNames.Count ? source : _bound.CompanionClouds[source - _bound.CloudNames.Count];

    // The output point's own features x_ic (a row of kind Point), or a failure for any other leaf.
    private Node? FieldPoint(Node leaf)
    {
        var l = _bound.Leaves[leaf.Index];
        if (!_bound.OutputIsVector || l.IsWeight || l.Role != Axes.I || l.Cloud != _bound.OutputCloud)
            return FailNode("a point outside a vector sum over j is not compiled to kernels yet");
        string key = "point|" + Source(leaf).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!_rowIndex.TryGetValue(key, out int r))
        {
            if (_rows.Count == MaxReductions) return FailNode($"more than {MaxReductions} reductions over j are not compiled to kernels");
            _rows.Add(new SampleRowReduction(-1, -1, false, SampleRowKind.Point, Source(leaf)));
            r = _rowIndex[key] = _rows.Count - 1;
        }
        return _epilogue.Parameter(_g.ParameterNames.Count + r);
    }
}
