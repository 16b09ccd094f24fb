using KernelDsl;

namespace SampleFlows;

/// <summary>
/// Σ_jl k(x_j, x_l) with k(u, v) = exp(-|u - v|² / h). For this symmetric k its gradient in x_i is 2 Σ_j ∇₁k(x_i, x_j),
/// so SVGD's repulsion Σ_j ∇_{x_j} k(x_j, x_i) = -½ ∇_{x_i} Σ_jl k(x_j, x_l).
/// </summary>
[Divergence("(x: points; h) => sum(k(x, x)) where k(u, v) = exp(-sqdist(u, v) / h)")]
public static partial class KernelSelfSum;

/// <summary>
/// Σ_ij k(x_i, y_j) b_j with k(u, v) = exp(-|u - v|² / h). SVGD's driving term Σ_j k(x_i, x_j) b_j is a per-point sum
/// (<c>sum_j</c>), which the CPU kernels do not compile yet; see <see cref="Svgd.DrivingTerm"/> for how it is read off this
/// formula's gradient in one extra coordinate.
/// </summary>
[Divergence("(x: points, y: points(b); h) => sum(k(x, y)) where k(u, v) = exp(-sqdist(u, v) / h)")]
public static partial class WeightedKernelSum;
