using System;
using System.Buffers;

namespace KernelDsl.Runtime;

/// <summary>
/// The entry of the sliced Wasserstein distance: argument checks (the messages name the public parameters), weight
/// normalisation, seeded directions, and the float overloads, which widen their inputs to double, run the double engine
/// (<see cref="SlicedSweep"/>) and round the value and the gradients once.
/// </summary>
internal static class SlicedCore
{
    /// <summary>SW_p with given directions (L × d, used as given) or, when <paramref name="directions"/> is empty, <paramref name="projections"/> seeded ones.</summary>
    public static double Distance(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int d, ReadOnlySpan<double> directions, int projections, ulong seed,
        double p, ReadOnlySpan<double> xWeights, ReadOnlySpan<double> yWeights, Span<double> dx, Span<double> dy, bool seeded)
    {
        var (n, m) = Check(x.Length, y.Length, d, p, dx.Length, dy.Length);
        SpanChecks.Apart(dx, dy, nameof(dx), nameof(dy));
        int count = seeded ? CheckProjections(projections) : CheckDirections(directions, d);
        string countName = seeded ? nameof(projections) : nameof(directions);
        if ((long)count * (n + m) > Array.MaxLength)
            throw new ArgumentException($"{count} directions over {n + m} points need more than {Array.MaxLength} projections: split the directions into several calls.", countName);
        // The sweep keeps the directions twice (rows and columns) and one power per direction.
        if (2L * count * d + count > Array.MaxLength)
            throw new ArgumentException($"{count} directions of d = {d} coordinates need more than {Array.MaxLength} values: split the directions into several calls.", countName);
        double[] scratch = ArrayPool<double>.Shared.Rent((xWeights.IsEmpty ? 0 : n) + (yWeights.IsEmpty ? 0 : m) + (seeded ? count * d : 0));
        try
        {
            Span<double> a = xWeights.IsEmpty ? default : scratch.AsSpan(0, n);
            Span<double> b = yWeights.IsEmpty ? default : scratch.AsSpan(a.Length, m);
            if (!a.IsEmpty) Wasserstein1DCore.NormalizeWeights(xWeights, n, nameof(xWeights), nameof(x), a);
            if (!b.IsEmpty) Wasserstein1DCore.NormalizeWeights(yWeights, m, nameof(yWeights), nameof(y), b);
            if (seeded)
            {
                Span<double> drawn = scratch.AsSpan(a.Length + b.Length, count * d);
                SlicedDirections.Fill(count, d, seed, drawn);
                directions = drawn;
            }
            return SlicedSweep.Run(x, n, y, m, d, directions, count, p, a, b, dx, dy);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(scratch);
        }
    }

    /// <summary>The float entry: widens every input to double, runs <see cref="Distance(ReadOnlySpan{double}, ReadOnlySpan{double}, int, ReadOnlySpan{double}, int, ulong, double, ReadOnlySpan{double}, ReadOnlySpan{double}, Span{double}, Span{double}, bool)"/>, rounds once.</summary>
    public static float Distance(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int d, ReadOnlySpan<float> directions, int projections, ulong seed,
        double p, ReadOnlySpan<float> xWeights, ReadOnlySpan<float> yWeights, Span<float> dx, Span<float> dy, bool seeded)
    {
        // Checks that the widened copies cannot see (they would all be distinct memory).
        SpanChecks.Apart(dx, dy, nameof(dx), nameof(dy));
        int total = x.Length + y.Length + directions.Length + xWeights.Length + yWeights.Length + dx.Length + dy.Length;
        double[] wide = ArrayPool<double>.Shared.Rent(Math.Max(1, total));
        try
        {
            Span<double> rest = wide.AsSpan(0, total);
            Span<double> Take(ReadOnlySpan<float> source, ref Span<double> from)
            {
                Span<double> taken = from.Slice(0, source.Length);
                for (int i = 0; i < source.Length; i++) taken[i] = source[i];
                from = from.Slice(source.Length);
                return taken;
            }
            Span<double> wx = Take(x, ref rest), wy = Take(y, ref rest), wd = Take(directions, ref rest);
            Span<double> wa = Take(xWeights, ref rest), wb = Take(yWeights, ref rest);
            Span<double> gx = rest.Slice(0, dx.Length), gy = rest.Slice(dx.Length, dy.Length);
            double value = Distance(wx, wy, d, wd, projections, seed, p, wa, wb, gx, gy, seeded);
            for (int i = 0; i < dx.Length; i++) dx[i] = (float)gx[i];
            for (int i = 0; i < dy.Length; i++) dy[i] = (float)gy[i];
            return (float)value;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(wide);
        }
    }

    /// <summary>Seeded unit directions (count × d) into <paramref name="destination"/>, with the argument checks.</summary>
    public static void Directions(int projections, int d, ulong seed, Span<double> destination)
    {
        CheckProjections(projections);
        if (d < 1) throw new ArgumentOutOfRangeException(nameof(d), d, "The dimension d must be at least 1.");
        if ((long)projections * d != destination.Length)
            throw new ArgumentException($"'{nameof(destination)}' has length {destination.Length}; it must hold projections × d = {(long)projections * d} values.", nameof(destination));
        SlicedDirections.Fill(projections, d, seed, destination);
    }

    private static (int N, int M) Check(int xLength, int yLength, int d, double p, int dxLength, int dyLength)
    {
        if (d < 1) throw new ArgumentOutOfRangeException(nameof(d), d, "The dimension d must be at least 1.");
        Wasserstein1DCore.CheckP(p);
        if (xLength == 0 || xLength % d != 0)
            throw new ArgumentException($"'x' has length {xLength}: it must hold n ≥ 1 points of d = {d} coordinates (row-major).", "x");
        if (yLength == 0 || yLength % d != 0)
            throw new ArgumentException($"'y' has length {yLength}: it must hold m ≥ 1 points of d = {d} coordinates (row-major).", "y");
        if (dxLength != 0 && dxLength != xLength) throw Partials.OutputLength("dx", dxLength, xLength);
        if (dyLength != 0 && dyLength != yLength) throw Partials.OutputLength("dy", dyLength, yLength);
        return (xLength / d, yLength / d);
    }

    private static int CheckProjections(int projections)
    {
        if (projections < 1) throw new ArgumentOutOfRangeException(nameof(projections), projections, "At least one projection is needed.");
        return projections;
    }

    private static int CheckDirections(ReadOnlySpan<double> directions, int d)
    {
        if (directions.IsEmpty || directions.Length % d != 0)
            throw new ArgumentException($"'{nameof(directions)}' has length {directions.Length}: it must hold L ≥ 1 directions of d = {d} coordinates (row-major).", nameof(directions));
        int count = directions.Length / d;
        for (int l = 0; l < count; l++)
        {
            double norm2 = 0;
            foreach (double t in directions.Slice(l * d, d))
            {
                if (!double.IsFinite(t)) throw new ArgumentException($"Direction {l} holds {t}: directions must be finite.", nameof(directions));
                norm2 += t * t;
            }
            if (norm2 == 0) throw new ArgumentException($"Direction {l} is zero: every direction needs a non-zero length.", nameof(directions));
        }
        return count;
    }
}
