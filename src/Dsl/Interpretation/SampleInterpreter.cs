using System;
using System.Collections.Generic;
using KernelDsl.Language.Binding;
using KernelDsl.Language.Calculus;
using KernelDsl.Language.Ir;
using KernelDsl.Language.Ops;

namespace KernelDsl.Language.Interpretation;

/// <summary>The data of one evaluation of a sample formula: its clouds (row-major, n x d, one d for all), weights, row values, parameters.</summary>
internal sealed class SampleInputs
{
    /// <summary>Creates the inputs; <paramref name="clouds"/> in header order, each row-major with <paramref name="d"/> columns.</summary>
    /// <exception cref="ArgumentException">A cloud's length is not a multiple of d, or weights do not match their cloud.</exception>
    public SampleInputs(int d, IReadOnlyList<double[]> clouds, IReadOnlyList<double[]?>? weights = null,
        IReadOnlyList<double>? parameters = null, IReadOnlyList<double>? rowInputs = null, IReadOnlyList<double[]>? companions = null)
    {
        if (d < 1) throw new ArgumentException("d must be at least 1.", nameof(d));
        D = d;
        Clouds = clouds;
        Weights = weights ?? new double[]?[clouds.Count];
        Parameters = parameters ?? Array.Empty<double>();
        RowInputs = rowInputs ?? Array.Empty<double>();
        Companions = companions ?? Array.Empty<double[]>();
        Rows = new int[clouds.Count];
        for (int c = 0; c < clouds.Count; c++)
        {
            if (clouds[c].Length % d != 0) throw new ArgumentException($"Cloud {c} has {clouds[c].Length} numbers, not a multiple of d = {d}.", nameof(clouds));
            Rows[c] = clouds[c].Length / d;
            if (Weights.Count > c && Weights[c] is { } w && w.Length != Rows[c])
                throw new ArgumentException($"Cloud {c} has {Rows[c]} points but {w.Length} weights.", nameof(weights));
        }
    }

    /// <summary>The feature dimension, shared by every cloud.</summary>
    public int D { get; }

    /// <summary>The clouds, row-major.</summary>
    public IReadOnlyList<double[]> Clouds { get; }

    /// <summary>Per cloud, its number of points.</summary>
    public int[] Rows { get; }

    /// <summary>Per cloud, its weights (null: the cloud has none).</summary>
    public IReadOnlyList<double[]?> Weights { get; }

    /// <summary>The scalar parameters.</summary>
    public IReadOnlyList<double> Parameters { get; }

    /// <summary>The row-level inputs.</summary>
    public IReadOnlyList<double> RowInputs { get; }

    /// <summary>The companions (<c>s: vectors(x)</c>) in header order, each row-major like its cloud (d per point).</summary>
    public IReadOnlyList<double[]> Companions { get; }
}

/// <summary>The value of a scalar sample formula and its gradients.</summary>
internal sealed class SampleGradient
{
    internal SampleGradient(double value, double[][] clouds, double[]?[] weights, double[] parameters)
    {
        Value = value;
        Clouds = clouds;
        Weights = weights;
        Parameters = parameters;
    }

    /// <summary>The value.</summary>
    public double Value { get; }

    /// <summary>Per cloud, d value / d point (row-major, like the cloud).</summary>
    public double[][] Clouds { get; }

    /// <summary>Per cloud with weights, d value / d weight.</summary>
    public double[]?[] Weights { get; }

    /// <summary>Per parameter, d value / d parameter.</summary>
    public double[] Parameters { get; }
}

/// <summary>
/// Evaluates a bound sample formula in double, straight from the DAG, with plain loops over i, j and k: the oracle for the
/// kernels to come (slow on purpose: no plan, no fusion). A node is evaluated into a dense array over its axes, under an
/// environment that says which cloud each free axis ranges over; a reduction finds the clouds of the axes it removes from
/// the leaves of its argument (every leaf names its cloud and role, <see cref="SampleLeaf"/>); no node mixes two clouds on
/// one axis, the gradient DAG included (the differentiator keeps contributions of different pairings in different sums and
/// multiplies by the count of a cloud, never by the length of an axis). Sums are compensated (Neumaier); logsumexp
/// subtracts its maximum.
/// </summary>
internal sealed partial class SampleInterpreter
{
    private readonly BoundSampleFormula _formula;
    private readonly Graph _g;
    private readonly SampleInputs _in;
    private readonly int[] _cloudsI, _cloudsJ; // per node: bit mask of the clouds its free leaves put on i, on j
    private readonly Dictionary<(int, int, int), double[]> _memo = new();

