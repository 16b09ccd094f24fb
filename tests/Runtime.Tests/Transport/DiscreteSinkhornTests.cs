using System.Text.Json;
using KernelDsl.Catalogue;
using static KernelDsl.Runtime.Tests.Catalogue.Reference;

namespace KernelDsl.Runtime.Tests.Transport;

/// <summary>
/// <see cref="DiscreteSinkhorn"/> against samples/sinkhorn_pot (POT's convention, float64, run to 1e-15), POT's docstring
/// example, an independent double oracle (<see cref="DiscreteOracle"/>), closed forms at small reg, the entropic value's
/// gradient (P, by central differences), convergence reporting and float.
/// </summary>
/// <remarks>
/// Bounds. double: values 1e-9 relative, plan entries 1e-9 absolute (entries are at most 1; the reference stopped at
/// 1e-15 relative change of u, this solver at a row error of 1e-14). float: costs and weights rounded to float, lanes in
/// float, logs and sums in double; the plan's exponent lu_i + lv_j - M_ij/reg carries about (|lu| + |lv| + |M|/reg) ·
/// 2^-24 absolute error, so with |M| ≤ 1 and reg ≥ 0.05 entries are within 4e-6 relative; the run stops at a row error
/// e = 2e-6 (L1), which moves entries by at most e and ⟨P, M⟩ by at most e · max M: entries are tested at 1e-5 relative
/// plus e absolute, the value at 2e-5 relative plus e.
/// </remarks>
public class DiscreteSinkhornTests
{
    private static readonly SinkhornOptions Tight = new() { Tolerance = 1e-14, MaxIterations = 100_000 };

    private static IReadOnlyList<JsonElement> PotCases() => Cases("samples/sinkhorn_pot");

    private static string Name(JsonElement c) => c.GetProperty("name").GetString()!;

    [Fact]
    public void Double_MatchesPot_ValueAndPlan_EveryCase()
    {
        var cases = PotCases();
        Assert.Equal(8, cases.Count);
        foreach (var c in cases)
        {
            int n = c.GetProperty("n").GetInt32(), m = c.GetProperty("m").GetInt32();
            double[] a = Array(c, "a"), b = Array(c, "b"), M = Array(c, "M"), plan = Array(c, "plan");
            double reg = Param(c, "reg");
            var p = new double[n * m];
            var result = DiscreteSinkhorn.Sinkhorn(a, b, M, n, m, reg, p, Tight);
            Assert.True(result.Converged, $"{Name(c)}: error {result.MarginalError} after {result.Iterations}");
            Assert.Equal(reg, result.Epsilon);
            Close(c.GetProperty("value").GetDouble(), result.Value, 1e-9, 0, Name(c) + " value");
            for (int k = 0; k < p.Length; k++) Close(plan[k], p[k], 0, 1e-9, $"{Name(c)} plan[{k}]");
            Assert.Equal(result.Value, DiscreteSinkhorn.Sinkhorn2(a, b, M, n, m, reg, Tight).Value); // same run, same bits
        }
    }

    [Fact]
    public void Float_MatchesPot_WithinTheStatedBound()
    {
        foreach (var c in PotCases())
        {
            int n = c.GetProperty("n").GetInt32(), m = c.GetProperty("m").GetInt32();
            double[] plan = Array(c, "plan");
            var p = new float[n * m];
            const double tolerance = 2e-6;
            var result = DiscreteSinkhorn.Sinkhorn(DiscreteOracle.ToFloat(Array(c, "a")), DiscreteOracle.ToFloat(Array(c, "b")),
                DiscreteOracle.ToFloat(Array(c, "M")), n, m, Param(c, "reg"), p, new SinkhornOptions { Tolerance = tolerance });
            Assert.True(result.Converged, $"{Name(c)}: error {result.MarginalError} after {result.Iterations}");
            // A row error e moves <P, M> by at most e · max M (here max M < 1).
            Close(c.GetProperty("value").GetDouble(), result.Value, 2e-5, tolerance, Name(c) + " float value");
            for (int k = 0; k < p.Length; k++) Close(plan[k], p[k], 1e-5, tolerance, $"{Name(c)} float plan[{k}]");
        }
    }

    [Fact]
    public void PotsDocstringExample_GivesItsValue()
    {
        double[] a = { .5, .5 }, M = { 0, 1, 1, 0 };
        Close(0.26894142136999516, DiscreteSinkhorn.Sinkhorn2(a, a, M, 2, 2, 1.0).Value, 1e-14, 0, "double");
        Close(0.26894142136999516, DiscreteSinkhorn.Sinkhorn2(a, a, M, 2, 2, 1.0, Tight).Value, 1e-15, 0, "double, tight");
        Close(0.26894142136999516, DiscreteSinkhorn.Sinkhorn2(new[] { .5f, .5f }, new[] { .5f, .5f }, new[] { 0f, 1, 1, 0 }, 2, 2, 1.0).Value, 1e-6, 0, "float");
        // Empty weights are uniform.
        Close(0.26894142136999516, DiscreteSinkhorn.Sinkhorn2(default, default, M, 2, 2, 1.0).Value, 1e-14, 0, "uniform");
    }

