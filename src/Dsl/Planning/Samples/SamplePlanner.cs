using System.Collections.Generic;
using KernelDsl.Language.Binding;
using KernelDsl.Language.Calculus;
using KernelDsl.Language.Ir;
using static KernelDsl.Language.Ops.OpTable;

namespace KernelDsl.Language.Planning.Samples;

/// <summary>
/// Decomposes a bound sample formula into pair reductions (each <c>Σ_ij w_i w_j φ(f_ij)</c> of one pair feature) and a
/// scalar epilogue over their results, or says which part of the formula the CPU kernels do not compile yet. Pure; never
/// throws for a bound formula.
/// </summary>
internal sealed partial class SamplePlanner
{
    private readonly BoundSampleFormula _bound;
    private readonly Graph _g;
    private readonly Graph _epilogue;
    private readonly List<string> _epilogueParameters;
    private readonly Dictionary<int, Node> _rebuilt = new();
    private readonly Dictionary<int, Node> _offDiagonal = new(); // umean's (Σ_ij - Σ_i) node -> its Σ_ij node
    private readonly List<SamplePairTerm> _terms = new();
    private readonly Dictionary<string, int> _termIndex = new();
    private readonly List<SamplePairReduction> _reductions = new();
    private readonly Dictionary<string, int> _reductionIndex = new();
    private readonly List<(SampleScalarKind Kind, int Cloud)> _scalars = new();
    private string? _failure;

    private SamplePlanner(BoundSampleFormula bound)
    {
        _bound = bound;
        _g = bound.Graph;
        _epilogueParameters = new List<string>(_g.ParameterNames);
        _epilogue = new Graph(System.Array.Empty<string>(), _epilogueParameters);
    }

    /// <summary>The plan of <paramref name="bound"/>, or null with <paramref name="notCompiled"/> naming the part not compiled yet.</summary>
    public static SamplePlan? Plan(BoundSampleFormula bound, out string? notCompiled)
    {
        notCompiled = null;
        if (bound.Output == null) return null;
        if (bound.OutputCloud >= 0 && bound.Graph.RowInputNames.Count > 0)
        {
            notCompiled = "row-level inputs in a per-point field are not compiled to kernels yet";
            return null;
        }
        foreach (var kind in bound.Graph.RowInputKinds)
            if (kind != RowInputKind.Row)
            {
                notCompiled = "a mask in a sample formula is not compiled to kernels yet (only row-level reals, y: row)";
                return null;
            }
        var planner = new SamplePlanner(bound);
        var plan = bound.Transport is { } transport ? planner.BuildTransport(transport)
            : bound.OutputCloud >= 0 ? planner.BuildField() : planner.Build();
        notCompiled = planner._failure;
        return notCompiled == null ? plan : null;
    }

    private SamplePlan? Build()
    {
        foreach (var r in _bound.Reductions)
        {
            if (!r.OffDiagonal) continue;
            // umean(e) = (Σ_ij e - Σ_i e_ii) / pairs: the numerator is the engine's off-diagonal self sum.
            if (r.Result.Op == Div && _g[r.Result.Args[0]] is { } numerator && numerator.Op == Sub)
                _offDiagonal[numerator.Id] = _g[numerator.Args[0]];
            else return Fail("this umean has a shape the planner does not recognise");
        }
        var output = Rebuild(_bound.Output!);
        if (output == null) return null;
        // Parameters past the formula's: a slot per possible reduction, then the other scalars, in the order met.
        for (int r = 0; r < MaxReductions; r++) _epilogueParameters.Add("_r" + r.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (kind, cloud) in _scalars)
            _epilogueParameters.Add(kind switch
            {
                SampleScalarKind.Count => "_n_" + _bound.CloudNames[cloud],
                SampleScalarKind.WeightSum => "_sum_" + _bound.WeightNames[cloud],
                SampleScalarKind.WeightSquareSum => "_sumSq_" + _bound.WeightNames[cloud],
                SampleScalarKind.PointSum => PointName(cloud),
                _ => RowName(cloud),
            });
        var gradient = Differentiator.Differentiate(_epilogue, output);
        var slopes = new Node?[_reductions.Count];
        for (int r = 0; r < slopes.Length; r++) slopes[r] = gradient.Parameters[_g.ParameterNames.Count + r];
        var plan = new SamplePlan(_bound.CloudNames, _bound.WeightNames, _g.ParameterNames, _terms, _reductions, _scalars, _epilogue, output, slopes);
        FinishPoints(plan, gradient);
        return plan;
    }

