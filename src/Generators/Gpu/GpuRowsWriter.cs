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
/// Writes one plan over the rows of a row-major batch: one group per row runs every pass of the plan, reducing in
/// shared memory between passes, so the row's normalizers (its max, logsumexp, sums) never leave the chip and every
/// scalar of the plan is computed on the device. The host supplies, per row, the row-level inputs, the gradient seed
/// (the reduction's scale times the row's upstream) and whether the row is skipped; it gets back each row's value and
/// parameter gradients.
/// </summary>
internal sealed class GpuRowsWriter
{
    private const string View = "global::ILGPU.ArrayView<TE>";
    private const string Doubles = "global::ILGPU.ArrayView<double>";
    private readonly CompiledFormula _c;
    private readonly LoweredKernel _kernel;
    private readonly Plan _plan;
    private readonly string _name;

    public GpuRowsWriter(CompiledFormula c, LoweredKernel kernel)
    {
        _c = c;
        _kernel = kernel;
        _plan = kernel.Plan;
        _name = kernel.Name;
    }

    private Graph G => _plan.Graph;
    private string KernelName => _name + "ByRow";

    /// <summary>Per row on the host side: the row-level inputs, then the seed, then 1 if the row is skipped.</summary>
    public static int RowWidth(CompiledFormula c) => c.RowInputNames.Count + 2;

    public (string Launcher, string Method, string[] Types) Kernel() =>
        (KernelName, KernelName, _c.InputNames.Select(_ => View).Concat(_c.InputNames.Select(_ => View))
            .Concat(new[] { Doubles, Doubles, Doubles, "long", "int" }).ToArray());

    public void WriteHost(IndentedWriter w)
    {
        var inputs = _c.InputNames;
        var parameters = inputs.Select(i => $"{View} {NodeCode.CSharp(i)}").Concat(inputs.Select(i => $"{View} {LoweredNames.Gradient(i)}"))
            .Concat(new[] { "int _writes", "double[] _rowInputs", "double[] _constants", "long rowLength", "int rows", "double[] _rowOutputs", "bool _atomic" });
        string all = string.Join(", ", inputs.Select(NodeCode.CSharp).Concat(inputs.Select(i => LoweredNames.Gradient(i))));
        w.WriteLine($"/// <summary>");
        w.WriteLine($"/// Runs the {_name.ToLowerInvariant()} plan on every row; fills <c>_rowOutputs</c> (value, then parameter gradients, per row).");
        w.WriteLine("/// Rows enough to fill the device run one group per row, every pass in one kernel; fewer, longer rows (and whole");
        w.WriteLine("/// views) are split into segments, one group each, with a second stage per pass.");
        w.WriteLine($"/// </summary>");
        using (w.Block($"public void {_name}Rows({string.Join(", ", parameters)})"))
        {
            w.WriteLine("if (rows == 0) return;");
            w.WriteLine("int _gs = global::KernelDsl.Runtime.Gpu.GpuLaunch.GroupSize(_accelerator);");
            w.WriteLine("int _segments = global::KernelDsl.Runtime.Gpu.GpuLaunch.Segments(_accelerator, rows, rowLength, _gs);");
            using (w.Block("if (_segments > 1)"))
            {
                w.WriteLine($"this.{_name}Segments({all}, _writes, _rowInputs, _constants, rowLength, rows, _rowOutputs, _atomic, _segments, _gs);");
                w.WriteLine("return;");
            }
            w.WriteLine("var _scratch = global::KernelDsl.Runtime.Gpu.GpuScratch.For(_accelerator);");
            w.OpenBlock("lock (_scratch.Gate)");
            w.WriteLine("var _rowIn = _scratch.RowInputs(_rowInputs.Length);");
            w.WriteLine("global::KernelDsl.Runtime.Gpu.GpuCopy.ToDevice(_rowIn, _rowInputs);");
            w.WriteLine("var _consts = _scratch.Scalars(global::System.Math.Max(1, _constants.Length));");
            w.WriteLine("if (_constants.Length > 0) global::KernelDsl.Runtime.Gpu.GpuCopy.ToDevice(_consts, _constants);");
            w.WriteLine("var _rowOut = _scratch.RowOutputs(_rowOutputs.Length);");
            var args = new List<string> { "_accelerator.DefaultStream", "new global::ILGPU.KernelConfig(rows, _gs)" };
            args.AddRange(inputs.Select(NodeCode.CSharp));
            args.AddRange(inputs.Select((i, k) => $"(_writes & {1 << k}) != 0 ? {LoweredNames.Gradient(i)} : _scratch.Dummy<TE>()"));
            args.AddRange(new[] { "_rowIn", "_rowOut", "_consts", "rowLength", "_writes" });
            w.WriteLine($"this.{KernelName}Kernel({string.Join(", ", args)});");
            w.WriteLine("global::KernelDsl.Runtime.Gpu.GpuCopy.ToHost(_rowOut, _rowOutputs); // waits for the kernel");
            w.CloseBlock();
        }
    }

