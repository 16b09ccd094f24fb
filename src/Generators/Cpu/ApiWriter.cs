using System.Collections.Generic;
using System.Linq;
using KernelDsl.Generators.Emit;
using KernelDsl.Language;

namespace KernelDsl.Generators.Cpu;

/// <summary>Writes the public entry points for one element type: argument checks, pinning, and the call into a plan kernel.</summary>
internal sealed partial class ApiWriter
{
    private readonly IndentedWriter _w;
    private readonly CompiledFormula _c;
    private readonly KernelSet _k;
    private readonly CpuType _t;

    public ApiWriter(IndentedWriter w, CompiledFormula c, KernelSet k, CpuType t)
    {
        _w = w;
        _c = c;
        _k = k;
        _t = t;
    }

    private string T => _t.Keyword;
    private string S => _t.Storage;
    private IReadOnlyList<string> Inputs => _c.InputNames;
    private IReadOnlyList<string> Params => _c.ParameterNames;
    private static string Id(string s) => NodeCode.CSharp(s);
    private string Kernels => $"_{_t.Name}Kernels";

    public void Write()
    {
        WriteValue();
        WriteValueAndGradient(returnsValue: true);
        WriteValueAndGradient(returnsValue: false);
        WriteRows(withGradient: false);
        WriteRows(withGradient: true);
    }

    private string InputParams() => string.Join(", ", Inputs.Select(i => $"global::System.ReadOnlySpan<{S}> {Id(i)}"));
    private string GradParams() => string.Join(", ", Inputs.Select(i => $"global::System.Span<{S}> d{i}"));
    private string ScalarParams() => string.Concat(Params.Select(p => $", {T} {Id(p)}"));
    private string ParamArgs() => string.Concat(Params.Select(p => $", {Id(p)}"));
    private IReadOnlyList<string> Rows => _c.RowInputNames;
    private bool IsLabel(int r) => _c.RowInputKinds[r] == KernelDsl.Language.Ir.RowInputKind.Label;
    private bool IsMask(int r) => _c.RowInputKinds[r] == KernelDsl.Language.Ir.RowInputKind.Mask;
    private bool HasLabels => Enumerable.Range(0, Rows.Count).Any(IsLabel);
    // Row-level inputs of a single-row call: a number each (an int for a label).
    private string RowScalarParams() => string.Concat(Rows.Select((r, i) => $", {(IsLabel(i) ? "int" : T)} {Id(r)}"));
    private string RowScalarArgs() => string.Concat(Rows.Select(r => $", {Id(r)}"));
    // Row-level inputs of a batch call: one value per row.
    private string RowSpanParams() => string.Concat(Rows.Select((r, i) => $", global::System.ReadOnlySpan<{(IsLabel(i) ? "int" : T)}> {Id(r)}"));
    private string KernelArgs() => ParamArgs() + RowScalarArgs();

    private void DocRowScalars()
    {
        for (int i = 0; i < Rows.Count; i++)
            _w.WriteLine($"/// <param name=\"{Rows[i]}\">{RowDoc(i, batch: false)}</param>");
    }

    private void DocRowSpans()
    {
        for (int i = 0; i < Rows.Count; i++)
            _w.WriteLine($"/// <param name=\"{Rows[i]}\">One per row: {RowDoc(i, batch: true)}</param>");
    }

    private string RowDoc(int i, bool batch) => _c.RowInputKinds[i] switch
    {
        KernelDsl.Language.Ir.RowInputKind.Label => batch
            ? $"the label <c>{Rows[i]}</c>, an index into the row (0 to rowLength - 1), or <paramref name=\"ignoreIndex\"/> to skip the row."
            : $"the label <c>{Rows[i]}</c>, an index into the support (0 to n - 1).",
        KernelDsl.Language.Ir.RowInputKind.Mask => $"the mask <c>{Rows[i]}</c>; where it is 0 the row is skipped: value 0 and gradient exactly 0.",
        _ => $"the row-level input <c>{Rows[i]}</c>.",
    };

    // Single-row calls: a label must index the support; a zero mask gives 0 and zero gradients.
    private void CheckRowScalars(bool withGrads)
    {
        for (int i = 0; i < Rows.Count; i++)
        {
            string r = Id(Rows[i]);
            if (IsLabel(i))
                _w.WriteLine($"if ((uint){r} >= (uint)n) throw new global::System.ArgumentOutOfRangeException(nameof({r}), {r}, $\"The label must index the support [0, {{n}}).\");");
        }
        for (int i = 0; i < Rows.Count; i++)
        {
            if (!IsMask(i)) continue;
            string r = Id(Rows[i]);
            using (_w.Block($"if ({r} == 0)"))
            {
                if (withGrads)
                {
                    foreach (var input in Inputs) _w.WriteLine($"d{input}.Clear();");
                    if (Params.Count > 0) _w.WriteLine("dParameters.Clear();");
                }
                _w.WriteLine($"return ({T})0;");
            }
        }
    }

