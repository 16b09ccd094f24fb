using System.Collections.Generic;
using System.Linq;
using KernelDsl.Generators.Cpu;
using KernelDsl.Generators.Emit;
using KernelDsl.Language;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Planning;
using KernelDsl.Language.Planning.Lowering;

namespace KernelDsl.Generators.Gpu;

/// <summary>
/// Writes one plan over rows split into segments, one group per segment: per pass a grid-stride kernel over each row's
/// segments (each group reduces its threads in shared memory and writes one partial) and a second-stage kernel with one
/// group per row (it combines the row's partials in a fixed order, strided per thread then a tree, and computes the
/// pass's scalar epilogue in double on the device). A whole view is one row with as many segments as fill the device; a batch of few long rows gets several
/// segments per row, so 16 rows still use every multiprocessor. Scalars stay on the device between passes; the host
/// copies them back once, at the end. Also writes the whole-view entry the API calls (one row, seed 1).
/// </summary>
internal sealed class GpuPlanWriter
{
    private const string View = "global::ILGPU.ArrayView<TE>";
    private const string Doubles = "global::ILGPU.ArrayView<double>";
    private const string Gpu = "global::KernelDsl.Runtime.Gpu.";
    private readonly CompiledFormula _c;
    private readonly LoweredKernel _kernel;
    private readonly Plan _plan;
    private readonly string _name;
    private readonly GpuScalars _scalars;
    private readonly int _slots;

    public GpuPlanWriter(CompiledFormula c, LoweredKernel kernel)
    {
        _c = c;
        _kernel = kernel;
        _plan = kernel.Plan;
        _name = kernel.Name;
        _scalars = new GpuScalars(kernel.Plan);
        _slots = System.Math.Max(1, kernel.MaxSlots);
    }

    private Graph G => _plan.Graph;

    /// <summary>
    /// The kernels this plan launches: launcher name, the method it loads, parameter types. A pass with sums has two
    /// launchers, ordered and atomic (the same method, instantiated for GpuOrderedSums or GpuAtomicSums).
    /// </summary>
    public IEnumerable<(string Launcher, string Method, string[] Types)> Kernels()
    {
        foreach (var lowered in _kernel.Passes)
        {
            var pass = lowered.Pass;
            var types = pass.Reads.Select(_ => View).Concat(pass.Writes.Select(_ => View)).Concat(new[] { Doubles, Doubles, "long", "int", "int" }).ToArray();
            string name = lowered.Name;
            yield return (name, $"{name}<{Gpu}GpuOrderedSums>", types);
            if (lowered.HasSums) yield return (name + "Atomic", $"{name}<{Gpu}GpuAtomicSums>", types);
            if (lowered.HasFinish) yield return (lowered.FinishName, lowered.FinishName, new[] { Doubles, Doubles, "int", "long" });
        }
    }

    /// <summary>The whole-view entry: views, gradient views, parameters, row-level inputs, parameter gradients, atomics.</summary>
    public void WriteWholeView(IndentedWriter w)
    {
        var g = G;
        var parts = new List<string>();
        parts.AddRange(_c.InputNames.Select(i => $"{View} {NodeCode.CSharp(i)}"));
        parts.AddRange(_c.InputNames.Select(i => $"{View} {LoweredNames.Gradient(i)}"));
        parts.AddRange(_c.ParameterNames.Select(p => $"double {NodeCode.CSharp(p)}"));
        parts.AddRange(_c.RowInputNames.Select(r => $"double {NodeCode.CSharp(r)}"));
        parts.Add("double[]? _parameterGradients");
        parts.Add("bool _atomic");
        w.WriteLine($"/// <summary>The {_name.ToLowerInvariant()} plan over whole views: one row of the inputs' length, seed 1.</summary>");
        using (w.Block($"public double {_name}({string.Join(", ", parts)})"))
        {
            w.WriteLine($"long n = {NodeCode.CSharp(g.InputNames[0])}.Length;");
            w.WriteLine("int _writes = 0;");
            for (int i = 0; i < g.InputNames.Count; i++)
                w.WriteLine($"if (n > 0 && {LoweredNames.Gradient(g.InputNames[i])}.Length == n) _writes |= {1 << i};");
            w.WriteLine($"double[] _rowIn = new double[] {{ {string.Concat(_c.RowInputNames.Select(r => NodeCode.CSharp(r) + ", "))}1.0, 0.0 }};");
            w.WriteLine($"double[] _out = new double[{1 + _c.ParameterNames.Count}];");
            string views = string.Join(", ", _c.InputNames.Select(NodeCode.CSharp).Concat(_c.InputNames.Select(i => LoweredNames.Gradient(i))));
            w.WriteLine($"this.{_name}Rows({views}, _writes, _rowIn, new double[] {{ {string.Join(", ", _c.ParameterNames.Select(NodeCode.CSharp))} }}, n, 1, _out, _atomic);");
            if (_c.ParameterNames.Count > 0)
                w.WriteLine($"if (_parameterGradients != null) for (int _j = 0; _j < {_c.ParameterNames.Count}; _j++) _parameterGradients[_j] = _out[1 + _j];");
            w.WriteLine("return _out[0];");
        }
    }

