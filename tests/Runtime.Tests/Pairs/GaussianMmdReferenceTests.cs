using System.Text.Json;
using static KernelDsl.Runtime.Tests.Catalogue.Reference;

namespace KernelDsl.Runtime.Tests.Pairs;

/// <summary>
/// The hand-written Gaussian MMD² instantiation of the pair sweep against SciPy float64 references
/// (tests/reference/mmd2_gaussian.json.gz, analytic gradients; tests/reference/samples/mmd2_kernels.json.gz, gradients by
/// central differences, about 1e-9 accurate), and its gradients against central differences of its own value.
/// </summary>
/// <remarks>
/// Bounds. double: 1e-12 relative to the value, plus 1e-15 absolute (the unbiased estimate of a wide kernel can be 1e-8
/// while its three means are near 1e-2: cancellation leaves the sums' own rounding, ~1e-16 of each mean, visible).
/// float: the inputs are rounded to float and every pair is computed in float (features, exp, the lane sums within a
/// tile), so the bound is relative to the scale of the three means, not to their difference:
/// |error| ≤ 2e-5 · (mean|Kxx| + mean|Kyy| + 2 mean|Kxy|), which is at most 4 for a Gaussian kernel.
/// </remarks>
public class GaussianMmdReferenceTests
{
    private static IEnumerable<JsonElement> GaussianKernelCases() =>
        Cases("samples/mmd2_kernels").Where(c => c.GetProperty("kernel").GetString() == "gaussian");

    [Fact]
    public void Double_MatchesMmd2Gaussian_ValuesAndAnalyticGradients()
    {
        var cases = Cases("mmd2_gaussian");
        Assert.Equal(12, cases.Count);
        foreach (var c in cases)
        {
            string name = c.GetProperty("name").GetString()!;
            int d = c.GetProperty("d").GetInt32();
            double sigma = Param(c, "sigma");
            double[] x = Array(c, "x"), y = Array(c, "y");
            Close(c.GetProperty("biased").GetDouble(), GaussianMmd.Value(x, y, d, sigma, MmdEstimator.Biased), 1e-12, 1e-15, name + " biased");
            Close(c.GetProperty("unbiased").GetDouble(), GaussianMmd.Value(x, y, d, sigma, MmdEstimator.Unbiased), 1e-12, 1e-15, name + " unbiased");
            var g = new double[x.Length];
            double v = GaussianMmd.ValueAndGradient(x, y, d, sigma, MmdEstimator.Biased, g);
            Close(c.GetProperty("biased").GetDouble(), v, 1e-12, 1e-15, name + " biased (with gradient)");
            double[] expected = Array(c, "grad_x_biased");
            double scale = expected.Max(Math.Abs);
            for (int i = 0; i < g.Length; i++) Close(expected[i], g[i], 1e-12, 1e-14 * scale, $"{name} grad_x[{i}]");
        }
    }

    [Fact]
    public void Double_MatchesMmd2Kernels_GaussianCases_BiasedWeightedUnbiased()
    {
        int count = 0;
        foreach (var c in GaussianKernelCases())
        {
            count++;
            string name = c.GetProperty("name").GetString()!;
            int d = c.GetProperty("d").GetInt32();
            double s = Param(c, "s");
            double[] x = Array(c, "x"), y = Array(c, "y"), a = Array(c, "a"), b = Array(c, "b");
            Close(c.GetProperty("biased").GetDouble(), GaussianMmd.Value(x, y, d, s, MmdEstimator.Biased), 1e-12, 1e-15, name + " biased");
            Close(c.GetProperty("weighted").GetDouble(), GaussianMmd.Value(x, y, d, s, MmdEstimator.Weighted, a, b), 1e-12, 1e-15, name + " weighted");
            double unbiased = GaussianMmd.Value(x, y, d, s, MmdEstimator.Unbiased);
            if (c.GetProperty("unbiased").ValueKind == JsonValueKind.Null) Assert.True(double.IsNaN(unbiased), name + ": unbiased needs n, m >= 2");
            else Close(c.GetProperty("unbiased").GetDouble(), unbiased, 1e-12, 1e-15, name + " unbiased");

            foreach (var (estimator, key) in new[] { (MmdEstimator.Biased, "biased"), (MmdEstimator.Weighted, "weighted") })
            {
                var g = new double[x.Length];
                bool weighted = estimator == MmdEstimator.Weighted;
                double v = GaussianMmd.ValueAndGradient(x, y, d, s, estimator, g, weighted ? a : default, weighted ? b : default);
                Close(c.GetProperty(key).GetDouble(), v, 1e-12, 1e-15, $"{name} {key} (with gradient)");
                if (!Has(c, "grad_x_" + key)) continue; // the largest cases carry values only
                double[] expected = Array(c, "grad_x_" + key);
                for (int i = 0; i < g.Length; i++) Close(expected[i], g[i], 1e-7, 1e-8, $"{name} grad_x_{key}[{i}] (reference by central differences)");
            }
        }
        Assert.Equal(12, count);
    }

