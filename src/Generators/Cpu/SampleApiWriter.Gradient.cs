using System.Collections.Generic;
using System.Linq;
using KernelDsl.Generators.Emit;
using KernelDsl.Language.Planning.Samples;

namespace KernelDsl.Generators.Cpu;

/// <content>ValueAndGradient: the gradient of each cloud from the chain rule, dV/dR_r times each reduction's gradient.</content>
internal sealed partial class SampleApiWriter
{
    private void WriteValueAndGradient()
    {
        _w.WriteLine();
        if (_docs)
        {
            bool linear = _p.LinearEpilogue;
            _w.WriteLine(linear
                ? "/// <summary>The value and its gradient with respect to the points of each cloud: the epilogue is linear in the pair reductions, so each gradient sweep returns its reductions' values too.</summary>"
                : "/// <summary>The value and its gradient with respect to the points of each cloud: value sweeps, the epilogue's slopes dV/dR, then one gradient sweep per reduction and cloud.</summary>");
            DocClouds();
            foreach (var c in Clouds)
                _w.WriteLine($"/// <param name=\"{D(c)}\">Receives the gradient with respect to the points of <c>{c}</c> (row-major, as <c>{c}</c>); pass an empty span to skip it.</param>");
            DocParams();
            _w.WriteLine("/// <returns>The value: pair terms in the element type, sums and the epilogue in double, rounded once at the end.</returns>");
            DocExceptions(gradients: true);
        }
        Header(T, "ValueAndGradient", SpanParams() + ", int d, " + GradParams() + RowScalarParams() + ScalarParams());
        GradientBody(all: false);
    }

    // The body of a ValueAndGradient: the points' gradients, and with all set the weights' and the parameters' too.
    private void GradientBody(bool all)
    {
        using (_w.Block())
        {
            Prologue();
            GradientChecks();
            if (all) MoreGradientChecks();
            Terms();
            PointSums();
            var written = new HashSet<int>();
            var assigned = new HashSet<int>();
            if (_p.LinearEpilogue)
            {
                Slopes(written);
                // A reduction no gradient reads is swept for its value alone.
                for (int r = 0; r < _p.Reductions.Count; r++)
                    if (_p.Slopes[r] == null) { ValueSweep(r, declare: true); assigned.Add(r); }
                var pending = Enumerable.Range(0, _p.Reductions.Count).Where(r => !assigned.Contains(r)).ToList();
                if (pending.Count > 0) _w.WriteLine("double " + string.Join(", ", pending.Select(R)) + ";");
            }
            else
            {
                for (int r = 0; r < _p.Reductions.Count; r++) ValueSweep(r, declare: true);
                for (int r = 0; r < _p.Reductions.Count; r++) assigned.Add(r);
                Slopes(written);
            }
            for (int c = 0; c < Clouds.Count; c++) CloudGradient(c, assigned);
            PointGradients(written);
            if (all)
            {
                for (int c = 0; c < Clouds.Count; c++) WeightGradient(c, written);
                ParameterGradient(written);
            }
            _w.WriteLine($"return ({T})({Epilogue(_p.Output, written)});");
        }
    }

    private void GradientChecks()
    {
        const string checks = Runtime + ".SpanChecks";
        var inputs = new List<string>();
        for (int c = 0; c < Clouds.Count; c++)
        {
            inputs.Add(Id(Clouds[c]));
            if (Weight(c) is { } a) inputs.Add(Id(a));
        }
        for (int c = 0; c < Clouds.Count; c++)
        {
            string dc = D(Clouds[c]);
            _w.WriteLine($"{checks}.Length({dc}, {Id(Clouds[c])}.Length, nameof({dc}));");
            // A gradient is written while the clouds are still read: it may not share their memory.
            string overlaps = string.Join(" || ", Chunks(inputs, 4).Select(chunk => $"{checks}.Overlaps({dc}, {string.Join(", ", chunk)})"));
            _w.WriteLine($"if ({overlaps}) throw {Runtime}.Partials.Overlap(nameof({dc}));");
            for (int o = 0; o < c; o++)
                _w.WriteLine($"{checks}.Apart({dc}, {D(Clouds[o])}, nameof({dc}), nameof({D(Clouds[o])}));");
        }
    }

    private static IEnumerable<List<string>> Chunks(List<string> items, int size)
    {
        for (int i = 0; i < items.Count; i += size) yield return items.Skip(i).Take(size).ToList();
    }