    /// <summary>The host side of the segmented plan (called by the rows entry when rows are few or one).</summary>
    public void WriteHost(IndentedWriter w)
    {
        var g = G;
        var inputs = _c.InputNames;
        int width = GpuRowsWriter.RowWidth(_c), rowInputs = _c.RowInputNames.Count, count = _scalars.Count;
        var parameters = inputs.Select(i => $"{View} {NodeCode.CSharp(i)}").Concat(inputs.Select(i => $"{View} {LoweredNames.Gradient(i)}"))
            .Concat(new[] { "int _writes", "double[] _rowInputs", "double[] _constants", "long n", "int rows", "double[] _rowOutputs", "bool _atomic", "int _segments", "int _gs" });
        w.WriteLine($"/// <summary>The {_name.ToLowerInvariant()} plan ({_plan.Passes.Count} passes) with <paramref name=\"_segments\"/> groups per row; one copy back, at the end.</summary>");
        using (w.Block($"private void {_name}Segments({string.Join(", ", parameters)})"))
        {
            for (int j = 0; j < _c.ParameterNames.Count; j++) w.WriteLine($"double {NodeCode.CSharp(_c.ParameterNames[j])} = _constants[{j}];");
            w.WriteLine($"double[] _host = new double[{CSharpText.Times("(long)rows", count)}];");
            using (w.Block("for (int _r = 0; _r < rows; _r++)"))
            {
                w.WriteLine($"long _base = {CSharpText.Times("(long)_r", count)};");
                for (int k = 0; k < rowInputs; k++) w.WriteLine($"double {NodeCode.CSharp(_c.RowInputNames[k])} = _rowInputs[{CSharpText.At("(long)_r", width, k)}];");
                foreach (var node in _plan.Prologue) w.WriteLine($"double {LoweredNames.Scalar(node)} = {NodeCode.Scalar(g, node)};");
                foreach (var node in _scalars.HostKnown) w.WriteLine($"_host[{CSharpText.Plus("_base", _scalars.Slot(node))}] = {NodeCode.ScalarName(g, node)};");
                w.WriteLine($"_host[{CSharpText.Plus("_base", _scalars.Seed)}] = _rowInputs[{CSharpText.At("(long)_r", width, rowInputs)}];");
                w.WriteLine($"_host[{CSharpText.Plus("_base", _scalars.Skip)}] = _rowInputs[{CSharpText.At("(long)_r", width, rowInputs + 1)}];");
            }
            w.WriteLine($"var _scratch = {Gpu}GpuScratch.For(_accelerator);");
            w.OpenBlock("lock (_scratch.Gate)");
            w.WriteLine($"var _s = _scratch.Scalars(_host.Length);");
            w.WriteLine($"{Gpu}GpuCopy.ToDevice(_s, _host);");
            w.WriteLine($"var _partials = _scratch.Partials({CSharpText.Times("(long)rows * _segments", _slots)});");
            w.WriteLine("var _stream = _accelerator.DefaultStream;");
            w.WriteLine("var _grid = new global::ILGPU.KernelConfig(rows * _segments, _gs);");
            foreach (var lowered in _kernel.Passes)
            {
                var pass = lowered.Pass;
                var args = new List<string> { "_stream", "_grid" };
                args.AddRange(pass.Reads.Select(r => NodeCode.CSharp(g.InputNames[r])));
                args.AddRange(pass.Writes.Select(wr => $"(_writes & {1 << wr.Input}) != 0 ? {LoweredNames.Gradient(g.InputNames[wr.Input])} : _scratch.Dummy<TE>()"));
                args.AddRange(new[] { "_partials", "_s", "n", "_writes", "_segments" });
                if (lowered.HasSums)
                {
                    using (w.Block("if (_atomic)"))
                    {
                        w.WriteLine($"{Gpu}GpuCopy.Zero(_partials); // each row's segments add into its first partial");
                        w.WriteLine($"this.{lowered.Name}AtomicKernel({string.Join(", ", args)});");
                    }
                    w.WriteLine($"else this.{lowered.Name}Kernel({string.Join(", ", args)});");
                }
                else w.WriteLine($"this.{lowered.Name}Kernel({string.Join(", ", args)});");
                if (lowered.HasFinish)
                    w.WriteLine($"this.{lowered.FinishName}Kernel(_stream, new global::ILGPU.KernelConfig(rows, _gs), _partials, _s, _segments, n);");
            }
            foreach (var f in _plan.Fills)
                w.WriteLine($"if ((_writes & {1 << f.Input}) != 0) {Gpu}GpuCopy.FillRows<TS, TE>(_accelerator, {LoweredNames.Gradient(g.InputNames[f.Input])}, _s, n, {count}, {_scalars.Slot(f.Gradient)}, {_scalars.Seed}, {_scalars.Skip});");
            foreach (var z in _plan.ZeroGradients)
                w.WriteLine($"if ((_writes & {1 << z}) != 0) {Gpu}GpuCopy.Zero({LoweredNames.Gradient(g.InputNames[z])});");
            w.WriteLine($"double[] _out = {Gpu}GpuCopy.ToHost(_s); // waits for the passes");
            int pcount = _c.ParameterNames.Count;
            using (w.Block("for (int _r = 0; _r < rows; _r++)"))
            {
                w.WriteLine($"long _base = {CSharpText.Times("(long)_r", count)};");
                w.WriteLine($"bool _skip = _out[{CSharpText.Plus("_base", _scalars.Skip)}] != 0.0;");
                w.WriteLine($"_rowOutputs[{CSharpText.Times("(long)_r", 1 + pcount)}] = _skip ? 0.0 : _out[{CSharpText.Plus("_base", _scalars.Slot(_plan.Value))}];");
                for (int j = 0; j < pcount; j++)
                    w.WriteLine($"_rowOutputs[{CSharpText.At("(long)_r", 1 + pcount, 1 + j)}] = {(_plan.ParameterGradients[j] is { } gp ? $"_skip ? 0.0 : _out[{CSharpText.Plus("_base", _scalars.Seed)}] * _out[{CSharpText.Plus("_base", _scalars.Slot(gp))}]" : "0.0")};");
            }
            w.CloseBlock();
        }
    }