    [Fact]
    public void Float_WithinTheStatedBound_OfTheDoubleReference()
    {
        foreach (var c in Cases("mmd2_gaussian").Concat(GaussianKernelCases()))
        {
            string name = c.GetProperty("name").GetString()!;
            int d = c.GetProperty("d").GetInt32();
            double sigma = Has(c.GetProperty("params"), "sigma") ? Param(c, "sigma") : Param(c, "s");
            float[] x = PairOracle.ToFloat(Array(c, "x")), y = PairOracle.ToFloat(Array(c, "y"));
            int n = x.Length / d, m = y.Length / d;
            var k = PairOracle.Gaussian(sigma);
            double bound = 2e-5 * (PairOracle.SelfSum(k, x, null, d, true).Abs / ((double)n * n) + PairOracle.SelfSum(k, y, null, d, true).Abs / ((double)m * m)
                                   + 2 * PairOracle.Sum(k, x, null, y, null, d).Abs / ((double)n * m));
            Close(c.GetProperty("biased").GetDouble(), GaussianMmd.Value(x, y, d, sigma, MmdEstimator.Biased), 0, bound, name + " float biased");
            var g = new float[x.Length];
            Close(c.GetProperty("biased").GetDouble(), GaussianMmd.ValueAndGradient(x, y, d, sigma, MmdEstimator.Biased, g), 0, bound, name + " float biased (with gradient)");
            if (!Has(c, "grad_x_biased")) continue;
            double[] expected = Array(c, "grad_x_biased");
            double gscale = expected.Max(Math.Abs);
            for (int i = 0; i < g.Length; i++) Close(expected[i], g[i], 0, 1e-4 * gscale + 1e-6, $"{name} float grad_x[{i}]");
        }
    }

    [Theory]
    [InlineData(MmdEstimator.Biased)]
    [InlineData(MmdEstimator.Unbiased)]
    [InlineData(MmdEstimator.Weighted)]
    public void Double_GradientMatchesCentralDifferences(MmdEstimator estimator)
    {
        foreach (var (n, m, d) in new[] { (1, 3, 1), (7, 5, 2), (37, 19, 3), (9, 11, 64) })
        {
            if (estimator == MmdEstimator.Unbiased && n < 2) continue;
            double[] x = PairOracle.Normal(n * d, 11 * n + d), y = PairOracle.Normal(m * d, 13 * m + d + 1);
            for (int i = 0; i < y.Length; i++) y[i] += 0.3;
            bool weighted = estimator == MmdEstimator.Weighted;
            double[] a = weighted ? PairOracle.Positive(n, 5) : System.Array.Empty<double>();
            double[] b = weighted ? PairOracle.Positive(m, 6) : System.Array.Empty<double>();
            double sigma = 0.5 * Math.Sqrt(d);
            var g = new double[x.Length];
            GaussianMmd.ValueAndGradient(x, y, d, sigma, estimator, g, a, b);
            double scale = g.Max(Math.Abs);
            for (int i = 0; i < x.Length; i++)
            {
                double h = 1e-5, keep = x[i];
                x[i] = keep + h;
                double up = GaussianMmd.Value(x, y, d, sigma, estimator, a, b);
                x[i] = keep - h;
                double down = GaussianMmd.Value(x, y, d, sigma, estimator, a, b);
                x[i] = keep;
                Close((up - down) / (2 * h), g[i], 1e-6, 1e-8 * Math.Max(scale, 1e-3), $"{estimator} n={n} m={m} d={d} grad[{i}]");
            }
        }
    }
}
