using System.Collections.Generic;
using KernelDsl.Language.Calculus;
using KernelDsl.Language.Ir;
using static KernelDsl.Language.Ops.OpTable;

namespace KernelDsl.Language.Planning.Samples;

/// <content>
/// Terms of one point (<c>Σ_i w_i Σ_k h(x_ik)</c>, a reduction over the points of one cloud, not over pairs) and
/// row-level inputs (<c>y: row</c>, scalars of the epilogue and of the terms of one point).
/// </content>
internal sealed partial class SamplePlanner
{
    private readonly SamplePointPart _points = new();
    private readonly Dictionary<string, int> _pointTermIndex = new();
    private readonly Dictionary<string, int> _pointReductionIndex = new();

    private static string PointName(int at) => "_p" + at.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private string RowName(int at) => "_row_" + _g.RowInputNames[at];

    // Σ_i t over a term of one cloud (no j): the planner compiles it when t is w_i times a sum over k (checked there).
    private bool IsPointSum(Node sum) => !_g[sum.Args[0]].Axes.Contains(Axes.J);

    // Σ_i w_i c Σ_k h(x_ik): the weight and scalars c are factors; the rest is one sum over k of a pointwise formula of one point.
    private Node? PointReduction(Node sum)
    {
        var factors = new List<Node>();
        var scalars = new List<(Node Factor, bool Divides)>();
        PointFactors(_g[sum.Args[0]], factors, scalars);
        bool weighted = false;
        Node? features = null;
        foreach (var f in factors)
        {
            if (f.Op == Input && _bound.Leaves[f.Index].IsWeight) weighted = true;
            else if (f.Op == Sum && f.Reduced == Axes.K && features == null) features = f;
            else return FailNode("a term of one point other than w_i · sum_k(h(x_i)) (a sum over the features of a pointwise formula) is not compiled to kernels yet");
        }
        if (features == null)
            return FailNode("a term of one point other than w_i · sum_k(h(x_i)) (a sum over the features of a pointwise formula) is not compiled to kernels yet");
        var h = new Graph(new[] { "u" }, PointParameters());
        var map = new Dictionary<int, Node>();
        int cloud = -1;
        var value = PointTerm(h, _g[features.Args[0]], map, ref cloud);
        if (value == null) return null;
        // A factor without axes (parameters, row-level inputs) multiplies each point's sum: it goes into h.
        foreach (var (factor, divides) in scalars)
        {
            var c = PointTerm(h, factor, map, ref cloud);
            if (c == null) return null;
            value = h.Make(divides ? Div : Mul, value, c);
        }
        if (cloud < 0) return FailNode("a sum over the features that reads no point is not compiled to kernels yet");
        string text = PlanPrinter.Expression(h, value, top: true);
        if (!_pointTermIndex.TryGetValue(text, out int term))
        {
            var slope = Differentiator.Differentiate(h, value).Inputs[0];
            _points.Terms.Add(new SamplePointTerm(h, value, slope));
            term = _pointTermIndex[text] = _points.Terms.Count - 1;
        }
        string key = $"{term}|{cloud}|{weighted}";
        if (!_pointReductionIndex.TryGetValue(key, out int r))
        {
            _points.Reductions.Add(new SamplePointReduction(term, cloud, weighted));
            r = _pointReductionIndex[key] = _points.Reductions.Count - 1;
        }
        return Scalar(SampleScalarKind.PointSum, r);
    }

    // The factors of a term of one point: products and divisions by scalars are split; scalars (no axes) kept apart.
    private void PointFactors(Node n, List<Node> into, List<(Node Factor, bool Divides)> scalars)
    {
        if (n.Axes.IsEmpty) scalars.Add((n, false));
        else if (n.Op == Mul)
        {
            PointFactors(_g[n.Args[0]], into, scalars);
            PointFactors(_g[n.Args[1]], into, scalars);
        }
        else if (n.Op == Div && _g[n.Args[1]].Axes.IsEmpty)
        {
            PointFactors(_g[n.Args[0]], into, scalars);
            scalars.Add((_g[n.Args[1]], true));
        }
        else into.Add(n);
    }

    // The parameters of a term of one point: the formula's, then its row-level inputs.
    private List<string> PointParameters()
    {
        var names = new List<string>(_g.ParameterNames);
        names.AddRange(_g.RowInputNames);
        return names;
    }

    // Copies h, a pointwise formula of one point's feature, into its graph: the point becomes u, a row-level input a parameter.
    private Node? PointTerm(Graph h, Node n, Dictionary<int, Node> map, ref int cloud)
    {
        if (map.TryGetValue(n.Id, out var done)) return done;
        Node? result;
        if (n.Op == Constant) result = h.Constant(n.Constant);
        else if (n.Op == Parameter) result = h.Parameter(n.Index);
        else if (n.Op == RowInput) result = h.Parameter(_g.ParameterNames.Count + n.Index);
        else if (n.Op == Input)
        {
            var leaf = _bound.Leaves[n.Index];
            if (leaf.IsWeight) return FailNode("weights inside a sum over the features are not compiled to kernels yet");
            if (cloud >= 0 && cloud != leaf.Cloud) return FailNode("a term of one point that reads two clouds is not compiled to kernels yet");
            cloud = leaf.Cloud;
            result = h.Input(0);
        }
        else if (n.Op.Kind != OpKind.Pointwise)
            return FailNode("a reduction or a count inside a term of one point is not compiled to kernels yet");
        else
        {
            var args = new Node[n.Args.Length];
            for (int k = 0; k < args.Length; k++)
            {
                var a = PointTerm(h, _g[n.Args[k]], map, ref cloud);
                if (a == null) return null;
                args[k] = a;
            }
            result = h.MakeRaw(n.Op, n.Index, args);
        }
        map[n.Id] = result;
        return result;
    }

    // Hands the point part and the row-level inputs to the plan, with the slopes dV/dP of the point reductions.
    private void FinishPoints(SamplePlan plan, Gradient gradient)
    {
        for (int r = 0; r < _points.Reductions.Count; r++)
        {
            int at = plan.ScalarAt(SampleScalarKind.PointSum, r);
            _points.Slopes.Add(at < 0 ? null : gradient.Parameters[plan.ScalarIndex(at)]);
        }
        plan.Points = _points;
        plan.RowInputNames = _g.RowInputNames;
    }
}