    private SamplePlan? Fail(string why)
    {
        _failure ??= why;
        return null;
    }

    private Node? FailNode(string why)
    {
        _failure ??= why;
        return null;
    }

    // Rebuilds the scalar part of the formula in the epilogue graph; pair reductions and counts become its parameters.
    private Node? Rebuild(Node node)
    {
        if (_rebuilt.TryGetValue(node.Id, out var done)) return done;
        Node? result;
        if (node.Op == Constant) result = _epilogue.Constant(node.Constant);
        else if (node.Op == Parameter) result = _epilogue.Parameter(node.Index);
        else if (node.Op == Count) result = Scalar(SampleScalarKind.Count, node.Index);
        else if (IsField && (_offDiagonal.ContainsKey(node.Id) || node.Op == Sum && node.Reduced == (Axes.I | Axes.J)))
            result = FailNode("a reduction over all pairs inside a per-point field is not compiled to kernels yet");
        else if (_offDiagonal.TryGetValue(node.Id, out var full)) result = OffDiagonal(full);
        else if (node.Op == Sum && node.Reduced == (Axes.I | Axes.J)) result = PairReduction(node, diagonal: true);
        else if (node.Op == Sum && (node.Reduced == Axes.I || node.Reduced == Axes.J) && WeightSum(node) is { } weightSum) result = weightSum;
        else if (IsField && node.Op.Kind == OpKind.Reduction && node.Reduced == Axes.J) result = RowReduction(node);
        else if (node.Op == RowInput) result = Scalar(SampleScalarKind.RowInput, node.Index);
        else if (!IsField && node.Op == Sum && node.Reduced == Axes.I && IsPointSum(node)) result = PointReduction(node);
        else if (node.Op.Kind == OpKind.Reduction)
            result = FailNode(node.Reduced.Contains(Axes.K)
                ? "sum_k of a featurewise formula other than sqdist, dist or dot is not compiled to kernels yet"
                : node.Op == LogSumExp || node.Op == MaxReduce || node.Op == MinReduce
                    ? $"a {node.Op.Name} over pairs or points is not compiled to kernels yet (only sums and means)"
                    : "a reduction over the points of one cloud (not over pairs) is not compiled to kernels yet");
        else if (IsField && node.Op == Input && !_bound.Leaves[node.Index].IsWeight) result = FieldPoint(node);
        else if (!(node.Axes.IsEmpty || IsField && (node.Axes == Axes.I || node.Axes == (Axes.I | Axes.K))) || node.Op.Kind == OpKind.Leaf)
            result = FailNode("a term outside a reduction over pairs is not compiled to kernels yet");
        else
        {
            var args = new Node[node.Args.Length];
            for (int k = 0; k < args.Length; k++)
            {
                var a = Rebuild(_g[node.Args[k]]);
                if (a == null) return null;
                args[k] = a;
            }
            result = _epilogue.MakeRaw(node.Op, node.Index, args);
        }
        if (result != null) _rebuilt[node.Id] = result;
        return result;
    }

