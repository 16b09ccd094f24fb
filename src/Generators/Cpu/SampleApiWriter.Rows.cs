using System.Collections.Generic;
using System.Linq;
using KernelDsl.Generators.Emit;
using KernelDsl.Language.Planning.Samples;

namespace KernelDsl.Generators.Cpu;

/// <content>
/// <c>Rows</c> and <c>RowsAndGradient</c> of a sample formula with row-level inputs: a batch of B rows, each its own
/// small clouds (row b of a cloud is its points b · m · d to (b + 1) · m · d) and its row-level inputs, one value per
/// row. Each row runs the small-cloud path (<c>SmallClouds</c>, a direct O(m²) loop) on one thread; a job threads over
/// chunks of rows fixed by B.
/// </content>
internal sealed partial class SampleApiWriter
{
    private const string Small = Runtime + ".SmallClouds";

    private string JobName => "_SampleRowsJob_" + T;
    private static string Ptr(string name) => "_ptr_" + name;
    private static string DPtr(string cloud) => "_dptr_" + cloud;
    private static string Pin(string name) => "_pin_" + name;
    private static string PerRow(string cloud) => "_m_" + cloud;
    private string RowSpanParams() => string.Concat(_p.RowInputNames.Select(r => $", global::System.ReadOnlySpan<{T}> {Id(r)}"));

    // Every span the rows read: clouds, their weights, the row-level inputs.
    private List<string> RowInputs()
    {
        var inputs = new List<string>();
        for (int c = 0; c < Clouds.Count; c++)
        {
            inputs.Add(Clouds[c]);
            if (Weight(c) is { } a) inputs.Add(a);
        }
        inputs.AddRange(_p.RowInputNames);
        return inputs;
    }

    /// <summary>Writes Rows, RowsAndGradient and their job.</summary>
    private void WriteRows()
    {
        WriteRowsMethod(gradient: false);
        WriteRowsMethod(gradient: true);
        WriteRowsJob();
    }

    private void WriteRowsMethod(bool gradient)
    {
        string name = gradient ? "RowsAndGradient" : "Rows";
        _w.WriteLine();
        if (_docs)
        {
            _w.WriteLine(gradient
                ? "/// <summary>The value of each row of a batch and its gradient with respect to the row's points (see <c>Rows</c>).</summary>"
                : "/// <summary>The value of each row of a batch: row b's clouds are their points b · m · d to (b + 1) · m · d, its row-level inputs the b-th values.</summary>");
            for (int i = 0; i < Clouds.Count; i++)
            {
                _w.WriteLine($"/// <param name=\"{Clouds[i]}\">The points of cloud <c>{Clouds[i]}</c> of every row: rows × m × d, row-major (m points a row, the same for every row).</param>");
                if (Weight(i) is { } a)
                    _w.WriteLine($"/// <param name=\"{a}\">The weights of the points of <c>{Clouds[i]}</c>, rows × m.</param>");
            }
            foreach (var r in _p.RowInputNames)
                _w.WriteLine($"/// <param name=\"{r}\">Row-level input <c>{r}</c>: one value per row.</param>");
            _w.WriteLine("/// <param name=\"d\">The number of features of a point, the same for every cloud.</param>");
            _w.WriteLine("/// <param name=\"perRow\">Receives the value of each row; its length is the number of rows.</param>");
            if (gradient)
                foreach (var c in Clouds)
                    _w.WriteLine($"/// <param name=\"{D(c)}\">Receives the gradient of each row's value with respect to that row's points of <c>{c}</c> (as <c>{c}</c>); pass an empty span to skip it.</param>");
            foreach (var p in _p.ParameterNames)
                _w.WriteLine($"/// <param name=\"{p}\">Parameter <c>{p}</c> of the formula.</param>");
            _w.WriteLine("/// <exception cref=\"global::System.ArgumentException\"><paramref name=\"perRow\"/> is empty, <paramref name=\"d\"/> is below 1, a cloud's length is not a positive multiple of rows × d, weights are not one per point, a row-level input is not one value per row"
                + (gradient ? ", a gradient span is neither empty nor as long as its cloud," : ",") + " or an output overlaps an input or another output.</exception>");
            _w.WriteLine("/// <remarks>Each row runs the small-cloud path (<c>SmallClouds</c>: a direct O(m²) loop per row, no packing, no allocation) on one thread; rows are cut into chunks fixed by their number, so the bits do not depend on the thread count. Pair terms are computed in the element type, features, sums and the epilogue in double.</remarks>");
        }
        string grads = gradient ? ", " + GradParams() : "";
        Header("unsafe void", name, SpanParams().TrimStart(',', ' ') + RowSpanParams() + ", int d, global::System.Span<" + T + "> perRow" + grads + ScalarParams());
        using (_w.Block())
        {
            RowsChecks(gradient);
            var pins = RowInputs().Select(s => $"{Pin(s)} = {Id(s)}").Append("_pin_perRow = perRow");
            if (gradient) pins = pins.Concat(Clouds.Select(c => $"{Pin(D(c))} = {D(c)}"));
            using (_w.Block($"fixed ({T}* {string.Join(", ", pins)})"))
            {
                var init = RowInputs().Select(s => $"{Ptr(s)} = {Pin(s)}").Append("_perRow = _pin_perRow").Append("_d = d").Append("_rows = _rows");
                init = init.Concat(Clouds.Select(c => $"{PerRow(c)} = {PerRow(c)}"));
                if (gradient) init = init.Concat(Clouds.Select(c => $"{DPtr(c)} = {Pin(D(c))}"));
                init = init.Concat(_p.ParameterNames.Select(p => $"{Id(p)} = {Id(p)}"));
                _w.WriteLine($"var _job = new {JobName} {{ {string.Join(", ", init)} }};");
                string most = Clouds.Skip(1).Aggregate(PerRow(Clouds[0]), (acc, c) => $"global::System.Math.Max({acc}, {PerRow(c)})");
                _w.WriteLine($"global::KernelDsl.Runtime.Chunking.Run(ref _job, {Small}.Chunks(_rows), {Small}.Parallel(_rows, {most}, d));");
            }
        }
    }

