using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using KernelDsl.Generators.Emit;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Ops;
using KernelDsl.Language.Planning.Samples;

namespace KernelDsl.Generators.Cpu;

/// <summary>
/// Writes the pair terms of a sample plan: one readonly struct per term, <c>IPairTerm&lt;T&gt;</c> over float and
/// double, whose fields are the term's parameter-only subexpressions computed once, and whose methods compute
/// <c>φ(f)</c> and <c>φ'(f)</c> in SIMD with their common subexpressions shared.
/// </summary>
internal static class SampleTermWriter
{
    private const string Runtime = "global::KernelDsl.Runtime";

    /// <summary>The name of term <paramref name="index"/>'s struct.</summary>
    public static string Name(int index) => "_PairTerm" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>The feature's name in the runtime's <c>PairFeature</c>, and in words.</summary>
    public static (string Member, string Words) Feature(SampleFeature f) => f == SampleFeature.Dot
        ? ("Dot", "f = dot(u, v)")
        : ("SquaredDistance", "f = sqdist(u, v)");

    /// <summary>Writes the struct of term <paramref name="index"/>.</summary>
    public static void Write(IndentedWriter w, SamplePairTerm term, int index, IReadOnlyList<string> parameters) =>
        Write(w, term, Name(index), $"The pair term <c>φ(f) = {CSharpText.XmlText(term.Describe())}</c>", parameters);

    /// <summary>The name of the struct of term <paramref name="term"/>'s derivative in parameter <paramref name="parameter"/>.</summary>
    public static string ParameterName(int term, int parameter) =>
        Name(term) + "_d" + parameter.ToString(CultureInfo.InvariantCulture);

    /// <summary>Writes the struct of a term's derivative in a parameter (<see cref="SampleParameterTerm"/>).</summary>
    public static void Write(IndentedWriter w, SampleParameterTerm derivative, IReadOnlyList<string> parameters) =>
        Write(w, derivative.Derivative, ParameterName(derivative.Term, derivative.Parameter),
            $"The derivative of pair term {derivative.Term.ToString(CultureInfo.InvariantCulture)} in its parameter <c>{parameters[derivative.Parameter]}</c>, <c>∂φ/∂{parameters[derivative.Parameter]} = {CSharpText.XmlText(derivative.Derivative.Describe())}</c>",
            parameters);

    // Writes a term's struct under the given name; the summary's first part says what its value is.
    private static void Write(IndentedWriter w, SamplePairTerm term, string name, string summary, IReadOnlyList<string> parameters)
    {
        var g = term.Graph;
        var f = g.Nodes.First(n => n.Op == OpTable.Input);
        var varies = new bool[g.Nodes.Count];
        foreach (var n in g.Nodes) varies[n.Id] = n == f || n.Args.Any(a => varies[a]);
        var value = Needed(g, term.Value, varies);
        var both = term.Slope is { } s ? Needed(g, s, varies, value) : value;
        // The invariant subexpressions the SIMD code reads: fields, computed once in double and rounded to T.
        // A division by an invariant is a multiplication by its reciprocal, folded once (a SIMD divide costs several multiplies).
        var fields = new SortedSet<int>();
        var reciprocals = new SortedSet<int>();
        foreach (var id in both)
        {
            var n = g[id];
            for (int k = 0; k < n.Args.Length; k++)
            {
                if (varies[n.Args[k]]) continue;
                if (IsScaledBy(n, k, varies)) reciprocals.Add(n.Args[k]);
                else fields.Add(n.Args[k]);
            }
        }
        foreach (var r in new[] { term.Value, term.Slope })
            if (r != null && !varies[r.Id]) fields.Add(r.Id);
        // A reciprocal the term already holds as a field (1 / b, from the slope) is not folded twice.
        var shared = new Dictionary<int, string>();
        foreach (var id in fields)
            if (g[id] is { } n && n.Op == OpTable.Div && Graph.IsConstant(g[n.Args[0]], 1) && reciprocals.Remove(n.Args[1]))
                shared[n.Args[1]] = Field(id);
        string ReciprocalName(int id) => shared.TryGetValue(id, out var name) ? name : SampleTermWriter.Reciprocal(id);

        var (member, words) = Feature(term.Feature);
        w.WriteLine($"/// <summary>{summary} of the pair feature <c>{words}</c>, and its slope <c>φ'(f)</c>.</summary>");
        w.WriteLine($"private readonly struct {name}<_T> : {Runtime}.IPairTerm<_T>");
        w.WriteLine("    where _T : unmanaged, global::System.Numerics.IFloatingPointIeee754<_T>");
        using (w.Block())
        {
            foreach (var id in fields)
                w.WriteLine($"private readonly _T {Field(id)}; // {Language.Planning.PlanPrinter.Formula(g, g[id])}");
            foreach (var id in reciprocals)
                w.WriteLine($"private readonly _T {ReciprocalName(id)}; // 1 / ({Language.Planning.PlanPrinter.Formula(g, g[id])})");
            if (fields.Count + reciprocals.Count > 0) w.WriteLine();
            w.WriteLine("/// <summary>Folds the parameter-only subexpressions of the term, once per call.</summary>");
            string ctorParams = string.Join(", ", parameters.Select(p => "double " + NodeCode.CSharp(p)));
            using (w.Block($"public {name}({ctorParams})"))
            {
                // Invariant nodes a field needs, in order, as double locals.
                var scalars = new SortedSet<int>();
                foreach (var id in fields.Concat(reciprocals)) Collect(g, g[id], scalars);
                foreach (var id in scalars)
                {
                    var n = g[id];
                    if (IsLeaf(n)) continue;
                    w.WriteLine($"double {Local(id)} = {NodeCode.Scalar(g, n, a => ScalarName(g, a), Runtime + ".ScalarMath<" + Runtime + ".ScalarD>")};");
                }
                foreach (var id in fields)
                    w.WriteLine($"{Field(id)} = _T.CreateTruncating({ScalarName(g, g[id])});");
                foreach (var id in reciprocals)
                    w.WriteLine($"{ReciprocalName(id)} = _T.CreateTruncating(1.0 / {ScalarName(g, g[id])});");
            }
            w.WriteLine();
            w.WriteLine("/// <inheritdoc/>");
            w.WriteLine($"public static {Runtime}.PairFeature Feature => {Runtime}.PairFeature.{member};");
            w.WriteLine();
            w.WriteLine("/// <inheritdoc/>");
            w.WriteLine($"public TVec Value<TVec, V>(TVec feature) where TVec : struct where V : struct, {Runtime}.ISimd<TVec, _T>");
            using (w.Block())
            {
                WriteVectors(w, g, value, varies, ReciprocalName);
                w.WriteLine($"return {VectorName(g, term.Value, varies)};");
            }
            w.WriteLine();
            w.WriteLine("/// <inheritdoc/>");
            w.WriteLine($"public TVec ValueAndSlope<TVec, V>(TVec feature, out TVec slope) where TVec : struct where V : struct, {Runtime}.ISimd<TVec, _T>");
            using (w.Block())
            {
                WriteVectors(w, g, both, varies, ReciprocalName);
                w.WriteLine($"slope = {(term.Slope is { } sl ? VectorName(g, sl, varies) : "V.Broadcast(_T.Zero)")};");
                w.WriteLine($"return {VectorName(g, term.Value, varies)};");
            }
        }
    }

