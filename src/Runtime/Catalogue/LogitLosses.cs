#if KERNELDSL_GPU
namespace KernelDsl.Gpu.Catalogue; // the catalogue compiled into KernelDsl.Gpu, with its Gpu classes
#else
namespace KernelDsl.Catalogue;
#endif

/// <summary>Cross-entropy from logits with an integer label per row: logsumexp(s) - s[y]. Use Rows with ignoreIndex and RowReduction.ValidMean for token-level LM losses.</summary>
[Loss("(s, y: label) => logsumexp(s) - s[y]", Precision = KernelPrecision.All)]
public static partial class CrossEntropy;

/// <summary>
/// Cross-entropy with label smoothing eps (the target puts 1 - eps on y and eps uniformly on the vocabulary, as PyTorch's
/// label_smoothing) and a z-loss z·logsumexp(s)² (PaLM): eps = z = 0 is plain cross-entropy.
/// </summary>
[Loss("(s, y: label; eps, z) => (1 - eps) * (logsumexp(s) - s[y]) + eps * mean(logsumexp(s) - s) + z * logsumexp(s)^2", Precision = KernelPrecision.All)]
public static partial class CrossEntropySmoothed;

/// <summary>Skew KL on logits: KL(P || a P + (1 - a) Q), P = softmax(t), Q = softmax(s) (DistiLLM uses a = 0.1).</summary>
[Loss("(t, s; a) => sum(rel_entr(softmax(t), a * softmax(t) + (1 - a) * softmax(s)))", Precision = KernelPrecision.All)]
public static partial class SkewKullbackLeiblerLogits;

/// <summary>Generalized JSD on logits (GKD): β KL(P || M) + (1 - β) KL(Q || M), M = β P + (1 - β) Q, P = softmax(t), Q = softmax(s).</summary>
[Loss("(t, s; beta) => beta * sum(rel_entr(softmax(t), beta * softmax(t) + (1 - beta) * softmax(s))) + (1 - beta) * sum(rel_entr(softmax(s), beta * softmax(t) + (1 - beta) * softmax(s)))", Precision = KernelPrecision.All)]
public static partial class GeneralizedJensenShannonLogits;

/// <summary>
/// Forward and reverse distillation KL with per-row weights (BD-KD, CAKLD): T² (wf KL(P || Q) + wr KL(Q || P)) with
/// P = softmax(t/T), Q = softmax(s/T). A row whose weights are both 0 gets a gradient of exactly 0.
/// </summary>
/// <remarks>Each KL floors the log-probability of its own weight distribution at -1e30, so a -inf logit (probability 0)
/// contributes 0 to that KL and to its gradients (see <see cref="DistillationKl"/>).</remarks>
[Loss("(t, s, wf: row, wr: row; T) => T^2 * (wf * sum(softmax(t / T) * (max(log_softmax(t / T), -1e30) - log_softmax(s / T))) + wr * sum(softmax(s / T) * (max(log_softmax(s / T), -1e30) - log_softmax(t / T))))", Precision = KernelPrecision.All)]
public static partial class WeightedForwardReverseKl;

/// <summary>
/// Distillation KL over a vocabulary mask vm (1 = kept, 0 = dropped), both distributions renormalised over the kept
/// tokens (SIU): T² KL(softmax((t + log vm)/T) || softmax((s + log vm)/T)); dropped tokens contribute 0 and get a
/// gradient of 0.
/// </summary>
[Loss("(t, s, vm; T) => T^2 * sum(rel_entr(softmax((t + log(vm)) / T), softmax((s + log(vm)) / T)))", Precision = KernelPrecision.All)]
public static partial class MaskedDistillationKl;

/// <summary>
/// Token-adaptive distillation (TAD): hard cross-entropy on tokens flagged near (near = 1), soft distillation KL on the
/// others (near = 0), one flag per token row.
/// </summary>
/// <remarks>A teacher logit of -inf contributes 0 to the KL and its gradients (see <see cref="DistillationKl"/>).</remarks>
[Loss("(t, s, y: label, near: row; T) => near * (logsumexp(s) - s[y]) + (1 - near) * T^2 * sum(softmax(t / T) * (max(log_softmax(t / T), -1e30) - log_softmax(s / T)))", Precision = KernelPrecision.All)]
public static partial class TokenAdaptiveDistillation;
