using System;
using System.Numerics;

// The expert's hand-written Gaussian MMD² on the pair engine: the benchmark's baseline beside the generated catalogue
// GaussianMmd2, and what tests/Runtime.Tests/Pairs compare the engine against. Not shipped: this file is compiled into
// the bench and linked into KernelDsl.Runtime.Tests (internal in both), in the runtime's namespace so that its callers
// read as before.
namespace KernelDsl.Runtime;

/// <summary>
/// The Gaussian kernel <c>k(u, v) = exp(-|u - v|² / (2σ²))</c> as a pair term: the struct the generator will emit for a
/// formula whose pair term is that kernel (one field per parameter, folded once: here <c>-1 / (2σ²)</c>).
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
internal readonly struct GaussianPairTerm<T> : IPairTerm<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _minusHalfOverSigma2;

    /// <summary>A Gaussian kernel of bandwidth <paramref name="sigma"/>.</summary>
    public GaussianPairTerm(double sigma) => _minusHalfOverSigma2 = T.CreateTruncating(-0.5 / (sigma * sigma));

    /// <inheritdoc/>
    public static PairFeature Feature => PairFeature.SquaredDistance;

    /// <inheritdoc/>
    public TVec Value<TVec, V>(TVec feature) where TVec : struct where V : struct, ISimd<TVec, T> =>
        V.Exp(V.Mul(V.Broadcast(_minusHalfOverSigma2), feature));

    /// <inheritdoc/>
    public TVec ValueAndSlope<TVec, V>(TVec feature, out TVec slope) where TVec : struct where V : struct, ISimd<TVec, T>
    {
        TVec c = V.Broadcast(_minusHalfOverSigma2);
        TVec value = V.Exp(V.Mul(c, feature));
        slope = V.Mul(c, value);
        return value;
    }
}

/// <summary>
/// A hand-written instantiation of the pair sweep for the Gaussian MMD², value and gradient in x, as the generator will
/// write it for <c>mean(k(x, x)) + mean(k(y, y)) - 2 * mean(k(x, y))</c>: three sums over pair sets, combined with the
/// estimator's coefficients; with the gradient, the x-rows meet x and y in one sweep (value and gradient fused) and y
/// meets itself in a second (i &lt; j once). The proof of <see cref="PairSweep"/> and the benchmark's subject.
/// The estimators are the runtime's <see cref="MmdEstimator"/>, shared with the GPU twin <c>GpuGaussianMmd</c>.
/// </summary>
internal static class GaussianMmd
{
    /// <summary>The coefficients of the three sums and whether the diagonals count.</summary>
    private static (double Xx, double Yy, double Xy, bool Diagonal) Coefficients(MmdEstimator estimator, int n, int m, bool weighted)
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

    /// <summary>MMD² of the samples x (n × d) and y (m × d) with the Gaussian kernel of bandwidth <paramref name="sigma"/>.</summary>
    /// <param name="x">The first sample, row-major.</param>
    /// <param name="y">The second sample, row-major.</param>
    /// <param name="d">The number of features of a point.</param>
    /// <param name="sigma">The kernel bandwidth.</param>
    /// <param name="estimator">The estimator.</param>
    /// <param name="a">The weights of x (only with <see cref="MmdEstimator.Weighted"/>).</param>
    /// <param name="b">The weights of y (only with <see cref="MmdEstimator.Weighted"/>).</param>
    public static double Value(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int d, double sigma, MmdEstimator estimator,
        ReadOnlySpan<float> a = default, ReadOnlySpan<float> b = default)
    {
        var (cxx, cyy, cxy, diagonal) = Coefficients(estimator, PairSweep.Points(x, d, nameof(x)), PairSweep.Points(y, d, nameof(y)), !a.IsEmpty || !b.IsEmpty);
        var term = new GaussianPairTerm<float>(sigma);
        double xx = PairSweep.SelfSum(in term, x, a, d, diagonal);
        double yy = PairSweep.SelfSum(in term, y, b, d, diagonal);
        double xy = PairSweep.Sum(in term, x, a, y, b, d);
        return cxx * xx + cyy * yy - 2.0 * cxy * xy;
    }

