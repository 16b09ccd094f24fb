using System;
using KernelDsl.Runtime;

#if KERNELDSL_GPU
namespace KernelDsl.Gpu.Catalogue; // the catalogue compiled into KernelDsl.Gpu (this class runs on the CPU there too)
#else
namespace KernelDsl.Catalogue;
#endif

/// <summary>
/// SinKD (Cui et al., 2024, "Sinkhorn distance minimization for knowledge distillation"): the entropic optimal-transport
/// value over the batch between the teacher's and the student's probability rows. With <c>p_t,i = softmax(t_i / τ)</c>
/// and <c>p_s,j = softmax(s_j / τ)</c> (rows of B × V logits), the cost between teacher row i and student row j is
/// <c>C_ij = KL(p_t,i || p_s,j)</c>, computed as <c>Σ_v p_t,iv log p_t,iv - Σ_v p_t,iv log p_s,jv</c>, a B × B product of
/// rows (never a B × B × V tensor), and the loss is <c>OT_reg = min_P ⟨P, C⟩ + reg KL(P | a ⊗ b)</c> with uniform batch
/// weights a = b = 1/B (<see cref="DiscreteSinkhorn"/>'s entropic value, solved in double).
/// </summary>
/// <remarks>
/// <para>Gradient. By the envelope theorem the loss's gradient is <c>Σ_ij P_ij ∂C_ij/∂s</c> at the optimal plan P,
/// exactly (not the derivative through the iterations), so row j of the gradient with respect to the student logits is
/// <c>((Σ_i P_ij) p_s,j - Σ_i P_ij p_t,i) / τ</c>. It is exact to the solver's tolerance: a marginal error e moves it by
/// about e / τ per entry.</para>
/// <para>The transport cost <c>⟨P, C⟩</c> (POT's sinkhorn2 of C, without the entropy term) is reported as well; it is
/// free. B × B is a batch (small): the cost matrix and the plan are dense. float: probabilities and dot products in float
/// lanes, blocks and the OT solve in double.</para>
/// <para>Options null: <see cref="DiscreteSinkhorn.DefaultOptions"/> (tolerance 1e-9 on the L1 marginal error, 1,000
/// iterations). The result's <see cref="SinkhornResult.Value"/> is the loss; its iterations, marginal error and
/// convergence are the B × B solve's. With <see cref="SinkhornOptions.ThrowIfNotConverged"/>, the exception carries that
/// solve's result (its Value is ⟨P, C⟩).</para>
/// </remarks>
public static class SinkhornDistillation
{
    /// <summary>The SinKD loss (the entropic OT value over the batch).</summary>
    /// <param name="teacher">Teacher logits, batch × vocabulary row-major.</param>
    /// <param name="student">Student logits, batch × vocabulary row-major.</param>
    /// <param name="batch">B, the rows.</param>
    /// <param name="vocabulary">V, the classes per row.</param>
    /// <param name="temperature">τ, positive: both softmaxes are of logits / τ.</param>
    /// <param name="reg">The entropic regularisation of the transport over the batch, positive.</param>
    /// <param name="options">Tolerance and budget of the B × B solve; null for <see cref="DiscreteSinkhorn.DefaultOptions"/>.</param>
    /// <returns>The loss in <see cref="SinkhornResult.Value"/>, and how the solve went.</returns>
    /// <exception cref="ArgumentException">A shape, τ, reg or a logit (NaN, infinite) is not valid (the exception names it).</exception>
    public static SinkhornResult Loss(ReadOnlySpan<float> teacher, ReadOnlySpan<float> student, int batch, int vocabulary, double temperature, double reg, SinkhornOptions? options = null) =>
        DiscreteDistillation<float, DiscreteWidthsF>.Run(teacher, student, batch, vocabulary, temperature, reg, default, default, out _, options ?? DiscreteSinkhorn.DefaultOptions);

    /// <inheritdoc cref="Loss(ReadOnlySpan{float}, ReadOnlySpan{float}, int, int, double, double, SinkhornOptions?)"/>
    public static SinkhornResult Loss(ReadOnlySpan<double> teacher, ReadOnlySpan<double> student, int batch, int vocabulary, double temperature, double reg, SinkhornOptions? options = null) =>
        DiscreteDistillation<double, DiscreteWidthsD>.Run(teacher, student, batch, vocabulary, temperature, reg, default, default, out _, options ?? DiscreteSinkhorn.DefaultOptions);

    /// <summary>The SinKD loss, its gradient with respect to the student logits, the transport cost ⟨P, C⟩ and, on request, the plan.</summary>
    /// <param name="teacher">Teacher logits, batch × vocabulary row-major.</param>
    /// <param name="student">Student logits, batch × vocabulary row-major.</param>
    /// <param name="batch">B, the rows.</param>
    /// <param name="vocabulary">V, the classes per row.</param>
    /// <param name="temperature">τ, positive: both softmaxes are of logits / τ.</param>
    /// <param name="reg">The entropic regularisation of the transport over the batch, positive.</param>
    /// <param name="gradStudent">Receives ∂loss/∂student (batch × vocabulary; written, not added to); empty to skip.</param>
    /// <param name="transportCost">The transport cost ⟨P, C⟩ of the plan (no entropy term).</param>
    /// <param name="plan">Receives the plan P over the batch (B × B, row i teacher, column j student); empty to skip.</param>
    /// <param name="options">Tolerance and budget of the B × B solve; null for <see cref="DiscreteSinkhorn.DefaultOptions"/>.</param>
    /// <returns>The loss in <see cref="SinkhornResult.Value"/>, and how the solve went.</returns>
    /// <exception cref="ArgumentException">A shape, τ, reg, a logit (NaN, infinite) or an output length is not valid (the exception names it).</exception>
    public static SinkhornResult LossAndGradient(ReadOnlySpan<float> teacher, ReadOnlySpan<float> student, int batch, int vocabulary, double temperature, double reg,
        Span<float> gradStudent, out double transportCost, Span<double> plan = default, SinkhornOptions? options = null) =>
        DiscreteDistillation<float, DiscreteWidthsF>.Run(teacher, student, batch, vocabulary, temperature, reg, gradStudent, plan, out transportCost, options ?? DiscreteSinkhorn.DefaultOptions);

    /// <inheritdoc cref="LossAndGradient(ReadOnlySpan{float}, ReadOnlySpan{float}, int, int, double, double, Span{float}, out double, Span{double}, SinkhornOptions?)"/>
    public static SinkhornResult LossAndGradient(ReadOnlySpan<double> teacher, ReadOnlySpan<double> student, int batch, int vocabulary, double temperature, double reg,
        Span<double> gradStudent, out double transportCost, Span<double> plan = default, SinkhornOptions? options = null) =>
        DiscreteDistillation<double, DiscreteWidthsD>.Run(teacher, student, batch, vocabulary, temperature, reg, gradStudent, plan, out transportCost, options ?? DiscreteSinkhorn.DefaultOptions);
}
