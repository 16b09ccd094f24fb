using System.Collections.Generic;
using System.Linq;
using KernelDsl.Generators.Emit;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Planning;
using KernelDsl.Language.Planning.Lowering;

namespace KernelDsl.Generators.Cpu;

/// <summary>
/// Writes the kernel of one plan for one element type: a <c>Run</c> method that computes the prologue, runs each pass over
/// deterministic chunks (in parallel when large), combines the chunks' partial accumulators in chunk order and computes each
/// pass's scalar epilogue; and one job struct per pass whose generic <c>Loop</c> is instantiated per SIMD width.
/// </summary>
internal sealed class PlanKernelEmitter
{
    private readonly IndentedWriter _w;
    private readonly LoweredKernel _kernel;
    private readonly Plan _plan;
    private readonly Graph _g;
    private readonly CpuType _t;
    private readonly string _name;

    private PlanKernelEmitter(IndentedWriter w, LoweredKernel kernel, CpuType type)
    {
        _w = w;
        _kernel = kernel;
        _plan = kernel.Plan;
        _g = kernel.Plan.Graph;
        _t = type;
        _name = kernel.Name;
    }

    /// <summary>Emits <paramref name="kernel"/> for the element type <paramref name="type"/>.</summary>
    public static void Emit(IndentedWriter w, LoweredKernel kernel, CpuType type) =>
        new PlanKernelEmitter(w, kernel, type).Emit(kernel.Summary);

    private string T => _t.Keyword;
    private string S => _t.Storage;

