using System.Globalization;
using System.Linq;
using KernelDsl.Generators.Cpu;
using KernelDsl.Generators.Emit;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Ops;
using KernelDsl.Language.Planning;

namespace KernelDsl.Generators.Gpu;

/// <summary>
/// The pieces a pass takes inside any GPU kernel (a group's grid-stride pass over a segment of a row, or over a whole row):
/// the per-thread accumulators, the element body (loads widened by the storage <c>TS</c>, float math, double accumulation,
/// gradient writes scaled by the seed and rounded by <c>TS</c>)
/// and the group reduction that leaves every thread of the group holding the pass's reductions.
/// </summary>
internal static class GpuKernelBody
{
    public const string FloatMath = "global::KernelDsl.Runtime.Gpu.GpuMath<float>";
    public const string DoubleMath = "global::KernelDsl.Runtime.Gpu.GpuMath<double>";

    /// <summary>Declares the pass's per-thread accumulators.</summary>
    public static void Initialize(IndentedWriter w, Pass pass)
    {
        foreach (var r in pass.Accumulators)
        {
            if (r.Op == OpTable.Sum) w.WriteLine($"double _a{r.Id} = 0.0;");
            else if (r.Op == OpTable.LogSumExp) w.WriteLine($"double _m{r.Id} = double.NegativeInfinity, _a{r.Id} = 0.0;");
            else w.WriteLine($"double _a{r.Id} = {(r.Op == OpTable.MaxReduce ? "double.NegativeInfinity" : "double.PositiveInfinity")};");
        }
    }

    /// <summary>One element: <paramref name="at"/> indexes the views, <paramref name="index"/> is the element's index for <c>i</c>.</summary>
    public static void Element(IndentedWriter w, Graph g, Pass pass, string at, string index)
    {
        foreach (var r in pass.Reads) w.WriteLine($"float _in_{g.InputNames[r]} = TS.Load({NodeCode.CSharp(g.InputNames[r])}[{at}]);");
        if (pass.UsesElementIndex) w.WriteLine($"float _index = {index};");
        foreach (var node in pass.Elementwise) w.WriteLine($"float _v{node.Id} = {Expression(g, node)};");
        foreach (var r in pass.Accumulators)
        {
            string x = Name(g, g[r.Args[0]]);
            if (r.Op == OpTable.Sum) w.WriteLine($"_a{r.Id} += {x};");
            else if (r.Op == OpTable.LogSumExp) w.WriteLine($"global::KernelDsl.Runtime.Gpu.GpuAccumulate.LseStep(ref _m{r.Id}, ref _a{r.Id}, {x});");
            else w.WriteLine($"_a{r.Id} = global::KernelDsl.Runtime.Partials.{(r.Op == OpTable.MaxReduce ? "Max" : "Min")}(_a{r.Id}, {x});");
        }
        foreach (var wr in pass.Writes)
            w.WriteLine($"if ((_writes & {1 << wr.Input}) != 0) _grad_{g.InputNames[wr.Input]}[{at}] = TS.Store(_seed * {Name(g, wr.Gradient)});");
    }

    /// <summary>The kernel's one shared buffer, for all its group reductions (written where the kernel reduces).</summary>
    public static void AllocateShared(IndentedWriter w) =>
        w.WriteLine("var _shared = global::ILGPU.SharedMemory.Allocate<double>(global::KernelDsl.Runtime.Gpu.GpuGroup.SharedLength);");

    /// <summary>Reduces each accumulator across the group (fixed tree order); every thread gets the group's value.</summary>
    public static void ReduceGroup(IndentedWriter w, Pass pass)
    {
        foreach (var r in pass.Accumulators)
        {
            if (r.Op == OpTable.Sum) w.WriteLine($"_a{r.Id} = global::KernelDsl.Runtime.Gpu.GpuGroup.Sum(_a{r.Id}, _shared);");
            else if (r.Op == OpTable.LogSumExp) w.WriteLine($"global::KernelDsl.Runtime.Gpu.GpuGroup.LogSumExp(ref _m{r.Id}, ref _a{r.Id}, _shared);");
            else w.WriteLine($"_a{r.Id} = global::KernelDsl.Runtime.Gpu.GpuGroup.{(r.Op == OpTable.MaxReduce ? "Max" : "Min")}(_a{r.Id}, _shared);");
        }
    }

    /// <summary>The value of a reduced accumulator (logsumexp: max + log sum).</summary>
    public static string Result(Node r) => r.Op == OpTable.LogSumExp ? $"global::KernelDsl.Runtime.LogSumExp.Finish(_m{r.Id}, _a{r.Id})" : $"_a{r.Id}";

    /// <summary>The local (or literal) holding a node inside the element loop.</summary>
    public static string Name(Graph g, Node n)
    {
        if (n.Op == OpTable.Input) return "_in_" + g.InputNames[n.Index];
        if (n.Op == OpTable.ElementIndex) return "_index";
        if (n.Op == OpTable.Constant) return CpuType.Float.Literal(n.Constant);
        if (!n.IsVector) return "_b" + n.Id;
        return "_v" + n.Id;
    }

    private static string Expression(Graph g, Node n)
    {
        string A(int k) => Name(g, g[n.Args[k]]);
        if (n.Op == OpTable.PowInt) return $"{FloatMath}.PowInt({A(0)}, {n.Index.ToString(CultureInfo.InvariantCulture)})";
        return $"{FloatMath}.{n.Op.CpuName}({string.Join(", ", Enumerable.Range(0, n.Args.Length).Select(A))})";
    }
}
