using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using KernelDsl.Generators.Emit;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Planning;
using KernelDsl.Language.Planning.Samples;

namespace KernelDsl.Generators.Cpu;

/// <summary>
/// Writes the entry points of a per-point field (an output per point of one cloud) for one element type: <c>Value</c>,
/// one row sweep of the pair engine per reduction over j, then the epilogue per point; and, when every reduction over j
/// is a sum, <c>ValueAndGradient</c>, whose sweeps also return each row's gradient in its own point, combined per point
/// with the epilogue's slopes <c>dF_i/dR_r(i)</c>.
/// </summary>
internal sealed partial class SampleFieldWriter
{
    private const string Runtime = "global::KernelDsl.Runtime";
    private const string Sweep = Runtime + ".PairSweep";
    private const string Checks = Runtime + ".SpanChecks";
    private const string Pool = "global::System.Buffers.ArrayPool";
    private readonly IndentedWriter _w;
    private readonly SamplePlan _p;
    private readonly SampleField _f;
    private readonly CpuType _t;
    private readonly bool _docs;
    private readonly string[] _planLines;

    /// <param name="w">The writer.</param>
    /// <param name="plan">The plan of a field formula (<see cref="SamplePlan.Field"/> set).</param>
    /// <param name="t">float or double.</param>
    /// <param name="docs">False when the float entry points are written already: these inherit their documentation.</param>
    /// <param name="planLines">The plan, a line each, for the remarks.</param>
    public SampleFieldWriter(IndentedWriter w, SamplePlan plan, CpuType t, bool docs, string[] planLines)
    {
        _w = w;
        _p = plan;
        _f = plan.Field!;
        _t = t;
        _docs = docs;
        _planLines = planLines;
    }

    private string T => _t.Keyword;
    private IReadOnlyList<string> Clouds => _p.CloudNames;
    private string Out => Clouds[_f.OutputCloud];
    private static string Id(string s) => NodeCode.CSharp(s);
    private static string Num(int k) => k.ToString(CultureInfo.InvariantCulture);
    private static string R(int r) => "_r" + Num(r);
    private string? Weight(int cloud) => _p.WeightNames[cloud];

    // The offset of block k of a buffer of blocks of the given length: "0", "_n", "2 * _n"; Plus adds " + " unless 0.
    private static string At(int k, string length) => k == 0 ? "0" : k == 1 ? length : Num(k) + " * " + length;
    private static string Plus(int k, string length) => k == 0 ? "" : At(k, length) + " + ";

    /// <summary>Writes Value and, where compiled, ValueAndGradient.</summary>
    public void Write()
    {
        if (_f.IsVector) { WriteVectorValue(); return; } // no gradient: SampleField.GradientNotCompiled says why
        WriteValue();
        if (_f.GradientNotCompiled == null) WriteValueAndGradient();
    }

    /// <summary>The plan in a few lines: the pair terms, the reductions over j, F_i and its slopes.</summary>
    public static string[] PlanLines(SamplePlan plan)
    {
        var field = plan.Field!;
        var lines = new List<string>();
        for (int k = 0; k < plan.Terms.Count; k++)
            lines.Add($"φ{k}(f) = {plan.Terms[k].Describe()}, f = {(plan.Terms[k].Feature == SampleFeature.Dot ? "dot" : "sqdist")}(u, v)");
        for (int r = 0; r < field.Rows.Count; r++) lines.Add(DescribeRow(plan, r));
        lines.Add($"{(field.IsVector ? "F_ic" : "F_i")} = {PlanPrinter.Formula(plan.Epilogue, plan.Output)}");
        for (int r = 0; r < (field.IsVector ? 0 : field.Rows.Count); r++) // a vector field has no gradient: no slopes
            lines.Add($"dF_i/d{R(r)} = {(plan.Slopes[r] is { } s ? PlanPrinter.Formula(plan.Epilogue, s) : "0")}");
        if (field.GradientNotCompiled != null) lines.Add("no ValueAndGradient: " + field.GradientNotCompiled);
        return lines.ToArray();
    }

