using System;
using System.ComponentModel;
using System.Numerics;
using ILGPU;

namespace KernelDsl.Runtime.Gpu;

/// <summary>
/// The Gaussian kernel <c>k(u, v) = exp(-|u - v|² / (2σ²))</c> as a GPU pair term, written by hand: the shape of the
/// private struct the generator emits for a formula's pair term (its parameter-only part folded once on the host into a
/// constant, here <c>-1 / (2σ²)</c>).
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct GpuGaussianPairTerm<T> : IGpuPairTerm<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly GpuPairConstants<T> _constants;

    /// <summary>A Gaussian kernel of bandwidth <paramref name="sigma"/>: constant 0 is <c>-1 / (2σ²)</c>.</summary>
    public GpuGaussianPairTerm(double sigma) => _constants.C0 = T.CreateTruncating(-0.5 / (sigma * sigma));

    /// <inheritdoc/>
    public static PairFeature Feature => PairFeature.SquaredDistance;

    /// <inheritdoc/>
    public GpuPairConstants<T> Constants => _constants;

    /// <inheritdoc/>
    public static T Value(GpuPairConstants<T> c, T feature) => T.Exp(c.C0 * feature);

    /// <inheritdoc/>
    public static T ValueAndSlope(GpuPairConstants<T> c, T feature, out T slope)
    {
        T value = T.Exp(c.C0 * feature);
        slope = c.C0 * value;
        return value;
    }
}

