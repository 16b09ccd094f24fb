using System;
using KernelDsl.Runtime;

#if KERNELDSL_GPU
namespace KernelDsl.Gpu.Catalogue; // the catalogue compiled into KernelDsl.Gpu (this class runs on the CPU there too)
#else
namespace KernelDsl.Catalogue;
#endif

/// <summary>
/// Optional outputs of <see cref="DiscreteSinkhorn"/>: empty spans are not written. For a batch, each is the problems'
/// outputs one after another.
/// </summary>
/// <typeparam name="T">The element type, float or double.</typeparam>
public readonly ref struct DiscreteSinkhornOutputs<T> where T : unmanaged
{
    /// <summary>The plan P (n × m row-major), POT's <c>ot.sinkhorn</c>: its column sums are b (to rounding), its row sums a to the reported marginal error.</summary>
    public Span<T> Plan { get; init; }

    /// <summary>The dual potential f (n), with <c>P_ij = a_i b_j exp((f_i + g_j - M_ij) / reg)</c>; POT's <c>log_u</c> is <c>log a + f / reg</c>.</summary>
    public Span<T> PotentialF { get; init; }

    /// <summary>The dual potential g (m); POT's <c>log_v</c> is <c>log b + g / reg</c>.</summary>
    public Span<T> PotentialG { get; init; }

    /// <summary>
    /// The entropic value <c>⟨P, M⟩ + reg KL(P | a ⊗ b)</c> (one per problem), with the generalised KL
    /// <c>Σ P log(P / (a b)) - Σ P + Σ a Σ b</c>; at convergence it equals <c>⟨a, f⟩ + ⟨b, g⟩</c>, and its gradient with
    /// respect to M is P exactly (the gradient of <c>⟨P, M⟩</c> is not: P moves with M).
    /// </summary>
    public Span<double> EntropicValue { get; init; }
}

/// <summary>
/// Entropic optimal transport on a cost matrix, with POT's conventions: <see cref="Sinkhorn2(ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, int, int, double, SinkhornOptions?)"/>
/// is <c>ot.sinkhorn2(a, b, M, reg)</c>, the transport cost <c>⟨P, M⟩</c> of the entropic plan without the entropy term;
/// <see cref="Sinkhorn(ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, int, int, double, Span{double}, SinkhornOptions?)"/>
/// is <c>ot.sinkhorn</c>, the plan <c>P = diag(u) exp(-M / reg) diag(v)</c> with marginals a and b. The solver runs in the
/// log domain (POT's <c>method='sinkhorn_log'</c>), so it stays finite at small reg (1e-3 with costs of order 1, where
/// <c>exp(-M / reg)</c> underflows), with SIMD log-sum-exps over the rows of M and, streaming the same rows, over its
/// columns (no transposed copy); memory besides M and the plan is O(n + 16 m).
/// </summary>
/// <remarks>
/// <para>Weights: empty means uniform (1/n, 1/m); otherwise finite, non-negative, with equal positive sums (to 1e-6
/// relative); they are used as given. Costs: finite. reg: positive.</para>
/// <para>Stopping: after each update of v (the column marginal is then exact) the L1 error of the row marginal,
/// <c>Σ_i |Σ_j P_ij - a_i|</c>, is measured; the run stops when it is at most <see cref="SinkhornOptions.Tolerance"/> or
/// after <see cref="SinkhornOptions.MaxIterations"/> updates (POT's stopThr and numItermax), and the result says which
/// (<see cref="SinkhornResult.Converged"/>, <see cref="SinkhornResult.MarginalError"/>, <see cref="SinkhornResult.Iterations"/>;
/// <see cref="SinkhornResult.Epsilon"/> is reg). Options null: POT's defaults for double (<see cref="DefaultOptions"/>:
/// tolerance 1e-9, 1,000 iterations); for float, <see cref="FloatDefaultOptions"/> (tolerance 1e-5: float rounding
/// keeps the error near 1e-6). <see cref="SinkhornOptions.Scaling"/> and <see cref="SinkhornOptions.CostExponent"/> are
/// not used (no ε-scaling: reg is fixed from the first update, as in POT); nor are <see cref="SinkhornOptions.Overrelaxation"/>
/// (the updates are plain Sinkhorn, ω = 1) and <see cref="SinkhornOptions.StallIterations"/> (no stall rule: only the
/// tolerance and the iteration budget stop a run, and <see cref="SinkhornResult.Stalled"/> is always false).</para>
/// <para>Outputs must not share memory with the inputs or with each other (an <see cref="ArgumentException"/> names the output).</para>
/// <para>Results are the same bits at any <see cref="KernelSettings.MaxDegreeOfParallelism"/>, and a batch's problem k
/// gives the same bits as a single call on it.</para>
/// </remarks>
public static class DiscreteSinkhorn
{
    /// <summary>The options used for double when none are given: POT's defaults, tolerance 1e-9 and 1,000 iterations.</summary>
    public static SinkhornOptions DefaultOptions { get; } = new() { Tolerance = 1e-9, MaxIterations = 1000 };

