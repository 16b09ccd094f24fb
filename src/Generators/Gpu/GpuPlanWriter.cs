using System.Collections.Generic;
using System.Linq;
using KernelDsl.Generators.Cpu;
using KernelDsl.Generators.Emit;
using KernelDsl.Language;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Planning;

namespace KernelDsl.Generators.Gpu;

/// <summary>
/// Writes one plan over whole views: per pass a grid-stride kernel (each group reduces its threads' accumulators in
/// shared memory and writes one partial per group) and a second-stage kernel (one group combines the groups' partials
/// in group order, then computes the pass's scalar epilogue on the device). Scalars stay on the device between passes;
/// the host copies them back once, at the end.
/// </summary>
internal sealed class GpuPlanWriter
{
    private const string View = "global::ILGPU.ArrayView<TE>";
    private const string Doubles = "global::ILGPU.ArrayView<double>";
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

    /// <summary>The kernels this plan launches: method name and parameter types.</summary>
    public IEnumerable<(string Method, string[] Types)> Kernels()
    {
        foreach (var pass in _plan.Passes)
        {
            yield return (PassName(pass), pass.Reads.Select(_ => View).Concat(pass.Writes.Select(_ => View))
                .Concat(new[] { Doubles, Doubles, "long", "int", "int" }).ToArray());
            if (HasFinish(pass)) yield return (FinishName(pass), new[] { Doubles, Doubles, "int", "long" });
        }
    }

    /// <summary>The host signature shared by the plans: views, gradient views, parameters, row-level inputs, parameter gradients.</summary>
    public static string HostParameters(CompiledFormula c)
    {
        var parts = new List<string>();
        parts.AddRange(c.InputNames.Select(i => $"{View} {NodeCode.CSharp(i)}"));
        parts.AddRange(c.InputNames.Select(i => $"{View} _grad_{i}"));
        parts.AddRange(c.ParameterNames.Select(p => $"double {NodeCode.CSharp(p)}"));
        parts.AddRange(c.RowInputNames.Select(r => $"double {NodeCode.CSharp(r)}"));
        parts.Add("double[]? _parameterGradients");
        parts.Add("bool _atomic");
        return string.Join(", ", parts);
    }

