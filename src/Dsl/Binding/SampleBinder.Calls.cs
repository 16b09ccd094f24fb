using System.Collections.Generic;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Syntax;
using static KernelDsl.Language.Ops.OpTable;

namespace KernelDsl.Language.Binding;

internal sealed partial class SampleBinder
{
    private Val? BindCall(CallSyntax c, Scope scope)
    {
        foreach (var a in c.Arguments)
            if (a is ErrorSyntax) return null; // reported by the parser
        if (_companionIndex.TryGetValue(c.Name, out int companion)) return Companion(c, companion, scope);
        if (_locals.TryGetValue(c.Name, out var local)) return CallLocal(local, c.Span, c.NameSpan, c.Arguments, scope);
        switch (c.Name)
        {
            case "sqdist" or "dist" or "dot":
                if (CheckArity(c, 2, "2 arguments")) return PairFunction(c, scope);
                BindAll(c.Arguments, scope);
                return null;
            case "sum_k":
                if (CheckArity(c, 1, "1 argument")) return SumK(c, scope);
                BindAll(c.Arguments, scope);
                return null;
            case "sum" or "mean" or "logsumexp" or "sum_j" or "mean_j" or "logsumexp_j" or "umean":
                if (CheckArity(c, 1, "1 argument")) return Reduction(c, scope);
                BindAll(c.Arguments, scope);
                return null;
            case "max" or "min" when c.Arguments.Count == 1:
                return Reduction(c, scope);
            case "sinkhorn" or "sinkhorn_divergence":
                return TransportInside(c, scope);
            case "softmax" or "log_softmax":
                _report.Report(Diagnostics.NotInSampleFormula, c.NameSpan, $"'{c.Name}'", "; write the normalizer with logsumexp_j");
                BindAll(c.Arguments, scope);
                return null;
        }
        Ir.Op op;
        if (c.Name == "sq") op = PowInt;
        else if (c.Name is "max" or "min") op = c.Name == "max" ? Max : Min;
        else if (!Functions.TryGetValue(c.Name, out op!))
        {
            if (!IsNonAscii(c.Name)) _report.Report(Diagnostics.UnknownFunction, c.NameSpan, c.Name, Suggestions.Hint(Suggestions.ForFunction(c.Name)));
            BindAll(c.Arguments, scope);
            return null;
        }
        int arity = op == PowInt ? 1 : op.UserArity;
        if (!CheckArity(c, arity, arity == 1 ? "1 argument" : $"{arity} arguments")) { BindAll(c.Arguments, scope); return null; }
        var args = new Val[c.Arguments.Count];
        bool failed = false;
        for (int i = 0; i < args.Length; i++)
        {
            args[i] = Operand(c.Arguments[i], scope)!;
            failed |= args[i] == null;
        }
        if (failed) return null;
        if (op.IsPiecewiseConstant) _report.Report(Diagnostics.ZeroDerivative, c.NameSpan, c.Name);
        if (op == PowInt) return new Val(_graph.Make(PowInt, 2, args[0].Node!), args[0].Ci, args[0].Cj);
        return Combine(c.Span, op, args);
    }

    // s(v): the companion s at the point v of its cloud, v a local's parameter (or, inside sum_k, a cloud given a role
    // there); it takes v's role and pairing: a vector over the features, as the point.
    private Val? Companion(CallSyntax c, int companion, Scope scope)
    {
        _used.Add(c.Name);
        if (!CheckArity(c, 1, "1 argument")) { BindAll(c.Arguments, scope); return null; }
        var arg = Bind(c.Arguments[0], scope);
        if (arg == null) return null;
        int owner = _companionClouds[companion];
        (Axes Role, int PairI, int PairJ)? at = null;
        if (arg.Point is { Role.IsEmpty: false } p && p.Cloud == owner) at = (p.Role, p.PairI, p.PairJ);
        else if (arg.Node is { } n && n.Op == Input && _leaves[n.Index] is { IsWeight: false, Companion: < 0 } leaf && leaf.Cloud == owner)
            at = (leaf.Role, leaf.PairI, leaf.PairJ);
        if (at is not { } a)
        {
            _report.Report(Diagnostics.CompanionNeedsPoint, c.Arguments[0].Span, c.Name, _clouds[owner],
                arg.Point is { Role.IsEmpty: true } raw && raw.Cloud == owner
                    ? $"; '{_clouds[owner]}' named here has no role: pass the points through a local function, as in phi({_clouds[owner]}, {_clouds[owner]}) where phi(u, v) = ... {c.Name}(v)"
                    : $", but {Describe(c.Arguments[0])} is not one");
            return null;
        }
        return new Val(Leaf(owner, false, a.Role, a.PairI, a.PairJ, companion), a.Role == Axes.I ? owner : -1, a.Role == Axes.J ? owner : -1);
    }

