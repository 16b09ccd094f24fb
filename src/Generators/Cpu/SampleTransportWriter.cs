using System.Collections.Generic;
using System.Linq;
using KernelDsl.Generators.Emit;
using KernelDsl.Language.Planning.Lowering;
using KernelDsl.Language.Planning.Samples;

namespace KernelDsl.Generators.Cpu;

/// <summary>
/// The CPU code of an optimal-transport formula (<c>sinkhorn(c(x, y), ε)</c>, <c>sinkhorn_divergence(c(x, y), ε)</c>):
/// for float and double, <c>Value</c>, <c>ValueAndGradient</c> (and, where the clouds carry weights, an overload with the
/// weights' gradients), <c>Potentials</c>, <c>ApplyPlan</c> and <c>BarycentricMap</c>, each one call of the runtime's
/// Sinkhorn solver (<c>SinkhornSweep</c>) with the cost as a pair term; ε is computed once on the host by
/// <c>_Epsilon</c>, which refuses a value that is not positive and finite (naming the first parameter ε reads); the weights'
/// values are checked under the formula's names (<c>TransportChecks.Masses</c>) before the solver checks them under its
/// own; then the cost's pair-term struct.
/// </summary>
internal sealed class SampleTransportWriter
{
    private const string Runtime = "global::KernelDsl.Runtime";
    private const string Sweep = Runtime + ".SinkhornSweep";
    private const string Result = "global::KernelDsl.SinkhornResult";
    private const string Options = "global::KernelDsl.SinkhornOptions? options = null";
    private readonly IndentedWriter _w;
    private readonly SamplePlan _p;
    private readonly SampleTransportPlan _t;
    private readonly CpuType _type;
    private readonly bool _docs;

    private SampleTransportWriter(IndentedWriter w, SamplePlan plan, CpuType type, bool docs)
    {
        _w = w;
        _p = plan;
        _t = plan.Transport!;
        _type = type;
        _docs = docs;
    }

    /// <summary>Writes everything inside the kernel class.</summary>
    public static void Write(IndentedWriter w, SamplePlan plan, KernelPrecision precision)
    {
        bool f = (precision & KernelPrecision.Float) != 0, d = (precision & KernelPrecision.Double) != 0;
        if (!f && !d) return;
        if (f) new SampleTransportWriter(w, plan, CpuType.Float, docs: true).WriteAll();
        if (d) new SampleTransportWriter(w, plan, CpuType.Double, docs: !f).WriteAll();
        w.WriteLine();
        WriteEpsilon(w, plan);
        w.WriteLine();
        SampleTermWriter.Write(w, plan.Terms[0], 0, plan.ParameterNames);
    }

    private string T => _type.Keyword;
    private static string Id(string s) => NodeCode.CSharp(s);
    private string X => _p.CloudNames[_t.CloudI];
    private string Y => _p.CloudNames[_t.CloudJ];
    private string? A => _p.WeightNames[_t.CloudI];
    private string? B => _p.WeightNames[_t.CloudJ];
    private bool Weighted => A != null || B != null;

    // The clouds (and their weights) in header order, then d.
    private string Clouds()
    {
        var parts = new List<string>();
        for (int c = 0; c < _p.CloudNames.Count; c++)
        {
            parts.Add($"global::System.ReadOnlySpan<{T}> {Id(_p.CloudNames[c])}");
            if (_p.WeightNames[c] is { } w) parts.Add($"global::System.ReadOnlySpan<{T}> {Id(w)}");
        }
        return string.Join(", ", parts) + ", int d";
    }

    private string Parameters() => string.Concat(_p.ParameterNames.Select(p => $", {T} {Id(p)}"));

    private string Span(string name) => $"global::System.Span<{T}> {Id(name)}";