    /// <summary>MMD² (as <see cref="Value(ReadOnlySpan{float}, ReadOnlySpan{float}, int, double, MmdEstimator, ReadOnlySpan{float}, ReadOnlySpan{float})"/>) and its gradient in x, written to <paramref name="gradX"/> (n × d).</summary>
    public static double ValueAndGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int d, double sigma, MmdEstimator estimator, Span<float> gradX,
        ReadOnlySpan<float> a = default, ReadOnlySpan<float> b = default)
    {
        var (cxx, cyy, cxy, diagonal) = Coefficients(estimator, PairSweep.Points(x, d, nameof(x)), PairSweep.Points(y, d, nameof(y)), !a.IsEmpty || !b.IsEmpty);
        var term = new GaussianPairTerm<float>(sigma);
        var (xx, xy) = PairSweep.SelfAndCrossWithGradient(in term, x, a, y, b, d, diagonal, cxx, -2.0 * cxy, gradX);
        double yy = PairSweep.SelfSum(in term, y, b, d, diagonal);
        return cxx * xx + cyy * yy - 2.0 * cxy * xy;
    }

    /// <summary>MMD² of the samples x (n × d) and y (m × d) with the Gaussian kernel of bandwidth <paramref name="sigma"/>.</summary>
    /// <param name="x">The first sample, row-major.</param>
    /// <param name="y">The second sample, row-major.</param>
    /// <param name="d">The number of features of a point.</param>
    /// <param name="sigma">The kernel bandwidth.</param>
    /// <param name="estimator">The estimator.</param>
    /// <param name="a">The weights of x (only with <see cref="MmdEstimator.Weighted"/>).</param>
    /// <param name="b">The weights of y (only with <see cref="MmdEstimator.Weighted"/>).</param>
    public static double Value(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int d, double sigma, MmdEstimator estimator,
        ReadOnlySpan<double> a = default, ReadOnlySpan<double> b = default)
    {
        var (cxx, cyy, cxy, diagonal) = Coefficients(estimator, PairSweep.Points(x, d, nameof(x)), PairSweep.Points(y, d, nameof(y)), !a.IsEmpty || !b.IsEmpty);
        var term = new GaussianPairTerm<double>(sigma);
        double xx = PairSweep.SelfSum(in term, x, a, d, diagonal);
        double yy = PairSweep.SelfSum(in term, y, b, d, diagonal);
        double xy = PairSweep.Sum(in term, x, a, y, b, d);
        return cxx * xx + cyy * yy - 2.0 * cxy * xy;
    }

    /// <summary>MMD² (as <see cref="Value(ReadOnlySpan{double}, ReadOnlySpan{double}, int, double, MmdEstimator, ReadOnlySpan{double}, ReadOnlySpan{double})"/>) and its gradient in x, written to <paramref name="gradX"/> (n × d).</summary>
    public static double ValueAndGradient(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int d, double sigma, MmdEstimator estimator, Span<double> gradX,
        ReadOnlySpan<double> a = default, ReadOnlySpan<double> b = default)
    {
        var (cxx, cyy, cxy, diagonal) = Coefficients(estimator, PairSweep.Points(x, d, nameof(x)), PairSweep.Points(y, d, nameof(y)), !a.IsEmpty || !b.IsEmpty);
        var term = new GaussianPairTerm<double>(sigma);
        var (xx, xy) = PairSweep.SelfAndCrossWithGradient(in term, x, a, y, b, d, diagonal, cxx, -2.0 * cxy, gradX);
        double yy = PairSweep.SelfSum(in term, y, b, d, diagonal);
        return cxx * xx + cyy * yy - 2.0 * cxy * xy;
    }
}
