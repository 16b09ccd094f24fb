using System.Collections.Generic;
using System.Linq;
using KernelDsl.Generators.Cpu;
using KernelDsl.Generators.Emit;
using KernelDsl.Language.Planning.Lowering;
using KernelDsl.Language.Planning.Samples;

namespace KernelDsl.Generators.Gpu;

/// <summary>
/// The GPU code of an optimal-transport formula (<c>sinkhorn(c(x, y), ε)</c>, <c>sinkhorn_divergence(c(x, y), ε)</c>): a
/// nested <c>Gpu</c> class with the CPU class's entry points (<c>Value</c>, <c>ValueAndGradient</c> and its weights'
/// overload, <c>Potentials</c>, <c>ApplyPlan</c>, <c>BarycentricMap</c>) over device views and over host spans (which
/// copy), for float and double as the declaration asks; each checks its arguments under the caller's names (the weights'
/// values on a host copy, as the CPU class checks them), computes ε
/// with the CPU class's <c>_Epsilon</c> (the same value and exception) and calls the GPU Sinkhorn solver
/// (<c>GpuSinkhornSweep</c>) with the cost as a GPU pair term (<see cref="GpuSampleTermWriter"/>, the struct the scalar
/// pair formulas emit).
/// </summary>
internal sealed partial class GpuTransportWriter
{
    private const string Gpu = "global::KernelDsl.Runtime.Gpu";
    private const string Sweep = Gpu + ".GpuSinkhornSweep";
    private const string Pairs = Gpu + ".GpuPairSweep";
    private const string Result = "global::KernelDsl.SinkhornResult";
    private const string OptionsType = "global::KernelDsl.SinkhornOptions?";
    private readonly IndentedWriter _w;
    private readonly SamplePlan _p;
    private readonly SampleTransportPlan _t;
    private readonly CpuType _type;
    private readonly bool _views;
    private readonly bool _docs;

    private GpuTransportWriter(IndentedWriter w, SamplePlan plan, CpuType type, bool views, bool docs)
    {
        _w = w;
        _p = plan;
        _t = plan.Transport!;
        _type = type;
        _views = views;
        _docs = docs;
    }

    /// <summary>Writes the nested Gpu class inside the kernel class (nothing when neither float nor double is asked).</summary>
    public static void Write(IndentedWriter w, SamplePlan plan, KernelPrecision precision)
    {
        bool f = (precision & KernelPrecision.Float) != 0, d = (precision & KernelPrecision.Double) != 0;
        if (!f && !d) return;
        string types = f && d ? "float and double" : f ? "float" : "double";
        w.WriteLine();
        w.WriteLine($"/// <summary>The same formula on an ILGPU accelerator (CUDA, OpenCL or ILGPU's CPU accelerator): the transport over {types} views of the clouds (and host spans, which it copies).</summary>");
        w.WriteLine("/// <remarks>");
        w.WriteLine("/// Each entry point is one call of the GPU Sinkhorn solver with the same scheme, options and result as the CPU class's:");
        w.WriteLine("/// the potentials stay on the device for the whole solve, every softmin is one sweep of the GPU pair engine (one thread");
        w.WriteLine("/// per point, the other cloud streamed through shared memory in tiles, sums in double, no atomics: the same bits on");
        w.WriteLine("/// every run), memory O((n + m) d). ε is computed on the host as the CPU class computes it. Calls are synchronous.");
        w.WriteLine("/// </remarks>");
        using (w.Block("public static class Gpu"))
        {
            bool first = true;
            foreach (var type in (f ? new[] { CpuType.Float } : new CpuType[0]).Concat(d ? new[] { CpuType.Double } : new CpuType[0]))
            {
                bool docs = type == CpuType.Float || !f;
                new GpuTransportWriter(w, plan, type, views: true, docs).WriteAll(first);
                new GpuTransportWriter(w, plan, type, views: false, docs).WriteAll(first: false);
                first = false;
            }
            w.WriteLine();
            GpuSampleTermWriter.Write(w, plan.Terms[0], 0, plan.ParameterNames);
        }
    }

