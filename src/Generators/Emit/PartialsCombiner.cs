using KernelDsl.Language.Ir;
using KernelDsl.Language.Ops;
using KernelDsl.Language.Planning;

namespace KernelDsl.Generators.Emit;

/// <summary>
/// Writes the host-side second stage of a pass: each accumulator's partials (per CPU chunk, or per GPU thread) combined in
/// index order into the scalar <c>_s{id}</c>, so the result does not depend on how the partials were scheduled.
/// </summary>
internal static class PartialsCombiner
{
    /// <summary>Slots an accumulator takes in a partials row (logsumexp keeps a max and a sum).</summary>
    public static int Slots(Node reduction) => reduction.Op == OpTable.LogSumExp ? 2 : 1;

    /// <param name="w">The writer.</param>
    /// <param name="pass">The pass whose accumulators to combine.</param>
    /// <param name="array">The partials array expression (<c>_partials</c>, <c>_host0</c>).</param>
    /// <param name="index">The loop variable over partial rows.</param>
    /// <param name="count">The number of partial rows.</param>
    /// <param name="stride">Slots per partial row.</param>
    public static void Write(IndentedWriter w, Pass pass, string array, string index, string count, int stride)
    {
        string At(int slot) => $"{array}[{index} * {stride} + {slot}]";
        string loop = $"for (int {index} = 0; {index} < {count}; {index}++)";
        int s = 0;
        foreach (var r in pass.Accumulators)
        {
            string v = "_s" + r.Id;
            if (r.Op == OpTable.Sum)
            {
                w.WriteLine($"double {v} = 0.0;");
                w.WriteLine($"{loop} {v} += {At(s)};");
            }
            else if (r.Op == OpTable.LogSumExp)
            {
                w.WriteLine($"double {v}_max = double.NegativeInfinity, {v}_sum = 0.0;");
                w.WriteLine($"{loop} global::KernelDsl.Runtime.LogSumExp.Combine(ref {v}_max, ref {v}_sum, {At(s)}, {At(s + 1)});");
                w.WriteLine($"double {v} = global::KernelDsl.Runtime.LogSumExp.Finish({v}_max, {v}_sum);");
            }
            else
            {
                bool max = r.Op == OpTable.MaxReduce;
                w.WriteLine($"double {v} = {(max ? "double.NegativeInfinity" : "double.PositiveInfinity")};");
                w.WriteLine($"{loop} {v} = global::KernelDsl.Runtime.Partials.{(max ? "Max" : "Min")}({v}, {At(s)});");
            }
            s += Slots(r);
        }
    }
}
