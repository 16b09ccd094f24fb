using System.Collections.Generic;
using System.Globalization;
using System.Text;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Ops;

namespace KernelDsl.Language.Planning;

/// <summary>
/// Writes a plan as text a person can read: the passes, what each reads, its accumulators and writes, and the scalar
/// steps between them. Scalars computed outside a loop are named <c>s{id}</c>; vector subexpressions are written inline.
/// A reduction over the support i is written by its name alone (<c>sum(...)</c>); over other axes, with their letters
/// (<c>sum_j(...)</c>, <c>sum_ij(...)</c>). The same text goes into the golden files and the generated code's remarks.
/// </summary>
internal static class PlanPrinter
{
    /// <summary>The listing of <paramref name="plan"/>.</summary>
    public static string Print(Plan plan)
    {
        var g = plan.Graph;
        var sb = new StringBuilder();
        int accumulators = 0;
        foreach (var p in plan.Passes) accumulators += p.Accumulators.Count;
        sb.Append("plan: ").Append(plan.Passes.Count).Append(plan.Passes.Count == 1 ? " pass" : " passes")
          .Append(", ").Append(accumulators).Append(accumulators == 1 ? " accumulator" : " accumulators").Append('\n');
        Scalars(sb, g, "prologue", plan.Prologue);
        foreach (var pass in plan.Passes)
        {
            sb.Append("pass ").Append(pass.Index).Append(": reads ");
            sb.Append(pass.Reads.Count == 0 ? "nothing" : string.Join(", ", pass.Reads.ConvertAll(i => g.InputNames[i])));
            sb.Append(" | serves ").Append(Serves(g, pass)).Append('\n');
            foreach (var r in pass.Accumulators)
                sb.Append("  accumulate s").Append(r.Id).Append(" = ").Append(Expression(g, r, top: true)).Append('\n');
            foreach (var w in pass.Writes)
                sb.Append("  write d").Append(g.InputNames[w.Input]).Append(" = ").Append(Expression(g, w.Gradient, top: true)).Append('\n');
            Scalars(sb, g, "then", pass.Epilogue);
        }
        foreach (var f in plan.Fills)
            sb.Append("fill d").Append(g.InputNames[f.Input]).Append(" = ").Append(Name(f.Gradient)).Append('\n');
        foreach (var z in plan.ZeroGradients)
            sb.Append("fill d").Append(g.InputNames[z]).Append(" = 0\n");
        sb.Append("value = ").Append(Name(plan.Value)).Append('\n');
        for (int j = 0; j < plan.ParameterGradients.Length; j++)
            if (plan.ParameterGradients[j] is { } gp)
                sb.Append("d").Append(g.ParameterNames[j]).Append(" = ").Append(Name(gp)).Append('\n');
        return sb.ToString();

        string Name(Node n) => Expression(g, n, top: false);
    }

    private static string Serves(Graph g, Pass pass)
    {
        var parts = new List<string>();
        if (pass.ServesValue) parts.Add("value");
        foreach (var i in pass.ServesInputs) parts.Add("d" + g.InputNames[i]);
        if (pass.ServesParameters) parts.Add("parameter gradients");
        return parts.Count == 0 ? "nothing" : string.Join(", ", parts);
    }

    private static void Scalars(StringBuilder sb, Graph g, string title, List<Node> nodes)
    {
        if (nodes.Count == 0) return;
        sb.Append("  ").Append(title).Append(":\n");
        foreach (var n in nodes)
            sb.Append("    s").Append(n.Id).Append(" = ").Append(Expression(g, n, top: true)).Append('\n');
    }

    /// <summary>
    /// Writes a node in infix form. With <paramref name="top"/> the node itself is expanded; otherwise a scalar computed outside
    /// loops (anything but a leaf) is written by name <c>s{id}</c>.
    /// </summary>
    public static string Expression(Graph g, Node node, bool top)
    {
        var sb = new StringBuilder();
        Write(g, node, sb, 0, top, false);
        return sb.ToString();
    }

    /// <summary>Writes a node in infix form with every subexpression written out (no <c>s{id}</c> names): a small formula.</summary>
    public static string Formula(Graph g, Node node)
    {
        var sb = new StringBuilder();
        Write(g, node, sb, 0, true, true);
        return sb.ToString();
    }

    /// <summary>
    /// The longest expression written in full. Vector subexpressions are written inline, so a DAG that shares them (the
    /// gradient of a long product) would print as a tree of quadratic or exponential size; past this length the text
    /// ends with an ellipsis.
    /// </summary>
    public const int MaxExpressionLength = 2000;

