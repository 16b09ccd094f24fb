using System.Collections.Generic;
using System.Linq;
using KernelDsl.Generators.Cpu;
using KernelDsl.Generators.Emit;
using KernelDsl.Language;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Ops;
using KernelDsl.Language.Planning;

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
    private readonly Plan _plan;
    private readonly string _name;
    private readonly GpuScalars _scalars;
    private readonly int _slots;

    public GpuPlanWriter(CompiledFormula c, Plan plan, string name)
    {
        _c = c;
        _plan = plan;
        _name = name;
        _scalars = new GpuScalars(plan);
        _slots = plan.Passes.Count == 0 ? 1 : System.Math.Max(1, plan.Passes.Max(p => p.Accumulators.Sum(PartialsCombiner.Slots)));
    }

    private Graph G => _plan.Graph;
    private string PassName(Pass p) => $"{_name}Pass{p.Index}";
    private string FinishName(Pass p) => $"{_name}Finish{p.Index}";
    private static bool HasFinish(Pass p) => p.Accumulators.Count > 0 || p.Epilogue.Count > 0;

    private static bool HasSums(Pass p) => p.Accumulators.Any(r => r.Op == OpTable.Sum);

    /// <summary>
    /// The kernels this plan launches: launcher name, the method it loads, parameter types. A pass with sums has two
    /// launchers, ordered and atomic (the same method, instantiated for GpuOrderedSums or GpuAtomicSums).
    /// </summary>
    public IEnumerable<(string Launcher, string Method, string[] Types)> Kernels()
    {
        foreach (var pass in _plan.Passes)
        {
            var types = pass.Reads.Select(_ => View).Concat(pass.Writes.Select(_ => View)).Concat(new[] { Doubles, Doubles, "long", "int", "int" }).ToArray();
            string name = PassName(pass);
            yield return (name, $"{name}<{Gpu}GpuOrderedSums>", types);
            if (HasSums(pass)) yield return (name + "Atomic", $"{name}<{Gpu}GpuAtomicSums>", types);
            if (HasFinish(pass)) yield return (FinishName(pass), FinishName(pass), new[] { Doubles, Doubles, "int", "long" });
        }
    }

    /// <summary>The whole-view entry: views, gradient views, parameters, row-level inputs, parameter gradients, atomics.</summary>
    public void WriteWholeView(IndentedWriter w)
    {
        var g = G;
        var parts = new List<string>();
        parts.AddRange(_c.InputNames.Select(i => $"{View} {NodeCode.CSharp(i)}"));
        parts.AddRange(_c.InputNames.Select(i => $"{View} _grad_{i}"));
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
                w.WriteLine($"if (n > 0 && _grad_{g.InputNames[i]}.Length == n) _writes |= {1 << i};");
            w.WriteLine($"double[] _rowIn = new double[] {{ {string.Concat(_c.RowInputNames.Select(r => NodeCode.CSharp(r) + ", "))}1.0, 0.0 }};");
            w.WriteLine($"double[] _out = new double[{1 + _c.ParameterNames.Count}];");
            string views = string.Join(", ", _c.InputNames.Select(NodeCode.CSharp).Concat(_c.InputNames.Select(i => "_grad_" + i)));
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
        var parameters = inputs.Select(i => $"{View} {NodeCode.CSharp(i)}").Concat(inputs.Select(i => $"{View} _grad_{i}"))
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
                foreach (var node in _plan.Prologue) w.WriteLine($"double _s{node.Id} = {NodeCode.Scalar(g, node)};");
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
            foreach (var pass in _plan.Passes)
            {
                var args = new List<string> { "_stream", "_grid" };
                args.AddRange(pass.Reads.Select(r => NodeCode.CSharp(g.InputNames[r])));
                args.AddRange(pass.Writes.Select(wr => $"(_writes & {1 << wr.Input}) != 0 ? _grad_{g.InputNames[wr.Input]} : _scratch.Dummy<TE>()"));
                args.AddRange(new[] { "_partials", "_s", "n", "_writes", "_segments" });
                if (HasSums(pass))
                {
                    using (w.Block("if (_atomic)"))
                    {
                        w.WriteLine($"{Gpu}GpuCopy.Zero(_partials); // each row's segments add into its first partial");
                        w.WriteLine($"this.{PassName(pass)}AtomicKernel({string.Join(", ", args)});");
                    }
                    w.WriteLine($"else this.{PassName(pass)}Kernel({string.Join(", ", args)});");
                }
                else w.WriteLine($"this.{PassName(pass)}Kernel({string.Join(", ", args)});");
                if (HasFinish(pass))
                    w.WriteLine($"this.{FinishName(pass)}Kernel(_stream, new global::ILGPU.KernelConfig(rows, _gs), _partials, _s, _segments, n);");
            }
            foreach (var f in _plan.Fills)
                w.WriteLine($"if ((_writes & {1 << f.Input}) != 0) {Gpu}GpuCopy.FillRows<TS, TE>(_accelerator, _grad_{g.InputNames[f.Input]}, _s, n, {count}, {_scalars.Slot(f.Gradient)}, {_scalars.Seed}, {_scalars.Skip});");
            foreach (var z in _plan.ZeroGradients)
                w.WriteLine($"if ((_writes & {1 << z}) != 0) {Gpu}GpuCopy.Zero(_grad_{g.InputNames[z]});");
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
        foreach (var pass in _plan.Passes)
        {
            w.WriteLine();
            WritePass(w, pass);
            if (!HasFinish(pass)) continue;
            w.WriteLine();
            WriteFinish(w, pass);
        }
    }

    private void WritePass(IndentedWriter w, Pass pass)
    {
        var g = G;
        var parameters = pass.Reads.Select(r => $"{View} {NodeCode.CSharp(g.InputNames[r])}")
            .Concat(pass.Writes.Select(wr => $"{View} _grad_{g.InputNames[wr.Input]}"))
            .Concat(new[] { $"{Doubles} _partials", $"{Doubles} _s", "long n", "int _writes", "int _segments" });
        w.WriteLine($"/// <summary>Pass {pass.Index} of the {_name.ToLowerInvariant()} plan on one segment of one row: a grid-stride loop, then one partial per group (sums added atomically when <typeparamref name=\"_TA\"/> says so).</summary>");
        using (w.Block($"private static void {PassName(pass)}<_TA>({string.Join(", ", parameters)}) where _TA : struct, {Gpu}IGpuSums"))
        {
            w.WriteLine("int _row = global::ILGPU.Grid.IdxX / _segments, _segment = global::ILGPU.Grid.IdxX - _row * _segments;");
            w.WriteLine($"long _base = {CSharpText.Times("(long)_row", _scalars.Count)}, _o = (long)_row * n;");
            w.WriteLine("long _start = (long)_segment * global::ILGPU.Group.DimX + global::ILGPU.Group.IdxX, _stride = (long)_segments * global::ILGPU.Group.DimX;");
            using (w.Block($"if (_s[{CSharpText.Plus("_base", _scalars.Skip)}] != 0.0)"))
            {
                w.WriteLine("// A masked or ignored row (the whole group agrees): a gradient of exactly 0, no partials.");
                foreach (var wr in pass.Writes)
                    w.WriteLine($"if ((_writes & {1 << wr.Input}) != 0) for (long _j = _start; _j < n; _j += _stride) _grad_{g.InputNames[wr.Input]}[_o + _j] = TS.Store(0f);");
                w.WriteLine("return;");
            }
            foreach (var s in pass.Invariants) w.WriteLine($"float _b{s.Id} = (float)({_scalars.Device(s)});");
            if (pass.Writes.Count > 0) w.WriteLine($"float _seed = (float)_s[{CSharpText.Plus("_base", _scalars.Seed)}];");
            GpuKernelBody.Initialize(w, pass);
            using (w.Block("for (long _j = _start; _j < n; _j += _stride)"))
            {
                w.WriteLine("long _i = _o + _j;");
                GpuKernelBody.Element(w, g, pass, "_i", "_j");
            }
            if (pass.Accumulators.Count == 0) return;
            GpuKernelBody.AllocateShared(w);
            GpuKernelBody.ReduceGroup(w, pass);
            using (w.Block("if (global::ILGPU.Group.IdxX == 0)"))
            {
                w.WriteLine($"long _p = {CSharpText.Times("(long)global::ILGPU.Grid.IdxX", _slots)};");
                if (HasSums(pass)) w.WriteLine($"long _first = {CSharpText.Times("(long)_row * _segments", _slots)};");
                int slot = 0;
                foreach (var r in pass.Accumulators)
                {
                    if (r.Op == OpTable.LogSumExp)
                    {
                        w.WriteLine($"_partials[{CSharpText.Plus("_p", slot)}] = _m{r.Id};");
                        w.WriteLine($"_partials[{CSharpText.Plus("_p", slot + 1)}] = _a{r.Id};");
                    }
                    else if (r.Op == OpTable.Sum)
                        w.WriteLine($"if (_TA.Atomic) global::ILGPU.Atomic.Add(ref _partials[{CSharpText.Plus("_first", slot)}], _a{r.Id}); else _partials[{CSharpText.Plus("_p", slot)}] = _a{r.Id};");
                    else
                        w.WriteLine($"_partials[{CSharpText.Plus("_p", slot)}] = _a{r.Id};");
                    slot += PartialsCombiner.Slots(r);
                }
            }
        }
    }

    private void WriteFinish(IndentedWriter w, Pass pass)
    {
        var g = G;
        w.WriteLine($"/// <summary>Second stage of pass {pass.Index}, one group per row: the row's partials combined in a fixed order, then the epilogue.</summary>");
        using (w.Block($"private static void {FinishName(pass)}({Doubles} _partials, {Doubles} _s, int _segments, long n)"))
        {
            w.WriteLine("long _row = global::ILGPU.Grid.IdxX;");
            w.WriteLine($"long _base = {CSharpText.Times("_row", _scalars.Count)};");
            w.WriteLine($"if (_s[{CSharpText.Plus("_base", _scalars.Skip)}] != 0.0) return; // a skipped row (the whole group agrees)");
            // A pass has a second stage because it reduces (the planner gives an epilogue only to a pass with reductions).
            {
                GpuKernelBody.Initialize(w, pass);
                using (w.Block("for (int _g = global::ILGPU.Group.IdxX; _g < _segments; _g += global::ILGPU.Group.DimX)"))
                {
                    w.WriteLine($"long _p = {CSharpText.Times("(_row * _segments + _g)", _slots)};");
                    int slot = 0;
                    foreach (var r in pass.Accumulators)
                    {
                        string at = $"_partials[{CSharpText.Plus("_p", slot)}]";
                        if (r.Op == OpTable.Sum) w.WriteLine($"_a{r.Id} += {at};");
                        else if (r.Op == OpTable.LogSumExp)
                            w.WriteLine($"global::KernelDsl.Runtime.LogSumExp.Combine(ref _m{r.Id}, ref _a{r.Id}, {at}, _partials[{CSharpText.Plus("_p", slot + 1)}]);");
                        else w.WriteLine($"_a{r.Id} = global::KernelDsl.Runtime.Partials.{(r.Op == OpTable.MaxReduce ? "Max" : "Min")}(_a{r.Id}, {at});");
                        slot += PartialsCombiner.Slots(r);
                    }
                }
                GpuKernelBody.AllocateShared(w);
                GpuKernelBody.ReduceGroup(w, pass);
            }
            using (w.Block("if (global::ILGPU.Group.IdxX == 0)"))
            {
                foreach (var r in pass.Accumulators) w.WriteLine($"_s[{CSharpText.Plus("_base", _scalars.Slot(r))}] = {GpuKernelBody.Result(r)};");
                foreach (var node in pass.Epilogue)
                    w.WriteLine($"_s[{CSharpText.Plus("_base", _scalars.Slot(node))}] = {NodeCode.Scalar(g, node, _scalars.Device, GpuKernelBody.DoubleMath)};");
            }
        }
    }
}
