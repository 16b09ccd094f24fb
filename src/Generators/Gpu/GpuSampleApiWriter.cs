using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using KernelDsl.Generators.Cpu;
using KernelDsl.Generators.Emit;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Planning.Lowering;
using KernelDsl.Language.Planning.Samples;

namespace KernelDsl.Generators.Gpu;

/// <summary>
/// Writes the GPU entry points of a sample formula for one element type: <c>Value</c> and <c>ValueAndGradient</c> over
/// device views of row-major point clouds, each a few calls into the GPU pair sweep (<c>GpuPairSweep</c>) with the
/// formula's pair terms, then the scalar epilogue on the host in double; and their span overloads, which copy. The
/// plan is the CPU's (the same reductions, slopes and epilogue), so the two agree to rounding.
/// </summary>
internal sealed partial class GpuSampleApiWriter
{
    private const string Runtime = "global::KernelDsl.Runtime";
    private const string Sweep = Runtime + ".Gpu.GpuPairSweep";
    private readonly IndentedWriter _w;
    private readonly SamplePlan _p;
    private readonly CpuType _t;
    private readonly bool _docs;
    private readonly string[] _planLines;

    /// <param name="w">The writer.</param>
    /// <param name="plan">The sample plan.</param>
    /// <param name="t">float or double.</param>
    /// <param name="docs">False when the float entry points are written already: these inherit their documentation.</param>
    /// <param name="planLines">The plan, a line each, for the remarks.</param>
    public GpuSampleApiWriter(IndentedWriter w, SamplePlan plan, CpuType t, bool docs, string[] planLines)
    {
        _w = w;
        _p = plan;
        _t = t;
        _docs = docs;
        _planLines = planLines;
    }

    private string T => _t.Keyword;
    private string View => $"global::ILGPU.ArrayView<{T}>";
    private IReadOnlyList<string> Clouds => _p.CloudNames;
    private static string Id(string s) => NodeCode.CSharp(s);
    private static string D(string cloud) => LoweredNames.GradientParameter(cloud);
    private static string R(int r) => "_r" + r.ToString(CultureInfo.InvariantCulture);
    private static string G(int r) => "_g" + r.ToString(CultureInfo.InvariantCulture);
    private string Count(int cloud) => "_n_" + _p.CloudNames[cloud];
    private string? Weight(int cloud) => _p.WeightNames[cloud];

    /// <summary>Writes Value and ValueAndGradient over views, then over spans.</summary>
    /// <param name="first">True for the first members of the class: no blank line before them.</param>
    public void Write(bool first)
    {
        WriteValue(first);
        WriteValueAndGradient();
        WriteCopying();
    }

    // x, then its weights where declared, then y...: the header's order, as views or spans.
    private string Inputs(string type) => string.Join(", ", Clouds.Select((c, i) =>
        $"{type} {Id(c)}" + (Weight(i) is { } a ? $", {type} {Id(a)}" : "")));
    private IEnumerable<string> InputNames() => Clouds.SelectMany((c, i) => Weight(i) is { } a ? new[] { c, a } : new[] { c });
    private string Gradients(string type) => string.Join(", ", Clouds.Select(c => $"{type} {D(c)}"));
    private string ScalarParams() => string.Concat(_p.ParameterNames.Select(p => $", {T} {Id(p)}"));
    private string ScalarArgs() => string.Concat(_p.ParameterNames.Select(p => ", " + Id(p)));

    private void Header(string name, string parameters)
    {
        if (!_docs)
        {
            var types = CSharpText.SplitParameters(parameters).Select(CSharpText.ParameterType)
                .Select(t => t.Replace("<double>", "<float>").Replace('<', '{').Replace('>', '}')).Select(t => t == "double" ? "float" : t);
            _w.WriteLine($"/// <inheritdoc cref=\"{name}({string.Join(", ", types)})\"/>");
        }
        _w.WriteLine(CSharpText.Header($"public static {T} {name}", parameters, _w.IndentLevel));
    }

    private void DocInputs(string where)
    {
        _w.WriteLine("/// <param name=\"device\">The device the views live on.</param>");
        for (int i = 0; i < Clouds.Count; i++)
        {
            _w.WriteLine($"/// <param name=\"{Clouds[i]}\">The points of cloud <c>{Clouds[i]}</c>{where}, row-major: one row of <paramref name=\"d\"/> features per point.</param>");
            if (Weight(i) is { } a)
                _w.WriteLine($"/// <param name=\"{a}\">The weights of the points of <c>{Clouds[i]}</c>{where}, one per point.</param>");
        }
        _w.WriteLine("/// <param name=\"d\">The number of features of a point, the same for every cloud.</param>");
    }

