using System;
using System.ComponentModel;
using System.Numerics;

namespace KernelDsl.Runtime;

/// <summary>
/// The small-cloud path of sample formulas over a batch of rows (the generated <c>Rows</c> and <c>RowsAndGradient</c>:
/// B rows, each a few points, such as the M members of an ensemble forecast). Each call reduces the pairs of one row
/// with a direct O(M²) loop on the calling thread: no packing, no tiles and no threads; no allocation either, except a pooled
/// double buffer for a row's gradient when its cloud has more than 1,024 values (self sums) or d exceeds 256 (cross sums); the generated
/// code threads over rows. Features are computed in double from the stored points, the pair term φ in the element
/// type (one lane at a time), and sums and gradients are accumulated in double. Memory: nothing beyond the inputs and
/// outputs (never an M × M buffer).
/// </summary>
/// <remarks>
/// <para>Where the switch is: a <c>Rows</c> call always takes this path, one row per thread at a time (chunks of
/// <see cref="RowsPerChunk"/> rows, fixed by B, so each row is computed by one thread in one order and the bits do not
/// depend on <see cref="KernelSettings.MaxDegreeOfParallelism"/>); <c>Value</c> and <c>ValueAndGradient</c> (one cloud
/// set) take the tiled engine (<see cref="PairSweep"/>), which threads within the clouds. For a few rows of thousands of
/// points each, calling <c>Value</c> per row is faster.</para>
/// <para>Self sums cover ordered pairs, <c>Σ_{i≠j} a_i a_j φ(f_ij)</c> (each unordered pair computed once and doubled),
/// plus the diagonal when asked. A contract between the generator and the runtime.</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SmallClouds
{
    /// <summary>Rows per chunk of a <c>Rows</c> call: fixed, so the chunks depend only on the number of rows.</summary>
    public const int RowsPerChunk = 16;

    /// <summary>Pair features per call (rows × points² × d) below which a batch runs on the calling thread.</summary>
    public const long ParallelThreshold = 1 << 16;

    /// <summary>The number of chunks of <paramref name="rows"/> rows.</summary>
    public static int Chunks(int rows) => (rows + RowsPerChunk - 1) / RowsPerChunk;

    /// <summary>True when a batch of <paramref name="rows"/> rows of <paramref name="points"/> points of d features is worth threads.</summary>
    public static bool Parallel(int rows, int points, int d) =>
        rows > RowsPerChunk && (long)rows * points * points * d >= ParallelThreshold && KernelSettings.MaxDegreeOfParallelism > 1;

    /// <summary>
    /// The number of points per row of a batch cloud (rows × points × d, row-major); throws (naming
    /// <paramref name="name"/>) when <paramref name="d"/> is below 1 or the length is not a positive multiple of
    /// <paramref name="rows"/> × <paramref name="d"/> (every row needs at least one point).
    /// </summary>
    public static int PointsPerRow<T>(ReadOnlySpan<T> points, int rows, int d, string name)
    {
        if (d < 1) throw new ArgumentOutOfRangeException(nameof(d), d, "A point has at least one feature.");
        long row = (long)rows * d;
        if (rows < 1 || points.Length == 0 || points.Length % row != 0)
            throw new ArgumentException($"'{name}' has length {points.Length}, not a positive multiple of rows × d = {rows} × {d} (each row holds its points, d features each).", name);
        return (int)(points.Length / row);
    }

    /// <summary>The number of rows of a batch: <paramref name="perRow"/>'s length, at least 1.</summary>
    public static int Rows<T>(Span<T> perRow, string name) =>
        perRow.IsEmpty ? throw new ArgumentException($"'{name}' is empty: it receives one value per row, and a batch has at least one row.", name) : perRow.Length;

    /// <summary>Throws when the row-level input <paramref name="name"/> is not one value per row.</summary>
    public static void RowInput<T>(ReadOnlySpan<T> values, int rows, string name)
    {
        if (values.Length != rows)
            throw new ArgumentException($"'{name}' has length {values.Length}; it holds one value per row ({rows}).", name);
    }

    // float

    /// <summary><c>Σ_i Σ_j a_i b_j φ(f(x_i, y_j))</c> (a, b empty: weights 1).</summary>
    public static double Sum<TTerm>(in TTerm term, ReadOnlySpan<float> x, ReadOnlySpan<float> a, ReadOnlySpan<float> y, ReadOnlySpan<float> b, int d)
        where TTerm : struct, IPairTerm<float> => SmallCloudCore<float, ScalarF, TTerm>.Sum(in term, x, a, y, b, d);

    /// <summary><c>Σ_{i≠j} a_i a_j φ(f(x_i, x_j))</c>, plus <c>Σ_i a_i² φ(f(x_i, x_i))</c> when <paramref name="diagonal"/> is set.</summary>
    public static double SelfSum<TTerm>(in TTerm term, ReadOnlySpan<float> x, ReadOnlySpan<float> a, int d, bool diagonal)
        where TTerm : struct, IPairTerm<float> => SmallCloudCore<float, ScalarF, TTerm>.SelfSum(in term, x, a, d, diagonal);

    /// <summary>Adds <c>scale · ∂S/∂x</c> to <paramref name="gradX"/>, S the cross sum of <see cref="Sum{TTerm}(in TTerm, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, int)"/>.</summary>
    public static void AddGradient<TTerm>(in TTerm term, ReadOnlySpan<float> x, ReadOnlySpan<float> a, ReadOnlySpan<float> y, ReadOnlySpan<float> b, int d, double scale, Span<float> gradX)
        where TTerm : struct, IPairTerm<float> => SmallCloudCore<float, ScalarF, TTerm>.AddGradient(in term, x, a, y, b, d, scale, gradX);

    /// <summary>Adds <c>scale · ∂S/∂x</c> to <paramref name="gradX"/>, S the self sum of <see cref="SelfSum{TTerm}(in TTerm, ReadOnlySpan{float}, ReadOnlySpan{float}, int, bool)"/>.</summary>
    public static void AddSelfGradient<TTerm>(in TTerm term, ReadOnlySpan<float> x, ReadOnlySpan<float> a, int d, bool diagonal, double scale, Span<float> gradX)
        where TTerm : struct, IPairTerm<float> => SmallCloudCore<float, ScalarF, TTerm>.AddSelfGradient(in term, x, a, d, diagonal, scale, gradX);

    // double

    /// <summary><c>Σ_i Σ_j a_i b_j φ(f(x_i, y_j))</c> (a, b empty: weights 1).</summary>
    public static double Sum<TTerm>(in TTerm term, ReadOnlySpan<double> x, ReadOnlySpan<double> a, ReadOnlySpan<double> y, ReadOnlySpan<double> b, int d)
        where TTerm : struct, IPairTerm<double> => SmallCloudCore<double, ScalarD, TTerm>.Sum(in term, x, a, y, b, d);

    /// <summary><c>Σ_{i≠j} a_i a_j φ(f(x_i, x_j))</c>, plus <c>Σ_i a_i² φ(f(x_i, x_i))</c> when <paramref name="diagonal"/> is set.</summary>
    public static double SelfSum<TTerm>(in TTerm term, ReadOnlySpan<double> x, ReadOnlySpan<double> a, int d, bool diagonal)
        where TTerm : struct, IPairTerm<double> => SmallCloudCore<double, ScalarD, TTerm>.SelfSum(in term, x, a, d, diagonal);

    /// <summary>Adds <c>scale · ∂S/∂x</c> to <paramref name="gradX"/>, S the cross sum of <see cref="Sum{TTerm}(in TTerm, ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, int)"/>.</summary>
    public static void AddGradient<TTerm>(in TTerm term, ReadOnlySpan<double> x, ReadOnlySpan<double> a, ReadOnlySpan<double> y, ReadOnlySpan<double> b, int d, double scale, Span<double> gradX)
        where TTerm : struct, IPairTerm<double> => SmallCloudCore<double, ScalarD, TTerm>.AddGradient(in term, x, a, y, b, d, scale, gradX);

    /// <summary>Adds <c>scale · ∂S/∂x</c> to <paramref name="gradX"/>, S the self sum of <see cref="SelfSum{TTerm}(in TTerm, ReadOnlySpan{double}, ReadOnlySpan{double}, int, bool)"/>.</summary>
    public static void AddSelfGradient<TTerm>(in TTerm term, ReadOnlySpan<double> x, ReadOnlySpan<double> a, int d, bool diagonal, double scale, Span<double> gradX)
        where TTerm : struct, IPairTerm<double> => SmallCloudCore<double, ScalarD, TTerm>.AddSelfGradient(in term, x, a, d, diagonal, scale, gradX);
}