    // dV/dR_r for every reduction a gradient reads.
    private void Slopes(HashSet<int> written)
    {
        for (int r = 0; r < _p.Reductions.Count; r++)
            if (_p.Slopes[r] is { } slope)
            {
                string name = Epilogue(slope, written);
                _w.WriteLine($"double {G(r)} = {name}; // dV/d{R(r)}");
            }
    }

    // The cloud's gradient: the first share (or a self share and a cross share of one term, together) writes it; any
    // further share goes through a pooled buffer and is added. Without the gradient, the values those sweeps would have
    // returned come from value sweeps.
    private void CloudGradient(int cloud, HashSet<int> assigned)
    {
        string x = Id(Clouds[cloud]), dx = D(Clouds[cloud]);
        var sweeps = SampleCloudGradient.Of(_p, cloud);
        var shares = sweeps.All;
        var first = sweeps.First;
        var rest = sweeps.Rest;
        var newly = shares.Select(s => s.Reduction).Where(r => !assigned.Contains(r)).Distinct().ToList();
        _w.WriteLine($"// The gradient in {Clouds[cloud]}: " + (shares.Count == 0 ? "zero (no pair reduction reads it)." : string.Join(" + ", shares.Select(s => $"{G(s.Reduction)} · ∂{R(s.Reduction)}/∂{Clouds[cloud]}")) + "."));
        using (_w.Block($"if (!{dx}.IsEmpty)"))
        {
            if (shares.Count == 0) _w.WriteLine($"{dx}.Clear();");
            else if (first.Count == 2)
            {
                var (s, c) = (first[0], first[1]);
                var red = _p.Reductions[c.Reduction];
                int other = c.Swapped ? red.CloudI : red.CloudJ;
                bool wy = c.Swapped ? red.WeightedI : red.WeightedJ;
                var sred = _p.Reductions[s.Reduction];
                _w.WriteLine($"({Slot(s.Reduction, assigned)}, {Slot(c.Reduction, assigned)}) = {Sweep}.SelfAndCrossWithGradient(in _term{red.Term}, {x}, {WeightArg(cloud, sred.WeightedI)}, {Id(Clouds[other])}, {WeightArg(other, wy)}, d, diagonal: {(sred.Diagonal ? "true" : "false")}, {G(s.Reduction)}, {G(c.Reduction)}, {dx});");
            }
            else _w.WriteLine($"{Assign(first[0].Reduction, assigned)}{GradientCall(first[0], cloud, dx)};");
            if (rest.Count > 0)
            {
                _w.WriteLine($"{T}[] _buffer = global::System.Buffers.ArrayPool<{T}>.Shared.Rent({x}.Length);");
                using (_w.Block("try"))
                {
                    _w.WriteLine($"global::System.Span<{T}> _share = global::System.MemoryExtensions.AsSpan(_buffer, 0, {x}.Length);");
                    foreach (var s in rest)
                    {
                        _w.WriteLine($"{Assign(s.Reduction, assigned)}{GradientCall(s, cloud, "_share")};");
                        _w.WriteLine($"{Sweep}.AddTo(_share, {dx});");
                    }
                }
                using (_w.Block("finally"))
                    _w.WriteLine($"global::System.Buffers.ArrayPool<{T}>.Shared.Return(_buffer);");
            }
        }
        if (newly.Count > 0)
            using (_w.Block("else"))
                foreach (int r in newly) ValueSweep(r, declare: false);
        foreach (int r in newly) assigned.Add(r);
    }

    // A reduction's slot in the tuple SelfAndCross returns: its local, or a discard when its value is known already.
    private static string Slot(int r, HashSet<int> assigned) => assigned.Contains(r) ? "_" : R(r);

    private string Assign(int r, HashSet<int> assigned) => assigned.Contains(r) ? "_ = " : R(r) + " = ";

    private string GradientCall(SampleGradientShare s, int cloud, string into)
    {
        var red = _p.Reductions[s.Reduction];
        string x = Id(Clouds[cloud]);
        if (s.Self)
            return $"{Sweep}.SelfSumWithGradient(in _term{red.Term}, {x}, {WeightArg(cloud, red.WeightedI)}, d, diagonal: {(red.Diagonal ? "true" : "false")}, {G(s.Reduction)}, {into})";
        int other = s.Swapped ? red.CloudI : red.CloudJ;
        bool wx = s.Swapped ? red.WeightedJ : red.WeightedI, wy = s.Swapped ? red.WeightedI : red.WeightedJ;
        return $"{Sweep}.SumWithGradient(in _term{red.Term}, {x}, {WeightArg(cloud, wx)}, {Id(Clouds[other])}, {WeightArg(other, wy)}, d, {G(s.Reduction)}, {into})";
    }
}