    private string T => _type.Keyword;
    private static string Id(string s) => NodeCode.CSharp(s);
    private string X => _p.CloudNames[_t.CloudI];
    private string Y => _p.CloudNames[_t.CloudJ];
    private string? A => _p.WeightNames[_t.CloudI];
    private string? B => _p.WeightNames[_t.CloudJ];
    private bool Weighted => A != null || B != null;
    private string In => _views ? $"global::ILGPU.ArrayView<{T}>" : $"global::System.ReadOnlySpan<{T}>";
    private string Out => _views ? $"global::ILGPU.ArrayView<{T}>" : $"global::System.Span<{T}>";

    /// <summary>A parameter of an entry point: its type, its name, and whether it is an input to copy up or an output to copy back (spans).</summary>
    private readonly struct Param
    {
        public Param(string type, string name, int copy)
        {
            Type = type;
            Name = name;
            Copy = copy;
        }

        public string Type { get; }
        public string Name { get; }

        /// <summary>1: an input span copied to the device; 2: an output span copied back; 0: neither.</summary>
        public int Copy { get; }
    }

    // device, the clouds (and their weights) in header order, then d.
    private List<Param> Clouds()
    {
        var list = new List<Param> { new(RuntimeNames.KernelDevice, "device", 0) };
        for (int c = 0; c < _p.CloudNames.Count; c++)
        {
            list.Add(new Param(In, _p.CloudNames[c], 1));
            if (_p.WeightNames[c] is { } w) list.Add(new Param(In, w, 1));
        }
        list.Add(new Param("int", "d", 0));
        return list;
    }

    private IEnumerable<Param> Scalars() => _p.ParameterNames.Select(p => new Param(T, p, 0));

    private static Param Options() => new(OptionsType, "options", 0);

    private Param Output(string name) => new(Out, name, 2);

    private void WriteAll(bool first)
    {
        string dx = LoweredNames.GradientParameter(X), dy = LoweredNames.GradientParameter(Y);
        Solve("Value", Clouds().Concat(Scalars()).Append(Options()).ToList(), new List<(string, string, string)>(), first, ValueDocs);
        Solve("ValueAndGradient", Clouds().Append(Output(dx)).Append(Output(dy)).Concat(Scalars()).Append(Options()).ToList(),
            new List<(string, string, string)> { ("GradX", dx, Id(X) + ".Length"), ("GradY", dy, Id(Y) + ".Length") }, false, () => GradientDocs(weights: false));
        if (Weighted)
        {
            var parameters = Clouds().Append(Output(dx)).Append(Output(dy)).ToList();
            var outputs = new List<(string, string, string)> { ("GradX", dx, Id(X) + ".Length"), ("GradY", dy, Id(Y) + ".Length") };
            if (A != null) { parameters.Add(Output(LoweredNames.GradientParameter(A))); outputs.Add(("GradA", LoweredNames.GradientParameter(A), "_n")); }
            if (B != null) { parameters.Add(Output(LoweredNames.GradientParameter(B))); outputs.Add(("GradB", LoweredNames.GradientParameter(B), "_m")); }
            Solve("ValueAndGradient", parameters.Concat(Scalars()).Append(Options()).ToList(), outputs, false, () => GradientDocs(weights: true));
        }
        Solve("Potentials", Clouds().Append(Output("f")).Append(Output("g")).Concat(Scalars()).Append(Options()).ToList(),
            new List<(string, string, string)> { ("PotentialF", "f", "_n"), ("PotentialG", "g", "_m") }, false, PotentialDocs);
        Plan(barycentric: false);
        Plan(barycentric: true);
    }

    private static string Signature(IEnumerable<Param> parameters) =>
        string.Join(", ", parameters.Select(p => p.Type + " " + Id(p.Name) + (p.Type == OptionsType ? " = null" : "")));

    private void Begin(string name, string returns, List<Param> parameters, bool first, System.Action docs)
    {
        if (!first) _w.WriteLine();
        if (_docs) docs();
        else InheritDoc(name, parameters);
        _w.WriteLine(CSharpText.Header($"public static {returns} {name}", Signature(parameters), _w.IndentLevel));
    }

