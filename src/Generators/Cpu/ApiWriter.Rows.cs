using System.Collections.Generic;
using System.Linq;
using KernelDsl.Generators.Emit;

namespace KernelDsl.Generators.Cpu;

/// <summary>The batch entry points: Rows and RowsAndGradient, their row-level checks and the in-place rule.</summary>
internal sealed partial class ApiWriter
{
    // In place (opt-in): d_i may be exactly the span of input i, and no other input, when the kernel that runs writes d_i
    // in the last pass that reads input i (each element is read before it is overwritten, in that same iteration).
    private void CheckInPlace()
    {
        for (int n = 0; n < Inputs.Count; n++)
        {
            string i = Inputs[n];
            var safe = new List<string>();
            if (PlanKernelEmitterSafety.InPlaceSafe(_k.Gradient.Plan, n)) safe.Add("1");
            for (int m = 0; m < Inputs.Count; m++)
                if (_k.PerInput[m] is { } k && PlanKernelEmitterSafety.InPlaceSafe(k.Plan, n)) safe.Add((2 + m).ToString(System.Globalization.CultureInfo.InvariantCulture));
            var others = Inputs.Where(j => j != i).Select(j => $"global::System.MemoryExtensions.Overlaps((global::System.ReadOnlySpan<{S}>)d{i}, {Id(j)})");
            string exact = $"global::KernelDsl.Runtime.Partials.SameSpan((global::System.ReadOnlySpan<{S}>)d{i}, {Id(i)})";
            string allowed = safe.Count == 0 ? "false" : $"inPlace && {exact}{string.Concat(others.Select(o => " && !" + o))} && ({string.Join(" || ", safe.Select(k => "_kernel == " + k))})";
            _w.WriteLine($"if (({Overlap(i)}) && !({allowed})) throw global::KernelDsl.Runtime.Partials.Overlap(nameof(d{i}));");
        }
    }

    private void WriteRows(bool withGradient)
    {
        string name = withGradient ? "RowsAndGradient" : "Rows";
        string grads = withGradient ? ", " + GradParams() : "";
        string dParams = withGradient && Params.Count > 0 ? $", global::System.Span<{T}> dParameters = default" : "";
        string upstream = withGradient ? $", global::System.ReadOnlySpan<{T}> upstream = default, bool inPlace = false" : "";
        string ignore = HasLabels ? ", int ignoreIndex = -100" : "";
        _w.WriteLine();
        _w.WriteLine(withGradient
            ? "/// <summary>The formula on each row of row-major batches, reduced across rows, with the gradient of the reduced value (rows in parallel).</summary>"
            : "/// <summary>The formula on each row of row-major batches, reduced across rows (rows in parallel).</summary>");
        DocInputs();
        DocRowSpans();
        _w.WriteLine("/// <param name=\"rowLength\">Elements per row; must divide the inputs' length.</param>");
        _w.WriteLine("/// <param name=\"perRow\">Receives each row's value; empty to skip, else one element per row.</param>");
        _w.WriteLine("/// <param name=\"reduction\">How rows are combined: None (gradients of each row's value, times <c>upstream</c> if given; returns the sum), Sum, Mean (divided by rows × rowLength), BatchMean (divided by rows) or ValidMean (divided by the rows not skipped).</param>");
        if (withGradient) DocGrads();
        DocParams();
        if (withGradient) _w.WriteLine("/// <param name=\"upstream\">Optional, one per row: each row's gradient is scaled by it (the upstream gradient of reduction='none').</param>");
        if (withGradient) _w.WriteLine("/// <param name=\"inPlace\">Allows a gradient span to be exactly its input's span (the gradient overwrites the logits), where the plan reads that input for the last time in the pass that writes its gradient; otherwise overlapping spans throw.</param>");
        if (HasLabels) _w.WriteLine("/// <param name=\"ignoreIndex\">A label equal to it skips its row (value 0, gradient exactly 0), as PyTorch's ignore_index.</param>");
        _w.WriteLine("/// <returns>The reduced value.</returns>");
        _w.WriteLine("/// <exception cref=\"global::System.ArgumentException\">Lengths disagree, <paramref name=\"rowLength\"/> is not positive or does not divide the length, or an output span has the wrong length.</exception>");
        using (_w.Block($"public static unsafe {T} {name}({InputParams()}{RowSpanParams()}, int rowLength, global::System.Span<{T}> perRow, global::KernelDsl.Runtime.RowReduction reduction{grads}{ScalarParams()}{dParams}{upstream}{ignore})"))
        {
            CheckInputs("_length");
            _w.WriteLine("if (rowLength <= 0) throw new global::System.ArgumentOutOfRangeException(nameof(rowLength), rowLength, \"rowLength must be positive.\");");
            _w.WriteLine("if (_length % rowLength != 0) throw new global::System.ArgumentException($\"rowLength {rowLength} does not divide the inputs' length {_length}.\", nameof(rowLength));");
            RowBatch.WriteIndexLimit(_w, _c, "rowLength", "rowLength");
            _w.WriteLine("int _rows = _length / rowLength;");
            _w.WriteLine("if (!perRow.IsEmpty && perRow.Length != _rows) throw global::KernelDsl.Runtime.Partials.OutputLength(nameof(perRow), perRow.Length, _rows);");
            if (withGradient) CheckGrads("_length", overlapChecks: false);
            if (withGradient) _w.WriteLine("if (!upstream.IsEmpty && upstream.Length != _rows) throw new global::System.ArgumentException($\"'upstream' has length {upstream.Length}; it must be empty or have one value per row ({_rows}).\", nameof(upstream));");
            RowBatch.WriteChecks(_w, _c);
            _w.WriteLine(RowBatch.Seed);
            if (withGradient)
            {
                WriteKernelChoice();
                CheckInPlace();
            }
            _w.WriteLine("double[]? _rented = null;");
            int pcount = withGradient ? Params.Count : 0;
            _w.WriteLine($"int _size = _rows * {1 + pcount};");
            _w.WriteLine("global::System.Span<double> _buffer = _size <= 256 ? stackalloc double[256] : (_rented = global::System.Buffers.ArrayPool<double>.Shared.Rent(_size));");
            using (_w.Block("try"))
            {
                // Pin the inputs and gradients (storage type), the upstream and row-level reals (compute type), the labels.
                string fixedList = FixedInputs() + (withGradient ? ", " + FixedGrads() : "");
                var computeFixed = (withGradient ? new[] { "_upstream = upstream" } : System.Array.Empty<string>())
                    .Concat(Rows.Where((r, i) => !IsLabel(i)).Select(r => $"_{r} = {Id(r)}")).ToList();
                _w.WriteLine($"fixed ({S}* {fixedList})");
                if (computeFixed.Count > 0) _w.WriteLine($"fixed ({T}* {string.Join(", ", computeFixed)})");
                for (int i = 0; i < Rows.Count; i++)
                    if (IsLabel(i)) _w.WriteLine($"fixed (int* _{Rows[i]} = {Id(Rows[i])})");
                using (_w.Block("fixed (double* _values = _buffer)"))
                    WriteRowsBody(withGradient);
            }
            using (_w.Block("finally"))
                _w.WriteLine("if (_rented != null) global::System.Buffers.ArrayPool<double>.Shared.Return(_rented);");
        }
    }