    /// <summary>
    /// The float overloads' options when none are given: tolerance 1e-5, 1,000 iterations (float rounding keeps the
    /// marginal error near 1e-6). Its own object: the cloud solver's <see cref="SinkhornOptions.Default"/> is tuned for
    /// ε-scaling over clouds (a looser tolerance), not for POT's fixed-reg iteration.
    /// </summary>
    public static SinkhornOptions FloatDefaultOptions { get; } = new() { Tolerance = 1e-5, MaxIterations = 1000 };

    /// <summary>POT's <c>ot.sinkhorn2</c>: the transport cost <c>⟨P, M⟩</c> of the entropic plan (no entropy term).</summary>
    /// <param name="a">Row weights (n), or empty for uniform.</param>
    /// <param name="b">Column weights (m), or empty for uniform.</param>
    /// <param name="costs">The cost matrix M, n × m row-major.</param>
    /// <param name="rows">n.</param>
    /// <param name="columns">m.</param>
    /// <param name="reg">The entropic regularisation, positive.</param>
    /// <param name="options">Tolerance and budget; null for <see cref="DefaultOptions"/>.</param>
    /// <returns><c>⟨P, M⟩</c> in <see cref="SinkhornResult.Value"/>, and how the run went.</returns>
    /// <exception cref="ArgumentException">A shape, a weight, the sums, reg or a cost is not valid (the exception names it).</exception>
    /// <exception cref="SinkhornNotConvergedException">The run did not converge and <see cref="SinkhornOptions.ThrowIfNotConverged"/> is set.</exception>
    public static SinkhornResult Sinkhorn2(ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> costs, int rows, int columns, double reg, SinkhornOptions? options = null) =>
        Solve(a, b, costs, rows, columns, reg, default, options);

    /// <inheritdoc cref="Sinkhorn2(ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, int, int, double, SinkhornOptions?)"/>
    /// <remarks>Options null: <see cref="FloatDefaultOptions"/> (tolerance 1e-5).</remarks>
    public static SinkhornResult Sinkhorn2(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> costs, int rows, int columns, double reg, SinkhornOptions? options = null) =>
        Solve(a, b, costs, rows, columns, reg, default, options);

