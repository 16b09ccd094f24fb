using KernelDsl.Language.Ir;
using KernelDsl.Language.Ops;
using KernelDsl.Language.Syntax;
using static KernelDsl.Language.Ops.OpTable;

namespace KernelDsl.Language.Binding;

internal sealed partial class SampleBinder
{
    // sum, mean, logsumexp, max, min: over every point axis of the argument (all pairs; or the points of a per-point term).
    // sum_j, mean_j, logsumexp_j: over j, per point of the first cloud. umean: over the pairs i != j of one cloud.
    // A cloud with weights weighs each of its points in sums (and logsumexp: log Σ w exp), and means divide by Σ w.
    private Val? Reduction(CallSyntax c, Scope scope)
    {
        var v = Operand(c.Arguments[0], scope);
        if (v == null) return null;
        bool perPoint = c.Name.EndsWith("_j", System.StringComparison.Ordinal);
        var over = perPoint ? Axes.J : v.Logical;
        if (over.IsEmpty || !v.Logical.Contains(over))
        {
            _report.Report(Diagnostics.NothingToReduce, c.Arguments[0].Span, c.Name,
                perPoint ? "j (the second point of a pair)" : "the points of a cloud", Describe(c.Arguments[0]));
            return null;
        }
        if (c.Name == "umean" && (v.Ci < 0 || v.Cj < 0 || v.Ci != v.Cj))
        {
            _report.Report(Diagnostics.NotASelfPair, c.Arguments[0].Span, Describe(v.Ci, v.Cj));
            return null;
        }
        bool weighted = false;
        foreach (var a in over.Each()) weighted |= Weight(a, v) != null;
        Node result;
        switch (c.Name)
        {
            case "sum" or "sum_j":
                result = WeightedSum(v, over);
                break;
            case "mean" or "mean_j":
                result = _graph.Make(Div, WeightedSum(v, over), Normalizer(v, over));
                break;
            case "logsumexp" or "logsumexp_j":
                result = LogSumExpOver(v, over);
                break;
            case "max" or "min":
            {
                var present = over & v.Node!.Axes;
                result = present.IsEmpty ? v.Node : _graph.Reduce(c.Name == "max" ? MaxReduce : MinReduce, present, v.Node);
                break;
            }
            default:
                result = UMean(c, scope, v);
                break;
        }
        _reductions.Add(new SampleReduction(c.Name, over, v.Ci, v.Cj, weighted, c.Name == "umean", result));
        return new Val(result, over.Contains(Axes.I) ? -1 : v.Ci, over.Contains(Axes.J) ? -1 : v.Cj);
    }

    private int CloudOn(Axes axis, Val v) => axis == Axes.I ? v.Ci : v.Cj;

    // The weights of the cloud on axis (i or j) of v's pairing, as a leaf over that axis; null for a cloud without weights.
    private Node? Weight(Axes axis, Val v)
    {
        int cloud = CloudOn(axis, v);
        return _weights[cloud] == null ? null : Leaf(cloud, true, axis, v.Ci, v.Cj);
    }

    private Node Count(int cloud) => _graph.Make(OpTable.Count, cloud);

    // Σ over the axes of v's node (weighted); an axis the node does not range over multiplies by its cloud's count.
    private Node WeightedSum(Val v, Axes over)
    {
        var term = v.Node!;
        foreach (var a in over.Each())
            if (Weight(a, v) is { } w) term = _graph.Make(Mul, term, w);
        var present = over & term.Axes;
        var sum = present.IsEmpty ? term : _graph.Reduce(Sum, present, term);
        foreach (var a in (over - present).Each()) sum = _graph.Make(Mul, sum, Count(CloudOn(a, v)));
        return sum;
    }

    // What a mean divides by: per axis, the sum of the cloud's weights, or its number of points.
    private Node Normalizer(Val v, Axes over)
    {
        Node? total = null;
        foreach (var a in over.Each())
        {
            var n = Weight(a, v) is { } w ? _graph.Reduce(Sum, a, w) : Count(CloudOn(a, v));
            total = total == null ? n : _graph.Make(Mul, total, n);
        }
        return total!;
    }

    // log Σ w exp(e) = logsumexp(e + log w); an axis e does not range over adds log of its count.
    private Node LogSumExpOver(Val v, Axes over)
    {
        var term = v.Node!;
        foreach (var a in over.Each())
            if (Weight(a, v) is { } w) term = _graph.Make(Add, term, _graph.Make(Log, w));
        var present = over & term.Axes;
        var lse = present.IsEmpty ? term : _graph.Reduce(LogSumExp, present, term);
        foreach (var a in (over - present).Each()) lse = _graph.Make(Add, lse, _graph.Make(Log, Count(CloudOn(a, v))));
        return lse;
    }

    // umean(f) = (Σ_ij w_i w_j f_ij - Σ_i w_i² f_ii) / ((Σ w)² - Σ w²); uniform: (Σ_ij f_ij - Σ_i f_ii) / (n (n - 1)).
    // The diagonal f_ii is the argument bound again with the second point replaced by the first.
    private Node UMean(CallSyntax c, Scope scope, Val v)
    {
        var full = WeightedSum(v, Axes.I | Axes.J);
        var (report, reductions) = (_report, _reductions.Count);
        _report = new DiagnosticBag(); // the argument's own mistakes were reported by the first binding
        _diagonal = true;
        Node diagonal;
        try
        {
            var d = Operand(c.Arguments[0], scope)!;
            var term = d.Node!;
            foreach (var a in new[] { Axes.I, Axes.J })
                if (Weight(a, v) is { } w) term = _graph.Make(Mul, term, w); // in diagonal mode w_j is w_i
            diagonal = term.Axes.Contains(Axes.I) ? _graph.Reduce(Sum, Axes.I, term) : _graph.Make(Mul, term, Count(v.Ci));
        }
        finally
        {
            _diagonal = false;
            _report = report;
            _reductions.RemoveRange(reductions, _reductions.Count - reductions);
        }
        Node pairs;
        if (Weight(Axes.I, v) is { } wi)
        {
            var total = _graph.Reduce(Sum, Axes.I, wi);
            pairs = _graph.Make(Sub, _graph.Make(PowInt, 2, total), _graph.Reduce(Sum, Axes.I, _graph.Make(PowInt, 2, wi)));
        }
        else
        {
            var n = Count(v.Ci);
            pairs = _graph.Make(Mul, n, _graph.Make(Sub, n, _graph.Constant(1)));
        }
        return _graph.Make(Div, _graph.Make(Sub, full, diagonal), pairs);
    }
}