    [Fact]
    public void MatchesTheOracle_RectangularWithWeights_PotentialsAndEntropicValue()
    {
        foreach (var (n, m, reg, seed) in new[] { (7, 13, 0.1, 1), (40, 33, 0.02, 2), (3, 70, 0.5, 3) })
        {
            var (a, b, M) = DiscreteOracle.Random(n, m, seed);
            var o = DiscreteOracle.Solve(a, b, M, n, m, reg);
            double[] plan = new double[n * m], f = new double[n], g = new double[m], entropic = new double[1];
            var r = DiscreteSinkhorn.Solve(a, b, M, n, m, reg, new DiscreteSinkhornOutputs<double> { Plan = plan, PotentialF = f, PotentialG = g, EntropicValue = entropic }, Tight);
            Assert.True(r.Converged);
            string what = $"n{n} m{m} reg{reg}";
            Close(o.Cost, r.Value, 1e-10, 0, what + " value");
            Close(o.Entropic, entropic[0], 1e-10, 1e-14, what + " entropic");
            // At convergence the entropic value is <a, f> + <b, g>.
            Close(a.Zip(f, (x, y) => x * y).Sum() + b.Zip(g, (x, y) => x * y).Sum(), entropic[0], 1e-10, 1e-14, what + " dual");
            for (int k = 0; k < plan.Length; k++) Close(o.Plan[k], plan[k], 0, 1e-12, $"{what} plan[{k}]");
            // The potentials reproduce the plan: P_ij = a_i b_j exp((f_i + g_j - M_ij) / reg).
            for (int i = 0; i < n; i++)
                for (int j = 0; j < m; j++)
                    Close(plan[i * m + j], a[i] * b[j] * Math.Exp((f[i] + g[j] - M[i * m + j]) / reg), 1e-10, 1e-300, $"{what} P from f, g [{i},{j}]");
            // Columns exact, rows to the reported error.
            for (int j = 0; j < m; j++) Close(b[j], Enumerable.Range(0, n).Sum(i => plan[i * m + j]), 1e-12, 0, $"{what} column {j}");
            double rowError = Enumerable.Range(0, n).Sum(i => Math.Abs(Enumerable.Range(0, m).Sum(j => plan[i * m + j]) - a[i]));
            Assert.True(rowError <= 1e-14 + 1e-15 * n, $"{what}: row error {rowError}");
            Close(r.MarginalError, rowError, 0, 1e-15 * n, what + " reported error");
        }
    }

    [Fact]
    public void EntropicValue_HasThePlanAsItsGradientInM_SinkhornTwoDoesNot()
    {
        var (a, b, M) = DiscreteOracle.Random(5, 6, 7);
        const double reg = 0.2, h = 1e-5;
        var plan = new double[30];
        DiscreteSinkhorn.Sinkhorn(a, b, M, 5, 6, reg, plan, Tight);
        double maxCostGap = 0;
        foreach (int k in new[] { 0, 7, 14, 29 })
        {
            double Entropic(double delta, out double cost)
            {
                var Mp = (double[])M.Clone();
                Mp[k] += delta;
                var e = new double[1];
                cost = DiscreteSinkhorn.Solve(a, b, Mp, 5, 6, reg, new DiscreteSinkhornOutputs<double> { EntropicValue = e }, Tight).Value;
                return e[0];
            }
            double fd = (Entropic(h, out double cp) - Entropic(-h, out double cm)) / (2 * h);
            Close(plan[k], fd, 1e-6, 1e-9, $"d entropic / dM[{k}]");
            maxCostGap = Math.Max(maxCostGap, Math.Abs((cp - cm) / (2 * h) - plan[k]));
        }
        Assert.True(maxCostGap > 1e-3, $"d<P, M>/dM differs from P (gap {maxCostGap})");
    }

    [Fact]
    public void SmallReg_UniquePermutation_PlanIsThePermutationOverN_NoNaN()
    {
        // M is 0 on a permutation σ and at least 0.5 elsewhere: the unique optimal plan is σ / n, and at reg = 1e-3 the
        // other entries are below e^-500 (exp(-M / reg) underflows in float, and in double past M = 0.745).
        const int n = 24;
        var rng = new Random(11);
        int[] sigma = Enumerable.Range(0, n).OrderBy(_ => rng.Next()).ToArray();
        var M = new double[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) M[i * n + j] = j == sigma[i] ? 0 : 0.5 + 0.5 * rng.NextDouble();
        foreach (var isFloat in new[] { false, true })
        {
            double[] plan = new double[n * n];
            SinkhornResult r;
            if (isFloat)
            {
                var pf = new float[n * n];
                r = DiscreteSinkhorn.Sinkhorn(default, default, DiscreteOracle.ToFloat(M), n, n, 1e-3, pf);
                plan = pf.Select(v => (double)v).ToArray();
            }
            else r = DiscreteSinkhorn.Sinkhorn(default, default, M, n, n, 1e-3, plan);
            Assert.True(r.Converged, $"error {r.MarginalError} after {r.Iterations}");
            Assert.True(double.IsFinite(r.Value));
            Close(0, r.Value, 0, 1e-200, "value");
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    Close(j == sigma[i] ? 1.0 / n : 0, plan[i * n + j], isFloat ? 1e-6 : 1e-14, 1e-200, $"{(isFloat ? "float" : "double")} plan[{i},{j}]");
        }
    }

