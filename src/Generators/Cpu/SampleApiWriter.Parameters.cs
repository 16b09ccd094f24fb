using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using KernelDsl.Language.Planning.Samples;

namespace KernelDsl.Generators.Cpu;

/// <content>
/// The overload of ValueAndGradient that also gives the gradients with respect to the weights and the parameters:
/// <c>dV/dθ = ∂V/∂θ + Σ_r dV/dR_r · Σ_ij w_i w_j ∂φ_r/∂θ(f_ij)</c>, one more pair sum per reduction and parameter (with the
/// term's derivative as its pair term), and <c>dV/da_i = Σ_r dV/dR_r · ∂R_r/∂a_i + dV/dΣa + 2 a_i dV/dΣa²</c>, one weighted
/// row sum (<c>PairSweep.RowSums</c>) per reduction the weights enter.
/// </content>
internal sealed partial class SampleApiWriter
{
    private bool WritesFullGradient => HasFullGradient(_p);

    /// <summary>
    /// True when the formula gets the overload with the weights' and the parameters' gradients: it has weights or
    /// parameters, and no terms of one point or row-level inputs (whose derivatives in them are not compiled yet).
    /// </summary>
    public static bool HasFullGradient(SamplePlan plan) =>
        plan.Field == null && plan.Points.Reductions.Count == 0 && !plan.HasRows
        && (plan.ParameterNames.Count > 0 || plan.WeightNames.Any(a => a != null));

    private bool HasParameters => _p.ParameterNames.Count > 0;

    private static string DW(string weights) => "d" + weights;

    // The span of the parameters' gradient: dParams, unless a header name (or a gradient span: a cloud named Params) took it.
    private string DP
    {
        get
        {
            var weights = _p.WeightNames.Where(a => a != null).Select(a => a!);
            var taken = new HashSet<string>(Clouds.Select(D).Concat(weights.Select(DW)).Concat(Clouds).Concat(weights).Concat(_p.ParameterNames));
            string name = "dParams";
            while (taken.Contains(name)) name += "_";
            return name;
        }
    }

    private string Scalar => _t == CpuType.Float ? Runtime + ".ScalarF" : Runtime + ".ScalarD";

    private static string Num(int k) => k.ToString(CultureInfo.InvariantCulture);

    private string FullGradParams()
    {
        var spans = new List<string>();
        for (int c = 0; c < Clouds.Count; c++)
        {
            spans.Add($"global::System.Span<{T}> {D(Clouds[c])}");
            if (Weight(c) is { } a) spans.Add($"global::System.Span<{T}> {DW(a)}");
        }
        if (HasParameters) spans.Add($"global::System.Span<{T}> {DP}");
        return string.Join(", ", spans);
    }