    private SampleInterpreter(BoundSampleFormula formula, SampleInputs inputs)
    {
        _formula = formula;
        _g = formula.Graph;
        _in = inputs;
        if (inputs.Clouds.Count != formula.CloudNames.Count) throw new ArgumentException($"Expected {formula.CloudNames.Count} clouds.", nameof(inputs));
        if (inputs.Parameters.Count != _g.ParameterNames.Count) throw new ArgumentException($"Expected {_g.ParameterNames.Count} parameters.", nameof(inputs));
        if (inputs.RowInputs.Count != _g.RowInputNames.Count) throw new ArgumentException($"Expected {_g.RowInputNames.Count} row inputs.", nameof(inputs));
        if (inputs.Companions.Count != formula.CompanionNames.Count) throw new ArgumentException($"Expected {formula.CompanionNames.Count} companions.", nameof(inputs));
        for (int c = 0; c < inputs.Companions.Count; c++)
            if (inputs.Companions[c].Length != inputs.Rows[formula.CompanionClouds[c]] * inputs.D)
                throw new ArgumentException($"Companion {formula.CompanionNames[c]} is not d numbers per point of {formula.CloudNames[formula.CompanionClouds[c]]}.", nameof(inputs));
        for (int c = 0; c < formula.CloudNames.Count; c++)
            if (formula.WeightNames[c] != null && (inputs.Weights.Count <= c || inputs.Weights[c] == null))
                throw new ArgumentException($"Cloud {formula.CloudNames[c]} needs its weights {formula.WeightNames[c]}.", nameof(inputs));
        _cloudsI = new int[_g.Nodes.Count];
        _cloudsJ = new int[_g.Nodes.Count];
        foreach (var n in _g.Nodes)
        {
            if (n.Op == OpTable.Input)
            {
                var leaf = formula.Leaves[n.Index];
                if (leaf.Role == Axes.I) _cloudsI[n.Id] = 1 << leaf.Cloud;
                else _cloudsJ[n.Id] = 1 << leaf.Cloud;
                continue;
            }
            foreach (var a in n.Args)
            {
                if (!n.Reduced.Contains(Axes.I)) _cloudsI[n.Id] |= _cloudsI[a];
                if (!n.Reduced.Contains(Axes.J)) _cloudsJ[n.Id] |= _cloudsJ[a];
            }
        }
    }

    /// <summary>The formula's value: one number for a scalar formula, one per point of its output cloud for a per-point field,
    /// d per point (row-major, n × d) for a vector field.</summary>
    /// <exception cref="ArgumentException">The inputs do not match the formula.</exception>
    public static double[] Evaluate(BoundSampleFormula formula, SampleInputs inputs)
    {
        if (formula.Output == null) throw new ArgumentException("The formula did not bind.", nameof(formula));
        if (formula.Transport is { } transport) return new[] { Transport(formula, transport, inputs) };
        var it = new SampleInterpreter(formula, inputs);
        int c = formula.OutputCloud;
        var t = it.Eval(formula.Output, c, -1);
        if (c < 0) return t;
        var axes = formula.Output.Axes;
        int width = formula.OutputIsVector ? inputs.D : 1;
        var field = new double[inputs.Rows[c] * width];
        for (int i = 0; i < inputs.Rows[c]; i++)
            for (int k = 0; k < width; k++)
                field[i * width + k] = t[Offset(axes, i, 0, k, 1, inputs.D)];
        return field;
    }

    /// <summary>The value of a scalar formula and its gradient with respect to every cloud, weight and parameter, from the
    /// differentiator's gradient DAG evaluated here.</summary>
    /// <exception cref="ArgumentException">The inputs do not match the formula, or the formula is a per-point field.</exception>
    public static SampleGradient Gradient(BoundSampleFormula formula, SampleInputs inputs)
    {
        if (formula.Output == null) throw new ArgumentException("The formula did not bind.", nameof(formula));
        if (formula.OutputCloud >= 0) throw new ArgumentException("A per-point field has no gradient (it is not a scalar).", nameof(formula));
        if (formula.Transport != null)
            throw new ArgumentException("A transport formula's gradient is not a derivative of its DAG; SampleDirectEvaluator gives it (envelope theorem).", nameof(formula));
        var gradient = Differentiator.Differentiate(formula.Graph, formula.Output);
        var it = new SampleInterpreter(formula, inputs);
        double value = it.Eval(formula.Output, -1, -1)[0];
        int clouds = formula.CloudNames.Count, d = inputs.D;
        var dClouds = new double[clouds][];
        var dWeights = new double[]?[clouds];
        for (int c = 0; c < clouds; c++)
        {
            dClouds[c] = new double[inputs.Clouds[c].Length];
            if (formula.WeightNames[c] != null) dWeights[c] = new double[inputs.Rows[c]];
        }
        for (int l = 0; l < formula.Leaves.Count; l++)
        {
            // A companion is data beside its cloud, not a variable of the gradient.
            if (gradient.Inputs[l] is not { } node || formula.Leaves[l].Companion >= 0) continue;
            var leaf = formula.Leaves[l];
            // The leaf's own axis ranges over its cloud (the other one, of its pairing, is summed out of its gradient).
            int ci = leaf.Role == Axes.I ? leaf.Cloud : leaf.PairI, cj = leaf.Role == Axes.J ? leaf.Cloud : leaf.PairJ;
            var t = it.Eval(node, ci, cj);
            bool overPoints = node.Axes.Overlaps(Axes.I | Axes.J), overK = node.Axes.Contains(Axes.K);
            var target = leaf.IsWeight ? dWeights[leaf.Cloud]! : dClouds[leaf.Cloud];
            int width = leaf.IsWeight ? 1 : d;
            for (int p = 0; p < inputs.Rows[leaf.Cloud]; p++)
                for (int k = 0; k < width; k++)
                    target[p * width + k] += t[(overPoints ? p : 0) * (overK ? d : 1) + (overK ? k : 0)];
        }
        var dParameters = new double[formula.Graph.ParameterNames.Count];
        for (int q = 0; q < dParameters.Length; q++)
            if (gradient.Parameters[q] is { } node) dParameters[q] = it.Eval(node, -1, -1)[0];
        return new SampleGradient(value, dClouds, dWeights, dParameters);
    }