    /// <summary>POT's <c>ot.sinkhorn</c>: writes the entropic plan P (n × m) and returns <c>⟨P, M⟩</c>.</summary>
    /// <param name="a">Row weights (n), or empty for uniform.</param>
    /// <param name="b">Column weights (m), or empty for uniform.</param>
    /// <param name="costs">The cost matrix M, n × m row-major.</param>
    /// <param name="rows">n.</param>
    /// <param name="columns">m.</param>
    /// <param name="reg">The entropic regularisation, positive.</param>
    /// <param name="plan">Receives P, n × m row-major.</param>
    /// <param name="options">Tolerance and budget; null for <see cref="DefaultOptions"/>.</param>
    /// <returns><c>⟨P, M⟩</c> in <see cref="SinkhornResult.Value"/>, and how the run went.</returns>
    /// <exception cref="ArgumentException">A shape, a weight, the sums, reg or a cost is not valid (the exception names it).</exception>
    /// <exception cref="SinkhornNotConvergedException">The run did not converge and <see cref="SinkhornOptions.ThrowIfNotConverged"/> is set.</exception>
    public static SinkhornResult Sinkhorn(ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> costs, int rows, int columns, double reg, Span<double> plan, SinkhornOptions? options = null)
    {
        if (plan.IsEmpty) throw new ArgumentException("'plan' is empty; it must have length rows × columns (use Sinkhorn2 for the value alone).", nameof(plan));
        return Solve(a, b, costs, rows, columns, reg, new DiscreteSinkhornOutputs<double> { Plan = plan }, options);
    }

    /// <inheritdoc cref="Sinkhorn(ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, int, int, double, Span{double}, SinkhornOptions?)"/>
    /// <remarks>Options null: <see cref="FloatDefaultOptions"/> (tolerance 1e-5).</remarks>
    public static SinkhornResult Sinkhorn(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> costs, int rows, int columns, double reg, Span<float> plan, SinkhornOptions? options = null)
    {
        if (plan.IsEmpty) throw new ArgumentException("'plan' is empty; it must have length rows × columns (use Sinkhorn2 for the value alone).", nameof(plan));
        return Solve(a, b, costs, rows, columns, reg, new DiscreteSinkhornOutputs<float> { Plan = plan }, options);
    }

    /// <summary>
    /// One problem with every output on request: <c>⟨P, M⟩</c> in the result (as <c>ot.sinkhorn2</c>), and in
    /// <paramref name="outputs"/> the plan, the potentials and the entropic value <c>⟨P, M⟩ + reg KL(P | a ⊗ b)</c>.
    /// </summary>
    /// <param name="a">Row weights (n), or empty for uniform.</param>
    /// <param name="b">Column weights (m), or empty for uniform.</param>
    /// <param name="costs">The cost matrix M, n × m row-major.</param>
    /// <param name="rows">n.</param>
    /// <param name="columns">m.</param>
    /// <param name="reg">The entropic regularisation, positive.</param>
    /// <param name="outputs">What to write; empty spans are skipped (EntropicValue has length 1).</param>
    /// <param name="options">Tolerance and budget; null for <see cref="DefaultOptions"/>.</param>
    /// <returns><c>⟨P, M⟩</c> in <see cref="SinkhornResult.Value"/>, and how the run went.</returns>
    /// <exception cref="ArgumentException">A shape, a weight, the sums, reg, a cost or an output length is not valid (the exception names it).</exception>
    /// <exception cref="SinkhornNotConvergedException">The run did not converge and <see cref="SinkhornOptions.ThrowIfNotConverged"/> is set.</exception>
    public static SinkhornResult Solve(ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> costs, int rows, int columns, double reg,
        in DiscreteSinkhornOutputs<double> outputs, SinkhornOptions? options = null)
    {
        DiscreteChecks.Output(outputs.EntropicValue.Length, 1, "outputs");
        EntropicApart(outputs, a, b, costs);
        var result = DiscreteEngine<double, DiscreteWidthsD>.Solve(a, b, costs, rows, columns, reg, outputs.Plan, outputs.PotentialF, outputs.PotentialG,
            out double entropic, options ?? DefaultOptions);
        if (!outputs.EntropicValue.IsEmpty) outputs.EntropicValue[0] = entropic;
        return result;
    }