    // umean's numerator Σ_ij e - Σ_i e_ii, rebuilt from its first part with every sum over pairs off the diagonal. The
    // simplifier may have pulled scalar factors out of the sums (umean(2 * sqdist(x, x)) sums to 2 * Σ_ij f): that is
    // exact while the first part is linear in its pair sums (the diagonal part is the same combination of the diagonal
    // sums), so sums, differences, negations, and products and quotients by pair-free scalars are taken apart.
    private Node? OffDiagonal(Node node)
    {
        if (node.Op == Sum && node.Reduced == (Axes.I | Axes.J)) return PairReduction(node, diagonal: false);
        if (!node.Axes.IsEmpty || !ReadsPairSum(node)) return Rebuild(node);
        Node? Part(int k, bool linear) => linear ? OffDiagonal(_g[node.Args[k]]) : Rebuild(_g[node.Args[k]]);
        bool left = node.Args.Length > 0 && ReadsPairSum(_g[node.Args[0]]), right = node.Args.Length > 1 && ReadsPairSum(_g[node.Args[1]]);
        bool linear = node.Op == Add || node.Op == Sub || node.Op == Neg
            || node.Op == Mul && !(left && right)
            || node.Op == Div && !right;
        if (!linear) return FailNode("this umean has a shape the planner does not recognise");
        var args = new Node[node.Args.Length];
        for (int k = 0; k < args.Length; k++)
        {
            var a = Part(k, ReadsPairSum(_g[node.Args[k]]));
            if (a == null) return null;
            args[k] = a;
        }
        return _epilogue.MakeRaw(node.Op, node.Index, args);
    }

    private bool ReadsPairSum(Node node)
    {
        if (node.Op == Sum && node.Reduced == (Axes.I | Axes.J)) return true;
        foreach (int a in node.Args)
            if (ReadsPairSum(_g[a])) return true;
        return false;
    }

    private Node Scalar(SampleScalarKind kind, int cloud)
    {
        int at = _scalars.IndexOf((kind, cloud));
        if (at < 0) { _scalars.Add((kind, cloud)); at = _scalars.Count - 1; }
        return _epilogue.Parameter(ScalarSlot(at));
    }

    // Scalars sit after the slots of every possible reduction, so a reduction met after a scalar shifts nothing.
    private int ScalarSlot(int at) => _g.ParameterNames.Count + MaxReductions + at;

    /// <summary>The most pair reductions a formula may have (epilogue slots are reserved for them).</summary>
    public const int MaxReductions = 16;

    private Node? WeightSum(Node node)
    {
        var arg = _g[node.Args[0]];
        bool square = arg.Op == PowInt && arg.Index == 2;
        var leaf = square ? _g[arg.Args[0]] : arg;
        if (leaf.Op != Input || !_bound.Leaves[leaf.Index].IsWeight) return null;
        return Scalar(square ? SampleScalarKind.WeightSquareSum : SampleScalarKind.WeightSum, _bound.Leaves[leaf.Index].Cloud);
    }

    // Σ_ij t with t = (w_i) (w_j) φ(f): the weights are factors of a product; the rest reads one pair feature.
    private Node? PairReduction(Node sum, bool diagonal)
    {
        var factors = new List<Node>();
        Factors(_g[sum.Args[0]], factors);
        bool weightedI = false, weightedJ = false;
        var rest = new List<Node>();
        foreach (var f in factors)
        {
            if (f.Op == Input && _bound.Leaves[f.Index].IsWeight)
            {
                if (_bound.Leaves[f.Index].Role == Axes.I) weightedI = true; else weightedJ = true;
            }
            else rest.Add(f);
        }
        Node? feature = null;
        foreach (var f in rest)
            if (!FindFeature(f, ref feature)) return null;
        if (feature == null) return FailNode("a pair term that reads no pair feature (sqdist, dist or dot) is not compiled to kernels yet");
        var (kind, cloudI, cloudJ) = Classify(feature);
        if (cloudI < 0) return null;
        var phi = new Graph(new[] { "f" }, _g.ParameterNames);
        var map = new Dictionary<int, Node> { [feature.Id] = phi.Input(0) };
        Node? value = null;
        foreach (var f in rest)
        {
            var p = Phi(phi, f, map);
            if (p == null) return null;
            value = value == null ? p : phi.Make(Mul, value, p);
        }
        string text = kind + ":" + PlanPrinter.Expression(phi, value!, top: true);
        if (!_termIndex.TryGetValue(text, out int term))
        {
            var slope = Differentiator.Differentiate(phi, value!).Inputs[0];
            _terms.Add(new SamplePairTerm(kind, phi, value!, slope));
            term = _termIndex[text] = _terms.Count - 1;
        }
        string key = $"{term}|{cloudI}|{cloudJ}|{diagonal}|{weightedI}|{weightedJ}";
        if (!_reductionIndex.TryGetValue(key, out int r))
        {
            if (_reductions.Count == MaxReductions) return FailNode($"more than {MaxReductions} pair reductions are not compiled to kernels");
            _reductions.Add(new SamplePairReduction(term, cloudI, cloudJ, cloudI == cloudJ && diagonal, weightedI, weightedJ));
            r = _reductionIndex[key] = _reductions.Count - 1;
        }
        return _epilogue.Parameter(_g.ParameterNames.Count + r);
    }