    private void RowsChecks(bool gradient)
    {
        const string checks = Runtime + ".SpanChecks";
        _w.WriteLine($"int _rows = {Small}.Rows(perRow, nameof(perRow));");
        for (int c = 0; c < Clouds.Count; c++)
            _w.WriteLine($"int {PerRow(Clouds[c])} = {Small}.PointsPerRow({Id(Clouds[c])}, _rows, d, nameof({Id(Clouds[c])}));");
        for (int c = 0; c < Clouds.Count; c++)
            if (Weight(c) is { } a)
                _w.WriteLine($"{Sweep}.Weights({Id(a)}, _rows * {PerRow(Clouds[c])}, nameof({Id(a)}), nameof({Id(Clouds[c])}));");
        foreach (var r in _p.RowInputNames)
            _w.WriteLine($"{Small}.RowInput({Id(r)}, _rows, nameof({Id(r)}));");
        var inputs = RowInputs().Select(Id).ToList();
        var outputs = new List<string> { "perRow" };
        if (gradient)
            foreach (var c in Clouds)
            {
                _w.WriteLine($"{checks}.Length({D(c)}, {Id(c)}.Length, nameof({D(c)}));");
                outputs.Add(D(c));
            }
        for (int o = 0; o < outputs.Count; o++)
        {
            // An output is written while the inputs of other rows are still read: it may not share their memory.
            string overlaps = string.Join(" || ", Chunks(inputs, 4).Select(chunk => $"{checks}.Overlaps({outputs[o]}, {string.Join(", ", chunk)})"));
            _w.WriteLine($"if ({overlaps}) throw {Runtime}.Partials.Overlap(nameof({outputs[o]}));");
            for (int p = 0; p < o; p++)
                _w.WriteLine($"{checks}.Apart({outputs[o]}, {outputs[p]}, nameof({outputs[o]}), nameof({outputs[p]}));");
        }
    }

    private void WriteRowsJob()
    {
        _w.WriteLine();
        _w.WriteLine($"/// <summary>A chunk of rows of <c>Rows</c> over {T}: each row's value (and, when asked, its gradients) on the small-cloud path.</summary>");
        using (_w.Block($"private unsafe struct {JobName} : global::KernelDsl.Runtime.IChunkJob"))
        {
            // The formula's names are fields (parameters) or locals (a row's spans); every other member starts with '_'.
            _w.WriteLine($"public {T}* {string.Join(", ", RowInputs().Select(Ptr).Concat(Clouds.Select(DPtr)))}, _perRow;");
            _w.WriteLine($"public int _d, _rows, {string.Join(", ", Clouds.Select(PerRow))};");
            foreach (var p in _p.ParameterNames) _w.WriteLine($"public double {Id(p)};");
            _w.WriteLine();
            using (_w.Block("void global::KernelDsl.Runtime.IChunkJob.Run(int _chunk)"))
            {
                _w.WriteLine("int d = _d;");
                for (int c = 0; c < Clouds.Count; c++) _w.WriteLine($"double {Count(c, _p)} = {PerRow(Clouds[c])};");
                string args = string.Join(", ", _p.ParameterNames.Select(Id));
                for (int k = 0; k < _p.Terms.Count; k++)
                    _w.WriteLine($"var _term{k} = new {SampleTermWriter.Name(k)}<{T}>({args});");
                _w.WriteLine($"int _end = global::System.Math.Min(_rows, (_chunk + 1) * {Small}.RowsPerChunk);");
                using (_w.Block($"for (int _b = _chunk * {Small}.RowsPerChunk; _b < _end; _b++)"))
                    RowBody();
            }
        }
    }