    private int Extent(Axes axis, int ci, int cj)
    {
        if (axis == Axes.K) return _in.D;
        int c = axis == Axes.I ? ci : cj;
        if (c < 0) throw new InvalidOperationException($"The extent of {axis} is not known here.");
        return _in.Rows[c];
    }

    private static int Size(Axes axes, int ni, int nj, int d) =>
        (axes.Contains(Axes.I) ? ni : 1) * (axes.Contains(Axes.J) ? nj : 1) * (axes.Contains(Axes.K) ? d : 1);

    private static int Offset(Axes axes, int i, int j, int k, int nj, int d)
    {
        int o = 0;
        if (axes.Contains(Axes.I)) o = i;
        if (axes.Contains(Axes.J)) o = o * nj + j;
        if (axes.Contains(Axes.K)) o = o * d + k;
        return o;
    }

    // The node's values over its axes, where i ranges over cloud ci and j over cloud cj.
    private double[] Eval(Node node, int ci, int cj)
    {
        if (!node.Axes.Contains(Axes.I)) ci = -1; // irrelevant: share the memo entry
        if (!node.Axes.Contains(Axes.J)) cj = -1;
        if (_memo.TryGetValue((node.Id, ci, cj), out var done)) return done;
        var result = Compute(node, ci, cj);
        _memo[(node.Id, ci, cj)] = result;
        return result;
    }

    private double[] Compute(Node node, int ci, int cj)
    {
        var op = node.Op;
        if (op == OpTable.Constant) return new[] { node.Constant };
        if (op == OpTable.Parameter) return new[] { _in.Parameters[node.Index] };
        if (op == OpTable.RowInput) return new[] { _in.RowInputs[node.Index] };
        if (op == OpTable.Count) return new[] { (double)_in.Rows[node.Index] };
        if (op == OpTable.Length)
        {
            // Only the feature axis has one length for the whole formula; the extent of i or j is the count of a cloud.
            if (Axes.At(node.Index) != Axes.K) throw new InvalidOperationException($"{node} names the length of {Axes.At(node.Index)}, which ranges over several clouds.");
            return new[] { (double)_in.D };
        }
        if (op == OpTable.Input)
        {
            var leaf = _formula.Leaves[node.Index];
            int bound = leaf.Role == Axes.I ? ci : cj;
            if (bound != leaf.Cloud)
                throw new InvalidOperationException($"{_g.InputNames[node.Index]} is evaluated where {leaf.Role} ranges over cloud {bound}.");
            if (leaf.Companion >= 0) return _in.Companions[leaf.Companion];
            return leaf.IsWeight ? _in.Weights[leaf.Cloud]! : (double[])_in.Clouds[leaf.Cloud];
        }
        if (op.Kind == OpKind.Reduction) return Reduce(node, ci, cj);
        int ni = node.Axes.Contains(Axes.I) ? Extent(Axes.I, ci, cj) : 1, nj = node.Axes.Contains(Axes.J) ? Extent(Axes.J, ci, cj) : 1, d = _in.D;
        var args = new double[node.Args.Length][];
        for (int a = 0; a < args.Length; a++) args[a] = Eval(_g[node.Args[a]], ci, cj);
        var result = new double[Size(node.Axes, ni, nj, d)];
        var values = new double[args.Length];
        int ei = node.Axes.Contains(Axes.I) ? ni : 1, ej = node.Axes.Contains(Axes.J) ? nj : 1, ek = node.Axes.Contains(Axes.K) ? d : 1;
        for (int i = 0; i < ei; i++)
            for (int j = 0; j < ej; j++)
                for (int k = 0; k < ek; k++)
                {
                    for (int a = 0; a < args.Length; a++) values[a] = args[a][Offset(_g[node.Args[a]].Axes, i, j, k, nj, d)];
                    result[Offset(node.Axes, i, j, k, nj, d)] = op.Evaluate(node, values);
                }
        return result;
    }