    /// <inheritdoc cref="Solve(ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, int, int, double, in DiscreteSinkhornOutputs{double}, SinkhornOptions?)"/>
    /// <remarks>Options null: <see cref="FloatDefaultOptions"/> (tolerance 1e-5). Sums and logs run in double; lanes in float.</remarks>
    public static SinkhornResult Solve(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> costs, int rows, int columns, double reg,
        in DiscreteSinkhornOutputs<float> outputs, SinkhornOptions? options = null)
    {
        DiscreteChecks.Output(outputs.EntropicValue.Length, 1, "outputs");
        EntropicApart(outputs, a, b, costs);
        var result = DiscreteEngine<float, DiscreteWidthsF>.Solve(a, b, costs, rows, columns, reg, outputs.Plan, outputs.PotentialF, outputs.PotentialG,
            out double entropic, options ?? FloatDefaultOptions);
        if (!outputs.EntropicValue.IsEmpty) outputs.EntropicValue[0] = entropic;
        return result;
    }

    /// <summary>The entropic value is written after the solve: it must not share memory with an input or another output.</summary>
    private static void EntropicApart<T>(in DiscreteSinkhornOutputs<T> outputs, ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> costs) where T : unmanaged
    {
        Span<double> entropic = outputs.EntropicValue;
        DiscreteChecks.Apart(entropic, a, "outputs");
        DiscreteChecks.Apart(entropic, b, "outputs");
        DiscreteChecks.Apart(entropic, costs, "outputs");
        DiscreteChecks.Apart(entropic, outputs.Plan, "outputs", "Plan");
        DiscreteChecks.Apart(entropic, outputs.PotentialF, "outputs", "PotentialF");
        DiscreteChecks.Apart(entropic, outputs.PotentialG, "outputs", "PotentialG");
    }

    /// <summary>
    /// <paramref name="batch"/> problems at once, spread over threads (each problem gives the same bits as a single call):
    /// weights batch × n and batch × m (or empty for uniform), costs one n × m matrix shared by all or batch × n × m.
    /// </summary>
    /// <param name="a">Row weights, batch × n, or empty for uniform.</param>
    /// <param name="b">Column weights, batch × m, or empty for uniform.</param>
    /// <param name="costs">One cost matrix n × m for every problem, or batch × n × m.</param>
    /// <param name="batch">The number of problems.</param>
    /// <param name="rows">n.</param>
    /// <param name="columns">m.</param>
    /// <param name="reg">The entropic regularisation, positive.</param>
    /// <param name="results">Receives each problem's result (length batch): <c>⟨P, M⟩</c> and how its run went.</param>
    /// <param name="outputs">What to write, the problems' outputs one after another; empty spans are skipped.</param>
    /// <param name="options">Tolerance and budget, per problem; null for <see cref="DefaultOptions"/>.</param>
    /// <exception cref="ArgumentException">A shape, a weight, the sums, reg, a cost or an output length is not valid (the exception names it).</exception>
    /// <exception cref="SinkhornNotConvergedException">A problem did not converge (the first in order) and <see cref="SinkhornOptions.ThrowIfNotConverged"/> is set.</exception>
    public static void Batch(ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> costs, int batch, int rows, int columns, double reg,
        Span<SinkhornResult> results, in DiscreteSinkhornOutputs<double> outputs = default, SinkhornOptions? options = null) =>
        DiscreteEngine<double, DiscreteWidthsD>.Batch(a, b, costs, batch, rows, columns, reg, results, outputs.Plan, outputs.PotentialF, outputs.PotentialG,
            outputs.EntropicValue, options ?? DefaultOptions);

    /// <inheritdoc cref="Batch(ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, int, int, int, double, Span{SinkhornResult}, in DiscreteSinkhornOutputs{double}, SinkhornOptions?)"/>
    /// <remarks>Options null: <see cref="FloatDefaultOptions"/> (tolerance 1e-5).</remarks>
    public static void Batch(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> costs, int batch, int rows, int columns, double reg,
        Span<SinkhornResult> results, in DiscreteSinkhornOutputs<float> outputs = default, SinkhornOptions? options = null) =>
        DiscreteEngine<float, DiscreteWidthsF>.Batch(a, b, costs, batch, rows, columns, reg, results, outputs.Plan, outputs.PotentialF, outputs.PotentialG,
            outputs.EntropicValue, options ?? FloatDefaultOptions);
}
