#if KERNELDSL_GPU
namespace KernelDsl.Gpu.Catalogue; // the catalogue compiled into KernelDsl.Gpu, with its Gpu classes
#else
namespace KernelDsl.Catalogue;
#endif

/// <summary>Kullback-Leibler divergence KL(p || q) = Σ p log(p/q): scipy's rel_entr summed, with its conventions (0 log 0 = 0, 0 at p = q = 0).</summary>
[Divergence("(p, q) => rel_entr(p, q)")]
public static partial class KullbackLeibler;

/// <summary>Reverse KL: KL(q || p) = Σ q log(q/p).</summary>
[Divergence("(p, q) => rel_entr(q, p)")]
public static partial class ReverseKullbackLeibler;

/// <summary>Jeffreys divergence, the symmetrised KL: Σ (p - q)(log p - log q).</summary>
[Divergence("(p, q) => (p - q) * (log(p) - log(q))")]
public static partial class Jeffreys;

/// <summary>Jensen-Shannon divergence (natural log): ½ KL(p || m) + ½ KL(q || m), m = (p + q)/2; equals scipy's jensenshannon(p, q)².</summary>
[Divergence("(p, q) => 0.5 * xlogy(p, 2 * p / (p + q)) + 0.5 * xlogy(q, 2 * q / (p + q))")]
public static partial class JensenShannon;

/// <summary>Skew KL: KL(p || a p + (1 - a) q); a = 0.1 is the usual skew.</summary>
[Divergence("(p, q; a) => xlogy(p, p / (a * p + (1 - a) * q))")]
public static partial class SkewKullbackLeibler;

/// <summary>Generalized Jensen-Shannon: β KL(p || m) + (1 - β) KL(q || m), m = β p + (1 - β) q.</summary>
[Divergence("(p, q; beta) => beta * xlogy(p, p / (beta * p + (1 - beta) * q)) + (1 - beta) * xlogy(q, q / (beta * p + (1 - beta) * q))")]
public static partial class GeneralizedJensenShannon;

/// <summary>Total variation distance: ½ Σ |p - q|. Its gradient uses sign (0 where p = q).</summary>
[Divergence("(p, q) => 0.5 * abs(p - q)")]
public static partial class TotalVariation;

/// <summary>Squared Hellinger distance: ½ Σ (√p - √q)².</summary>
[Divergence("(p, q) => 0.5 * (sqrt(p) - sqrt(q))^2")]
public static partial class SquaredHellinger;

/// <summary>Pearson χ²: Σ (p - q)² / q.</summary>
[Divergence("(p, q) => (p - q)^2 / q")]
public static partial class PearsonChiSquared;

/// <summary>Neyman χ²: Σ (p - q)² / p.</summary>
[Divergence("(p, q) => (p - q)^2 / p")]
public static partial class NeymanChiSquared;

/// <summary>Amari's alpha divergence: Σ (p^a q^(1-a) - a p - (1 - a) q) / (a (a - 1)), for a ∉ {0, 1}.</summary>
[Divergence("(p, q; a) => (p^a * q^(1 - a) - a * p - (1 - a) * q) / (a * (a - 1))")]
public static partial class AlphaDivergence;

/// <summary>Rényi divergence of order a: log(Σ p^a q^(1-a)) / (a - 1), for a ∉ {1}.</summary>
[Divergence("(p, q; a) => log(sum(p^a * q^(1 - a))) / (a - 1)")]
public static partial class Renyi;

/// <summary>Tsallis relative entropy of order a: (Σ p^a q^(1-a) - 1) / (a - 1).</summary>
[Divergence("(p, q; a) => (sum(p^a * q^(1 - a)) - 1) / (a - 1)")]
public static partial class Tsallis;

/// <summary>Beta divergence: Σ (p^b + (b - 1) q^b - b p q^(b-1)) / (b (b - 1)), for b ∉ {0, 1}.</summary>
[Divergence("(p, q; b) => (p^b + (b - 1) * q^b - b * p * q^(b - 1)) / (b * (b - 1))")]
public static partial class BetaDivergence;

/// <summary>Itakura-Saito divergence: Σ p/q - log(p/q) - 1.</summary>
[Divergence("(p, q) => p / q - log(p / q) - 1")]
public static partial class ItakuraSaito;

/// <summary>Generalized KL for unnormalised measures (scipy's kl_div summed): Σ p log(p/q) - p + q.</summary>
[Divergence("(p, q) => rel_entr(p, q) - p + q")]
public static partial class GeneralizedKullbackLeibler;

/// <summary>Cauchy-Schwarz divergence: -log(Σ p q / √(Σ p² Σ q²)); three sums in one pass.</summary>
[Divergence("(p, q) => -log(sum(p * q) / sqrt(sum(p^2) * sum(q^2)))")]
public static partial class CauchySchwarz;

/// <summary>Bhattacharyya distance: -log Σ √(p q).</summary>
[Divergence("(p, q) => -log(sum(sqrt(p * q)))")]
public static partial class Bhattacharyya;

/// <summary>Shannon entropy (natural log): -Σ p log p, with 0 log 0 = 0 (scipy.stats.entropy of a normalised p).</summary>
[Divergence("(p) => -xlogy(p, p)")]
public static partial class Entropy;