    private static string DescribeRow(SamplePlan plan, int r)
    {
        var row = plan.Field!.Rows[r];
        if (row.Kind == SampleRowKind.Point || row.Payload >= 0) return DescribeVectorRow(plan, r);
        string x = plan.CloudNames[plan.Field.OutputCloud], y = plan.CloudNames[row.CloudJ];
        string w = row.WeightedJ ? plan.WeightNames[row.CloudJ] + "_j " : "";
        return row.Kind == SampleRowKind.Sum
            ? $"{R(r)}(i) = Σ_j {w}φ{row.Term}({x}_i, {y}_j)"
            : $"{R(r)}(i) = log Σ_j {w}exp(φ{row.Term}({x}_i, {y}_j))";
    }

    private string SpanParams() => string.Join(", ", Clouds.Select((c, i) =>
        $"global::System.ReadOnlySpan<{T}> {Id(c)}" + (Weight(i) is { } a ? $", global::System.ReadOnlySpan<{T}> {Id(a)}" : "")
        + string.Concat(CompanionsOf(i).Select(s => $", global::System.ReadOnlySpan<{T}> {Id(s)}"))));
    private string ScalarParams() => string.Concat(_p.ParameterNames.Select(p => $", {T} {Id(p)}"));
    private string ScalarArgs() => string.Concat(_p.ParameterNames.Select(p => ", " + Id(p)));
    private string SpanArgs() => string.Join(", ", Clouds.Select((c, i) => Id(c) + (Weight(i) is { } a ? ", " + Id(a) : "")
        + string.Concat(CompanionsOf(i).Select(s => ", " + Id(s)))));

    private IEnumerable<string> Inputs()
    {
        for (int c = 0; c < Clouds.Count; c++)
        {
            yield return Id(Clouds[c]);
            if (Weight(c) is { } a) yield return Id(a);
            foreach (var s in CompanionsOf(c)) yield return Id(s);
        }
    }

    private void Header(string name, string parameters)
    {
        if (!_docs)
        {
            var types = CSharpText.SplitParameters(parameters).Select(CSharpText.ParameterType)
                .Select(t => t.Replace("<double>", "<float>").Replace('<', '{').Replace('>', '}')).Select(t => t == "double" ? "float" : t);
            _w.WriteLine($"/// <inheritdoc cref=\"{name}({string.Join(", ", types)})\"/>");
        }
        _w.WriteLine(CSharpText.Header($"public static void {name}", parameters, _w.IndentLevel));
    }

    private void DocInputs()
    {
        for (int i = 0; i < Clouds.Count; i++)
        {
            _w.WriteLine($"/// <param name=\"{Clouds[i]}\">The points of cloud <c>{Clouds[i]}</c>, row-major: one row of <paramref name=\"d\"/> features per point.</param>");
            if (Weight(i) is { } a)
                _w.WriteLine($"/// <param name=\"{a}\">The weights of the points of <c>{Clouds[i]}</c>, one per point.</param>");
            foreach (var s in CompanionsOf(i))
                _w.WriteLine($"/// <param name=\"{s}\">The companion of <c>{Clouds[i]}</c>: <paramref name=\"d\"/> numbers per point, row-major as the points.</param>");
        }
        _w.WriteLine("/// <param name=\"d\">The number of features of a point, the same for every cloud.</param>");
    }

    private void DocParams()
    {
        foreach (var p in _p.ParameterNames)
            _w.WriteLine($"/// <param name=\"{p}\">Parameter <c>{p}</c> of the formula.</param>");
    }

