using KernelDsl.Language.Ir;
using KernelDsl.Language.Ops;
using KernelDsl.Language.Planning;

namespace KernelDsl.Generators.Emit;

/// <summary>
/// Writes the host-side second stage of a CPU pass: each accumulator's partials (one row per chunk) combined in chunk
/// order into the scalar <c>_s{id}</c> by the runtime, so the result does not depend on how the chunks were scheduled.
/// </summary>
internal static class PartialsCombiner
{
    /// <summary>Slots an accumulator takes in a partials row (logsumexp keeps a max and a sum).</summary>
    public static int Slots(Node reduction) => reduction.Op == OpTable.LogSumExp ? 2 : 1;

    /// <param name="w">The writer.</param>
    /// <param name="pass">The pass whose accumulators to combine.</param>
    /// <param name="array">The partials pointer (<c>_partials</c>).</param>
    /// <param name="count">The number of partial rows.</param>
    /// <param name="stride">Slots per partial row.</param>
    public static void Write(IndentedWriter w, Pass pass, string array, string count, int stride)
    {
        int s = 0;
        foreach (var r in pass.Accumulators)
        {
            string method = r.Op == OpTable.Sum ? "Sum" : r.Op == OpTable.LogSumExp ? "LogSumExp" : r.Op == OpTable.MaxReduce ? "Max" : "Min";
            w.WriteLine($"double _s{r.Id} = global::KernelDsl.Runtime.ChunkPartials.{method}({array}, {count}, {stride}, {s});");
            s += Slots(r);
        }
    }
}
