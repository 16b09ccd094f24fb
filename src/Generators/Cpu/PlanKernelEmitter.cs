using System.Collections.Generic;
using System.Linq;
using KernelDsl.Generators.Emit;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Ops;
using KernelDsl.Language.Planning;

namespace KernelDsl.Generators.Cpu;

/// <summary>
/// Writes the kernel of one plan for one element type: a <c>Run</c> method that computes the prologue, runs each pass over
/// deterministic chunks (in parallel when large), combines the chunks' partial accumulators in chunk order and computes each
/// pass's scalar epilogue; and one job struct per pass whose generic <c>Loop</c> is instantiated per SIMD width.
/// </summary>
internal sealed class PlanKernelEmitter
{
    private readonly IndentedWriter _w;
    private readonly Plan _plan;
    private readonly Graph _g;
    private readonly CpuType _t;
    private readonly string _name;

    private PlanKernelEmitter(IndentedWriter w, Plan plan, CpuType type, string name)
    {
        _w = w;
        _plan = plan;
        _g = plan.Graph;
        _t = type;
        _name = name;
    }

    /// <summary>Emits the kernel named <paramref name="name"/>.</summary>
    public static void Emit(IndentedWriter w, Plan plan, CpuType type, string name, string summary) =>
        new PlanKernelEmitter(w, plan, type, name).Emit(summary);

    /// <summary>The slots each accumulator takes in a chunk's partial results (logsumexp keeps a max and a sum).</summary>
    private static int Slots(Node reduction) => PartialsCombiner.Slots(reduction);

    private int SlotsOf(Pass pass) => pass.Accumulators.Sum(Slots);

    private string T => _t.Keyword;
    private string S => _t.Storage;

    /// <summary>The signature shared by every plan kernel of a declaration.</summary>
    public static string Parameters(Graph g, CpuType t)
    {
        var parts = new List<string>();
        foreach (var input in g.InputNames) parts.Add($"{t.Storage}* {NodeCode.CSharp(input)}");
        foreach (var input in g.InputNames) parts.Add($"{t.Storage}* _grad_{input}");
        parts.Add("nint n");
        foreach (var p in g.ParameterNames) parts.Add($"double {NodeCode.CSharp(p)}");
        foreach (var r in g.RowInputNames) parts.Add($"double {NodeCode.CSharp(r)}");
        parts.Add("double* _parameterGradients");
        parts.Add("double _seed");
        parts.Add("bool _parallel");
        return string.Join(", ", parts);
    }

    private void Emit(string summary)
    {
        int maxSlots = _plan.Passes.Count == 0 ? 0 : _plan.Passes.Max(SlotsOf);
        _w.WriteLine($"/// <summary>{CSharpText.XmlText(summary)}</summary>");
        _w.WriteLine("/// <remarks><code>");
        foreach (var line in _plan.Describe().TrimEnd('\n').Split('\n'))
            _w.WriteLine("/// " + CSharpText.XmlText(line));
        _w.WriteLine("/// </code></remarks>");
        using (_w.Block($"internal static double {_name}({Parameters(_g, _t)})"))
        {
            foreach (var node in _plan.Prologue) WriteScalar(node);
            if (_plan.Passes.Count > 0)
            {
                _w.WriteLine("int _chunks = global::KernelDsl.Runtime.Chunking.Count(n);");
                _w.WriteLine("bool _spread = _parallel && global::KernelDsl.Runtime.Chunking.ShouldParallelize(n);");
                // Each chunk's partial results: on the stack when few, else rented.
                _w.WriteLine($"using var _scratch = new {RuntimeNames.ScratchBuffer}({CSharpText.Times("_chunks", maxSlots)}, stackalloc double[256]);");
                using (_w.Block("fixed (double* _partials = _scratch.Span)"))
                {
                    foreach (var pass in _plan.Passes) WritePassCall(pass, maxSlots);
                    WriteOutputs();
                }
            }
            else
            {
                WriteOutputs();
            }
        }
        foreach (var pass in _plan.Passes)
        {
            _w.WriteLine();
            WritePassJob(pass);
        }
    }

