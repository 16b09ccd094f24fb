using KernelDsl.Generators.Emit;
using System.Collections.Generic;
using KernelDsl.Generators.Cpu;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Ops;
using KernelDsl.Language.Planning;

namespace KernelDsl.Generators.Gpu;

/// <summary>
/// Where a plan's scalars live on the device: per row, a block of doubles with one slot per parameter, row-level input,
/// prologue node, reduction and epilogue node (and per constant the host must hand over, such as a constant gradient to
/// fill), then the row's seed and skip flag. The host writes the slots it knows before the first pass; each pass's
/// second stage writes its reductions and epilogue.
/// </summary>
internal sealed class GpuScalars
{
    private readonly Dictionary<int, int> _slots = new();
    private readonly List<Node> _hostKnown = new();

    public GpuScalars(Plan plan)
    {
        var g = plan.Graph;
        foreach (var n in g.Nodes)
            if (n.Op == OpTable.Parameter || n.Op == OpTable.RowInput) Host(n);
        foreach (var n in plan.Prologue) Host(n);
        foreach (var pass in plan.Passes)
        {
            foreach (var r in pass.Accumulators) Add(r);
            foreach (var n in pass.Epilogue) Add(n);
        }
        foreach (var f in plan.Fills) Host(f.Gradient);
        foreach (var p in plan.ParameterGradients) if (p != null) Host(p);
        Host(plan.Value);
    }

    /// <summary>Slots per row: the nodes', then the row's gradient seed, then its skip flag (1 for a skipped row).</summary>
    public int Count => _slots.Count + 2;

    /// <summary>The slot of the row's gradient seed (the reduction's scale times the row's upstream).</summary>
    public int Seed => _slots.Count;

    /// <summary>The slot of the row's skip flag.</summary>
    public int Skip => _slots.Count + 1;

    /// <summary>The nodes the host computes and uploads, in an order that computes arguments first.</summary>
    public IReadOnlyList<Node> HostKnown => _hostKnown;

    public int Slot(Node n) => _slots[n.Id];

    /// <summary>A scalar inside a kernel: a literal, n (the row's length), or its slot of the row's block of <c>_s</c>.</summary>
    public string Device(Node n)
    {
        if (n.Op == OpTable.Constant) return NodeCode.Double(n.Constant);
        if (n.Op == OpTable.Length) return "(double)n";
        return $"_s[{CSharpText.Plus("_base", _slots[n.Id])}]";
    }

    private void Add(Node n)
    {
        if (!_slots.ContainsKey(n.Id)) _slots[n.Id] = _slots.Count;
    }

    private void Host(Node n)
    {
        if (_slots.ContainsKey(n.Id)) return;
        Add(n);
        _hostKnown.Add(n);
    }
}