    private void DocInputs()
    {
        foreach (var i in Inputs)
            _w.WriteLine($"/// <param name=\"{i}\">Input <c>{i}</c> of the formula, one value per element of the support.</param>");
    }

    private void DocParams()
    {
        foreach (var p in Params)
            _w.WriteLine($"/// <param name=\"{p}\">Parameter <c>{p}</c> of the formula.</param>");
    }

    private void DocGrads()
    {
        foreach (var i in Inputs)
            _w.WriteLine($"/// <param name=\"d{i}\">Receives the gradient with respect to <c>{i}</c>; pass an empty span to skip it.</param>");
        if (Params.Count > 0)
            _w.WriteLine($"/// <param name=\"dParameters\">Receives the gradient with respect to the parameters ({string.Join(", ", Params)}, in that order); empty to skip.</param>");
    }

    private void CheckInputs(string lengthName)
    {
        _w.WriteLine($"int {lengthName} = {Id(Inputs[0])}.Length;");
        for (int i = 1; i < Inputs.Count; i++)
            _w.WriteLine($"if ({Id(Inputs[i])}.Length != {lengthName}) throw global::KernelDsl.Runtime.Partials.LengthMismatch(nameof({Id(Inputs[i])}), {Id(Inputs[i])}.Length, nameof({Id(Inputs[0])}), {lengthName});");
    }

    private void CheckGrads(string lengthName, bool overlapChecks = true)
    {
        foreach (var i in Inputs)
            _w.WriteLine($"if (!d{i}.IsEmpty && d{i}.Length != {lengthName}) throw global::KernelDsl.Runtime.Partials.OutputLength(nameof(d{i}), d{i}.Length, {lengthName});");
        // A gradient over an input it is computed from would be read after it is written: refuse it (no silent in-place).
        if (overlapChecks)
            foreach (var i in Inputs)
                _w.WriteLine($"if ({Overlap(i)}) throw global::KernelDsl.Runtime.Partials.Overlap(nameof(d{i}));");
        GradientPairChecks();
        if (Params.Count > 0)
            _w.WriteLine($"if (!dParameters.IsEmpty && dParameters.Length != {Params.Count}) throw global::KernelDsl.Runtime.Partials.OutputLength(nameof(dParameters), dParameters.Length, {Params.Count});");
    }

    // Two gradients sharing memory would overwrite each other: refused, naming both.
    private void GradientPairChecks()
    {
        for (int n = 1; n < Inputs.Count; n++)
            for (int m = 0; m < n; m++)
                _w.WriteLine($"if (global::System.MemoryExtensions.Overlaps((global::System.ReadOnlySpan<{S}>)d{Inputs[n]}, (global::System.ReadOnlySpan<{S}>)d{Inputs[m]})) throw global::KernelDsl.Runtime.Partials.GradientsOverlap(nameof(d{Inputs[n]}), nameof(d{Inputs[m]}));");
    }

    private string Overlap(string i) =>
        string.Join(" || ", Inputs.Select(j => $"global::System.MemoryExtensions.Overlaps((global::System.ReadOnlySpan<{S}>)d{i}, {Id(j)})"));

    private string FixedInputs() => string.Join(", ", Inputs.Select(i => $"_{i} = {Id(i)}"));
    private string FixedGrads() => string.Join(", ", Inputs.Select(i => $"_d{i} = d{i}"));
    private string PinnedInputs() => string.Join(", ", Inputs.Select(i => $"_{i}"));
    private string PinnedGrads() => string.Join(", ", Inputs.Select(i => $"_d{i}"));
    private string Nulls() => string.Join(", ", Inputs.Select(_ => "null"));

