using System.Collections.Generic;
using KernelDsl.Language.Ir;

namespace KernelDsl.Language.Binding;

/// <summary>
/// What a graph input of a sample formula stands for. A cloud enters the graph once per role it plays and per pairing it
/// is used in: x as the first point of a pair (axes (i, k)) and as the second (axes (j, k)) are two leaves, and so are x_i
/// paired with x and x_i paired with y. The gradient of a cloud is the sum of its leaves' gradients (a leaf in role j is
/// indexed by j, over the same points). Keeping pairings apart means a node never mixes two clouds on one axis, so the
/// extent of every axis of every node is known from its leaves.
/// </summary>
internal readonly struct SampleLeaf
{
    internal SampleLeaf(int cloud, bool isWeight, Axes role, int pairI, int pairJ, int companion = -1)
    {
        Companion = companion;
        Cloud = cloud;
        IsWeight = isWeight;
        Role = role;
        PairI = pairI;
        PairJ = pairJ;
    }

    /// <summary>The cloud (its position among the formula's clouds); for a companion, the cloud it goes with.</summary>
    public int Cloud { get; }

    /// <summary>-1, or the companion (<c>s: vectors(x)</c>, its position among the companions) this leaf reads at the cloud's
    /// point in the leaf's role (axes: the role and k, as the points).</summary>
    public int Companion { get; }

    /// <summary>True for the cloud's weights (axes: the role), false for its points (axes: the role and k).</summary>
    public bool IsWeight { get; }

    /// <summary>I when the cloud is the first point of the pair, J when it is the second.</summary>
    public Axes Role { get; }

    /// <summary>The cloud on axis i of the pairing this leaf belongs to.</summary>
    public int PairI { get; }

    /// <summary>The cloud on axis j of the pairing, or -1 for a term of one cloud.</summary>
    public int PairJ { get; }
}

/// <summary>What a reduction of a sample formula does, for the planner and emitter that will compile them.</summary>
internal sealed class SampleReduction
{
    internal SampleReduction(string name, Axes axes, int cloudI, int cloudJ, bool weighted, bool offDiagonal, Node result)
    {
        Name = name;
        Axes = axes;
        CloudI = cloudI;
        CloudJ = cloudJ;
        Weighted = weighted;
        OffDiagonal = offDiagonal;
        Result = result;
    }

    /// <summary>As written: sum, mean, logsumexp, max, min, sum_j, mean_j, logsumexp_j, umean.</summary>
    public string Name { get; }

    /// <summary>The axes it removes: (i, j) over all pairs, (j) per point, (i) over the points of a per-point term.</summary>
    public Axes Axes { get; }

    /// <summary>The cloud on axis i (-1 when i is not reduced and not present).</summary>
    public int CloudI { get; }

    /// <summary>The cloud on axis j, or -1.</summary>
    public int CloudJ { get; }

    /// <summary>True when a cloud of the reduction carries weights (sums weigh each point, means divide by the weights' sum).</summary>
    public bool Weighted { get; }

    /// <summary>True for a U-statistic (umean): the pairs i = j are left out.</summary>
    public bool OffDiagonal { get; }

    /// <summary>The node holding its result.</summary>
    public Node Result { get; }
}

/// <summary>
/// An entropic optimal-transport formula, <c>sinkhorn(c(x, y), ε)</c> or <c>sinkhorn_divergence(c(x, y), ε)</c>: the whole
/// body of its formula. The cost is a pair term over the points of two distinct clouds (axes (i, j), no weights or
/// companions); ε a scalar of the parameters and literals.
/// </summary>
internal sealed class SampleTransport
{
    internal SampleTransport(bool debiased, Node cost, Node epsilon, int cloudI, int cloudJ)
    {
        Debiased = debiased;
        Cost = cost;
        Epsilon = epsilon;
        CloudI = cloudI;
        CloudJ = cloudJ;
    }

