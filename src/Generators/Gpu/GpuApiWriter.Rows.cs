using System.Collections.Generic;
using System.Linq;
using KernelDsl.Generators.Cpu;
using KernelDsl.Generators.Emit;
using KernelDsl.Language.Planning.Lowering;

namespace KernelDsl.Generators.Gpu;

/// <summary>The GPU batch entry points: Rows and RowsAndGradient over views (row-level inputs stay host spans) and over spans.</summary>
internal sealed partial class GpuApiWriter
{
    private bool HasLabels => _k.HasLabels;
    private string RowSpanParams() => string.Concat(Rows.Select((r, i) => $", global::System.ReadOnlySpan<{(IsLabel(i) ? "int" : "float")}> {Id(r)}"));
    private string RunIgnore => HasLabels ? ", ignoreIndex" : ", 0";
    private string Ignore(bool declare) => HasLabels ? (declare ? ", int ignoreIndex = -100" : ", ignoreIndex") : "";

    private void WriteRows()
    {
        string views = string.Join(", ", Inputs.Select(i => $"{View} {Id(i)}"));
        string gviews = string.Join(", ", Inputs.Select(i => $"{View} {D(i)}"));
        string spans = string.Join(", ", Inputs.Select(i => $"global::System.ReadOnlySpan<{E}> {Id(i)}"));
        string gspans = string.Join(", ", Inputs.Select(i => $"global::System.Span<{E}> {D(i)}"));
        string dParams = Params.Count > 0 ? ", global::System.Span<float> dParameters = default" : "";
        string dArg = Params.Count > 0 ? ", dParameters" : ", default";
        string inputArgs = string.Join(", ", Inputs.Select(Id));
        string noGrads = string.Join(", ", Inputs.Select(_ => "default"));
        string head = "int rowLength, global::System.Span<float> perRow, " + RuntimeNames.RowReduction + " reduction";

        _w.WriteLine();
        _w.WriteLine("/// <summary>The formula on each row of row-major device views, reduced across rows (one group per row; row-level inputs are host spans, checked as on the CPU).</summary>");
        _w.WriteLine("/// <exception cref=\"global::System.ArgumentException\">Lengths disagree, <paramref name=\"rowLength\"/> does not divide the length, or a row-level span does not have one value per row.</exception>");
        using (_w.Block($"public static float Rows({RuntimeNames.KernelDevice} device, {views}{RowSpanParams()}, {head}{ParamParams()}{Ignore(true)})"))
            _w.WriteLine($"return _RunRows(device, {inputArgs}, {noGrads}{RowArgs()}, rowLength, perRow, reduction{ParamArgs()}, default, default, false{RunIgnore}, false);");
        _w.WriteLine();
        _w.WriteLine("/// <summary>Rows, with the gradient of the reduced value (empty gradient views are skipped; <paramref name=\"upstream\"/> scales each row's gradient).</summary>");
        _w.WriteLine("/// <exception cref=\"global::System.ArgumentException\">As <c>Rows</c>, or a gradient view is neither empty nor of the inputs' length.</exception>");
        using (_w.Block($"public static float RowsAndGradient({RuntimeNames.KernelDevice} device, {views}{RowSpanParams()}, {head}, {gviews}{ParamParams()}{dParams}, global::System.ReadOnlySpan<float> upstream = default, bool inPlace = false{Ignore(true)})"))
            _w.WriteLine($"return _RunRows(device, {inputArgs}, {string.Join(", ", Inputs.Select(D))}{RowArgs()}, rowLength, perRow, reduction{ParamArgs()}{dArg}, upstream, inPlace{RunIgnore}, true);");

        // Spans: copy in, run, copy the gradients out.
        WriteCopying("/// <summary>Rows of host spans: copies them to the device, runs <c>Rows</c>, frees the copies.</summary>",
            $"public static float Rows({RuntimeNames.KernelDevice} device, {spans}{RowSpanParams()}, {head}{ParamParams()}{Ignore(true)})",
            grads: false, (v, _) => $"Rows(device, {v}{RowArgs()}, rowLength, perRow, reduction{ParamArgs()}{Ignore(false)})");
        WriteCopying("/// <summary>RowsAndGradient of host spans: copies in, runs on the device, copies the gradients back.</summary>",
            $"public static float RowsAndGradient({RuntimeNames.KernelDevice} device, {spans}{RowSpanParams()}, {head}, {gspans}{ParamParams()}{dParams}, global::System.ReadOnlySpan<float> upstream = default{Ignore(true)})",
            grads: true, (v, g) => $"RowsAndGradient(device, {v}{RowArgs()}, rowLength, perRow, reduction, {g}{ParamArgs()}{(Params.Count > 0 ? ", dParameters" : "")}, upstream, false{Ignore(false)})");
        WriteRunRows(views, gviews, head);
    }

