using System.Collections.Generic;
using System.Linq;
using KernelDsl.Language.Planning.Samples;

namespace KernelDsl.Generators.Cpu;

/// <content>
/// The Value of a vector field (d numbers per point, output n × d): a row sweep per number-per-point reduction, a payload
/// sweep (<c>Σ_j w_j φ(f_ij) y_j</c>) per vector reduction, then the epilogue per point and feature. No gradient.
/// </content>
internal sealed partial class SampleFieldWriter
{
    private static string DescribeVectorRow(SamplePlan plan, int r)
    {
        var row = plan.Field!.Rows[r];
        string x = plan.CloudNames[plan.Field.OutputCloud];
        if (row.Kind == SampleRowKind.Point) return $"{R(r)}(i, c) = {SourceName(plan, row.Payload)}_ic";
        string w = row.WeightedJ ? plan.WeightNames[row.CloudJ] + "_j " : "";
        return $"{R(r)}(i, c) = Σ_j {w}φ{row.Term}({x}_i, {plan.CloudNames[row.CloudJ]}_j) {SourceName(plan, row.Payload)}_jc";
    }

    // A payload or point source: a cloud's points, or a companion (numbered after the clouds).
    private static string SourceName(SamplePlan plan, int source) =>
        source < plan.CloudNames.Count ? plan.CloudNames[source] : plan.Field!.CompanionNames[source - plan.CloudNames.Count];

    private IEnumerable<string> CompanionsOf(int cloud)
    {
        for (int s = 0; s < _f.CompanionNames.Count; s++)
            if (_f.CompanionClouds[s] == cloud) yield return _f.CompanionNames[s];
    }

    // A companion holds d numbers per point of its cloud.
    private void CompanionChecks()
    {
        for (int s = 0; s < _f.CompanionNames.Count; s++)
        {
            string name = Id(_f.CompanionNames[s]), cloud = _p.CloudNames[_f.CompanionClouds[s]];
            _w.WriteLine($"if ({name}.Length != (long)_n_{cloud} * d) throw new global::System.ArgumentException(\"{_f.CompanionNames[s]} must hold d numbers per point of {cloud}.\", nameof({name}));");
        }
    }

