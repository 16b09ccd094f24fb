using KernelDsl.Catalogue;
using KernelDsl.Runtime.Tests.Catalogue;
using KernelDsl.Runtime.Tests.Pairs;

namespace KernelDsl.Runtime.Tests.Transport;

/// <summary>
/// The entropic Monge gap M = (1/n) Σ_i |x_i - t_i|²/2 - OT_ε(x, t): a translation (optimal for the quadratic cost)
/// gives -ε log n ≤ M ≤ 0 (on a jittered grid: a translated copy of a cloud with an outlier converges very slowly, the
/// outlier's mass sitting on its own image, so the test uses a grid and asks for a marginal error of 1e-7) (OT_ε ≥ OT_0 = the mean cost; the identity coupling bounds the entropy by log n), a random map
/// a clearly positive gap; the value against the dense oracle; gradients against central differences; float
/// within a stated bound.
/// </summary>
public class MongeGapTests
{
    private static readonly SinkhornOptions Tight = new() { Tolerance = 1e-10, MaxIterations = 100_000 };

    [Theory]
    [InlineData(7, 2, 0.1)]
    [InlineData(5, 3, 0.1)]
    public void Translation_HasAGapBetweenMinusEpsLogNAndZero(int side, int d, double blur)
    {
        // a jittered grid of side^d points, spacing 0.25: no outlier, whose mass would sit on its own image and crawl
        int n = (int)Math.Pow(side, d);
        double[] jitter = PairOracle.Normal(n * d, n);
        double[] x = new double[n * d];
        for (int i = 0; i < n; i++)
            for (int k = 0, rest = i; k < d; k++, rest /= side) x[i * d + k] = 0.25 * (rest % side) + 0.03 * jitter[i * d + k];
        double[] t = x.Select((v, k) => v + (k % d == 0 ? 1.5 : -0.7)).ToArray();
        var r = MongeGap.Value(x, t, d, blur, new SinkhornOptions { Tolerance = 1e-7, MaxIterations = 100_000 });
        Assert.True(r.Converged);
        double eps = blur * blur;
        Assert.InRange(r.Value, -eps * Math.Log(n), 1e-5); // above 0 by at most the value's error at a marginal error of 1e-7
        Assert.Equal(eps, r.Epsilon);
    }

    [Fact]
    public void ARandomMap_HasAPositiveGap_AsTheDenseOracleSays()
    {
        int n = 30, d = 2;
        double[] x = PairOracle.Normal(n * d, 8);
        double[] t = PairOracle.Normal(n * d, 9).Select(v => 0.8 * v + 0.2).ToArray(); // x_i ↦ an unrelated point
        double mean = Enumerable.Range(0, n).Average(i => DenseSinkhorn.HalfSquared(x[(i * d)..((i + 1) * d)], t[(i * d)..((i + 1) * d)]));
        double[] w = Enumerable.Repeat(1.0 / n, n).ToArray();
        double want = mean - DenseSinkhorn.Solve(DenseSinkhorn.Cost(x, t, d, DenseSinkhorn.HalfSquared), w, w, 0.04).Value;
        var r = MongeGap.Value(x, t, d, 0.2, Tight);
        Reference.Close(want, r.Value, 1e-10, 1e-12, "Monge gap");
        Assert.True(r.Value > 0.1, r.Value.ToString());

        var rf = MongeGap.Value(PairOracle.ToFloat(x), PairOracle.ToFloat(t), d, 0.2);
        Reference.Close(want, rf.Value, 1e-4, 1e-5, "float Monge gap (within 1e-4 relative)");
    }

    [Fact]
    public void Gradients_MatchCentralDifferences()
    {
        int n = 9, d = 2;
        double[] x = PairOracle.Normal(n * d, 12), t = PairOracle.Normal(n * d, 13).Select(v => 0.5 * v + 1).ToArray();
        double[] gx = new double[n * d], gt = new double[n * d];
        MongeGap.ValueAndGradient(x, t, d, 0.4, gx, gt, Tight);
        const double h = 1e-5;
        for (int k = 0; k < n * d; k++)
        {
            double[] up = (double[])x.Clone(), dn = (double[])x.Clone();
            up[k] += h;
            dn[k] -= h;
            Reference.Close((MongeGap.Value(up, t, d, 0.4, Tight).Value - MongeGap.Value(dn, t, d, 0.4, Tight).Value) / (2 * h), gx[k], 1e-6, 2e-7, $"grad_x[{k}]");
            up = (double[])t.Clone();
            dn = (double[])t.Clone();
            up[k] += h;
            dn[k] -= h;
            Reference.Close((MongeGap.Value(x, up, d, 0.4, Tight).Value - MongeGap.Value(x, dn, d, 0.4, Tight).Value) / (2 * h), gt[k], 1e-6, 2e-7, $"grad_t[{k}]");
        }
    }