    private void Factors(Node n, List<Node> into)
    {
        if (n.Op == Mul && !n.Axes.IsEmpty)
        {
            Factors(_g[n.Args[0]], into);
            Factors(_g[n.Args[1]], into);
        }
        else into.Add(n);
    }

    // Finds the one pair feature (a sum over k) under n; false (and a failure) when there are two, or a point outside one.
    private bool FindFeature(Node n, ref Node? feature)
    {
        if (n.Op == Sum && n.Reduced == Axes.K)
        {
            if (feature != null && feature != n)
            {
                _failure ??= "a pair term that reads two pair features is not compiled to kernels yet";
                return false;
            }
            feature = n;
            return true;
        }
        if (n.Op == Input)
        {
            _failure ??= _bound.Leaves[n.Index].IsWeight
                ? "weights inside a pair term (not as a factor of it) are not compiled to kernels yet"
                : "a point used outside sqdist, dist or dot is not compiled to kernels yet";
            return false;
        }
        if (n.Op.Kind == OpKind.Reduction)
        {
            _failure ??= "a reduction inside a pair term is not compiled to kernels yet";
            return false;
        }
        foreach (int a in n.Args)
            if (!FindFeature(_g[a], ref feature)) return false;
        return true;
    }

    private (SampleFeature Kind, int CloudI, int CloudJ) Classify(Node feature)
    {
        var body = _g[feature.Args[0]];
        SampleFeature kind;
        Node u, v;
        if (body.Op == PowInt && body.Index == 2 && _g[body.Args[0]] is { Op: var sub } diff && sub == Sub)
        {
            kind = SampleFeature.SquaredDistance;
            (u, v) = (_g[diff.Args[0]], _g[diff.Args[1]]);
        }
        else if (body.Op == Mul)
        {
            kind = SampleFeature.Dot;
            (u, v) = (_g[body.Args[0]], _g[body.Args[1]]);
        }
        else
        {
            _failure ??= "sum_k of a featurewise formula other than sqdist, dist or dot is not compiled to kernels yet";
            return (default, -1, -1);
        }
        if (u.Op != Input || v.Op != Input || _bound.Leaves[u.Index].IsWeight || _bound.Leaves[v.Index].IsWeight
            || _bound.Leaves[u.Index].Role == _bound.Leaves[v.Index].Role)
        {
            _failure ??= "sum_k of a featurewise formula other than sqdist, dist or dot is not compiled to kernels yet";
            return (default, -1, -1);
        }
        if (_bound.Leaves[u.Index].Role != Axes.I) (u, v) = (v, u);
        return (kind, _bound.Leaves[u.Index].Cloud, _bound.Leaves[v.Index].Cloud);
    }

    // Copies the part of a pair term above its feature into the φ graph (the feature is already mapped to f).
    private Node? Phi(Graph phi, Node n, Dictionary<int, Node> map)
    {
        if (map.TryGetValue(n.Id, out var done)) return done;
        Node? result;
        if (n.Op == Constant) result = phi.Constant(n.Constant);
        else if (n.Op == Parameter) result = phi.Parameter(n.Index);
        else if (n.Op.Kind != OpKind.Pointwise)
            result = FailNode(n.Op == Count || n.Op == Length
                ? "a point count inside a pair term is not compiled to kernels yet"
                : "this pair term is not compiled to kernels yet");
        else
        {
            var args = new Node[n.Args.Length];
            for (int k = 0; k < args.Length; k++)
            {
                var a = Phi(phi, _g[n.Args[k]], map);
                if (a == null) return null;
                args[k] = a;
            }
            result = phi.MakeRaw(n.Op, n.Index, args);
        }
        if (result != null) map[n.Id] = result;
        return result;
    }
}