    private void WriteAll()
    {
        string dx = LoweredNames.GradientParameter(X), dy = LoweredNames.GradientParameter(Y);
        Member("Value", Result, Clouds() + Parameters() + ", " + Options, Array(), ValueDocs);
        Member("ValueAndGradient", Result, Clouds() + ", " + Span(dx) + ", " + Span(dy) + Parameters() + ", " + Options,
            Array(("GradX", dx, Points(X)), ("GradY", dy, Points(Y))), () => GradientDocs(weights: false));
        if (Weighted)
        {
            var outputs = new List<(string, string, string)> { ("GradX", dx, Points(X)), ("GradY", dy, Points(Y)) };
            string spans = Span(dx) + ", " + Span(dy);
            if (A != null) { outputs.Add(("GradA", LoweredNames.GradientParameter(A), Id(A) + ".Length")); spans += ", " + Span(LoweredNames.GradientParameter(A)); }
            if (B != null) { outputs.Add(("GradB", LoweredNames.GradientParameter(B), Id(B) + ".Length")); spans += ", " + Span(LoweredNames.GradientParameter(B)); }
            Member("ValueAndGradient", Result, Clouds() + ", " + spans + Parameters() + ", " + Options, outputs.ToArray(), () => GradientDocs(weights: true));
        }
        Member("Potentials", Result, Clouds() + ", " + Span("f") + ", " + Span("g") + Parameters() + ", " + Options,
            Array(("PotentialF", "f", Count(X)), ("PotentialG", "g", Count(Y))), PotentialDocs);
        WritePlan(barycentric: false);
        WritePlan(barycentric: true);
    }

    private static (string, string, string)[] Array(params (string Output, string Name, string Length)[] outputs) => outputs;

    private static string Points(string cloud) => Id(cloud) + ".Length";

    private static string Count(string cloud) => Id(cloud) + ".Length / d";

    // One solve: the checks with the caller's names, ε, the cost, then the solver.
    private void Member(string name, string returns, string parameters, (string Output, string Name, string Length)[] outputs, System.Action docs)
    {
        _w.WriteLine();
        if (_docs) docs();
        else InheritDoc(name, parameters);
        _w.WriteLine(CSharpText.Header($"public static {returns} {name}", parameters, _w.IndentLevel));
        using (_w.Block())
        {
            Checks(outputs.Select(o => (o.Name, o.Length)).ToList());
            string init = outputs.Length == 0 ? "default"
                : $"new {Runtime}.SinkhornOutputs<{T}> {{ {string.Join(", ", outputs.Select(o => $"{o.Output} = {Id(o.Name)}"))} }}";
            _w.WriteLine($"// {(_t.Debiased ? "S = OT_ε(a, b) - OT_ε(a, a)/2 - OT_ε(b, b)/2" : "OT_ε(a, b)")}: ε-scaling, symmetric softmin sweeps over j, gradients through the converged potentials.");
            _w.WriteLine($"return {Sweep}.Solve(in _cost, {Id(X)}, {W(A)}, {Id(Y)}, {W(B)}, d, _epsilon, debias: {(_t.Debiased ? "true" : "false")}, options, {init});");
        }
    }

    private static string W(string? weights) => weights == null ? "default" : Id(weights);

    // Checks the clouds and weights and the output spans (lengths, overlaps) under the caller's names; then ε and the cost.
    private void Checks(IReadOnlyList<(string Name, string Length)> outputs)
    {
        _w.WriteLine($"int _n = {Runtime}.PairSweep.Points({Id(X)}, d, nameof({Id(X)})), _m = {Runtime}.PairSweep.Points({Id(Y)}, d, nameof({Id(Y)}));");
        if (A != null) _w.WriteLine($"{Runtime}.PairSweep.Weights({Id(A)}, _n, nameof({Id(A)}), nameof({Id(X)}));");
        if (B != null) _w.WriteLine($"{Runtime}.PairSweep.Weights({Id(B)}, _m, nameof({Id(B)}), nameof({Id(Y)}));");
        if (Weighted) _w.WriteLine(Masses(W(A), W(B)));
        var inputs = new List<string> { Id(X), Id(Y) };
        if (A != null) inputs.Add(Id(A));
        if (B != null) inputs.Add(Id(B));
        var before = new List<string>();
        foreach (var (name, length) in outputs)
        {
            string span = Id(name);
            _w.WriteLine($"{Runtime}.SpanChecks.Length({span}, {length}, nameof({span}));");
            _w.WriteLine($"if ({Runtime}.SpanChecks.Overlaps({span}, {string.Join(", ", inputs)})) throw {Runtime}.Partials.Overlap(nameof({span}));");
            foreach (var other in before) _w.WriteLine($"{Runtime}.SpanChecks.Apart({span}, {other}, nameof({span}), nameof({other}));");
            before.Add(span);
        }
        _w.WriteLine($"double _epsilon = _Epsilon({string.Join(", ", _p.ParameterNames.Select(Id))});");
        _w.WriteLine($"var _cost = new {SampleTermWriter.Name(0)}<{T}>({string.Join(", ", _p.ParameterNames.Select(Id))});");
    }