    // Scalar-shaped and zero gradients, parameter gradients, and the value.
    private void WriteOutputs()
    {
        foreach (var f in _plan.Fills)
            _w.WriteLine($"if (_grad_{_g.InputNames[f.Input]} != null) new global::System.Span<{S}>(_grad_{_g.InputNames[f.Input]}, (int)n).Fill({_t.ToStorage($"_seed * {NodeCode.ScalarName(_g, f.Gradient)}")});");
        foreach (var z in _plan.ZeroGradients)
            _w.WriteLine($"if (_grad_{_g.InputNames[z]} != null) new global::System.Span<{S}>(_grad_{_g.InputNames[z]}, (int)n).Clear();");
        if (_plan.ParameterGradients.Any(p => p != null))
        {
            using (_w.Block("if (_parameterGradients != null)"))
            {
                for (int j = 0; j < _plan.ParameterGradients.Length; j++)
                    _w.WriteLine($"_parameterGradients[{j}] = {(_plan.ParameterGradients[j] is { } gp ? "_seed * " + NodeCode.ScalarName(_g, gp) : "0.0")};");
            }
        }
        _w.WriteLine($"return {NodeCode.ScalarName(_g, _plan.Value)};");
    }

    private void WriteScalar(Node node) => _w.WriteLine($"double _s{node.Id} = {NodeCode.Scalar(_g, node)};");

    // Generated names start with '_' (formula names cannot): the job's fields named after inputs never collide with them.
    private string JobName(Pass pass) => $"_{_name}Pass{pass.Index}";

    private void WritePassCall(Pass pass, int maxSlots)
    {
        _w.WriteLine($"// Pass {pass.Index}: {DescribePass(pass)}");
        var init = new List<string> { "n = n", "_partials = _partials" };
        foreach (var r in pass.Reads) init.Add($"{NodeCode.CSharp(_g.InputNames[r])} = {NodeCode.CSharp(_g.InputNames[r])}");
        foreach (var w in pass.Writes) init.Add($"_grad_{_g.InputNames[w.Input]} = _grad_{_g.InputNames[w.Input]}");
        foreach (var s in pass.Invariants) init.Add($"_s{s.Id} = {_t.FromDouble(NodeCode.ScalarName(_g, s))}");
        if (pass.Writes.Count > 0) init.Add($"_seed = {_t.FromDouble("_seed")}");
        _w.WriteLine($"var _job{pass.Index} = new {JobName(pass)} {{ {string.Join(", ", init)} }};");
        _w.WriteLine($"global::KernelDsl.Runtime.Chunking.Run(ref _job{pass.Index}, _chunks, _spread);");
        PartialsCombiner.Write(_w, pass, "_partials", "_chunks", maxSlots);
        foreach (var node in pass.Epilogue) WriteScalar(node);
    }

    private string DescribePass(Pass pass)
    {
        var parts = new List<string>();
        foreach (var r in pass.Accumulators) parts.Add($"s{r.Id} = {PlanPrinter.Expression(_g, r, top: true)}");
        foreach (var w in pass.Writes) parts.Add($"writes d{_g.InputNames[w.Input]}");
        return string.Join("; ", parts);
    }

