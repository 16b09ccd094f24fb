using System.Collections.Generic;
using System.Linq;
using KernelDsl.Generators.Emit;
using KernelDsl.Language;
using KernelDsl.Language.Planning.Lowering;

namespace KernelDsl.Generators.Cpu;

/// <summary>Writes the public entry points for one element type: argument checks, pinning, and the call into a plan kernel.</summary>
internal sealed partial class ApiWriter
{
    private readonly IndentedWriter _w;
    private readonly CompiledFormula _c;
    private readonly LoweredPlan _k;
    private readonly CpuType _t;

    private readonly CpuType? _docsFrom;

    /// <param name="w">The writer.</param>
    /// <param name="plan">The lowered plan: names, kernels, skip and in-place rules.</param>
    /// <param name="t">The element type of the entry points to write.</param>
    /// <param name="docsFrom">An element type whose entry points are already written with the same documentation
    /// (float for double): each entry point then inherits its documentation instead of repeating it.</param>
    public ApiWriter(IndentedWriter w, LoweredPlan plan, CpuType t, CpuType? docsFrom = null)
    {
        _w = w;
        _c = plan.Formula;
        _k = plan;
        _t = t;
        _docsFrom = docsFrom;
    }

    /// <summary>
    /// Writes a method header: on one line when it fits in <see cref="CSharpText.MaxLine"/> characters, else with its
    /// parameters on the lines below, and returns the block that holds the body. With <see cref="_docsFrom"/>, first
    /// writes <c>inheritdoc</c> pointing at the same method over that element type.
    /// </summary>
    private IndentedWriter.Scope Method(string head, string name, string parameters)
    {
        InheritDoc(name, parameters);
        return _w.Block(CSharpText.Header($"{head} {name}", parameters, _w.IndentLevel));
    }

    /// <summary>An expression-bodied method: the header as <see cref="Method"/> writes it, then <c>=&gt; body</c>.</summary>
    private void ArrowMethod(string head, string name, string parameters, string body)
    {
        InheritDoc(name, parameters);
        _w.WriteLine(CSharpText.Header($"{head} {name}", parameters, _w.IndentLevel) + " =>");
        _w.WriteLine("    " + body);
    }

    private void InheritDoc(string name, string parameters)
    {
        if (_docsFrom is { } from)
        {
            var types = CSharpText.SplitParameters(parameters)
                .Select(p => CSharpText.ParameterType(p).Replace("<" + T + ">", "<" + from.Keyword + ">"))
                .Select(t => t == T ? from.Keyword : t)
                .Select(t => t.Replace('<', '{').Replace('>', '}'));
            _w.WriteLine($"/// <inheritdoc cref=\"{name}({string.Join(", ", types)})\"/>");
        }
    }

    /// <summary>True when the documentation comments are written (not inherited).</summary>
    private bool Docs => _docsFrom is null;

    private string T => _t.Keyword;
    private string S => _t.Storage;
    private IReadOnlyList<string> Inputs => _c.InputNames;
    private IReadOnlyList<string> Params => _c.ParameterNames;
    private static string Id(string s) => NodeCode.CSharp(s);
    private static string D(string input) => LoweredNames.GradientParameter(input);
    private string Kernels => _t.KernelClass;

    public void Write()
    {
        WriteValue();
        WriteValueAndGradient(returnsValue: true);
        WriteValueAndGradient(returnsValue: false);
        WriteRows(withGradient: false);
        WriteRows(withGradient: true);
    }