    private void WriteValue()
    {
        _w.WriteLine();
        if (_docs)
        {
            _w.WriteLine($"/// <summary>The field at each point of <c>{Out}</c>: one row sweep of the pair engine per reduction over j (see the plan in the remarks), then the epilogue per point.</summary>");
            DocInputs();
            _w.WriteLine($"/// <param name=\"output\">Receives the field, one value per point of <c>{Out}</c>: row sums in double, rounded to the element type before the epilogue (in double).</param>");
            DocParams();
            _w.WriteLine($"/// <exception cref=\"global::System.ArgumentException\"><paramref name=\"d\"/> is below 1, a cloud is empty or its length is not a multiple of <paramref name=\"d\"/>, weights are not one per point, or <paramref name=\"output\"/> is not one per point of <c>{Out}</c> or overlaps an input.</exception>");
            _w.WriteLine("/// <remarks>");
            _w.WriteLine("/// The plan: reductions over j <c>_r(i)</c>, each one row sweep of the pair engine with a pair term <c>φ</c> of one pair");
            _w.WriteLine("/// feature <c>f</c>, then the epilogue <c>F_i</c> per point, in double. The same bits at any thread count.");
            _w.WriteLine("/// <code>");
            foreach (var line in _planLines) _w.WriteLine("/// " + CSharpText.XmlText(line));
            _w.WriteLine("/// </code>");
            _w.WriteLine("/// </remarks>");
        }
        Header("Value", SpanParams() + $", int d, global::System.Span<{T}> output" + ScalarParams());
        using (_w.Block())
        {
            Prologue();
            _w.WriteLine($"if (output.Length != _n) throw {Runtime}.Partials.OutputLength(nameof(output), output.Length, _n);");
            OverlapCheck("output");
            Terms();
            int rows = _f.Rows.Count;
            // Reduction 0 is swept into the output itself (the epilogue then runs in place, point by point); the others into a pooled buffer.
            _w.WriteLine($"{T}[] _values = {Pool}<{T}>.Shared.Rent(global::System.Math.Max(1, {Num(rows - 1)} * _n));");
            LogWeightsRent();
            using (_w.Block("try"))
            {
                for (int r = 0; r < rows; r++)
                {
                    _w.WriteLine("// " + DescribeRow(_p, r));
                    _w.WriteLine(ValueCall(r, r == 0 ? "output" : $"global::System.MemoryExtensions.AsSpan(_values, {At(r - 1, "_n")}, _n)") + ";");
                }
                var written = new HashSet<int>();
                WriteInvariant(new[] { _p.Output }, written);
                _w.WriteLine("// F_i, point by point.");
                using (_w.Block("for (int _i = 0; _i < _n; _i++)"))
                {
                    for (int r = 0; r < rows; r++)
                        _w.WriteLine($"double {R(r)} = {(r == 0 ? "output[_i]" : $"_values[{Plus(r - 1, "_n")}_i]")};");
                    string value = Epilogue(_p.Output, written);
                    _w.WriteLine($"output[_i] = ({T})({value});");
                }
            }
            using (_w.Block("finally"))
            {
                _w.WriteLine($"{Pool}<{T}>.Shared.Return(_values);");
                LogWeightsReturn();
            }
        }
    }

    // Counts (checking d and each cloud's length), weights, weight sums; _n is the number of points of the output cloud.
    private void Prologue()
    {
        for (int c = 0; c < Clouds.Count; c++)
            _w.WriteLine($"double _n_{Clouds[c]} = {Sweep}.Points({Id(Clouds[c])}, d, nameof({Id(Clouds[c])}));");
        for (int c = 0; c < Clouds.Count; c++)
            if (Weight(c) is { } a)
                _w.WriteLine($"{Sweep}.Weights({Id(a)}, (int)_n_{Clouds[c]}, nameof({Id(a)}), nameof({Id(Clouds[c])}));");
        CompanionChecks();
        for (int s = 0; s < _p.Scalars.Count; s++)
        {
            var (kind, cloud) = _p.Scalars[s];
            if (kind == SampleScalarKind.Count) continue;
            _w.WriteLine($"double {_p.ScalarName(_p.ScalarIndex(s))} = {Sweep}.WeightSum({Id(Weight(cloud)!)}, square: {(kind == SampleScalarKind.WeightSquareSum ? "true" : "false")});");
        }
        _w.WriteLine($"int _n = (int)_n_{Out};");
    }