    private void RowBody()
    {
        for (int c = 0; c < Clouds.Count; c++)
        {
            string x = Clouds[c], m = PerRow(x);
            _w.WriteLine($"var {Id(x)} = new global::System.ReadOnlySpan<{T}>({Ptr(x)} + (nint)_b * {m} * d, {m} * d);");
            if (Weight(c) is { } a) _w.WriteLine($"var {Id(a)} = new global::System.ReadOnlySpan<{T}>({Ptr(a)} + (nint)_b * {m}, {m});");
        }
        foreach (var r in _p.RowInputNames) _w.WriteLine($"double {Id(r)} = {Ptr(r)}[_b];");
        for (int s = 0; s < _p.Scalars.Count; s++)
        {
            var (kind, cloud) = _p.Scalars[s];
            string name = _p.ScalarName(_p.ScalarIndex(s));
            if (kind == SampleScalarKind.RowInput) _w.WriteLine($"double {name} = {Id(_p.RowInputNames[cloud])};");
            else if (kind == SampleScalarKind.WeightSum || kind == SampleScalarKind.WeightSquareSum)
                _w.WriteLine($"double {name} = {Sweep}.WeightSum({Id(Weight(cloud)!)}, square: {(kind == SampleScalarKind.WeightSquareSum ? "true" : "false")});");
        }
        string rowArgs = string.Join(", ", _p.ParameterNames.Select(Id).Concat(_p.RowInputNames.Select(Id)));
        for (int k = 0; k < _p.Points.Terms.Count; k++)
            _w.WriteLine($"var _point{k} = new {SamplePointTermWriter.Name(k)}({rowArgs});");
        for (int r = 0; r < _p.Reductions.Count; r++)
        {
            var red = _p.Reductions[r];
            string x = Id(Clouds[red.CloudI]);
            string call = red.IsSelf
                ? $"{Small}.SelfSum(in _term{red.Term}, {x}, {WeightArg(red.CloudI, red.WeightedI)}, d, diagonal: {(red.Diagonal ? "true" : "false")})"
                : $"{Small}.Sum(in _term{red.Term}, {x}, {WeightArg(red.CloudI, red.WeightedI)}, {Id(Clouds[red.CloudJ])}, {WeightArg(red.CloudJ, red.WeightedJ)}, d)";
            _w.WriteLine("// " + Describe(r));
            _w.WriteLine($"double {R(r)} = {call};");
        }
        PointSums();
        var written = new HashSet<int>();
        _w.WriteLine($"_perRow[_b] = ({T})({Epilogue(_p.Output, written)});");
        // Every requested row gradient is written, cleared first, also when no reduction has a nonzero slope (then 0).
        using (_w.Block($"if ({string.Join(" || ", Clouds.Select(c => DPtr(c) + " != null"))})"))
        {
            Slopes(written);
            for (int r = 0; r < _p.Points.Reductions.Count; r++)
                if (_p.Points.Slopes[r] is { } slope)
                    _w.WriteLine($"double {GP(r)} = {Epilogue(slope, written)}; // dV/d{P(r)}");
            for (int c = 0; c < Clouds.Count; c++) RowGradient(c);
        }
    }

    // A row's gradient in cloud c: cleared, then every share added (pair reductions, then point reductions).
    private void RowGradient(int c)
    {
        string x = Id(Clouds[c]), dx = DPtr(Clouds[c]), m = PerRow(Clouds[c]);
        // With one cloud, the test around the whole gradient block is this one.
        using (Clouds.Count > 1 ? _w.Block($"if ({dx} != null)") : default)
        {
            _w.WriteLine($"var _grad = new global::System.Span<{T}>({dx} + (nint)_b * {m} * d, {m} * d);");
            _w.WriteLine("_grad.Clear();");
            for (int r = 0; r < _p.Reductions.Count; r++)
            {
                var red = _p.Reductions[r];
                if (_p.Slopes[r] == null) continue;
                if (red.IsSelf && red.CloudI == c)
                    _w.WriteLine($"{Small}.AddSelfGradient(in _term{red.Term}, {x}, {WeightArg(c, red.WeightedI)}, d, diagonal: {(red.Diagonal ? "true" : "false")}, {G(r)}, _grad);");
                else if (!red.IsSelf && (red.CloudI == c || red.CloudJ == c))
                {
                    bool swapped = red.CloudJ == c;
                    int other = swapped ? red.CloudI : red.CloudJ;
                    bool wx = swapped ? red.WeightedJ : red.WeightedI, wy = swapped ? red.WeightedI : red.WeightedJ;
                    _w.WriteLine($"{Small}.AddGradient(in _term{red.Term}, {x}, {WeightArg(c, wx)}, {Id(Clouds[other])}, {WeightArg(other, wy)}, d, {G(r)}, _grad);");
                }
            }
            for (int r = 0; r < _p.Points.Reductions.Count; r++)
            {
                var red = _p.Points.Reductions[r];
                if (_p.Points.Slopes[r] == null || red.Cloud != c) continue;
                _w.WriteLine($"{Points}.AddGradient<{SamplePointTermWriter.Name(red.Term)}, {T}>(in _point{red.Term}, {x}, {WeightArg(c, red.Weighted)}, d, {GP(r)}, _grad);");
            }
        }
    }
}
