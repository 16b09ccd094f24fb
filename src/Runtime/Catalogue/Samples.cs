#if KERNELDSL_GPU
namespace KernelDsl.Gpu.Catalogue; // the catalogue compiled into KernelDsl.Gpu (sample formulas have CPU kernels only)
#else
namespace KernelDsl.Catalogue;
#endif

/// <summary>MMD² with the Gaussian kernel exp(-|u - v|² / (2σ²)), the biased estimator (V-statistic: the diagonals count).</summary>
[Divergence("(x: points, y: points; sigma) => mean(k(x, x)) + mean(k(y, y)) - 2 * mean(k(x, y)) where k(u, v) = exp(-sqdist(u, v) / (2 * sigma^2))")]
public static partial class GaussianMmd2;

/// <summary>MMD² with the Gaussian kernel, the unbiased estimator (U-statistic: the pairs i = j are left out; needs 2 points a cloud).</summary>
[Divergence("(x: points, y: points; sigma) => umean(k(x, x)) + umean(k(y, y)) - 2 * mean(k(x, y)) where k(u, v) = exp(-sqdist(u, v) / (2 * sigma^2))")]
public static partial class GaussianMmd2Unbiased;

/// <summary>MMD² with the Gaussian kernel between weighted samples: a'Kxx a + b'Kyy b - 2 a'Kxy b with the weights normalised.</summary>
[Divergence("(x: points(a), y: points(b); sigma) => mean(k(x, x)) + mean(k(y, y)) - 2 * mean(k(x, y)) where k(u, v) = exp(-sqdist(u, v) / (2 * sigma^2))")]
public static partial class WeightedGaussianMmd2;

/// <summary>MMD² (biased) with the Laplace kernel exp(-|u - v| / s).</summary>
[Divergence("(x: points, y: points; s) => mean(k(x, x)) + mean(k(y, y)) - 2 * mean(k(x, y)) where k(u, v) = exp(-dist(u, v) / s)")]
public static partial class LaplaceMmd2;

/// <summary>MMD² (biased) with the inverse multiquadric kernel (1 + |u - v|² / s²)^(-1/2).</summary>
[Divergence("(x: points, y: points; s) => mean(k(x, x)) + mean(k(y, y)) - 2 * mean(k(x, y)) where k(u, v) = (1 + sqdist(u, v) / s^2)^(-0.5)")]
public static partial class InverseMultiquadricMmd2;

/// <summary>MMD² (biased) with the energy kernel -|u - v|: equal to the energy distance.</summary>
[Divergence("(x: points, y: points) => mean(k(x, x)) + mean(k(y, y)) - 2 * mean(k(x, y)) where k(u, v) = -dist(u, v)")]
public static partial class EnergyKernelMmd2;

/// <summary>The energy distance 2 E|X - Y| - E|X - X'| - E|Y - Y'| between two samples (V-statistics).</summary>
[Divergence("(x: points, y: points) => 2 * mean(dist(x, y)) - mean(dist(x, x)) - mean(dist(y, y))")]
public static partial class EnergyDistance;

/// <summary>
/// The Cauchy-Schwarz divergence between the Gaussian kernel density estimates of two samples (bandwidth s; the
/// convolution of two Gaussians of variance s² is one of variance 2s²): -2 log mean Kxy + log mean Kxx + log mean Kyy.
/// </summary>
[Divergence("(x: points, y: points; s) => -2 * log(mean(k(x, y))) + log(mean(k(x, x))) + log(mean(k(y, y))) where k(u, v) = exp(-sqdist(u, v) / (4 * s^2))")]
public static partial class CauchySchwarzSamples;

/// <summary>
/// The MMD witness function with the Gaussian kernel exp(-|u - v|² / (2σ²)), at each query point z_i:
/// F_i = mean_j k(z_i, x_j) - mean_j k(z_i, y_j). Its gradient <c>∇_{z_i} F_i</c> (ValueAndGradient) is the witness
/// gradient that an MMD gradient flow moves particles with (z = x: the x points held fixed as the kernel's centres).
/// </summary>
[Divergence("(z: points, x: points, y: points; sigma) => mean_j(k(z, x)) - mean_j(k(z, y)) where k(u, v) = exp(-sqdist(u, v) / (2 * sigma^2))")]
public static partial class GaussianMmdWitness;