    // One solve: on views, the checks with the caller's names, ε, the cost, then the solver; on spans, copies around the view overload.
    private void Solve(string name, List<Param> parameters, List<(string Output, string Name, string Length)> outputs, bool first, System.Action docs)
    {
        Begin(name, Result, parameters, first, docs);
        using (_w.Block())
        {
            if (!_views)
            {
                Copying(name, parameters, "return ");
                return;
            }
            Checks(outputs.Select(o => (o.Name, o.Length)).ToList());
            string init = outputs.Count == 0 ? "default"
                : $"new {Gpu}.GpuSinkhornOutputs<{T}> {{ {string.Join(", ", outputs.Select(o => $"{o.Output} = {Id(o.Name)}"))} }}";
            _w.WriteLine($"// {(_t.Debiased ? "S = OT_ε(a, b) - OT_ε(a, a)/2 - OT_ε(b, b)/2" : "OT_ε(a, b)")}: ε-scaling, symmetric softmin sweeps on the device, gradients through the converged potentials.");
            _w.WriteLine($"return {Sweep}.Solve(device, in _cost, {Id(X)}, {W(A)}, {Id(Y)}, {W(B)}, d, _epsilon, debias: {(_t.Debiased ? "true" : "false")}, options, {init});");
        }
    }

    private static string W(string? weights) => weights == null ? "default" : Id(weights);

    // The inputs as used by the solver (the views an output must not overlap).
    private string Inputs()
    {
        var inputs = new List<string> { Id(X) };
        if (A != null) inputs.Add(Id(A));
        inputs.Add(Id(Y));
        if (B != null) inputs.Add(Id(B));
        return string.Join(", ", inputs);
    }

    // The clouds and weights, then each output (empty or of its length, on the device, apart from the inputs and the
    // outputs before it), under the caller's names; then ε (the CPU class's) and the GPU cost.
    private void Checks(IReadOnlyList<(string Name, string Length)> outputs)
    {
        _w.WriteLine($"int _n = {Pairs}.Points(device, {Id(X)}, d, nameof({Id(X)})), _m = {Pairs}.Points(device, {Id(Y)}, d, nameof({Id(Y)}));");
        if (A != null) _w.WriteLine($"{Pairs}.Weights(device, {Id(A)}, _n, nameof({Id(A)}), nameof({Id(X)}));");
        if (B != null) _w.WriteLine($"{Pairs}.Weights(device, {Id(B)}, _m, nameof({Id(B)}), nameof({Id(Y)}));");
        if (Weighted)
        {
            // O(n + m) on the host, as the solver's own check (which copies the weights down again under the names a and b).
            _w.WriteLine("// The weights' values under the caller's names (positive, finite, equal masses), on a host copy.");
            if (A != null) _w.WriteLine($"var _ha = new {T}[_n]; device.Download({Id(A)}, _ha);");
            if (B != null) _w.WriteLine($"var _hb = new {T}[_m]; device.Download({Id(B)}, _hb);");
            _w.WriteLine(SampleTransportWriter.Masses(_type, A, A != null ? "_ha" : "default", X, B, B != null ? "_hb" : "default", Y));
        }
        var before = new List<string>();
        foreach (var (name, length) in outputs)
        {
            string view = Id(name);
            _w.WriteLine($"{Pairs}.Gradient(device, {view}, {length}, nameof({view}), {Inputs()});");
            foreach (var other in before)
                _w.WriteLine($"if ({Gpu}.GpuCopy.Overlaps({view}, {other})) throw global::KernelDsl.Runtime.Partials.GradientsOverlap(nameof({view}), nameof({other}));");
            before.Add(view);
        }
        _w.WriteLine($"double _epsilon = _Epsilon({string.Join(", ", _p.ParameterNames.Select(Id))});");
        _w.WriteLine($"var _cost = new {GpuSampleTermWriter.Name(0)}<{T}>({string.Join(", ", _p.ParameterNames.Select(Id))});");
    }