/// <summary>
/// The Gaussian MMD², value and gradient in x, on device views: the GPU twin of <c>GaussianMmd</c> (the bench's
/// hand-written baseline), built on <see cref="GpuPairSweep"/> as the generator will build it for <c>mean(k(x, x)) + mean(k(y, y)) - 2 * mean(k(x, y))</c>:
/// three sums over pair sets combined with the estimator's coefficients; with the gradient, the rows of x meet x and y
/// in one sweep and y meets itself in a second. Synchronous; the same bits on every run. A contract type (hidden).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GpuGaussianMmd
{
    /// <summary>The coefficients of the three sums and whether the diagonals count (as <c>GaussianMmd</c>'s).</summary>
    private static (double Xx, double Yy, double Xy, bool Diagonal) Coefficients(MmdEstimator estimator, long n, long m, bool weighted)
    {
        if ((estimator == MmdEstimator.Weighted) != weighted)
            throw new ArgumentException("Weights a and b are given with MmdEstimator.Weighted, and only with it.", nameof(estimator));
        return estimator switch
        {
            MmdEstimator.Biased => (1.0 / ((double)n * n), 1.0 / ((double)m * m), 1.0 / ((double)n * m), true),
            MmdEstimator.Unbiased => (1.0 / ((double)n * (n - 1)), 1.0 / ((double)m * (m - 1)), 1.0 / ((double)n * m), false),
            _ => (1.0, 1.0, 1.0, true),
        };
    }

    private static long Points(long length, int d) => d > 0 ? length / d : throw new ArgumentOutOfRangeException(nameof(d), d, "A point has at least one feature.");

    // float

    /// <summary>MMD² of the samples x (n × d) and y (m × d) with the Gaussian kernel of bandwidth <paramref name="sigma"/>.</summary>
    /// <param name="device">The device the views live on.</param>
    /// <param name="x">The first sample, row-major.</param>
    /// <param name="y">The second sample, row-major.</param>
    /// <param name="d">The number of features of a point.</param>
    /// <param name="sigma">The kernel bandwidth.</param>
    /// <param name="estimator">The estimator.</param>
    /// <param name="a">The weights of x (only with <see cref="MmdEstimator.Weighted"/>).</param>
    /// <param name="b">The weights of y (only with <see cref="MmdEstimator.Weighted"/>).</param>
    public static double Value(KernelDevice device, ArrayView<float> x, ArrayView<float> y, int d, double sigma, MmdEstimator estimator,
        ArrayView<float> a = default, ArrayView<float> b = default)
    {
        var (cxx, cyy, cxy, diagonal) = Coefficients(estimator, Points(x.Length, d), Points(y.Length, d), a.Length > 0 || b.Length > 0);
        var term = new GpuGaussianPairTerm<float>(sigma);
        double xx = GpuPairSweep.SelfSum(device, in term, x, a, d, diagonal);
        double yy = GpuPairSweep.SelfSum(device, in term, y, b, d, diagonal);
        double xy = GpuPairSweep.Sum(device, in term, x, a, y, b, d);
        return cxx * xx + cyy * yy - 2.0 * cxy * xy;
    }

    /// <summary>MMD² (as <see cref="Value(KernelDevice, ArrayView{float}, ArrayView{float}, int, double, MmdEstimator, ArrayView{float}, ArrayView{float})"/>) and its gradient in x, written to <paramref name="gradX"/> (n × d).</summary>
    public static double ValueAndGradient(KernelDevice device, ArrayView<float> x, ArrayView<float> y, int d, double sigma, MmdEstimator estimator, ArrayView<float> gradX,
        ArrayView<float> a = default, ArrayView<float> b = default)
    {
        var (cxx, cyy, cxy, diagonal) = Coefficients(estimator, Points(x.Length, d), Points(y.Length, d), a.Length > 0 || b.Length > 0);
        var term = new GpuGaussianPairTerm<float>(sigma);
        var (xx, xy) = GpuPairSweep.SelfAndCrossWithGradient(device, in term, x, a, y, b, d, diagonal, cxx, -2.0 * cxy, gradX);
        double yy = GpuPairSweep.SelfSum(device, in term, y, b, d, diagonal);
        return cxx * xx + cyy * yy - 2.0 * cxy * xy;
    }

    // double

    /// <summary>MMD² of the samples x (n × d) and y (m × d) with the Gaussian kernel of bandwidth <paramref name="sigma"/>.</summary>
    /// <param name="device">The device the views live on.</param>
    /// <param name="x">The first sample, row-major.</param>
    /// <param name="y">The second sample, row-major.</param>
    /// <param name="d">The number of features of a point.</param>
    /// <param name="sigma">The kernel bandwidth.</param>
    /// <param name="estimator">The estimator.</param>
    /// <param name="a">The weights of x (only with <see cref="MmdEstimator.Weighted"/>).</param>
    /// <param name="b">The weights of y (only with <see cref="MmdEstimator.Weighted"/>).</param>
    public static double Value(KernelDevice device, ArrayView<double> x, ArrayView<double> y, int d, double sigma, MmdEstimator estimator,
        ArrayView<double> a = default, ArrayView<double> b = default)
    {
        var (cxx, cyy, cxy, diagonal) = Coefficients(estimator, Points(x.Length, d), Points(y.Length, d), a.Length > 0 || b.Length > 0);
        var term = new GpuGaussianPairTerm<double>(sigma);
        double xx = GpuPairSweep.SelfSum(device, in term, x, a, d, diagonal);
        double yy = GpuPairSweep.SelfSum(device, in term, y, b, d, diagonal);
        double xy = GpuPairSweep.Sum(device, in term, x, a, y, b, d);
        return cxx * xx + cyy * yy - 2.0 * cxy * xy;
    }

    /// <summary>MMD² (as <see cref="Value(KernelDevice, ArrayView{double}, ArrayView{double}, int, double, MmdEstimator, ArrayView{double}, ArrayView{double})"/>) and its gradient in x, written to <paramref name="gradX"/> (n × d).</summary>
    public static double ValueAndGradient(KernelDevice device, ArrayView<double> x, ArrayView<double> y, int d, double sigma, MmdEstimator estimator, ArrayView<double> gradX,
        ArrayView<double> a = default, ArrayView<double> b = default)
    {
        var (cxx, cyy, cxy, diagonal) = Coefficients(estimator, Points(x.Length, d), Points(y.Length, d), a.Length > 0 || b.Length > 0);
        var term = new GpuGaussianPairTerm<double>(sigma);
        var (xx, xy) = GpuPairSweep.SelfAndCrossWithGradient(device, in term, x, a, y, b, d, diagonal, cxx, -2.0 * cxy, gradX);
        double yy = GpuPairSweep.SelfSum(device, in term, y, b, d, diagonal);
        return cxx * xx + cyy * yy - 2.0 * cxy * xy;
    }
}