    private void WritePassJob(Pass pass)
    {
        int slots = SlotsOf(pass);
        int maxSlots = _plan.Passes.Max(SlotsOf);
        _w.WriteLine($"/// <summary>Pass {pass.Index} of <see cref=\"{_name}\"/>, one chunk at a time.</summary>");
        string loops = _t.IsLowPrecision ? "" : $", global::KernelDsl.Runtime.ISimdLoop<{T}>";
        using (_w.Block($"private struct {JobName(pass)} : global::KernelDsl.Runtime.IChunkJob{loops}"))
        {
            _w.WriteLine("public nint n;");
            _w.WriteLine("public double* _partials;");
            foreach (var r in pass.Reads) _w.WriteLine($"public {S}* {NodeCode.CSharp(_g.InputNames[r])};");
            foreach (var w in pass.Writes) _w.WriteLine($"public {S}* _grad_{_g.InputNames[w.Input]};");
            foreach (var s in pass.Invariants) _w.WriteLine($"public {T} _s{s.Id};");
            if (pass.Writes.Count > 0) _w.WriteLine($"public {T} _seed;");
            _w.WriteLine();
            using (_w.Block("void global::KernelDsl.Runtime.IChunkJob.Run(int _chunk)"))
            {
                _w.WriteLine($"double* _acc = _partials + {CSharpText.Times("_chunk", maxSlots)};");
                int slot = 0;
                foreach (var r in pass.Accumulators)
                {
                    if (r.Op == OpTable.Sum) _w.WriteLine($"_acc[{slot}] = 0.0;");
                    else if (r.Op == OpTable.LogSumExp) _w.WriteLine($"_acc[{slot}] = double.NegativeInfinity; _acc[{slot + 1}] = 0.0;");
                    else _w.WriteLine($"_acc[{slot}] = {(r.Op == OpTable.MaxReduce ? "double.NegativeInfinity" : "double.PositiveInfinity")};");
                    slot += Slots(r);
                }
                if (!_t.IsLowPrecision)
                {
                    // The widest width the machine has, then the tail one element at a time.
                    _w.WriteLine(_t.IsGeneric ? "_TWidths.Run(ref this, _chunk, n, _acc);" : $"global::KernelDsl.Runtime.SimdLoops.Run{_t.Name}(ref this, _chunk, n, _acc);");
                }
                else
                {
                    _w.WriteLine("nint _i = (nint)_chunk * global::KernelDsl.Runtime.Chunking.ChunkSize;");
                    _w.WriteLine("nint _end = global::System.Math.Min(_i + global::KernelDsl.Runtime.Chunking.ChunkSize, n);");
                    string s = _t.Suffix;
                    _w.WriteLine($"if (global::KernelDsl.Runtime.Simd512{s}.IsHardwareAccelerated) _i = _Loop<global::System.Runtime.Intrinsics.Vector512<{T}>, global::KernelDsl.Runtime.Simd512{s}>(_i, _end, _acc);");
                    _w.WriteLine($"else if (global::KernelDsl.Runtime.Simd256{s}.IsHardwareAccelerated) _i = _Loop<global::System.Runtime.Intrinsics.Vector256<{T}>, global::KernelDsl.Runtime.Simd256{s}>(_i, _end, _acc);");
                    _w.WriteLine($"else if (global::KernelDsl.Runtime.Simd128{s}.IsHardwareAccelerated) _i = _Loop<global::System.Runtime.Intrinsics.Vector128<{T}>, global::KernelDsl.Runtime.Simd128{s}>(_i, _end, _acc);");
                    _w.WriteLine($"_Loop<{T}, global::KernelDsl.Runtime.Scalar{s}>(_i, _end, _acc); // the tail, one element at a time");
                }
            }
            _w.WriteLine();
            WriteLoop(pass, slots);
        }
    }

