using KernelDsl.Runtime.Tests.Catalogue;
using KernelDsl.Runtime.Tests.Pairs;

namespace KernelDsl.Runtime.Tests.Transport;

/// <summary>
/// The envelope gradients of SinkhornSweep.Solve against central differences of its own converged double value: w.r.t.
/// the points x and y (every coordinate), and w.r.t. the weights a and b along zero-sum directions (the masses are fixed,
/// so GradA and GradB are gradients up to a constant), debiased and plain, for |x - y|² / 2 and for a non-quadratic cost
/// (the smoothed distance sqrt(|x - y|² + δ²)).
/// </summary>
public class SinkhornGradientTests
{
    private static readonly SinkhornOptions Tight = new() { Tolerance = 1e-14, MaxIterations = 100_000 };

    private static double Value(bool smooth, double[] x, double[] a, double[] y, double[] b, int d, double eps, bool debias, in SinkhornOutputs<double> outputs = default)
    {
        var r = smooth
            ? SinkhornSweep.Solve(new SmoothDistance<double>(), x, a, y, b, d, eps, debias, Tight, outputs)
            : SinkhornSweep.Solve(new HalfSquaredDistance<double>(), x, a, y, b, d, eps, debias, Tight, outputs);
        Assert.True(r.Converged, $"error {r.MarginalError} after {r.Iterations}");
        return r.Value;
    }

    private static double[] Normalised(double[] w)
    {
        double s = w.Sum();
        return w.Select(v => v / s).ToArray();
    }

    [Theory]
    [InlineData(false, true, 7, 5, 2, 0.5)]
    [InlineData(false, false, 7, 5, 2, 0.5)]
    [InlineData(false, true, 12, 9, 3, 0.1)]
    [InlineData(true, true, 8, 6, 2, 0.3)]
    [InlineData(true, false, 8, 6, 2, 0.3)]
    public void Gradients_MatchCentralDifferences(bool smooth, bool debias, int n, int m, int d, double eps)
    {
        double[] x = PairOracle.Normal(n * d, 10 + n), y = PairOracle.Normal(m * d, 20 + m).Select(v => 0.8 * v + 0.5).ToArray();
        double[] a = Normalised(PairOracle.Positive(n, 30 + n)), b = Normalised(PairOracle.Positive(m, 40 + m));
        double[] gx = new double[n * d], gy = new double[m * d], ga = new double[n], gb = new double[m];
        Value(smooth, x, a, y, b, d, eps, debias, new SinkhornOutputs<double> { GradX = gx, GradY = gy, GradA = ga, GradB = gb });

        const double h = 1e-5, tol = 2e-7;
        for (int k = 0; k < x.Length; k++)
        {
            double[] up = (double[])x.Clone(), dn = (double[])x.Clone();
            up[k] += h;
            dn[k] -= h;
            double fd = (Value(smooth, up, a, y, b, d, eps, debias) - Value(smooth, dn, a, y, b, d, eps, debias)) / (2 * h);
            Reference.Close(fd, gx[k], 1e-6, tol, $"grad_x[{k}]");
        }
        for (int k = 0; k < y.Length; k++)
        {
            double[] up = (double[])y.Clone(), dn = (double[])y.Clone();
            up[k] += h;
            dn[k] -= h;
            double fd = (Value(smooth, x, a, up, b, d, eps, debias) - Value(smooth, x, a, dn, b, d, eps, debias)) / (2 * h);
            Reference.Close(fd, gy[k], 1e-6, tol, $"grad_y[{k}]");
        }
        // weights: zero-sum directions (the masses stay equal), two per side
        for (int t = 0; t < 2; t++)
        {
            double[] da = ZeroSum(n, 50 + t), db = ZeroSum(m, 60 + t);
            double fdA = (Value(smooth, x, Shift(a, da, h), y, b, d, eps, debias) - Value(smooth, x, Shift(a, da, -h), y, b, d, eps, debias)) / (2 * h);
            Reference.Close(fdA, ga.Zip(da, (g, v) => g * v).Sum(), 1e-6, tol, "⟨grad_a, δa⟩");
            double fdB = (Value(smooth, x, a, y, Shift(b, db, h), d, eps, debias) - Value(smooth, x, a, y, Shift(b, db, -h), d, eps, debias)) / (2 * h);
            Reference.Close(fdB, gb.Zip(db, (g, v) => g * v).Sum(), 1e-6, tol, "⟨grad_b, δb⟩");
        }
    }

    private static double[] ZeroSum(int count, int seed)
    {
        double[] v = PairOracle.Normal(count, seed);
        double mean = v.Average();
        return v.Select(e => (e - mean) / count).ToArray();
    }

    private static double[] Shift(double[] w, double[] direction, double h) => w.Zip(direction, (v, e) => v + h * e).ToArray();

    [Fact]
    public void UniformWeights_EqualTheExplicitOnes()
    {
        int n = 9, m = 6, d = 2;
        double[] x = PairOracle.Normal(n * d, 1), y = PairOracle.Normal(m * d, 2);
        double[] a = Enumerable.Repeat(1.0 / n, n).ToArray(), b = Enumerable.Repeat(1.0 / m, m).ToArray();
        double[] g1 = new double[n * d], g2 = new double[n * d];
        double v1 = Value(false, x, default!, y, default!, d, 0.2, true, new SinkhornOutputs<double> { GradX = g1 });
        double v2 = Value(false, x, a, y, b, d, 0.2, true, new SinkhornOutputs<double> { GradX = g2 });
        Assert.Equal(v2, v1, 1e-14);
        for (int k = 0; k < g1.Length; k++) Assert.Equal(g2[k], g1[k], 1e-14);
    }
}