    // Inside the pins: launch the rows, then combine their values and parameter gradients in row order.
    private void WriteRowsBody(bool withGradient)
    {
        var init = new List<string>();
        foreach (var i in Inputs) init.Add($"{Id(i)} = _{i}");
        if (withGradient) foreach (var i in Inputs) init.Add($"_grad_{i} = _d{i}");
        foreach (var p in Params) init.Add($"{Id(p)} = {Id(p)}");
        foreach (var r in Rows) init.Add($"{Id(r)} = _{r}");
        if (HasLabels) init.Add("IgnoreIndex = ignoreIndex");
        init.Add(withGradient ? "Upstream = _upstream" : "Upstream = null");
        init.Add("RowLength = rowLength");
        init.Add("Values = _values");
        init.Add(withGradient && Params.Count > 0 ? "ParameterGradients = dParameters.IsEmpty ? null : _values + _rows" : "ParameterGradients = null");
        init.Add("Seed = _seed");
        init.Add($"Kernel = {(withGradient ? "_kernel" : "0")}");
        _w.WriteLine($"var _job = new {Kernels}.RowsJob {{ {string.Join(", ", init)} }};");
        _w.WriteLine("global::KernelDsl.Runtime.Chunking.Run(ref _job, _rows, global::KernelDsl.Runtime.Chunking.ShouldParallelize(_length));");
        _w.WriteLine("double _total = 0.0;");
        using (_w.Block("for (int _r = 0; _r < _rows; _r++)"))
        {
            _w.WriteLine("_total += _values[_r];");
            _w.WriteLine($"if (!perRow.IsEmpty) perRow[_r] = ({T})_values[_r];");
        }
        if (withGradient && Params.Count > 0)
        {
            using (_w.Block("if (!dParameters.IsEmpty)"))
            using (_w.Block($"for (int _j = 0; _j < {Params.Count}; _j++)"))
            {
                _w.WriteLine("double _g = 0.0;");
                _w.WriteLine($"for (int _r = 0; _r < _rows; _r++) _g += _values[_rows + _r * {Params.Count} + _j];");
                _w.WriteLine($"dParameters[_j] = ({T})_g;");
            }
        }
        _w.WriteLine($"return ({T}){RowBatch.Reduced};");
    }
}