    private void WriteVectorValue()
    {
        _w.WriteLine();
        if (_docs)
        {
            _w.WriteLine($"/// <summary>The vector field at each point of <c>{Out}</c>, <paramref name=\"d\"/> numbers per point: one sweep of the pair engine per reduction over j (see the plan in the remarks), then the epilogue per point and feature.</summary>");
            DocInputs();
            _w.WriteLine($"/// <param name=\"output\">Receives the field, row-major: <paramref name=\"d\"/> values per point of <c>{Out}</c> (sums in double, rounded to the element type before the epilogue, in double).</param>");
            DocParams();
            _w.WriteLine($"/// <exception cref=\"global::System.ArgumentException\"><paramref name=\"d\"/> is below 1, a cloud is empty or its length is not a multiple of <paramref name=\"d\"/>, weights are not one per point, a companion is not <paramref name=\"d\"/> numbers per point of its cloud, or <paramref name=\"output\"/> is not <paramref name=\"d\"/> per point of <c>{Out}</c> or overlaps an input.</exception>");
            _w.WriteLine("/// <remarks>");
            _w.WriteLine("/// The plan: reductions over j <c>_r</c>, per point (a row sum) or per point and feature (a sum of the points j, weighted");
            _w.WriteLine("/// by a pair term <c>φ</c>), then the epilogue <c>F_ic</c> per point and feature, in double. The same bits at any thread");
            _w.WriteLine("/// count. A vector field has no gradient.");
            _w.WriteLine("/// <code>");
            foreach (var line in _planLines) _w.WriteLine("/// " + Emit.CSharpText.XmlText(line));
            _w.WriteLine("/// </code>");
            _w.WriteLine("/// </remarks>");
        }
        Header("Value", SpanParams() + $", int d, global::System.Span<{T}> output" + ScalarParams());
        using (_w.Block())
        {
            Prologue();
            _w.WriteLine($"if (output.Length != (long)_n * d) throw {Runtime}.Partials.OutputLength(nameof(output), output.Length, (long)_n * d);");
            OverlapCheck("output");
            Terms();
            // Each reduction's block in one pooled buffer: _n numbers for a row sum, _n * d for a payload sum; none for the point.
            var offsets = new List<string>();
            string size = "0";
            for (int r = 0; r < _f.Rows.Count; r++)
            {
                offsets.Add(size);
                var row = _f.Rows[r];
                if (row.Kind == SampleRowKind.Point) continue;
                string length = row.Payload >= 0 ? "_n * d" : "_n";
                size = size == "0" ? length : size + " + " + length;
            }
            _w.WriteLine($"{T}[] _values = {Pool}<{T}>.Shared.Rent(global::System.Math.Max(1, {size}));");
            LogWeightsRent();
            using (_w.Block("try"))
            {
                for (int r = 0; r < _f.Rows.Count; r++)
                {
                    var row = _f.Rows[r];
                    if (row.Kind == SampleRowKind.Point) continue;
                    _w.WriteLine("// " + DescribeRow(_p, r));
                    string length = row.Payload >= 0 ? "_n * d" : "_n";
                    string into = $"global::System.MemoryExtensions.AsSpan(_values, {offsets[r]}, {length})";
                    if (row.Payload >= 0)
                    {
                        string x = Id(Out), y = Id(Clouds[row.CloudJ]);
                        _w.WriteLine($"{Sweep}.RowPayloadSums(in _term{Num(row.Term)}, {x}, {y}, {(row.WeightedJ ? Id(Weight(row.CloudJ)!) : "default")}, d, {Id(SourceName(_p, row.Payload))}, d, {into});");
                    }
                    else _w.WriteLine(ValueCall(r, into) + ";");
                }
                var written = new HashSet<int>();
                WriteInvariant(new[] { _p.Output }, written);
                _w.WriteLine("// F_ic, point by point and feature by feature.");
                using (_w.Block("for (int _i = 0; _i < _n; _i++)"))
                {
                    for (int r = 0; r < _f.Rows.Count; r++)
                        if (!_f.Rows[r].PerFeature) _w.WriteLine($"double {R(r)} = _values[{Offset(offsets[r])}_i];");
                    PerPoint(written);
                    using (_w.Block("for (int _c = 0; _c < d; _c++)"))
                    {
                        for (int r = 0; r < _f.Rows.Count; r++)
                        {
                            var row = _f.Rows[r];
                            if (row.Kind == SampleRowKind.Point) _w.WriteLine($"double {R(r)} = {Id(SourceName(_p, row.Payload))}[_i * d + _c];");
                            else if (row.PerFeature) _w.WriteLine($"double {R(r)} = _values[{Offset(offsets[r])}_i * d + _c];");
                        }
                        var perPoint = new HashSet<int>(written);
                        string value = Epilogue(_p.Output, perPoint);
                        _w.WriteLine($"output[_i * d + _c] = ({T})({value});");
                    }
                }
            }
            using (_w.Block("finally"))
            {
                _w.WriteLine($"{Pool}<{T}>.Shared.Return(_values);");
                LogWeightsReturn();
            }
        }
    }

    // Writes, before the loop over features, the epilogue nodes the output needs that read no per-feature reduction.
    private void PerPoint(HashSet<int> written)
    {
        var g = _p.Epilogue;
        int first = _p.ParameterNames.Count;
        var perFeature = new bool[g.Nodes.Count];
        foreach (var n in g.Nodes)
            perFeature[n.Id] = n.Op == Language.Ops.OpTable.Parameter
                ? n.Index >= first && n.Index < first + _f.Rows.Count && _f.Rows[n.Index - first].PerFeature
                : n.Args.Any(a => perFeature[a]);
        var need = new SortedSet<int>();
        var stack = new Stack<Language.Ir.Node>();
        stack.Push(_p.Output);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (n.Op.Kind == Language.Ir.OpKind.Leaf || written.Contains(n.Id) || !need.Add(n.Id)) continue;
            foreach (var a in n.Args) stack.Push(g[a]);
        }
        foreach (var id in need)
            if (!perFeature[id] && written.Add(id))
                _w.WriteLine($"double _e{Num(id)} = {NodeCode.Scalar(g, g[id], EpilogueName, Runtime + ".ScalarMath<" + Runtime + ".ScalarD>")};");
    }

    private static string Offset(string offset) => offset == "0" ? "" : offset + " + ";
}
