using System.Linq;
using KernelDsl.Language.Planning.Lowering;

namespace KernelDsl.Generators.Cpu;

/// <summary>
/// How the CPU kernels spell a reduction's descriptor: its chunk's slots reset, its SIMD lanes declared and stepped, its
/// lanes flushed into the chunk's slots once per block. The only branch is on the descriptor's form.
/// </summary>
internal static class CpuReductions
{
    /// <summary>Resets the reduction's slots of the chunk's partials row <c>_acc</c> to its identity.</summary>
    public static string Reset(ReductionDescriptor d) =>
        string.Join(" ", d.States.Select(s => $"_acc[{s.Slot}] = {NodeCode.Double(s.Identity)};"));

    /// <summary>Declares the reduction's lanes for one block, at its identity.</summary>
    public static string Declare(ReductionDescriptor d, CpuType t) =>
        "TVec " + string.Join(", ", d.States.Select(s => $"{s.Local} = {VectorIdentity(s.Identity, t)}")) + ";";

    /// <summary>Folds the lanes <paramref name="x"/> of one step into the reduction's lanes.</summary>
    public static string Step(ReductionDescriptor d, string x) => d.Form switch
    {
        ReductionForm.MaxAndSum => $"V.LseAccumulate(ref {d.RunningMax}, ref {d.Accumulator}, {x});",
        ReductionForm.Add => $"{d.Accumulator} = V.Add({d.Accumulator}, {x});",
        _ => $"{d.Accumulator} = V.{d.Name}({d.Accumulator}, {x});",
    };

    /// <summary>Merges the reduction's lanes, across, into its slots of the chunk's partials row <c>_acc</c> (in double).</summary>
    public static string Flush(ReductionDescriptor d, CpuType t)
    {
        string at = $"_acc[{d.Offset}]";
        return d.Form switch
        {
            ReductionForm.MaxAndSum => $"V.LseCombine({d.RunningMax}, {d.Accumulator}, ref {at}, ref _acc[{d.Offset + 1}]);",
            ReductionForm.Add => $"{at} += V.SumToDouble({d.Accumulator});",
            _ => $"{at} = global::KernelDsl.Runtime.Partials.{d.Name}({at}, {t.ToDouble($"V.{d.Name}Across({d.Accumulator})")});",
        };
    }

    /// <summary>
    /// <paramref name="x"/> in the lanes where <paramref name="keep"/> is 1 and the reduction's identity where it is 0 (the
    /// lanes of a chunk's overlapping last vector that were already counted), so that each element reaches it once. A kept
    /// lane keeps x's bits: it is x - (+0), which is x even for -0 (x + (+0) would turn -0 into +0, and max and min tell
    /// the zeros apart); a dropped lane is +0 - (-identity), the identity.
    /// </summary>
    public static string Masked(ReductionDescriptor d, string x, string keep, string one, CpuType t)
    {
        string kept = $"V.SelectEq({keep}, {one}, {x})";
        double identity = d.States[0].Identity;
        return d.Form == ReductionForm.Add || identity == 0 ? kept : $"V.Sub({kept}, V.SelectEq({keep}, V.Zero, {VectorIdentity(-identity, t)}))";
    }

    /// <summary>The scalar <c>_s{id}</c> of the reduction: the chunks' partials merged in chunk order by the runtime.</summary>
    public static string Combine(ReductionDescriptor d, string array, string count, int stride) =>
        $"double {d.Scalar} = global::KernelDsl.Runtime.ChunkPartials.{d.Name}({array}, {count}, {stride}, {d.Offset});";

    private static string VectorIdentity(double identity, CpuType t) =>
        identity == 0 ? "V.Zero"
        : double.IsNegativeInfinity(identity) ? $"V.Broadcast({t.Keyword}.NegativeInfinity)"
        : double.IsPositiveInfinity(identity) ? $"V.Broadcast({t.Keyword}.PositiveInfinity)"
        : $"V.Broadcast({t.Literal(identity)})";
}
