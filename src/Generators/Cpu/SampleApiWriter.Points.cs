using System.Collections.Generic;
using System.Globalization;
using KernelDsl.Generators.Emit;
using KernelDsl.Language.Planning.Samples;

namespace KernelDsl.Generators.Cpu;

/// <content>The reductions over the points of one cloud (terms of one point): their sums and their gradients.</content>
internal sealed partial class SampleApiWriter
{
    private const string Points = Runtime + ".PointSweep";

    private static string P(int r) => "_p" + r.ToString(CultureInfo.InvariantCulture);

    private static string GP(int r) => "_gp" + r.ToString(CultureInfo.InvariantCulture);

    /// <summary>The point reduction in words, for the comment over its pass.</summary>
    private string DescribePoint(int r)
    {
        var red = _p.Points.Reductions[r];
        string x = Clouds[red.Cloud], w = red.Weighted ? Weight(red.Cloud) + "_i " : "";
        return $"{P(r)} = Σ_i {w}Σ_k h{red.Term}({x}_ik)";
    }

    private string PointCall(int r, string cloud)
    {
        var red = _p.Points.Reductions[r];
        return $"{Points}.Sum<{SamplePointTermWriter.Name(red.Term)}, {T}>(in _point{red.Term}, {cloud}, {WeightArg(red.Cloud, red.Weighted)}, d)";
    }

    // Every point reduction, one pass over its cloud each (the epilogue and the slopes may read them).
    private void PointSums()
    {
        for (int r = 0; r < _p.Points.Reductions.Count; r++)
        {
            _w.WriteLine("// " + DescribePoint(r));
            _w.WriteLine($"double {P(r)} = {PointCall(r, Id(Clouds[_p.Points.Reductions[r].Cloud]))};");
        }
    }

    // After the pair gradients are written: dV/dP_r times each point reduction's gradient, added to its cloud's.
    private void PointGradients(HashSet<int> written)
    {
        for (int r = 0; r < _p.Points.Reductions.Count; r++)
        {
            if (_p.Points.Slopes[r] is not { } slope) continue;
            var red = _p.Points.Reductions[r];
            string x = Id(Clouds[red.Cloud]), dx = D(Clouds[red.Cloud]);
            _w.WriteLine($"double {GP(r)} = {Epilogue(slope, written)}; // dV/d{P(r)}");
            _w.WriteLine($"if (!{dx}.IsEmpty) {Points}.AddGradient<{SamplePointTermWriter.Name(red.Term)}, {T}>(in _point{red.Term}, {x}, {WeightArg(red.Cloud, red.Weighted)}, d, {GP(r)}, {dx});");
        }
    }
}
