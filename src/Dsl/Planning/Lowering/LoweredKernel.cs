using System.Collections.Generic;
using System.Linq;
using KernelDsl.Language.Ir;

namespace KernelDsl.Language.Planning.Lowering;

/// <summary>One pass of a kernel, lowered: its reductions as descriptors with their slots, and its generated names.</summary>
internal sealed class LoweredPass
{
    internal LoweredPass(Graph graph, string kernel, Pass pass)
    {
        Pass = pass;
        var reductions = new List<ReductionDescriptor>();
        int slot = 0;
        foreach (var r in pass.Accumulators)
        {
            var d = ReductionDescriptor.For(graph, r, slot);
            reductions.Add(d);
            slot += d.Slots;
        }
        Reductions = reductions;
        Slots = slot;
        Name = LoweredNames.Pass(kernel, pass.Index);
        FinishName = LoweredNames.Finish(kernel, pass.Index);
    }

    /// <summary>The planned pass.</summary>
    public Pass Pass { get; }

    /// <summary>Position in its plan, from 0.</summary>
    public int Index => Pass.Index;

    /// <summary>One descriptor per accumulator, in the pass's order, with consecutive slots.</summary>
    public IReadOnlyList<ReductionDescriptor> Reductions { get; }

    /// <summary>Slots one row of this pass's partial results takes.</summary>
    public int Slots { get; }

    /// <summary>The pass's name (<c>{kernel}Pass{index}</c>): a job on the CPU, a kernel on a device.</summary>
    public string Name { get; }

    /// <summary>The name of the pass's second stage on a device (<c>{kernel}Finish{index}</c>).</summary>
    public string FinishName { get; }

    /// <summary>True when some reduction here is a sum (its partials may be added atomically).</summary>
    public bool HasSums => Reductions.Any(r => r.Additive);

    /// <summary>True when the pass has a second stage: reductions to merge, or a scalar epilogue.</summary>
    public bool HasFinish => Reductions.Count > 0 || Pass.Epilogue.Count > 0;
}

/// <summary>
/// One kernel of a declaration: a plan with a name and a number. Number 0 computes the value, 1 the value and every
/// gradient, 2 + i the value and the gradient of input i alone (a plan of its own, with fewer passes).
/// </summary>
internal sealed class LoweredKernel
{
    /// <summary>The number of the value kernel.</summary>
    public const int ValueNumber = 0;

    /// <summary>The number of the kernel of every gradient.</summary>
    public const int GradientNumber = 1;

    internal LoweredKernel(string name, int number, int? input, Plan plan, string summary)
    {
        Name = name;
        Number = number;
        Input = input;
        Plan = plan;
        Summary = summary;
        Passes = plan.Passes.Select(p => new LoweredPass(plan.Graph, name, p)).ToList();
        MaxSlots = Passes.Count == 0 ? 0 : Passes.Max(p => p.Slots);
    }

    /// <summary>Its name (<c>Value</c>, <c>Gradient</c>, <c>GradientOf_{input}</c>), the stem of every generated name it has.</summary>
    public string Name { get; }

    /// <summary>Which kernel it is, as generated code chooses one (see the class remarks).</summary>
    public int Number { get; }

    /// <summary>The input whose gradient alone it computes, or null.</summary>
    public int? Input { get; }

    /// <summary>The plan it runs.</summary>
    public Plan Plan { get; }

    /// <summary>One line on what it computes, for its documentation.</summary>
    public string Summary { get; }

    /// <summary>Its passes, lowered.</summary>
    public IReadOnlyList<LoweredPass> Passes { get; }

    /// <summary>The widest row of partial results any of its passes takes (0 without passes).</summary>
    public int MaxSlots { get; }

    /// <summary>True when it writes a gradient (every kernel but the value's).</summary>
    public bool IsGradient => Number != ValueNumber;

    /// <summary>
    /// True when the gradient of input <paramref name="input"/> may be written over that input: it is written in the last
    /// pass that reads the input (or after every pass, as a fill or zeros), so each element is read before it is
    /// overwritten, in the same iteration. False when this kernel does not write that gradient at all.
    /// </summary>
    public bool WritesInPlaceSafely(int input)
    {
        int written = Plan.Passes.Count; // fills and zero gradients come after every pass
        foreach (var pass in Plan.Passes)
            foreach (var w in pass.Writes)
                if (w.Input == input) written = pass.Index;
        if (written == Plan.Passes.Count && Plan.InputGradients[input] == null && !Plan.ZeroGradients.Contains(input)) return false;
        foreach (var pass in Plan.Passes)
            if (pass.Index > written && pass.Reads.Contains(input)) return false;
        return true;
    }
}
