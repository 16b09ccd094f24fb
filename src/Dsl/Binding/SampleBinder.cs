using System.Collections.Generic;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Syntax;
using static KernelDsl.Language.Ops.OpTable;

namespace KernelDsl.Language.Binding;

/// <summary>
/// Binds a sample formula: point clouds (<c>x: points</c>, optionally weighted: <c>x: points(a)</c>), pair functions over
/// the feature axis k (sqdist, dist, dot, sum_k), local functions after <c>where</c> (inlined), and reductions over all
/// pairs (sum, mean, logsumexp, umean), per point over j (sum_j, mean_j, logsumexp_j) or over the points of a per-point
/// term. The first cloud argument of a pair is indexed by i, the second by j; a cloud paired with itself (k(x, x)) is
/// indexed by both. Every value carries, besides its node, the cloud bound to i and to j, so that terms pairing different
/// clouds are only combined after their reductions (they would not range over the same points). Errors are diagnostics
/// with the span of the offending syntax; an error yields null and its parents stay quiet.
/// </summary>
internal sealed partial class SampleBinder
{
    private readonly DiagnosticBag _diagnostics;
    private DiagnosticBag _report; // where diagnostics go: a scratch bag while a term is bound again (umean's diagonal)
    private readonly List<string> _inputNames = new(); // the graph's input list, grown as leaves are made
    private readonly List<SampleLeaf> _leaves = new();
    private readonly Dictionary<(int, bool, int, int, int, int), int> _leafIndex = new();
    private readonly List<string> _companions = new();
    private readonly List<int> _companionClouds = new();
    private readonly Dictionary<string, int> _companionIndex = new();
    private readonly List<string> _clouds = new();
    private readonly List<string?> _weights = new();
    private readonly Dictionary<string, int> _cloudIndex = new();
    private readonly Dictionary<string, int> _weightIndex = new();
    private readonly Dictionary<string, int> _parameters = new();
    private readonly Dictionary<string, int> _rowInputs = new();
    private readonly Dictionary<string, LocalFunctionSyntax> _locals = new();
    private readonly List<SampleReduction> _reductions = new();
    private readonly HashSet<string> _used = new();
    private readonly Graph _graph;
    private bool _diagonal; // binding umean's diagonal: the second point of a pair is the first

    private SampleBinder(FormulaSyntax syntax, DiagnosticBag diagnostics)
    {
        _diagnostics = _report = diagnostics;
        var parameters = new List<string>();
        var rowInputs = new List<string>();
        var rowKinds = new List<RowInputKind>();
        var seen = new HashSet<string>();
        foreach (var h in syntax.Inputs) DeclareInput(h);
        foreach (var h in syntax.Parameters)
        {
            if (!CheckNewName(h.Name, h.Span, seen)) continue;
            if (h.Kind != null)
            {
                diagnostics.Report(Diagnostics.KindOnParameter, TextSpan.FromBounds(h.Span.Start, h.KindSpan.End), h.Name, h.Kind);
                continue;
            }
            _parameters.Add(h.Name, parameters.Count);
            parameters.Add(h.Name);
        }
        _graph = new Graph(_inputNames, parameters, rowInputs, rowKinds);
        foreach (var local in syntax.Locals) DeclareLocal(local, seen);

        void DeclareInput(HeaderName h)
        {
            if (!CheckNewName(h.Name, h.Span, seen)) return;
            if (h.Kind == "points")
            {
                _cloudIndex.Add(h.Name, _clouds.Count);
                _clouds.Add(h.Name);
                string? weight = null;
                if (h.Weight != null && CheckNewName(h.Weight, h.WeightSpan, seen))
                {
                    weight = h.Weight;
                    _weightIndex.Add(weight, _clouds.Count - 1);
                }
                _weights.Add(weight);
                return;
            }
            if (h.Kind == "vectors")
            {
                // A companion: d numbers per point of a cloud declared before it (read as s(v) at a point v of that cloud).
                if (h.Weight == null || !_cloudIndex.TryGetValue(h.Weight, out int owner))
                {
                    diagnostics.Report(Diagnostics.CompanionOfUnknownCloud, h.Weight == null ? TextSpan.FromBounds(h.Span.Start, h.KindSpan.End) : h.WeightSpan,
                        h.Name, h.Weight == null ? "" : $" ('{h.Weight}' is not one)");
                    return;
                }
                _companionIndex.Add(h.Name, _companions.Count);
                _companions.Add(h.Name);
                _companionClouds.Add(owner);
                return;
            }
            if (h.Weight != null) diagnostics.Report(Diagnostics.WeightsOnNonPoints, h.WeightSpan, h.Name, h.Weight);
            RowInputKind? kind = h.Kind switch { "row" => RowInputKind.Row, "mask" => RowInputKind.Mask, _ => null };
            if (h.Kind == null || h.Kind == "label")
            {
                diagnostics.Report(Diagnostics.NotInSampleFormula, h.Kind == null ? h.Span : TextSpan.FromBounds(h.Span.Start, h.KindSpan.End),
                    h.Kind == null ? $"'{h.Name}', an input over the support," : $"'{h.Name}', a label,",
                    "; declare its inputs as point clouds ('x: points') or row values ('w: row')");
                return;
            }
            if (kind == null) { diagnostics.Report(Diagnostics.UnknownKind, h.KindSpan, h.Kind); return; }
            _rowInputs.Add(h.Name, rowInputs.Count);
            rowInputs.Add(h.Name);
            rowKinds.Add(kind.Value);
        }
    }

