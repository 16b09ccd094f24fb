using System;
using KernelDsl.Runtime;

#if KERNELDSL_GPU
namespace KernelDsl.Gpu.Catalogue; // the catalogue compiled into KernelDsl.Gpu (this class runs on the CPU there too)
#else
namespace KernelDsl.Catalogue;
#endif

/// <summary>
/// The sliced Wasserstein distance between point clouds X (n × d) and Y (m × d), row-major:
/// SW_p(X, Y) = (mean_l W_p^p(θ_l'X, θ_l'Y))^(1/p), with W_p the exact 1-D distance of the projected clouds
/// (<see cref="Wasserstein1D"/>; unequal sizes and weights allowed) and θ_1..θ_L given directions or seeded random unit
/// directions (<see cref="Directions"/>).
/// </summary>
/// <remarks>
/// <para>Returned: SW_p itself, the p-th root of the mean (not SW_p^p).</para>
/// <para>Given directions (L × d, row-major) are used as given, not normalised: pass unit vectors for the usual SW_p (a
/// direction of length r scales its projections, and so its W_p, by r). They must be finite and non-zero.</para>
/// <para>Seeded directions: <c>projections</c> unit vectors uniform on the sphere from <c>seed</c>, the same on every
/// machine and thread count (see <see cref="Directions"/>).</para>
/// <para>Gradients (empty spans are skipped; written, not added to): ∂SW_p/∂X and ∂SW_p/∂Y, by the chain rule through the
/// p-th root, the mean and the projections; the 1-D conventions of <see cref="Wasserstein1D"/> apply per direction at ties,
/// and the gradient is 0 where SW_p = 0 and p &gt; 1. A gradient may share memory with an input (inputs are read before
/// gradients are written); dx and dy must not overlap.</para>
/// <para>Threads: projections, sorts and gradients run in chunks fixed by n, m and L (one direction per chunk for the
/// sorts) and are combined in a fixed order: the same bits for every <see cref="KernelSettings.MaxDegreeOfParallelism"/>.
/// Scratch: L(n + m) doubles for the projections plus O(n + m) per direction in flight, pooled.</para>
/// <para>float overloads widen their inputs to double and round the value and gradients once: the float value is the double
/// value of the widened inputs rounded to float.</para>
/// </remarks>
public static class SlicedWasserstein
{
    /// <summary>SW_p over the given directions.</summary>
    /// <param name="x">The first cloud, n × d, row-major.</param>
    /// <param name="y">The second cloud, m × d, row-major.</param>
    /// <param name="d">The dimension of the points (≥ 1).</param>
    /// <param name="directions">L ≥ 1 directions, L × d, row-major, used as given (unit vectors for the usual SW_p).</param>
    /// <param name="p">The order, p ≥ 1 (2 by default).</param>
    /// <param name="xWeights">Weights of the points of x (n), or empty for uniform.</param>
    /// <param name="yWeights">Weights of the points of y (m), or empty for uniform.</param>
    /// <returns>SW_p (the p-th root of the mean of W_p^p).</returns>
    /// <exception cref="ArgumentException">d &lt; 1; x, y or directions are empty or not a multiple of d; a direction is zero or not finite; p is not in [1, ∞); invalid weights.</exception>
    public static double Value(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int d, ReadOnlySpan<double> directions, double p = 2,
        ReadOnlySpan<double> xWeights = default, ReadOnlySpan<double> yWeights = default) =>
        SlicedCore.Distance(x, y, d, directions, 0, 0, p, xWeights, yWeights, default, default, seeded: false);

    /// <inheritdoc cref="Value(ReadOnlySpan{double}, ReadOnlySpan{double}, int, ReadOnlySpan{double}, double, ReadOnlySpan{double}, ReadOnlySpan{double})"/>
    public static float Value(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int d, ReadOnlySpan<float> directions, double p = 2,
        ReadOnlySpan<float> xWeights = default, ReadOnlySpan<float> yWeights = default) =>
        SlicedCore.Distance(x, y, d, directions, 0, 0, p, xWeights, yWeights, default, default, seeded: false);

    /// <summary>SW_p over <paramref name="projections"/> seeded random unit directions (<see cref="Directions"/>).</summary>
    /// <param name="x">The first cloud, n × d, row-major.</param>
    /// <param name="y">The second cloud, m × d, row-major.</param>
    /// <param name="d">The dimension of the points (≥ 1).</param>
    /// <param name="projections">The number of directions L ≥ 1.</param>
    /// <param name="seed">The seed of the directions.</param>
    /// <param name="p">The order, p ≥ 1 (2 by default).</param>
    /// <param name="xWeights">Weights of the points of x (n), or empty for uniform.</param>
    /// <param name="yWeights">Weights of the points of y (m), or empty for uniform.</param>
    /// <returns>SW_p (the p-th root of the mean of W_p^p).</returns>
    /// <exception cref="ArgumentException">d &lt; 1 or projections &lt; 1; x or y empty or not a multiple of d; p is not in [1, ∞); invalid weights.</exception>
    public static double Value(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int d, int projections, ulong seed, double p = 2,
        ReadOnlySpan<double> xWeights = default, ReadOnlySpan<double> yWeights = default) =>
        SlicedCore.Distance(x, y, d, default, projections, seed, p, xWeights, yWeights, default, default, seeded: true);

