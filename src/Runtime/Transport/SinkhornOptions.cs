using System;

namespace KernelDsl;

/// <summary>
/// How an entropic optimal-transport solve between point clouds runs (the GeomLoss scheme): ε-scaling from the clouds'
/// diameter down to the target ε, symmetric log-domain updates, then over-relaxed alternating updates at the target ε until
/// the marginals hold to <see cref="Tolerance"/>, the error stalls (<see cref="StallIterations"/>) or
/// <see cref="MaxIterations"/> is reached. The defaults suit weights that sum to 1.
/// </summary>
public sealed class SinkhornOptions
{
    /// <summary>
    /// The defaults: scaling 0.5, cost exponent 2, over-relaxation 1.5, tolerance 1e-3, a stall after 50 iterations
    /// without a 10% gain, at most 2,000 iterations.
    /// </summary>
    public static SinkhornOptions Default { get; } = new();

    /// <summary>
    /// The ε-scaling factor on the blur scale (GeomLoss's <c>scaling</c>): ε is multiplied by
    /// <c>Scaling^CostExponent</c> per annealing step. In (0, 1); 0.5 by default (0.9 converges more surely, slower).
    /// </summary>
    public double Scaling { get; init; } = 0.5;

    /// <summary>The exponent p of the cost in the blur (ε = blur^p), used only for the annealing steps; 2 by default (|x - y|² / 2).</summary>
    public double CostExponent { get; init; } = 2;

    /// <summary>
    /// The over-relaxation ω of the alternating updates of OT(a, b) at the target ε (Thibault, Chizat, Dossal and Papadakis,
    /// "Overrelaxed Sinkhorn-Knopp", 2017): each potential moves ω times its exact update's step,
    /// <c>f ← (1 - ω) f + ω T(g)</c>, then <c>g ← (1 - ω) g + ω T(f)</c>. In [1, 2): 1 is plain Sinkhorn; 1.5 by default.
    /// The fixed point, hence the value, is the same for every ω; above 1 the error falls faster where plain Sinkhorn
    /// crawls (small ε: measured 2 to 4 times fewer iterations at 1.5). Convergence is local: 1.8 and above diverged on
    /// some measured clouds (the stall rule then stops the run). The annealing steps and the debiasing problems keep
    /// their symmetric averaged updates.
    /// </summary>
    public double Overrelaxation { get; init; } = 1.5;

    /// <summary>
    /// The stopping rule at the target ε: the L1 error of the marginals the iteration's sweeps measure, in the units of the
    /// weights (their sums), for each transport problem solved (the debiasing ones included). 1e-3 by default: with weights
    /// that sum to 1, about 0.1% of the mass out of place. The value (from potentials finished by exact updates) is
    /// stationary at the solution, so its error is second order: measured about 0.2 · tolerance² relative, the gradients
    /// within about 2 · tolerance of their largest component. Float cannot go below its floor (at most about
    /// 2^-24 · max c / ε, measured 10 to 50 times lower); a tighter tolerance stalls.
    /// </summary>
    public double Tolerance { get; init; } = 1e-3;

    /// <summary>
    /// The most updates in all, annealing included; 2,000 by default (clouds in the unit cube at blur 0.01 take about
    /// 1,100). A run that reaches it reports
    /// <see cref="SinkhornResult.Converged"/> false.
    /// </summary>
    public int MaxIterations { get; init; } = 2000;

    /// <summary>
    /// The stall rule at the target ε: a run whose marginal error has not fallen below 90% of its best for this many
    /// iterations stops and reports <see cref="SinkhornResult.Stalled"/> (and <see cref="SinkhornResult.Converged"/> false):
    /// more iterations would not reach the tolerance, because float rounding puts a floor above it or because the
    /// iteration crawls (a small ε for the clouds' spread). 50 by default (20 stopped runs that converged later);
    /// 0 turns the rule off (then only <see cref="MaxIterations"/> stops a run that does not converge).
    /// </summary>
    public int StallIterations { get; init; } = 50;

    /// <summary>When set, a run that does not converge throws <see cref="SinkhornNotConvergedException"/> instead of returning a result that says so.</summary>
    public bool ThrowIfNotConverged { get; init; }