    private bool CheckNewName(string name, TextSpan span, HashSet<string> seen)
    {
        if (!seen.Add(name)) { _diagnostics.Report(Diagnostics.DuplicateName, span, name); return false; }
        if (IsFunctionName(name)) { _diagnostics.Report(Diagnostics.NameIsFunction, span, name); return false; }
        if (name == "where" || name.StartsWith("_", System.StringComparison.Ordinal))
        {
            _diagnostics.Report(Diagnostics.ReservedName, span, name);
            return false;
        }
        return true;
    }

    private void DeclareLocal(LocalFunctionSyntax local, HashSet<string> header)
    {
        if (local.Name.Length == 0) return; // the parser reported the missing name
        string? taken = header.Contains(local.Name) ? "declared in the header"
            : IsFunctionName(local.Name) ? "a function of the language"
            : _locals.ContainsKey(local.Name) ? "defined by another local definition" : null;
        if (taken != null) { _diagnostics.Report(Diagnostics.LocalNameTaken, local.NameSpan, local.Name, taken); return; }
        var names = new HashSet<string>();
        foreach (var p in local.Parameters)
        {
            string? clash = header.Contains(p.Name) ? "declared in the header"
                : IsFunctionName(p.Name) ? "a function of the language"
                : !names.Add(p.Name) ? "a parameter of the same definition" : null;
            if (clash != null) _diagnostics.Report(Diagnostics.LocalNameTaken, p.Span, p.Name, clash);
        }
        _locals.Add(local.Name, local);
    }

    /// <summary>True when the header declares a point cloud: the formula is a sample formula, bound by this class.</summary>
    public static bool IsSampleFormula(FormulaSyntax syntax)
    {
        foreach (var h in syntax.Inputs)
            if (h.Kind == "points") return true;
        return false;
    }

    /// <summary>Parses and binds a sample formula text (the interpreter's entry point; the compile pipeline stops at binding).</summary>
    public static BoundSampleFormula Compile(string text, DiagnosticBag diagnostics)
    {
        var syntax = Parser.Parse(text, diagnostics);
        if (!IsSampleFormula(syntax)) throw new System.ArgumentException("The header declares no point cloud ('x: points').", nameof(text));
        return Bind(syntax, diagnostics);
    }

    /// <summary>Binds a parsed sample formula.</summary>
    public static BoundSampleFormula Bind(FormulaSyntax syntax, DiagnosticBag diagnostics)
    {
        bool parsedWhole = !diagnostics.HasErrors;
        var b = new SampleBinder(syntax, diagnostics);
        var whole = Unwrap(syntax.Body) as CallSyntax;
        var body = whole != null && IsTransport(whole.Name) ? b.BindTransport(whole, new Scope(null, null)) : b.Bind(syntax.Body, new Scope(null, null));
        Node? output = null;
        int outputCloud = -1;
        if (b._transport != null && body?.Node is { } epsilon) output = epsilon; // the transport's value is the solver's
        else if (body != null && b.RequireNode(body)?.Node is { } node)
        {
            if (body.Cj >= 0)
                diagnostics.Report(Diagnostics.PairNotReduced, syntax.Body.Span, body.Logical.ToString());
            else if (node.Axes.Contains(Axes.K) && body.Ci < 0)
                diagnostics.Report(Diagnostics.VectorNotPerPoint, syntax.Body.Span, "every point, reduced over all of them");
            else
            {
                output = node;
                outputCloud = body.Ci;
            }
        }
        if (parsedWhole)
        {
            foreach (var h in syntax.Inputs)
                if (!b._used.Contains(h.Name) && (b._cloudIndex.ContainsKey(h.Name) || b._rowInputs.ContainsKey(h.Name) || b._companionIndex.ContainsKey(h.Name)))
                    diagnostics.Report(Diagnostics.UnusedName, h.Span, h.Name);
            foreach (var h in syntax.Parameters)
                if (!b._used.Contains(h.Name) && b._parameters.ContainsKey(h.Name)) diagnostics.Report(Diagnostics.UnusedName, h.Span, h.Name);
        }
        if (diagnostics.HasErrors) { output = null; outputCloud = -1; }
        return new BoundSampleFormula(b._graph, output, b._clouds, b._weights, b._leaves, outputCloud, b._reductions, b._companions, b._companionClouds)
        {
            Transport = output == null ? null : b._transport,
        };
    }

