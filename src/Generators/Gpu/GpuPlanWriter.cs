using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using KernelDsl.Generators.Cpu;
using KernelDsl.Generators.Emit;
using KernelDsl.Language;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Ops;
using KernelDsl.Language.Planning;

namespace KernelDsl.Generators.Gpu;

/// <summary>Writes the host side of a plan (launches, ordered combination, scalar epilogues) and its pass kernels.</summary>
internal static class GpuPlanWriter
{
    private static int Slots(Node r) => PartialsCombiner.Slots(r);

    private static int MaxSlots(Plan plan) => plan.Passes.Count == 0 ? 1 : System.Math.Max(1, plan.Passes.Max(p => p.Accumulators.Sum(Slots)));

    /// <summary>The host signature shared by the plans: views, gradient views, parameters, row-level inputs, parameter gradients.</summary>
    public static string HostParameters(CompiledFormula c)
    {
        var parts = new List<string>();
        parts.AddRange(c.InputNames.Select(i => $"global::ILGPU.ArrayView<float> {NodeCode.CSharp(i)}"));
        parts.AddRange(c.InputNames.Select(i => $"global::ILGPU.ArrayView<float> _grad_{i}"));
        parts.AddRange(c.ParameterNames.Select(p => $"double {NodeCode.CSharp(p)}"));
        parts.AddRange(c.RowInputNames.Select(r => $"double {NodeCode.CSharp(r)}"));
        parts.Add("double[]? _parameterGradients");
        return string.Join(", ", parts);
    }

    public static void WriteHost(IndentedWriter w, CompiledFormula c, Plan plan, string name)
    {
        var g = plan.Graph;
        int maxSlots = MaxSlots(plan);
        int maxScalars = 1 + (plan.Passes.Count == 0 ? 0 : plan.Passes.Max(p => p.Invariants.Count));
        w.WriteLine($"/// <summary>Runs the {name.ToLowerInvariant()} plan ({plan.Passes.Count} passes) on the accelerator.</summary>");
        using (w.Block($"public double {name}({HostParameters(c)})"))
        {
            w.WriteLine($"int n = (int){NodeCode.CSharp(g.InputNames[0])}.Length;");
            w.WriteLine("int _threads = System.Math.Clamp(n, 1, 1 << 14); // fixed by the length: the same partials on every run");
            foreach (var node in plan.Prologue) w.WriteLine($"double _s{node.Id} = {NodeCode.Scalar(g, node)};");
            w.WriteLine($"using var _partials = _accelerator.Allocate1D<double>(_threads * {maxSlots});");
            w.WriteLine($"using var _scalars = _accelerator.Allocate1D<float>({maxScalars});");
            w.WriteLine("using var _dummy = _accelerator.Allocate1D<float>(1); // stands for a gradient not asked for");
            foreach (var pass in plan.Passes)
            {
                w.WriteLine($"// Pass {pass.Index}");
                var scalars = pass.Invariants.Select(s => $"(float){NodeCode.ScalarName(g, s)}").ToList();
                if (pass.Writes.Count > 0) scalars.Add("1f");
                if (scalars.Count > 0) w.WriteLine($"GpuCopy.ToDevice(_scalars.View, new float[] {{ {string.Join(", ", scalars)} }});");
                var args = new List<string> { "_threads" };
                args.AddRange(pass.Reads.Select(r => NodeCode.CSharp(g.InputNames[r])));
                args.AddRange(pass.Writes.Select(wr => $"n > 0 && _grad_{g.InputNames[wr.Input]}.Length == n ? _grad_{g.InputNames[wr.Input]} : _dummy.View"));
                args.AddRange(new[] { "_partials.View", "_scalars.View", "n", "_threads" });
                w.WriteLine($"_{name}Pass{pass.Index}({string.Join(", ", args)});");
                w.WriteLine("_accelerator.Synchronize();");
                if (pass.Accumulators.Count > 0) w.WriteLine($"double[] _host{pass.Index} = GpuCopy.ToHost(_partials);");
                PartialsCombiner.Write(w, pass, $"_host{pass.Index}", "_t", "_threads", maxSlots);
                foreach (var node in pass.Epilogue) w.WriteLine($"double _s{node.Id} = {NodeCode.Scalar(g, node)};");
            }
            foreach (var f in plan.Fills)
            {
                string gname = $"_grad_{g.InputNames[f.Input]}";
                w.WriteLine($"if (n > 0 && {gname}.Length == n) GpuCopy.Fill({gname}, (float){NodeCode.ScalarName(g, f.Gradient)});");
            }
            foreach (var z in plan.ZeroGradients)
                w.WriteLine($"if (n > 0 && _grad_{g.InputNames[z]}.Length == n) GpuCopy.Zero(_grad_{g.InputNames[z]});");
            for (int j = 0; j < plan.ParameterGradients.Length; j++)
                if (plan.ParameterGradients[j] is { } gp)
                    w.WriteLine($"if (_parameterGradients != null) _parameterGradients[{j}] = {NodeCode.ScalarName(g, gp)};");
            w.WriteLine($"return {NodeCode.ScalarName(g, plan.Value)};");
        }
    }