    private static int Precedence(Node n)
    {
        if (n.Op == OpTable.Add || n.Op == OpTable.Sub) return 1;
        if (n.Op == OpTable.Mul || n.Op == OpTable.Div) return 2;
        if (n.Op == OpTable.Neg) return 3;
        if (n.Op == OpTable.PowInt) return 4;
        if (n.Op == OpTable.Constant && n.Constant < 0) return 3;
        return 5;
    }

    // One piece of the text still to write: literal text, or a node in a context (the precedence around it).
    private readonly struct Piece
    {
        public Piece(string text) { Text = text; Node = null; Context = 0; Expand = false; }
        public Piece(Node node, int context, bool expand) { Text = null; Node = node; Context = context; Expand = expand; }
        public string? Text { get; }
        public Node? Node { get; }
        public int Context { get; }
        public bool Expand { get; }
    }

    // Infix writing with an explicit stack of pieces (pushed in reverse), so that an expression as deep as a 10,000-term
    // chain is written without recursion.
    private static void Write(Graph g, Node root, StringBuilder sb, int rootContext, bool rootExpand, bool expandAll)
    {
        var stack = new Stack<Piece>();
        var parts = new List<Piece>(8);
        stack.Push(new Piece(root, rootContext, rootExpand));
        int limit = sb.Length + MaxExpressionLength;
        while (stack.Count > 0)
        {
            if (sb.Length > limit) { sb.Append(" ..."); return; }
            var piece = stack.Pop();
            if (piece.Node is not { } n) { sb.Append(piece.Text); continue; }
            if (!piece.Expand && !expandAll && n.IsScalar && n.Op.Kind != OpKind.Leaf)
            {
                sb.Append('s').Append(n.Id);
                continue;
            }
            int p = Precedence(n);
            bool paren = p < piece.Context;
            parts.Clear();
            if (paren) parts.Add(new Piece("("));
            if (n.Op == OpTable.Constant) parts.Add(new Piece(n.Constant.ToString("R", CultureInfo.InvariantCulture)));
            else if (n.Op == OpTable.Input) parts.Add(new Piece(g.InputNames[n.Index]));
            else if (n.Op == OpTable.Parameter) parts.Add(new Piece(g.ParameterNames[n.Index]));
            else if (n.Op == OpTable.Length) parts.Add(new Piece(n.Index == 0 ? "n" : "n_" + Axes.At(n.Index).Compact()));
            else if (n.Op == OpTable.RowInput) parts.Add(new Piece(g.RowInputNames[n.Index]));
            else if (n.Op == OpTable.ElementIndex) parts.Add(new Piece("index"));
            else if (n.Op == OpTable.Add || n.Op == OpTable.Sub || n.Op == OpTable.Mul || n.Op == OpTable.Div)
            {
                string sym = n.Op == OpTable.Add ? " + " : n.Op == OpTable.Sub ? " - " : n.Op == OpTable.Mul ? " * " : " / ";
                parts.Add(new Piece(g[n.Args[0]], p, false));
                parts.Add(new Piece(sym));
                // Left-associative: the right operand needs parentheses at equal precedence for - and /.
                parts.Add(new Piece(g[n.Args[1]], p + 1, false));
            }
            else if (n.Op == OpTable.Neg)
            {
                parts.Add(new Piece("-"));
                parts.Add(new Piece(g[n.Args[0]], p + 1, false));
            }
            else if (n.Op == OpTable.PowInt)
            {
                parts.Add(new Piece(g[n.Args[0]], 5, false));
                parts.Add(new Piece("^" + (n.Index < 0 ? "(" + n.Index.ToString(CultureInfo.InvariantCulture) + ")" : n.Index.ToString(CultureInfo.InvariantCulture))));
            }
            else
            {
                string suffix = n.Op.Kind == OpKind.Reduction && n.Reduced != Axes.I ? "_" + n.Reduced.Compact() : "";
                parts.Add(new Piece(n.Op.Name + suffix + "("));
                for (int i = 0; i < n.Op.UserArity; i++)
                {
                    if (i > 0) parts.Add(new Piece(", "));
                    parts.Add(new Piece(g[n.Args[i]], 0, false));
                }
                parts.Add(new Piece(")"));
            }
            if (paren) parts.Add(new Piece(")"));
            for (int k = parts.Count - 1; k >= 0; k--) stack.Push(parts[k]);
        }
    }
}
