using System.Collections.Generic;
using System.Linq;
using KernelDsl.Generators.Cpu;
using KernelDsl.Generators.Emit;
using KernelDsl.Language;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Planning.Lowering;

namespace KernelDsl.Generators.Gpu;

/// <summary>Writes the public GPU entry points: argument checks, then the host side of a plan; span overloads copy.</summary>
internal sealed partial class GpuApiWriter
{
    private readonly IndentedWriter _w;
    private readonly CompiledFormula _c;
    private readonly LoweredPlan _k;
    private readonly GpuStorage _st;

    public GpuApiWriter(IndentedWriter w, LoweredPlan plan, GpuStorage storage) { _w = w; _c = plan.Formula; _k = plan; _st = storage; }

    private IReadOnlyList<string> Inputs => _c.InputNames;
    private IReadOnlyList<string> Params => _c.ParameterNames;
    private IReadOnlyList<string> Rows => _c.RowInputNames;
    private static string Id(string s) => NodeCode.CSharp(s);
    private static string D(string input) => LoweredNames.GradientParameter(input);
    private bool IsLabel(int i) => _c.RowInputKinds[i] == RowInputKind.Label;
    private string RowParams() => string.Concat(Rows.Select((r, i) => $", {(IsLabel(i) ? "int" : "float")} {Id(r)}"));
    private string RowArgs() => string.Concat(Rows.Select(r => $", {Id(r)}"));
    private string ParamParams() => string.Concat(Params.Select(p => $", float {Id(p)}"));
    private string ParamArgs() => string.Concat(Params.Select(p => $", {Id(p)}"));
    private string View => $"global::ILGPU.ArrayView<{_st.Element}>";
    private string E => _st.Element;

