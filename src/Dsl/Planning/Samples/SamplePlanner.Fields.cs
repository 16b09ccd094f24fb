using System.Collections.Generic;
using KernelDsl.Language.Calculus;
using KernelDsl.Language.Ir;
using static KernelDsl.Language.Ops.OpTable;

namespace KernelDsl.Language.Planning.Samples;

/// <content>
/// Per-point fields: an output per point i of one cloud, an epilogue (per point) of reductions over j (sum_j, mean_j:
/// row sums; logsumexp_j: row log-sum-exps), the parameters, the counts and the weights' sums.
/// </content>
internal sealed partial class SamplePlanner
{
    private readonly List<SampleRowReduction> _rows = new();
    private readonly Dictionary<string, int> _rowIndex = new();

    private bool IsField => _bound.OutputCloud >= 0;

    private SamplePlan? BuildField()
    {
        foreach (var r in _bound.Reductions)
            if (r.OffDiagonal) return Fail("a reduction over all pairs inside a per-point field is not compiled to kernels yet");
        var output = Rebuild(_bound.Output!);
        if (output == null) return null;
        if (_rows.Count == 0) return Fail("a per-point field that reads no reduction over j is not compiled to kernels yet");
        for (int r = 0; r < MaxReductions; r++) _epilogueParameters.Add("_r" + r.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (kind, cloud) in _scalars)
            _epilogueParameters.Add(kind switch
            {
                SampleScalarKind.Count => "_n_" + _bound.CloudNames[cloud],
                SampleScalarKind.WeightSum => "_sum_" + _bound.WeightNames[cloud],
                _ => "_sumSq_" + _bound.WeightNames[cloud],
            });
        var gradient = Differentiator.Differentiate(_epilogue, output);
        var slopes = new Node?[_rows.Count];
        string? gradientNotCompiled = null;
        for (int r = 0; r < slopes.Length; r++)
        {
            slopes[r] = gradient.Parameters[_g.ParameterNames.Count + r];
            if (_bound.OutputIsVector)
                gradientNotCompiled ??= "a vector field has no gradient (its Jacobian per point is d × d); only Value is compiled";
        }
        return new SamplePlan(_bound.CloudNames, _bound.WeightNames, _g.ParameterNames, _terms, System.Array.Empty<SamplePairReduction>(),
            _scalars, _epilogue, output, slopes)
        {
            Field = new SampleField(_bound.OutputCloud, _rows, gradientNotCompiled, _bound.OutputIsVector, _bound.CompanionNames, _bound.CompanionClouds),
        };
    }

    // A reduction over j of a per-point field: Σ_j (w_j) φ(f) (sum_j; mean_j's division is in the epilogue), or
    // logsumexp_j(φ(f) (+ log w_j)).
    private Node? RowReduction(Node node, int payload = -1)
    {
        if (payload < 0 && node.Op == Sum && _g[node.Args[0]].Axes.Contains(Axes.K)) return VectorRows(node);
        SampleRowKind kind;
        var factors = new List<Node>();
        bool weighted = false;
        if (node.Op == Sum)
        {
            kind = SampleRowKind.Sum;
            Factors(_g[node.Args[0]], factors);
        }
        else if (node.Op == LogSumExp)
        {
            kind = SampleRowKind.LogSumExp;
            var arg = _g[node.Args[0]];
            // The binder adds log w_j to the term; the simplifier may have turned t + log w into log w - u (t = -u).
            if (arg.Op == Add)
            {
                for (int k = 0; k < 2; k++)
                    if (IsLogWeight(_g[arg.Args[k]]))
                    {
                        weighted = true;
                        arg = _g[arg.Args[1 - k]];
                        break;
                    }
            }
            else if (arg.Op == Sub && IsLogWeight(_g[arg.Args[0]]))
            {
                weighted = true;
                arg = _g.Make(Neg, _g[arg.Args[1]]);
            }
            factors.Add(arg);
        }
        else return FailNode($"a {node.Op.Name} over j is not compiled to kernels yet (only sum_j, mean_j and logsumexp_j)");
        var rest = new List<Node>();
        foreach (var f in factors)
        {
            if (kind == SampleRowKind.Sum && IsWeightLeaf(f, Axes.J)) weighted = true;
            else if (f.Op == Input && _bound.Leaves[f.Index].IsWeight)
                return FailNode("the weights of the output cloud inside a per-point reduction are not compiled to kernels yet");
            else rest.Add(f);
        }
        Node? feature = null;
        foreach (var f in rest)
            if (!FindFeature(f, ref feature)) return null;
        if (feature == null) return FailNode("a pair term that reads no pair feature (sqdist, dist or dot) is not compiled to kernels yet");
        var (featureKind, cloudI, cloudJ) = Classify(feature);
        if (cloudI < 0) return null;
        if (cloudI != _bound.OutputCloud) return FailNode("a reduction over j whose point i is not of the output cloud is not compiled to kernels yet");
        var phi = new Graph(new[] { "f" }, _g.ParameterNames);
        var map = new Dictionary<int, Node> { [feature.Id] = phi.Input(0) };
        Node? value = null;
        foreach (var f in rest)
        {
            var p = Phi(phi, f, map);
            if (p == null) return null;
            value = value == null ? p : phi.Make(Mul, value, p);
        }
        string text = featureKind + ":" + PlanPrinter.Expression(phi, value!, top: true);
        if (!_termIndex.TryGetValue(text, out int term))
        {
            var slope = Differentiator.Differentiate(phi, value!).Inputs[0];
            _terms.Add(new SamplePairTerm(featureKind, phi, value!, slope));
            term = _termIndex[text] = _terms.Count - 1;
        }
        if (payload >= 0 && SourceCloud(payload) != cloudJ) return FailNode("a vector sum over j whose points are not of the cloud on j is not compiled to kernels yet");
        string key = $"{term}|{cloudJ}|{weighted}|{kind}|{payload}";
        if (!_rowIndex.TryGetValue(key, out int r))
        {
            if (_rows.Count == MaxReductions) return FailNode($"more than {MaxReductions} reductions over j are not compiled to kernels");
            _rows.Add(new SampleRowReduction(term, cloudJ, weighted, kind, payload));
            r = _rowIndex[key] = _rows.Count - 1;
        }
        return _epilogue.Parameter(_g.ParameterNames.Count + r);
    }

    private bool IsLogWeight(Node n) => n.Op == Log && IsWeightLeaf(_g[n.Args[0]], Axes.J);

    private bool IsWeightLeaf(Node n, Axes role) => n.Op == Input && _bound.Leaves[n.Index].IsWeight && _bound.Leaves[n.Index].Role == role;
}