    /// <summary>
    /// The call that checks the weights' values under the caller's names (positive, finite, equal masses; a cloud without
    /// weights has mass 1) before the solver checks them again under its own: <paramref name="a"/> and
    /// <paramref name="b"/> are the expressions of the weights' spans (default for a cloud without weights), the names
    /// those of the weights or, without weights, of the cloud; <c>_n</c> and <c>_m</c> are in scope.
    /// </summary>
    internal static string Masses(CpuType type, string? aName, string a, string xName, string? bName, string b, string yName) =>
        $"{Runtime}.TransportChecks.Masses<{type.Keyword}>({a}, _n, nameof({Id(aName ?? xName)}), {b}, _m, nameof({Id(bName ?? yName)}), "
        + $"{Runtime}.TransportChecks.{(type == CpuType.Float ? "Float" : "Double")}MassTolerance);";

    private string Masses(string a, string b) => Masses(_type, A, a, X, B, b, Y);

    // ApplyPlan(..., g, v, p, output, params) or BarycentricMap(..., g, output, params): the plan applied lazily.
    private void WritePlan(bool barycentric)
    {
        string name = barycentric ? "BarycentricMap" : "ApplyPlan";
        string parameters = Clouds() + $", global::System.ReadOnlySpan<{T}> g"
            + (barycentric ? "" : $", global::System.ReadOnlySpan<{T}> v, int p") + ", " + Span("output") + Parameters();
        _w.WriteLine();
        if (_docs) PlanDocs(barycentric);
        else InheritDoc(name, parameters);
        _w.WriteLine(CSharpText.Header($"public static void {name}", parameters, _w.IndentLevel));
        using (_w.Block())
        {
            Checks(System.Array.Empty<(string, string)>());
            _w.WriteLine(barycentric
                ? $"// T(x_i) = Σ_j π_ij y_j / a_i, with f from g by one exact softmin sweep (nothing n × m is stored)."
                : $"// output[i, c] = Σ_j π_ij v[j, c], π_ij = a_i b_j exp((f_i + g_j - c_ij) / ε), f from g by one exact softmin sweep (nothing n × m is stored).");
            _w.WriteLine(barycentric
                ? $"{Sweep}.BarycentricMap(in _cost, {Id(X)}, {W(A)}, {Id(Y)}, {W(B)}, d, _epsilon, g, output);"
                : $"{Sweep}.ApplyPlan(in _cost, {Id(X)}, {W(A)}, {Id(Y)}, {W(B)}, d, _epsilon, g, v, p, output);");
        }
    }

    private void InheritDoc(string name, string parameters)
    {
        var types = CSharpText.SplitParameters(parameters).Select(CSharpText.ParameterType)
            .Select(t => t.TrimEnd('?').Replace("<double>", "<float>").Replace('<', '{').Replace('>', '}'))
            .Select(t => t == "double" ? "float" : t);
        _w.WriteLine($"/// <inheritdoc cref=\"{name}({string.Join(", ", types)})\"/>");
    }

