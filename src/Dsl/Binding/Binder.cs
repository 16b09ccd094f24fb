using System.Collections.Generic;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Ops;
using KernelDsl.Language.Syntax;
using static KernelDsl.Language.Ops.OpTable;

namespace KernelDsl.Language.Binding;

/// <summary>The bound formula: the DAG and its output (a scalar node), or null when binding failed.</summary>
internal sealed class BoundFormula
{
    internal BoundFormula(Graph graph, Node? output) { Graph = graph; Output = output; }

    /// <summary>The DAG, holding inputs, parameters and the formula.</summary>
    public Graph Graph { get; }

    /// <summary>The value (a scalar: a bare pointwise body is summed), or null after an error.</summary>
    public Node? Output { get; }

    /// <summary>For a formula over point clouds, its binding (the output is there); null for a formula over the support.</summary>
    public BoundSampleFormula? Sample { get; init; }
}

/// <summary>
/// Resolves names, checks kinds (vector input, scalar parameter, literal, reduction result) and arities, and builds the
/// hash-consed DAG. Every misuse is a diagnostic with the span of the offending syntax; an error yields null and its
/// parents stay quiet, so one mistake gives one message.
/// </summary>
internal sealed class Binder
{
    private static readonly HashSet<string> Reserved = new()
    {
        // C# keywords that may not be parameter names, and the names the generated API uses.
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue",
        "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally",
        "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock",
        "long", "namespace", "new", "null", "object", "operator", "out", "override", "params", "private", "protected",
        "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string",
        "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort",
        "using", "virtual", "void", "volatile", "while", "n", "rowLength", "reduction", "perRow", "options", "value",
        "device", "upstream", "ignoreIndex", "inPlace", "dParameters", "gradient", "rows", "TS", "TE",
    };

    private readonly DiagnosticBag _diagnostics;
    private readonly Dictionary<string, int> _inputs = new();
    private readonly Dictionary<string, int> _parameters = new();
    private readonly Dictionary<string, int> _rowInputs = new();
    private readonly HashSet<string> _used = new();
    private readonly HashSet<int> _normalizerSums = new();
    private readonly HashSet<int> _explicitReductions = new(); // written by the user; may be the same node as a normalizer's
    private readonly Graph _graph;
    private readonly bool _headerMissing;

    private Binder(FormulaSyntax syntax, DiagnosticBag diagnostics)
    {
        _diagnostics = diagnostics;
        var inputs = new List<string>();
        var parameters = new List<string>();
        var rowInputs = new List<string>();
        var rowKinds = new List<RowInputKind>();
        var seen = new HashSet<string>();
        foreach (var h in syntax.Inputs) Declare(h, isParameter: false);
        foreach (var h in syntax.Parameters) Declare(h, isParameter: true);
        // A header with an error in it (a bad character where a name was) may have lost its inputs to that error.
        if (inputs.Count == 0 && syntax.HeaderSpan.Length > 0 && !HasErrorWithin(diagnostics, syntax.HeaderSpan))
            diagnostics.Report(Diagnostics.NoInputs, syntax.HeaderSpan);
        _headerMissing = syntax.HeaderSpan.Length == 0; // already reported: every name would be "not declared"
        _graph = new Graph(inputs, parameters, rowInputs, rowKinds);

        void Declare(HeaderName h, bool isParameter)
        {
            if (!seen.Add(h.Name)) { diagnostics.Report(Diagnostics.DuplicateName, h.Span, h.Name); return; }
            if (IsFunctionName(h.Name)) { diagnostics.Report(Diagnostics.NameIsFunction, h.Span, h.Name); return; }
            if (Reserved.Contains(h.Name) || h.Name.StartsWith("_", System.StringComparison.Ordinal))
            {
                diagnostics.Report(Diagnostics.ReservedName, h.Span, h.Name);
                return;
            }
            if (h.Weight != null) diagnostics.Report(Diagnostics.WeightsOnNonPoints, h.WeightSpan, h.Name, h.Weight);
            if (h.Kind != null && isParameter)
            {
                diagnostics.Report(Diagnostics.KindOnParameter, TextSpan.FromBounds(h.Span.Start, h.KindSpan.End), h.Name, h.Kind);
                return;
            }
            if (h.Kind == null)
            {
                var (dict, list) = isParameter ? (_parameters, parameters) : (_inputs, inputs);
                dict.Add(h.Name, list.Count);
                list.Add(h.Name);
                return;
            }
            RowInputKind? kind = h.Kind switch { "row" => RowInputKind.Row, "mask" => RowInputKind.Mask, "label" => RowInputKind.Label, _ => null };
            if (kind == null) { diagnostics.Report(Diagnostics.UnknownKind, h.KindSpan, h.Kind); return; }
            _rowInputs.Add(h.Name, rowInputs.Count);
            rowInputs.Add(h.Name);
            rowKinds.Add(kind.Value);
        }
    }