    private void WriteFullGradient()
    {
        _w.WriteLine();
        if (_docs)
        {
            _w.WriteLine("/// <summary>");
            _w.WriteLine("/// The value and its gradient with respect to the points of each cloud"
                + (_p.WeightNames.Any(a => a != null) ? ", their weights" : "") + (HasParameters ? " and the parameters" : "")
                + ": the points' gradients as the other overload computes them, then");
            if (_p.WeightNames.Any(a => a != null))
                _w.WriteLine("/// for weights one row sum of the pair term per reduction they enter (∂R/∂a_i = Σ_j b_j φ(f_ij), doubled for a self sum),");
            if (HasParameters)
                _w.WriteLine("/// for a parameter θ one pair sum of the term's derivative ∂φ/∂θ per reduction (see the plan in the remarks of <c>Value</c>),");
            _w.WriteLine("/// each scaled by the epilogue's slope dV/dR, plus the epilogue's own derivative.");
            _w.WriteLine("/// </summary>");
            DocClouds();
            for (int c = 0; c < Clouds.Count; c++)
            {
                _w.WriteLine($"/// <param name=\"{D(Clouds[c])}\">Receives the gradient with respect to the points of <c>{Clouds[c]}</c> (row-major, as <c>{Clouds[c]}</c>); pass an empty span to skip it.</param>");
                if (Weight(c) is { } a)
                    _w.WriteLine($"/// <param name=\"{DW(a)}\">Receives the gradient with respect to the weights <c>{a}</c> (one per point of <c>{Clouds[c]}</c>); pass an empty span to skip it.</param>");
            }
            if (HasParameters)
                _w.WriteLine($"/// <param name=\"{DP}\">Receives dV/dθ for each parameter, in header order ({string.Join(", ", _p.ParameterNames.Select(p => $"<c>{p}</c>"))}); pass an empty span to skip them.</param>");
            DocParams();
            _w.WriteLine("/// <returns>The value: pair terms in the element type, sums and the epilogue in double, rounded once at the end.</returns>");
            _w.WriteLine("/// <exception cref=\"global::System.ArgumentException\"><paramref name=\"d\"/> is below 1, a cloud is empty or its length is not a multiple of <paramref name=\"d\"/>, weights are not one per point, or a gradient span is neither empty nor as long as what it receives, or overlaps an input or another gradient.</exception>");
        }
        Header(T, "ValueAndGradient", SpanParams() + ", int d, " + FullGradParams() + ScalarParams());
        GradientBody(all: true);
    }

    private List<string> Inputs()
    {
        var inputs = new List<string>();
        for (int c = 0; c < Clouds.Count; c++)
        {
            inputs.Add(Id(Clouds[c]));
            if (Weight(c) is { } a) inputs.Add(Id(a));
        }
        return inputs;
    }

    // The weights' and the parameters' gradient spans: their lengths, and apart from the inputs and every other gradient.
    private void MoreGradientChecks()
    {
        const string checks = Runtime + ".SpanChecks";
        var inputs = Inputs();
        var before = Clouds.Select(D).ToList();
        void Check(string span, string length)
        {
            _w.WriteLine($"{checks}.Length({span}, {length}, nameof({span}));");
            string overlaps = string.Join(" || ", Chunks(inputs, 4).Select(chunk => $"{checks}.Overlaps({span}, {string.Join(", ", chunk)})"));
            _w.WriteLine($"if ({overlaps}) throw {Runtime}.Partials.Overlap(nameof({span}));");
            foreach (var other in before)
                _w.WriteLine($"{checks}.Apart({span}, {other}, nameof({span}), nameof({other}));");
            before.Add(span);
        }
        for (int c = 0; c < Clouds.Count; c++)
            if (Weight(c) is { } a) Check(DW(a), Id(a) + ".Length");
        if (HasParameters) Check(DP, Num(_p.ParameterNames.Count));
    }

    // One reduction's share in the gradient of a cloud's weights: a row sum of its term over the other side (weighted
    // where that side is), times Scale · dV/dR; a self sum without its diagonal loses a_i φ(f_ii) from each row.
    private readonly struct WeightShare
    {
        public WeightShare(int reduction, int other, bool otherWeighted, bool self)
        {
            Reduction = reduction;
            Other = other;
            OtherWeighted = otherWeighted;
            Self = self;
        }

        public int Reduction { get; }
        public int Other { get; }
        public bool OtherWeighted { get; }
        public bool Self { get; }
    }

    private List<WeightShare> WeightShares(int cloud)
    {
        var shares = new List<WeightShare>();
        for (int r = 0; r < _p.Reductions.Count; r++)
        {
            var red = _p.Reductions[r];
            if (_p.Slopes[r] == null) continue;
            if (red.IsSelf && red.CloudI == cloud && red.WeightedI) shares.Add(new WeightShare(r, cloud, true, true));
            else if (!red.IsSelf && red.CloudI == cloud && red.WeightedI) shares.Add(new WeightShare(r, red.CloudJ, red.WeightedJ, false));
            else if (!red.IsSelf && red.CloudJ == cloud && red.WeightedJ) shares.Add(new WeightShare(r, red.CloudI, red.WeightedI, false));
        }
        return shares;
    }