    private void DocParams()
    {
        foreach (var p in _p.ParameterNames)
            _w.WriteLine($"/// <param name=\"{p}\">Parameter <c>{p}</c> of the formula.</param>");
        _w.WriteLine("/// <returns>The value: pair terms in the element type, sums and the epilogue in double, rounded once at the end.</returns>");
    }

    private void DocExceptions(bool gradients)
    {
        string what = "<paramref name=\"d\"/> is below 1, a cloud is empty or its length is not a multiple of <paramref name=\"d\"/>, weights are not one per point, a view is not on the device's accelerator"
            + (gradients ? ", or a gradient view is neither empty nor as long as its cloud, or overlaps an input or another gradient" : "");
        _w.WriteLine($"/// <exception cref=\"global::System.ArgumentException\">{what}.</exception>");
    }

    private void WriteValue(bool first)
    {
        if (!first) _w.WriteLine();
        if (_docs)
        {
            _w.WriteLine("/// <summary>The value of the formula on the device: one GPU sweep per pair reduction (see the plan in the remarks), then the epilogue on the host.</summary>");
            DocInputs(" on the device");
            DocParams();
            DocExceptions(gradients: false);
            _w.WriteLine("/// <remarks>");
            _w.WriteLine("/// The plan (the same reductions, slopes and epilogue as the CPU's): pair reductions <c>_r</c>, each one sweep of the GPU pair engine with a pair term <c>φ</c> of one");
            _w.WriteLine("/// pair feature <c>f</c>, then a scalar epilogue in double.");
            _w.WriteLine("/// <code>");
            foreach (var line in _planLines) _w.WriteLine("/// " + CSharpText.XmlText(line));
            _w.WriteLine("/// </code>");
            _w.WriteLine("/// </remarks>");
        }
        Header("Value", $"{RuntimeNames.KernelDevice} device, {Inputs(View)}, int d{ScalarParams()}");
        using (_w.Block())
        {
            Prologue();
            Terms();
            for (int r = 0; r < _p.Reductions.Count; r++) ValueSweep(r, declare: true);
            _w.WriteLine($"return ({T})({Epilogue(_p.Output, new HashSet<int>())});");
        }
    }

    // Counts (checking d, each cloud and its accelerator), weights and weight sums.
    private void Prologue()
    {
        for (int c = 0; c < Clouds.Count; c++)
            _w.WriteLine($"double {Count(c)} = {Sweep}.Points(device, {Id(Clouds[c])}, d, nameof({Id(Clouds[c])}));");
        for (int c = 0; c < Clouds.Count; c++)
            if (Weight(c) is { } a)
                _w.WriteLine($"{Sweep}.Weights(device, {Id(a)}, (int){Count(c)}, nameof({Id(a)}), nameof({Id(Clouds[c])}));");
        for (int s = 0; s < _p.Scalars.Count; s++)
        {
            var (kind, cloud) = _p.Scalars[s];
            if (kind == SampleScalarKind.Count) continue;
            _w.WriteLine($"double {_p.ScalarName(_p.ScalarIndex(s))} = {Sweep}.WeightSum(device, {Id(Weight(cloud)!)}, square: {(kind == SampleScalarKind.WeightSquareSum ? "true" : "false")});");
        }
    }

    // The pair terms, their parameter-only parts folded on the host.
    private void Terms()
    {
        string args = string.Join(", ", _p.ParameterNames.Select(Id));
        for (int k = 0; k < _p.Terms.Count; k++)
            _w.WriteLine($"var _term{k} = new {GpuSampleTermWriter.Name(k)}<{T}>({args});");
    }

    private string WeightArg(int cloud, bool weighted) => weighted && Weight(cloud) is { } a ? Id(a) : "default";

    /// <summary>The reduction in words, for the comment over its sweep.</summary>
    private string Describe(int r)
    {
        var red = _p.Reductions[r];
        string x = Clouds[red.CloudI], y = Clouds[red.CloudJ];
        string wi = red.WeightedI ? Weight(red.CloudI) + "_i " : "", wj = red.WeightedJ ? Weight(red.CloudJ) + "_j " : "";
        string f = _p.Terms[red.Term].Feature == SampleFeature.Dot ? "dot" : "sqdist";
        string pairs = !red.IsSelf ? "" : red.Diagonal ? ", i = j included" : ", i ≠ j";
        return $"{R(r)} = Σ_i Σ_j {wi}{wj}φ{red.Term}({f}({x}_i, {y}_j)){pairs}";
    }

