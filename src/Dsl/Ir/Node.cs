namespace KernelDsl.Language.Ir;

/// <summary>Whether a node has one value per element of the support or one value in all.</summary>
internal enum Shape
{
    /// <summary>One value (parameter, literal, reduction result, support length).</summary>
    Scalar,

    /// <summary>One value per element of the support.</summary>
    Vector,
}

/// <summary>
/// A node of the hash-consed DAG. Nodes are immutable and created only by <see cref="Graph"/>, which returns the existing
/// node for an equal (op, arguments, payload) triple, so equal subexpressions are one node. Ids grow in topological order.
/// </summary>
internal sealed class Node
{
    internal Node(int id, Op op, int[] args, double constant, int index, Shape shape)
    {
        Id = id;
        Op = op;
        Args = args;
        Constant = constant;
        Index = index;
        Shape = shape;
    }

    /// <summary>Position in <see cref="Graph.Nodes"/>; every argument has a smaller id.</summary>
    public int Id { get; }

    /// <summary>The operation.</summary>
    public Op Op { get; }

    /// <summary>Argument node ids.</summary>
    public int[] Args { get; }

    /// <summary>The value of a constant.</summary>
    public double Constant { get; }

    /// <summary>Input or parameter index, or the integer exponent of <c>powi</c>.</summary>
    public int Index { get; }

    /// <summary>Scalar or vector.</summary>
    public Shape Shape { get; }

    /// <summary>True for a vector node.</summary>
    public bool IsVector => Shape == Shape.Vector;

    /// <inheritdoc/>
    public override string ToString() => $"%{Id} = {Op.Name}";
}

/// <summary>What a row-level input holds.</summary>
internal enum RowInputKind
{
    /// <summary><c>w: row</c>: a real number per row (a weight, a temperature per example...).</summary>
    Row,

    /// <summary><c>m: mask</c>: a real per row; a row whose mask is 0 is skipped (value 0, gradient exactly 0).</summary>
    Mask,

    /// <summary><c>y: label</c>: an integer per row, the index of an element of the support; it can only index (<c>s[y]</c>).</summary>
    Label,
}
