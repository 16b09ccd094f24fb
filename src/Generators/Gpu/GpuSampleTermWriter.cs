using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using KernelDsl.Generators.Cpu;
using KernelDsl.Generators.Emit;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Ops;
using KernelDsl.Language.Planning.Samples;

namespace KernelDsl.Generators.Gpu;

/// <summary>
/// Writes the GPU pair terms of a sample plan: one private readonly struct per term, <c>IGpuPairTerm&lt;T&gt;</c> over
/// float and double. The term's parameter-only subexpressions are folded on the host, in double, into the slots of a
/// <c>GpuPairConstants&lt;T&gt;</c> (the only part of the term that reaches the kernel, as its argument); <c>φ(f)</c> and
/// <c>φ'(f)</c> are static methods over those constants, written with <c>GpuMath&lt;T&gt;</c> as the vector kernels are,
/// with their common subexpressions shared.
/// </summary>
internal static class GpuSampleTermWriter
{
    private const string Gpu = "global::KernelDsl.Runtime.Gpu";

    /// <summary>The name of term <paramref name="index"/>'s struct.</summary>
    public static string Name(int index) => "_PairTerm" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The constants term <paramref name="term"/> keeps: the invariant nodes its varying nodes read, and an invariant value
    /// or slope; literals too (but 0 and 1, which are <c>_T.Zero</c> and <c>_T.One</c>), since a kernel cannot convert a
    /// double to a generic <c>_T</c>.
    /// </summary>
    public static SortedSet<int> Constants(SamplePairTerm term)
    {
        var g = term.Graph;
        var varies = Varies(g);
        var needed = Needed(g, term.Value, varies);
        if (term.Slope is { } s) needed = Needed(g, s, varies, needed);
        var constants = new SortedSet<int>();
        foreach (var id in needed)
            foreach (var a in g[id].Args)
                if (!varies[a] && !IsZeroOrOne(g[a])) constants.Add(a);
        foreach (var r in new[] { term.Value, term.Slope })
            if (r != null && !varies[r.Id] && !IsZeroOrOne(r)) constants.Add(r.Id);
        return constants;
    }

    /// <summary>Writes the struct of term <paramref name="index"/>.</summary>
    public static void Write(IndentedWriter w, SamplePairTerm term, int index, IReadOnlyList<string> parameters)
    {
        var g = term.Graph;
        var varies = Varies(g);
        var value = Needed(g, term.Value, varies);
        var both = term.Slope is { } s ? Needed(g, s, varies, value) : value;
        var slots = new Dictionary<int, int>();
        foreach (var id in Constants(term)) slots[id] = slots.Count;

        var (member, words) = SampleTermWriter.Feature(term.Feature);
        w.WriteLine($"/// <summary>The pair term <c>φ(f) = {CSharpText.XmlText(term.Describe())}</c> of the pair feature <c>{words}</c>, and its slope <c>φ'(f)</c>, on the device.</summary>");
        w.WriteLine($"private readonly struct {Name(index)}<_T> : {Gpu}.IGpuPairTerm<_T>");
        w.WriteLine("    where _T : unmanaged, global::System.Numerics.IFloatingPointIeee754<_T>");
        using (w.Block())
        {
            // A term of f alone keeps no constants: its Constants are the empty set (default).
            if (slots.Count > 0)
            {
                w.WriteLine($"private readonly {Gpu}.GpuPairConstants<_T> _c;");
                w.WriteLine();
            }
            w.WriteLine("/// <summary>Folds the parameter-only subexpressions of the term into its constants, once per call, in double.</summary>");
            using (w.Block($"public {Name(index)}({string.Join(", ", parameters.Select(p => "double " + NodeCode.CSharp(p)))})"))
            {
                var scalars = new SortedSet<int>();
                foreach (var id in slots.Keys) Collect(g, g[id], scalars);
                foreach (var id in scalars)
                {
                    var n = g[id];
                    if (n.Op.Kind == OpKind.Leaf) continue;
                    w.WriteLine($"double {Local(id)} = {NodeCode.Scalar(g, n, a => ScalarName(g, a), "global::KernelDsl.Runtime.ScalarMath<global::KernelDsl.Runtime.ScalarD>")};");
                }
                foreach (var kv in slots)
                    w.WriteLine($"_c.C{kv.Value.ToString(CultureInfo.InvariantCulture)} = _T.CreateTruncating({ScalarName(g, g[kv.Key])}); // {Language.Planning.PlanPrinter.Formula(g, g[kv.Key])}");
            }
            w.WriteLine();
            w.WriteLine("/// <inheritdoc/>");
            w.WriteLine($"public static global::KernelDsl.Runtime.PairFeature Feature => global::KernelDsl.Runtime.PairFeature.{member};");
            w.WriteLine();
            w.WriteLine("/// <inheritdoc/>");
            w.WriteLine($"public {Gpu}.GpuPairConstants<_T> Constants => {(slots.Count > 0 ? "_c" : "default")};");
            w.WriteLine();
            w.WriteLine("/// <inheritdoc/>");
            using (w.Block($"public static _T Value({Gpu}.GpuPairConstants<_T> c, _T feature)"))
            {
                WriteLocals(w, g, value, varies, slots);
                w.WriteLine($"return {Name(g, term.Value, varies, slots)};");
            }
            w.WriteLine();
            w.WriteLine("/// <inheritdoc/>");
            using (w.Block($"public static _T ValueAndSlope({Gpu}.GpuPairConstants<_T> c, _T feature, out _T slope)"))
            {
                WriteLocals(w, g, both, varies, slots);
                w.WriteLine($"slope = {(term.Slope is { } sl ? Name(g, sl, varies, slots) : "_T.Zero")};");
                w.WriteLine($"return {Name(g, term.Value, varies, slots)};");
            }
        }
    }