    // ε = (the formula's expression of the parameters), in double, checked once per call.
    private static void WriteEpsilon(IndentedWriter w, SamplePlan plan)
    {
        var t = plan.Transport!;
        string names = string.Join(", ", t.EpsilonParameters.Select(k => plan.ParameterNames[k]));
        string formula = Language.Planning.PlanPrinter.Formula(plan.Epilogue, plan.Output);
        w.WriteLine($"/// <summary>ε = <c>{CSharpText.XmlText(formula)}</c> in double; it must be positive and finite.</summary>");
        string named = t.EpsilonParameters.Count switch
        {
            0 => "no parameter: ε is a literal",
            1 => names,
            _ => plan.ParameterNames[t.EpsilonParameters[0]] + "; its message lists " + names,
        };
        w.WriteLine($"/// <exception cref=\"global::System.ArgumentOutOfRangeException\">ε is not positive and finite (the exception names {named}).</exception>");
        w.WriteLine(CSharpText.Header("private static double _Epsilon", string.Join(", ", plan.ParameterNames.Select(p => "double " + Id(p))), w.IndentLevel));
        using (w.Block())
        {
            var written = new HashSet<int>();
            string value = SampleEpilogue.Write(w, plan.Epilogue, plan.Output, written, n =>
                n.Op == Language.Ops.OpTable.Constant ? NodeCode.Double(n.Constant)
                : n.Op == Language.Ops.OpTable.Parameter ? Id(plan.ParameterNames[n.Index])
                : SampleEpilogue.Local(n.Id));
            // The exception names the first parameter ε reads (none for a literal ε, which the planner has checked) and lists them all.
            string paramName = t.EpsilonParameters.Count == 0 ? "null" : $"nameof({Id(plan.ParameterNames[t.EpsilonParameters[0]])})";
            string reads = t.EpsilonParameters.Count <= 1 ? "" : $" (it reads {names})";
            w.WriteLine($"if (!({value} > 0) || double.IsInfinity({value}))");
            w.WriteLine($"    throw new global::System.ArgumentOutOfRangeException({paramName}, {value}, {CSharpText.StringLiteral($"ε = {formula} must be positive and finite{reads}.")});");
            w.WriteLine($"return {value};");
        }
    }

    private void DocClouds()
    {
        for (int c = 0; c < _p.CloudNames.Count; c++)
        {
            string name = _p.CloudNames[c];
            string role = c == _t.CloudI ? "the first marginal, potential f" : "the second marginal, potential g";
            _w.WriteLine($"/// <param name=\"{name}\">The points of cloud <c>{name}</c> ({role}), row-major: one row of <paramref name=\"d\"/> features per point.</param>");
            if (_p.WeightNames[c] is { } w)
                _w.WriteLine($"/// <param name=\"{w}\">The weights of the points of <c>{name}</c>: positive, one per point; both clouds' weights must have the same sum.</param>");
        }
        _w.WriteLine("/// <param name=\"d\">The number of features of a point, the same for both clouds.</param>");
    }

    private void DocParameters(bool options)
    {
        foreach (var p in _p.ParameterNames)
            _w.WriteLine($"/// <param name=\"{p}\">Parameter <c>{p}</c> of the formula.</param>");
        if (options) _w.WriteLine("/// <param name=\"options\">How the solver runs (ε-scaling, tolerance, iteration budget); null for <see cref=\"global::KernelDsl.SinkhornOptions.Default\"/>.</param>");
    }

    private void DocExceptions(bool outputs)
    {
        _w.WriteLine("/// <exception cref=\"global::System.ArgumentException\"><paramref name=\"d\"/> is below 1, a cloud is empty or its length is not a multiple of <paramref name=\"d\"/>, weights are not one per point, not positive or their sums differ"
            + (outputs ? ", or an output span is neither empty nor of its length, or overlaps an input or another output" : "") + ".</exception>");
        _w.WriteLine("/// <exception cref=\"global::System.ArgumentOutOfRangeException\">ε, computed from the parameters, is not positive and finite (the exception names the first parameter ε reads).</exception>");
    }

    private void DocSolveExceptions() =>
        _w.WriteLine("/// <exception cref=\"global::KernelDsl.SinkhornNotConvergedException\">The run did not converge and <see cref=\"global::KernelDsl.SinkhornOptions.ThrowIfNotConverged\"/> is set.</exception>");

    private string What => _t.Debiased
        ? "The debiased Sinkhorn divergence <c>S = OT_ε(a, b) - OT_ε(a, a)/2 - OT_ε(b, b)/2</c>"
        : "The entropic transport cost <c>OT_ε(a, b) = min_π ⟨π, C⟩ + ε KL(π | a ⊗ b) = ⟨a, f⟩ + ⟨b, g⟩</c>";

    private void Returns() =>
        _w.WriteLine("/// <returns>The value (accumulated in double), the iterations run, the marginal error, whether the run converged (check it, or read <see cref=\"global::KernelDsl.SinkhornResult.ConvergedValue\"/>), and ε.</returns>");

