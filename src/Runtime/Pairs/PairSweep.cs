using System;
using System.ComponentModel;

namespace KernelDsl.Runtime;

/// <summary>
/// The tiled CPU pair sweep that generated sample-based kernels (MMD, energy distance, CRPS, SVGD, the softmin of
/// Sinkhorn) call with their pair term (<see cref="IPairTerm{T}"/>). Points are row-major buffers of <c>d</c> features:
/// x is n × d, y is m × d. Weights a (of x) and b (of y) are optional: an empty span means weights 1.
/// </summary>
/// <remarks>
/// <para>How it runs: the column points are packed once per call into tiles of structure-of-arrays rows (a vector holds
/// one feature of Count consecutive j; about 16 KB a tile at small d, so it stays in L1; at least 256 points), rows of x are cut into chunks of 64 fixed
/// by n, and a chunk meets each tile four rows at a time with SIMD across the tile. Memory is O((n + m) d) (the packed
/// copy, pooled); no n × m buffer is ever made, for values or gradients.</para>
/// <para>Determinism: float lanes accumulate in float within a tile (at most 1024 columns) and tiles are added per row in
/// double; chunks write only their own rows and partials, which are added in chunk order, so the bits do not depend on
/// <see cref="KernelSettings.MaxDegreeOfParallelism"/>.</para>
/// <para>Self sums (x against itself) cover ordered pairs: <c>Σ_{i≠j} a_i a_j φ(f_ij)</c>, plus the diagonal if asked.
/// Without a gradient each unordered pair is computed once (i &lt; j) and doubled; with a gradient every row sweeps
/// every column (both i and j receive from the pair, and that is each row's own sum over j, so no row writes another
/// row's gradient and no n × d buffer per thread is needed), which computes each pair twice. The two ways round
/// differently, so a value from a value-only call and one from a gradient call can differ in the last bits.</para>
/// <para>A contract between the generator and the runtime.</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class PairSweep
{
    // float

    /// <summary><c>Σ_i Σ_j a_i b_j φ(f(x_i, y_j))</c>.</summary>
    public static double Sum<TTerm>(in TTerm term, ReadOnlySpan<float> x, ReadOnlySpan<float> a, ReadOnlySpan<float> y, ReadOnlySpan<float> b, int d)
        where TTerm : struct, IPairTerm<float> =>
        PairSweepCore<float, PairWidthsF>.Run(in term, x, a, d, new PairSweepCore<float, PairWidthsF>.Columns(y, b, PairColumns.Cross, 0.0), default, 1, PairReduction.Sum, default, default).First;

    /// <summary><c>Σ_{i≠j} a_i a_j φ(f(x_i, x_j))</c>, plus <c>Σ_i a_i² φ(f(x_i, x_i))</c> when <paramref name="diagonal"/> is set.</summary>
    public static double SelfSum<TTerm>(in TTerm term, ReadOnlySpan<float> x, ReadOnlySpan<float> a, int d, bool diagonal)
        where TTerm : struct, IPairTerm<float> =>
        PairSweepCore<float, PairWidthsF>.Run(in term, x, a, d, new PairSweepCore<float, PairWidthsF>.Columns(x, a, Self(diagonal), 0.0), default, 1, PairReduction.Sum, default, default).First;

    /// <summary>Per row: <c>output[i] = Σ_j b_j φ(f(x_i, y_j))</c>.</summary>
    public static void RowSums<TTerm>(in TTerm term, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, int d, Span<float> output)
        where TTerm : struct, IPairTerm<float> =>
        PairSweepCore<float, PairWidthsF>.Run(in term, x, default, d, new PairSweepCore<float, PairWidthsF>.Columns(y, b, PairColumns.Cross, 0.0), default, 1, PairReduction.RowSums, default, output);

    /// <summary>
    /// Per row: <c>output[i] = log Σ_j exp(φ(f(x_i, y_j)) + h_j)</c> (h empty: 0), the softmin building block of Sinkhorn
    /// (with <c>φ = -c / ε</c> and <c>h = g / ε + log b</c>), streamed with one exponential per pair.
    /// </summary>
    public static void RowLogSumExp<TTerm>(in TTerm term, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> h, int d, Span<float> output)
        where TTerm : struct, IPairTerm<float> =>
        PairSweepCore<float, PairWidthsF>.Run(in term, x, default, d, new PairSweepCore<float, PairWidthsF>.Columns(y, h, PairColumns.Cross, 0.0), default, 1, PairReduction.RowLogSumExp, default, output);

    /// <summary>
    /// <c>S = Σ_i Σ_j a_i b_j φ(f(x_i, y_j))</c> and, in the same sweep, <c>gradX = scale · ∂S/∂x</c> (n × d, written).
    /// </summary>
    public static double SumWithGradient<TTerm>(in TTerm term, ReadOnlySpan<float> x, ReadOnlySpan<float> a, ReadOnlySpan<float> y, ReadOnlySpan<float> b, int d,
        double scale, Span<float> gradX)
        where TTerm : struct, IPairTerm<float> =>
        PairSweepCore<float, PairWidthsF>.Run(in term, x, a, d, new PairSweepCore<float, PairWidthsF>.Columns(y, b, PairColumns.Cross, scale), default, 1, PairReduction.Sum, NonEmpty(gradX, x), default).First;

    /// <summary>
    /// The self sum of x (as <see cref="SelfSum{TTerm}(in TTerm, ReadOnlySpan{float}, ReadOnlySpan{float}, int, bool)"/>) and, in the same
    /// sweep, <c>gradX = scale · ∂Self/∂x</c> (n × d, written).
    /// </summary>
    public static double SelfSumWithGradient<TTerm>(in TTerm term, ReadOnlySpan<float> x, ReadOnlySpan<float> a, int d, bool diagonal, double scale, Span<float> gradX)
        where TTerm : struct, IPairTerm<float> =>
        PairSweepCore<float, PairWidthsF>.Run(in term, x, a, d, new PairSweepCore<float, PairWidthsF>.Columns(x, a, Self(diagonal), scale), default, 1, PairReduction.Sum, NonEmpty(gradX, x), default).First;

    /// <summary><c>Σ_i a_i</c> (<paramref name="square"/>: <c>Σ_i a_i²</c>) in double, in index order.</summary>
    public static double WeightSum(ReadOnlySpan<float> a, bool square)
    {
        double sum = 0;
        foreach (float w in a) sum += square ? (double)w * w : w;
        return sum;
    }

    /// <summary>Adds <paramref name="source"/> to <paramref name="target"/> element by element (a second gradient contribution).</summary>
    public static void AddTo(ReadOnlySpan<float> source, Span<float> target)
    {
        for (int i = 0; i < target.Length; i++) target[i] += source[i];
    }

    /// <summary>
    /// The self sum of x (as <see cref="SelfSum{TTerm}(in TTerm, ReadOnlySpan{float}, ReadOnlySpan{float}, int, bool)"/>) and the
    /// cross sum of x against y (as <see cref="Sum{TTerm}(in TTerm, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, int)"/>)
    /// in one sweep over the rows of x, with <c>gradX = selfScale · ∂Self/∂x + crossScale · ∂Cross/∂x</c> (written):
    /// the x-side of an MMD² or an energy distance, value and gradient together.
    /// </summary>
    public static (double Self, double Cross) SelfAndCrossWithGradient<TTerm>(in TTerm term, ReadOnlySpan<float> x, ReadOnlySpan<float> a,
        ReadOnlySpan<float> y, ReadOnlySpan<float> b, int d, bool diagonal, double selfScale, double crossScale, Span<float> gradX)
        where TTerm : struct, IPairTerm<float> =>
        PairSweepCore<float, PairWidthsF>.Run(in term, x, a, d, new PairSweepCore<float, PairWidthsF>.Columns(x, a, Self(diagonal), selfScale), new PairSweepCore<float, PairWidthsF>.Columns(y, b, PairColumns.Cross, crossScale), 2,
            PairReduction.Sum, NonEmpty(gradX, x), default);

    // double

    /// <summary><c>Σ_i Σ_j a_i b_j φ(f(x_i, y_j))</c>.</summary>
    public static double Sum<TTerm>(in TTerm term, ReadOnlySpan<double> x, ReadOnlySpan<double> a, ReadOnlySpan<double> y, ReadOnlySpan<double> b, int d)
        where TTerm : struct, IPairTerm<double> =>
        PairSweepCore<double, PairWidthsD>.Run(in term, x, a, d, new PairSweepCore<double, PairWidthsD>.Columns(y, b, PairColumns.Cross, 0.0), default, 1, PairReduction.Sum, default, default).First;

    /// <summary><c>Σ_{i≠j} a_i a_j φ(f(x_i, x_j))</c>, plus <c>Σ_i a_i² φ(f(x_i, x_i))</c> when <paramref name="diagonal"/> is set.</summary>
    public static double SelfSum<TTerm>(in TTerm term, ReadOnlySpan<double> x, ReadOnlySpan<double> a, int d, bool diagonal)
        where TTerm : struct, IPairTerm<double> =>
        PairSweepCore<double, PairWidthsD>.Run(in term, x, a, d, new PairSweepCore<double, PairWidthsD>.Columns(x, a, Self(diagonal), 0.0), default, 1, PairReduction.Sum, default, default).First;

    /// <summary>Per row: <c>output[i] = Σ_j b_j φ(f(x_i, y_j))</c>.</summary>
    public static void RowSums<TTerm>(in TTerm term, ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, int d, Span<double> output)
        where TTerm : struct, IPairTerm<double> =>
        PairSweepCore<double, PairWidthsD>.Run(in term, x, default, d, new PairSweepCore<double, PairWidthsD>.Columns(y, b, PairColumns.Cross, 0.0), default, 1, PairReduction.RowSums, default, output);

    /// <summary>
    /// Per row: <c>output[i] = log Σ_j exp(φ(f(x_i, y_j)) + h_j)</c> (h empty: 0), the softmin building block of Sinkhorn
    /// (with <c>φ = -c / ε</c> and <c>h = g / ε + log b</c>), streamed with one exponential per pair.
    /// </summary>
    public static void RowLogSumExp<TTerm>(in TTerm term, ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> h, int d, Span<double> output)
        where TTerm : struct, IPairTerm<double> =>
        PairSweepCore<double, PairWidthsD>.Run(in term, x, default, d, new PairSweepCore<double, PairWidthsD>.Columns(y, h, PairColumns.Cross, 0.0), default, 1, PairReduction.RowLogSumExp, default, output);

    /// <summary>
    /// <c>S = Σ_i Σ_j a_i b_j φ(f(x_i, y_j))</c> and, in the same sweep, <c>gradX = scale · ∂S/∂x</c> (n × d, written).
    /// </summary>
    public static double SumWithGradient<TTerm>(in TTerm term, ReadOnlySpan<double> x, ReadOnlySpan<double> a, ReadOnlySpan<double> y, ReadOnlySpan<double> b, int d,
        double scale, Span<double> gradX)
        where TTerm : struct, IPairTerm<double> =>
        PairSweepCore<double, PairWidthsD>.Run(in term, x, a, d, new PairSweepCore<double, PairWidthsD>.Columns(y, b, PairColumns.Cross, scale), default, 1, PairReduction.Sum, NonEmpty(gradX, x), default).First;

    /// <summary>
    /// The self sum of x (as <see cref="SelfSum{TTerm}(in TTerm, ReadOnlySpan{double}, ReadOnlySpan{double}, int, bool)"/>) and, in the same
    /// sweep, <c>gradX = scale · ∂Self/∂x</c> (n × d, written).
    /// </summary>
    public static double SelfSumWithGradient<TTerm>(in TTerm term, ReadOnlySpan<double> x, ReadOnlySpan<double> a, int d, bool diagonal, double scale, Span<double> gradX)
        where TTerm : struct, IPairTerm<double> =>
        PairSweepCore<double, PairWidthsD>.Run(in term, x, a, d, new PairSweepCore<double, PairWidthsD>.Columns(x, a, Self(diagonal), scale), default, 1, PairReduction.Sum, NonEmpty(gradX, x), default).First;

    /// <summary><c>Σ_i a_i</c> (<paramref name="square"/>: <c>Σ_i a_i²</c>) in double, in index order.</summary>
    public static double WeightSum(ReadOnlySpan<double> a, bool square)
    {
        double sum = 0;
        foreach (double w in a) sum += square ? (double)w * w : w;
        return sum;
    }

    /// <summary>Adds <paramref name="source"/> to <paramref name="target"/> element by element (a second gradient contribution).</summary>
    public static void AddTo(ReadOnlySpan<double> source, Span<double> target)
    {
        for (int i = 0; i < target.Length; i++) target[i] += source[i];
    }

    /// <summary>
    /// The self sum of x (as <see cref="SelfSum{TTerm}(in TTerm, ReadOnlySpan{double}, ReadOnlySpan{double}, int, bool)"/>) and the
    /// cross sum of x against y (as <see cref="Sum{TTerm}(in TTerm, ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, int)"/>)
    /// in one sweep over the rows of x, with <c>gradX = selfScale · ∂Self/∂x + crossScale · ∂Cross/∂x</c> (written):
    /// the x-side of an MMD² or an energy distance, value and gradient together.
    /// </summary>
    public static (double Self, double Cross) SelfAndCrossWithGradient<TTerm>(in TTerm term, ReadOnlySpan<double> x, ReadOnlySpan<double> a,
        ReadOnlySpan<double> y, ReadOnlySpan<double> b, int d, bool diagonal, double selfScale, double crossScale, Span<double> gradX)
        where TTerm : struct, IPairTerm<double> =>
        PairSweepCore<double, PairWidthsD>.Run(in term, x, a, d, new PairSweepCore<double, PairWidthsD>.Columns(x, a, Self(diagonal), selfScale), new PairSweepCore<double, PairWidthsD>.Columns(y, b, PairColumns.Cross, crossScale), 2,
            PairReduction.Sum, NonEmpty(gradX, x), default);


    /// <summary>
    /// The number of points of a row-major cloud of <paramref name="d"/> features; throws (naming <paramref name="name"/>)
    /// when <paramref name="d"/> is below 1, the length is not a multiple of it, the cloud is empty (a mean over it is
    /// 0/0), or a float cloud has more than 2^24 points (the sweeps' lane masks compare indices in float).
    /// </summary>
    public static int Points<T>(ReadOnlySpan<T> points, int d, string name)
    {
        if (d < 1) throw new ArgumentOutOfRangeException(nameof(d), d, "A point has at least one feature.");
        if (points.Length % d != 0)
            throw new ArgumentException($"'{name}' has length {points.Length}, not a multiple of d = {d} (points are rows of d features).", name);
        if (points.IsEmpty) throw new ArgumentException($"'{name}' is empty: a cloud needs at least one point.", name);
        int count = points.Length / d;
        if (System.Runtime.CompilerServices.Unsafe.SizeOf<T>() == 4 && count > 1 << 24)
            throw new ArgumentException($"'{name}' has {count} points; float sweeps take at most 2^24 points per cloud.", name);
        return count;
    }

    /// <summary>Throws when the weights <paramref name="name"/> are not one per point of the cloud <paramref name="cloud"/> (n points).</summary>
    public static void Weights<T>(ReadOnlySpan<T> weights, int n, string name, string cloud)
    {
        if (weights.Length != n)
            throw new ArgumentException($"'{name}' has length {weights.Length}; it holds one weight per point of '{cloud}' ({n}).", name);
    }

    private static PairColumns Self(bool diagonal) => diagonal ? PairColumns.SelfWithDiagonal : PairColumns.SelfOffDiagonal;

    /// <summary>A gradient output must be given (an empty span would mean "no gradient"), unless x itself is empty.</summary>
    private static Span<T> NonEmpty<T>(Span<T> gradX, ReadOnlySpan<T> x) =>
        gradX.IsEmpty && !x.IsEmpty ? throw Partials.OutputLength(nameof(gradX), 0, x.Length) : gradX;
}