    [Fact]
    public void BadArguments_ThrowNamingThem_AndNonConvergenceThrowsTheGap()
    {
        double[] x = PairOracle.Normal(40, 1), t = PairOracle.Normal(40, 2);
        Assert.Equal("t", Assert.ThrowsAny<ArgumentException>(() => MongeGap.Value(x, t.AsSpan(0, 38), 2, 0.1)).ParamName);
        Assert.Equal("blur", Assert.ThrowsAny<ArgumentException>(() => MongeGap.Value(x, t, 2, 0)).ParamName);
        var quiet = MongeGap.Value(x, t, 2, 0.01, new SinkhornOptions { MaxIterations = 2 });
        Assert.False(quiet.Converged);
        var e = Assert.Throws<SinkhornNotConvergedException>(() => MongeGap.Value(x, t, 2, 0.01, new SinkhornOptions { MaxIterations = 2, ThrowIfNotConverged = true }));
        Assert.Equal(quiet.Value, e.Result.Value);
    }

    [Fact]
    public void ThrowIfNotConverged_KeepsEveryOtherOption()
    {
        // Overrelaxation 1 and no stall rule change the iteration count: the throwing run must be the same run as the quiet one.
        double[] x = PairOracle.Normal(40, 1), t = PairOracle.Normal(40, 2);
        var options = new SinkhornOptions { Overrelaxation = 1, StallIterations = 0, Tolerance = 1e-6, MaxIterations = 100_000, Scaling = 0.7 };
        var quiet = MongeGap.Value(x, t, 2, 0.3, options);
        var loud = MongeGap.Value(x, t, 2, 0.3, options.With(throwIfNotConverged: true));
        Assert.True(quiet.Converged);
        Assert.Equal(quiet, loud);
        var relaxed = MongeGap.Value(x, t, 2, 0.3, new SinkhornOptions { StallIterations = 0, Tolerance = 1e-6, MaxIterations = 100_000, Scaling = 0.7 });
        Assert.NotEqual(quiet.Iterations, relaxed.Iterations); // the options the copy must keep do matter here
    }

    [Fact]
    public void OptionsWith_CopiesEveryPropertyButTheOneItSets()
    {
        var options = new SinkhornOptions
        {
            Scaling = 0.8, CostExponent = 1.5, Overrelaxation = 1.2, Tolerance = 1e-7, MaxIterations = 1234, StallIterations = 7, ThrowIfNotConverged = true,
        };
        var copy = options.With(throwIfNotConverged: false);
        Assert.False(copy.ThrowIfNotConverged);
        Assert.True(options.With(throwIfNotConverged: true).ThrowIfNotConverged);
        foreach (var property in typeof(SinkhornOptions).GetProperties().Where(p => p.Name != nameof(SinkhornOptions.ThrowIfNotConverged) && p.GetMethod is { IsStatic: false }))
        {
            Assert.Equal(property.GetValue(options), property.GetValue(copy));
            Assert.NotEqual(property.GetValue(SinkhornOptions.Default), property.GetValue(copy)); // each was set away from its default above
        }
    }

    [Fact]
    public void Gradients_AreCheckedUnderTheirOwnNames()
    {
        double[] x = PairOracle.Normal(40, 1), t = PairOracle.Normal(40, 2), g = new double[40], h = new double[40];
        void Names(string name, Action call) => Assert.Equal(name, Assert.ThrowsAny<ArgumentException>(call).ParamName);
        Names("gradX", () => MongeGap.ValueAndGradient(x, t, 2, 0.3, new double[38], default));
        Names("gradT", () => MongeGap.ValueAndGradient(x, t, 2, 0.3, default, new double[42]));
        Names("gradX", () => MongeGap.ValueAndGradient(x, t, 2, 0.3, x, default));
        var e = Assert.ThrowsAny<ArgumentException>(() => MongeGap.ValueAndGradient(x, t, 2, 0.3, t, default));
        Assert.Equal("gradX", e.ParamName);
        Assert.Contains("'t'", e.Message);
        Names("gradT", () => MongeGap.ValueAndGradient(x, t, 2, 0.3, g, t));
        Names("gradT", () => MongeGap.ValueAndGradient(x, t, 2, 0.3, g, x.AsSpan()));
        Names("gradT", () => MongeGap.ValueAndGradient(x, t, 2, 0.3, g.AsSpan(), g.AsSpan()));
        float[] xf = x.Select(v => (float)v).ToArray(), tf = t.Select(v => (float)v).ToArray();
        Names("gradT", () => MongeGap.ValueAndGradient(xf, tf, 2, 0.3, default, new float[38]));
        Names("gradX", () => MongeGap.ValueAndGradient(xf, tf, 2, 0.3, tf, default));
        Assert.True(MongeGap.ValueAndGradient(x, t, 2, 0.3, g, h).Converged);
    }
}
