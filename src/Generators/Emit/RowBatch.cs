using System.Collections.Generic;
using System.Linq;
using KernelDsl.Generators.Cpu;
using KernelDsl.Language;
using KernelDsl.Language.Ir;

namespace KernelDsl.Generators.Emit;

/// <summary>
/// What the CPU and GPU batch entry points share: the checks of the row-level spans (one value per row, labels in range
/// or the ignore index) with the count of rows not skipped, the gradient seed of a reduction, and the reduced value.
/// </summary>
internal static class RowBatch
{
    /// <summary>The seed every row's gradient is scaled by (before its upstream), as <c>double _seed</c>; an undefined reduction throws.</summary>
    public const string Seed = "double _seed = " + RuntimeNames.RowBatch + ".Seed(reduction, _rows, rowLength, _valid);";

    /// <summary>The reduced value of the row values' sum <c>_total</c>.</summary>
    public const string Reduced = RuntimeNames.RowBatch + ".Reduce(reduction, _total, _rows, rowLength, _valid)";

    /// <summary>The longest row a formula that indexes elements (a label gather, <c>s[y]</c>) accepts: element indices are
    /// compared in float inside the kernels, exact up to 2^24.</summary>
    public const int MaxIndexedLength = 1 << 24;

    /// <summary>True when the formula's kernels compare element indices (a label gather).</summary>
    public static bool IndexesElements(CompiledFormula c) =>
        c.ValuePlan is { } p && p.Graph.Nodes.Any(n => n.Op == KernelDsl.Language.Ops.OpTable.ElementIndex);

    /// <summary>Refuses a row longer than <see cref="MaxIndexedLength"/> when the formula indexes elements.</summary>
    public static void WriteIndexLimit(IndentedWriter w, CompiledFormula c, string length, string name)
    {
        if (!IndexesElements(c)) return;
        w.WriteLine($"if ({length} > {MaxIndexedLength}) throw new global::System.ArgumentOutOfRangeException(nameof({name}), {length}, \"A label gather compares element indices in float, exact up to 2^24 = 16,777,216 elements per row.\");");
    }

    /// <summary>The conditions under which row <paramref name="row"/> is skipped (a zero mask, a label equal to the ignore index).</summary>
    public static List<string> SkipConditions(CompiledFormula c, string row, string ignoreIndex = "ignoreIndex", string zero = "0")
    {
        var skip = new List<string>();
        for (int i = 0; i < c.RowInputNames.Count; i++)
        {
            string r = NodeCode.CSharp(c.RowInputNames[i]);
            if (c.RowInputKinds[i] == RowInputKind.Mask) skip.Add($"{r}[{row}] == {zero}");
            if (c.RowInputKinds[i] == RowInputKind.Label) skip.Add($"{r}[{row}] == {ignoreIndex}");
        }
        return skip;
    }

    /// <summary>Checks the row-level spans against <c>_rows</c> and counts the rows not skipped into <c>int _valid</c>.</summary>
    public static void WriteChecks(IndentedWriter w, CompiledFormula c)
    {
        foreach (var r in c.RowInputNames)
            w.WriteLine($"{RuntimeNames.RowBatch}.CheckRowInput({NodeCode.CSharp(r)}.Length, _rows, nameof({NodeCode.CSharp(r)}));");
        var skip = SkipConditions(c, "_r");
        if (skip.Count == 0)
        {
            w.WriteLine("int _valid = _rows;"); // no row is ever skipped
            return;
        }
        w.WriteLine("int _valid = 0;");
        using (w.Block("for (int _r = 0; _r < _rows; _r++)"))
        {
            for (int i = 0; i < c.RowInputNames.Count; i++)
            {
                if (c.RowInputKinds[i] != RowInputKind.Label) continue;
                string r = NodeCode.CSharp(c.RowInputNames[i]);
                w.WriteLine($"if ({r}[_r] != ignoreIndex && (uint){r}[_r] >= (uint)rowLength)");
                w.WriteLine($"    throw new global::System.ArgumentOutOfRangeException(nameof({r}), {r}[_r], $\"Row {{_r}}: label {{{r}[_r]}} is outside [0, {{rowLength}}) and is not the ignore index {{ignoreIndex}}.\");");
            }
            for (int i = 0; i < c.RowInputNames.Count; i++)
            {
                if (c.RowInputKinds[i] != RowInputKind.Mask) continue;
                string r = NodeCode.CSharp(c.RowInputNames[i]);
                w.WriteLine($"{RuntimeNames.RowBatch}.CheckMask({r}[_r], _r, nameof({r}));"); // a mask is 0/1 data: NaN is refused
            }
            w.WriteLine($"if (!({string.Join(" || ", skip)})) _valid++;");
        }
    }
}
