using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using KernelDsl.Generators.Emit;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Planning.Lowering;
using KernelDsl.Language.Planning.Samples;

namespace KernelDsl.Generators.Cpu;

/// <summary>
/// Writes the entry points of a sample formula for one element type: <c>Value</c> and <c>ValueAndGradient</c> over
/// row-major point clouds, each a few calls into the pair engine (<c>PairSweep</c>) with the formula's pair terms, then
/// the scalar epilogue in double.
/// </summary>
internal sealed partial class SampleApiWriter
{
    private const string Runtime = "global::KernelDsl.Runtime";
    private const string Sweep = Runtime + ".PairSweep";
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
    public SampleApiWriter(IndentedWriter w, SamplePlan plan, CpuType t, bool docs, string[] planLines)
    {
        _planLines = planLines;
        _w = w;
        _p = plan;
        _t = t;
        _docs = docs;
    }

    private string T => _t.Keyword;
    private IReadOnlyList<string> Clouds => _p.CloudNames;
    private static string Id(string s) => NodeCode.CSharp(s);
    private static string D(string cloud) => LoweredNames.GradientParameter(cloud);
    private static string R(int r) => "_r" + r.ToString(CultureInfo.InvariantCulture);
    private static string G(int r) => "_g" + r.ToString(CultureInfo.InvariantCulture);
    private static string Count(int cloud, SamplePlan p) => "_n_" + p.CloudNames[cloud];
    private string? Weight(int cloud) => _p.WeightNames[cloud];

    /// <summary>Writes Value and ValueAndGradient (and its overload with the weights' and parameters' gradients where there are any).</summary>
    public void Write()
    {
        WriteValue();
        WriteValueAndGradient();
        if (WritesFullGradient) WriteFullGradient();
        if (_p.HasRows) WriteRows();
    }

    // x, then its weights where declared, then y...: the header's order.
    private string SpanParams() => string.Join(", ", Clouds.Select((c, i) =>
        $"global::System.ReadOnlySpan<{T}> {Id(c)}" + (Weight(i) is { } a ? $", global::System.ReadOnlySpan<{T}> {Id(a)}" : "")));
    private string GradParams() => string.Join(", ", Clouds.Select(c => $"global::System.Span<{T}> {D(c)}"));
    private string ScalarParams() => string.Concat(_p.ParameterNames.Select(p => $", {T} {Id(p)}"));
    private string RowScalarParams() => string.Concat(_p.RowInputNames.Select(r => $", {T} {Id(r)}"));

    private void Header(string returns, string name, string parameters)
    {
        if (!_docs)
        {
            var types = CSharpText.SplitParameters(parameters).Select(CSharpText.ParameterType)
                .Select(t => t.Replace("<double>", "<float>").Replace('<', '{').Replace('>', '}')).Select(t => t == "double" ? "float" : t);
            _w.WriteLine($"/// <inheritdoc cref=\"{name}({string.Join(", ", types)})\"/>");
        }
        _w.WriteLine(CSharpText.Header($"public static {returns} {name}", parameters, _w.IndentLevel));
    }

    private void DocClouds()
    {
        for (int i = 0; i < Clouds.Count; i++)
        {
            _w.WriteLine($"/// <param name=\"{Clouds[i]}\">The points of cloud <c>{Clouds[i]}</c>, row-major: one row of <paramref name=\"d\"/> features per point.</param>");
            if (Weight(i) is { } a)
                _w.WriteLine($"/// <param name=\"{a}\">The weights of the points of <c>{Clouds[i]}</c>, one per point.</param>");
        }
        _w.WriteLine("/// <param name=\"d\">The number of features of a point, the same for every cloud.</param>");
    }

    private void DocParams()
    {
        foreach (var r in _p.RowInputNames)
            _w.WriteLine($"/// <param name=\"{r}\">Row-level input <c>{r}</c> of the formula (one real for the one row of this call).</param>");
        foreach (var p in _p.ParameterNames)
            _w.WriteLine($"/// <param name=\"{p}\">Parameter <c>{p}</c> of the formula.</param>");
    }

    private void DocExceptions(bool gradients)
    {
        string what = "<paramref name=\"d\"/> is below 1, a cloud is empty or its length is not a multiple of <paramref name=\"d\"/>, weights are not one per point"
            + (gradients ? ", or a gradient span is neither empty nor as long as its cloud, or overlaps an input or another gradient" : "");
        _w.WriteLine($"/// <exception cref=\"global::System.ArgumentException\">{what}.</exception>");
    }