    // A reduction: the clouds of the removed axes come from the argument's leaves.
    private double[] Reduce(Node node, int ci, int cj)
    {
        var term = _g[node.Args[0]];
        if (Mixed(node.Reduced, term)) throw new InvalidOperationException($"{node} reduces a term that mixes clouds on {node.Reduced}.");
        int ni = node.Axes.Contains(Axes.I) ? Extent(Axes.I, ci, cj) : 1, nj = node.Axes.Contains(Axes.J) ? Extent(Axes.J, ci, cj) : 1, d = _in.D;
        var result = new double[Size(node.Axes, ni, nj, d)];
        var compensation = new double[result.Length];
        int ti = node.Reduced.Contains(Axes.I) ? Cloud(_cloudsI[term.Id], ci) : ci;
        int tj = node.Reduced.Contains(Axes.J) ? Cloud(_cloudsJ[term.Id], cj) : cj;
        var values = Eval(term, ti, tj);
        var axes = term.Axes;
        // Over the axes the term does not range over, it is constant: loop over them all the same (a broadcast).
        var loop = axes | node.Reduced | node.Axes;
        int mi = loop.Contains(Axes.I) ? Extent(Axes.I, ti, tj) : 1, mj = loop.Contains(Axes.J) ? Extent(Axes.J, ti, tj) : 1;
        int mk = loop.Contains(Axes.K) ? d : 1, tnj = axes.Contains(Axes.J) ? Extent(Axes.J, ti, tj) : 1;
        if (node.Op == OpTable.Sum)
        {
            for (int i = 0; i < mi; i++)
                for (int j = 0; j < mj; j++)
                    for (int k = 0; k < mk; k++)
                        Neumaier(ref result[Offset(node.Axes, i, j, k, nj, d)], ref compensation[Offset(node.Axes, i, j, k, nj, d)],
                            values[Offset(axes, i, j, k, tnj, d)]);
            for (int o = 0; o < result.Length; o++)
                if (!double.IsNaN(compensation[o]) && !double.IsInfinity(result[o])) result[o] += compensation[o];
            return result;
        }
        // logsumexp, max, min: per output element, the maximum (or minimum) first.
        var best = new double[result.Length];
        bool min = node.Op == OpTable.MinReduce;
        for (int o = 0; o < best.Length; o++) best[o] = min ? double.PositiveInfinity : double.NegativeInfinity;
        bool[] nan = new bool[result.Length];
        for (int i = 0; i < mi; i++)
            for (int j = 0; j < mj; j++)
                for (int k = 0; k < mk; k++)
                {
                    int o = Offset(node.Axes, i, j, k, nj, d);
                    double x = values[Offset(axes, i, j, k, tnj, d)];
                    if (double.IsNaN(x)) nan[o] = true;
                    else best[o] = min ? Math.Min(best[o], x) : Math.Max(best[o], x);
                }
        if (node.Op != OpTable.LogSumExp)
        {
            for (int o = 0; o < result.Length; o++) result[o] = nan[o] ? double.NaN : best[o];
            return result;
        }
        for (int i = 0; i < mi; i++)
            for (int j = 0; j < mj; j++)
                for (int k = 0; k < mk; k++)
                {
                    int o = Offset(node.Axes, i, j, k, nj, d);
                    if (!double.IsInfinity(best[o])) Neumaier(ref result[o], ref compensation[o], Math.Exp(values[Offset(axes, i, j, k, tnj, d)] - best[o]));
                }
        for (int o = 0; o < result.Length; o++)
            result[o] = nan[o] ? double.NaN : double.IsInfinity(best[o]) ? best[o] : best[o] + Math.Log(result[o] + compensation[o]);
        return result;
    }

    private bool Mixed(Axes reduced, Node term) =>
        (reduced.Contains(Axes.I) && Several(_cloudsI[term.Id])) || (reduced.Contains(Axes.J) && Several(_cloudsJ[term.Id]));

    private static bool Several(int mask) => (mask & (mask - 1)) != 0;

    // The single cloud of a mask, or the context's when the term has no leaf on that axis.
    private static int Cloud(int mask, int context)
    {
        if (mask == 0) return context;
        int c = 0;
        while ((mask & (1 << c)) == 0) c++;
        return c;
    }

    private static void Neumaier(ref double sum, ref double compensation, double x)
    {
        double t = sum + x;
        if (Math.Abs(sum) >= Math.Abs(x)) compensation += (sum - t) + x;
        else compensation += (x - t) + sum;
        sum = t;
    }
}
