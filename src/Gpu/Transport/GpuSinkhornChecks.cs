using System;
using System.Numerics;
using ILGPU;

namespace KernelDsl.Runtime.Gpu;

/// <summary>
/// The host side of a GPU Sinkhorn call, as the CPU solver's checks (<c>SinkhornSweep</c>): the clouds and ε, the weights
/// as used (copied down once: positive, finite, one per point, equal sums; empty: uniform), the outputs' lengths and
/// overlaps, and the first ε of the schedule from the clouds' bounding box (copied down once).
/// </summary>
internal static class GpuSinkhornChecks
{
    /// <summary>Checks the clouds, ε and the weights; returns the weights as used, on the host.</summary>
    public static (T[] A, T[] B) Clouds<T>(KernelDevice device, ArrayView<T> x, ArrayView<T> a, ArrayView<T> y, ArrayView<T> b, int d, double epsilon,
        double massTolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = GpuPairSweep.Points(device, x, d, "x"), m = GpuPairSweep.Points(device, y, d, "y");
        if (!(epsilon > 0) || double.IsInfinity(epsilon))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be positive and finite.");
        var (wa, massA) = Weights(device, a, n, "a", "x");
        var (wb, massB) = Weights(device, b, m, "b", "y");
        if (Math.Abs(massA - massB) > massTolerance * Math.Max(massA, massB))
            throw new ArgumentException($"The weights' sums differ: Σa = {massA:R}, Σb = {massB:R} (balanced transport needs equal masses, within a relative {massTolerance:G2}).", nameof(b));
        return (wa, wb);
    }

    private static (T[] Weights, double Mass) Weights<T>(KernelDevice device, ArrayView<T> weights, int count, string name, string cloud)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var host = new T[count];
        if (weights.Length == 0)
        {
            Array.Fill(host, T.CreateTruncating(1.0 / count));
            return (host, 1.0);
        }
        GpuPairSweep.Weights(device, weights, count, name, cloud);
        device.Download(weights, host);
        double sum = 0.0;
        for (int i = 0; i < count; i++)
        {
            double w = double.CreateTruncating(host[i]);
            if (!(w > 0) || double.IsInfinity(w))
                throw new ArgumentException($"'{name}[{i}]' is {w:R}; transport weights must be positive and finite.", name);
            sum += w;
        }
        return (host, sum);
    }

    /// <summary>Checks the outputs: each empty or of its length, on the device, apart from the inputs and from each other.</summary>
    public static void Outputs<T>(KernelDevice device, in GpuSinkhornOutputs<T> outputs, int n, int m, int d, params ArrayView<T>[] inputs) where T : unmanaged
    {
        var views = new[] { outputs.GradX, outputs.GradY, outputs.GradA, outputs.GradB, outputs.PotentialF, outputs.PotentialG };
        string[] names = ["GradX", "GradY", "GradA", "GradB", "PotentialF", "PotentialG"];
        long[] lengths = [(long)n * d, (long)m * d, n, m, n, m];
        for (int k = 0; k < views.Length; k++)
        {
            if (views[k].Length == 0) continue;
            if (views[k].Length != lengths[k]) throw Partials.OutputLength(names[k], views[k].Length, lengths[k]);
            GpuCopy.CheckView(device.Accelerator, views[k], names[k]);
            foreach (var input in inputs)
                if (GpuCopy.Overlaps(views[k], input)) throw Partials.Overlap(names[k]);
            for (int l = k + 1; l < views.Length; l++)
                if (GpuCopy.Overlaps(views[k], views[l])) throw Partials.Overlap(names[k]);
        }
    }

    /// <summary>
    /// The first ε of the schedule, as the CPU solver's: the range of the cost over the clouds, through the term at the
    /// ends and the middle of the pair feature's range (0 to the squared diameter of the union's bounding box, or ±R² with R
    /// the largest norm for the dot feature). The clouds come down to the host once for it.
    /// </summary>
    public static double StartEpsilon<TCost, T>(KernelDevice device, in TCost cost, ArrayView<T> x, ArrayView<T> y, int d)
        where TCost : struct, IGpuPairTerm<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (xh, yh) = (new T[x.Length], new T[y.Length]);
        device.Download(x, xh);
        device.Download(y, yh);
        double lo, hi;
        if (TCost.Feature == PairFeature.Dot)
        {
            hi = Math.Max(LargestSquaredNorm(xh, d), LargestSquaredNorm(yh, d));
            lo = -hi;
        }
        else
        {
            lo = 0.0;
            hi = 0.0;
            for (int k = 0; k < d; k++)
            {
                double min = double.PositiveInfinity, max = double.NegativeInfinity;
                for (int i = k; i < xh.Length; i += d) Bound(double.CreateTruncating(xh[i]), ref min, ref max);
                for (int j = k; j < yh.Length; j += d) Bound(double.CreateTruncating(yh[j]), ref min, ref max);
                hi += (max - min) * (max - min);
            }
        }
        var c = cost.Constants;
        double c0 = double.CreateTruncating(TCost.Value(c, T.CreateTruncating(lo)));
        double c1 = double.CreateTruncating(TCost.Value(c, T.CreateTruncating(0.5 * (lo + hi))));
        double c2 = double.CreateTruncating(TCost.Value(c, T.CreateTruncating(hi)));
        return Math.Max(c0, Math.Max(c1, c2)) - Math.Min(c0, Math.Min(c1, c2));
    }

    private static void Bound(double v, ref double lo, ref double hi)
    {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
    }

    private static double LargestSquaredNorm<T>(T[] points, int d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double largest = 0.0;
        for (int i = 0; i < points.Length; i += d)
        {
            double s = 0.0;
            for (int k = 0; k < d; k++) s += double.CreateTruncating(points[i + k]) * double.CreateTruncating(points[i + k]);
            largest = Math.Max(largest, s);
        }
        return largest;
    }
}