    private static bool IsLeaf(Node n) => n.Op.Kind == OpKind.Leaf;

    // n = a / b with a varying and b invariant, looked at from its argument k = 1.
    private static bool IsScaledBy(Node n, int k, bool[] varies) => n.Op == OpTable.Div && k == 1 && varies[n.Args[0]];

    private static string Reciprocal(int id) => "_inv" + id.ToString(CultureInfo.InvariantCulture);

    private static string Field(int id) => "_c" + id.ToString(CultureInfo.InvariantCulture);

    private static string Local(int id) => "_s" + id.ToString(CultureInfo.InvariantCulture);

    private static string ScalarName(Graph g, Node n)
    {
        if (n.Op == OpTable.Constant) return NodeCode.Double(n.Constant);
        if (n.Op == OpTable.Parameter) return NodeCode.CSharp(g.ParameterNames[n.Index]);
        return Local(n.Id);
    }

    private static void Collect(Graph g, Node n, SortedSet<int> into)
    {
        if (!into.Add(n.Id)) return;
        foreach (var a in n.Args) Collect(g, g[a], into);
    }

    // The nodes that vary with f and that root needs, in topological order (ids grow), minus those already written.
    private static SortedSet<int> Needed(Graph g, Node root, bool[] varies, SortedSet<int>? with = null)
    {
        var set = with == null ? new SortedSet<int>() : new SortedSet<int>(with);
        var stack = new Stack<Node>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (!varies[n.Id] || n.Op == OpTable.Input || !set.Add(n.Id)) continue;
            foreach (var a in n.Args) stack.Push(g[a]);
        }
        return set;
    }

    private static void WriteVectors(IndentedWriter w, Graph g, SortedSet<int> ids, bool[] varies, System.Func<int, string> reciprocal)
    {
        foreach (var id in ids)
            w.WriteLine($"TVec {Vector(id)} = {VectorCode(g, g[id], varies, reciprocal)};");
    }

    private static string Vector(int id) => "v" + id.ToString(CultureInfo.InvariantCulture);

    private static string VectorName(Graph g, Node n, bool[] varies)
    {
        if (n.Op == OpTable.Input) return "feature";
        if (!varies[n.Id]) return $"V.Broadcast({Field(n.Id)})";
        return Vector(n.Id);
    }

    private static string VectorCode(Graph g, Node n, bool[] varies, System.Func<int, string> reciprocal)
    {
        string A(int k) => VectorName(g, g[n.Args[k]], varies);
        if (IsScaledBy(n, 1, varies) && !varies[n.Args[1]]) return $"V.Mul({A(0)}, V.Broadcast({reciprocal(n.Args[1])}))";
        if (n.Op == OpTable.PowInt)
            return n.Index == 2 ? $"V.Sq({A(0)})" : $"V.PowInt({A(0)}, {n.Index.ToString(CultureInfo.InvariantCulture)})";
        // dist's square root: its value is sqrt; only its derivative differs from sqrt's (0 at f = 0).
        string name = n.Op == OpTable.DistSqrt ? "Sqrt" : n.Op.CpuName;
        return $"V.{name}({string.Join(", ", Enumerable.Range(0, n.Args.Length).Select(A))})";
    }
}