    [Fact]
    public void SmallReg_RandomCosts_MatchesTheOracle()
    {
        // reg = 1e-3 with costs in [0, 1]: exp(-M / reg) underflows to 0 for most entries (POT's default method gives NaN).
        var (a, b, M) = DiscreteOracle.Random(12, 10, 5);
        var o = DiscreteOracle.Solve(a, b, M, 12, 10, 1e-3, 1e-13);
        var plan = new double[120];
        var r = DiscreteSinkhorn.Sinkhorn(a, b, M, 12, 10, 1e-3, plan, new SinkhornOptions { Tolerance = 1e-13, MaxIterations = 1_000_000 });
        Assert.True(r.Converged, $"error {r.MarginalError} after {r.Iterations}");
        Assert.All(plan, p => Assert.True(double.IsFinite(p)));
        Close(o.Cost, r.Value, 1e-9, 0, "value");
        for (int k = 0; k < plan.Length; k++) Close(o.Plan[k], plan[k], 0, 1e-9, $"plan[{k}]");
    }

    [Fact]
    public void NotConverged_IsReported_AndThrowsOnRequest()
    {
        var (a, b, M) = DiscreteOracle.Random(30, 30, 9);
        var options = new SinkhornOptions { Tolerance = 1e-12, MaxIterations = 3 };
        var r = DiscreteSinkhorn.Sinkhorn2(a, b, M, 30, 30, 1e-3, options);
        Assert.False(r.Converged);
        Assert.Equal(3, r.Iterations);
        Assert.True(r.MarginalError > 1e-12 && double.IsFinite(r.MarginalError), $"error {r.MarginalError}");
        Assert.Throws<SinkhornNotConvergedException>(() => r.ConvergedValue);
        var e = Assert.Throws<SinkhornNotConvergedException>(() =>
            DiscreteSinkhorn.Sinkhorn2(a, b, M, 30, 30, 1e-3, new SinkhornOptions { Tolerance = 1e-12, MaxIterations = 3, ThrowIfNotConverged = true }));
        Assert.Equal(r, e.Result);
        // Given the budget it converges, and reports fewer iterations than the budget.
        var done = DiscreteSinkhorn.Sinkhorn2(a, b, M, 30, 30, 1e-3, new SinkhornOptions { Tolerance = 1e-9, MaxIterations = 1_000_000 });
        Assert.True(done.Converged && done.Iterations < 1_000_000 && done.MarginalError <= 1e-9, $"error {done.MarginalError} after {done.Iterations}");
    }

    [Fact]
    public void Float_NullOptions_AreFloatDefaultOptions_Tolerance1e5_AndOverrelaxationAndStallAreNotUsed()
    {
        Assert.Equal(1e-5, DiscreteSinkhorn.FloatDefaultOptions.Tolerance);
        Assert.Equal(1000, DiscreteSinkhorn.FloatDefaultOptions.MaxIterations);
        var (a, b, M) = DiscreteOracle.Random(30, 30, 9);
        float[] af = a.Select(v => (float)v).ToArray(), bf = b.Select(v => (float)v).ToArray(), mf = M.Select(v => (float)v).ToArray();
        var none = DiscreteSinkhorn.Sinkhorn2(af, bf, mf, 30, 30, 0.05);
        Assert.True(none.Converged && none.MarginalError <= 1e-5, $"error {none.MarginalError}");
        Assert.Equal(DiscreteSinkhorn.Sinkhorn2(af, bf, mf, 30, 30, 0.05, DiscreteSinkhorn.FloatDefaultOptions), none);
        // Not the double default (1e-9): that one runs longer (or to its budget, float rounding keeps the error near 1e-6).
        var tight = DiscreteSinkhorn.Sinkhorn2(af, bf, mf, 30, 30, 0.05, DiscreteSinkhorn.DefaultOptions);
        Assert.True(tight.Iterations > none.Iterations, $"{tight.Iterations} vs {none.Iterations}");
        // Over-relaxation and the stall rule belong to the point-cloud solver: here they change nothing, and nothing stalls.
        var ignored = DiscreteSinkhorn.Sinkhorn2(af, bf, mf, 30, 30, 0.05,
            new SinkhornOptions { Tolerance = 1e-5, MaxIterations = 1000, Overrelaxation = 1.9, StallIterations = 1 });
        Assert.Equal(none, ignored);
        var budget = DiscreteSinkhorn.Sinkhorn2(af, bf, mf, 30, 30, 0.05, new SinkhornOptions { Tolerance = 0, MaxIterations = 200, StallIterations = 1 });
        Assert.False(budget.Stalled);
        Assert.Equal(200, budget.Iterations);
    }
}