    private void WriteLoop(Pass pass, int slots)
    {
        _w.WriteLine("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]");
        using (_w.Block(_t.IsLowPrecision
            ? $"private nint _Loop<TVec, V>(nint _i, nint _end, double* _acc) where TVec : struct where V : struct, global::KernelDsl.Runtime.ISimd<TVec, {T}>{_t.Constraint}"
            : $"nint global::KernelDsl.Runtime.ISimdLoop<{T}>.Loop<TVec, V>(nint _i, nint _end, double* _acc)"))
        {
            foreach (var r in pass.Reads)
            {
                string name = _g.InputNames[r];
                // The width's type parameters hide a field of the same name: read it through 'this'.
                string field = name is "TVec" or "V" ? "this." + name : NodeCode.CSharp(name);
                _w.WriteLine($"{S}* _ptr_{name} = {field};");
            }
            foreach (var s in pass.Invariants) _w.WriteLine($"TVec _b{s.Id} = V.Broadcast(_s{s.Id});");
            if (pass.Writes.Count > 0) _w.WriteLine("TVec _seedv = V.Broadcast(_seed);");
            foreach (var w in pass.Writes)
            {
                string name = _g.InputNames[w.Input];
                _w.WriteLine($"{S}* _out_{name} = _grad_{name};");
            }
            using (_w.Block("while (_i + V.Count <= _end)"))
            {
                _w.WriteLine("nint _blockEnd = global::System.Math.Min(_i + global::KernelDsl.Runtime.Chunking.BlockSize, _end);");
                foreach (var r in pass.Accumulators)
                {
                    if (r.Op == OpTable.Sum) _w.WriteLine($"TVec _a{r.Id} = V.Zero;");
                    else if (r.Op == OpTable.LogSumExp) _w.WriteLine($"TVec _m{r.Id} = V.Broadcast({T}.NegativeInfinity), _a{r.Id} = V.Zero;");
                    else _w.WriteLine($"TVec _a{r.Id} = V.Broadcast({(r.Op == OpTable.MaxReduce ? T + ".NegativeInfinity" : T + ".PositiveInfinity")});");
                }
                using (_w.Block("for (; _i + V.Count <= _blockEnd; _i += V.Count)"))
                {
                    foreach (var r in pass.Reads)
                    {
                        string name = _g.InputNames[r];
                        _w.WriteLine($"TVec _in_{name} = V.{_t.LoadMethod}(ref *_ptr_{name}, _i);");
                    }
                    if (pass.UsesElementIndex) _w.WriteLine("TVec _index = V.Indices(_i);");
                    foreach (var node in pass.Elementwise)
                        _w.WriteLine($"TVec _v{node.Id} = {NodeCode.Vector(_g, node, _t)};");
                    foreach (var r in pass.Accumulators)
                    {
                        string x = NodeCode.VectorName(_g, _g[r.Args[0]], _t);
                        if (r.Op == OpTable.Sum) _w.WriteLine($"_a{r.Id} = V.Add(_a{r.Id}, {x});");
                        else if (r.Op == OpTable.LogSumExp) _w.WriteLine($"V.LseAccumulate(ref _m{r.Id}, ref _a{r.Id}, {x});");
                        else _w.WriteLine($"_a{r.Id} = V.{(r.Op == OpTable.MaxReduce ? "Max" : "Min")}(_a{r.Id}, {x});");
                    }
                    foreach (var w in pass.Writes)
                    {
                        string name = _g.InputNames[w.Input];
                        _w.WriteLine($"if (_out_{name} != null) V.{_t.StoreMethod}(V.Mul(_seedv, {NodeCode.VectorName(_g, w.Gradient, _t)}), ref *_out_{name}, _i);");
                    }
                }
                int slot = 0;
                foreach (var r in pass.Accumulators)
                {
                    if (r.Op == OpTable.Sum) _w.WriteLine($"_acc[{slot}] += V.SumToDouble(_a{r.Id});");
                    else if (r.Op == OpTable.LogSumExp) _w.WriteLine($"V.LseCombine(_m{r.Id}, _a{r.Id}, ref _acc[{slot}], ref _acc[{slot + 1}]);");
                    else _w.WriteLine($"_acc[{slot}] = global::KernelDsl.Runtime.Partials.{(r.Op == OpTable.MaxReduce ? "Max" : "Min")}(_acc[{slot}], {_t.ToDouble($"V.{(r.Op == OpTable.MaxReduce ? "MaxAcross" : "MinAcross")}(_a{r.Id})")});");
                    slot += Slots(r);
                }
            }
            _w.WriteLine("return _i;");
        }
    }
}
