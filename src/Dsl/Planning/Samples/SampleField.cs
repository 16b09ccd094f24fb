using System.Collections.Generic;

namespace KernelDsl.Language.Planning.Samples;

/// <summary>What a per-point reduction over j computes for each point i of the output cloud.</summary>
internal enum SampleRowKind
{
    /// <summary><c>R_i = Σ_j w_j φ(f(u_i, v_j))</c> (sum_j; mean_j divides it by a count or a weight sum in the epilogue).</summary>
    Sum,

    /// <summary><c>R_i = log Σ_j w_j exp(φ(f(u_i, v_j)))</c> (logsumexp_j).</summary>
    LogSumExp,

    /// <summary><c>R_ic = x_ic</c>: the output point's own feature c (a vector field's <c>u - v</c>); no sweep.</summary>
    Point,
}

/// <summary>
/// One per-point reduction over j: for each point i of the output cloud, a sum (or a log-sum-exp) over the points j of
/// another cloud (or of the same cloud, every j including i) of one pair term. One row sweep of the pair engine.
/// </summary>
internal sealed class SampleRowReduction
{
    internal SampleRowReduction(int term, int cloudJ, bool weightedJ, SampleRowKind kind, int payload = -1)
    {
        Term = term;
        CloudJ = cloudJ;
        WeightedJ = weightedJ;
        Kind = kind;
        Payload = payload;
    }

    /// <summary>
    /// -1 for a number per point; else the source of the payload P of a vector sum, <c>R_ic = Σ_j w_j φ(f(u_i, v_j)) P_jc</c>
    /// (one number per point and feature c), or of the point row <c>R_ic = P_ic</c>: a cloud's points (the cloud's position)
    /// or a companion (the number of clouds plus its position among <see cref="SampleField.CompanionNames"/>).
    /// </summary>
    public int Payload { get; }

    /// <summary>True when the reduction has a value per point and feature (a payload sum, or the point itself).</summary>
    public bool PerFeature => Payload >= 0 || Kind == SampleRowKind.Point;

    /// <summary>The pair term's position in <see cref="SamplePlan.Terms"/> (-1 for <see cref="SampleRowKind.Point"/>).</summary>
    public int Term { get; }

    /// <summary>The cloud on axis j (-1 for <see cref="SampleRowKind.Point"/>).</summary>
    public int CloudJ { get; }

    /// <summary>True when each point j is weighted (its weight multiplies the term; in a log-sum-exp, log w_j is added).</summary>
    public bool WeightedJ { get; }

    /// <summary>A sum or a log-sum-exp.</summary>
    public SampleRowKind Kind { get; }
}

/// <summary>
/// The per-point part of the plan of a field formula (an output per point of one cloud): the row reductions and the
/// output cloud. The epilogue of the <see cref="SamplePlan"/> is then evaluated once per point: its parameters are the
/// formula's parameters, the row reductions' values at that point (slot <c>ParameterNames.Count + r</c>), then the
/// plan's scalars; its slopes <c>dF_i/dR_r(i)</c> may read the row values (a ratio), so they are per point too.
/// </summary>
internal sealed class SampleField
{
    internal SampleField(int outputCloud, IReadOnlyList<SampleRowReduction> rows, string? gradientNotCompiled, bool isVector = false,
        IReadOnlyList<string>? companionNames = null, IReadOnlyList<int>? companionClouds = null)
    {
        CompanionNames = companionNames ?? System.Array.Empty<string>();
        CompanionClouds = companionClouds ?? System.Array.Empty<int>();
        OutputCloud = outputCloud;
        Rows = rows;
        GradientNotCompiled = gradientNotCompiled;
        IsVector = isVector;
    }

    /// <summary>
    /// True for a vector field: d numbers per point (output n × d), the epilogue evaluated per point and feature c, its
    /// row reductions either per point or per point and feature (<see cref="SampleRowReduction.PerFeature"/>).
    /// </summary>
    public bool IsVector { get; }

    /// <summary>The companions (<c>s: vectors(x)</c>) in header order: each a span after its cloud in the entry points.</summary>
    public IReadOnlyList<string> CompanionNames { get; }

    /// <summary>Per companion, its cloud.</summary>
    public IReadOnlyList<int> CompanionClouds { get; }

    /// <summary>The cloud whose points the output ranges over (axis i).</summary>
    public int OutputCloud { get; }

    /// <summary>The row reductions; reduction r is epilogue parameter <c>ParameterNames.Count + r</c>.</summary>
    public IReadOnlyList<SampleRowReduction> Rows { get; }

    /// <summary>
    /// Null when the per-point gradient <c>∇_{z_i} F_i</c> is compiled (every row reduction a sum); else why not (a
    /// log-sum-exp over j: its gradient is a softmax-weighted sweep the engine does not have yet).
    /// </summary>
    public string? GradientNotCompiled { get; }
}