    // Binds arguments of a call that failed, for their own mistakes and so that the names in them count as used.
    private void BindAll(IReadOnlyList<ExpressionSyntax> arguments, Scope scope)
    {
        foreach (var a in arguments) Bind(a, scope);
    }

    private bool CheckArity(CallSyntax c, int arity, string expected)
    {
        if (c.Arguments.Count == arity) return true;
        _report.Report(Diagnostics.WrongArity, c.Span, c.Name, expected, c.Arguments.Count);
        return false;
    }

    // Gives roles to cloud arguments not yet given one: the first takes i, the next j (a cloud's second appearance is its
    // copy on j: k(x, x) pairs x with itself). Arguments that are already a role (a local's parameter) keep it.
    private static Val?[] AssignRoles(Val?[] args)
    {
        int pairI = -1, pairJ = -1;
        bool usedI = false, usedJ = false;
        foreach (var a in args)
        {
            if (a?.Point is not { } p || p.Role.IsEmpty) continue;
            (pairI, pairJ) = (p.PairI, p.PairJ);
            usedI |= p.Role == Axes.I;
            usedJ |= p.Role == Axes.J;
        }
        var raw = new List<int>();
        for (int k = 0; k < args.Length; k++)
            if (args[k]?.Point is { } p && p.Role.IsEmpty) raw.Add(k);
        if (raw.Count == 0) return args;
        // The pairing of the new roles: the clouds on i and on j.
        var roles = new Axes[raw.Count];
        int r = 0;
        foreach (int k in raw)
        {
            var role = !usedI ? Axes.I : !usedJ ? Axes.J : Axes.None;
            usedI |= role == Axes.I;
            usedJ |= role == Axes.J;
            roles[r++] = role;
            if (role == Axes.I) pairI = args[k]!.Point!.Cloud;
            if (role == Axes.J) pairJ = args[k]!.Point!.Cloud;
        }
        var result = (Val?[])args.Clone();
        for (int q = 0; q < raw.Count; q++)
        {
            var p = args[raw[q]]!.Point!;
            result[raw[q]] = roles[q].IsEmpty ? null : new Val(new PointRef(p.Cloud, roles[q], pairI, pairJ, p.Span));
        }
        return result;
    }

    // sqdist(u, v) = sum_k (u_k - v_k)^2, dot(u, v) = sum_k u_k v_k, dist(u, v) = sqrt(sqdist(u, v)) with derivative 0 at u = v.
    private Val? PairFunction(CallSyntax c, Scope scope)
    {
        var args = new Val?[2];
        for (int k = 0; k < 2; k++)
        {
            args[k] = Bind(c.Arguments[k], scope);
            if (args[k] is { Point: null } notCloud)
            {
                _report.Report(Diagnostics.PairFunctionNeedsPoints, c.Arguments[k].Span, c.Name, Describe(c.Arguments[k]));
                return null;
            }
        }
        if (args[0] == null || args[1] == null) return null;
        var roles = AssignRoles(args);
        for (int k = 0; k < 2; k++)
            if (roles[k] == null) { _report.Report(Diagnostics.MixedClouds, c.Span, "a third point", "a pair"); return null; }
        PointRef u = roles[0]!.Point!, v = roles[1]!.Point!;
        Node a = Leaf(u.Cloud, false, u.Role, u.PairI, u.PairJ), b = Leaf(v.Cloud, false, v.Role, v.PairI, v.PairJ);
        Node node = c.Name switch
        {
            "dot" => _graph.Reduce(Sum, Axes.K, _graph.Make(Mul, a, b)),
            _ => _graph.Reduce(Sum, Axes.K, _graph.Make(PowInt, 2, _graph.Make(Sub, a, b))),
        };
        if (c.Name == "dist") node = _graph.Make(DistSqrt, node);
        int ci = u.Role == Axes.I ? u.Cloud : v.Role == Axes.I ? v.Cloud : -1;
        int cj = u.Role == Axes.J ? u.Cloud : v.Role == Axes.J ? v.Cloud : -1;
        return new Val(node, ci, cj);
    }