    public void WriteKernel(IndentedWriter w)
    {
        var g = G;
        var inputs = _c.InputNames;
        int width = RowWidth(_c), rowInputs = _c.RowInputNames.Count, pcount = _c.ParameterNames.Count;
        var parameters = inputs.Select(i => $"{View} {NodeCode.CSharp(i)}").Concat(inputs.Select(i => $"{View} {LoweredNames.Gradient(i)}"))
            .Concat(new[] { $"{Doubles} _rowIn", $"{Doubles} _rowOut", $"{Doubles} _consts", "long n", "int _writes" });
        string Scalar(Node node) => NodeCode.Scalar(g, node, a => NodeCode.ScalarName(g, a), GpuKernelBody.DoubleMath);
        string Loop(string body) => $"for (long _j = _t; _j < n; _j += _dim) {body}";

        w.WriteLine($"/// <summary>The {_name.ToLowerInvariant()} plan on row <c>Grid.IdxX</c>: every pass, with the row's reductions held in shared memory.</summary>");
        using (w.Block($"private static void {KernelName}({string.Join(", ", parameters)})"))
        {
            w.WriteLine("long _row = global::ILGPU.Grid.IdxX;");
            w.WriteLine("long _o = _row * n;");
            w.WriteLine("int _t = global::ILGPU.Group.IdxX, _dim = global::ILGPU.Group.DimX;");
            w.WriteLine($"double _rowSeed = _rowIn[{CSharpText.At("_row", width, rowInputs)}];");
            using (w.Block($"if (_rowIn[{CSharpText.At("_row", width, rowInputs + 1)}] != 0.0)"))
            {
                w.WriteLine("// A masked or ignored row: value 0 and a gradient of exactly 0.");
                for (int i = 0; i < inputs.Count; i++)
                    w.WriteLine($"if ((_writes & {1 << i}) != 0) {Loop($"{LoweredNames.Gradient(inputs[i])}[_o + _j] = TS.Store(0f);")}");
                w.WriteLine(pcount == 0
                    ? "if (_t == 0) _rowOut[_row] = 0.0;"
                    : $"if (_t == 0) for (int _k = 0; _k < {1 + pcount}; _k++) _rowOut[_row * {1 + pcount} + _k] = 0.0;");
                w.WriteLine("return;");
            }
            if (_plan.Passes.Any(p => p.Accumulators.Count > 0)) GpuKernelBody.AllocateShared(w);
            for (int j = 0; j < pcount; j++) w.WriteLine($"double {NodeCode.CSharp(_c.ParameterNames[j])} = _consts[{j}];");
            for (int k = 0; k < rowInputs; k++) w.WriteLine($"double {NodeCode.CSharp(_c.RowInputNames[k])} = _rowIn[{CSharpText.At("_row", width, k)}];");
            foreach (var node in _plan.Prologue) w.WriteLine($"double {LoweredNames.Scalar(node)} = {Scalar(node)};");
            foreach (var lowered in _kernel.Passes)
            {
                var pass = lowered.Pass;
                var outs = pass.Accumulators.Concat(pass.Epilogue).Select(n => LoweredNames.Scalar(n)).ToList();
                if (outs.Count > 0) w.WriteLine($"double {string.Join(", ", outs)};");
                using (w.Block($"// Pass {pass.Index}"))
                {
                    foreach (var s in pass.Invariants) w.WriteLine($"float {LoweredNames.Invariant(s)} = (float)({NodeCode.ScalarName(g, s)});");
                    if (pass.Writes.Count > 0) w.WriteLine("float _seed = (float)_rowSeed;");
                    GpuKernelBody.Initialize(w, lowered);
                    using (w.Block("for (long _j = _t; _j < n; _j += _dim)"))
                    {
                        w.WriteLine("long _i = _o + _j;");
                        GpuKernelBody.Element(w, g, lowered, "_i", "_j");
                    }
                    GpuKernelBody.ReduceGroup(w, lowered);
                    foreach (var r in lowered.Reductions) w.WriteLine($"{r.Scalar} = {GpuKernelBody.Result(r)};");
                    foreach (var node in pass.Epilogue) w.WriteLine($"{LoweredNames.Scalar(node)} = {Scalar(node)};");
                }
            }
            foreach (var f in _plan.Fills)
                w.WriteLine($"if ((_writes & {1 << f.Input}) != 0) {Loop($"{LoweredNames.Gradient(g.InputNames[f.Input])}[_o + _j] = TS.Store((float)(_rowSeed * {NodeCode.ScalarName(g, f.Gradient)}));")}");
            foreach (var z in _plan.ZeroGradients)
                w.WriteLine($"if ((_writes & {1 << z}) != 0) {Loop($"{LoweredNames.Gradient(g.InputNames[z])}[_o + _j] = TS.Store(0f);")}");
            using (w.Block("if (_t == 0)"))
            {
                w.WriteLine($"_rowOut[{CSharpText.Times("_row", 1 + pcount)}] = {NodeCode.ScalarName(g, _plan.Value)};");
                for (int j = 0; j < pcount; j++)
                    w.WriteLine($"_rowOut[{CSharpText.At("_row", 1 + pcount, 1 + j)}] = {(_plan.ParameterGradients[j] is { } gp ? "_rowSeed * " + NodeCode.ScalarName(g, gp) : "0.0")};");
            }
        }
    }
}
