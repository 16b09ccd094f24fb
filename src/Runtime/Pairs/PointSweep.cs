using System;
using System.ComponentModel;
using System.Numerics;

namespace KernelDsl.Runtime;

/// <summary>
/// A term of one point of a sample formula, <c>h(u)</c> of one feature u of a point (the formula's parameters and the
/// row's row-level inputs folded in), summed over the features and the points: <c>Σ_i a_i Σ_k h(x_ik)</c>, e.g. the
/// <c>mean(sum_k(abs(e - y)))</c> of a CRPS. The generator emits one small struct per term; it computes in double.
/// A contract between the generator and the runtime.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IPointTerm
{
    /// <summary><c>h(u)</c>.</summary>
    double Value(double u);

    /// <summary><c>dh/du</c> at u.</summary>
    double Slope(double u);
}

/// <summary>
/// The sums of terms of one point (<see cref="IPointTerm"/>) over a row-major cloud of d features per point, and their
/// gradients: one pass in index order, in double, on the calling thread (O(n d), no allocation). A contract between the
/// generator and the runtime.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class PointSweep
{
    /// <summary><c>Σ_i a_i Σ_k h(x_ik)</c> (a empty: weights 1).</summary>
    public static double Sum<TTerm, T>(in TTerm term, ReadOnlySpan<T> x, ReadOnlySpan<T> a, int d)
        where TTerm : struct, IPointTerm where T : unmanaged, INumberBase<T>
    {
        double total = 0;
        int n = x.Length / d;
        for (int i = 0; i < n; i++)
        {
            double row = 0;
            for (int k = i * d, end = k + d; k < end; k++) row += term.Value(double.CreateTruncating(x[k]));
            total += a.IsEmpty ? row : double.CreateTruncating(a[i]) * row;
        }
        return total;
    }

    /// <summary>Adds <c>scale · a_i h'(x_ik)</c> to <c>gradX[i d + k]</c>: <c>scale · ∂S/∂x</c> of the sum of <see cref="Sum{TTerm, T}"/>.</summary>
    public static void AddGradient<TTerm, T>(in TTerm term, ReadOnlySpan<T> x, ReadOnlySpan<T> a, int d, double scale, Span<T> gradX)
        where TTerm : struct, IPointTerm where T : unmanaged, INumberBase<T>
    {
        int n = x.Length / d;
        for (int i = 0; i < n; i++)
        {
            double s = a.IsEmpty ? scale : scale * double.CreateTruncating(a[i]);
            for (int k = i * d, end = k + d; k < end; k++)
                gradX[k] = T.CreateTruncating(double.CreateTruncating(gradX[k]) + s * term.Slope(double.CreateTruncating(x[k])));
        }
    }
}