    private string InputParams() => string.Join(", ", Inputs.Select(i => $"global::System.ReadOnlySpan<{S}> {Id(i)}"));
    private string GradParams() => string.Join(", ", Inputs.Select(i => $"global::System.Span<{S}> {D(i)}"));
    private string ScalarParams() => string.Concat(Params.Select(p => $", {T} {Id(p)}"));
    private string ParamArgs() => string.Concat(Params.Select(p => $", {Id(p)}"));
    private IReadOnlyList<string> Rows => _c.RowInputNames;
    private bool IsLabel(int r) => _c.RowInputKinds[r] == KernelDsl.Language.Ir.RowInputKind.Label;
    private bool HasLabels => _k.HasLabels;
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
            : $"the label <c>{Rows[i]}</c>, an index into the support (0 to n - 1), or <paramref name=\"ignoreIndex\"/> to skip the row.",
        KernelDsl.Language.Ir.RowInputKind.Mask => $"the mask <c>{Rows[i]}</c>; where it is 0 the row is skipped: value 0 and gradient exactly 0.",
        _ => $"the row-level input <c>{Rows[i]}</c>.",
    };

    // Single-row calls: a NaN mask is refused and a zero mask gives 0 and zero gradients; a label equal to the ignore
    // index does the same (as one ignored row of Rows), any other label must index the support.
    private void CheckRowScalars(bool withGrads)
    {
        var skip = new List<string>();
        foreach (var rule in _k.SkipRules)
        {
            string r = Id(rule.Name);
            if (rule.When == SkipWhen.Zero) _w.WriteLine($"{RuntimeNames.RowBatch}.CheckMask({r}, -1, nameof({r}));");
            skip.Add(RowBatch.SkipCondition(rule, r));
        }
        if (skip.Count > 0)
        {
            using (_w.Block($"if ({string.Join(" || ", skip)})"))
            {
                if (withGrads)
                {
                    foreach (var input in Inputs) _w.WriteLine($"{D(input)}.Clear();");
                    if (Params.Count > 0) _w.WriteLine("dParameters.Clear();");
                }
                _w.WriteLine($"return ({T})0;");
            }
        }
        for (int i = 0; i < Rows.Count; i++)
        {
            string r = Id(Rows[i]);
            if (IsLabel(i))
                _w.WriteLine($"if ((uint){r} >= (uint)n) throw new global::System.ArgumentOutOfRangeException(nameof({r}), {r}, $\"The label must index the support [0, {{n}}) or be the ignore index {{ignoreIndex}}.\");");
        }
    }

    // The ignore index of single-row calls (formulas with a label), as in Rows.
    private string IgnoreParam => HasLabels ? ", int ignoreIndex = -100" : "";
    private string IgnoreArg => HasLabels ? ", ignoreIndex" : "";

    private void DocIgnore()
    {
        if (HasLabels)
            _w.WriteLine("/// <param name=\"ignoreIndex\">A label equal to it skips the row: value 0, gradient exactly 0 (as in <c>Rows</c>).</param>");
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
            _w.WriteLine($"/// <param name=\"{D(i)}\">Receives the gradient with respect to <c>{i}</c>; pass an empty span to skip it.</param>");
        if (Params.Count > 0)
            _w.WriteLine($"/// <param name=\"dParameters\">Receives the gradient with respect to the parameters ({string.Join(", ", Params)}, in that order); empty to skip.</param>");
    }

    private void CheckInputs(string lengthName)
    {
        _w.WriteLine($"int {lengthName} = {Id(Inputs[0])}.Length;");
        for (int i = 1; i < Inputs.Count; i++)
            _w.WriteLine($"if ({Id(Inputs[i])}.Length != {lengthName}) throw global::KernelDsl.Runtime.Partials.LengthMismatch(nameof({Id(Inputs[i])}), {Id(Inputs[i])}.Length, nameof({Id(Inputs[0])}), {lengthName});");
    }

    private const string Checks = "global::KernelDsl.Runtime.SpanChecks";

    private void CheckGrads(string lengthName, bool overlapChecks = true)
    {
        foreach (var i in Inputs)
            _w.WriteLine($"{Checks}.Length({D(i)}, {lengthName}, nameof({D(i)}));");
        // A gradient over an input it is computed from would be read after it is written: refuse it (no silent in-place).
        if (overlapChecks)
            foreach (var i in Inputs)
                _w.WriteLine($"if ({Overlap(i)}) throw global::KernelDsl.Runtime.Partials.Overlap(nameof({D(i)}));");
        GradientPairChecks();
        if (Params.Count > 0)
            _w.WriteLine($"if (!dParameters.IsEmpty && dParameters.Length != {Params.Count}) throw global::KernelDsl.Runtime.Partials.OutputLength(nameof(dParameters), dParameters.Length, {Params.Count});");
    }

    // Two gradients sharing memory would overwrite each other: refused, naming both.
    private void GradientPairChecks()
    {
        for (int n = 1; n < Inputs.Count; n++)
            for (int m = 0; m < n; m++)
                _w.WriteLine($"{Checks}.Apart({D(Inputs[n])}, {D(Inputs[m])}, nameof({D(Inputs[n])}), nameof({D(Inputs[m])}));");
    }

    // Whether d_i shares memory with an input: one runtime call for up to 4 inputs.
    private string Overlap(string i) => Overlap(i, Inputs);

    private string Overlap(string i, IEnumerable<string> inputs)
    {
        var list = inputs.ToList();
        if (list.Count == 0) return "false";
        if (list.Count <= 4) return $"{Checks}.Overlaps({D(i)}, {string.Join(", ", list.Select(Id))})";
        return "(" + string.Join(" || ", list.Select(j => $"{Checks}.Overlaps({D(i)}, {Id(j)})")) + ")";
    }

    private string FixedInputs() => string.Join(", ", Inputs.Select(i => $"_{i} = {Id(i)}"));
    private string FixedGrads() => string.Join(", ", Inputs.Select(i => $"_d{i} = {D(i)}"));
    private string PinnedInputs() => string.Join(", ", Inputs.Select(i => $"_{i}"));
    private string PinnedGrads() => string.Join(", ", Inputs.Select(i => $"_d{i}"));
    private string Nulls() => string.Join(", ", Inputs.Select(_ => "null"));

    private void WriteValue()
    {
        _w.WriteLine();
        if (Docs)
        {
            _w.WriteLine(_t.IsLowPrecision
                ? $"/// <summary>The value of the formula over {_t.Name} inputs{(_t == CpuType.BFloat16 ? " (bfloat16 bits held as ushort)" : "")}, computed in float, in one fused pass per stage of the plan.</summary>"
                : "/// <summary>The value of the formula, in one fused pass per stage of the plan.</summary>");
            DocInputs();
            DocRowScalars();
            DocParams();
            DocIgnore();
            _w.WriteLine("/// <returns>The value. Empty inputs give each reduction's value on an empty support (sum 0, mean NaN, max -inf, min +inf, logsumexp -inf).</returns>");
            _w.WriteLine($"/// <exception cref=\"global::System.ArgumentException\">The inputs differ in length.</exception>");
        }
        using (Method($"public static unsafe {T}", "Value", $"{InputParams()}{RowScalarParams()}{ScalarParams()}{IgnoreParam}"))
        {
            CheckInputs("n");
            RowBatch.WriteIndexLimit(_w, _k, "n", Id(Inputs[0]));
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
        if (Docs)
        {
            _w.WriteLine(returnsValue
                ? $"/// <summary>The value of the formula and its gradients, fused: the gradients are written in the same passes wherever the plan allows.</summary>"
                : $"/// <summary>The gradients of the formula (the value is computed on the way and dropped).</summary>");
            DocInputs();
            DocGrads();
            DocRowScalars();
            DocParams();
            DocIgnore();
            if (returnsValue) _w.WriteLine("/// <returns>The value.</returns>");
            _w.WriteLine($"/// <exception cref=\"global::System.ArgumentException\">The inputs differ in length, or a gradient span is neither empty nor of the inputs' length.</exception>");
        }
        string parameters = $"{InputParams()}, {GradParams()}{RowScalarParams()}{ScalarParams()}{dParams}{IgnoreParam}";
        if (!returnsValue)
        {
            string call = $"ValueAndGradient({string.Join(", ", Inputs.Select(Id))}, {string.Join(", ", Inputs.Select(D))}{RowScalarArgs()}{ParamArgs()}{(Params.Count > 0 ? ", dParameters" : "")}{IgnoreArg});";
            ArrowMethod("public static void", name, parameters, call);
            return;
        }
        using (Method($"public static unsafe {T}", name, parameters))
        {
            CheckInputs("n");
            RowBatch.WriteIndexLimit(_w, _k, "n", Id(Inputs[0]));
            CheckGrads("n");
            CheckRowScalars(withGrads: true);
            if (Params.Count > 0) _w.WriteLine($"double* _pg = stackalloc double[{Params.Count}];");
            string pg = Params.Count > 0 ? "dParameters.IsEmpty ? null : _pg" : "null";
            string args = $"{PinnedInputs()}, {PinnedGrads()}, n{KernelArgs()}, {pg}, 1.0, true";
            if (!_k.HasChoice && Params.Count == 0)
            {
                // One kernel, nothing to copy out: return its value from inside the pins.
                _w.WriteLine($"fixed ({S}* {FixedInputs()}, {FixedGrads()})");
                _w.WriteLine($"    return ({T}){Kernels}.Gradient({args});");
                return;
            }
            _w.WriteLine($"double _value;");
            using (_w.Block($"fixed ({S}* {FixedInputs()}, {FixedGrads()})"))
            {
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
        var others = Inputs.Where((_, j) => j != i).Select(o => $"{D(o)}.IsEmpty");
        var parts = new[] { $"!{D(Inputs[i])}.IsEmpty" }.Concat(others);
        if (Params.Count > 0) parts = parts.Concat(new[] { "dParameters.IsEmpty" });
        return string.Join(" && ", parts);
    }

    private void WriteKernelChoice()
    {
        _w.WriteLine("int _kernel = 1;");
        bool any = false;
        for (int i = 0; i < Inputs.Count; i++)
        {
            if (_k.PerInput[i] is not { } k) continue;
            _w.WriteLine($"{(any ? "else if" : "if")} ({SingleGradientCondition(i)}) _kernel = {k.Number};");
            any = true;
        }
    }
}
