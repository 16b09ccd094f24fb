using System;
using KernelDsl.Runtime;

#if KERNELDSL_GPU
namespace KernelDsl.Gpu.Catalogue; // the catalogue compiled into KernelDsl.Gpu (this class runs on the CPU there too)
#else
namespace KernelDsl.Catalogue;
#endif

/// <summary>
/// The exact p-Wasserstein distance between two 1-D empirical distributions, u (n samples) and v (m samples), with optional
/// weights: W_p = (∫_0^1 |F^-1(t) - G^-1(t)|^p dt)^(1/p), F^-1 and G^-1 the quantile functions, evaluated by sorting both
/// samples and walking the merged breakpoints of their cumulative weights (O((n + m) log(n + m)), pooled scratch, nothing
/// allocated per call). For p = 1 it equals <c>scipy.stats.wasserstein_distance(u, v, uWeights, vWeights)</c>, unequal
/// sizes and weights included.
/// </summary>
/// <remarks>
/// <para>Returned: W_p itself, the p-th root of the integral (not W_p^p).</para>
/// <para>Weights: empty means uniform (1/n each); otherwise one finite, non-negative weight per sample, with a positive sum;
/// they are divided by their sum (as scipy does) and are not differentiated.</para>
/// <para>Gradients (empty spans are skipped; written, not added to): ∂W_p/∂u_i and ∂W_p/∂v_j. Where W_p is not
/// differentiable the conventions are: a zero difference has slope 0 (sign(0) = 0); samples of one side with equal values
/// share the mean of their gradients (every order among them is optimal, this is the average of those gradients); where
/// W_p = 0 and p &gt; 1 the gradient is 0 (a subgradient at the minimum). Every input is copied before a gradient is
/// written, so a gradient may be its own input's memory; du and dv must not overlap.</para>
/// <para>float overloads compute in double from the (exactly) widened inputs and round the results once: the float value is
/// the double value of the same inputs rounded to float. A NaN sample gives NaN.</para>
/// </remarks>
public static class Wasserstein1D
{
    /// <summary>W_p between the empirical distributions of <paramref name="u"/> and <paramref name="v"/>.</summary>
    /// <param name="u">The first sample (n ≥ 1 values, any order).</param>
    /// <param name="v">The second sample (m ≥ 1 values).</param>
    /// <param name="p">The order, p ≥ 1 (1 by default: scipy's wasserstein_distance).</param>
    /// <param name="uWeights">Weights of u (n), or empty for uniform.</param>
    /// <param name="vWeights">Weights of v (m), or empty for uniform.</param>
    /// <returns>W_p (the p-th root).</returns>
    /// <exception cref="ArgumentException">A sample is empty, weights have the wrong length, a negative or non-finite entry or a zero sum, or p is not in [1, ∞).</exception>
    public static double Value(ReadOnlySpan<double> u, ReadOnlySpan<double> v, double p = 1,
        ReadOnlySpan<double> uWeights = default, ReadOnlySpan<double> vWeights = default) =>
        Wasserstein1DCore.Distance(u, v, p, uWeights, vWeights, default, default);

    /// <inheritdoc cref="Value(ReadOnlySpan{double}, ReadOnlySpan{double}, double, ReadOnlySpan{double}, ReadOnlySpan{double})"/>
    public static float Value(ReadOnlySpan<float> u, ReadOnlySpan<float> v, double p = 1,
        ReadOnlySpan<float> uWeights = default, ReadOnlySpan<float> vWeights = default) =>
        Wasserstein1DCore.Distance(u, v, p, uWeights, vWeights, default, default);

    /// <summary>W_p and its gradient with respect to the samples.</summary>
    /// <param name="u">The first sample (n ≥ 1 values, any order).</param>
    /// <param name="v">The second sample (m ≥ 1 values).</param>
    /// <param name="du">Receives ∂W_p/∂u (n), or empty to skip.</param>
    /// <param name="dv">Receives ∂W_p/∂v (m), or empty to skip.</param>
    /// <param name="p">The order, p ≥ 1 (1 by default).</param>
    /// <param name="uWeights">Weights of u (n), or empty for uniform.</param>
    /// <param name="vWeights">Weights of v (m), or empty for uniform.</param>
    /// <returns>W_p (the p-th root).</returns>
    /// <exception cref="ArgumentException">As <see cref="Value(ReadOnlySpan{double}, ReadOnlySpan{double}, double, ReadOnlySpan{double}, ReadOnlySpan{double})"/>, or a gradient has the wrong length, or du and dv overlap.</exception>
    public static double ValueAndGradient(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> du, Span<double> dv, double p = 1,
        ReadOnlySpan<double> uWeights = default, ReadOnlySpan<double> vWeights = default) =>
        Wasserstein1DCore.Distance(u, v, p, uWeights, vWeights, du, dv);

    /// <inheritdoc cref="ValueAndGradient(ReadOnlySpan{double}, ReadOnlySpan{double}, Span{double}, Span{double}, double, ReadOnlySpan{double}, ReadOnlySpan{double})"/>
    public static float ValueAndGradient(ReadOnlySpan<float> u, ReadOnlySpan<float> v, Span<float> du, Span<float> dv, double p = 1,
        ReadOnlySpan<float> uWeights = default, ReadOnlySpan<float> vWeights = default) =>
        Wasserstein1DCore.Distance(u, v, p, uWeights, vWeights, du, dv);
}
