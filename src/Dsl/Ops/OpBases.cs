using KernelDsl.Language.Ir;

namespace KernelDsl.Language.Ops;

/// <summary>A pointwise op of one argument.</summary>
internal abstract class UnaryOp : Op
{
    /// <inheritdoc/>
    public override int Arity => 1;

    /// <summary>The function in double.</summary>
    protected abstract double Eval(double x);

    /// <inheritdoc/>
    public override double Evaluate(Node node, double[] args) => Eval(args[0]);

    /// <summary>d(node)/dx, built in <paramref name="g"/> from the argument <paramref name="x"/> and the node itself <paramref name="y"/>.</summary>
    protected abstract Node? D(Graph g, Node x, Node y);

    /// <inheritdoc/>
    public override Node? Derivative(Graph g, Node node, int arg) => D(g, g[node.Args[0]], node);

    /// <inheritdoc/>
    public override (double Low, double High)[] TestDomain => new[] { (-3.0, 3.0) };
}

/// <summary>A pointwise op of two arguments.</summary>
internal abstract class BinaryOp : Op
{
    /// <inheritdoc/>
    public override int Arity => 2;

    /// <summary>The function in double.</summary>
    protected abstract double Eval(double a, double b);

    /// <inheritdoc/>
    public override double Evaluate(Node node, double[] args) => Eval(args[0], args[1]);

    /// <summary>d(node)/da when <paramref name="arg"/> is 0, d(node)/db when 1; <paramref name="y"/> is the node itself.</summary>
    protected abstract Node? D(Graph g, Node a, Node b, Node y, int arg);

    /// <inheritdoc/>
    public override Node? Derivative(Graph g, Node node, int arg) => D(g, g[node.Args[0]], g[node.Args[1]], node, arg);
}

/// <summary>A leaf: constant, input, parameter or the support length.</summary>
internal sealed class LeafOp : Op
{
    internal LeafOp(string name) => Name = name;

    /// <inheritdoc/>
    public override string Name { get; }

    /// <inheritdoc/>
    public override int Arity => 0;

    /// <inheritdoc/>
    public override OpKind Kind => OpKind.Leaf;
}
