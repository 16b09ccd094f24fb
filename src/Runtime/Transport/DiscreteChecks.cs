using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace KernelDsl.Runtime;

/// <summary>The argument checks of the discrete Sinkhorn solver: each failure names the argument.</summary>
internal static class DiscreteChecks
{
    /// <summary>Relative difference allowed between the sums of a and b (weights are often rounded to float).</summary>
    public const double SumTolerance = 1e-6;

    /// <summary>Checks the sizes, the regularisation and the options.</summary>
    public static void Shape(int rows, int columns, double reg, SinkhornOptions options)
    {
        if (rows < 1) throw new ArgumentOutOfRangeException(nameof(rows), rows, "At least one row is needed.");
        if (columns < 1) throw new ArgumentOutOfRangeException(nameof(columns), columns, "At least one column is needed.");
        if (!(reg > 0) || double.IsInfinity(reg)) throw new ArgumentOutOfRangeException(nameof(reg), reg, "The regularisation must be positive and finite.");
        options.Validate();
    }

    /// <summary>Throws when an input's length is not the one its shape requires.</summary>
    public static void Length(long length, long expected, string name, string what)
    {
        if (length != expected) throw new ArgumentException($"'{name}' has length {length}; it must have length {what} = {expected}.", name);
    }

    /// <summary>Throws when an optional output is neither empty nor of its length.</summary>
    public static void Output(long length, long expected, string name)
    {
        if (length != 0 && length != expected) throw Partials.OutputLength(name, length, expected);
    }

    /// <summary>
    /// Throws <see cref="Partials.Overlap"/> when an output shares memory with an input of another element type (the solver
    /// writes outputs while, or before, it reads the inputs). Same-type inputs go through <see cref="SpanChecks.Overlaps{T}(Span{T}, ReadOnlySpan{T})"/>.
    /// </summary>
    public static void Apart<TOut, TIn>(Span<TOut> output, ReadOnlySpan<TIn> input, string name) where TOut : unmanaged where TIn : unmanaged
    {
        if (!output.IsEmpty && ((ReadOnlySpan<byte>)MemoryMarshal.AsBytes(output)).Overlaps(MemoryMarshal.AsBytes(input))) throw Partials.Overlap(name);
    }

    /// <summary>Throws <see cref="Partials.GradientsOverlap"/> when two outputs, of any element types, share memory.</summary>
    public static void Apart<TOut, TOther>(Span<TOut> output, Span<TOther> other, string name, string otherName) where TOut : unmanaged where TOther : unmanaged
    {
        if (!output.IsEmpty && ((ReadOnlySpan<byte>)MemoryMarshal.AsBytes(output)).Overlaps(MemoryMarshal.AsBytes(other))) throw Partials.GradientsOverlap(name, otherName);
    }

    /// <summary>Throws <see cref="Partials.Overlap"/> when an output shares memory with any of the inputs.</summary>
    public static void Apart<T>(Span<T> output, ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> costs, string name)
    {
        if (SpanChecks.Overlaps(output, a, b, costs)) throw Partials.Overlap(name);
    }

    /// <summary>The exception for a cost matrix with NaN or an infinity.</summary>
    public static ArgumentException NotFinite(string name) => new($"'{name}' holds NaN or an infinity; every cost must be finite.", name);

    /// <summary>
    /// Checks the weights of <paramref name="batch"/> problems: a (batch × rows) and b (batch × columns) empty (uniform) or of
    /// their length, finite and non-negative, each problem's sums positive and equal to a relative <see cref="SumTolerance"/>.
    /// </summary>
    public static void Marginals<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, int rows, int columns, int batch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!a.IsEmpty) Length(a.Length, (long)batch * rows, nameof(a), batch == 1 ? "rows (or 0 for uniform weights)" : "batch × rows (or 0 for uniform weights)");
        if (!b.IsEmpty) Length(b.Length, (long)batch * columns, nameof(b), batch == 1 ? "columns (or 0 for uniform weights)" : "batch × columns (or 0 for uniform weights)");
        for (int k = 0; k < batch; k++)
        {
            double sumA = a.IsEmpty ? 1 : Sum(a.Slice(k * rows, rows), nameof(a), k, batch);
            double sumB = b.IsEmpty ? 1 : Sum(b.Slice(k * columns, columns), nameof(b), k, batch);
            if (Math.Abs(sumA - sumB) > SumTolerance * Math.Max(sumA, sumB))
                throw new ArgumentException($"The weights must have equal sums{Row(k, batch)}: 'a' sums to {sumA:R}, 'b' to {sumB:R}.", nameof(b));
        }
    }

    private static double Sum<T>(ReadOnlySpan<T> w, string name, int k, int batch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sum = 0;
        foreach (T x in w)
        {
            double v = double.CreateTruncating(x);
            if (!(v >= 0) || double.IsInfinity(v)) throw new ArgumentException($"'{name}' holds {v}{Row(k, batch)}; weights must be finite and non-negative.", name);
            sum += v;
        }
        if (!(sum > 0)) throw new ArgumentException($"'{name}' sums to 0{Row(k, batch)}; the weights must have a positive sum.", name);
        return sum;
    }

    private static string Row(int k, int batch) => batch == 1 ? "" : $" (problem {k})";
}
