using System.Globalization;
using System.Linq;
using KernelDsl.Generators.Cpu;
using KernelDsl.Generators.Emit;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Ops;
using KernelDsl.Language.Planning;
using KernelDsl.Language.Planning.Lowering;

namespace KernelDsl.Generators.Gpu;

/// <summary>
/// The pieces a pass takes inside any GPU kernel (a group's grid-stride pass over a segment of a row, or over a whole row):
/// the per-thread accumulators, the element body (loads widened by the storage <c>TS</c>, float math, double accumulation,
/// gradient writes scaled by the seed and rounded by <c>TS</c>)
/// and the group reduction that leaves every thread of the group holding the pass's reductions. Each reduction is
/// spelled from its descriptor; the only branch is on the descriptor's form.
/// </summary>
internal static class GpuKernelBody
{
    public const string FloatMath = "global::KernelDsl.Runtime.Gpu.GpuMath<float>";
    public const string DoubleMath = "global::KernelDsl.Runtime.Gpu.GpuMath<double>";

    /// <summary>Declares the pass's per-thread accumulators.</summary>
    public static void Initialize(IndentedWriter w, LoweredPass pass)
    {
        foreach (var r in pass.Reductions)
            w.WriteLine("double " + string.Join(", ", r.States.Select(s => $"{s.Local} = {NodeCode.Double(s.Identity)}")) + ";");
    }

    /// <summary>Folds <paramref name="values"/> into the reduction: one element, or (for a partial result) one per slot.</summary>
    public static string Merge(ReductionDescriptor r, params string[] values) => r.Form switch
    {
        ReductionForm.MaxAndSum => values.Length == 1
            ? $"global::KernelDsl.Runtime.Gpu.GpuAccumulate.LseStep(ref {r.RunningMax}, ref {r.Accumulator}, {values[0]});"
            : $"global::KernelDsl.Runtime.LogSumExp.Combine(ref {r.RunningMax}, ref {r.Accumulator}, {string.Join(", ", values)});",
        ReductionForm.Add => $"{r.Accumulator} += {values[0]};",
        _ => $"{r.Accumulator} = global::KernelDsl.Runtime.Partials.{r.Name}({r.Accumulator}, {values[0]});",
    };

    /// <summary>One element: <paramref name="at"/> indexes the views, <paramref name="index"/> is the element's index for <c>i</c>.</summary>
    public static void Element(IndentedWriter w, Graph g, LoweredPass lowered, string at, string index)
    {
        var pass = lowered.Pass;
        foreach (var r in pass.Reads) w.WriteLine($"float {LoweredNames.Loaded(g.InputNames[r])} = TS.Load({NodeCode.CSharp(g.InputNames[r])}[{at}]);");
        if (pass.UsesElementIndex) w.WriteLine($"float _index = {index};");
        foreach (var node in pass.Elementwise) w.WriteLine($"float _v{node.Id} = {Expression(g, node)};");
        foreach (var r in lowered.Reductions) w.WriteLine(Merge(r, Name(g, r.Argument)));
        foreach (var wr in pass.Writes)
            w.WriteLine($"if ((_writes & {1 << wr.Input}) != 0) {LoweredNames.Gradient(g.InputNames[wr.Input])}[{at}] = TS.Store(_seed * {Name(g, wr.Gradient)});");
    }

    /// <summary>The kernel's one shared buffer, for all its group reductions (written where the kernel reduces).</summary>
    public static void AllocateShared(IndentedWriter w) =>
        w.WriteLine("var _shared = global::ILGPU.SharedMemory.Allocate<double>(global::KernelDsl.Runtime.Gpu.GpuGroup.SharedLength);");

    /// <summary>Reduces each accumulator across the group (fixed tree order); every thread gets the group's value.</summary>
    public static void ReduceGroup(IndentedWriter w, LoweredPass pass)
    {
        foreach (var r in pass.Reductions)
        {
            string group = "global::KernelDsl.Runtime.Gpu.GpuGroup." + r.Name;
            // A state of two parts is reduced in place; one part is returned.
            w.WriteLine(r.Slots > 1
                ? $"{group}({string.Join(", ", r.States.Select(s => "ref " + s.Local))}, _shared);"
                : $"{r.Accumulator} = {group}({r.Accumulator}, _shared);");
        }
    }

    /// <summary>The value of a reduced accumulator (logsumexp: max + log sum).</summary>
    public static string Result(ReductionDescriptor r) => r.Form == ReductionForm.MaxAndSum
        ? $"global::KernelDsl.Runtime.LogSumExp.Finish({r.RunningMax}, {r.Accumulator})"
        : r.Accumulator;

    /// <summary>The local (or literal) holding a node inside the element loop.</summary>
    public static string Name(Graph g, Node n)
    {
        if (n.Op == OpTable.Input) return LoweredNames.Loaded(g.InputNames[n.Index]);
        if (n.Op == OpTable.ElementIndex) return "_index";
        if (n.Op == OpTable.Constant) return CpuType.Float.Literal(n.Constant);
        if (!n.IsVector) return LoweredNames.Invariant(n);
        return LoweredNames.Element(n);
    }

    private static string Expression(Graph g, Node n)
    {
        string A(int k) => Name(g, g[n.Args[k]]);
        if (n.Op == OpTable.PowInt) return $"{FloatMath}.PowInt({A(0)}, {n.Index.ToString(CultureInfo.InvariantCulture)})";
        return $"{FloatMath}.{n.Op.CpuName}({string.Join(", ", Enumerable.Range(0, n.Args.Length).Select(A))})";
    }
}