    private static bool HasErrorWithin(DiagnosticBag diagnostics, TextSpan span)
    {
        foreach (var d in diagnostics.Items)
            if (d.Severity == FormulaSeverity.Error && d.Span.Start >= span.Start && d.Span.Start < span.End) return true;
        return false;
    }

    // A name with a non-ASCII letter was reported by the lexer (once per name); binding stays quiet about it.
    private static bool IsNonAscii(string name)
    {
        foreach (char c in name)
            if (c > 127) return true;
        return false;
    }

    /// <summary>Binds a parsed formula; a sample formula (a header with point clouds) is bound by <see cref="SampleBinder"/>.</summary>
    public static BoundFormula Bind(FormulaSyntax syntax, DiagnosticBag diagnostics)
    {
        if (SampleBinder.IsSampleFormula(syntax))
        {
            var sample = SampleBinder.Bind(syntax, diagnostics);
            return new BoundFormula(sample.Graph, null) { Sample = sample };
        }
        // A body the parser could not read whole may use names it skipped: then "unused" would be a false warning.
        bool parsedWhole = !diagnostics.HasErrors;
        var binder = new Binder(syntax, diagnostics);
        foreach (var local in syntax.Locals)
            if (local.Name.Length > 0) diagnostics.Report(Diagnostics.LocalsOutsideSample, local.NameSpan, local.Name);
        var body = binder.BindExpression(syntax.Body);
        Node? output = null;
        if (body != null)
        {
            if (!body.IsVector) output = body;
            else if (binder.UsesExplicitReduction(body))
                diagnostics.Report(Diagnostics.VectorWhereScalarRequired, syntax.Body.Span,
                    "The formula is a vector term that uses a reduction; only a purely pointwise term is summed implicitly. Wrap it in sum(...) or mean(...)");
            else output = binder._graph.Reduce(Sum, Axes.I, body); // the implicit sum over the support
        }
        if (parsedWhole)
        {
            foreach (var h in syntax.Inputs) binder.ReportUnused(h);
            foreach (var h in syntax.Parameters) binder.ReportUnused(h);
        }
        return new BoundFormula(binder._graph, diagnostics.HasErrors ? null : output);
    }

    private void ReportUnused(HeaderName h)
    {
        // A mask need not appear in the body: skipping its zero rows is its meaning.
        bool mask = _rowInputs.TryGetValue(h.Name, out int r) && _graph.RowInputKinds[r] == RowInputKind.Mask;
        if (!mask && !_used.Contains(h.Name) && (_inputs.ContainsKey(h.Name) || _parameters.ContainsKey(h.Name) || _rowInputs.ContainsKey(h.Name)))
            _diagnostics.Report(Diagnostics.UnusedName, h.Span, h.Name);
    }