    // The leaf of a cloud's points (axes: role and k) or weights (axes: role), for one pairing.
    private Node Leaf(int cloud, bool weight, Axes role, int pairI, int pairJ, int companion = -1)
    {
        if (_diagonal) role = Axes.I; // umean's diagonal: x_j is x_i
        var key = (cloud, weight, role.Bits, pairI, pairJ, companion);
        if (!_leafIndex.TryGetValue(key, out int index))
        {
            index = _inputNames.Count;
            _leafIndex.Add(key, index);
            string name = (companion >= 0 ? _companions[companion] : weight ? _weights[cloud]! : _clouds[cloud]) + "_" + role.Compact();
            if (pairI >= 0 && (pairI != cloud || (role == Axes.J ? pairI : pairJ) >= 0))
                name += "[" + _clouds[pairI] + (pairJ >= 0 ? "," + _clouds[pairJ] : "") + "]";
            _inputNames.Add(name);
            _leaves.Add(new SampleLeaf(cloud, weight, role, pairI, pairJ, companion));
            _graph.DeclareCloud(index, role, cloud); // the extent of the leaf's axis is the cloud's count, not "the length of j"
        }
        return _graph.Input(index, weight ? role : role | Axes.K);
    }

    private Val? RequireNode(Val v)
    {
        if (v.Node != null) return v;
        var p = v.Point!;
        if (!p.Role.IsEmpty) return PointValue(p.Cloud, p.Role, p.PairI, p.PairJ); // a local's parameter: its point, a vector
        _report.Report(Diagnostics.PointsOutsidePair, p.Span, _clouds[p.Cloud]);
        return null;
    }

    // A point as a value: the leaf over (role, k), a vector over the features, in its pairing.
    private Val PointValue(int cloud, Axes role, int pairI, int pairJ) =>
        new(Leaf(cloud, false, role, pairI, pairJ), role == Axes.I ? cloud : -1, role == Axes.J ? cloud : -1);

    // A bare cloud operand beside a value of a pairing: the point of that pairing it names (x in k(x, y) * x is x_i).
    private Val? PointOf(Val point, Val other)
    {
        var p = point.Point!;
        bool onI = other.Ci == p.Cloud, onJ = other.Cj == p.Cloud;
        if (onI && onJ) { _report.Report(Diagnostics.AmbiguousPoint, p.Span, _clouds[p.Cloud]); return null; }
        if (onI || onJ) return PointValue(p.Cloud, onI ? Axes.I : Axes.J, other.Ci, other.Cj);
        return RequireNode(point);
    }

    private Val? Bind(ExpressionSyntax syntax, Scope scope)
    {
        switch (syntax)
        {
            case NumberSyntax n:
                return double.IsNaN(n.Value) ? null : new Val(_graph.Constant(n.Value), -1, -1);
            case NameSyntax name:
                return BindName(name, scope);
            case ParenthesizedSyntax p:
                return Bind(p.Inner, scope);
            case UnarySyntax u:
            {
                var operand = Operand(u.Operand, scope);
                if (operand == null) return null;
                return u.Operator == TokenKind.Minus ? new Val(_graph.Make(Neg, operand.Node!), operand.Ci, operand.Cj) : operand;
            }
            case BinarySyntax b:
            {
                var (l, r) = (Bind(b.Left, scope), Bind(b.Right, scope));
                if (l == null || r == null) return null;
                // A bare cloud beside a pair term is that pair's point on i or on j: a vector over the features.
                var left = l.Point is { Role.IsEmpty: true } ? PointOf(l, r) : RequireNode(l);
                var right = r.Point is { Role.IsEmpty: true } ? PointOf(r, l) : RequireNode(r);
                if (left == null || right == null) return null;
                var op = b.Operator switch
                {
                    TokenKind.Plus => Add,
                    TokenKind.Minus => Sub,
                    TokenKind.Star => Mul,
                    TokenKind.Slash => Div,
                    _ => Pow,
                };
                return Combine(b.Span, op, left, right);
            }
            case CallSyntax c:
                return BindCall(c, scope);
            case IndexSyntax ix:
                _report.Report(Diagnostics.NotInSampleFormula, ix.Span, "An index '[...]'", "");
                return null;
            default:
                return null; // ErrorSyntax: already reported
        }
    }