    public static void WriteKernel(IndentedWriter w, CompiledFormula c, Plan plan, Pass pass, string name)
    {
        var g = plan.Graph;
        int maxSlots = MaxSlots(plan);
        var parameters = new List<string> { "global::ILGPU.Index1D _t" };
        parameters.AddRange(pass.Reads.Select(r => $"global::ILGPU.ArrayView<float> {NodeCode.CSharp(g.InputNames[r])}"));
        parameters.AddRange(pass.Writes.Select(wr => $"global::ILGPU.ArrayView<float> _grad_{g.InputNames[wr.Input]}"));
        parameters.AddRange(new[] { "global::ILGPU.ArrayView<double> _partials", "global::ILGPU.ArrayView<float> _scalars", "int n", "int _threads" });
        w.WriteLine($"/// <summary>Pass {pass.Index} of the {name.ToLowerInvariant()} plan: thread _t takes elements _t, _t + threads, ...</summary>");
        using (w.Block($"private static void {name}Pass{pass.Index}({string.Join(", ", parameters)})"))
        {
            int k = 0;
            foreach (var s in pass.Invariants) w.WriteLine($"float _b{s.Id} = _scalars[{k++}];");
            if (pass.Writes.Count > 0) w.WriteLine($"float _seed = _scalars[{k}];");
            foreach (var r in pass.Accumulators)
            {
                if (r.Op == OpTable.Sum) w.WriteLine($"double _a{r.Id} = 0.0;");
                else if (r.Op == OpTable.LogSumExp) w.WriteLine($"double _m{r.Id} = double.NegativeInfinity, _a{r.Id} = 0.0;");
                else w.WriteLine($"double _a{r.Id} = {(r.Op == OpTable.MaxReduce ? "double.NegativeInfinity" : "double.PositiveInfinity")};");
            }
            using (w.Block("for (int _i = _t; _i < n; _i += _threads)"))
            {
                foreach (var r in pass.Reads) w.WriteLine($"float _in_{g.InputNames[r]} = {NodeCode.CSharp(g.InputNames[r])}[_i];");
                if (pass.UsesElementIndex) w.WriteLine("float _index = _i;");
                foreach (var node in pass.Elementwise) w.WriteLine($"float _v{node.Id} = {Expression(g, node)};");
                foreach (var r in pass.Accumulators)
                {
                    string x = Name(g, g[r.Args[0]]);
                    if (r.Op == OpTable.Sum) w.WriteLine($"_a{r.Id} += {x};");
                    else if (r.Op == OpTable.LogSumExp) w.WriteLine($"GpuD.LseStep(ref _m{r.Id}, ref _a{r.Id}, {x});");
                    else w.WriteLine($"_a{r.Id} = GpuD.{(r.Op == OpTable.MaxReduce ? "Max" : "Min")}(_a{r.Id}, {x});");
                }
                foreach (var wr in pass.Writes)
                {
                    string gname = $"_grad_{g.InputNames[wr.Input]}";
                    w.WriteLine($"if ({gname}.Length == n) {gname}[_i] = _seed * {Name(g, wr.Gradient)};");
                }
            }
            int slot = 0;
            foreach (var r in pass.Accumulators)
            {
                if (r.Op == OpTable.LogSumExp)
                {
                    w.WriteLine($"_partials[_t * {maxSlots} + {slot}] = _m{r.Id};");
                    w.WriteLine($"_partials[_t * {maxSlots} + {slot + 1}] = _a{r.Id};");
                }
                else w.WriteLine($"_partials[_t * {maxSlots} + {slot}] = _a{r.Id};");
                slot += Slots(r);
            }
        }
    }

    private static string Name(Graph g, Node n)
    {
        if (n.Op == OpTable.Input) return "_in_" + g.InputNames[n.Index];
        if (n.Op == OpTable.ElementIndex) return "_index";
        if (n.Op == OpTable.Constant) return CpuType.Float.Literal(n.Constant);
        if (!n.IsVector) return "_b" + n.Id;
        return "_v" + n.Id;
    }

    private static string Expression(Graph g, Node n)
    {
        string A(int k) => Name(g, g[n.Args[k]]);
        if (n.Op == OpTable.PowInt) return $"GpuF.PowInt({A(0)}, {n.Index.ToString(CultureInfo.InvariantCulture)})";
        return $"GpuF.{n.Op.CpuName}({string.Join(", ", Enumerable.Range(0, n.Args.Length).Select(A))})";
    }
}
