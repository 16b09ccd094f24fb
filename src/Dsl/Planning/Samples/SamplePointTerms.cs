using System.Collections.Generic;
using KernelDsl.Language.Ir;

namespace KernelDsl.Language.Planning.Samples;

/// <summary>
/// A term of one point <c>h(u)</c>: a formula of one feature u of a point (the input of <see cref="Graph"/>), the
/// formula's parameters and its row-level inputs, with its derivative <c>h'(u)</c> from the differentiator.
/// </summary>
internal sealed class SamplePointTerm
{
    internal SamplePointTerm(Graph graph, Node value, Node? slope)
    {
        Graph = graph;
        Value = value;
        Slope = slope;
    }

    /// <summary>The graph of h: input 0 is u; its parameters are the formula's, then its row-level inputs.</summary>
    public Graph Graph { get; }

    /// <summary>h(u).</summary>
    public Node Value { get; }

    /// <summary>dh/du, or null when h does not depend on u.</summary>
    public Node? Slope { get; }

    /// <summary>h in infix form, u named <c>u</c>.</summary>
    public string Describe() => PlanPrinter.Formula(Graph, Value);
}

/// <summary>
/// One reduction over the points of one cloud (not over pairs): <c>P = Σ_i w_i Σ_k h(x_ik)</c>, a pass over the cloud.
/// Its result is an epilogue scalar (<see cref="SampleScalarKind.PointSum"/>).
/// </summary>
internal sealed class SamplePointReduction
{
    internal SamplePointReduction(int term, int cloud, bool weighted)
    {
        Term = term;
        Cloud = cloud;
        Weighted = weighted;
    }

    /// <summary>The term's position in <see cref="SamplePointPart.Terms"/>.</summary>
    public int Term { get; }

    /// <summary>The cloud summed over.</summary>
    public int Cloud { get; }

    /// <summary>True when each point is weighted by its cloud's weight.</summary>
    public bool Weighted { get; }
}

/// <summary>What a sample plan holds besides its pair reductions: terms of one point and row-level inputs.</summary>
internal sealed class SamplePointPart
{
    /// <summary>The distinct terms of one point.</summary>
    public List<SamplePointTerm> Terms { get; } = new();

    /// <summary>The reductions over the points of one cloud.</summary>
    public List<SamplePointReduction> Reductions { get; } = new();

    /// <summary>Per point reduction, <c>dV/dP</c> in the epilogue, or null when zero.</summary>
    public List<Node?> Slopes { get; } = new();
}