    /// <summary>True for <c>sinkhorn_divergence</c> (OT_ε(a, b) - OT_ε(a, a)/2 - OT_ε(b, b)/2), false for <c>sinkhorn</c> (OT_ε(a, b)).</summary>
    public bool Debiased { get; }

    /// <summary>The cost c(x_i, y_j), a node over (i, j) with x on i and y on j.</summary>
    public Node Cost { get; }

    /// <summary>ε, a scalar node of parameters and literals.</summary>
    public Node Epsilon { get; }

    /// <summary>The cloud x on axis i (the first marginal).</summary>
    public int CloudI { get; }

    /// <summary>The cloud y on axis j (the second marginal).</summary>
    public int CloudJ { get; }

    /// <summary>The function's name as written.</summary>
    public string Name => Debiased ? "sinkhorn_divergence" : "sinkhorn";
}

/// <summary>
/// A bound sample formula (inputs declared <c>x: points</c>): the DAG over the axes i, j, k, its output and what each
/// graph input stands for. All clouds share the feature dimension d (the axis k).
/// </summary>
internal sealed class BoundSampleFormula
{
    internal BoundSampleFormula(Graph graph, Node? output, IReadOnlyList<string> clouds, IReadOnlyList<string?> weights,
        IReadOnlyList<SampleLeaf> leaves, int outputCloud, IReadOnlyList<SampleReduction> reductions,
        IReadOnlyList<string>? companionNames = null, IReadOnlyList<int>? companionClouds = null)
    {
        CompanionNames = companionNames ?? System.Array.Empty<string>();
        CompanionClouds = companionClouds ?? System.Array.Empty<int>();
        Graph = graph;
        Output = output;
        CloudNames = clouds;
        WeightNames = weights;
        Leaves = leaves;
        OutputCloud = outputCloud;
        Reductions = reductions;
    }

    /// <summary>The DAG; its inputs are the leaves (<see cref="Leaves"/>), named e.g. x_i, x_j, a_i.</summary>
    public Graph Graph { get; }

    /// <summary>The value, or null after an error: a scalar, or a per-point field over the cloud <see cref="OutputCloud"/>.</summary>
    public Node? Output { get; }

    /// <summary>The point clouds, in header order.</summary>
    public IReadOnlyList<string> CloudNames { get; }

    /// <summary>Per cloud, the name of its weights (<c>x: points(a)</c>), or null for uniform weights.</summary>
    public IReadOnlyList<string?> WeightNames { get; }

    /// <summary>The companions (<c>s: vectors(x)</c>: d numbers per point of a cloud), in header order.</summary>
    public IReadOnlyList<string> CompanionNames { get; }

    /// <summary>Per companion, the cloud whose points it goes with.</summary>
    public IReadOnlyList<int> CompanionClouds { get; }

    /// <summary>Per graph input, the cloud, role and pairing it stands for.</summary>
    public IReadOnlyList<SampleLeaf> Leaves { get; }

    /// <summary>-1 for a scalar formula; else the cloud whose points the per-point output ranges over (axes (i)).</summary>
    public int OutputCloud { get; }

    /// <summary>True for a vector field: a d-vector per point of <see cref="OutputCloud"/> (output axes (i, k)).</summary>
    public bool OutputIsVector => OutputCloud >= 0 && Output != null && Output.Axes.Contains(Axes.K);

    /// <summary>The output's axes: () for a scalar, (i) for a per-point field, (i, k) for a vector field.</summary>
    public Axes OutputAxes => OutputCloud < 0 ? Axes.None : OutputIsVector ? Axes.I | Axes.K : Axes.I;

    /// <summary>Every reduction the formula writes, in the order they were bound.</summary>
    public IReadOnlyList<SampleReduction> Reductions { get; }

    /// <summary>
    /// The transport when the body is <c>sinkhorn(...)</c> or <c>sinkhorn_divergence(...)</c>, else null. Then
    /// <see cref="Output"/> is its ε (a scalar of the parameters; the value is the solver's, not a node's).
    /// </summary>
    public SampleTransport? Transport { get; internal set; }
}
