using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using KernelDsl.Generators.Emit;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Ops;
using KernelDsl.Language.Planning.Samples;

namespace KernelDsl.Generators.Cpu;

/// <summary>
/// Writes the terms of one point of a sample plan: one readonly struct per term, <c>IPointTerm</c>, holding the
/// formula's parameters and the row's row-level inputs, whose methods compute <c>h(u)</c> and <c>h'(u)</c> in double.
/// </summary>
internal static class SamplePointTermWriter
{
    private const string Runtime = "global::KernelDsl.Runtime";

    /// <summary>The name of term <paramref name="index"/>'s struct.</summary>
    public static string Name(int index) => "_PointTerm" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>Writes the struct of term <paramref name="index"/>.</summary>
    public static void Write(IndentedWriter w, SamplePointTerm term, int index)
    {
        var g = term.Graph;
        w.WriteLine($"/// <summary>The term of one point <c>h(u) = {CSharpText.XmlText(term.Describe())}</c> of a feature u of a point, and its slope <c>h'(u)</c>, in double.</summary>");
        using (w.Block($"private readonly struct {Name(index)} : {Runtime}.IPointTerm"))
        {
            for (int p = 0; p < g.ParameterNames.Count; p++)
                w.WriteLine($"private readonly double {Field(p)}; // {g.ParameterNames[p]}");
            if (g.ParameterNames.Count > 0) w.WriteLine();
            w.WriteLine("/// <summary>Holds the formula's parameters, then the row's row-level inputs.</summary>");
            string ctorParams = string.Join(", ", g.ParameterNames.Select(p => "double " + NodeCode.CSharp(p)));
            using (w.Block($"public {Name(index)}({ctorParams})"))
                for (int p = 0; p < g.ParameterNames.Count; p++)
                    w.WriteLine($"{Field(p)} = {NodeCode.CSharp(g.ParameterNames[p])};");
            w.WriteLine();
            w.WriteLine("/// <inheritdoc/>");
            Method(w, g, "Value", term.Value);
            w.WriteLine();
            w.WriteLine("/// <inheritdoc/>");
            Method(w, g, "Slope", term.Slope);
        }
    }

    private static void Method(IndentedWriter w, Graph g, string name, Node? root)
    {
        using (w.Block($"public double {name}(double _u)"))
        {
            if (root == null)
            {
                w.WriteLine("return 0.0;");
                return;
            }
            var need = new SortedSet<int>();
            var stack = new Stack<Node>();
            stack.Push(root);
            while (stack.Count > 0)
            {
                var n = stack.Pop();
                if (n.Op.Kind == OpKind.Leaf || !need.Add(n.Id)) continue;
                foreach (var a in n.Args) stack.Push(g[a]);
            }
            foreach (var id in need)
                w.WriteLine($"double {Local(id)} = {NodeCode.Scalar(g, g[id], n => NameOf(g, n), Runtime + ".ScalarMath<" + Runtime + ".ScalarD>")};");
            w.WriteLine($"return {NameOf(g, root)};");
        }
    }

    private static string Field(int p) => "_q" + p.ToString(CultureInfo.InvariantCulture);

    private static string Local(int id) => "_s" + id.ToString(CultureInfo.InvariantCulture);

    private static string NameOf(Graph g, Node n)
    {
        if (n.Op == OpTable.Constant) return NodeCode.Double(n.Constant);
        if (n.Op == OpTable.Parameter) return Field(n.Index);
        if (n.Op == OpTable.Input) return "_u";
        return Local(n.Id);
    }
}