    /// <inheritdoc cref="Value(ReadOnlySpan{double}, ReadOnlySpan{double}, int, int, ulong, double, ReadOnlySpan{double}, ReadOnlySpan{double})"/>
    public static float Value(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int d, int projections, ulong seed, double p = 2,
        ReadOnlySpan<float> xWeights = default, ReadOnlySpan<float> yWeights = default) =>
        SlicedCore.Distance(x, y, d, default, projections, seed, p, xWeights, yWeights, default, default, seeded: true);

    /// <summary>SW_p over the given directions, and its gradients with respect to both clouds.</summary>
    /// <param name="x">The first cloud, n × d, row-major.</param>
    /// <param name="y">The second cloud, m × d, row-major.</param>
    /// <param name="d">The dimension of the points (≥ 1).</param>
    /// <param name="directions">L ≥ 1 directions, L × d, row-major, used as given.</param>
    /// <param name="dx">Receives ∂SW_p/∂x (n × d), or empty to skip.</param>
    /// <param name="dy">Receives ∂SW_p/∂y (m × d), or empty to skip.</param>
    /// <param name="p">The order, p ≥ 1 (2 by default).</param>
    /// <param name="xWeights">Weights of the points of x (n), or empty for uniform.</param>
    /// <param name="yWeights">Weights of the points of y (m), or empty for uniform.</param>
    /// <returns>SW_p.</returns>
    /// <exception cref="ArgumentException">As the value, or a gradient has the wrong length, or dx and dy overlap.</exception>
    public static double ValueAndGradient(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int d, ReadOnlySpan<double> directions,
        Span<double> dx, Span<double> dy, double p = 2, ReadOnlySpan<double> xWeights = default, ReadOnlySpan<double> yWeights = default) =>
        SlicedCore.Distance(x, y, d, directions, 0, 0, p, xWeights, yWeights, dx, dy, seeded: false);

    /// <inheritdoc cref="ValueAndGradient(ReadOnlySpan{double}, ReadOnlySpan{double}, int, ReadOnlySpan{double}, Span{double}, Span{double}, double, ReadOnlySpan{double}, ReadOnlySpan{double})"/>
    public static float ValueAndGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int d, ReadOnlySpan<float> directions,
        Span<float> dx, Span<float> dy, double p = 2, ReadOnlySpan<float> xWeights = default, ReadOnlySpan<float> yWeights = default) =>
        SlicedCore.Distance(x, y, d, directions, 0, 0, p, xWeights, yWeights, dx, dy, seeded: false);

    /// <summary>SW_p over seeded directions, and its gradients with respect to both clouds.</summary>
    /// <param name="x">The first cloud, n × d, row-major.</param>
    /// <param name="y">The second cloud, m × d, row-major.</param>
    /// <param name="d">The dimension of the points (≥ 1).</param>
    /// <param name="projections">The number of directions L ≥ 1.</param>
    /// <param name="seed">The seed of the directions.</param>
    /// <param name="dx">Receives ∂SW_p/∂x (n × d), or empty to skip.</param>
    /// <param name="dy">Receives ∂SW_p/∂y (m × d), or empty to skip.</param>
    /// <param name="p">The order, p ≥ 1 (2 by default).</param>
    /// <param name="xWeights">Weights of the points of x (n), or empty for uniform.</param>
    /// <param name="yWeights">Weights of the points of y (m), or empty for uniform.</param>
    /// <returns>SW_p.</returns>
    /// <exception cref="ArgumentException">As the value, or a gradient has the wrong length, or dx and dy overlap.</exception>
    public static double ValueAndGradient(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int d, int projections, ulong seed,
        Span<double> dx, Span<double> dy, double p = 2, ReadOnlySpan<double> xWeights = default, ReadOnlySpan<double> yWeights = default) =>
        SlicedCore.Distance(x, y, d, default, projections, seed, p, xWeights, yWeights, dx, dy, seeded: true);

    /// <inheritdoc cref="ValueAndGradient(ReadOnlySpan{double}, ReadOnlySpan{double}, int, int, ulong, Span{double}, Span{double}, double, ReadOnlySpan{double}, ReadOnlySpan{double})"/>
    public static float ValueAndGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int d, int projections, ulong seed,
        Span<float> dx, Span<float> dy, double p = 2, ReadOnlySpan<float> xWeights = default, ReadOnlySpan<float> yWeights = default) =>
        SlicedCore.Distance(x, y, d, default, projections, seed, p, xWeights, yWeights, dx, dy, seeded: true);

    /// <summary>
    /// The seeded directions: <paramref name="projections"/> unit vectors of dimension <paramref name="d"/> (row-major into
    /// <paramref name="destination"/>, projections × d), uniform on the sphere: normalised standard Gaussian vectors, the
    /// Gaussians by Marsaglia's polar method from a SplitMix64 stream seeded with <paramref name="seed"/>, drawn row after
    /// row on the calling thread with integer arithmetic and IEEE +, -, ×, ÷, √ only (the logarithm is the library's own),
    /// so the same seed gives the same bits on every machine. The first L rows of a longer draw are the L-row draw.
    /// </summary>
    /// <param name="projections">The number of directions (≥ 1).</param>
    /// <param name="d">The dimension (≥ 1).</param>
    /// <param name="seed">The seed.</param>
    /// <param name="destination">Receives projections × d values.</param>
    /// <exception cref="ArgumentException">projections or d &lt; 1, or the destination's length is not projections × d.</exception>
    public static void Directions(int projections, int d, ulong seed, Span<double> destination) =>
        SlicedCore.Directions(projections, d, seed, destination);
}
