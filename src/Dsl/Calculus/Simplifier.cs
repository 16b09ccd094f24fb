using KernelDsl.Language.Ir;
using KernelDsl.Language.Ops;
using static KernelDsl.Language.Ops.OpTable;

namespace KernelDsl.Language.Calculus;

/// <summary>
/// Rewrites applied as nodes are built (smart constructors). Each one is exact in IEEE-754 arithmetic for every input,
/// including ±inf, NaN and ±0, unless its comment names the one case where it is not:
/// <list type="bullet">
/// <item>Constant folding: an op of constants is evaluated in double (what the kernel would compute in double).</item>
/// <item>x*1 → x, x/1 → x, x-0 → x, x+(-0) → x: exact (x+(+0) is NOT rewritten: -0 + 0 = +0).</item>
/// <item>x*(-1) → -x, -(-x) → x, (-a)*b → -(a*b), a/(-b) → -(a/b), a+(-b) → a-b, a-(-b) → a+b: negation is exact and
/// rounding is sign-symmetric.</item>
/// <item>pow(x, k) for an integer literal |k| ≤ 64 → powi(x, k) (repeated multiplication): the same special values as C's
/// pow, exact sign for negative x; may differ from a correctly rounded pow by an ulp for |k| ≥ 3.</item>
/// <item>pow(x, a)·pow(y, b) → powmul(x, a, y, b) (a product of two non-integer pows, whatever the operands' order): exact
/// in the IR, where powmul is that product by definition (the interpreter and the oracle compute pow·pow). Not exact in the
/// kernels: they evaluate it as one exp(a log x + b log y) where x, y &gt; 0 are finite and a, b finite, and as the two
/// pows at every other value. The fast path is within the error bound stated on <c>ISimd.PowMul</c> of the product where
/// both factors are finite and nonzero, and stays finite where a factor alone overflows or underflows: in double,
/// x = y = 1e-200, a = 2, b = -2 gives 1 in the kernels where pow·pow is 0·inf = NaN (as the interpreter and the oracle
/// give).</item>
/// <item>powi(x, 1) → x; powi(x, 0) → 1 for a scalar x (as pow(NaN, 0) = 1 in IEEE); a vector x^0 stays a vector of ones.</item>
/// <item>sum(c) for a c constant over the summed axes → c·n (times the length of each summed axis c does not range over;
/// the axes it does range over stay summed). A length names an axis, not the points it ranges over: one extent per axis,
/// as in a formula over a support. In a sample formula j ranges over x's points in k(x, x) and over y's in k(x, y), so the
/// differentiator does not leave its broadcast sums to this rule: it multiplies by the consumer's extent itself
/// (<see cref="Graph.Extent"/>, the count of a cloud).</item>
/// <item>sum(c·v) → c·sum(v) (every factor constant over the summed axes, of a product tree, so this reassociates the
/// product), sum(v/c) → sum(v)/c, sum(-v) → -sum(v) for such a c: exact in real arithmetic; rounding may
/// differ; differs in IEEE only when c = ±inf and some v_i = 0 (NaN before, ±inf after).</item>
/// <item>sum(exp(e - logsumexp(e))) → 1 (a softmax sums to one): exact in real arithmetic and more accurate than the sum;
/// differs only when e holds NaN or every e_i = -inf, where the formula's value is NaN anyway.</item>
/// </list>
/// Not applied, because not IEEE-safe: x*0 → 0 (inf·0 = NaN), x-x → 0, exp(log x) → x, -(a-b) → b-a (sign of zero),
/// reassociation of constants.
/// </summary>
internal static class Simplifier
{
    private const int MaxIntegerExponent = 64;

    /// <summary>Returns the simplified node for <c>op(args)</c> (a reduction over <paramref name="reduced"/>), or null to build it as is.</summary>
    public static Node? TryRewrite(Graph g, Op op, int index, Axes reduced, Node[] args)
    {
        if (op.Kind == OpKind.Pointwise && AllConstant(args))
        {
            var values = new double[args.Length];
            for (int i = 0; i < args.Length; i++) values[i] = args[i].Constant;
            var probe = g.MakeRaw(op, index, args);
            return g.Constant(op.Evaluate(probe, values));
        }
        if (op == Mul)
        {
            var (a, b) = (args[0], args[1]);
            if (Graph.IsConstant(b, 1)) return a;
            if (Graph.IsConstant(a, 1)) return b;
            if (Graph.IsConstant(b, -1)) return g.Make(Neg, a);
            if (Graph.IsConstant(a, -1)) return g.Make(Neg, b);
            if (a.Op == Neg && b.Op == Neg) return g.Make(Mul, g[a.Args[0]], g[b.Args[0]]);
            if (a.Op == Neg) return g.Make(Neg, g.Make(Mul, g[a.Args[0]], b));
            if (b.Op == Neg) return g.Make(Neg, g.Make(Mul, a, g[b.Args[0]]));
            if (a.Op == Pow && b.Op == Pow) return PowProduct(g, a, b);
        }
        else if (op == Div)
        {
            var (a, b) = (args[0], args[1]);
            if (Graph.IsConstant(b, 1)) return a;
            if (Graph.IsConstant(b, -1)) return g.Make(Neg, a);
            if (a.Op == Neg && b.Op == Neg) return g.Make(Div, g[a.Args[0]], g[b.Args[0]]);
            if (a.Op == Neg) return g.Make(Neg, g.Make(Div, g[a.Args[0]], b));
            if (b.Op == Neg) return g.Make(Neg, g.Make(Div, a, g[b.Args[0]]));
        }
        else if (op == Add)
        {
            var (a, b) = (args[0], args[1]);
            if (Graph.IsConstant(b, -0.0)) return a;
            if (Graph.IsConstant(a, -0.0)) return b;
            if (b.Op == Neg) return g.Make(Sub, a, g[b.Args[0]]);
            if (a.Op == Neg) return g.Make(Sub, b, g[a.Args[0]]);
        }
        else if (op == Sub)
        {
            var (a, b) = (args[0], args[1]);
            if (Graph.IsConstant(b, 0.0)) return a;
            if (b.Op == Neg) return g.Make(Add, a, g[b.Args[0]]);
        }
        else if (op == Neg)
        {
            if (args[0].Op == Neg) return g[args[0].Args[0]];
        }
        else if (op == Pow)
        {
            var b = args[1];
            if (b.Op == Constant && b.Constant == System.Math.Floor(b.Constant) && System.Math.Abs(b.Constant) <= MaxIntegerExponent)
                return g.Make(PowInt, (int)b.Constant, args[0]);
        }
        else if (op == PowInt)
        {
            if (index == 1) return args[0];
            if (index == 0 && args[0].IsScalar) return g.Constant(1); // a vector stays a vector: sum(p^0) is n
        }
        else if (op == Sum)
        {
            return RewriteSum(g, reduced, args[0]);
        }
        return null;
    }

