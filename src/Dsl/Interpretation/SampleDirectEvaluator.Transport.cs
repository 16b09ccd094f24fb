using System.Collections.Generic;
using KernelDsl.Language.Syntax;

namespace KernelDsl.Language.Interpretation;

/// <content>
/// Entropic optimal transport, <c>sinkhorn(c(x, y), ε)</c> and <c>sinkhorn_divergence(c(x, y), ε)</c>: the cost matrix
/// evaluated pair by pair from the syntax, the potentials from the dense solver (<see cref="DenseSinkhorn"/>), and the
/// value and its derivative from the dual objective at the optimum,
/// <c>D = ⟨a, f⟩ + ⟨b, g⟩ - ε Σ_ij a_i b_j (exp((f_i + g_j - C_ij) / ε) - 1)</c>: OT_ε is its maximum over (f, g), so
/// its derivative in any of a, b, C, ε is D's with f and g held (the envelope theorem). The self problems OT_ε(a, a) and
/// OT_ε(b, b) evaluate the same cost with one cloud's points on both sides (a seed on that cloud then moves both).
/// </content>
internal sealed partial class SampleDirectEvaluator
{
    private int Origin(int cloud) => _origin == null ? cloud : _origin[cloud];

    // The body when it is a transport call (parentheses aside), else null.
    private static CallSyntax? TransportCall(ExpressionSyntax body)
    {
        while (body is ParenthesizedSyntax p) body = p.Inner;
        return body is CallSyntax { Name: "sinkhorn" or "sinkhorn_divergence", Arguments.Count: 2 } c ? c : null;
    }

    private Dual Transport(CallSyntax call)
    {
        var epsilon = Eval(call.Arguments[1], new Env());
        var (ci, cj) = Free(call.Arguments[0], new Env());
        var ab = Problem(call.Arguments[0], ci, cj, ci, cj, epsilon);
        if (call.Name == "sinkhorn") return ab;
        var half = new Dual(0.5, 0);
        return ab - half * Problem(call.Arguments[0], ci, cj, ci, ci, epsilon) - half * Problem(call.Arguments[0], ci, cj, cj, cj, epsilon);
    }

    // OT_ε between cloud p (on i) and cloud q (on j), the cost written over the clouds (ci, cj).
    private Dual Problem(ExpressionSyntax cost, int ci, int cj, int p, int q, Dual epsilon)
    {
        var clouds = new List<double[]>(_in.Clouds);
        var weights = new List<double[]?>(_in.Weights);
        while (weights.Count < clouds.Count) weights.Add(null);
        var origin = new int[clouds.Count];
        for (int k = 0; k < origin.Length; k++) origin[k] = Origin(k);
        (clouds[ci], weights[ci], origin[ci]) = (_in.Clouds[p], Weights(p), Origin(p));
        (clouds[cj], weights[cj], origin[cj]) = (_in.Clouds[q], Weights(q), Origin(q));
        var inputs = new SampleInputs(_in.D, clouds, weights, _in.Parameters, _in.RowInputs, _in.Companions);
        var it = new SampleDirectEvaluator(_text, inputs, _seed, _seedIndex, _seedElement) { _origin = origin };
        int n = inputs.Rows[ci], m = inputs.Rows[cj];
        var c = new Dual[n * m];
        var values = new double[n * m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
            {
                c[i * m + j] = it.Eval(cost, new Env { I = i, J = j });
                values[i * m + j] = c[i * m + j].V;
            }
        var a = it.Marginal(ci, n);
        var b = it.Marginal(cj, m);
        var (f, g) = DenseSinkhorn.Solve(values, Values(a), Values(b), epsilon.V);
        var dual = new Dual(0, 0);
        for (int i = 0; i < n; i++) dual += a[i] * new Dual(f[i], 0);
        for (int j = 0; j < m; j++) dual += b[j] * new Dual(g[j], 0);
        var excess = new Dual(0, 0);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
                excess += a[i] * b[j] * (Exp((new Dual(f[i] + g[j], 0) - c[i * m + j]) / epsilon) - new Dual(1, 0));
        return dual - epsilon * excess;
    }

    private double[]? Weights(int cloud) => _in.Weights.Count > cloud ? _in.Weights[cloud] : null;

    // A cloud's weights as duals (seeded where the seed names them), or uniform 1/n.
    private Dual[] Marginal(int cloud, int count)
    {
        var w = new Dual[count];
        for (int p = 0; p < count; p++) w[p] = Weight(cloud, p) ?? new Dual(1.0 / count, 0);
        return w;
    }

    private static double[] Values(Dual[] v)
    {
        var r = new double[v.Length];
        for (int k = 0; k < v.Length; k++) r[k] = v[k].V;
        return r;
    }

    private static Dual Exp(Dual x)
    {
        double e = System.Math.Exp(x.V);
        return new Dual(e, e * x.D);
    }
}
