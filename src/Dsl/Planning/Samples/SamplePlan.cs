using System.Collections.Generic;
using KernelDsl.Language.Ir;

namespace KernelDsl.Language.Planning.Samples;

/// <summary>The pair feature a pair term reads: the engine sums it over the feature axis k.</summary>
internal enum SampleFeature
{
    /// <summary><c>f = Σ_k (u_k - v_k)²</c> (dist folds its square root into φ).</summary>
    SquaredDistance,

    /// <summary><c>f = Σ_k u_k v_k</c>.</summary>
    Dot,
}

/// <summary>
/// A pair term <c>φ(f)</c>: a small formula of one variable, the pair feature f (the input of <see cref="Graph"/>), and
/// the formula's parameters, with its derivative <c>φ'(f)</c> from the differentiator.
/// </summary>
internal sealed class SamplePairTerm
{
    internal SamplePairTerm(SampleFeature feature, Graph graph, Node value, Node? slope)
    {
        Feature = feature;
        Graph = graph;
        Value = value;
        Slope = slope;
    }

    /// <summary>The feature f.</summary>
    public SampleFeature Feature { get; }

    /// <summary>The graph of φ: input 0 is f, the parameters are the formula's.</summary>
    public Graph Graph { get; }

    /// <summary>φ(f).</summary>
    public Node Value { get; }

    /// <summary>dφ/df, or null when φ does not depend on f.</summary>
    public Node? Slope { get; }

    /// <summary>φ in infix form, f named <c>f</c>.</summary>
    public string Describe() => PlanPrinter.Formula(Graph, Value);
}

/// <summary>
/// One pair reduction <c>R = Σ_i Σ_j w_i w_j φ(f(u_i, v_j))</c> over the points of two clouds (one cloud with itself: a
/// self sum, with or without its diagonal i = j).
/// </summary>
internal sealed class SamplePairReduction
{
    internal SamplePairReduction(int term, int cloudI, int cloudJ, bool diagonal, bool weightedI, bool weightedJ)
    {
        Term = term;
        CloudI = cloudI;
        CloudJ = cloudJ;
        Diagonal = diagonal;
        WeightedI = weightedI;
        WeightedJ = weightedJ;
    }

    /// <summary>The pair term's position in <see cref="SamplePlan.Terms"/>.</summary>
    public int Term { get; }

    /// <summary>The cloud on axis i.</summary>
    public int CloudI { get; }

    /// <summary>The cloud on axis j.</summary>
    public int CloudJ { get; }

    /// <summary>True when the pair is a cloud with itself.</summary>
    public bool IsSelf => CloudI == CloudJ;

    /// <summary>For a self sum: true when the pairs i = j count (a V-statistic), false for the off-diagonal sum (umean).</summary>
    public bool Diagonal { get; }

    /// <summary>True when each point of the cloud on i is weighted.</summary>
    public bool WeightedI { get; }

    /// <summary>True when each point of the cloud on j is weighted.</summary>
    public bool WeightedJ { get; }
}

/// <summary>What an epilogue parameter past the formula's own parameters and the pair reductions stands for.</summary>
internal enum SampleScalarKind
{
    /// <summary>The number of points of a cloud.</summary>
    Count,

    /// <summary><c>Σ_i a_i</c>, the sum of a cloud's weights.</summary>
    WeightSum,

    /// <summary><c>Σ_i a_i²</c>.</summary>
    WeightSquareSum,

    /// <summary>A reduction over the points of one cloud; the cloud field is its position in <see cref="SamplePointPart.Reductions"/>.</summary>
    PointSum,

    /// <summary>A row-level input (one real per row); the cloud field is its position among the row-level inputs.</summary>
    RowInput,
}

/// <summary>
/// The CPU plan of a scalar sample formula: pair reductions, each a sweep of the pair engine with one pair term, and a
/// scalar epilogue over their results. The epilogue is a graph whose parameters are, in order: the formula's parameters,
/// the pair reductions' results (<see cref="Reductions"/>), then the scalars of <see cref="Scalars"/>.
/// </summary>
internal sealed class SamplePlan
{
    internal SamplePlan(IReadOnlyList<string> clouds, IReadOnlyList<string?> weights, IReadOnlyList<string> parameters,
        IReadOnlyList<SamplePairTerm> terms, IReadOnlyList<SamplePairReduction> reductions,
        IReadOnlyList<(SampleScalarKind Kind, int Cloud)> scalars, Graph epilogue, Node output, IReadOnlyList<Node?> slopes)
    {
        CloudNames = clouds;
        WeightNames = weights;
        ParameterNames = parameters;
        Terms = terms;
        Reductions = reductions;
        Scalars = scalars;
        Epilogue = epilogue;
        Output = output;
        Slopes = slopes;
    }

