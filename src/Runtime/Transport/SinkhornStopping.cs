namespace KernelDsl.Runtime;

/// <summary>
/// The stopping rule of Sinkhorn's iteration, shared by every backend's loop: converged when the marginal error at the
/// target ε reaches the tolerance; stalled when, at the target ε, it has not fallen below <see cref="Gain"/> times the
/// last error that did (its first value at the target ε to begin with) for <see cref="SinkhornOptions.StallIterations"/> iterations (more would not converge: float's floor, typically);
/// otherwise on at most <see cref="SinkhornOptions.MaxIterations"/> iterations, or on a NaN error.
/// </summary>
internal struct SinkhornStopping
{
    /// <summary>The fraction of the reference error the error must fall below to count as progress (a 10% gain).</summary>
    public const double Gain = 0.9;

    private readonly double _tolerance;
    private readonly int _window, _maxIterations;
    private double _reference;
    private int _since;

    /// <summary>A rule for <paramref name="options"/> (validated).</summary>
    public SinkhornStopping(SinkhornOptions options)
    {
        _tolerance = options.Tolerance;
        _window = options.StallIterations;
        _maxIterations = options.MaxIterations;
        _reference = double.PositiveInfinity;
        _since = 0;
        Converged = false;
        Stalled = false;
    }

    /// <summary>Whether the run stopped at the tolerance.</summary>
    public bool Converged { get; private set; }

    /// <summary>Whether the run stopped on a stall.</summary>
    public bool Stalled { get; private set; }

    /// <summary>
    /// Takes the error of the iteration just run (<paramref name="iterations"/> run so far; <paramref name="atTarget"/>:
    /// the iteration ran at the target ε) and says whether to stop.
    /// </summary>
    public bool Stop(double error, int iterations, bool atTarget)
    {
        if (double.IsNaN(error)) return true;
        if (atTarget && error <= _tolerance)
        {
            Converged = true;
            return true;
        }
        if (atTarget && _window > 0)
        {
            if (error < Gain * _reference)
            {
                _reference = error;
                _since = 0;
            }
            else if (++_since >= _window)
            {
                Stalled = true;
                return true;
            }
        }
        return iterations >= _maxIterations;
    }
}
