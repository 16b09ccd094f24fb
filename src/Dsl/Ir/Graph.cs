using System.Collections.Generic;
using System.Text;
using KernelDsl.Language.Ops;

namespace KernelDsl.Language.Ir;

/// <summary>
/// The hash-consed DAG. Every node is made through <c>Make</c> (or <see cref="Reduce"/>), which first applies the simplifier's
/// rewrites (<see cref="Calculus.Simplifier"/>) and then returns the existing node when an equal one exists. The graph gives
/// every node its axes (<see cref="Node.Axes"/>): leaves their own, a pointwise node the union of its arguments', a
/// reduction its argument's minus the axes it removes, which are part of what is interned.
/// </summary>
internal sealed class Graph
{
    private readonly List<Node> _nodes = new();
    private readonly Dictionary<string, Node> _index = new();

    /// <summary>Creates an empty graph for a formula with the given inputs and parameters (and row-level inputs).</summary>
    public Graph(IReadOnlyList<string> inputs, IReadOnlyList<string> parameters,
        IReadOnlyList<string>? rowInputs = null, IReadOnlyList<RowInputKind>? rowInputKinds = null)
    {
        InputNames = inputs;
        ParameterNames = parameters;
        RowInputNames = rowInputs ?? System.Array.Empty<string>();
        RowInputKinds = rowInputKinds ?? System.Array.Empty<RowInputKind>();
    }

    /// <summary>Row-level inputs (one value per row: a weight, a mask, a label), by index.</summary>
    public IReadOnlyList<string> RowInputNames { get; }

    /// <summary>The kind of each row-level input.</summary>
    public IReadOnlyList<RowInputKind> RowInputKinds { get; }

    /// <summary>
    /// Row-level input number <paramref name="index"/>: a leaf without axes (one value for the row, known before any pass);
    /// the batch axis b is the outer map of the whole formula, not an axis on nodes (see <see cref="Axes"/>).
    /// </summary>
    public Node RowInput(int index) => Leaf(OpTable.RowInput, 0, index, Axes.None);

    /// <summary>The index of each element in the support (0, 1, ..., n - 1), axes (i): what a label is compared with.</summary>
    public Node ElementIndex() => Leaf(OpTable.ElementIndex, 0, 0, Axes.I);

    /// <summary>Vector input names, by index.</summary>
    public IReadOnlyList<string> InputNames { get; }

    /// <summary>Scalar parameter names, by index.</summary>
    public IReadOnlyList<string> ParameterNames { get; }

    /// <summary>All nodes, in topological order (arguments first).</summary>
    public IReadOnlyList<Node> Nodes => _nodes;

    /// <summary>The node with id <paramref name="id"/>.</summary>
    public Node this[int id] => _nodes[id];

    /// <summary>A constant.</summary>
    public Node Constant(double value) => Leaf(OpTable.Constant, value, 0, Axes.None);

    /// <summary>Vector input number <paramref name="index"/>: a leaf over the support, axes (i).</summary>
    public Node Input(int index) => Input(index, Axes.I);

    /// <summary>
    /// Input number <paramref name="index"/> over <paramref name="axes"/>: (i) for a vector over the support; a sample
    /// formula's point clouds are (i, k) and (j, k). An input has one set of axes; it is part of the interned key.
    /// </summary>
    public Node Input(int index, Axes axes) => Leaf(OpTable.Input, 0, index, axes);

    /// <summary>Scalar parameter number <paramref name="index"/>.</summary>
    public Node Parameter(int index) => Leaf(OpTable.Parameter, 0, index, Axes.None);

    /// <summary>The number of elements of the support (a scalar known at run time).</summary>
    public Node Length() => Length(Axes.I);

    /// <summary>The extent of the single axis <paramref name="axis"/> (a scalar known at run time): n for the support i.</summary>
    public Node Length(Axes axis) => Leaf(OpTable.Length, 0, axis.Position, Axes.None);

    /// <summary>The number of points of point cloud <paramref name="cloud"/> (a scalar known at run time).</summary>
    public Node Count(int cloud) => Make(OpTable.Count, cloud);

    /// <summary>
    /// Declares that axis <paramref name="axis"/> of input <paramref name="input"/> ranges over the points of cloud
    /// <paramref name="cloud"/> (a sample formula's leaf). An axis letter alone does not say which points it ranges over
    /// (j is x's points in k(x, x) and y's in k(x, y)); a node's leaves do, and <see cref="Extent"/> reads them.
    /// </summary>
    public void DeclareCloud(int input, Axes axis, int cloud)
    {
        _inputClouds ??= new Dictionary<(int, int), int>();
        _inputClouds[(input, axis.Position)] = cloud;
    }

    /// <summary>
    /// The extent of <paramref name="axis"/> in <paramref name="node"/>, which ranges over it: the count of the cloud its
    /// leaves put on that axis where the inputs declare clouds (<see cref="DeclareCloud"/>), else the axis's length
    /// (<see cref="Length(Axes)"/>: n for the support, d for the features).
    /// </summary>
    public Node Extent(Node node, Axes axis)
    {
        int cloud = CloudOn(node, axis);
        return cloud >= 0 ? Count(cloud) : Length(axis);
    }

