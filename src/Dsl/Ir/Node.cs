namespace KernelDsl.Language.Ir;

/// <summary>
/// A node of the hash-consed DAG. Nodes are immutable and created only by <see cref="Graph"/>, which returns the existing
/// node for an equal (op, arguments, payload) triple, so equal subexpressions are one node. Ids grow in topological order.
/// Every node knows the index axes it ranges over (<see cref="Axes"/>), and a reduction the axes it removes.
/// </summary>
internal sealed class Node
{
    internal Node(int id, Op op, int[] args, double constant, int index, Axes axes, Axes reduced)
    {
        Id = id;
        Op = op;
        Args = args;
        Constant = constant;
        Index = index;
        Axes = axes;
        Reduced = reduced;
    }

    /// <summary>Position in <see cref="Graph.Nodes"/>; every argument has a smaller id.</summary>
    public int Id { get; }

    /// <summary>The operation.</summary>
    public Op Op { get; }

    /// <summary>Argument node ids.</summary>
    public int[] Args { get; }

    /// <summary>The value of a constant.</summary>
    public double Constant { get; }

    /// <summary>
    /// Input or parameter index, the integer exponent of <c>powi</c>, or the position of the axis a length leaf counts
    /// (<see cref="Ir.Axes.Position"/>: 0 for the support i).
    /// </summary>
    public int Index { get; }

    /// <summary>
    /// The index axes the node ranges over: a leaf's own (an input: i; the element index: i; a constant, parameter,
    /// row-level input or length: none), the union of the arguments' axes for a pointwise node, the argument's axes minus
    /// <see cref="Reduced"/> for a reduction. Empty for a scalar.
    /// </summary>
    public Axes Axes { get; }

    /// <summary>For a reduction, the axes it removes (its payload: sum over i, sum over (i, j)...); empty for any other node.</summary>
    public Axes Reduced { get; }

    /// <summary>True when the node ranges over the support i (what the emitters' loops run over); false for a scalar.</summary>
    public bool IsVector => Axes.Contains(Axes.I);

    /// <summary>True when the node has no axis: one value (per row).</summary>
    public bool IsScalar => Axes.IsEmpty;

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
