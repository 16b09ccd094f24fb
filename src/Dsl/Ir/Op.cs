namespace KernelDsl.Language.Ir;

/// <summary>How an op consumes its arguments.</summary>
internal enum OpKind
{
    /// <summary>Constant, input, parameter, support length.</summary>
    Leaf,

    /// <summary>Element by element (a scalar argument is broadcast).</summary>
    Pointwise,

    /// <summary>Folds its argument over the axes the node removes (<see cref="Node.Reduced"/>): over the support, a vector into a scalar.</summary>
    Reduction,
}

/// <summary>
/// One operation of the language: its name, arity, evaluation in double, derivative rule and domain. The op table
/// (<see cref="Ops.OpTable"/>) lists them; adding a function is one class and one line there.
/// </summary>
internal abstract class Op
{
    /// <summary>The name in the language (and in plan listings).</summary>
    public abstract string Name { get; }

    /// <summary>Number of arguments.</summary>
    public abstract int Arity { get; }

    /// <summary>
    /// Number of arguments a formula passes. An op may take more in the IR: a guarded op (xlogy, rel_entr) carries as its
    /// last argument the unguarded expression (x·log y), so that the value and the derivatives share its log.
    /// </summary>
    public virtual int UserArity => Arity;

    /// <summary>Builds <c>op(args)</c> from a formula's arguments (adds any IR-only arguments). Smart constructors use it too.</summary>
    public virtual Node Build(Graph g, Node[] args) => g.Make(this, args);

    /// <summary>Leaf, pointwise or reduction.</summary>
    public virtual OpKind Kind => OpKind.Pointwise;

    /// <summary>The method of <c>ISimd</c> the CPU emitter calls (for pointwise ops).</summary>
    public virtual string CpuName => Name.Substring(0, 1).ToUpperInvariant() + Name.Substring(1);

    /// <summary>True when this op's derivative is zero almost everywhere (no gradient flows through it).</summary>
    public virtual bool IsPiecewiseConstant => false;

    /// <summary>Evaluates a pointwise op in double. <paramref name="node"/> gives the payload (e.g. an integer exponent).</summary>
    public virtual double Evaluate(Node node, double[] args) => double.NaN;

    /// <summary>
    /// The partial derivative of <paramref name="node"/> with respect to argument <paramref name="arg"/>, built in
    /// <paramref name="g"/>; null means structurally zero (no dependence). The chain rule lives once, in
    /// <see cref="Calculus.Differentiator"/>.
    /// </summary>
    public virtual Node? Derivative(Graph g, Node node, int arg) => null;

    /// <summary>Where the op is defined, for the automatic derivative tests: per argument, a (low, high) range.</summary>
    public virtual (double Low, double High)[] TestDomain => new[] { (-3.0, 3.0), (-3.0, 3.0) };

    /// <inheritdoc/>
    public override string ToString() => Name;
}
