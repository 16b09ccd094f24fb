#if KERNELDSL_GPU
namespace KernelDsl.Gpu.Catalogue; // the catalogue compiled into KernelDsl.Gpu (fields and the CRPS have CPU kernels only)
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
/// The continuous ranked probability score (CRPS) of an ensemble forecast e_1..e_M (points of d features; d = 1 for a
/// scalar forecast) against an observation y, the V-statistic (the pairs i = j count):
/// <c>CRPS = (1/M) Σ_i Σ_k |e_ik - y| - 1/(2M²) Σ_i Σ_j |e_i - e_j|</c>, |e_i - e_j| the Euclidean distance of two members
/// (for d = 1, the energy form of the CRPS of the empirical distribution of the members). <c>Rows</c> scores a batch of
/// forecasts, one ensemble and one observation per row. The gradient with respect to the members is
/// <c>sign(e_ik - y)/M - (1/M²) Σ_j (e_ik - e_jk)/|e_i - e_j|</c> (sign(0) = 0; a pair of equal members contributes 0).
/// Lower is better; 0 only for an ensemble all of whose members equal y.
/// </summary>
[Loss("(e: points, y: row) => mean(sum_k(abs(e - y))) - 0.5 * mean(dist(e, e))")]
public static partial class CrpsEnsemble;

/// <summary>
/// The fair CRPS of an ensemble (Ferro 2014), the U-statistic, unbiased for the CRPS of the distribution the M members
/// are drawn from: <c>(1/M) Σ_i Σ_k |e_ik - y| - 1/(2M(M - 1)) Σ_{i≠j} |e_i - e_j|</c>. It needs at least two members: for
/// M = 1 its pair mean is 0/0 and the value is NaN (the gradient too; no exception is thrown). It can be exactly 0 (and
/// slightly negative in floating point) when y lies between the members.
/// </summary>
[Loss("(e: points, y: row) => mean(sum_k(abs(e - y))) - 0.5 * umean(dist(e, e))")]
public static partial class FairCrpsEnsemble;

/// <summary>
/// The Gaussian barycentric map (the Nadaraya-Watson mean of y around each point of x), a vector per point of x:
/// <c>T(x_i) = Σ_j k(x_i, y_j) y_j / Σ_j k(x_i, y_j)</c>, <c>k(u, v) = exp(-|u - v|² / (2 σ²))</c>; output n × d. Value only
/// (a vector field has no gradient).
/// </summary>
[Divergence("(x: points, y: points; sigma) => sum_j(k(x, y) * y) / sum_j(k(x, y)) where k(u, v) = exp(-sqdist(u, v) / (2 * sigma^2))")]
public static partial class GaussianBarycentricMap;