    // ApplyPlan(..., g, v, p, output, params) or BarycentricMap(..., g, output, params): the plan applied lazily on the device.
    private void Plan(bool barycentric)
    {
        string name = barycentric ? "BarycentricMap" : "ApplyPlan";
        var parameters = Clouds();
        parameters.Add(new Param(In, "g", 1));
        if (!barycentric)
        {
            parameters.Add(new Param(In, "v", 1));
            parameters.Add(new Param("int", "p", 0));
        }
        parameters.Add(Output("output"));
        parameters.AddRange(Scalars());
        Begin(name, "void", parameters, false, () => PlanDocs(barycentric));
        using (_w.Block())
        {
            if (!_views)
            {
                Copying(name, parameters, "");
                return;
            }
            Checks(System.Array.Empty<(string, string)>());
            if (!barycentric)
            {
                // The solver checks g, p and output under these names; the payload's length is checked here.
                _w.WriteLine("if (p < 1) throw new global::System.ArgumentOutOfRangeException(nameof(p), p, \"A payload has at least one value per point.\");");
                _w.WriteLine("if (v.Length != (long)_m * p)");
                _w.WriteLine($"    throw new global::System.ArgumentException($\"'v' has length {{v.Length}}; it holds {{p}} values per point of '{Y}' ({{_m}}).\", nameof(v));");
                _w.WriteLine($"{Gpu}.GpuCopy.CheckView(device.Accelerator, v, nameof(v));");
            }
            _w.WriteLine(barycentric
                ? "// T(x_i) = Σ_j π_ij y_j / a_i, with f from g by one exact softmin sweep on the device (nothing n × m is stored)."
                : "// output[i, c] = Σ_j π_ij v[j, c], π_ij = a_i b_j exp((f_i + g_j - c_ij) / ε), f from g by one exact softmin sweep on the device (nothing n × m is stored).");
            _w.WriteLine(barycentric
                ? $"{Sweep}.BarycentricMap(device, in _cost, {Id(X)}, {W(A)}, {Id(Y)}, {W(B)}, d, _epsilon, g, output);"
                : $"{Sweep}.ApplyPlan(device, in _cost, {Id(X)}, {W(A)}, {Id(Y)}, {W(B)}, d, _epsilon, g, v, p, output);");
        }
    }

    // The span overload's body: copy the inputs up, allocate the outputs, call the view overload, copy the outputs back.
    private void Copying(string name, List<Param> parameters, string ret)
    {
        _w.WriteLine("if (device is null) throw new global::System.ArgumentNullException(nameof(device));");
        // Outputs that share host memory would overwrite each other on the way back (an output may overlap an input: both are copies).
        var outputs = parameters.Where(p => p.Copy == 2).ToList();
        for (int k = 1; k < outputs.Count; k++)
            for (int l = 0; l < k; l++)
                _w.WriteLine($"global::KernelDsl.Runtime.SpanChecks.Apart({Id(outputs[k].Name)}, {Id(outputs[l].Name)}, nameof({Id(outputs[k].Name)}), nameof({Id(outputs[l].Name)}));");
        foreach (var p in parameters.Where(p => p.Copy == 1)) _w.WriteLine($"using var _b_{p.Name} = device.Upload({Id(p.Name)});");
        foreach (var p in parameters.Where(p => p.Copy == 2)) _w.WriteLine($"using var _o_{p.Name} = device.Allocate<{T}>({Id(p.Name)}.Length);");
        string args = string.Join(", ", parameters.Select(p =>
            p.Copy == 1 ? $"_b_{p.Name}.View.SubView(0, {Id(p.Name)}.Length)"
            : p.Copy == 2 ? $"_o_{p.Name}.View.SubView(0, {Id(p.Name)}.Length)"
            : Id(p.Name)));
        bool returns = ret.Length > 0;
        _w.WriteLine($"{(returns ? "var _result = " : "")}{name}({args});");
        foreach (var p in parameters.Where(p => p.Copy == 2)) _w.WriteLine($"device.Download(_o_{p.Name}.View.SubView(0, {Id(p.Name)}.Length), {Id(p.Name)});");
        if (returns) _w.WriteLine("return _result;");
    }

    // <inheritdoc cref="..."/> to the float member of the same shape (and the same kind: views or spans).
    private void InheritDoc(string name, List<Param> parameters)
    {
        var types = parameters.Select(p => p.Type.TrimEnd('?').Replace("<double>", "<float>").Replace('<', '{').Replace('>', '}'))
            .Select(t => t == "double" ? "float" : t);
        _w.WriteLine($"/// <inheritdoc cref=\"{name}({string.Join(", ", types)})\"/>");
    }
}