    public void Write()
    {
        string dParams = Params.Count > 0 ? ", global::System.Span<float> dParameters = default" : "";
        // Views.
        _w.WriteLine("/// <summary>The value, on the device's accelerator, over device views.</summary>");
        _w.WriteLine("/// <exception cref=\"global::System.ArgumentException\">The views differ in length, or a label is outside the support.</exception>");
        using (_w.Block($"public static float Value({RuntimeNames.KernelDevice} device, {string.Join(", ", Inputs.Select(i => $"{View} {Id(i)}"))}{RowParams()}{ParamParams()}{Ignore(true)})"))
        {
            Checks(grads: false);
            string g = string.Join(", ", Inputs.Select(_ => "default"));
            _w.WriteLine($"return (float){_st.Kernels}.For(device.Accelerator).Value({string.Join(", ", Inputs.Select(i => _st.ToKernel(Id(i))))}, {g}{ParamArgs()}{RowArgs()}, null, device.AtomicReductions);");
        }
        _w.WriteLine();
        _w.WriteLine("/// <summary>The value and the gradients, on the device's accelerator; an empty gradient view skips that gradient.</summary>");
        _w.WriteLine("/// <exception cref=\"global::System.ArgumentException\">The views differ in length, or a gradient view is neither empty nor of the inputs' length.</exception>");
        using (_w.Block($"public static float ValueAndGradient({RuntimeNames.KernelDevice} device, {string.Join(", ", Inputs.Select(i => $"{View} {Id(i)}"))}, {string.Join(", ", Inputs.Select(i => $"{View} {D(i)}"))}{RowParams()}{ParamParams()}{dParams}{Ignore(true)})"))
        {
            Checks(grads: true);
            if (Params.Count > 0) _w.WriteLine($"double[]? _pg = dParameters.IsEmpty ? null : new double[{Params.Count}];");
            string pg = Params.Count > 0 ? "_pg" : "null";
            string args = $"{string.Join(", ", Inputs.Select(i => _st.ToKernel(Id(i))))}, {string.Join(", ", Inputs.Select(i => _st.ToKernel($"{D(i)}")))}{ParamArgs()}{RowArgs()}, {pg}, device.AtomicReductions";
            _w.WriteLine($"var _kernels = {_st.Kernels}.For(device.Accelerator);");
            _w.WriteLine("double _value;");
            bool any = false;
            for (int i = 0; i < Inputs.Count; i++)
            {
                if (_k.PerInput[i] is not { } k) continue;
                // Only this input's gradient: its own plan, with fewer passes.
                var cond = new[] { $"{D(Inputs[i])}.Length != 0" }.Concat(Inputs.Where((_, j) => j != i).Select(o => $"{D(o)}.Length == 0"));
                if (Params.Count > 0) cond = cond.Concat(new[] { "dParameters.IsEmpty" });
                _w.WriteLine($"{(any ? "else if" : "if")} ({string.Join(" && ", cond)}) _value = _kernels.{k.Name}({args});");
                any = true;
            }
            _w.WriteLine($"{(any ? "else " : "")}_value = _kernels.Gradient({args});");
            if (Params.Count > 0) _w.WriteLine("if (_pg != null) for (int _j = 0; _j < _pg.Length; _j++) dParameters[_j] = (float)_pg[_j];");
            _w.WriteLine("return (float)_value;");
        }
        _w.WriteLine();
        _w.WriteLine("/// <summary>The gradients alone (<c>ValueAndGradient</c> without its value: the same kernels).</summary>");
        _w.WriteLine($"public static void Gradient({RuntimeNames.KernelDevice} device, {string.Join(", ", Inputs.Select(i => $"{View} {Id(i)}"))}, {string.Join(", ", Inputs.Select(i => $"{View} {D(i)}"))}{RowParams()}{ParamParams()}{dParams}{Ignore(true)}) =>");
        _w.WriteLine($"    ValueAndGradient(device, {string.Join(", ", Inputs.Select(Id))}, {string.Join(", ", Inputs.Select(D))}{RowArgs()}{ParamArgs()}{(Params.Count > 0 ? ", dParameters" : "")}{Ignore(false)});");
        // Spans: copy in, run, copy out.
        string spans = string.Join(", ", Inputs.Select(i => $"global::System.ReadOnlySpan<{E}> {Id(i)}"));
        string gspans = string.Join(", ", Inputs.Select(i => $"global::System.Span<{E}> {D(i)}"));
        WriteCopying("/// <summary>The value of host spans: copies them to the device, runs <c>Value</c>, frees the copies.</summary>",
            $"public static float Value({RuntimeNames.KernelDevice} device, {spans}{RowParams()}{ParamParams()}{Ignore(true)})",
            grads: false, (v, _) => $"Value(device, {v}{RowArgs()}{ParamArgs()}{Ignore(false)})");
        WriteCopying("/// <summary>The value and gradients of host spans: copies in, runs <c>ValueAndGradient</c>, copies the gradients back.</summary>",
            $"public static float ValueAndGradient({RuntimeNames.KernelDevice} device, {spans}, {gspans}{RowParams()}{ParamParams()}{dParams}{Ignore(true)})",
            grads: true, (v, g) => $"ValueAndGradient(device, {v}, {g}{RowArgs()}{ParamArgs()}{(Params.Count > 0 ? ", dParameters" : "")}{Ignore(false)})");
        _w.WriteLine();
        _w.WriteLine("/// <summary>The gradients of host spans alone: copies in, runs on the device, copies the gradients back.</summary>");
        _w.WriteLine($"public static void Gradient({RuntimeNames.KernelDevice} device, {string.Join(", ", Inputs.Select(i => $"global::System.ReadOnlySpan<{E}> {Id(i)}"))}, {string.Join(", ", Inputs.Select(i => $"global::System.Span<{E}> {D(i)}"))}{RowParams()}{ParamParams()}{dParams}{Ignore(true)}) =>");
        _w.WriteLine($"    ValueAndGradient(device, {string.Join(", ", Inputs.Select(Id))}, {string.Join(", ", Inputs.Select(D))}{RowArgs()}{ParamArgs()}{(Params.Count > 0 ? ", dParameters" : "")}{Ignore(false)});");
        WriteRows();
    }

    // A span overload: copies the inputs to the device (and allocates the gradients), calls the view overload through
    // call(views, gradient views), copies the gradients back.
    private void WriteCopying(string doc, string signature, bool grads, System.Func<string, string, string> call)
    {
        _w.WriteLine();
        _w.WriteLine(doc);
        using (_w.Block(signature))
        {
            _w.WriteLine("if (device is null) throw new global::System.ArgumentNullException(nameof(device));");
            foreach (var i in Inputs) _w.WriteLine($"using var _b_{i} = device.Upload({Id(i)});");
            string views = string.Join(", ", Inputs.Select(i => $"_b_{i}.View.SubView(0, {Id(i)}.Length)"));
            if (!grads)
            {
                _w.WriteLine($"return {call(views, "")};");
                return;
            }
            foreach (var i in Inputs) _w.WriteLine($"using var _g_{i} = device.Accelerator.Allocate1D<{E}>(global::System.Math.Max({D(i)}.Length, 1));");
            _w.WriteLine($"float _value = {call(views, string.Join(", ", Inputs.Select(i => $"{D(i)}.IsEmpty ? default : _g_{i}.View.SubView(0, {D(i)}.Length)")))};");
            foreach (var i in Inputs) _w.WriteLine($"if (!{D(i)}.IsEmpty) global::KernelDsl.Runtime.Gpu.GpuCopy.ToHost<{E}>(_g_{i}.View.SubView(0, {D(i)}.Length), {D(i)});");
            _w.WriteLine("return _value;");
        }
    }