    private string ValueCall(int r)
    {
        var red = _p.Reductions[r];
        string x = Id(Clouds[red.CloudI]);
        if (red.IsSelf)
            return $"{Sweep}.SelfSum(device, in _term{red.Term}, {x}, {WeightArg(red.CloudI, red.WeightedI)}, d, diagonal: {(red.Diagonal ? "true" : "false")})";
        return $"{Sweep}.Sum(device, in _term{red.Term}, {x}, {WeightArg(red.CloudI, red.WeightedI)}, {Id(Clouds[red.CloudJ])}, {WeightArg(red.CloudJ, red.WeightedJ)}, d)";
    }

    private void ValueSweep(int r, bool declare)
    {
        _w.WriteLine("// " + Describe(r));
        _w.WriteLine($"{(declare ? "double " : "")}{R(r)} = {ValueCall(r)};");
    }

    /// <summary>Writes the epilogue nodes <paramref name="root"/> needs (not yet in <paramref name="written"/>) and returns its name.</summary>
    private string Epilogue(Node root, HashSet<int> written) => SampleEpilogue.Write(_w, _p.Epilogue, root, written, EpilogueName);

    private string EpilogueName(Node n)
    {
        if (n.Op == Language.Ops.OpTable.Constant) return NodeCode.Double(n.Constant);
        if (n.Op == Language.Ops.OpTable.Parameter)
        {
            int p = _p.ParameterNames.Count;
            if (n.Index < p) return _t == CpuType.Float ? $"(double){Id(_p.ParameterNames[n.Index])}" : Id(_p.ParameterNames[n.Index]);
            return n.Index < p + _p.Reductions.Count ? R(n.Index - p) : _p.ScalarName(n.Index);
        }
        return SampleEpilogue.Local(n.Id);
    }

    // The span overloads: copy the inputs to the device (and allocate the gradients), call the view overload, copy the
    // gradients back.
    private void WriteCopying()
    {
        var inputs = InputNames().ToList();
        _w.WriteLine();
        if (_docs) _w.WriteLine("/// <summary>The value of host spans: copies them to the device, runs <c>Value</c> over the views, frees the copies.</summary>");
        Header("Value", $"{RuntimeNames.KernelDevice} device, {Inputs($"global::System.ReadOnlySpan<{T}>")}, int d{ScalarParams()}");
        using (_w.Block())
        {
            _w.WriteLine("if (device is null) throw new global::System.ArgumentNullException(nameof(device));");
            foreach (var i in inputs) _w.WriteLine($"using var _b_{i} = device.Upload({Id(i)});");
            _w.WriteLine($"return Value(device, {string.Join(", ", inputs.Select(i => $"_b_{i}.View.SubView(0, {Id(i)}.Length)"))}, d{ScalarArgs()});");
        }
        _w.WriteLine();
        if (_docs) _w.WriteLine("/// <summary>The value and gradients of host spans: copies in, runs <c>ValueAndGradient</c> over the views, copies the gradients back; an empty gradient span skips that gradient.</summary>");
        Header("ValueAndGradient", $"{RuntimeNames.KernelDevice} device, {Inputs($"global::System.ReadOnlySpan<{T}>")}, int d, {Gradients($"global::System.Span<{T}>")}{ScalarParams()}");
        using (_w.Block())
        {
            _w.WriteLine("if (device is null) throw new global::System.ArgumentNullException(nameof(device));");
            foreach (var i in inputs) _w.WriteLine($"using var _b_{i} = device.Upload({Id(i)});");
            foreach (var c in Clouds) _w.WriteLine($"using var _g_{c} = device.Allocate<{T}>({D(c)}.Length);");
            string views = string.Join(", ", inputs.Select(i => $"_b_{i}.View.SubView(0, {Id(i)}.Length)"));
            string grads = string.Join(", ", Clouds.Select(c => $"_g_{c}.View.SubView(0, {D(c)}.Length)"));
            _w.WriteLine($"{T} _value = ValueAndGradient(device, {views}, d, {grads}{ScalarArgs()});");
            foreach (var c in Clouds) _w.WriteLine($"device.Download(_g_{c}.View.SubView(0, {D(c)}.Length), {D(c)});");
            _w.WriteLine("return _value;");
        }
    }
}
