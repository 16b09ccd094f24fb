using System;
using System.ComponentModel;

namespace KernelDsl.Runtime;

/// <summary>
/// The argument checks of generated entry points on gradient spans: length, and memory shared with the inputs. A contract
/// between the generator and the runtime.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SpanChecks
{
    /// <summary>Throws unless <paramref name="gradient"/> is empty (skipped) or has <paramref name="n"/> elements.</summary>
    /// <exception cref="ArgumentException">It is neither; the message names <paramref name="name"/>.</exception>
    public static void Length<T>(Span<T> gradient, long n, string name)
    {
        if (!gradient.IsEmpty && gradient.Length != n) throw Partials.OutputLength(name, gradient.Length, n);
    }

    /// <summary>Throws when two gradients share memory (each would overwrite the other).</summary>
    /// <exception cref="ArgumentException">They overlap; the message names both.</exception>
    public static void Apart<T>(Span<T> gradient, Span<T> other, string name, string otherName)
    {
        if (((ReadOnlySpan<T>)gradient).Overlaps(other)) throw Partials.GradientsOverlap(name, otherName);
    }

    /// <summary>True when <paramref name="gradient"/> shares memory with <paramref name="a"/>.</summary>
    public static bool Overlaps<T>(Span<T> gradient, ReadOnlySpan<T> a) => ((ReadOnlySpan<T>)gradient).Overlaps(a);

    /// <summary>True when <paramref name="gradient"/> shares memory with any of the inputs.</summary>
    public static bool Overlaps<T>(Span<T> gradient, ReadOnlySpan<T> a, ReadOnlySpan<T> b) => Overlaps(gradient, a) || Overlaps(gradient, b);

    /// <summary>True when <paramref name="gradient"/> shares memory with any of the inputs.</summary>
    public static bool Overlaps<T>(Span<T> gradient, ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> c) =>
        Overlaps(gradient, a) || Overlaps(gradient, b) || Overlaps(gradient, c);

    /// <summary>True when <paramref name="gradient"/> shares memory with any of the inputs.</summary>
    public static bool Overlaps<T>(Span<T> gradient, ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> c, ReadOnlySpan<T> d) =>
        Overlaps(gradient, a) || Overlaps(gradient, b) || Overlaps(gradient, c) || Overlaps(gradient, d);

    /// <summary>True when <paramref name="gradient"/> is exactly <paramref name="input"/>: same start, same length.</summary>
    public static bool Same<T>(Span<T> gradient, ReadOnlySpan<T> input) => Partials.SameSpan((ReadOnlySpan<T>)gradient, input);
}
