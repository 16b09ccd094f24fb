using System;
using System.Buffers;
using System.Numerics;

namespace KernelDsl.Runtime;

/// <content>Argument checks, the weights as used, and the first ε of the schedule.</content>
public static partial class SinkhornSweep
{
    /// <summary>The relative difference allowed between the weights' sums, float.</summary>
    private const double FloatMass = TransportChecks.FloatMassTolerance;

    /// <summary>The relative difference allowed between the weights' sums, double.</summary>
    private const double DoubleMass = TransportChecks.DoubleMassTolerance;

    private static SinkhornOptions Settings(SinkhornOptions? options)
    {
        SinkhornOptions settings = options ?? SinkhornOptions.Default;
        settings.Validate();
        return settings;
    }

    /// <summary>Checks a solve's arguments (clouds, ε, weights, output lengths and overlaps); returns n and m.</summary>
    private static (int N, int M) CheckSolve<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> a, ReadOnlySpan<T> y, ReadOnlySpan<T> b, int d, double epsilon,
        double massTolerance, in SinkhornOutputs<T> outputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (n, m) = CheckClouds(x, a, y, b, d, epsilon, massTolerance);
        Output(outputs.GradX, (long)n * d, "GradX");
        Output(outputs.GradY, (long)m * d, "GradY");
        Output(outputs.GradA, n, "GradA");
        Output(outputs.GradB, m, "GradB");
        Output(outputs.PotentialF, n, "PotentialF");
        Output(outputs.PotentialG, m, "PotentialG");
        var outs = new Outs<T>(in outputs);
        for (int k = 0; k < Outs<T>.Count; k++)
        {
            Span<T> o = outs[k];
            if (o.IsEmpty) continue;
            string name = Outs<T>.Names[k];
            Apart(o, x, name, "x");
            Apart(o, y, name, "y");
            Apart(o, a, name, "a");
            Apart(o, b, name, "b");
            for (int l = k + 1; l < Outs<T>.Count; l++) Apart(o, outs[l], name, Outs<T>.Names[l]);
        }
        return (n, m);
    }

    /// <summary>Checks the clouds, ε and the weights (positive, finite, one per point, equal sums); returns n and m.</summary>
    private static (int N, int M) CheckClouds<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> a, ReadOnlySpan<T> y, ReadOnlySpan<T> b, int d, double epsilon,
        double massTolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = PairSweep.Points(x, d, "x"), m = PairSweep.Points(y, d, "y");
        if (!(epsilon > 0) || double.IsInfinity(epsilon))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be positive and finite.");
        double massA = Mass(a, n, "a", "x"), massB = Mass(b, m, "b", "y");
        if (Math.Abs(massA - massB) > massTolerance * Math.Max(massA, massB))
            throw new ArgumentException($"The weights' sums differ: Σa = {massA:R}, Σb = {massB:R} (balanced transport needs equal masses, within a relative {massTolerance:G2}).", nameof(b));
        return (n, m);
    }

    /// <summary>The sum of a cloud's weights (1 when empty: uniform 1/count); throws unless each is positive and finite, one per point.</summary>
    private static double Mass<T>(ReadOnlySpan<T> weights, int count, string name, string cloud) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (weights.IsEmpty) return 1.0;
        PairSweep.Weights(weights, count, name, cloud);
        double sum = 0.0;
        for (int i = 0; i < weights.Length; i++)
        {
            double w = double.CreateTruncating(weights[i]);
            if (!(w > 0) || double.IsInfinity(w))
                throw new ArgumentException($"'{name}[{i}]' is {w:R}; transport weights must be positive and finite.", name);
            sum += w;
        }
        return sum;
    }

    private static void Output<T>(Span<T> output, long length, string name)
    {
        if (!output.IsEmpty && output.Length != length) throw Partials.OutputLength(name, output.Length, length);
    }

    private static void Apart<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> other, string name, string otherName)
    {
        if (!other.IsEmpty && output.Overlaps(other))
            throw new ArgumentException($"'{name}' overlaps '{otherName}': outputs must not share memory with the inputs or with each other.", name);
    }

    /// <summary>The six outputs by index (spans cannot sit in an array).</summary>
    private readonly ref struct Outs<T> where T : unmanaged
    {
        public const int Count = 6;
        public static readonly string[] Names = ["GradX", "GradY", "GradA", "GradB", "PotentialF", "PotentialG"];
        private readonly Span<T> _gx, _gy, _ga, _gb, _f, _g;

        public Outs(in SinkhornOutputs<T> o)
        {
            _gx = o.GradX;
            _gy = o.GradY;
            _ga = o.GradA;
            _gb = o.GradB;
            _f = o.PotentialF;
            _g = o.PotentialG;
        }

        public Span<T> this[int k] => k switch { 0 => _gx, 1 => _gy, 2 => _ga, 3 => _gb, 4 => _f, _ => _g };
    }

    /// <summary>Runs the loop with the weights as used: the given ones, or uniform 1/n, 1/m in pooled arrays.</summary>
    private static SinkhornResult WithWeights<T, TSweeps>(ref TSweeps sweeps, ReadOnlySpan<T> a, ReadOnlySpan<T> b, int n, int m, int d, double epsilon,
        double epsilon0, bool debias, SinkhornOptions options, in SinkhornOutputs<T> outputs)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSweeps : ISinkhornSweeps<T>, allows ref struct
    {
        T[]? ua = a.IsEmpty ? Uniform<T>(n) : null, ub = b.IsEmpty ? Uniform<T>(m) : null;
        try
        {
            return SinkhornLoop<T>.Solve(ref sweeps, ua is null ? a : ua.AsSpan(0, n), ub is null ? b : ub.AsSpan(0, m), d, epsilon, epsilon0, debias, options, in outputs);
        }
        finally
        {
            if (ua != null) ArrayPool<T>.Shared.Return(ua);
            if (ub != null) ArrayPool<T>.Shared.Return(ub);
        }
    }

    /// <summary>ApplyPlan and BarycentricMap: checks, the weights as used, one softmax sweep with the payload.</summary>
    private static void Plan<T, TSweeps>(ref TSweeps sweeps, ReadOnlySpan<T> x, ReadOnlySpan<T> a, ReadOnlySpan<T> y, ReadOnlySpan<T> b, int d, double epsilon,
        ReadOnlySpan<T> g, ReadOnlySpan<T> payload, string payloadName, int p, Span<T> output, bool rowFactor, double massTolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSweeps : ISinkhornSweeps<T>, allows ref struct
    {
        var (n, m) = CheckClouds(x, a, y, b, d, epsilon, massTolerance);
        if (g.Length != m) throw new ArgumentException($"'g' has length {g.Length}; it holds one potential per point of 'y' ({m}).", nameof(g));
        if (p < 1) throw new ArgumentOutOfRangeException(nameof(p), p, "A payload has at least one value per point.");
        if (payload.Length != (long)m * p)
            throw new ArgumentException($"'{payloadName}' has length {payload.Length}; it holds {p} values per point of 'y' ({m}).", payloadName);
        if (output.Length != (long)n * p) throw new ArgumentException($"'output' has length {output.Length}; it must have length {(long)n * p} (n × {p}).", nameof(output));
        Apart(output, x, "output", "x");
        Apart(output, y, "output", "y");
        Apart(output, a, "output", "a");
        Apart(output, b, "output", "b");
        Apart(output, g, "output", "g");
        Apart(output, payload, "output", payloadName);
        T[]? ua = a.IsEmpty ? Uniform<T>(n) : null, ub = b.IsEmpty ? Uniform<T>(m) : null;
        try
        {
            SinkhornLoop<T>.ApplyPlan(ref sweeps, ua is null ? a : ua.AsSpan(0, n), ub is null ? b : ub.AsSpan(0, m), d, epsilon, g, payload, p, output, rowFactor);
        }
        finally
        {
            if (ua != null) ArrayPool<T>.Shared.Return(ua);
            if (ub != null) ArrayPool<T>.Shared.Return(ub);
        }
    }

    private static T[] Uniform<T>(int count) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] w = ArrayPool<T>.Shared.Rent(count);
        w.AsSpan(0, count).Fill(T.CreateTruncating(1.0 / count));
        return w;
    }

    /// <summary>
    /// The first ε of the schedule: the range of the cost over the clouds, through the term — at feature 0 and the
    /// squared diameter of the union's bounding box (<see cref="PairFeature.SquaredDistance"/>), or at ±R² and 0 with R
    /// the largest norm in the union (<see cref="PairFeature.Dot"/>).
    /// </summary>
    private static double StartEpsilon<TCost>(in TCost cost, ReadOnlySpan<float> x, ReadOnlySpan<float> y, int d) where TCost : struct, IPairTerm<float>
    {
        var (lo, hi) = FeatureRange(x, y, d, TCost.Feature);
        float c0 = cost.Value<float, ScalarF>((float)lo), c1 = cost.Value<float, ScalarF>((float)(0.5 * (lo + hi))), c2 = cost.Value<float, ScalarF>((float)hi);
        return Math.Max(c0, Math.Max(c1, c2)) - (double)Math.Min(c0, Math.Min(c1, c2));
    }

    /// <inheritdoc cref="StartEpsilon{TCost}(in TCost, ReadOnlySpan{float}, ReadOnlySpan{float}, int)"/>
    private static double StartEpsilon<TCost>(in TCost cost, ReadOnlySpan<double> x, ReadOnlySpan<double> y, int d) where TCost : struct, IPairTerm<double>
    {
        var (lo, hi) = FeatureRange(x, y, d, TCost.Feature);
        double c0 = cost.Value<double, ScalarD>(lo), c1 = cost.Value<double, ScalarD>(0.5 * (lo + hi)), c2 = cost.Value<double, ScalarD>(hi);
        return Math.Max(c0, Math.Max(c1, c2)) - Math.Min(c0, Math.Min(c1, c2));
    }

    /// <summary>The range of the pair feature over the union of the clouds (a bound, from its bounding box or its largest norm).</summary>
    private static (double Low, double High) FeatureRange<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, int d, PairFeature feature) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (feature == PairFeature.Dot)
        {
            double r2 = Math.Max(LargestSquaredNorm(x, d), LargestSquaredNorm(y, d));
            return (-r2, r2);
        }
        double diameter2 = 0.0;
        for (int k = 0; k < d; k++)
        {
            double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            for (int i = k; i < x.Length; i += d) Bound(double.CreateTruncating(x[i]), ref lo, ref hi);
            for (int j = k; j < y.Length; j += d) Bound(double.CreateTruncating(y[j]), ref lo, ref hi);
            diameter2 += (hi - lo) * (hi - lo);
        }
        return (0.0, diameter2);
    }

    private static void Bound(double v, ref double lo, ref double hi)
    {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
    }

    private static double LargestSquaredNorm<T>(ReadOnlySpan<T> points, int d) where T : unmanaged, IFloatingPointIeee754<T>
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
