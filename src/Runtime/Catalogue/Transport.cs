#if KERNELDSL_GPU
namespace KernelDsl.Gpu.Catalogue; // compiled again with the GPU catalogue: each transport also gets a nested Gpu class (the GPU Sinkhorn solver)
#else
namespace KernelDsl.Catalogue;
#endif

/// <summary>
/// The debiased Sinkhorn divergence between weighted point clouds, GeomLoss's <c>SamplesLoss("sinkhorn", p=2, blur,
/// debias=True)</c>: S = OT_ε(a, b) - OT_ε(a, a)/2 - OT_ε(b, b)/2 with the cost |x - y|²/2 and ε = blur². Zero for equal
/// clouds, positive otherwise, and |x - y|²/2 between two Diracs at every blur; gradients through the converged potentials.
/// </summary>
[Divergence("(x: points(a), y: points(b); blur) => sinkhorn_divergence(c(x, y), blur^2) where c(u, v) = sqdist(u, v) / 2")]
public static partial class SinkhornDivergence;

/// <summary>
/// The entropic transport cost OT_ε(a, b) = min_π ⟨π, C⟩ + ε KL(π | a ⊗ b) between weighted point clouds (GeomLoss's
/// <c>debias=False</c>), with the cost |x - y|²/2 and ε = blur²; its potentials give the entropic plan (ApplyPlan) and the
/// barycentric map.
/// </summary>
[Divergence("(x: points(a), y: points(b); blur) => sinkhorn(c(x, y), blur^2) where c(u, v) = sqdist(u, v) / 2")]
public static partial class EntropicTransport;