    // An operand of arithmetic or of a pointwise function: a node (a cloud here is an error).
    private Val? Operand(ExpressionSyntax syntax, Scope scope)
    {
        var v = Bind(syntax, scope);
        return v == null ? null : RequireNode(v);
    }

    // A pointwise op of values: the union of their pairings, which must agree axis by axis.
    private Val? Combine(TextSpan span, Ir.Op op, params Val[] args)
    {
        int ci = -1, cj = -1;
        foreach (var a in args)
        {
            if ((a.Ci >= 0 && ci >= 0 && a.Ci != ci) || (a.Cj >= 0 && cj >= 0 && a.Cj != cj))
            {
                _report.Report(Diagnostics.MixedClouds, span, Describe(ci, cj), Describe(a.Ci, a.Cj));
                return null;
            }
            if (a.Ci >= 0) ci = a.Ci;
            if (a.Cj >= 0) cj = a.Cj;
        }
        var nodes = new Node[args.Length];
        for (int i = 0; i < nodes.Length; i++) nodes[i] = args[i].Node!;
        return new Val(op.Build(_graph, nodes), ci, cj);
    }

    private string Describe(int ci, int cj) =>
        ci >= 0 && cj >= 0 ? $"({_clouds[ci]}, {_clouds[cj]})" : ci >= 0 ? $"the points of {_clouds[ci]}" : cj >= 0 ? $"(?, {_clouds[cj]})" : "no cloud";

    private Val? BindName(NameSyntax name, Scope scope)
    {
        if (scope.TryGet(name.Name, out var local))
        {
            if (local?.Point is { } p && scope.FeatureRoles != null)
                return new Val(Leaf(p.Cloud, false, p.Role, p.PairI, p.PairJ), p.Role == Axes.I ? p.Cloud : -1, p.Role == Axes.J ? p.Cloud : -1);
            return local;
        }
        _used.Add(name.Name);
        if (_cloudIndex.TryGetValue(name.Name, out int cloud))
        {
            if (scope.FeatureRoles is { } roles && roles.TryGetValue(cloud, out var role))
                return new Val(Leaf(cloud, false, role, scope.Pair.I, scope.Pair.J), role == Axes.I ? cloud : -1, role == Axes.J ? cloud : -1);
            return new Val(new PointRef(cloud, Axes.None, -1, -1, name.Span));
        }
        if (_parameters.TryGetValue(name.Name, out int j)) return new Val(_graph.Parameter(j), -1, -1);
        if (_rowInputs.TryGetValue(name.Name, out int r)) return new Val(_graph.RowInput(r), -1, -1);
        if (_weightIndex.TryGetValue(name.Name, out int wc))
        {
            _report.Report(Diagnostics.NotInSampleFormula, name.Span, $"'{name.Name}', the weights of {_clouds[wc]}, as a value",
                $": they weigh every sum and mean over {_clouds[wc]}'s points");
            return null;
        }
        if (_companionIndex.TryGetValue(name.Name, out int comp))
        {
            _report.Report(Diagnostics.CompanionNeedsPoint, name.Span, name.Name, _clouds[_companionClouds[comp]], "; it is not a value by itself");
            return null;
        }
        if (_locals.TryGetValue(name.Name, out var def))
            return CallLocal(def, name.Span, name.Span, System.Array.Empty<ExpressionSyntax>(), scope);
        if (IsNonAscii(name.Name)) return null;
        var declared = new List<string>(_clouds);
        declared.AddRange(_graph.RowInputNames);
        declared.AddRange(_graph.ParameterNames);
        _report.Report(Diagnostics.UnknownName, name.Span, name.Name, declared.Count == 0 ? "(none)" : string.Join(", ", declared),
            Suggestions.Hint(Suggestions.ForName(name.Name, declared)));
        return null;
    }

    private static bool IsNonAscii(string name)
    {
        foreach (char c in name)
            if (c > 127) return true;
        return false;
    }
}