    // Which plan runs: 0 the value, 1 every gradient, 2 + i the gradient of input i alone (its own, shorter plan).
    private void WriteKernelChoice(int pcount)
    {
        _w.WriteLine("int _kernel = gradient ? 1 : 0;");
        for (int i = 0; i < Inputs.Count; i++)
        {
            if (_k.PerInput[i] is not { } k) continue;
            var cond = new[] { "gradient", $"_writes == {1 << i}" }.Concat(pcount > 0 ? new[] { "dParameters.IsEmpty" } : System.Array.Empty<string>());
            _w.WriteLine($"if ({string.Join(" && ", cond)}) _kernel = {k.Number};");
        }
    }

    // d_i may be exactly its own input when asked, and the chosen plan writes it in the last pass that reads the input.
    private string? InPlaceAllowed(int n)
    {
        // Without a gradient every gradient view is empty, so only the gradient kernels matter here.
        if (RowBatch.InPlaceKernelCondition(_k.InPlace(n)) is not { } kernel) return null;
        string i = Inputs[n];
        var others = Inputs.Where(j => j != i).Select(j => $" && !global::KernelDsl.Runtime.Gpu.GpuCopy.Overlaps({D(i)}, {Id(j)})");
        return $"inPlace && global::KernelDsl.Runtime.Gpu.GpuCopy.SameView({D(i)}, {Id(i)}){string.Concat(others)}{(kernel.Length > 0 ? " && " + kernel : "")}";
    }

