#if KERNELDSL_GPU
namespace KernelDsl.Gpu.Catalogue; // the catalogue compiled into KernelDsl.Gpu, with its Gpu classes
#else
namespace KernelDsl.Catalogue;
#endif

/// <summary>KL(N(μ, e^logvar) || N(0, 1)) summed over dimensions: ½ Σ (μ² + e^logvar - 1 - logvar), the VAE regulariser.</summary>
[Loss("(mu, logvar) => 0.5 * (mu^2 + exp(logvar) - 1 - logvar)")]
public static partial class GaussianKlStandard;

/// <summary>Population variance of x: mean((x - mean(x))²).</summary>
[Loss("(x) => mean((x - mean(x))^2)")]
public static partial class LogVariance;

/// <summary>
/// Direct Preference Optimization: mean over pairs of softplus(-β ((πw - ρw) - (πl - ρl))), where πw, πl are the policy's
/// log-probabilities of the chosen and rejected answers and ρw, ρl the reference model's.
/// </summary>
[Loss("(pw, rw, pl, rl; beta) => mean(softplus(-beta * ((pw - rw) - (pl - rl))))")]
public static partial class Dpo;

/// <summary>Identity Preference Optimization: mean over pairs of (h - 1/(2β))², h = (πw - ρw) - (πl - ρl).</summary>
[Loss("(pw, rw, pl, rl; beta) => mean(((pw - rw) - (pl - rl) - 1 / (2 * beta))^2)")]
public static partial class Ipo;

/// <summary>Schulman's k1 estimator of KL(π || ref) from samples of π: mean(-log r), r = π_ref/π = exp(lref - lpi).</summary>
[Loss("(lref, lpi) => mean(lpi - lref)")]
public static partial class KlEstimatorK1;

/// <summary>Schulman's k2 estimator: mean(½ (log r)²).</summary>
[Loss("(lref, lpi) => mean(0.5 * (lref - lpi)^2)")]
public static partial class KlEstimatorK2;

/// <summary>Schulman's k3 estimator: mean(r - 1 - log r), written with expm1 so that r near 1 keeps its digits.</summary>
[Loss("(lref, lpi) => mean(expm1(lref - lpi) - (lref - lpi))")]
public static partial class KlEstimatorK3;

/// <summary>
/// Hinton distillation from logits: T² KL(softmax(t/T) || softmax(s/T)) per row; t the teacher's logits, s the student's.
/// A teacher logit of -inf (a padded or banned class) has probability 0 and contributes 0 to the value and to both
/// gradients, as in torch's kl_div: the teacher's log-probability is floored at -1e30, which changes nothing where the
/// probability is positive (the log-probability is above -746 there) and turns 0·(-inf) into 0·(-1e30) = 0, in the value
/// and in the chain rule through softmax.
/// </summary>
[Loss("(t, s; T) => T^2 * sum(softmax(t / T) * (max(log_softmax(t / T), -1e30) - log_softmax(s / T)))", Precision = KernelPrecision.All)]
public static partial class DistillationKl;

/// <summary>
/// Reverse-KL distillation from logits: T² KL(softmax(s/T) || softmax(t/T)) per row. A student logit of -inf contributes 0
/// to the value and the gradients (its log-probability floored at -1e30, as in <see cref="DistillationKl"/>); a teacher
/// logit of -inf where the student's probability is positive makes the value +inf, as the reverse KL is.
/// </summary>
[Loss("(t, s; T) => T^2 * sum(softmax(s / T) * (max(log_softmax(s / T), -1e30) - log_softmax(t / T)))", Precision = KernelPrecision.All)]
public static partial class ReverseDistillationKl;

/// <summary>
/// f-DPO with the forward KL (f(u) = -log u, f'(u) = -1/u): mean of softplus(-β (f'(u_w) - f'(u_l))), u = π/π_ref =
/// exp(log-ratio), written as exp of log-ratios (no division of probabilities).
/// </summary>
[Loss("(pw, rw, pl, rl; beta) => mean(softplus(-beta * (exp(rl - pl) - exp(rw - pw))))")]
public static partial class FDpoForwardKl;

/// <summary>
/// f-DPO with the Jensen-Shannon divergence: f'(u) = log(2u / (1 + u)) = log 2 + logsigmoid(r) for the log-ratio r, so
/// the loss is mean of softplus(-β (logsigmoid(r_w) - logsigmoid(r_l))), stable for any r.
/// </summary>
[Loss("(pw, rw, pl, rl; beta) => mean(softplus(-beta * (logsigmoid(pw - rw) - logsigmoid(pl - rl))))")]
public static partial class FDpoJensenShannon;

/// <summary>
/// f-DPO with Amari's α-divergence: f'(u) = (1 - u^(-α)) / α = -expm1(-α r) / α for the log-ratio r, so the loss is mean
/// of softplus(-β (expm1(-α r_l) - expm1(-α r_w)) / α); α → 0 tends to DPO (the reverse KL), α = 1 to forward KL.
/// </summary>
[Loss("(pw, rw, pl, rl; beta, alpha) => mean(softplus(-beta * (expm1(-alpha * (pl - rl)) - expm1(-alpha * (pw - rw))) / alpha))")]
public static partial class FDpoAlpha;