    /// <summary>The signature shared by every plan kernel of a declaration.</summary>
    public static string Parameters(Graph g, CpuType t)
    {
        var parts = new List<string>();
        foreach (var input in g.InputNames) parts.Add($"{t.Storage}* {NodeCode.CSharp(input)}");
        foreach (var input in g.InputNames) parts.Add($"{t.Storage}* {LoweredNames.Gradient(input)}");
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
        int maxSlots = _kernel.MaxSlots;
        _w.WriteLine($"/// <summary>{CSharpText.XmlText(summary)}</summary>");
        _w.WriteLine("/// <remarks><code>");
        foreach (var line in _plan.Describe().TrimEnd('\n').Split('\n'))
            _w.WriteLine("/// " + CSharpText.XmlText(line));
        _w.WriteLine("/// </code></remarks>");
        // The partials are not zeroed: each chunk resets its own slots before it accumulates (as with a rented array), so
        // a call over a short input does not clear the whole stack buffer first.
        if (_plan.Passes.Count > 0) _w.WriteLine("[global::System.Runtime.CompilerServices.SkipLocalsInit]");
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
                    foreach (var pass in _kernel.Passes) WritePassCall(pass, maxSlots);
                    WriteOutputs();
                }
            }
            else
            {
                WriteOutputs();
            }
        }
        foreach (var pass in _kernel.Passes)
        {
            _w.WriteLine();
            WritePassJob(pass);
        }
    }

    // Scalar-shaped and zero gradients, parameter gradients, and the value. Every parameter gradient is written, 0 where
    // it is structurally null (a parameter only under step, sign or iseq): callers read all of them from scratch memory.
    private void WriteOutputs()
    {
        foreach (var f in _plan.Fills)
            _w.WriteLine($"if ({LoweredNames.Gradient(_g.InputNames[f.Input])} != null) new global::System.Span<{S}>({LoweredNames.Gradient(_g.InputNames[f.Input])}, (int)n).Fill({_t.ToStorage($"_seed * {NodeCode.ScalarName(_g, f.Gradient)}")});");
        foreach (var z in _plan.ZeroGradients)
            _w.WriteLine($"if ({LoweredNames.Gradient(_g.InputNames[z])} != null) new global::System.Span<{S}>({LoweredNames.Gradient(_g.InputNames[z])}, (int)n).Clear();");
        if (_plan.ParameterGradients.Length > 0)
        {
            using (_w.Block("if (_parameterGradients != null)"))
            {
                for (int j = 0; j < _plan.ParameterGradients.Length; j++)
                    _w.WriteLine($"_parameterGradients[{j}] = {(_plan.ParameterGradients[j] is { } gp ? "_seed * " + NodeCode.ScalarName(_g, gp) : "0.0")};");
            }
        }
        _w.WriteLine($"return {NodeCode.ScalarName(_g, _plan.Value)};");
    }

    private void WriteScalar(Node node) => _w.WriteLine($"double {LoweredNames.Scalar(node)} = {NodeCode.Scalar(_g, node)};");

    // Generated names start with '_' (formula names cannot): the job's fields named after inputs never collide with them.
    private static string JobName(LoweredPass pass) => "_" + pass.Name;

    private void WritePassCall(LoweredPass lowered, int maxSlots)
    {
        var pass = lowered.Pass;
        _w.WriteLine($"// Pass {pass.Index}: {DescribePass(pass)}");
        var init = new List<string> { "n = n", "_partials = _partials" };
        foreach (var r in pass.Reads) init.Add($"{NodeCode.CSharp(_g.InputNames[r])} = {NodeCode.CSharp(_g.InputNames[r])}");
        foreach (var w in pass.Writes) init.Add($"{LoweredNames.Gradient(_g.InputNames[w.Input])} = {LoweredNames.Gradient(_g.InputNames[w.Input])}");
        foreach (var s in pass.Invariants) init.Add($"{LoweredNames.Scalar(s)} = {_t.FromDouble(NodeCode.ScalarName(_g, s))}");
        if (pass.Writes.Count == 0)
        {
            WriteRun(pass, JobName(lowered), init);
        }
        else
        {
            // The usual call (a seed of 1, every gradient of the pass asked for) runs the loop compiled to store the
            // gradients as computed: no multiply by the seed, no test of the output pointers.
            init.Add($"_seed = {_t.FromDouble("_seed")}");
            string asked = string.Concat(pass.Writes.Select(w => $" && {LoweredNames.Gradient(_g.InputNames[w.Input])} != null"));
            using (_w.Block($"if (_seed == 1.0{asked})")) WriteRun(pass, JobName(lowered) + "<" + DirectStores + ">", init);
            using (_w.Block("else")) WriteRun(pass, JobName(lowered) + "<" + GuardedStores + ">", init);
        }
        // The chunks' partials merged in chunk order, so the result does not depend on how the chunks were scheduled.
        foreach (var r in lowered.Reductions) _w.WriteLine(CpuReductions.Combine(r, "_partials", "_chunks", maxSlots));
        foreach (var node in pass.Epilogue) WriteScalar(node);
    }

    private const string DirectStores = "global::KernelDsl.Runtime.DirectStores";
    private const string GuardedStores = "global::KernelDsl.Runtime.GuardedStores";

    private void WriteRun(Pass pass, string job, List<string> init)
    {
        _w.WriteLine($"var _job{pass.Index} = new {job} {{ {string.Join(", ", init)} }};");
        _w.WriteLine($"global::KernelDsl.Runtime.Chunking.Run(ref _job{pass.Index}, _chunks, _spread);");
    }

    // A gradient as stored: as computed where the job's stores are direct, else times the seed.
    private string Seeded(Node gradient) => $"_S.Direct ? {NodeCode.VectorName(_g, gradient, _t)} : V.Mul(_seedv, {NodeCode.VectorName(_g, gradient, _t)})";

    private string DescribePass(Pass pass)
    {
        var parts = new List<string>();
        foreach (var r in pass.Accumulators) parts.Add($"s{r.Id} = {PlanPrinter.Expression(_g, r, top: true)}");
        foreach (var w in pass.Writes) parts.Add($"writes d{_g.InputNames[w.Input]}");
        return string.Join("; ", parts);
    }

    private void WritePassJob(LoweredPass lowered)
    {
        var pass = lowered.Pass;
        int maxSlots = _kernel.MaxSlots;
        _w.WriteLine($"/// <summary>Pass {pass.Index} of <see cref=\"{_name}\"/>, one chunk at a time.</summary>");
        if (pass.Writes.Count > 0) _w.WriteLine("/// <typeparam name=\"_S\">DirectStores when the seed is 1 and every gradient this pass writes is asked for (stored as computed), else GuardedStores.</typeparam>");
        string loops = _t.IsLowPrecision ? "" : $", global::KernelDsl.Runtime.ISimdLoop<{T}>";
        // A pass that writes gradients takes its way of storing them as a type argument (see IGradientStores).
        string job = pass.Writes.Count > 0
            ? $"{JobName(lowered)}<_S> : global::KernelDsl.Runtime.IChunkJob{loops} where _S : struct, global::KernelDsl.Runtime.IGradientStores"
            : $"{JobName(lowered)} : global::KernelDsl.Runtime.IChunkJob{loops}";
        using (_w.Block($"private struct {job}"))
        {
            _w.WriteLine("public nint n;");
            _w.WriteLine("public double* _partials;");
            foreach (var r in pass.Reads) _w.WriteLine($"public {S}* {NodeCode.CSharp(_g.InputNames[r])};");
            foreach (var w in pass.Writes) _w.WriteLine($"public {S}* {LoweredNames.Gradient(_g.InputNames[w.Input])};");
            foreach (var s in pass.Invariants) _w.WriteLine($"public {T} {LoweredNames.Scalar(s)};");
            if (pass.Writes.Count > 0) _w.WriteLine($"public {T} _seed;");
            _w.WriteLine();
            using (_w.Block("void global::KernelDsl.Runtime.IChunkJob.Run(int _chunk)"))
            {
                _w.WriteLine($"double* _acc = _partials + {CSharpText.Times("_chunk", maxSlots)};");
                foreach (var r in lowered.Reductions) _w.WriteLine(CpuReductions.Reset(r));
                if (!_t.IsLowPrecision)
                {
                    // The widest width the machine has (a chunk shorter than a vector: narrower ones, then one element at a time).
                    _w.WriteLine(_t.IsGeneric ? "_TWidths.Run(ref this, _chunk, n, _acc);" : $"global::KernelDsl.Runtime.SimdLoops.Run{_t.Name}(ref this, _chunk, n, _acc);");
                }
                else
                {
                    _w.WriteLine("nint _i = (nint)_chunk * global::KernelDsl.Runtime.Chunking.ChunkSize;");
                    _w.WriteLine("nint _end = global::System.Math.Min(_i + global::KernelDsl.Runtime.Chunking.ChunkSize, n);");
                    string s = _t.Suffix;
                    // As SimdLoops: the widest width ends the chunk with an overlapping vector; a shorter chunk goes narrower.
                    _w.WriteLine($"if (global::KernelDsl.Runtime.Simd512{s}.IsHardwareAccelerated) _i = _Loop<global::System.Runtime.Intrinsics.Vector512<{T}>, global::KernelDsl.Runtime.Simd512{s}>(_i, _end, _acc);");
                    _w.WriteLine($"if (global::KernelDsl.Runtime.Simd256{s}.IsHardwareAccelerated && _i + global::KernelDsl.Runtime.Simd256{s}.Count <= _end) _i = _Loop<global::System.Runtime.Intrinsics.Vector256<{T}>, global::KernelDsl.Runtime.Simd256{s}>(_i, _end, _acc);");
                    _w.WriteLine($"if (global::KernelDsl.Runtime.Simd128{s}.IsHardwareAccelerated && _i + global::KernelDsl.Runtime.Simd128{s}.Count <= _end) _i = _Loop<global::System.Runtime.Intrinsics.Vector128<{T}>, global::KernelDsl.Runtime.Simd128{s}>(_i, _end, _acc);");
                    _w.WriteLine($"if (_i < _end) _Loop<{T}, global::KernelDsl.Runtime.Scalar{s}>(_i, _end, _acc); // shorter than every vector: one element at a time");
                }
            }
            _w.WriteLine();
            WriteLoop(lowered);
            _w.WriteLine();
            WriteTail(lowered);
        }
    }

    private void WriteLoop(LoweredPass lowered)
    {
        var pass = lowered.Pass;
        // Never inlined: a tier-1 caller that inlines the loop spends the JIT's inlining budget of its own compilation, and
        // the loop body's math (log, rel_entr) then stays behind calls (measured: KL value 1.4x slower at n = 4096). As a
        // root of its own, the loop gets the whole budget; the call costs one per chunk.
        _w.WriteLine("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining | global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]");
        using (_w.Block(_t.IsLowPrecision
            ? $"private nint _Loop<TVec, V>(nint _i, nint _end, double* _acc) where TVec : struct where V : struct, global::KernelDsl.Runtime.ISimd<TVec, {T}>{_t.Constraint}"
            : $"nint global::KernelDsl.Runtime.ISimdLoop<{T}>.Loop<TVec, V>(nint _i, nint _end, double* _acc)"))
        {
            WriteLoopPrologue(pass);
            using (_w.Block("while (_i + V.Count <= _end)"))
            {
                // The last block takes the chunk's last elements when fewer than a vector would remain after a whole block,
                // so that they end it as an overlapping vector of this width.
                _w.WriteLine("nint _blockEnd = _end - _i < global::KernelDsl.Runtime.Chunking.BlockSize + V.Count ? _end : _i + global::KernelDsl.Runtime.Chunking.BlockSize;");
                foreach (var r in lowered.Reductions) _w.WriteLine(CpuReductions.Declare(r, _t));
                using (_w.Block("for (; _i + V.Count <= _blockEnd; _i += V.Count)"))
                {
                    foreach (var r in pass.Reads)
                    {
                        string name = _g.InputNames[r];
                        _w.WriteLine($"TVec {LoweredNames.Loaded(name)} = V.{_t.LoadMethod}(ref *_ptr_{name}, _i);");
                    }
                    if (pass.UsesElementIndex) _w.WriteLine("TVec _index = V.Indices(_i);");
                    // The gradients first, stored as soon as they are computed; then what only the reductions need. The
                    // gradients' values are then dead before the reductions' arguments (whose special-lane paths need many
                    // registers) are computed, so the JIT keeps the accumulators in registers.
                    var body = LoopBody.For(_plan, pass);
                    var forWrites = WriteClosure(pass);
                    foreach (var node in body.Nodes.Where(n => forWrites.Contains(n.Id)))
                        _w.WriteLine($"TVec _v{node.Id} = {NodeCode.Vector(_g, node, _t, body.IsWhole(node))};");
                    foreach (var w in pass.Writes)
                    {
                        string name = _g.InputNames[w.Input];
                        string v = NodeCode.VectorName(_g, w.Gradient, _t);
                        _w.WriteLine($"if (_S.Direct) V.{_t.StoreMethod}({v}, ref *_out_{name}, _i);");
                        _w.WriteLine($"else if (_out_{name} != null) V.{_t.StoreMethod}(V.Mul(_seedv, {v}), ref *_out_{name}, _i);");
                    }
                    foreach (var node in body.Nodes.Where(n => !forWrites.Contains(n.Id)))
                        _w.WriteLine($"TVec _v{node.Id} = {NodeCode.Vector(_g, node, _t, body.IsWhole(node))};");
                    foreach (var r in lowered.Reductions) _w.WriteLine(CpuReductions.Step(r, NodeCode.VectorName(_g, r.Argument, _t)));
                }
                WriteTailCall(lowered);
                foreach (var r in lowered.Reductions) _w.WriteLine(CpuReductions.Flush(r, _t));
            }
            _w.WriteLine("return _i;");
        }
    }

    // The ids of the pass's elementwise nodes that the written gradients depend on (closed under arguments, so they can
    // be computed first in their own order).
    private HashSet<int> WriteClosure(Pass pass)
    {
        var inPass = new HashSet<int>(pass.Elementwise.Select(n => n.Id));
        var closure = new HashSet<int>();
        var stack = new Stack<Node>(pass.Writes.Select(w => w.Gradient));
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (!inPass.Contains(node.Id) || !closure.Add(node.Id)) continue;
            foreach (int a in node.Args) stack.Push(_g[a]);
        }

        return closure;
    }

    // The pass's fields as locals: input pointers, invariants broadcast, the seed, gradient pointers.
    private void WriteLoopPrologue(Pass pass)
    {
        foreach (var r in pass.Reads)
        {
            string name = _g.InputNames[r];
            // The width's type parameters hide a field of the same name: read it through 'this'.
            string field = name is "TVec" or "V" ? "this." + name : NodeCode.CSharp(name);
            _w.WriteLine($"{S}* _ptr_{name} = {field};");
        }
        foreach (var s in pass.Invariants) _w.WriteLine($"TVec {LoweredNames.Invariant(s)} = V.Broadcast({LoweredNames.Scalar(s)});");
        if (pass.Writes.Count > 0) _w.WriteLine("TVec _seedv = V.Broadcast(_seed);");
        foreach (var w in pass.Writes)
        {
            string name = _g.InputNames[w.Input];
            _w.WriteLine($"{S}* _out_{name} = {LoweredNames.Gradient(name)};");
        }
    }

    // The block's running reductions, passed by reference to the tail method.
    private static IEnumerable<string> StateLocals(LoweredPass lowered) =>
        lowered.Reductions.SelectMany(r => r.States.Select(st => st.Local));

    // The states go to the tail through copies: a local passed by reference is address-exposed for the whole method, and
    // the JIT would then keep the block's accumulators in memory in the hot loop (a store-to-load round trip on every
    // vector's loop-carried add).
    private void WriteTailCall(LoweredPass lowered)
    {
        var locals = StateLocals(lowered).ToList();
        string refs = string.Concat(locals.Select(l => ", ref _x" + l));
        using (_w.Block("if (V.Count > 1 && _blockEnd == _end && _i < _end)"))
        {
            foreach (var l in locals) _w.WriteLine($"TVec _x{l} = {l};");
            _w.WriteLine($"_Tail<TVec, V>(_end - V.Count, _end - _i{refs});");
            foreach (var l in locals) _w.WriteLine($"{l} = _x{l};");
            _w.WriteLine("_i = _end;");
        }
    }

    // The last elements of a chunk, fewer than a vector, at the end of its last block: the last whole vector of the chunk
    // (from _i, overlapping the elements already done) is computed once, its lanes already counted are left out of the
    // block's reductions, and only the new lanes are stored (through a copy: an in-place gradient has overwritten the old
    // lanes' inputs, so their recomputed values are wrong, but never stored or counted). Far cheaper than up to Count - 1
    // elements one at a time; a chunk shorter than a vector is left to the narrower widths. A method of its own, not
    // inlined: the loop keeps the JIT's inlining budget for its own body.
    private void WriteTail(LoweredPass lowered)
    {
        var pass = lowered.Pass;
        const string unsafeClass = "global::System.Runtime.CompilerServices.Unsafe";
        string refs = string.Concat(StateLocals(lowered).Select(l => ", ref TVec " + l));
        _w.WriteLine("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining | global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]");
        using (_w.Block($"private void _Tail<TVec, V>(nint _i, nint _count{refs}) where TVec : struct where V : struct, global::KernelDsl.Runtime.ISimd<TVec, {T}>{_t.Constraint}"))
        {
            WriteLoopPrologue(pass);
            if (lowered.Reductions.Count > 0)
            {
                // 1 in the lanes of the new elements (index >= Count - _count), 0 in the lanes already counted.
                _w.WriteLine($"TVec _keep = V.Step(V.Broadcast({_t.FromDouble("((double)(V.Count - _count) - 0.5)")}), V.Indices(0));");
                _w.WriteLine($"TVec _one = V.Broadcast({_t.FromDouble("1.0")});");
            }
            foreach (var r in pass.Reads)
            {
                string name = _g.InputNames[r];
                _w.WriteLine($"TVec {LoweredNames.Loaded(name)} = V.{_t.LoadMethod}(ref *_ptr_{name}, _i);");
            }
            if (pass.UsesElementIndex) _w.WriteLine("TVec _index = V.Indices(_i);");
            var body = LoopBody.For(_plan, pass);
            foreach (var node in body.Nodes)
                _w.WriteLine($"TVec _v{node.Id} = {NodeCode.Vector(_g, node, _t, body.IsWhole(node))};");
            foreach (var r in lowered.Reductions)
                _w.WriteLine(CpuReductions.Step(r, CpuReductions.Masked(r, NodeCode.VectorName(_g, r.Argument, _t), "_keep", "_one", _t)));
            if (pass.Writes.Count > 0)
            {
                _w.WriteLine("TVec _tail = default;");
                _w.WriteLine($"ref {S} _lanes = ref {unsafeClass}.As<TVec, {S}>(ref _tail);");
            }
            foreach (var w in pass.Writes)
            {
                string name = _g.InputNames[w.Input];
                using (_w.Block($"if (_S.Direct || _out_{name} != null)"))
                {
                    _w.WriteLine($"V.{_t.StoreMethod}({Seeded(w.Gradient)}, ref _lanes, 0);");
                    _w.WriteLine($"for (nint _k = V.Count - _count; _k < V.Count; _k++) _out_{name}[_i + _k] = {unsafeClass}.Add(ref _lanes, _k);");
                }
            }
        }
    }
}