    /// <summary>The point clouds, in header order.</summary>
    public IReadOnlyList<string> CloudNames { get; }

    /// <summary>Per cloud, its weights' name or null.</summary>
    public IReadOnlyList<string?> WeightNames { get; }

    /// <summary>The formula's parameters, in header order.</summary>
    public IReadOnlyList<string> ParameterNames { get; }

    /// <summary>The distinct pair terms.</summary>
    public IReadOnlyList<SamplePairTerm> Terms { get; }

    /// <summary>The pair reductions; reduction r is epilogue parameter <c>ParameterNames.Count + r</c>.</summary>
    public IReadOnlyList<SamplePairReduction> Reductions { get; }

    /// <summary>The other scalars the epilogue reads (counts, weight sums), after the reductions.</summary>
    public IReadOnlyList<(SampleScalarKind Kind, int Cloud)> Scalars { get; }

    /// <summary>The epilogue graph (no inputs).</summary>
    public Graph Epilogue { get; }

    /// <summary>The value, a node of <see cref="Epilogue"/>.</summary>
    public Node Output { get; }

    /// <summary>Per reduction, <c>dV/dR_r</c> in <see cref="Epilogue"/>, or null when zero.</summary>
    public IReadOnlyList<Node?> Slopes { get; }

    /// <summary>
    /// True when no slope <c>dV/dR_r</c> reads a reduction's value (the epilogue is linear in them, as MMD² and energy
    /// distance are): the gradient sweeps can then return the values too.
    /// </summary>
    public bool LinearEpilogue
    {
        get
        {
            int first = ParameterNames.Count, last = first + Reductions.Count;
            foreach (var slope in Slopes)
            {
                if (slope == null) continue;
                foreach (var n in Epilogue.Nodes)
                    if (n.Id <= slope.Id && n.Op == Ops.OpTable.Parameter && n.Index >= first && n.Index < last && DependsOn(slope, n)) return false;
            }
            return true;
        }
    }

    private bool DependsOn(Node root, Node leaf)
    {
        var seen = new bool[root.Id + 1];
        var stack = new Stack<Node>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (n == leaf) return true;
            if (seen[n.Id]) continue;
            seen[n.Id] = true;
            foreach (int a in n.Args) stack.Push(Epilogue[a]);
        }
        return false;
    }

    private SampleGradientPlan? _gradients;

    /// <summary>The gradients with respect to the parameters and the weights (built on first use; extends the graphs).</summary>
    public SampleGradientPlan Gradients => _gradients ??= SampleGradientPlan.Build(this);

    /// <summary>The terms of one point and their reductions (empty for a formula of pairs only).</summary>
    public SamplePointPart Points { get; internal set; } = new();

    /// <summary>The row-level inputs (<c>y: row</c>), in header order: scalars in the epilogue and in terms of one point.</summary>
    public IReadOnlyList<string> RowInputNames { get; internal set; } = System.Array.Empty<string>();

    /// <summary>True when the formula has row-level inputs: its API is per row (a batch of rows of clouds).</summary>
    public bool HasRows => RowInputNames.Count > 0;

    /// <summary>The position in <see cref="Scalars"/> of a scalar of kind <paramref name="kind"/> and index <paramref name="at"/>, or -1.</summary>
    public int ScalarAt(SampleScalarKind kind, int at)
    {
        for (int s = 0; s < Scalars.Count; s++)
            if (Scalars[s].Kind == kind && Scalars[s].Cloud == at) return s;
        return -1;
    }

    /// <summary>The name of epilogue parameter <paramref name="index"/> as a generated local spells it.</summary>
    public string ScalarName(int index) => Epilogue.ParameterNames[index];

    /// <summary>
    /// For a per-point field (an output per point of one cloud), its row reductions; then <see cref="Reductions"/> is
    /// empty, <see cref="Output"/> is F_i and <see cref="Slopes"/> are per row reduction. Null for a scalar formula.
    /// </summary>
    public SampleField? Field { get; internal set; }

    /// <summary>
    /// For an optimal-transport formula, what the solver runs; then <see cref="Terms"/> holds the cost alone,
    /// <see cref="Reductions"/> is empty and <see cref="Output"/> is ε. Null otherwise.
    /// </summary>
    public SampleTransportPlan? Transport { get; internal set; }

    /// <summary>The epilogue parameter of scalar <paramref name="at"/> of <see cref="Scalars"/>.</summary>
    public int ScalarIndex(int at) => ParameterNames.Count + SamplePlanner.MaxReductions + at;
}