    // pow(x, a) · pow(y, b) → powmul(x, a, y, b), its factors ordered by (base, exponent) so that both orders of the
    // product are one node.
    private static Node PowProduct(Graph g, Node first, Node second)
    {
        if (first.Args[0] > second.Args[0] || (first.Args[0] == second.Args[0] && first.Args[1] > second.Args[1]))
            (first, second) = (second, first);
        return g.Make(PowMul, g[first.Args[0]], g[first.Args[1]], g[second.Args[0]], g[second.Args[1]]);
    }

    // The rewrites of a sum over the axes m. "Constant" below means: ranging over none of the axes m.
    private static Node? RewriteSum(Graph g, Axes m, Node v)
    {
        if (!v.Axes.Contains(m))
        {
            // Summing over an axis v does not range over multiplies by its length: sum_i(c) = c·n.
            var kept = m & v.Axes;
            var result = kept.IsEmpty ? v : g.Reduce(Sum, kept, v);
            foreach (var axis in (m - v.Axes).Each()) result = g.Make(Mul, result, g.Length(axis));
            return result;
        }
        // sum(-v) → -sum(v) and sum(v/c) → sum(v)/c, peeled in a loop: a chain p / c / c / ... of any length is
        // rewritten without recursion (each peeled step is rebuilt outside the sum, innermost first).
        if (v.Op == Neg || (v.Op == Div && !g[v.Args[1]].Axes.Overlaps(m)))
        {
            var outside = new System.Collections.Generic.List<Node?>(); // null: a negation; else a constant divisor
            while (true)
            {
                if (v.Op == Neg) { outside.Add(null); v = g[v.Args[0]]; }
                else if (v.Op == Div && !g[v.Args[1]].Axes.Overlaps(m)) { outside.Add(g[v.Args[1]]); v = g[v.Args[0]]; }
                else break;
            }
            var result = g.Reduce(Sum, m, v);
            for (int k = outside.Count - 1; k >= 0; k--)
                result = outside[k] is { } divisor ? g.Make(Div, result, divisor) : g.Make(Neg, result);
            return result;
        }
        if (v.Op == Mul)
        {
            // Pull every constant factor of a product tree out of the sum: sum(a·c·b) → c·sum(a·b).
            var scalars = new System.Collections.Generic.List<Node>();
            var vectors = new System.Collections.Generic.List<Node>();
            Factors(g, m, v, scalars, vectors);
            if (scalars.Count > 0)
            {
                Node inner = vectors[0];
                for (int i = 1; i < vectors.Count; i++) inner = g.Make(Mul, inner, vectors[i]);
                Node factor = scalars[0];
                for (int i = 1; i < scalars.Count; i++) factor = g.Make(Mul, factor, scalars[i]);
                return g.Make(Mul, factor, g.Reduce(Sum, m, inner));
            }
        }
        if (v.Op == Exp)
        {
            var d = g[v.Args[0]];
            if (d.Op == Sub)
            {
                var (e, l) = (g[d.Args[0]], g[d.Args[1]]);
                if (l.Op == LogSumExp && l.Reduced == m && l.Args[0] == e.Id) return g.Constant(1);
            }
        }
        return null;
    }

    // The factors of a product tree, left to right, split into those constant over the axes m and the others; with an
    // explicit stack, so a product of any length is walked without recursion.
    private static void Factors(Graph g, Axes m, Node root, System.Collections.Generic.List<Node> scalars, System.Collections.Generic.List<Node> vectors)
    {
        var stack = new System.Collections.Generic.Stack<Node>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (!n.Axes.Overlaps(m)) { scalars.Add(n); continue; }
            if (n.Op != Mul) { vectors.Add(n); continue; }
            stack.Push(g[n.Args[1]]);
            stack.Push(g[n.Args[0]]);
        }
    }

    private static bool AllConstant(Node[] args)
    {
        foreach (var a in args)
            if (a.Op != Constant) return false;
        return true;
    }
}