    private void WeightGradient(int cloud, HashSet<int> written)
    {
        if (Weight(cloud) is not { } weights) return;
        string a = Id(weights), da = DW(weights), x = Id(Clouds[cloud]);
        var shares = WeightShares(cloud);
        string? sum = null, square = null;
        for (int s = 0; s < _p.Scalars.Count; s++)
        {
            var (kind, c) = _p.Scalars[s];
            if (c != cloud || _p.Gradients.ScalarSlopes[s] is not { } slope) continue;
            if (kind == SampleScalarKind.WeightSum) sum = Epilogue(slope, written);
            else if (kind == SampleScalarKind.WeightSquareSum) square = Epilogue(slope, written);
        }
        var parts = shares.Select(s => (_p.Reductions[s.Reduction].IsSelf ? "2 · " : "") + $"{G(s.Reduction)} · Σ_j φ{_p.Reductions[s.Reduction].Term}(f_ij)"
            + (s.OtherWeighted ? " " + Weight(s.Other) + "_j" : "") + (s.Self && !_p.Reductions[s.Reduction].Diagonal ? " (j ≠ i)" : "")).ToList();
        if (sum != null) parts.Add($"dV/dΣ{weights}");
        if (square != null) parts.Add($"2 {weights}_i dV/dΣ{weights}²");
        _w.WriteLine($"// The gradient in {weights}: " + (parts.Count == 0 ? "zero (the value does not read them)." : string.Join(" + ", parts) + "."));
        using (_w.Block($"if (!{da}.IsEmpty)"))
        {
            if (shares.Count == 0)
            {
                using (_w.Block($"for (int _i = 0; _i < {da}.Length; _i++)"))
                    _w.WriteLine($"{da}[_i] = ({T})({Direct(sum, square, a)});");
                return;
            }
            _w.WriteLine($"double[] _accumulator = global::System.Buffers.ArrayPool<double>.Shared.Rent({da}.Length);");
            _w.WriteLine($"{T}[] _rows = global::System.Buffers.ArrayPool<{T}>.Shared.Rent({da}.Length);");
            using (_w.Block("try"))
            {
                _w.WriteLine($"global::System.Span<double> _sum = global::System.MemoryExtensions.AsSpan(_accumulator, 0, {da}.Length);");
                _w.WriteLine($"global::System.Span<{T}> _row = global::System.MemoryExtensions.AsSpan(_rows, 0, {da}.Length);");
                using (_w.Block($"for (int _i = 0; _i < _sum.Length; _i++)"))
                    _w.WriteLine($"_sum[_i] = {Direct(sum, square, a)};");
                foreach (var s in shares) WeightShareCode(s, weights, x, a);
                using (_w.Block($"for (int _i = 0; _i < _sum.Length; _i++)"))
                    _w.WriteLine($"{da}[_i] = ({T})_sum[_i];");
            }
            using (_w.Block("finally"))
            {
                _w.WriteLine($"global::System.Buffers.ArrayPool<{T}>.Shared.Return(_rows);");
                _w.WriteLine("global::System.Buffers.ArrayPool<double>.Shared.Return(_accumulator);");
            }
        }
    }

    // dV/dΣa + 2 a_i dV/dΣa², the part of a weight's gradient that comes through the epilogue's weight sums.
    private static string Direct(string? sum, string? square, string a)
    {
        var terms = new List<string>();
        if (sum != null) terms.Add(sum);
        if (square != null) terms.Add($"2.0 * {square} * {a}[_i]");
        return terms.Count == 0 ? "0.0" : string.Join(" + ", terms);
    }

