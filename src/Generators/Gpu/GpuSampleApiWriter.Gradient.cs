using System.Collections.Generic;
using System.Linq;
using KernelDsl.Generators.Emit;
using KernelDsl.Language.Planning.Samples;

namespace KernelDsl.Generators.Gpu;

/// <content>
/// ValueAndGradient on the device: the gradient of each cloud from the chain rule, dV/dR_r times each reduction's
/// gradient, as on the CPU; the first share (or a self and a cross share of one term, in one sweep) writes the cloud's
/// gradient view, each further share is added to it in double by its own sweep (no scratch buffer).
/// </content>
internal sealed partial class GpuSampleApiWriter
{
    private void WriteValueAndGradient()
    {
        _w.WriteLine();
        if (_docs)
        {
            _w.WriteLine(_p.LinearEpilogue
                ? "/// <summary>The value and its gradient with respect to the points of each cloud, on the device: the epilogue is linear in the pair reductions, so each gradient sweep returns its reductions' values too.</summary>"
                : "/// <summary>The value and its gradient with respect to the points of each cloud, on the device: value sweeps, the epilogue's slopes dV/dR, then one gradient sweep per reduction and cloud.</summary>");
            DocInputs(" on the device");
            foreach (var c in Clouds)
                _w.WriteLine($"/// <param name=\"{D(c)}\">Receives the gradient with respect to the points of <c>{c}</c> (row-major, as <c>{c}</c>, on the device); pass an empty view to skip it.</param>");
            DocParams();
            DocExceptions(gradients: true);
        }
        Header("ValueAndGradient", $"{RuntimeNames.KernelDevice} device, {Inputs(View)}, int d, {Gradients(View)}{ScalarParams()}");
        using (_w.Block())
        {
            Prologue();
            GradientChecks();
            Terms();
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
            _w.WriteLine($"return ({T})({Epilogue(_p.Output, written)});");
        }
    }

    // Each gradient view empty or as long as its cloud, on the device, apart from the inputs and the other gradients.
    private void GradientChecks()
    {
        string inputs = string.Join(", ", InputNames().Select(Id));
        for (int c = 0; c < Clouds.Count; c++)
        {
            string dc = D(Clouds[c]);
            _w.WriteLine($"{Sweep}.Gradient(device, {dc}, {Id(Clouds[c])}.Length, nameof({dc}), {inputs});");
            for (int o = 0; o < c; o++)
                _w.WriteLine($"if (global::KernelDsl.Runtime.Gpu.GpuCopy.Overlaps({dc}, {D(Clouds[o])})) throw {Runtime}.Partials.GradientsOverlap(nameof({dc}), nameof({D(Clouds[o])}));");
        }
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

    // The cloud's gradient: the first share (or a self share and a cross share of one term, together) writes it; each
    // further share is added by its sweep. Without the gradient, the values those sweeps would have returned come from
    // value sweeps.
    private void CloudGradient(int cloud, HashSet<int> assigned)
    {
        string x = Id(Clouds[cloud]), dx = D(Clouds[cloud]);
        var sweeps = SampleCloudGradient.Of(_p, cloud);
        var shares = sweeps.All;
        var first = sweeps.First;
        var rest = sweeps.Rest;
        var newly = shares.Select(s => s.Reduction).Where(r => !assigned.Contains(r)).Distinct().ToList();
        _w.WriteLine($"// The gradient in {Clouds[cloud]}: " + (shares.Count == 0 ? "zero (no pair reduction reads it)." : string.Join(" + ", shares.Select(s => $"{G(s.Reduction)} · ∂{R(s.Reduction)}/∂{Clouds[cloud]}")) + "."));
        using (_w.Block($"if ({dx}.Length != 0)"))
        {
            if (shares.Count == 0)
            {
                _w.WriteLine($"global::KernelDsl.Runtime.Gpu.GpuCopy.Zero({dx});");
                _w.WriteLine("device.Accelerator.Synchronize();");
            }
            else if (first.Count == 2)
            {
                var (s, c) = (first[0], first[1]);
                var red = _p.Reductions[c.Reduction];
                int other = c.Swapped ? red.CloudI : red.CloudJ;
                bool wy = c.Swapped ? red.WeightedI : red.WeightedJ;
                var sred = _p.Reductions[s.Reduction];
                _w.WriteLine($"({Slot(s.Reduction, assigned)}, {Slot(c.Reduction, assigned)}) = {Sweep}.SelfAndCrossWithGradient(device, in _term{red.Term}, {x}, {WeightArg(cloud, sred.WeightedI)}, {Id(Clouds[other])}, {WeightArg(other, wy)}, d, diagonal: {(sred.Diagonal ? "true" : "false")}, {G(s.Reduction)}, {G(c.Reduction)}, {dx});");
            }
            else _w.WriteLine($"{Assign(first[0].Reduction, assigned)}{GradientCall(first[0], cloud, dx, accumulate: false)};");
            foreach (var s in rest)
                _w.WriteLine($"{Assign(s.Reduction, assigned)}{GradientCall(s, cloud, dx, accumulate: true)};");
        }
        if (newly.Count > 0)
            using (_w.Block("else"))
                foreach (int r in newly) ValueSweep(r, declare: false);
        foreach (int r in newly) assigned.Add(r);
    }

    // A reduction's slot in the tuple SelfAndCross returns: its local, or a discard when its value is known already.
    private static string Slot(int r, HashSet<int> assigned) => assigned.Contains(r) ? "_" : R(r);

    private static string Assign(int r, HashSet<int> assigned) => assigned.Contains(r) ? "_ = " : R(r) + " = ";

    private string GradientCall(SampleGradientShare s, int cloud, string into, bool accumulate)
    {
        var red = _p.Reductions[s.Reduction];
        string x = Id(Clouds[cloud]);
        string add = accumulate ? ", accumulate: true" : "";
        if (s.Self)
            return $"{Sweep}.SelfSumWithGradient(device, in _term{red.Term}, {x}, {WeightArg(cloud, red.WeightedI)}, d, diagonal: {(red.Diagonal ? "true" : "false")}, {G(s.Reduction)}, {into}{add})";
        int other = s.Swapped ? red.CloudI : red.CloudJ;
        bool wx = s.Swapped ? red.WeightedJ : red.WeightedI, wy = s.Swapped ? red.WeightedI : red.WeightedJ;
        return $"{Sweep}.SumWithGradient(device, in _term{red.Term}, {x}, {WeightArg(cloud, wx)}, {Id(Clouds[other])}, {WeightArg(other, wy)}, d, {G(s.Reduction)}, {into}{add})";
    }
}