    /// <summary>A copy of these options, every property kept except <see cref="ThrowIfNotConverged"/>, which is set as given.</summary>
    internal SinkhornOptions With(bool throwIfNotConverged) => new()
    {
        Scaling = Scaling, CostExponent = CostExponent, Overrelaxation = Overrelaxation, Tolerance = Tolerance,
        MaxIterations = MaxIterations, StallIterations = StallIterations, ThrowIfNotConverged = throwIfNotConverged,
    };

    internal void Validate()
    {
        if (!(Scaling > 0 && Scaling < 1)) throw new ArgumentOutOfRangeException(nameof(Scaling), Scaling, "The ε-scaling factor must lie in (0, 1).");
        if (!(CostExponent > 0) || double.IsInfinity(CostExponent)) throw new ArgumentOutOfRangeException(nameof(CostExponent), CostExponent, "The cost exponent must be positive and finite.");
        if (!(Overrelaxation >= 1 && Overrelaxation < 2)) throw new ArgumentOutOfRangeException(nameof(Overrelaxation), Overrelaxation, "The over-relaxation must lie in [1, 2).");
        if (!(Tolerance >= 0)) throw new ArgumentOutOfRangeException(nameof(Tolerance), Tolerance, "The tolerance must be zero or positive.");
        if (MaxIterations < 1) throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "At least one iteration is needed.");
        if (StallIterations < 0) throw new ArgumentOutOfRangeException(nameof(StallIterations), StallIterations, "The stall window must be zero (off) or positive.");
    }
}

/// <summary>What an entropic optimal-transport solve returns: the value, and how far the solver got.</summary>
/// <param name="Value">The value (the divergence, or OT_ε), accumulated in double.</param>
/// <param name="Iterations">The updates run, annealing included.</param>
/// <param name="MarginalError">The largest L1 marginal error over the problems solved, at the end.</param>
/// <param name="Converged">Whether <paramref name="MarginalError"/> reached the tolerance within the iteration budget.</param>
/// <param name="Epsilon">The target ε the value is for.</param>
/// <param name="Stalled">
/// Whether the run stopped because its marginal error had stopped falling (<see cref="SinkhornOptions.StallIterations"/>)
/// above the tolerance: more iterations would not have converged (in float, usually its precision floor at this ε).
/// </param>
public readonly record struct SinkhornResult(double Value, int Iterations, double MarginalError, bool Converged, double Epsilon, bool Stalled = false)
{
    /// <summary>The value when the run converged; otherwise throws <see cref="SinkhornNotConvergedException"/>.</summary>
    public double ConvergedValue => Converged ? Value : throw new SinkhornNotConvergedException(this);

    // The record's ToString lists the positional members only: ConvergedValue throws for a run that did not converge,
    // and a ToString (a log line, a debugger) must not.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append(System.FormattableString.Invariant(
            $"Value = {Value:R}, Iterations = {Iterations}, MarginalError = {MarginalError:G3}, Converged = {Converged}, Epsilon = {Epsilon:R}, Stalled = {Stalled}"));
        return true;
    }
}

/// <summary>A Sinkhorn solve stopped (at its iteration budget, or stalled) before its marginals reached the tolerance.</summary>
public sealed class SinkhornNotConvergedException : Exception
{
    /// <summary>Creates the exception for a result.</summary>
    public SinkhornNotConvergedException(SinkhornResult result)
        : base(Describe(result)) => Result = result;

    /// <summary>The result of the run that stopped.</summary>
    public SinkhornResult Result { get; }

    private static string Describe(SinkhornResult result) => result.Stalled
        ? $"Sinkhorn stalled: marginal error {result.MarginalError:G3} stopped falling after {result.Iterations} iterations at ε = {result.Epsilon:G4}, " +
          "above the tolerance. The likely cause is float precision at this ε (the potentials' rounding puts a floor of up to " +
          "2^-24 · max c / ε under the marginal error): use double, a larger blur (ε), or a larger tolerance. In double, the " +
          "iteration crawls at this ε for these clouds: raise the blur, the tolerance or StallIterations."
        : $"Sinkhorn did not converge: marginal error {result.MarginalError:G3} after {result.Iterations} iterations at ε = {result.Epsilon:G4}. " +
          "Raise MaxIterations, the tolerance, ε (the blur), or the scaling (closer to 1).";
}