    private void WriteValue()
    {
        _w.WriteLine();
        _w.WriteLine(_t.IsLowPrecision
            ? $"/// <summary>The value of the formula over {_t.Name} inputs{(_t == CpuType.BFloat16 ? " (bfloat16 bits held as ushort)" : "")}, computed in float, in one fused pass per stage of the plan.</summary>"
            : $"/// <summary>The value of the formula over <see cref=\"{T}\"/> inputs, in one fused pass per stage of the plan.</summary>");
        DocInputs();
        DocRowScalars();
        DocParams();
        _w.WriteLine("/// <returns>The value. Empty inputs give each reduction's value on an empty support (sum 0, mean NaN, max -inf, min +inf, logsumexp -inf).</returns>");
        _w.WriteLine($"/// <exception cref=\"global::System.ArgumentException\">The inputs differ in length.</exception>");
        using (_w.Block($"public static unsafe {T} Value({InputParams()}{RowScalarParams()}{ScalarParams()})"))
        {
            CheckInputs("n");
            RowBatch.WriteIndexLimit(_w, _c, "n", Id(Inputs[0]));
            CheckRowScalars(withGrads: false);
            _w.WriteLine($"fixed ({S}* {FixedInputs()})");
            _w.WriteLine($"    return ({T}){Kernels}.Value({PinnedInputs()}, {Nulls()}, n{KernelArgs()}, null, 1.0, true);");
        }
    }

    private void WriteValueAndGradient(bool returnsValue)
    {
        string name = returnsValue ? "ValueAndGradient" : "Gradient";
        string dParams = Params.Count > 0 ? $", global::System.Span<{T}> dParameters = default" : "";
        _w.WriteLine();
        _w.WriteLine(returnsValue
            ? $"/// <summary>The value of the formula and its gradients, fused: the gradients are written in the same passes wherever the plan allows.</summary>"
            : $"/// <summary>The gradients of the formula (the value is computed on the way and dropped).</summary>");
        DocInputs();
        DocGrads();
        DocRowScalars();
        DocParams();
        if (returnsValue) _w.WriteLine("/// <returns>The value.</returns>");
        _w.WriteLine($"/// <exception cref=\"global::System.ArgumentException\">The inputs differ in length, or a gradient span is neither empty nor of the inputs' length.</exception>");
        using (_w.Block($"public static unsafe {(returnsValue ? T : "void")} {name}({InputParams()}, {GradParams()}{RowScalarParams()}{ScalarParams()}{dParams})"))
        {
            if (!returnsValue)
            {
                _w.WriteLine($"ValueAndGradient({string.Join(", ", Inputs.Select(Id))}, {string.Join(", ", Inputs.Select(i => "d" + i))}{RowScalarArgs()}{ParamArgs()}{(Params.Count > 0 ? ", dParameters" : "")});");
                return;
            }
            CheckInputs("n");
            RowBatch.WriteIndexLimit(_w, _c, "n", Id(Inputs[0]));
            CheckGrads("n");
            CheckRowScalars(withGrads: true);
            if (Params.Count > 0) _w.WriteLine($"double* _pg = stackalloc double[{Params.Count}];");
            string pg = Params.Count > 0 ? "dParameters.IsEmpty ? null : _pg" : "null";
            _w.WriteLine($"double _value;");
            using (_w.Block($"fixed ({S}* {FixedInputs()}, {FixedGrads()})"))
            {
                string args = $"{PinnedInputs()}, {PinnedGrads()}, n{KernelArgs()}, {pg}, 1.0, true";
                bool any = false;
                for (int i = 0; i < Inputs.Count; i++)
                {
                    if (_k.PerInput[i] is not { } k) continue;
                    string cond = SingleGradientCondition(i);
                    _w.WriteLine($"{(any ? "else if" : "if")} ({cond})");
                    _w.WriteLine($"    _value = {Kernels}.{k.Name}({args});");
                    any = true;
                }
                if (any) _w.WriteLine("else");
                _w.WriteLine($"{(any ? "    " : "")}_value = {Kernels}.Gradient({args});");
            }
            if (Params.Count > 0)
                _w.WriteLine($"if (!dParameters.IsEmpty) for (int _j = 0; _j < {Params.Count}; _j++) dParameters[_j] = ({T})_pg[_j];");
            _w.WriteLine($"return ({T})_value;");
        }
    }

    // The plan for exactly one requested input gradient, when it has a kernel of its own; else the full gradient plan.
    private string SingleGradientCondition(int i)
    {
        var others = Inputs.Where((_, j) => j != i).Select(o => $"d{o}.IsEmpty");
        var parts = new[] { $"!d{Inputs[i]}.IsEmpty" }.Concat(others);
        if (Params.Count > 0) parts = parts.Concat(new[] { "dParameters.IsEmpty" });
        return string.Join(" && ", parts);
    }

    private void WriteKernelChoice()
    {
        _w.WriteLine("int _kernel = 1;");
        bool any = false;
        for (int i = 0; i < Inputs.Count; i++)
        {
            if (_k.PerInput[i] is null) continue;
            _w.WriteLine($"{(any ? "else if" : "if")} ({SingleGradientCondition(i)}) _kernel = {2 + i};");
            any = true;
        }
    }
}
