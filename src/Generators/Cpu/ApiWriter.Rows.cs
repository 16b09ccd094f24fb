using System.Collections.Generic;
using System.Linq;
using KernelDsl.Generators.Emit;
using KernelDsl.Language.Planning.Lowering;

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
            var others = Inputs.Where(j => j != i).ToList();
            string? kernel = RowBatch.InPlaceKernelCondition(_k.InPlace(n));
            string allowed = kernel is null ? "false"
                : $"inPlace && {Checks}.Same({D(i)}, {Id(i)}){(others.Count > 0 ? " && !" + Overlap(i, others) : "")}{(kernel.Length > 0 ? " && " + kernel : "")}";
            _w.WriteLine($"if ({Overlap(i)} && !({allowed})) throw global::KernelDsl.Runtime.Partials.Overlap(nameof({D(i)}));");
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
        if (Docs)
        {
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
            _w.WriteLine("/// <exception cref=\"global::System.ArgumentOutOfRangeException\"><paramref name=\"reduction\"/> is not a defined <c>RowReduction</c>.</exception>");
        }
        using (Method($"public static unsafe {T}", name, $"{InputParams()}{RowSpanParams()}, int rowLength, global::System.Span<{T}> perRow, {RuntimeNames.RowReduction} reduction{grads}{ScalarParams()}{dParams}{upstream}{ignore}"))
        {
            CheckInputs("_length");
            _w.WriteLine($"int _rows = {RuntimeNames.RowBatch}.Count(_length, rowLength);");
            RowBatch.WriteIndexLimit(_w, _k, "rowLength", "rowLength");
            _w.WriteLine($"{RuntimeNames.RowBatch}.CheckPerRow(perRow.Length, _rows);");
            if (withGradient) CheckGrads("_length", overlapChecks: false);
            if (withGradient) _w.WriteLine($"{RuntimeNames.RowBatch}.CheckUpstream(upstream.Length, _rows);");
            RowBatch.WriteChecks(_w, _k);
            _w.WriteLine(RowBatch.Seed);
            if (withGradient)
            {
                if (_k.HasChoice) WriteKernelChoice();
                CheckInPlace();
            }
            int pcount = withGradient ? Params.Count : 0;
            // Each row's value, then (when asked) each row's parameter gradients: on the stack when few, else rented.
            // Only the doubles needed are taken from the stack (and zeroed), not a fixed block.
            _w.WriteLine($"int _need = {CSharpText.Times("_rows", 1 + pcount)};");
            _w.WriteLine($"using var _scratch = new {RuntimeNames.ScratchBuffer}(_need, _need <= 256 ? stackalloc double[_need] : default);");
            // Pin the inputs and gradients (storage type), the upstream and row-level reals (compute type), the labels.
            string fixedList = FixedInputs() + (withGradient ? ", " + FixedGrads() : "");
            var computeFixed = (withGradient ? new[] { "_upstream = upstream" } : System.Array.Empty<string>())
                .Concat(Rows.Where((r, i) => !IsLabel(i)).Select(r => $"_{r} = {Id(r)}")).ToList();
            _w.WriteLine($"fixed ({S}* {fixedList})");
            if (computeFixed.Count > 0) _w.WriteLine($"fixed ({T}* {string.Join(", ", computeFixed)})");
            for (int i = 0; i < Rows.Count; i++)
                if (IsLabel(i)) _w.WriteLine($"fixed (int* _{Rows[i]} = {Id(Rows[i])})");
            using (_w.Block("fixed (double* _values = _scratch.Span)"))
                WriteRowsBody(withGradient);
        }
    }

    // Inside the pins: launch the rows, then combine their values and parameter gradients in row order.
    private void WriteRowsBody(bool withGradient)
    {
        var init = new List<string>();
        foreach (var i in Inputs) init.Add($"{Id(i)} = _{i}");
        if (withGradient) foreach (var i in Inputs) init.Add($"{LoweredNames.Gradient(i)} = _d{i}");
        foreach (var p in Params) init.Add($"{Id(p)} = {Id(p)}");
        foreach (var r in Rows) init.Add($"{Id(r)} = _{r}");
        if (HasLabels) init.Add("_ignoreIndex = ignoreIndex");
        if (withGradient) init.Add("_upstream = _upstream");
        init.Add("_rowLength = rowLength");
        init.Add("_values = _values");
        if (withGradient && Params.Count > 0) init.Add("_parameterGradients = dParameters.IsEmpty ? null : _values + _rows");
        init.Add("_seed = _seed");
        if (withGradient) init.Add($"_kernel = {(_k.HasChoice ? "_kernel" : "1")}");
        _w.WriteLine($"var _job = new {Kernels}._RowsJob {{ {string.Join(", ", init)} }};");
        _w.WriteLine("global::KernelDsl.Runtime.Chunking.Run(ref _job, _rows, global::KernelDsl.Runtime.Chunking.ShouldParallelize(_length));");
        _w.WriteLine($"double _total = {RuntimeNames.RowBatch}.Total(_values, _rows, perRow);");
        if (withGradient && Params.Count > 0)
            _w.WriteLine($"{RuntimeNames.RowBatch}.SumParameterGradients(_values + _rows, _rows, {Params.Count}, dParameters);");
        _w.WriteLine($"return ({T}){RowBatch.Reduced};");
    }
}