    private static string Describe(ExpressionSyntax s) => s switch
    {
        NameSyntax n => $"'{n.Name}'",
        NumberSyntax n => $"'{n.Text}' (a literal)",
        CallSyntax c => $"'{c.Name}(...)'",
        _ => "this argument",
    };

    // sum_k(e): e is a featurewise expression of the clouds named in it, the first named on i, the next on j.
    private Val? SumK(CallSyntax c, Scope scope)
    {
        var clouds = new List<int>();
        CollectClouds(c.Arguments[0], scope, clouds);
        if (clouds.Count > 2)
        {
            _report.Report(Diagnostics.MixedClouds, c.Span, $"({_clouds[clouds[0]]}, {_clouds[clouds[1]]})", $"the points of {_clouds[clouds[2]]}");
            return null;
        }
        var inner = new Scope(scope, null)
        {
            FeatureRoles = new Dictionary<int, Axes>(),
            Pair = (clouds.Count > 0 ? clouds[0] : scope.Pair.I, clouds.Count > 1 ? clouds[1] : (clouds.Count > 0 ? -1 : scope.Pair.J)),
        };
        for (int k = 0; k < clouds.Count; k++) inner.FeatureRoles[clouds[k]] = k == 0 ? Axes.I : Axes.J;
        var v = Operand(c.Arguments[0], inner);
        if (v == null) return null;
        var node = v.Node!.Axes.Contains(Axes.K) ? _graph.Reduce(Sum, Axes.K, v.Node) : _graph.Make(Mul, v.Node, _graph.Length(Axes.K));
        return new Val(node, v.Ci, v.Cj);
    }

    // The clouds named directly in e (not through a local's parameter), in order of first appearance.
    private void CollectClouds(ExpressionSyntax e, Scope scope, List<int> clouds)
    {
        var stack = new Stack<ExpressionSyntax>();
        stack.Push(e);
        var order = new List<ExpressionSyntax>();
        while (stack.Count > 0)
        {
            var s = stack.Pop();
            switch (s)
            {
                case NameSyntax n when !scope.TryGet(n.Name, out _) && _cloudIndex.TryGetValue(n.Name, out int cloud):
                    if (!clouds.Contains(cloud)) clouds.Add(cloud);
                    break;
                case ParenthesizedSyntax p: stack.Push(p.Inner); break;
                case UnarySyntax u: stack.Push(u.Operand); break;
                case BinarySyntax b: stack.Push(b.Right); stack.Push(b.Left); break;
                case CallSyntax call:
                    for (int k = call.Arguments.Count - 1; k >= 0; k--) stack.Push(call.Arguments[k]);
                    break;
            }
        }
    }

    private Val? CallLocal(LocalFunctionSyntax local, TextSpan span, TextSpan nameSpan, IReadOnlyList<ExpressionSyntax> arguments, Scope scope)
    {
        if (scope.Chain(local.Name) is { } chain)
        {
            _report.Report(Diagnostics.RecursiveLocal, nameSpan, local.Name, chain);
            return null;
        }
        if (arguments.Count != local.Parameters.Count)
        {
            _report.Report(Diagnostics.WrongArity, span, local.Name,
                local.Parameters.Count == 1 ? "1 argument" : $"{local.Parameters.Count} arguments", arguments.Count);
            BindAll(arguments, scope);
            return null;
        }
        var args = new Val?[arguments.Count];
        bool failed = false;
        for (int k = 0; k < args.Length; k++)
        {
            args[k] = Bind(arguments[k], scope);
            failed |= args[k] == null;
        }
        if (failed) return null;
        var roles = AssignRoles(args);
        var names = new Dictionary<string, Val?>();
        for (int k = 0; k < args.Length; k++)
        {
            if (roles[k] == null) { _report.Report(Diagnostics.MixedClouds, span, "a third point", "a pair"); return null; }
            names[local.Parameters[k].Name] = roles[k];
        }
        // The body sees its parameters and the header, not the caller's parameters.
        var root = scope;
        while (root.Parent != null) root = root.Parent;
        var callers = new List<string>(scope.Callers) { local.Name };
        var inner = new Scope(root, names, callers) { FeatureRoles = scope.FeatureRoles, Pair = scope.Pair };
        return Bind(local.Body, inner);
    }
}