    // One body for Rows and RowsAndGradient: the CPU's checks and seed, the per-row host data, the row kernel, the
    // rows' values and parameter gradients combined in row order.
    private void WriteRunRows(string views, string gviews, string head)
    {
        int width = GpuRowsWriter.RowWidth(_c), pcount = Params.Count;
        string dParams = ", global::System.Span<float> dParameters";
        _w.WriteLine();
        using (_w.Block($"private static float _RunRows({RuntimeNames.KernelDevice} device, {views}, {gviews}{RowSpanParams()}, {head}{ParamParams()}{dParams}, global::System.ReadOnlySpan<float> upstream, bool inPlace, int ignoreIndex, bool gradient)"))
        {
            _w.WriteLine("if (device is null) throw new global::System.ArgumentNullException(nameof(device));");
            _w.WriteLine($"long _length = {Id(Inputs[0])}.Length;");
            foreach (var i in Inputs.Skip(1))
                _w.WriteLine($"if ({Id(i)}.Length != _length) throw global::KernelDsl.Runtime.Partials.LengthMismatch(nameof({Id(i)}), {Id(i)}.Length, nameof({Id(Inputs[0])}), _length);");
            _w.WriteLine($"int _rows = {RuntimeNames.RowBatch}.Count(_length, rowLength);");
            RowBatch.WriteIndexLimit(_w, _k, "rowLength", "rowLength");
            _w.WriteLine($"{RuntimeNames.RowBatch}.CheckPerRow(perRow.Length, _rows);");
            foreach (var i in Inputs)
                _w.WriteLine($"if ({D(i)}.Length != 0 && {D(i)}.Length != _length) throw global::KernelDsl.Runtime.Partials.OutputLength(nameof({D(i)}), {D(i)}.Length, _length);");
            if (pcount > 0) _w.WriteLine($"if (!dParameters.IsEmpty && dParameters.Length != {pcount}) throw global::KernelDsl.Runtime.Partials.OutputLength(nameof(dParameters), dParameters.Length, {pcount});");
            _w.WriteLine("int _writes = 0;");
            for (int i = 0; i < Inputs.Count; i++) _w.WriteLine($"if (gradient && {D(Inputs[i])}.Length != 0) _writes |= {1 << i};");
            WriteKernelChoice(pcount);
            ViewChecks(grads: true, InPlaceAllowed);
            _w.WriteLine($"{RuntimeNames.RowBatch}.CheckUpstream(upstream.Length, _rows);");
            RowBatch.WriteChecks(_w, _k);
            _w.WriteLine(RowBatch.Seed);
            _w.WriteLine($"double[] _rowIn = new double[{CSharpText.Times("(long)_rows", width)}];");
            using (_w.Block("for (int _r = 0; _r < _rows; _r++)"))
            {
                for (int k = 0; k < Rows.Count; k++) _w.WriteLine($"_rowIn[{CSharpText.At("(long)_r", width, k)}] = {Id(Rows[k])}[_r];");
                _w.WriteLine($"_rowIn[{CSharpText.At("(long)_r", width, Rows.Count)}] = upstream.IsEmpty ? _seed : _seed * upstream[_r];");
                var skip = RowBatch.SkipConditions(_k, "_r");
                if (skip.Count > 0) _w.WriteLine($"_rowIn[{CSharpText.At("(long)_r", width, Rows.Count + 1)}] = {string.Join(" || ", skip)} ? 1.0 : 0.0;");
            }
            _w.WriteLine($"double[] _consts = new double[] {{ {string.Join(", ", Params.Select(Id))} }};");
            _w.WriteLine($"double[] _rowOut = new double[{CSharpText.Times("(long)_rows", 1 + pcount)}];");
            _w.WriteLine($"var _kernels = {_st.Kernels}.For(device.Accelerator);");
            string args = $"{string.Join(", ", Inputs.Select(i => _st.ToKernel(Id(i))))}, {string.Join(", ", Inputs.Select(i => _st.ToKernel($"{D(i)}")))}, _writes, _rowIn, _consts, rowLength, _rows, _rowOut, device.AtomicReductions";
            using (_w.Block("switch (_kernel)", "}"))
            {
                _w.WriteLine($"case {_k.Value.Number}: _kernels.{_k.Value.Name}Rows({args}); break;");
                foreach (var k in _k.PerInput)
                    if (k != null) _w.WriteLine($"case {k.Number}: _kernels.{k.Name}Rows({args}); break;");
                _w.WriteLine($"default: _kernels.{_k.Gradient.Name}Rows({args}); break;");
            }
            _w.WriteLine("double _total = 0.0;");
            using (_w.Block("for (int _r = 0; _r < _rows; _r++)"))
            {
                _w.WriteLine($"_total += _rowOut[{CSharpText.Times("(long)_r", 1 + pcount)}];");
                _w.WriteLine($"if (!perRow.IsEmpty) perRow[_r] = (float)_rowOut[{CSharpText.Times("(long)_r", 1 + pcount)}];");
            }
            if (pcount > 0)
            {
                using (_w.Block("if (gradient && !dParameters.IsEmpty)"))
                using (_w.Block($"for (int _j = 0; _j < {pcount}; _j++)"))
                {
                    _w.WriteLine("double _g = 0.0;");
                    _w.WriteLine($"for (int _r = 0; _r < _rows; _r++) _g += _rowOut[{CSharpText.Times("(long)_r", 1 + pcount)} + 1 + _j];");
                    _w.WriteLine("dParameters[_j] = (float)_g;");
                }
            }
            _w.WriteLine($"return (float){RowBatch.Reduced};");
        }
    }
}