    private void ValueDocs()
    {
        _w.WriteLine($"/// <summary>{What} between the clouds <c>{X}</c> and <c>{Y}</c>{(Weighted ? "" : " with uniform weights")}, by the Sinkhorn solver.</summary>");
        DocClouds();
        DocParameters(options: true);
        Returns();
        DocExceptions(outputs: false);
        DocSolveExceptions();
        _w.WriteLine("/// <remarks>");
        _w.WriteLine("/// The plan: one run of the Sinkhorn solver (the GeomLoss scheme: ε-scaling from the clouds' diameter down to ε,");
        _w.WriteLine("/// symmetric log-domain updates, then updates at ε until the marginals hold to the tolerance). Every softmin is a");
        _w.WriteLine("/// log-sum-exp sweep over j of the pair engine with the cost <c>c(f)</c> below: memory O((n + m) d), never an n × m buffer.");
        _w.WriteLine("/// Weights absent from the header are uniform (1/n, 1/m).");
        _w.WriteLine("/// <code>");
        foreach (var line in _t.Describe(_p)) _w.WriteLine("/// " + CSharpText.XmlText(line));
        _w.WriteLine("/// </code>");
        _w.WriteLine("/// </remarks>");
    }

    private void GradientDocs(bool weights)
    {
        _w.WriteLine(weights
            ? "/// <summary>The value and its gradients with respect to the points and the weights of both clouds (through the converged potentials).</summary>"
            : "/// <summary>The value and its gradient with respect to the points of both clouds, through the converged potentials (the envelope theorem: no differentiation through the iterations).</summary>");
        DocClouds();
        _w.WriteLine($"/// <param name=\"{LoweredNames.GradientParameter(X)}\">Receives ∂value/∂{X} (row-major, as <c>{X}</c>); pass an empty span to skip it.</param>");
        _w.WriteLine($"/// <param name=\"{LoweredNames.GradientParameter(Y)}\">Receives ∂value/∂{Y} (row-major, as <c>{Y}</c>); pass an empty span to skip it.</param>");
        if (weights)
        {
            string debiased = _t.Debiased ? " minus the self problem's" : "";
            if (A != null) _w.WriteLine($"/// <param name=\"{LoweredNames.GradientParameter(A)}\">Receives ∂value/∂{A}: GeomLoss's convention, the potential f{debiased} (defined up to a constant: the weights' sums are tied); empty skips it.</param>");
            if (B != null) _w.WriteLine($"/// <param name=\"{LoweredNames.GradientParameter(B)}\">Receives ∂value/∂{B}: GeomLoss's convention, the potential g{debiased}; empty skips it.</param>");
        }
        DocParameters(options: true);
        Returns();
        DocExceptions(outputs: true);
        DocSolveExceptions();
    }

    private void PotentialDocs()
    {
        _w.WriteLine($"/// <summary>Solves OT_ε(a, b) and writes its dual potentials f (on <c>{X}</c>) and g (on <c>{Y}</c>), after a final exact update; the result is the formula's value.</summary>");
        DocClouds();
        _w.WriteLine($"/// <param name=\"f\">Receives f, one per point of <c>{X}</c>; empty skips it.</param>");
        _w.WriteLine($"/// <param name=\"g\">Receives g, one per point of <c>{Y}</c> (what <c>ApplyPlan</c> and <c>BarycentricMap</c> take); empty skips it.</param>");
        DocParameters(options: true);
        Returns();
        DocExceptions(outputs: true);
        DocSolveExceptions();
    }

    private void PlanDocs(bool barycentric)
    {
        _w.WriteLine(barycentric
            ? $"/// <summary>The barycentric map of the entropic plan, <c>T({X}_i) = Σ_j π_ij {Y}_j / a_i</c>, computed lazily from the potential g.</summary>"
            : "/// <summary>The entropic plan applied to a payload, <c>output[i, c] = Σ_j π_ij v[j, c]</c>, computed lazily from the potential g (π is never stored).</summary>");
        DocClouds();
        _w.WriteLine("/// <param name=\"g\">The potential g of a solve at the same ε (from <c>Potentials</c>).</param>");
        if (!barycentric)
        {
            _w.WriteLine($"/// <param name=\"v\">The payload, one row of <paramref name=\"p\"/> numbers per point of <c>{Y}</c>.</param>");
            _w.WriteLine("/// <param name=\"p\">The payload's width.</param>");
        }
        _w.WriteLine($"/// <param name=\"output\">Receives the result, one row of {(barycentric ? "<paramref name=\"d\"/>" : "<paramref name=\"p\"/>")} numbers per point of <c>{X}</c>.</param>");
        DocParameters(options: false);
        DocExceptions(outputs: true);
    }
}