/// <summary>
/// The SVGD direction with the Gaussian kernel k(u, v) = exp(-|u - v|² / h), per particle x_i:
/// φ(x_i) = (1/n) Σ_j [k(x_j, x_i) s_j + ∇_{x_j} k(x_j, x_i)] = (1/n) Σ_j k_ij [s_j + (2/h)(x_i - x_j)], where s_j is the
/// score ∇ log p(x_j) of the target at particle j (n × d, as x). Two row sweeps of the pair engine: the payload sum
/// Σ_j k_ij s_j, and the row sums' gradient, which is -(2/h) Σ_j k_ij (x_i - x_j) summed pair by pair (no cancellation).
/// </summary>
/// <remarks>
/// Written by hand on the engine until the language can say it (a companion <c>s: vectors(x)</c> of the cloud): its
/// signature is the one the generator will give <c>(x: points, s: vectors(x); h) =&gt; mean_j(...)</c>.
/// </remarks>
public static class SvgdDirection
{
    /// <summary>The SVGD direction of every particle.</summary>
    /// <param name="x">The particles, row-major: n rows of <paramref name="d"/> features.</param>
    /// <param name="s">The scores ∇ log p at the particles, n × <paramref name="d"/> as <paramref name="x"/>.</param>
    /// <param name="d">The number of features of a particle.</param>
    /// <param name="output">Receives φ(x_i), n × <paramref name="d"/>.</param>
    /// <param name="h">The kernel's bandwidth h in exp(-|u - v|² / h).</param>
    /// <exception cref="System.ArgumentException"><paramref name="d"/> is below 1, <paramref name="x"/> is empty or not n rows of
    /// <paramref name="d"/>, or <paramref name="s"/> or <paramref name="output"/> is not as long as <paramref name="x"/>, or
    /// <paramref name="output"/> overlaps an input.</exception>
    public static void Value(System.ReadOnlySpan<float> x, System.ReadOnlySpan<float> s, int d, System.Span<float> output, float h)
    {
        int n = Check(x, s, d, output);
        // exp(-f / h) is the Gaussian pair term of σ² = h / 2.
        var term = new KernelDsl.Runtime.GaussianPairTerm<float>(System.Math.Sqrt(h / 2.0));
        float[] buffer = System.Buffers.ArrayPool<float>.Shared.Rent(n + x.Length);
        try
        {
            var rows = System.MemoryExtensions.AsSpan(buffer, 0, n);
            var g = System.MemoryExtensions.AsSpan(buffer, n, x.Length);
            KernelDsl.Runtime.PairSweep.RowPayloadSums(term, x, x, default, d, s, d, output);
            KernelDsl.Runtime.PairSweep.RowSumsWithGradient(term, x, x, default, d, rows, 1.0, g);
            for (int k = 0; k < output.Length; k++) output[k] = (float)(((double)output[k] - g[k]) / n);
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc cref="Value(System.ReadOnlySpan{float}, System.ReadOnlySpan{float}, int, System.Span{float}, float)"/>
    public static void Value(System.ReadOnlySpan<double> x, System.ReadOnlySpan<double> s, int d, System.Span<double> output, double h)
    {
        int n = Check(x, s, d, output);
        var term = new KernelDsl.Runtime.GaussianPairTerm<double>(System.Math.Sqrt(h / 2.0));
        double[] buffer = System.Buffers.ArrayPool<double>.Shared.Rent(n + x.Length);
        try
        {
            var rows = System.MemoryExtensions.AsSpan(buffer, 0, n);
            var g = System.MemoryExtensions.AsSpan(buffer, n, x.Length);
            // output = Σ_j k_ij s_j; g = ∇_{x_i} Σ_j k_ij (the j held fixed) = -(2/h) Σ_j k_ij (x_i - x_j).
            KernelDsl.Runtime.PairSweep.RowPayloadSums(term, x, x, default, d, s, d, output);
            KernelDsl.Runtime.PairSweep.RowSumsWithGradient(term, x, x, default, d, rows, 1.0, g);
            for (int k = 0; k < output.Length; k++) output[k] = (output[k] - g[k]) / n;
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(buffer);
        }
    }

    private static int Check<T>(System.ReadOnlySpan<T> x, System.ReadOnlySpan<T> s, int d, System.Span<T> output)
    {
        int n = KernelDsl.Runtime.PairSweep.Points(x, d, nameof(x));
        if (s.Length != x.Length) throw new System.ArgumentException($"'s' has length {s.Length}; it holds one score of d = {d} features per particle ({x.Length} in all).", nameof(s));
        if (output.Length != x.Length) throw KernelDsl.Runtime.Partials.OutputLength(nameof(output), output.Length, x.Length);
        if (KernelDsl.Runtime.SpanChecks.Overlaps(output, x, s)) throw KernelDsl.Runtime.Partials.Overlap(nameof(output));
        return n;
    }
}