    public void WriteKernels(IndentedWriter w)
    {
        foreach (var pass in _kernel.Passes)
        {
            w.WriteLine();
            WritePass(w, pass);
            if (!pass.HasFinish) continue;
            w.WriteLine();
            WriteFinish(w, pass);
        }
    }

    private void WritePass(IndentedWriter w, LoweredPass lowered)
    {
        var g = G;
        var pass = lowered.Pass;
        var parameters = pass.Reads.Select(r => $"{View} {NodeCode.CSharp(g.InputNames[r])}")
            .Concat(pass.Writes.Select(wr => $"{View} {LoweredNames.Gradient(g.InputNames[wr.Input])}"))
            .Concat(new[] { $"{Doubles} _partials", $"{Doubles} _s", "long n", "int _writes", "int _segments" });
        w.WriteLine($"/// <summary>Pass {pass.Index} of the {_name.ToLowerInvariant()} plan on one segment of one row: a grid-stride loop, then one partial per group (sums added atomically when <typeparamref name=\"_TA\"/> says so).</summary>");
        using (w.Block($"private static void {lowered.Name}<_TA>({string.Join(", ", parameters)}) where _TA : struct, {Gpu}IGpuSums"))
        {
            w.WriteLine("int _row = global::ILGPU.Grid.IdxX / _segments, _segment = global::ILGPU.Grid.IdxX - _row * _segments;");
            w.WriteLine($"long _base = {CSharpText.Times("(long)_row", _scalars.Count)}, _o = (long)_row * n;");
            w.WriteLine("long _start = (long)_segment * global::ILGPU.Group.DimX + global::ILGPU.Group.IdxX, _stride = (long)_segments * global::ILGPU.Group.DimX;");
            using (w.Block($"if (_s[{CSharpText.Plus("_base", _scalars.Skip)}] != 0.0)"))
            {
                w.WriteLine("// A masked or ignored row (the whole group agrees): a gradient of exactly 0, no partials.");
                foreach (var wr in pass.Writes)
                    w.WriteLine($"if ((_writes & {1 << wr.Input}) != 0) for (long _j = _start; _j < n; _j += _stride) {LoweredNames.Gradient(g.InputNames[wr.Input])}[_o + _j] = TS.Store(0f);");
                w.WriteLine("return;");
            }
            foreach (var s in pass.Invariants) w.WriteLine($"float {LoweredNames.Invariant(s)} = (float)({_scalars.Device(s)});");
            if (pass.Writes.Count > 0) w.WriteLine($"float _seed = (float)_s[{CSharpText.Plus("_base", _scalars.Seed)}];");
            GpuKernelBody.Initialize(w, lowered);
            using (w.Block("for (long _j = _start; _j < n; _j += _stride)"))
            {
                w.WriteLine("long _i = _o + _j;");
                GpuKernelBody.Element(w, g, lowered, "_i", "_j");
            }
            if (lowered.Reductions.Count == 0) return;
            GpuKernelBody.AllocateShared(w);
            GpuKernelBody.ReduceGroup(w, lowered);
            using (w.Block("if (global::ILGPU.Group.IdxX == 0)"))
            {
                w.WriteLine($"long _p = {CSharpText.Times("(long)global::ILGPU.Grid.IdxX", _slots)};");
                if (lowered.HasSums) w.WriteLine($"long _first = {CSharpText.Times("(long)_row * _segments", _slots)};");
                foreach (var r in lowered.Reductions)
                {
                    // A sum may instead be added into the row's first partial; every other state is stored slot by slot.
                    if (r.Additive)
                        w.WriteLine($"if (_TA.Atomic) global::ILGPU.Atomic.Add(ref _partials[{CSharpText.Plus("_first", r.Offset)}], {r.Accumulator}); else _partials[{CSharpText.Plus("_p", r.Offset)}] = {r.Accumulator};");
                    else
                        foreach (var state in r.States) w.WriteLine($"_partials[{CSharpText.Plus("_p", state.Slot)}] = {state.Local};");
                }
            }
        }
    }

