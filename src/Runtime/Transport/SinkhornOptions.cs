using System;

namespace KernelDsl;

/// <summary>
/// How an entropic optimal-transport solve between point clouds runs (the GeomLoss scheme): ε-scaling from the clouds'
/// diameter down to the target ε, symmetric log-domain updates, then updates at the target ε until the marginals hold to
/// <see cref="Tolerance"/> or <see cref="MaxIterations"/> is reached. The defaults suit weights that sum to 1.
/// </summary>
public sealed class SinkhornOptions
{
    /// <summary>The defaults: scaling 0.5, cost exponent 2, tolerance 1e-5, at most 1,000 iterations.</summary>
    public static SinkhornOptions Default { get; } = new();

    /// <summary>
    /// The ε-scaling factor on the blur scale (GeomLoss's <c>scaling</c>): ε is multiplied by
    /// <c>Scaling^CostExponent</c> per annealing step. In (0, 1); 0.5 by default (0.9 converges more surely, slower).
    /// </summary>
    public double Scaling { get; init; } = 0.5;

    /// <summary>The exponent p of the cost in the blur (ε = blur^p), used only for the annealing steps; 2 by default (|x - y|² / 2).</summary>
    public double CostExponent { get; init; } = 2;

    /// <summary>
    /// The stopping rule at the target ε: the L1 error of the marginal that the last update did not enforce, in the units of
    /// the weights (their sums), for each transport problem solved (the debiasing ones included). 1e-5 by default; float
    /// reaches about 1e-6 at best.
    /// </summary>
    public double Tolerance { get; init; } = 1e-5;

    /// <summary>The most updates in all, annealing included; 1,000 by default. A run that reaches it reports <see cref="SinkhornResult.Converged"/> false.</summary>
    public int MaxIterations { get; init; } = 1000;

    /// <summary>When set, a run that does not converge throws <see cref="SinkhornNotConvergedException"/> instead of returning a result that says so.</summary>
    public bool ThrowIfNotConverged { get; init; }

    internal void Validate()
    {
        if (!(Scaling > 0 && Scaling < 1)) throw new ArgumentOutOfRangeException(nameof(Scaling), Scaling, "The ε-scaling factor must lie in (0, 1).");
        if (!(CostExponent > 0) || double.IsInfinity(CostExponent)) throw new ArgumentOutOfRangeException(nameof(CostExponent), CostExponent, "The cost exponent must be positive and finite.");
        if (!(Tolerance >= 0)) throw new ArgumentOutOfRangeException(nameof(Tolerance), Tolerance, "The tolerance must be zero or positive.");
        if (MaxIterations < 1) throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "At least one iteration is needed.");
    }
}

/// <summary>What an entropic optimal-transport solve returns: the value, and how far the solver got.</summary>
/// <param name="Value">The value (the divergence, or OT_ε), accumulated in double.</param>
/// <param name="Iterations">The updates run, annealing included.</param>
/// <param name="MarginalError">The largest L1 marginal error over the problems solved, at the end.</param>
/// <param name="Converged">Whether <paramref name="MarginalError"/> reached the tolerance within the iteration budget.</param>
/// <param name="Epsilon">The target ε the value is for.</param>
public readonly record struct SinkhornResult(double Value, int Iterations, double MarginalError, bool Converged, double Epsilon)
{
    /// <summary>The value when the run converged; otherwise throws <see cref="SinkhornNotConvergedException"/>.</summary>
    public double ConvergedValue => Converged ? Value : throw new SinkhornNotConvergedException(this);
}

/// <summary>A Sinkhorn solve stopped at its iteration budget before its marginals reached the tolerance.</summary>
public sealed class SinkhornNotConvergedException : Exception
{
    /// <summary>Creates the exception for a result.</summary>
    public SinkhornNotConvergedException(SinkhornResult result)
        : base($"Sinkhorn did not converge: marginal error {result.MarginalError:G3} after {result.Iterations} iterations at ε = {result.Epsilon:G4}. " +
               "Raise MaxIterations, the tolerance, ε (the blur), or the scaling (closer to 1).") => Result = result;

    /// <summary>The result of the run that stopped.</summary>
    public SinkhornResult Result { get; }
}