    private void WriteValue()
    {
        _w.WriteLine();
        if (_docs)
        {
            _w.WriteLine("/// <summary>The value of the formula: one sweep of the pair engine per pair reduction (see the plan in the remarks), then the epilogue.</summary>");
            DocClouds();
            DocParams();
            _w.WriteLine("/// <returns>The value: pair terms in the element type, sums and the epilogue in double, rounded once at the end.</returns>");
            DocExceptions(gradients: false);
            _w.WriteLine("/// <remarks>");
            _w.WriteLine("/// The plan: pair reductions <c>_r</c>, each one sweep of the pair engine with a pair term <c>φ</c> of one pair feature");
            _w.WriteLine("/// <c>f</c>, then a scalar epilogue in double. " + (_p.LinearEpilogue
                ? "The epilogue is linear in the reductions, so <c>ValueAndGradient</c> takes their values from its gradient sweeps."
                : "The slopes read the reductions, so <c>ValueAndGradient</c> sweeps for the values first, then for the gradients."));
            if (_p.Points.Reductions.Count > 0)
                _w.WriteLine("/// Each reduction over the points of one cloud, <c>_p</c>, is one pass over the cloud with a term of one point <c>h</c>, in double.");
            _w.WriteLine("/// <code>");
            foreach (var line in _planLines) _w.WriteLine("/// " + CSharpText.XmlText(line));
            _w.WriteLine("/// </code>");
            _w.WriteLine("/// </remarks>");
        }
        Header(T, "Value", SpanParams() + ", int d" + RowScalarParams() + ScalarParams());
        using (_w.Block())
        {
            Prologue();
            Terms();
            PointSums();
            for (int r = 0; r < _p.Reductions.Count; r++) ValueSweep(r, declare: true);
            var written = new HashSet<int>();
            _w.WriteLine($"return ({T})({Epilogue(_p.Output, written)});");
        }
    }

    // Counts (checking d and each cloud's length), weights, weight sums and the pair terms.
    private void Prologue()
    {
        for (int c = 0; c < Clouds.Count; c++)
            _w.WriteLine($"double {Count(c, _p)} = {Sweep}.Points({Id(Clouds[c])}, d, nameof({Id(Clouds[c])}));");
        for (int c = 0; c < Clouds.Count; c++)
            if (Weight(c) is { } a)
                _w.WriteLine($"{Sweep}.Weights({Id(a)}, (int){Count(c, _p)}, nameof({Id(a)}), nameof({Id(Clouds[c])}));");
        for (int s = 0; s < _p.Scalars.Count; s++)
        {
            var (kind, cloud) = _p.Scalars[s];
            if (kind == SampleScalarKind.RowInput)
                _w.WriteLine($"double {_p.ScalarName(_p.ScalarIndex(s))} = {Id(_p.RowInputNames[cloud])};");
            if (kind != SampleScalarKind.WeightSum && kind != SampleScalarKind.WeightSquareSum) continue;
            _w.WriteLine($"double {_p.ScalarName(_p.ScalarIndex(s))} = {Sweep}.WeightSum({Id(Weight(cloud)!)}, square: {(kind == SampleScalarKind.WeightSquareSum ? "true" : "false")});");
        }
    }

    // The pair terms, with their parameter-only parts folded.
    private void Terms()
    {
        string args = string.Join(", ", _p.ParameterNames.Select(Id));
        for (int k = 0; k < _p.Terms.Count; k++)
            _w.WriteLine($"var _term{k} = new {SampleTermWriter.Name(k)}<{T}>({args});");
        string rowArgs = string.Join(", ", _p.ParameterNames.Select(Id).Concat(_p.RowInputNames.Select(Id)));
        for (int k = 0; k < _p.Points.Terms.Count; k++)
            _w.WriteLine($"var _point{k} = new {SamplePointTermWriter.Name(k)}({rowArgs});");
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

    // The value sweep of reduction r, with its own pair term or the one named by term.
    private string ValueCall(int r, string? term = null)
    {
        var red = _p.Reductions[r];
        term ??= "_term" + red.Term.ToString(CultureInfo.InvariantCulture);
        string x = Id(Clouds[red.CloudI]);
        if (red.IsSelf)
            return $"{Sweep}.SelfSum(in {term}, {x}, {WeightArg(red.CloudI, red.WeightedI)}, d, diagonal: {(red.Diagonal ? "true" : "false")})";
        return $"{Sweep}.Sum(in {term}, {x}, {WeightArg(red.CloudI, red.WeightedI)}, {Id(Clouds[red.CloudJ])}, {WeightArg(red.CloudJ, red.WeightedJ)}, d)";
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
}
