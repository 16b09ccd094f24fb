using KernelDsl.Runtime.Tests.Catalogue;
using KernelDsl.Runtime.Tests.Pairs;

namespace KernelDsl.Runtime.Tests.Transport;

/// <summary>
/// OT_ε, the potentials, the lazy plan (ApplyPlan) and the barycentric map against the dense double log-domain Sinkhorn
/// of the test (<see cref="DenseSinkhorn"/>), for |x - y|² / 2 and for the smoothed distance; the plan's marginals
/// (ApplyPlan of 1 gives a; of the identity, the whole plan, whose column sums give b).
/// </summary>
public class SinkhornPlanTests
{
    private static readonly SinkhornOptions Tight = new() { Tolerance = 1e-14, MaxIterations = 100_000 };

    [Theory]
    [InlineData(false, 11, 7, 2, 0.3)]
    [InlineData(false, 30, 45, 3, 0.05)]
    [InlineData(true, 13, 9, 2, 0.2)]
    [InlineData(true, 5, 40, 1, 0.02)]
    public void ValuePotentialsPlanAndMap_MatchTheDenseOracle(bool smooth, int n, int m, int d, double eps)
    {
        double[] x = PairOracle.Normal(n * d, 70 + n), y = PairOracle.Normal(m * d, 80 + m).Select(v => 1.2 * v - 0.3).ToArray();
        double[] a = PairOracle.Positive(n, 90), b = PairOracle.Positive(m, 91);
        double sa = a.Sum(), sb = b.Sum();
        a = a.Select(v => v / sa).ToArray();
        b = b.Select(v => v / sb).ToArray();
        var dense = DenseSinkhorn.Solve(DenseSinkhorn.Cost(x, y, d, smooth ? SmoothDistance<double>.Of : DenseSinkhorn.HalfSquared), a, b, eps);

        double[] f = new double[n], g = new double[m];
        var outputs = new SinkhornOutputs<double> { PotentialF = f, PotentialG = g };
        var r = smooth
            ? SinkhornSweep.Solve(new SmoothDistance<double>(), x, a, y, b, d, eps, false, Tight, outputs)
            : SinkhornSweep.Solve(new HalfSquaredDistance<double>(), x, a, y, b, d, eps, false, Tight, outputs);
        Assert.True(r.Converged);
        Reference.Close(dense.Value, r.Value, 1e-10, 1e-12, "OT_ε");

        // the potentials are unique up to (f + k, g - k): compare after the shift that matches their means
        double k = Enumerable.Range(0, m).Average(j => dense.G[j] - g[j]);
        for (int i = 0; i < n; i++) Reference.Close(dense.F[i], f[i] - k, 1e-9, 1e-10, $"f[{i}]");
        for (int j = 0; j < m; j++) Reference.Close(dense.G[j], g[j] + k, 1e-9, 1e-10, $"g[{j}]");

        // the whole plan: ApplyPlan of the m × m identity
        var identity = new double[m * m];
        for (int j = 0; j < m; j++) identity[j * m + j] = 1;
        var plan = new double[n * m];
        Apply(smooth, x, a, y, b, d, eps, g, identity, m, plan);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++) Reference.Close(dense.Plan[i, j], plan[i * m + j], 1e-9, 1e-13, $"π[{i}, {j}]");
        for (int j = 0; j < m; j++) Reference.Close(b[j], Enumerable.Range(0, n).Sum(i => plan[i * m + j]), 1e-9, 1e-13, $"column {j}");

        // ApplyPlan of 1 is a (the rows hold exactly: f is recomputed from g)
        var rows = new double[n];
        Apply(smooth, x, a, y, b, d, eps, g, Enumerable.Repeat(1.0, m).ToArray(), 1, rows);
        for (int i = 0; i < n; i++) Reference.Close(a[i], rows[i], 1e-13, 0, $"row {i}");

        // the barycentric map T(x_i) = Σ_j π_ij y_j / a_i
        var map = new double[n * d];
        if (smooth) SinkhornSweep.BarycentricMap(new SmoothDistance<double>(), x, a, y, b, d, eps, g, map);
        else SinkhornSweep.BarycentricMap(new HalfSquaredDistance<double>(), x, a, y, b, d, eps, g, map);
        for (int i = 0; i < n; i++)
            for (int c = 0; c < d; c++)
            {
                double want = 0;
                for (int j = 0; j < m; j++) want += dense.Plan[i, j] * y[j * d + c];
                Reference.Close(want / a[i], map[i * d + c], 1e-9, 1e-11, $"T(x_{i})[{c}]");
            }
    }

    private static void Apply(bool smooth, double[] x, double[] a, double[] y, double[] b, int d, double eps, double[] g, double[] v, int p, double[] output)
    {
        if (smooth) SinkhornSweep.ApplyPlan(new SmoothDistance<double>(), x, a, y, b, d, eps, g, v, p, output);
        else SinkhornSweep.ApplyPlan(new HalfSquaredDistance<double>(), x, a, y, b, d, eps, g, v, p, output);
    }

    [Fact]
    public void DebiasedSelfTerms_MatchTheDenseOracle()
    {
        int n = 10, m = 8, d = 2;
        const double eps = 0.1;
        double[] x = PairOracle.Normal(n * d, 5), y = PairOracle.Normal(m * d, 6).Select(v => v + 1).ToArray();
        double[] a = Enumerable.Repeat(1.0 / n, n).ToArray(), b = Enumerable.Repeat(1.0 / m, m).ToArray();
        double ab = DenseSinkhorn.Solve(DenseSinkhorn.Cost(x, y, d, DenseSinkhorn.HalfSquared), a, b, eps).Value;
        double aa = DenseSinkhorn.SolveSelf(DenseSinkhorn.Cost(x, x, d, DenseSinkhorn.HalfSquared), a, eps);
        double bb = DenseSinkhorn.SolveSelf(DenseSinkhorn.Cost(y, y, d, DenseSinkhorn.HalfSquared), b, eps);
        var r = SinkhornSweep.Solve(new HalfSquaredDistance<double>(), x, default, y, default, d, eps, true, Tight, default);
        Reference.Close(ab - aa / 2 - bb / 2, r.Value, 1e-10, 1e-12, "S");
    }
}
