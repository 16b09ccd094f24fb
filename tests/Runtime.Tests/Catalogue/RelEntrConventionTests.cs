using KernelDsl.Catalogue;
using KernelDsl.Language.Interpretation;

namespace KernelDsl.Runtime.Tests.Catalogue;

/// <summary>
/// rel_entr's gradient off the positive half-line of p, where the kernels follow torch's kl_div target gradient: d/dp is
/// log(p/q) + 1 where p &gt; 0 and 0 elsewhere; d/dq is -p/q, and 0 where p = 0 (even at q = 0). The
/// <see cref="DirectEvaluator"/> oracle and the generated KullbackLeibler kernels, double and float, are each checked
/// against that closed form, lane for lane, on rows where p is 0 (q positive or 0) and negative at some lanes.
/// </summary>
public class RelEntrConventionTests
{
    private static (double[] P, double[] Q) Inputs()
    {
        int n = 37; // not a multiple of any vector's lane count: whole vectors and a tail at whatever width runs
        var rng = new Random(5);
        var p = new double[n];
        var q = new double[n];
        for (int i = 0; i < n; i++)
        {
            p[i] = (i % 3) switch { 0 => 0.0, 1 => 0.01 + rng.NextDouble(), _ => i % 5 == 0 ? -0.25 : 0.01 + rng.NextDouble() };
            q[i] = i % 6 == 0 ? 0.0 : 0.01 + rng.NextDouble(); // p = q = 0 at every sixth lane
        }

        return (p, q);
    }

    private static double ClosedDp(double p, double q) => p > 0 ? Math.Log(p / q) + 1 : 0.0;

    private static double ClosedDq(double p, double q) => p == 0 ? 0.0 : -p / q;

    // Relative to the larger of 1 and |expected| (log(p/q) + 1 cancels near p/q = 1/e); an expected 0 must be 0 exactly.
    private static void Near(double expected, double actual, double rel, string what)
    {
        if (expected == 0) Assert.True(actual == 0, $"{what}: expected 0, got {actual}");
        else Assert.True(Math.Abs(actual - expected) <= rel * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected}, got {actual}");
    }

    [Fact]
    public void The_oracle_follows_the_convention_where_p_is_zero_or_negative()
    {
        var (p, q) = Inputs();
        var r = DirectEvaluator.Evaluate(KullbackLeibler.Formula, new[] { p, q }, Array.Empty<double>());
        for (int i = 0; i < p.Length; i++)
        {
            Near(ClosedDp(p[i], q[i]), r.InputGradients[0][i], 1e-14, $"oracle d/dp at p = {p[i]}, q = {q[i]}");
            Near(ClosedDq(p[i], q[i]), r.InputGradients[1][i], 1e-14, $"oracle d/dq at p = {p[i]}, q = {q[i]}");
        }
    }

    [Fact]
    public void The_double_kernel_follows_the_convention_where_p_is_zero_or_negative()
    {
        var (p, q) = Inputs();
        double[] dp = new double[p.Length], dq = new double[p.Length];
        KullbackLeibler.ValueAndGradient(p, q, dp, dq);
        for (int i = 0; i < p.Length; i++)
        {
            Near(ClosedDp(p[i], q[i]), dp[i], 1e-12, $"kernel d/dp at p = {p[i]}, q = {q[i]}");
            Near(ClosedDq(p[i], q[i]), dq[i], 1e-12, $"kernel d/dq at p = {p[i]}, q = {q[i]}");
        }
    }

    [Fact]
    public void The_float_kernel_follows_the_convention_where_p_is_zero_or_negative()
    {
        var (pd, qd) = Inputs();
        float[] p = pd.Select(x => (float)x).ToArray(), q = qd.Select(x => (float)x).ToArray();
        float[] dp = new float[p.Length], dq = new float[p.Length];
        KullbackLeibler.ValueAndGradient(p, q, dp, dq);
        for (int i = 0; i < p.Length; i++)
        {
            Near(ClosedDp(p[i], q[i]), dp[i], 1e-5, $"kernel d/dp at p = {p[i]}, q = {q[i]}");
            Near(ClosedDq(p[i], q[i]), dq[i], 1e-5, $"kernel d/dq at p = {p[i]}, q = {q[i]}");
        }
    }
}