    private static bool[] Varies(Graph g)
    {
        var varies = new bool[g.Nodes.Count];
        foreach (var n in g.Nodes) varies[n.Id] = n.Op == OpTable.Input || n.Args.Any(a => varies[a]);
        return varies;
    }

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

    // The nodes that vary with f and that root needs, in topological order (ids grow), plus those of `with`.
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

    private static void WriteLocals(IndentedWriter w, Graph g, SortedSet<int> ids, bool[] varies, Dictionary<int, int> slots)
    {
        foreach (var id in ids)
            w.WriteLine($"_T v{id.ToString(CultureInfo.InvariantCulture)} = {Code(g, g[id], varies, slots)};");
    }

    // A node inside Value: f, 0 or 1, a constant slot (other literals too), or a local.
    private static string Name(Graph g, Node n, bool[] varies, Dictionary<int, int> slots)
    {
        if (n.Op == OpTable.Input) return "feature";
        if (n.Op == OpTable.Constant && n.Constant == 0) return "_T.Zero";
        if (n.Op == OpTable.Constant && n.Constant == 1) return "_T.One";
        if (!varies[n.Id]) return "c.C" + slots[n.Id].ToString(CultureInfo.InvariantCulture);
        return "v" + n.Id.ToString(CultureInfo.InvariantCulture);
    }

    private static string Code(Graph g, Node n, bool[] varies, Dictionary<int, int> slots)
    {
        const string math = Gpu + ".GpuMath<_T>";
        string A(int k) => Name(g, g[n.Args[k]], varies, slots);
        if (n.Op == OpTable.Add) return $"{A(0)} + {A(1)}";
        if (n.Op == OpTable.Sub) return $"{A(0)} - {A(1)}";
        if (n.Op == OpTable.Mul) return $"{A(0)} * {A(1)}";
        if (n.Op == OpTable.Div) return $"{A(0)} / {A(1)}";
        if (n.Op == OpTable.Neg) return $"-{A(0)}";
        if (n.Op == OpTable.PowInt) return $"{math}.PowInt({A(0)}, {n.Index.ToString(CultureInfo.InvariantCulture)})";
        // dist's square root: its value is sqrt; only its derivative differs from sqrt's (0 at f = 0).
        string name = n.Op == OpTable.DistSqrt ? "Sqrt" : n.Op.CpuName;
        return $"{math}.{name}({string.Join(", ", Enumerable.Range(0, n.Args.Length).Select(A))})";
    }

    private static bool IsZeroOrOne(Node n) => n.Op == OpTable.Constant && (n.Constant == 0 || n.Constant == 1);
}
