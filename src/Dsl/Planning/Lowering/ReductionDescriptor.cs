using System;
using System.Collections.Generic;
using System.Globalization;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Ops;

namespace KernelDsl.Language.Planning.Lowering;

/// <summary>
/// The shape of a reduction's running state, which is all a backend needs to know to write its update, its merge with
/// another partial result and its value: three shapes cover sum, max, min and logsumexp.
/// </summary>
internal enum ReductionForm
{
    /// <summary>One running value that each element is added to (sum): partials may also be added atomically.</summary>
    Add,

    /// <summary>One running value replaced by the larger (max) or the smaller (min) of itself and each element.</summary>
    Select,

    /// <summary>A running max and a sum of exponentials relative to it (logsumexp): two slots, read as max + log(sum).</summary>
    MaxAndSum,
}

/// <summary>One part of a reduction's running state: the local that holds it, its value on an empty support, its slot.</summary>
internal readonly struct ReductionState
{
    internal ReductionState(string local, double identity, int slot)
    {
        Local = local;
        Identity = identity;
        Slot = slot;
    }

    /// <summary>The local that holds this part while a loop runs (<c>_a{id}</c>, or <c>_m{id}</c> for a running max).</summary>
    public string Local { get; }

    /// <summary>The value it starts from: the reduction's value on an empty support (0, -inf or +inf).</summary>
    public double Identity { get; }

    /// <summary>Its slot in the pass's row of partial results.</summary>
    public int Slot { get; }
}

/// <summary>
/// One reduction a pass accumulates, as data: its form, the runtime's name for it, its state (locals, identities and
/// slots in the partials row). This is the one place that tells sum, max, min and logsumexp apart; the emitters format
/// these facts and have no case per reduction.
/// </summary>
internal sealed class ReductionDescriptor
{
    private ReductionDescriptor(Node node, Node argument, ReductionForm form, string name, int offset, ReductionState[] states)
    {
        Node = node;
        Argument = argument;
        Form = form;
        Name = name;
        Offset = offset;
        States = states;
    }

    /// <summary>The reduction node.</summary>
    public Node Node { get; }

    /// <summary>The vector node it reduces.</summary>
    public Node Argument { get; }

    /// <summary>The shape of its running state.</summary>
    public ReductionForm Form { get; }

    /// <summary>
    /// The runtime's name for this reduction, the method that merges or finishes it wherever it is merged
    /// (<c>Sum</c>, <c>Max</c>, <c>Min</c>, <c>LogSumExp</c>); for <see cref="ReductionForm.Select"/> also the
    /// element-wise choice (<c>Max</c> or <c>Min</c>).
    /// </summary>
    public string Name { get; }

    /// <summary>Its first slot in the pass's row of partial results.</summary>
    public int Offset { get; }

    /// <summary>The parts of its running state, in slot order (the running max first for logsumexp).</summary>
    public IReadOnlyList<ReductionState> States { get; }

    /// <summary>Slots it takes in a row of partial results.</summary>
    public int Slots => States.Count;

    /// <summary>The local of the running value (the sum of exponentials for logsumexp).</summary>
    public string Accumulator => States[States.Count - 1].Local;

    /// <summary>The local of the running max (logsumexp only).</summary>
    public string RunningMax => Form == ReductionForm.MaxAndSum ? States[0].Local : throw new InvalidOperationException("Only logsumexp keeps a running max.");

    /// <summary>The scalar the reduced value is held in once the pass is done (<c>_s{id}</c>).</summary>
    public string Scalar => LoweredNames.Scalar(Node);

    /// <summary>True when partial results may be added in any order (atomically): a sum.</summary>
    public bool Additive => Form == ReductionForm.Add;

    /// <summary>The descriptor of <paramref name="reduction"/> taking slots from <paramref name="offset"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="reduction"/> is not a reduction a pass accumulates.</exception>
    public static ReductionDescriptor For(Graph graph, Node reduction, int offset)
    {
        string id = reduction.Id.ToString(CultureInfo.InvariantCulture);
        Node argument = graph[reduction.Args[0]];
        ReductionState Running(double identity, int at) => new("_a" + id, identity, offset + at);
        if (reduction.Op == OpTable.Sum)
            return new(reduction, argument, ReductionForm.Add, "Sum", offset, new[] { Running(0.0, 0) });
        if (reduction.Op == OpTable.MaxReduce)
            return new(reduction, argument, ReductionForm.Select, "Max", offset, new[] { Running(double.NegativeInfinity, 0) });
        if (reduction.Op == OpTable.MinReduce)
            return new(reduction, argument, ReductionForm.Select, "Min", offset, new[] { Running(double.PositiveInfinity, 0) });
        if (reduction.Op == OpTable.LogSumExp)
            return new(reduction, argument, ReductionForm.MaxAndSum, "LogSumExp", offset,
                new[] { new ReductionState("_m" + id, double.NegativeInfinity, offset), Running(0.0, 1) });
        throw new ArgumentException($"'{reduction.Op.Name}' is not a reduction a pass accumulates.", nameof(reduction));
    }
}
