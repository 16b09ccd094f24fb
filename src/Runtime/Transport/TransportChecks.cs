using System;
using System.ComponentModel;
using System.Numerics;

namespace KernelDsl.Runtime;

/// <summary>
/// The weight checks of a generated transport entry point, under the names the formula gives its weights: each weight
/// positive and finite, and both clouds of the same mass (a cloud without weights is uniform, of mass 1), as the Sinkhorn
/// solver requires. The solver checks them again under fixed names; the generated code calls this first so that an error
/// names a parameter the caller's method has.
/// </summary>
/// <remarks>A contract between the generator and the runtime.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class TransportChecks
{
    /// <summary>The relative difference allowed between the two masses, float (the solver's).</summary>
    public const double FloatMassTolerance = 1e-5;

    /// <summary>The relative difference allowed between the two masses, double (the solver's).</summary>
    public const double DoubleMassTolerance = 1e-9;

    /// <summary>
    /// Checks the weights of both clouds: each positive and finite, one per point, and the two sums equal within
    /// <paramref name="tolerance"/> (relative to the larger). An empty span is a cloud without weights (uniform, mass 1);
    /// its name is then the cloud's, used in the message only.
    /// </summary>
    /// <param name="a">The weights of the first cloud, or empty.</param>
    /// <param name="n">The points of the first cloud.</param>
    /// <param name="aName">The name of <paramref name="a"/> (of the first cloud when <paramref name="a"/> is empty).</param>
    /// <param name="b">The weights of the second cloud, or empty.</param>
    /// <param name="m">The points of the second cloud.</param>
    /// <param name="bName">The name of <paramref name="b"/> (of the second cloud when <paramref name="b"/> is empty).</param>
    /// <param name="tolerance">The relative difference allowed between the sums.</param>
    /// <exception cref="ArgumentException">
    /// A weight is not positive and finite, or not one per point (the exception names its span), or the sums differ
    /// (it names the second cloud's weights, or the first's when the second has none).
    /// </exception>
    public static void Masses<T>(ReadOnlySpan<T> a, int n, string aName, ReadOnlySpan<T> b, int m, string bName, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double massA = Mass(a, n, aName), massB = Mass(b, m, bName);
        if (Math.Abs(massA - massB) <= tolerance * Math.Max(massA, massB)) return;
        string sa = a.IsEmpty ? $"'{aName}' has no weights (uniform, mass 1)" : $"Σ{aName} = {massA:R}";
        string sb = b.IsEmpty ? $"'{bName}' has no weights (uniform, mass 1)" : $"Σ{bName} = {massB:R}";
        throw new ArgumentException(
            $"The weights' sums differ: {sa}, {sb} (balanced transport needs equal masses, within a relative {tolerance:G2}).",
            b.IsEmpty ? aName : bName);
    }

    /// <summary>The sum of a cloud's weights (1 when empty); throws unless each is positive and finite, one per point.</summary>
    private static double Mass<T>(ReadOnlySpan<T> weights, int count, string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (weights.IsEmpty) return 1.0;
        if (weights.Length != count)
            throw new ArgumentException($"'{name}' has length {weights.Length}; it holds one weight per point ({count}).", name);
        double sum = 0.0;
        for (int i = 0; i < weights.Length; i++)
        {
            double w = double.CreateTruncating(weights[i]);
            if (!(w > 0) || double.IsInfinity(w))
                throw new ArgumentException($"'{name}[{i}]' is {w:R}; transport weights must be positive and finite.", name);
            sum += w;
        }
        return sum;
    }
}