    private void Checks(bool grads)
    {
        _w.WriteLine("if (device is null) throw new global::System.ArgumentNullException(nameof(device));");
        _w.WriteLine($"long n = {Id(Inputs[0])}.Length;");
        RowBatch.WriteIndexLimit(_w, _k, "n", Id(Inputs[0]));
        foreach (var i in Inputs.Skip(1))
            _w.WriteLine($"if ({Id(i)}.Length != n) throw global::KernelDsl.Runtime.Partials.LengthMismatch(nameof({Id(i)}), {Id(i)}.Length, nameof({Id(Inputs[0])}), n);");
        if (grads)
        {
            foreach (var i in Inputs)
                _w.WriteLine($"if ({D(i)}.Length != 0 && {D(i)}.Length != n) throw global::KernelDsl.Runtime.Partials.OutputLength(nameof({D(i)}), {D(i)}.Length, n);");
            if (Params.Count > 0)
                _w.WriteLine($"if (!dParameters.IsEmpty && dParameters.Length != {Params.Count}) throw global::KernelDsl.Runtime.Partials.OutputLength(nameof(dParameters), dParameters.Length, {Params.Count});");
        }
        ViewChecks(grads);
        // As on the CPU: a NaN mask is refused; a zero mask or the ignore index gives 0 and zero gradients.
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
                _w.WriteLine("// A zero mask or an ignored label: value 0 and gradients of exactly 0.");
                if (grads)
                {
                    foreach (var i in Inputs) _w.WriteLine($"if ({D(i)}.Length != 0) global::KernelDsl.Runtime.Gpu.GpuCopy.Zero({D(i)});");
                    if (Params.Count > 0) _w.WriteLine("dParameters.Clear();");
                    _w.WriteLine("device.Accelerator.Synchronize();");
                }
                _w.WriteLine("return 0f;");
            }
        }
        for (int r = 0; r < Rows.Count; r++)
        {
            if (IsLabel(r)) _w.WriteLine($"if ((ulong)(uint){Id(Rows[r])} >= (ulong)n) throw new global::System.ArgumentOutOfRangeException(nameof({Id(Rows[r])}), {Id(Rows[r])}, \"The label must index the support or be the ignore index.\");");
        }
    }

    // Every view on the device's accelerator; no gradient view sharing memory with an input (other threads, or later
    // passes, may still read it) unless inPlace allows it: exactly its own input, where the chosen plan writes the
    // gradient in the last pass that reads that input (each thread reads an element before it overwrites it). The rule is
    // the CPU's (LoweredPlan.InPlace); `allowed(i)` is the C# condition under which d_i may be its input.
    private void ViewChecks(bool grads, System.Func<int, string?>? allowed = null)
    {
        foreach (var i in Inputs) _w.WriteLine($"global::KernelDsl.Runtime.Gpu.GpuCopy.CheckView(device.Accelerator, {Id(i)}, nameof({Id(i)}));");
        if (!grads) return;
        for (int n = 0; n < Inputs.Count; n++)
        {
            string i = Inputs[n];
            _w.WriteLine($"global::KernelDsl.Runtime.Gpu.GpuCopy.CheckView(device.Accelerator, {D(i)}, nameof({D(i)}));");
            string overlaps = string.Join(" || ", Inputs.Select(j => $"global::KernelDsl.Runtime.Gpu.GpuCopy.Overlaps({D(i)}, {Id(j)})"));
            string exempt = allowed?.Invoke(n) is { } a ? $" && !({a})" : "";
            _w.WriteLine($"if (({overlaps}){exempt}) throw global::KernelDsl.Runtime.Partials.Overlap(nameof({D(i)}));");
            for (int m = 0; m < n; m++)
                _w.WriteLine($"if (global::KernelDsl.Runtime.Gpu.GpuCopy.Overlaps({D(i)}, {D(Inputs[m])})) throw global::KernelDsl.Runtime.Partials.GradientsOverlap(nameof({D(i)}), nameof({D(Inputs[m])}));");
        }
    }
}
