using System.Collections.Generic;
using System.Text;
using KernelDsl.Language.Ops;

namespace KernelDsl.Language.Ir;

/// <summary>
/// The hash-consed DAG. Every node is made through <c>Make</c>, which first applies the simplifier's rewrites
/// (<see cref="Calculus.Simplifier"/>) and then returns the existing node when an equal one exists.
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

    /// <summary>Row-level input number <paramref name="index"/>: a scalar known before any pass.</summary>
    public Node RowInput(int index) => Intern(OpTable.RowInput, System.Array.Empty<int>(), 0, index, Shape.Scalar);

    /// <summary>The index of each element in the support (0, 1, ..., n - 1): what a label is compared with.</summary>
    public Node ElementIndex() => Intern(OpTable.ElementIndex, System.Array.Empty<int>(), 0, 0, Shape.Vector);

    /// <summary>Vector input names, by index.</summary>
    public IReadOnlyList<string> InputNames { get; }

    /// <summary>Scalar parameter names, by index.</summary>
    public IReadOnlyList<string> ParameterNames { get; }

    /// <summary>All nodes, in topological order (arguments first).</summary>
    public IReadOnlyList<Node> Nodes => _nodes;

    /// <summary>The node with id <paramref name="id"/>.</summary>
    public Node this[int id] => _nodes[id];

    /// <summary>A constant.</summary>
    public Node Constant(double value) => Intern(OpTable.Constant, System.Array.Empty<int>(), value, 0, Shape.Scalar);

    /// <summary>Vector input number <paramref name="index"/>.</summary>
    public Node Input(int index) => Intern(OpTable.Input, System.Array.Empty<int>(), 0, index, Shape.Vector);

    /// <summary>Scalar parameter number <paramref name="index"/>.</summary>
    public Node Parameter(int index) => Intern(OpTable.Parameter, System.Array.Empty<int>(), 0, index, Shape.Scalar);

    /// <summary>The number of elements of the support (a scalar known at run time).</summary>
    public Node Length() => Intern(OpTable.Length, System.Array.Empty<int>(), 0, 0, Shape.Scalar);

    /// <summary>Makes (or finds) <c>op(args)</c>, simplified.</summary>
    public Node Make(Op op, params Node[] args) => Make(op, 0, args);

    /// <summary>Makes (or finds) <c>op(args)</c> with an integer payload (the exponent of <c>powi</c>).</summary>
    public Node Make(Op op, int index, params Node[] args)
    {
        var simplified = Calculus.Simplifier.TryRewrite(this, op, index, args);
        if (simplified != null) return simplified;
        return MakeRaw(op, index, args);
    }

    /// <summary>Interns a node without rewrites (the simplifier's own building block).</summary>
    internal Node MakeRaw(Op op, int index, Node[] args)
    {
        // Addition and multiplication commute exactly in IEEE arithmetic: order their arguments so a+b and b+a are one node.
        if ((op == OpTable.Add || op == OpTable.Mul) && args[0].Id > args[1].Id) args = new[] { args[1], args[0] };
        var shape = Shape.Scalar;
        if (op.Kind == OpKind.Pointwise)
            foreach (var a in args)
                if (a.IsVector) shape = Shape.Vector;
        var ids = new int[args.Length];
        for (int i = 0; i < args.Length; i++) ids[i] = args[i].Id;
        return Intern(op, ids, 0, index, shape);
    }

    private Node Intern(Op op, int[] args, double constant, int index, Shape shape)
    {
        var key = new StringBuilder(op.Name).Append('|').Append(index).Append('|')
            .Append(System.BitConverter.DoubleToInt64Bits(constant));
        foreach (var a in args) key.Append(',').Append(a);
        string k = key.ToString();
        if (_index.TryGetValue(k, out var existing)) return existing;
        var node = new Node(_nodes.Count, op, args, constant, index, shape);
        _nodes.Add(node);
        _index.Add(k, node);
        return node;
    }

    /// <summary>True when <paramref name="node"/> is the constant <paramref name="value"/> (bitwise, so -0 is not 0).</summary>
    public static bool IsConstant(Node node, double value) =>
        node.Op == OpTable.Constant && System.BitConverter.DoubleToInt64Bits(node.Constant) == System.BitConverter.DoubleToInt64Bits(value);
}