    // A span written while the inputs are read may not share their memory.
    private void OverlapCheck(string span)
    {
        var inputs = Inputs().ToList();
        var parts = new List<string>();
        for (int i = 0; i < inputs.Count; i += 4)
            parts.Add($"{Checks}.Overlaps({span}, {string.Join(", ", inputs.Skip(i).Take(4))})");
        _w.WriteLine($"if ({string.Join(" || ", parts)}) throw {Runtime}.Partials.Overlap(nameof({span}));");
    }

    private void Terms()
    {
        string args = string.Join(", ", _p.ParameterNames.Select(Id));
        for (int k = 0; k < _p.Terms.Count; k++)
            _w.WriteLine($"var _term{Num(k)} = new {SampleTermWriter.Name(k)}<{T}>({args});");
    }

    // A weighted logsumexp_j adds log w_j to each term: the engine's column offsets, computed once per call.
    private IEnumerable<int> WeightedLse() => Enumerable.Range(0, _f.Rows.Count)
        .Where(r => _f.Rows[r].Kind == SampleRowKind.LogSumExp && _f.Rows[r].WeightedJ)
        .GroupBy(r => _f.Rows[r].CloudJ).Select(g => g.Key);

    private static string LogWeights(int cloud) => "_logW" + Num(cloud);

    private void LogWeightsRent()
    {
        foreach (int c in WeightedLse())
            _w.WriteLine($"{T}[] {LogWeights(c)} = {Pool}<{T}>.Shared.Rent((int)_n_{Clouds[c]});");
    }

    private void LogWeightsReturn()
    {
        foreach (int c in WeightedLse())
            _w.WriteLine($"{Pool}<{T}>.Shared.Return({LogWeights(c)});");
    }

    private string ValueCall(int r, string into)
    {
        var row = _f.Rows[r];
        string x = Id(Out), y = Id(Clouds[row.CloudJ]);
        if (row.Kind == SampleRowKind.Sum)
            return $"{Sweep}.RowSums(in _term{Num(row.Term)}, {x}, {y}, {(row.WeightedJ ? Id(Weight(row.CloudJ)!) : "default")}, d, {into})";
        string h = "default";
        if (row.WeightedJ)
        {
            h = $"global::System.MemoryExtensions.AsSpan({LogWeights(row.CloudJ)}, 0, (int)_n_{Clouds[row.CloudJ]})";
            _w.WriteLine($"{Sweep}.LogOf({Id(Weight(row.CloudJ)!)}, {h});");
        }
        return $"{Sweep}.RowLogSumExp(in _term{Num(row.Term)}, {x}, {y}, {h}, d, {into})";
    }

    // Row reductions are epilogue parameters ParameterNames.Count + r: a node varies per point when it reads one.
    private bool[] Varies()
    {
        var g = _p.Epilogue;
        int first = _p.ParameterNames.Count, last = first + _f.Rows.Count;
        var varies = new bool[g.Nodes.Count];
        foreach (var n in g.Nodes)
            varies[n.Id] = n.Op == Language.Ops.OpTable.Parameter ? n.Index >= first && n.Index < last : n.Args.Any(a => varies[a]);
        return varies;
    }

    /// <summary>Writes, before the loop over points, the epilogue nodes the roots need that do not vary per point.</summary>
    private void WriteInvariant(IEnumerable<Node?> roots, HashSet<int> written)
    {
        var varies = Varies();
        var g = _p.Epilogue;
        var need = new SortedSet<int>();
        var stack = new Stack<Node>(roots.Where(r => r != null)!);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (n.Op.Kind == OpKind.Leaf || !need.Add(n.Id)) continue;
            foreach (var a in n.Args) stack.Push(g[a]);
        }
        foreach (var id in need)
            if (!varies[id] && written.Add(id))
                _w.WriteLine($"double _e{Num(id)} = {NodeCode.Scalar(g, g[id], EpilogueName, Runtime + ".ScalarMath<" + Runtime + ".ScalarD>")};");
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
            return n.Index < p + _f.Rows.Count ? R(n.Index - p) : _p.ScalarName(n.Index);
        }
        return SampleEpilogue.Local(n.Id);
    }
}
