using System;
using System.Collections.Generic;
using System.Globalization;
using KernelDsl.Generators.Emit;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Ops;

namespace KernelDsl.Generators.Cpu;

/// <summary>
/// The scalar epilogue of a sample formula's entry points (CPU, per-point fields and the GPU host code alike): the nodes
/// of the epilogue graph an expression needs, each a <c>double _e{id}</c> local written once, in id order.
/// </summary>
internal static class SampleEpilogue
{
    private const string ScalarMath = "global::KernelDsl.Runtime.ScalarMath<global::KernelDsl.Runtime.ScalarD>";

    /// <summary>
    /// Writes the nodes of <paramref name="g"/> that <paramref name="root"/> needs and that are not yet in
    /// <paramref name="written"/> (which receives them), and returns the C# name of <paramref name="root"/>.
    /// </summary>
    /// <param name="w">Where the locals are written.</param>
    /// <param name="g">The epilogue graph.</param>
    /// <param name="root">The node whose value is wanted.</param>
    /// <param name="written">The nodes already written (their locals exist); receives those written now.</param>
    /// <param name="name">The writer's names of leaves (constants, parameters, reductions and scalars).</param>
    public static string Write(IndentedWriter w, Graph g, Node root, HashSet<int> written, Func<Node, string> name)
    {
        var need = new SortedSet<int>();
        var stack = new Stack<Node>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (n.Op.Kind == OpKind.Leaf || written.Contains(n.Id) || !need.Add(n.Id)) continue;
            foreach (var a in n.Args) stack.Push(g[a]);
        }
        foreach (var id in need)
        {
            w.WriteLine($"double {Local(id)} = {NodeCode.Scalar(g, g[id], name, ScalarMath)};");
            written.Add(id);
        }
        return name(root);
    }

    /// <summary>The local of epilogue node <paramref name="id"/>.</summary>
    public static string Local(int id) => "_e" + id.ToString(CultureInfo.InvariantCulture);
}