    // A top-level vector is summed only when it is pointwise; a reduction inside it (other than a normalizer's own
    // logsumexp) would be broadcast and summed again, which is never what the writer meant.
    private bool UsesExplicitReduction(Node body)
    {
        var seen = new HashSet<int>();
        var stack = new Stack<Node>();
        stack.Push(body);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (!seen.Add(n.Id)) continue;
            if (n.Op.Kind == OpKind.Reduction && (!_normalizerSums.Contains(n.Id) || _explicitReductions.Contains(n.Id))) return true;
            if (n.Op.Kind == OpKind.Reduction) continue;
            foreach (var a in n.Args) stack.Push(_graph[a]);
        }
        return false;
    }

    private Node? BindExpression(ExpressionSyntax syntax)
    {
        switch (syntax)
        {
            case NumberSyntax n:
                return double.IsNaN(n.Value) ? null : _graph.Constant(n.Value);
            case NameSyntax name:
                return BindName(name);
            case ParenthesizedSyntax p:
                return BindExpression(p.Inner);
            case UnarySyntax u:
            {
                var operand = BindExpression(u.Operand);
                if (operand == null) return null;
                return u.Operator == TokenKind.Minus ? _graph.Make(Neg, operand) : operand;
            }
            case BinarySyntax b:
                return BindChain(b);
            case CallSyntax c:
                return BindCall(c);
            case IndexSyntax ix:
                return BindIndex(ix);
            default:
                return null; // ErrorSyntax: already reported
        }
    }

    // a + b - c ... is a left-deep tree as long as the chain: walk its left spine in a loop, so that a chain of any length
    // binds without recursion (only the right operands recurse, and they are as deep as the text's real nesting).
    private Node? BindChain(BinarySyntax top)
    {
        var spine = new List<BinarySyntax>();
        ExpressionSyntax leftmost = top;
        while (leftmost is BinarySyntax b) { spine.Add(b); leftmost = b.Left; }
        var left = BindExpression(leftmost);
        bool failed = left == null;
        for (int k = spine.Count - 1; k >= 0; k--)
        {
            var b = spine[k];
            var right = BindExpression(b.Right); // bound even after an error, so that its own mistakes are reported too
            if (failed || right == null) { failed = true; continue; }
            var op = b.Operator switch
            {
                TokenKind.Plus => Add,
                TokenKind.Minus => Sub,
                TokenKind.Star => Mul,
                TokenKind.Slash => Div,
                _ => Pow,
            };
            left = _graph.Make(op, left!, right);
        }
        return failed ? null : left;
    }

    private Node? BindName(NameSyntax name)
    {
        _used.Add(name.Name);
        if (_inputs.TryGetValue(name.Name, out int i)) return _graph.Input(i);
        if (_parameters.TryGetValue(name.Name, out int j)) return _graph.Parameter(j);
        if (_rowInputs.TryGetValue(name.Name, out int r))
        {
            if (_graph.RowInputKinds[r] != RowInputKind.Label) return _graph.RowInput(r);
            _diagnostics.Report(Diagnostics.LabelAsValue, name.Span, name.Name);
            return null;
        }
        if (_headerMissing || IsNonAscii(name.Name)) return null;
        var declared = new List<string>(_graph.InputNames);
        declared.AddRange(_graph.RowInputNames);
        declared.AddRange(_graph.ParameterNames);
        _diagnostics.Report(Diagnostics.UnknownName, name.Span, name.Name, declared.Count == 0 ? "(none)" : string.Join(", ", declared),
            Suggestions.Hint(Suggestions.ForName(name.Name, declared)));
        return null;
    }

    // s[y] = sum(selecteq(index, y, s)): a reduction (a sibling in its pass) whose derivative is one-hot at y.
    private Node? BindIndex(IndexSyntax ix)
    {
        var target = BindExpression(ix.Target);
        int label = -1;
        if (ix.Index is NameSyntax n && _rowInputs.TryGetValue(n.Name, out int r) && _graph.RowInputKinds[r] == RowInputKind.Label)
        {
            _used.Add(n.Name);
            label = r;
        }
        else if (ix.Index is not ErrorSyntax)
        {
            if (ix.Index is NameSyntax used) _used.Add(used.Name);
            _diagnostics.Report(Diagnostics.IndexNotLabel, ix.Index.Span);
        }
        if (target == null || label < 0) return null;
        if (!target.IsVector)
        {
            _diagnostics.Report(Diagnostics.ScalarWhereVectorRequired, ix.Target.Span, "[...]", Describe(ix.Target));
            return null;
        }
        var picked = _graph.Make(SelectEq, _graph.ElementIndex(), _graph.RowInput(label), target);
        var sum = _graph.Reduce(Sum, Axes.I, picked);
        _explicitReductions.Add(sum.Id);
        return sum;
    }

    private Node? BindCall(CallSyntax c)
    {
        var args = new Node?[c.Arguments.Count];
        bool failed = false;
        for (int i = 0; i < args.Length; i++)
        {
            args[i] = BindExpression(c.Arguments[i]);
            failed |= args[i] == null;
        }
        // An argument the parser could not read ("sum(p,)") was reported there; counting it would report the call again.
        foreach (var a in c.Arguments)
            if (a is ErrorSyntax) return null;
        switch (c.Name)
        {
            case "sum" or "mean" or "logsumexp" or "softmax" or "log_softmax":
                if (!CheckArity(c, 1, "1 argument") || failed) return null;
                return BindSupportFunction(c, args[0]!);
            case "max" or "min":
                if (c.Arguments.Count == 1)
                {
                    if (failed) return null;
                    return BindSupportFunction(c, args[0]!);
                }
                if (!CheckArity(c, 2, "1 argument (a reduction) or 2 (pointwise)") || failed) return null;
                return _graph.Make(c.Name == "max" ? Max : Min, args[0]!, args[1]!);
            case "sq":
                if (!CheckArity(c, 1, "1 argument") || failed) return null;
                return _graph.Make(PowInt, 2, args[0]!);
            case "sqdist" or "dist" or "dot" or "sum_k" or "sum_j" or "mean_j" or "logsumexp_j" or "umean" or "sinkhorn" or "sinkhorn_divergence":
                if (c.Arguments.Count > 0) _diagnostics.Report(Diagnostics.PairFunctionNeedsPoints, c.Arguments[0].Span, c.Name,
                    c.Arguments[0] is NameSyntax n ? $"'{n.Name}'" : "this argument");
                else _diagnostics.Report(Diagnostics.WrongArity, c.Span, c.Name, "point clouds", 0);
                return null;
        }
        if (!Functions.TryGetValue(c.Name, out var op))
        {
            if (IsNonAscii(c.Name)) return null;
            _diagnostics.Report(Diagnostics.UnknownFunction, c.NameSpan, c.Name, Suggestions.Hint(Suggestions.ForFunction(c.Name)));
            return null;
        }
        if (!CheckArity(c, op.UserArity, op.UserArity == 1 ? "1 argument" : $"{op.UserArity} arguments") || failed) return null;
        if (op.IsPiecewiseConstant) _diagnostics.Report(Diagnostics.ZeroDerivative, c.NameSpan, c.Name);
        var nodes = new Node[args.Length];
        for (int i = 0; i < nodes.Length; i++) nodes[i] = args[i]!;
        return op.Build(_graph, nodes);
    }

    private Node? BindSupportFunction(CallSyntax c, Node arg)
    {
        if (!arg.IsVector)
        {
            _diagnostics.Report(Diagnostics.ScalarWhereVectorRequired, c.Arguments[0].Span, c.Name, Describe(c.Arguments[0]));
            return null;
        }
        switch (c.Name)
        {
            case "sum": return Reduce(Sum, arg);
            case "mean": return _graph.Make(Div, Reduce(Sum, arg), _graph.Length());
            case "max": return Reduce(MaxReduce, arg);
            case "min": return Reduce(MinReduce, arg);
            case "logsumexp": return Reduce(LogSumExp, arg);
            case "softmax":
            {
                var lse = _graph.Reduce(LogSumExp, Axes.I, arg);
                _normalizerSums.Add(lse.Id);
                return _graph.Make(Exp, _graph.Make(Sub, arg, lse));
            }
            default: // log_softmax
            {
                var lse = _graph.Reduce(LogSumExp, Axes.I, arg);
                _normalizerSums.Add(lse.Id);
                return _graph.Make(Sub, arg, lse);
            }
        }
    }

    private Node Reduce(Op op, Node arg)
    {
        var node = _graph.Reduce(op, Axes.I, arg); // every reduction a formula writes today is over the support
        _explicitReductions.Add(node.Id); // logsumexp(p) next to softmax(p) is the normalizer's node, but the user wrote it
        return node;
    }

    private static string Describe(ExpressionSyntax s) => s switch
    {
        NameSyntax n => $"'{n.Name}' (a parameter)",
        NumberSyntax n => $"'{n.Text}' (a literal)",
        CallSyntax c => $"'{c.Name}(...)' here",
        _ => "the argument",
    };

    private bool CheckArity(CallSyntax c, int arity, string expected)
    {
        if (c.Arguments.Count == arity) return true;
        _diagnostics.Report(Diagnostics.WrongArity, c.Span, c.Name, expected, c.Arguments.Count);
        return false;
    }
}