/// <summary>The loops of <see cref="SmallClouds"/> for one element type, its scalar width V and one pair term.</summary>
internal static class SmallCloudCore<T, V, TTerm>
    where T : unmanaged, IFloatingPointIeee754<T>
    where V : struct, ISimd<T, T>
    where TTerm : struct, IPairTerm<T>
{
    // A point's gradient accumulates in double on the stack up to this many features (pooled beyond).
    private const int MaxStackFeatures = 256;

    // A self gradient accumulates the whole cloud in double on the stack up to this many values (pooled beyond).
    private const int MaxStackCloud = 1024;

    private static bool IsDot => TTerm.Feature == PairFeature.Dot;

    private static double Weight(ReadOnlySpan<T> w, int i) => w.IsEmpty ? 1.0 : double.CreateTruncating(w[i]);

    // The pair feature of two points, in double.
    private static double Feature(ReadOnlySpan<T> u, ReadOnlySpan<T> v)
    {
        double f = 0;
        if (IsDot)
            for (int k = 0; k < u.Length; k++) f += double.CreateTruncating(u[k]) * double.CreateTruncating(v[k]);
        else
            for (int k = 0; k < u.Length; k++)
            {
                double t = double.CreateTruncating(u[k]) - double.CreateTruncating(v[k]);
                f += t * t;
            }
        return f;
    }

    private static double Phi(in TTerm term, double f) => double.CreateTruncating(term.Value<T, V>(T.CreateTruncating(f)));

    private static double Slope(in TTerm term, double f)
    {
        term.ValueAndSlope<T, V>(T.CreateTruncating(f), out T slope);
        return double.CreateTruncating(slope);
    }

    public static double Sum(in TTerm term, ReadOnlySpan<T> x, ReadOnlySpan<T> a, ReadOnlySpan<T> y, ReadOnlySpan<T> b, int d)
    {
        int n = x.Length / d, m = y.Length / d;
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            var xi = x.Slice(i * d, d);
            double row = 0;
            for (int j = 0; j < m; j++) row += Weight(b, j) * Phi(in term, Feature(xi, y.Slice(j * d, d)));
            total += Weight(a, i) * row;
        }
        return total;
    }

    public static double SelfSum(in TTerm term, ReadOnlySpan<T> x, ReadOnlySpan<T> a, int d, bool diagonal)
    {
        int n = x.Length / d;
        double pairs = 0, diag = 0;
        for (int i = 0; i < n; i++)
        {
            var xi = x.Slice(i * d, d);
            double row = 0;
            for (int j = i + 1; j < n; j++) row += Weight(a, j) * Phi(in term, Feature(xi, x.Slice(j * d, d)));
            pairs += Weight(a, i) * row;
            if (diagonal) diag += Weight(a, i) * Weight(a, i) * Phi(in term, Feature(xi, xi));
        }
        return 2 * pairs + diag;
    }

    // ∂f(u, v)/∂u_k times s, added to g: sqdist 2 (u_k - v_k), dot v_k.
    private static void AddFeatureGradient(ReadOnlySpan<T> u, ReadOnlySpan<T> v, double s, Span<double> g)
    {
        for (int k = 0; k < g.Length; k++)
            g[k] += IsDot ? s * double.CreateTruncating(v[k]) : 2 * s * (double.CreateTruncating(u[k]) - double.CreateTruncating(v[k]));
    }

    public static void AddGradient(in TTerm term, ReadOnlySpan<T> x, ReadOnlySpan<T> a, ReadOnlySpan<T> y, ReadOnlySpan<T> b, int d, double scale, Span<T> gradX)
    {
        int n = x.Length / d, m = y.Length / d;
        double[]? rented = d <= MaxStackFeatures ? null : System.Buffers.ArrayPool<double>.Shared.Rent(d);
        Span<double> g = rented == null ? stackalloc double[MaxStackFeatures] : rented;
        g = g.Slice(0, d);
        for (int i = 0; i < n; i++)
        {
            var xi = x.Slice(i * d, d);
            g.Clear();
            for (int j = 0; j < m; j++)
            {
                var yj = y.Slice(j * d, d);
                AddFeatureGradient(xi, yj, Weight(b, j) * Slope(in term, Feature(xi, yj)), g);
            }
            Store(g, scale * Weight(a, i), gradX.Slice(i * d, d));
        }
        if (rented != null) System.Buffers.ArrayPool<double>.Shared.Return(rented);
    }

    public static void AddSelfGradient(in TTerm term, ReadOnlySpan<T> x, ReadOnlySpan<T> a, int d, bool diagonal, double scale, Span<T> gradX)
    {
        int n = x.Length / d;
        // Each unordered pair once: its slope goes to both points (x_i is on both sides of the ordered pairs (i, j) and
        // (j, i), hence the 2), accumulated in double for the whole cloud (n × d, on the stack when small, else pooled).
        double[]? rented = x.Length <= MaxStackCloud ? null : System.Buffers.ArrayPool<double>.Shared.Rent(x.Length);
        Span<double> g = rented == null ? stackalloc double[MaxStackCloud] : rented;
        g = g.Slice(0, x.Length);
        g.Clear();
        for (int i = 0; i < n; i++)
        {
            var xi = x.Slice(i * d, d);
            var gi = g.Slice(i * d, d);
            double wi = Weight(a, i);
            for (int j = i + 1; j < n; j++)
            {
                var xj = x.Slice(j * d, d);
                double s = 2 * Slope(in term, Feature(xi, xj));
                AddFeatureGradient(xi, xj, Weight(a, j) * s, gi);
                AddFeatureGradient(xj, xi, wi * s, g.Slice(j * d, d));
            }
            // The diagonal f(x_i, x_i): zero for sqdist; |x_i|² for dot, whose gradient is 2 x_i.
            if (diagonal && IsDot) AddFeatureGradient(xi, xi, 2 * wi * Slope(in term, Feature(xi, xi)), gi);
        }
        for (int i = 0; i < n; i++) Store(g.Slice(i * d, d), scale * Weight(a, i), gradX.Slice(i * d, d));
        if (rented != null) System.Buffers.ArrayPool<double>.Shared.Return(rented);
    }

    private static void Store(ReadOnlySpan<double> g, double scale, Span<T> into)
    {
        for (int k = 0; k < into.Length; k++) into[k] = T.CreateTruncating(double.CreateTruncating(into[k]) + scale * g[k]);
    }
}
