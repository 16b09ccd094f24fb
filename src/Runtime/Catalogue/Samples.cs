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