    private void WeightShareCode(WeightShare s, string weights, string x, string a)
    {
        var red = _p.Reductions[s.Reduction];
        string term = "_term" + Num(red.Term), other = Id(Clouds[s.Other]);
        string scale = red.IsSelf ? $"2.0 * {G(s.Reduction)}" : G(s.Reduction);
        _w.WriteLine($"// {Describe(s.Reduction)}: ∂/∂{weights}_i = {(red.IsSelf ? "2 · " : "")}Σ_j{(red.IsSelf && !red.Diagonal ? " (j ≠ i)" : "")} {(s.OtherWeighted ? Weight(s.Other) + "_j " : "")}φ{red.Term}(f_ij)");
        _w.WriteLine($"{Sweep}.RowSums(in {term}, {x}, {other}, {WeightArg(s.Other, s.OtherWeighted)}, d, _row);");
        using (_w.Block($"for (int _i = 0; _i < _sum.Length; _i++)"))
            _w.WriteLine($"_sum[_i] += {scale} * _row[_i];");
        if (!red.IsSelf || red.Diagonal) return;
        // The row sums took j = i; the off-diagonal sum leaves it out: a_i φ(f_ii), f_ii = 0 for sqdist, |x_i|² for dot.
        if (_p.Terms[red.Term].Feature == SampleFeature.SquaredDistance)
        {
            _w.WriteLine($"double _diagonal{Num(s.Reduction)} = {term}.Value<{T}, {Scalar}>(({T})0);");
            using (_w.Block($"for (int _i = 0; _i < _sum.Length; _i++)"))
                _w.WriteLine($"_sum[_i] -= {scale} * {a}[_i] * _diagonal{Num(s.Reduction)};");
        }
        else
            using (_w.Block($"for (int _i = 0; _i < _sum.Length; _i++)"))
            {
                _w.WriteLine($"{T} _f = 0;");
                _w.WriteLine($"for (int _k = 0; _k < d; _k++) _f += {x}[_i * d + _k] * {x}[_i * d + _k];");
                _w.WriteLine($"_sum[_i] -= {scale} * {a}[_i] * {term}.Value<{T}, {Scalar}>(_f);");
            }
    }

    // dV/dθ for each parameter: the epilogue's own derivative, plus each reduction's slope times the pair sum of ∂φ/∂θ.
    private void ParameterGradient(HashSet<int> written)
    {
        if (!HasParameters) return;
        var g = _p.Gradients;
        var direct = new string?[_p.ParameterNames.Count];
        for (int p = 0; p < direct.Length; p++)
            if (g.ParameterSlopes[p] is { } slope) direct[p] = Epilogue(slope, written);
        string dp = DP, args = string.Join(", ", _p.ParameterNames.Select(Id));
        _w.WriteLine($"// The gradient in the parameters: dV/dθ = ∂V/∂θ + Σ_r dV/dR_r · Σ_ij w_i w_j ∂φ_r/∂θ(f_ij).");
        using (_w.Block($"if (!{dp}.IsEmpty)"))
        {
            for (int p = 0; p < direct.Length; p++)
            {
                string name = _p.ParameterNames[p], acc = "_d" + Num(p);
                _w.WriteLine($"double {acc} = {direct[p] ?? "0.0"}; // ∂V/∂{name}, the reductions held");
                var declared = new HashSet<int>();
                for (int r = 0; r < _p.Reductions.Count; r++)
                {
                    var red = _p.Reductions[r];
                    if (_p.Slopes[r] == null || g.Find(red.Term, p) == null) continue;
                    string term = "_dterm" + Num(red.Term) + "_" + Num(p);
                    if (declared.Add(red.Term))
                        _w.WriteLine($"var {term} = new {SampleTermWriter.ParameterName(red.Term, p)}<{T}>({args});");
                    _w.WriteLine($"// {Describe(r)}, with ∂φ{red.Term}/∂{name} for φ{red.Term}");
                    _w.WriteLine($"{acc} += {G(r)} * {ValueCall(r, term)};");
                }
                _w.WriteLine($"{dp}[{Num(p)}] = ({T}){acc};");
            }
        }
    }
}
