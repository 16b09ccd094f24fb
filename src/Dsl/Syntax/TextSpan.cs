namespace KernelDsl.Language.Syntax;

/// <summary>A range of characters in the formula text: <see cref="Start"/> inclusive, <see cref="Length"/> characters.</summary>
internal readonly struct TextSpan : System.IEquatable<TextSpan>
{
    /// <summary>Creates a span.</summary>
    public TextSpan(int start, int length) { Start = start; Length = length; }

    /// <summary>Index of the first character.</summary>
    public int Start { get; }

    /// <summary>Number of characters.</summary>
    public int Length { get; }

    /// <summary>Index one past the last character.</summary>
    public int End => Start + Length;

    /// <summary>The span from <paramref name="start"/> to <paramref name="end"/> (exclusive).</summary>
    public static TextSpan FromBounds(int start, int end) => new(start, end - start);

    /// <inheritdoc/>
    public bool Equals(TextSpan other) => Start == other.Start && Length == other.Length;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is TextSpan s && Equals(s);

    /// <inheritdoc/>
    public override int GetHashCode() => (Start * 397) ^ Length;

    /// <inheritdoc/>
    public override string ToString() => $"[{Start}..{End})";
}
