using System;
using System.Collections.Generic;
using System.Text;

namespace KernelDsl.Language.Ir;

/// <summary>
/// A set of index axes, KeOps-style: the rows of a batch (b), the support or first sample index (i), a second sample index
/// (j), the feature dimension (k). Every node ranges over a set of axes (<see cref="Node.Axes"/>): a pointwise node over the
/// union of its arguments' axes, a reduction over its argument's axes minus the ones it removes
/// (<see cref="Node.Reduced"/>). The empty set is a scalar.
/// </summary>
/// <remarks>
/// The batch axis b never appears on a node of a formula: a formula describes one row, and the batch is the outer map
/// of the whole formula (every node is implicitly per row). A row-level input is therefore a leaf without axes: one
/// value for the row, constant over its support. <see cref="B"/> names the outer map's axis for what reduces over rows
/// outside the formula: the batch's sum or mean of the row values and, by the same broadcast rule as inside a formula
/// (a parameter, which has no b, used by the row value, which has it), the sum over rows of per-row parameter gradients.
/// </remarks>
internal readonly struct Axes : IEquatable<Axes>
{
    // Bit positions, which are also the values Graph.Length stores: i first, so the support's length keeps payload 0.
    private const int PositionI = 0, PositionJ = 1, PositionK = 2, PositionB = 3;

    // Print order: b, i, j, k.
    private static readonly int[] PrintOrder = { PositionB, PositionI, PositionJ, PositionK };
    private static readonly char[] Letters = { 'i', 'j', 'k', 'b' };

    private readonly byte _bits;

    private Axes(int bits) => _bits = (byte)bits;

    /// <summary>No axis: a scalar.</summary>
    public static Axes None => default;

    /// <summary>The rows of a batch (the outer map; see the remarks on <see cref="Axes"/>).</summary>
    public static Axes B => new(1 << PositionB);

    /// <summary>The support, or the first sample index.</summary>
    public static Axes I => new(1 << PositionI);

    /// <summary>The second sample index.</summary>
    public static Axes J => new(1 << PositionJ);

    /// <summary>The feature dimension.</summary>
    public static Axes K => new(1 << PositionK);

    /// <summary>True for the empty set (a scalar).</summary>
    public bool IsEmpty => _bits == 0;

    /// <summary>The number of axes in the set.</summary>
    public int Count
    {
        get
        {
            int c = 0;
            for (int b = _bits; b != 0; b &= b - 1) c++;
            return c;
        }
    }

    /// <summary>The set as a small integer (for hash-consing keys).</summary>
    public int Bits => _bits;

    /// <summary>True when every axis of <paramref name="other"/> is in this set (the empty set is in every set).</summary>
    public bool Contains(Axes other) => (other._bits & ~_bits) == 0;

    /// <summary>True when the two sets share an axis.</summary>
    public bool Overlaps(Axes other) => (other._bits & _bits) != 0;

    /// <summary>The axes in either set.</summary>
    public Axes Union(Axes other) => new(_bits | other._bits);

    /// <summary>The axes of this set that are not in <paramref name="other"/>.</summary>
    public Axes Minus(Axes other) => new(_bits & ~other._bits);

    /// <summary>The axes in both sets.</summary>
    public Axes Intersect(Axes other) => new(_bits & other._bits);

    /// <summary>The axes of the set one at a time, in the order b, i, j, k.</summary>
    public IEnumerable<Axes> Each()
    {
        foreach (int p in PrintOrder)
            if ((_bits & (1 << p)) != 0) yield return new Axes(1 << p);
    }

    /// <summary>The position of a single axis (i = 0, j = 1, k = 2, b = 3): the payload of a length leaf.</summary>
    /// <exception cref="InvalidOperationException">The set does not hold exactly one axis.</exception>
    public int Position
    {
        get
        {
            if (Count != 1) throw new InvalidOperationException($"{this} is not a single axis.");
            int p = 0;
            while ((_bits & (1 << p)) == 0) p++;
            return p;
        }
    }

    /// <summary>The single axis at <paramref name="position"/> (the inverse of <see cref="Position"/>).</summary>
    public static Axes At(int position) =>
        position is >= 0 and <= PositionB ? new Axes(1 << position) : throw new ArgumentOutOfRangeException(nameof(position));

    /// <summary>The letters of the set without separators, in the order b, i, j, k: "ij" for (i, j), "" for a scalar.</summary>
    public string Compact()
    {
        var sb = new StringBuilder();
        foreach (int p in PrintOrder)
            if ((_bits & (1 << p)) != 0) sb.Append(Letters[p]);
        return sb.ToString();
    }

    /// <summary>The union.</summary>
    public static Axes operator |(Axes a, Axes b) => a.Union(b);

    /// <summary>The difference.</summary>
    public static Axes operator -(Axes a, Axes b) => a.Minus(b);

    /// <summary>The intersection.</summary>
    public static Axes operator &(Axes a, Axes b) => a.Intersect(b);

    /// <summary>Set equality.</summary>
    public static bool operator ==(Axes a, Axes b) => a._bits == b._bits;

    /// <summary>Set inequality.</summary>
    public static bool operator !=(Axes a, Axes b) => a._bits != b._bits;

    /// <inheritdoc/>
    public bool Equals(Axes other) => _bits == other._bits;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Axes other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _bits;

    /// <summary>The set as written in plans and messages: "()" for a scalar, "(i)", "(i, j)", "(b, i, k)".</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("(");
        foreach (int p in PrintOrder)
        {
            if ((_bits & (1 << p)) == 0) continue;
            if (sb.Length > 1) sb.Append(", ");
            sb.Append(Letters[p]);
        }
        return sb.Append(')').ToString();
    }
}
