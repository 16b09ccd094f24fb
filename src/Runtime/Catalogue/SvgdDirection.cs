#if KERNELDSL_GPU
namespace KernelDsl.Gpu.Catalogue; // the catalogue compiled into KernelDsl.Gpu (a vector field: CPU kernels only, no Gpu class)
#else
namespace KernelDsl.Catalogue;
#endif

/// <summary>
/// The SVGD direction with the Gaussian kernel k(u, v) = exp(-|u - v|² / h), per particle x_i:
/// φ(x_i) = (1/n) Σ_j [k(x_j, x_i) s_j + ∇_{x_j} k(x_j, x_i)] = (1/n) Σ_j k_ij [s_j + (2/h)(x_i - x_j)], where s_j is the
/// score ∇ log p(x_j) of the target at particle j (n × d, as x: the companion <c>s: vectors(x)</c>). A vector field: the
/// generator plans it as two payload sweeps of the pair engine (Σ_j k_ij s_j and Σ_j k_ij x_j) and one row sum
/// (x_i Σ_j k_ij), combined per particle and feature; Value only.
/// </summary>
[Divergence("(x: points, s: vectors(x); h) => mean_j(phi(x, x)) where k(u, v) = exp(-sqdist(u, v) / h), phi(u, v) = k(v, u) * s(v) + 2 / h * (u - v) * k(v, u)")]
public static partial class SvgdDirection;