    /// <summary>
    /// The cloud whose points <paramref name="axis"/> ranges over in <paramref name="node"/>, read from its leaves, or -1
    /// where no leaf under it declares one (every formula over a support, and the feature axis k).
    /// </summary>
    public int CloudOn(Node node, Axes axis)
    {
        if (_inputClouds == null || !node.Axes.Contains(axis)) return -1;
        int p = axis.Position;
        _clouds[p] ??= new List<int>();
        var known = _clouds[p]!;
        // Ids are topological: fill the table forward up to the node, each from its first argument over the axis (the
        // binder never lets one node mix two clouds on an axis), without recursion.
        for (int id = known.Count; id <= node.Id; id++)
        {
            var n = _nodes[id];
            int c = -1;
            if (n.Op == OpTable.Input) c = _inputClouds.TryGetValue((n.Index, p), out int declared) ? declared : -1;
            else if (n.Axes.Contains(axis))
                foreach (var a in n.Args)
                    if (known[a] >= 0) { c = known[a]; break; }
            known.Add(n.Axes.Contains(axis) ? c : -1);
        }
        return known[node.Id];
    }

    private Dictionary<(int Input, int Position), int>? _inputClouds; // (input, axis position) → cloud
    private readonly List<int>?[] _clouds = new List<int>?[4];        // per axis position, per node id: CloudOn, -1 for none

    /// <summary>Makes (or finds) <c>op(args)</c>, simplified; a reduction removes the support i.</summary>
    public Node Make(Op op, params Node[] args) => Make(op, 0, args);

    /// <summary>Makes (or finds) <c>op(args)</c> with an integer payload (the exponent of <c>powi</c>); a reduction removes i.</summary>
    public Node Make(Op op, int index, params Node[] args) =>
        Make(op, index, op.Kind == OpKind.Reduction ? Axes.I : Axes.None, args);

    /// <summary>Makes (or finds) the reduction <paramref name="op"/> of <paramref name="arg"/> over <paramref name="axes"/>, simplified.</summary>
    public Node Reduce(Op op, Axes axes, Node arg)
    {
        if (op.Kind != OpKind.Reduction) throw new System.ArgumentException($"{op.Name} is not a reduction.", nameof(op));
        if (axes.IsEmpty) throw new System.ArgumentException("A reduction removes at least one axis.", nameof(axes));
        return Make(op, 0, axes, new[] { arg });
    }

    private Node Make(Op op, int index, Axes reduced, Node[] args)
    {
        var simplified = Calculus.Simplifier.TryRewrite(this, op, index, reduced, args);
        if (simplified != null) return simplified;
        return MakeRaw(op, index, reduced, args);
    }

    /// <summary>Interns a node without rewrites (the simplifier's own building block); a reduction removes i.</summary>
    internal Node MakeRaw(Op op, int index, Node[] args) =>
        MakeRaw(op, index, op.Kind == OpKind.Reduction ? Axes.I : Axes.None, args);

    /// <summary>Interns a node without rewrites; <paramref name="reduced"/> is the axes a reduction removes.</summary>
    internal Node MakeRaw(Op op, int index, Axes reduced, Node[] args)
    {
        // Addition and multiplication commute exactly in IEEE arithmetic: order their arguments so a+b and b+a are one node.
        if ((op == OpTable.Add || op == OpTable.Mul) && args[0].Id > args[1].Id) args = new[] { args[1], args[0] };
        var axes = Axes.None;
        foreach (var a in args) axes |= a.Axes; // pointwise: the union of the arguments' axes (a scalar is broadcast)
        if (op.Kind == OpKind.Reduction) axes -= reduced;
        else reduced = Axes.None;
        var ids = new int[args.Length];
        for (int i = 0; i < args.Length; i++) ids[i] = args[i].Id;
        return Intern(op, ids, 0, index, axes, reduced);
    }

    private Node Leaf(Op op, double constant, int index, Axes axes) =>
        Intern(op, System.Array.Empty<int>(), constant, index, axes, Axes.None);

    private Node Intern(Op op, int[] args, double constant, int index, Axes axes, Axes reduced)
    {
        var key = new StringBuilder(op.Name).Append('|').Append(index).Append('|')
            .Append(System.BitConverter.DoubleToInt64Bits(constant));
        foreach (var a in args) key.Append(',').Append(a);
        // A pointwise node's axes follow from its arguments; a leaf's and a reduction's payload are part of the key.
        if (op.Kind == OpKind.Leaf) key.Append("|a").Append(axes.Bits);
        if (!reduced.IsEmpty) key.Append("|r").Append(reduced.Bits);
        string k = key.ToString();
        if (_index.TryGetValue(k, out var existing)) return existing;
        var node = new Node(_nodes.Count, op, args, constant, index, axes, reduced);
        _nodes.Add(node);
        _index.Add(k, node);
        return node;
    }

    /// <summary>True when <paramref name="node"/> is the constant <paramref name="value"/> (bitwise, so -0 is not 0).</summary>
    public static bool IsConstant(Node node, double value) =>
        node.Op == OpTable.Constant && System.BitConverter.DoubleToInt64Bits(node.Constant) == System.BitConverter.DoubleToInt64Bits(value);
}
