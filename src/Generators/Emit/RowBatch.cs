using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using KernelDsl.Generators.Cpu;
using KernelDsl.Language.Planning.Lowering;

namespace KernelDsl.Generators.Emit;

/// <summary>
/// What the CPU and GPU entry points share: the checks of the row-level spans (one value per row, labels in range or
/// the ignore index) with the count of rows not skipped, the gradient seed of a reduction, the reduced value, and the
/// C# spelling of the lowered plan's skip and in-place rules.
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

    /// <summary>Refuses a row longer than <see cref="MaxIndexedLength"/> when the formula indexes elements.</summary>
    public static void WriteIndexLimit(IndentedWriter w, LoweredPlan plan, string length, string name)
    {
        if (!plan.IndexesElements) return;
        w.WriteLine($"if ({length} > {MaxIndexedLength}) throw new global::System.ArgumentOutOfRangeException(nameof({name}), {length}, \"A label gather compares element indices in float, exact up to 2^24 = 16,777,216 elements per row.\");");
    }

    /// <summary>The condition under which <paramref name="rule"/> skips a row whose row-level value is <paramref name="value"/>.</summary>
    public static string SkipCondition(RowSkipRule rule, string value, string ignoreIndex = "ignoreIndex", string zero = "0") =>
        $"{value} == {(rule.When == SkipWhen.Zero ? zero : ignoreIndex)}";

    /// <summary>The conditions under which row <paramref name="row"/> of the row-level spans is skipped.</summary>
    public static List<string> SkipConditions(LoweredPlan plan, string row, string ignoreIndex = "ignoreIndex", string zero = "0") =>
        plan.SkipRules.Select(r => SkipCondition(r, $"{NodeCode.CSharp(r.Name)}[{row}]", ignoreIndex, zero)).ToList();

    /// <summary>
    /// The C# condition on <c>_kernel</c> under which the gradient of an input may be written over that input, from its
    /// in-place rule: null when no gradient kernel allows it, empty when every one does (no test needed).
    /// </summary>
    public static string? InPlaceKernelCondition(InPlaceRule rule)
    {
        if (rule.Never) return null;
        if (rule.Always) return "";
        return "(" + string.Join(" || ", rule.SafeKernels.Select(k => "_kernel == " + k.ToString(CultureInfo.InvariantCulture))) + ")";
    }

    /// <summary>Checks the row-level spans against <c>_rows</c> and counts the rows not skipped into <c>int _valid</c>.</summary>
    public static void WriteChecks(IndentedWriter w, LoweredPlan plan)
    {
        foreach (var r in plan.RowInputs)
            w.WriteLine($"{RuntimeNames.RowBatch}.CheckRowInput({NodeCode.CSharp(r)}.Length, _rows, nameof({NodeCode.CSharp(r)}));");
        var skip = SkipConditions(plan, "_r");
        if (skip.Count == 0)
        {
            w.WriteLine("int _valid = _rows;"); // no row is ever skipped
            return;
        }
        w.WriteLine("int _valid = 0;");
        using (w.Block("for (int _r = 0; _r < _rows; _r++)"))
        {
            foreach (var rule in plan.SkipRules.Where(r => r.When == SkipWhen.IgnoreIndex))
            {
                string r = NodeCode.CSharp(rule.Name);
                w.WriteLine($"if ({r}[_r] != ignoreIndex && (uint){r}[_r] >= (uint)rowLength)");
                w.WriteLine($"    throw new global::System.ArgumentOutOfRangeException(nameof({r}), {r}[_r], $\"Row {{_r}}: label {{{r}[_r]}} is outside [0, {{rowLength}}) and is not the ignore index {{ignoreIndex}}.\");");
            }
            foreach (var rule in plan.SkipRules.Where(r => r.When == SkipWhen.Zero))
            {
                string r = NodeCode.CSharp(rule.Name);
                w.WriteLine($"{RuntimeNames.RowBatch}.CheckMask({r}[_r], _r, nameof({r}));"); // a mask is 0/1 data: NaN is refused
            }
            w.WriteLine($"if (!({string.Join(" || ", skip)})) _valid++;");
        }
    }
}