    private void WriteFinish(IndentedWriter w, LoweredPass lowered)
    {
        var g = G;
        var pass = lowered.Pass;
        w.WriteLine($"/// <summary>Second stage of pass {pass.Index}, one group per row: the row's partials combined in a fixed order, then the epilogue.</summary>");
        using (w.Block($"private static void {lowered.FinishName}({Doubles} _partials, {Doubles} _s, int _segments, long n)"))
        {
            w.WriteLine("long _row = global::ILGPU.Grid.IdxX;");
            w.WriteLine($"long _base = {CSharpText.Times("_row", _scalars.Count)};");
            w.WriteLine($"if (_s[{CSharpText.Plus("_base", _scalars.Skip)}] != 0.0) return; // a skipped row (the whole group agrees)");
            // A pass has a second stage because it reduces (the planner gives an epilogue only to a pass with reductions).
            {
                GpuKernelBody.Initialize(w, lowered);
                using (w.Block("for (int _g = global::ILGPU.Group.IdxX; _g < _segments; _g += global::ILGPU.Group.DimX)"))
                {
                    w.WriteLine($"long _p = {CSharpText.Times("(_row * _segments + _g)", _slots)};");
                    foreach (var r in lowered.Reductions)
                        w.WriteLine(GpuKernelBody.Merge(r, r.States.Select(s => $"_partials[{CSharpText.Plus("_p", s.Slot)}]").ToArray()));
                }
                GpuKernelBody.AllocateShared(w);
                GpuKernelBody.ReduceGroup(w, lowered);
            }
            using (w.Block("if (global::ILGPU.Group.IdxX == 0)"))
            {
                foreach (var r in lowered.Reductions) w.WriteLine($"_s[{CSharpText.Plus("_base", _scalars.Slot(r.Node))}] = {GpuKernelBody.Result(r)};");
                foreach (var node in pass.Epilogue)
                    w.WriteLine($"_s[{CSharpText.Plus("_base", _scalars.Slot(node))}] = {NodeCode.Scalar(g, node, _scalars.Device, GpuKernelBody.DoubleMath)};");
            }
        }
    }
}