    public void WriteHost(IndentedWriter w)
    {
        var g = G;
        w.WriteLine($"/// <summary>Runs the {_name.ToLowerInvariant()} plan ({_plan.Passes.Count} passes) on the accelerator; one copy back, at the end.</summary>");
        using (w.Block($"public double {_name}({HostParameters(_c)})"))
        {
            w.WriteLine($"long n = {NodeCode.CSharp(g.InputNames[0])}.Length;");
            w.WriteLine("int _gs = global::KernelDsl.Runtime.Gpu.GpuLaunch.GroupSize(_accelerator);");
            w.WriteLine("int _groups = global::KernelDsl.Runtime.Gpu.GpuLaunch.Groups(_accelerator, n, _gs);");
            w.WriteLine("int _writes = 0;");
            for (int i = 0; i < g.InputNames.Count; i++)
                w.WriteLine($"if (n > 0 && _grad_{g.InputNames[i]}.Length == n) _writes |= {1 << i};");
            foreach (var node in _plan.Prologue) w.WriteLine($"double _s{node.Id} = {NodeCode.Scalar(g, node)};");
            w.WriteLine($"double[] _host = new double[{_scalars.Count}];");
            foreach (var node in _scalars.HostKnown) w.WriteLine($"_host[{_scalars.Slot(node)}] = {NodeCode.ScalarName(g, node)};");
            w.WriteLine("var _scratch = global::KernelDsl.Runtime.Gpu.GpuScratch.For(_accelerator);");
            w.OpenBlock("lock (_scratch.Gate)");
            w.WriteLine($"var _s = _scratch.Scalars({_scalars.Count});");
            w.WriteLine("global::KernelDsl.Runtime.Gpu.GpuCopy.ToDevice(_s, _host);");
            w.WriteLine($"var _partials = _scratch.Partials((long)_groups * {_slots});");
            w.WriteLine("var _stream = _accelerator.DefaultStream;");
            foreach (var pass in _plan.Passes)
            {
                var args = new List<string> { "_stream", "new global::ILGPU.KernelConfig(_groups, _gs)" };
                args.AddRange(pass.Reads.Select(r => NodeCode.CSharp(g.InputNames[r])));
                args.AddRange(pass.Writes.Select(wr => $"(_writes & {1 << wr.Input}) != 0 ? _grad_{g.InputNames[wr.Input]} : _scratch.Dummy<TE>()"));
                args.AddRange(new[] { "_partials", "_s", "n", "_writes" });
                if (pass.Accumulators.Any(r => r.Op == Language.Ops.OpTable.Sum))
                    w.WriteLine("if (_atomic) global::KernelDsl.Runtime.Gpu.GpuCopy.Zero(_partials); // the groups add into the first row");
                w.WriteLine($"{PassName(pass)}Kernel({string.Join(", ", args)}, _atomic ? 1 : 0);");
                if (HasFinish(pass))
                    w.WriteLine($"{FinishName(pass)}Kernel(_stream, new global::ILGPU.KernelConfig(1, _gs), _partials, _s, _groups, n);");
            }
            foreach (var f in _plan.Fills)
                w.WriteLine($"if ((_writes & {1 << f.Input}) != 0) global::KernelDsl.Runtime.Gpu.GpuCopy.Fill<TS, TE>(_accelerator, _grad_{g.InputNames[f.Input]}, _s, {_scalars.Slot(f.Gradient)});");
            foreach (var z in _plan.ZeroGradients)
                w.WriteLine($"if ((_writes & {1 << z}) != 0) global::KernelDsl.Runtime.Gpu.GpuCopy.Zero(_grad_{g.InputNames[z]});");
            w.WriteLine("double[] _out = global::KernelDsl.Runtime.Gpu.GpuCopy.ToHost(_s); // waits for the passes");
            for (int j = 0; j < _plan.ParameterGradients.Length; j++)
                if (_plan.ParameterGradients[j] is { } gp)
                    w.WriteLine($"if (_parameterGradients != null) _parameterGradients[{j}] = _out[{_scalars.Slot(gp)}];");
            w.WriteLine($"return _out[{_scalars.Slot(_plan.Value)}];");
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
            .Concat(new[] { $"{Doubles} _partials", $"{Doubles} _s", "long n", "int _writes", "int _atomic" });
        w.WriteLine($"/// <summary>Pass {pass.Index} of the {_name.ToLowerInvariant()} plan: a grid-stride loop, then one partial per group.</summary>");
        using (w.Block($"private static void {PassName(pass)}({string.Join(", ", parameters)})"))
        {
            foreach (var s in pass.Invariants) w.WriteLine($"float _b{s.Id} = (float)({_scalars.Device(s)});");
            if (pass.Writes.Count > 0) w.WriteLine("float _seed = 1f;");
            GpuKernelBody.Initialize(w, pass);
            w.WriteLine("long _stride = (long)global::ILGPU.Grid.DimX * global::ILGPU.Group.DimX;");
            using (w.Block("for (long _i = global::ILGPU.Grid.GlobalIndex.X; _i < n; _i += _stride)"))
                GpuKernelBody.Element(w, g, pass, "_i", "_i");
            if (pass.Accumulators.Count == 0) return;
            GpuKernelBody.ReduceGroup(w, pass);
            using (w.Block("if (global::ILGPU.Group.IdxX == 0)"))
            {
                int slot = 0;
                foreach (var r in pass.Accumulators)
                {
                    if (r.Op == Language.Ops.OpTable.LogSumExp)
                        w.WriteLine($"_partials[(long)global::ILGPU.Grid.IdxX * {_slots} + {slot + 1}] = _a{r.Id};");
                    string v = r.Op == Language.Ops.OpTable.LogSumExp ? $"_m{r.Id}" : $"_a{r.Id}";
                    if (r.Op == Language.Ops.OpTable.Sum)
                        w.WriteLine($"if (_atomic != 0) global::ILGPU.Atomic.Add(ref _partials[{slot}], {v}); else _partials[(long)global::ILGPU.Grid.IdxX * {_slots} + {slot}] = {v};");
                    else
                        w.WriteLine($"_partials[(long)global::ILGPU.Grid.IdxX * {_slots} + {slot}] = {v};");
                    slot += PartialsCombiner.Slots(r);
                }
            }
        }
    }

    private void WriteFinish(IndentedWriter w, Pass pass)
    {
        var g = G;
        w.WriteLine($"/// <summary>Second stage of pass {pass.Index}: one group combines the groups' partials in group order, then the epilogue.</summary>");
        using (w.Block($"private static void {FinishName(pass)}({Doubles} _partials, {Doubles} _s, int _groups, long n)"))
        {
            if (pass.Accumulators.Count > 0)
            {
                GpuKernelBody.Initialize(w, pass);
                using (w.Block("for (int _g = global::ILGPU.Group.IdxX; _g < _groups; _g += global::ILGPU.Group.DimX)"))
                {
                    int slot = 0;
                    foreach (var r in pass.Accumulators)
                    {
                        string at = $"_partials[(long)_g * {_slots} + {slot}]";
                        if (r.Op == Language.Ops.OpTable.Sum) w.WriteLine($"_a{r.Id} += {at};");
                        else if (r.Op == Language.Ops.OpTable.LogSumExp)
                            w.WriteLine($"global::KernelDsl.Runtime.LogSumExp.Combine(ref _m{r.Id}, ref _a{r.Id}, {at}, _partials[(long)_g * {_slots} + {slot + 1}]);");
                        else w.WriteLine($"_a{r.Id} = global::KernelDsl.Runtime.Partials.{(r.Op == Language.Ops.OpTable.MaxReduce ? "Max" : "Min")}(_a{r.Id}, {at});");
                        slot += PartialsCombiner.Slots(r);
                    }
                }
                GpuKernelBody.ReduceGroup(w, pass);
            }
            using (w.Block("if (global::ILGPU.Group.IdxX == 0)"))
            {
                foreach (var r in pass.Accumulators) w.WriteLine($"_s[{_scalars.Slot(r)}] = {GpuKernelBody.Result(r)};");
                foreach (var node in pass.Epilogue)
                    w.WriteLine($"_s[{_scalars.Slot(node)}] = {NodeCode.Scalar(g, node, _scalars.Device, GpuKernelBody.DoubleMath)};");
            }
        }
    }
}
