using System.Text.Json;
using KernelDsl.Catalogue;
using static KernelDsl.Runtime.Tests.Catalogue.Reference;

namespace KernelDsl.Runtime.Tests.Samples;

/// <summary>
/// The generated sample kernels of the catalogue (src/Runtime/Catalogue/Samples.cs) against the SciPy float64 references:
/// mmd2_gaussian (analytic gradients), samples/mmd2_kernels and samples/cs_samples (gradients by central differences,
/// about 1e-9 accurate), energy_distance (values).
/// </summary>
/// <remarks>
/// Bounds. double values: 1e-12 relative plus 1e-15 absolute (an unbiased estimate can be far smaller than its three
/// means; their rounding, ~1e-16 of each, stays). float values: the points are rounded to float and every pair is
/// computed in float, so the error is relative to the scale of the sums, not to their difference:
/// |error| ≤ 2e-5 · (4 + 4 · mean|x_i - y_j|), the sums' scale for kernels bounded by 1 plus that of a distance kernel.
/// </remarks>
public class SampleCatalogueTests
{
    private const double Rel = 1e-12, Abs = 1e-15;

    private static string Name(JsonElement c) => c.GetProperty("name").GetString()!;
    private static int D(JsonElement c) => c.GetProperty("d").GetInt32();
    private static double Value(JsonElement c, string key) => Number(c.GetProperty(key));

    private static void CloseVector(double[] expected, double[] actual, double rel, double abs, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Close(expected[i], actual[i], rel, abs, $"{what}[{i}]");
    }

    [Fact]
    public void GaussianMmd2_BiasedUnbiased_AndAnalyticGradient_MatchMmd2Gaussian()
    {
        var cases = Cases("mmd2_gaussian");
        Assert.Equal(12, cases.Count);
        foreach (var c in cases)
        {
            int d = D(c);
            double sigma = Param(c, "sigma");
            double[] x = Array(c, "x"), y = Array(c, "y");
            Close(Value(c, "biased"), GaussianMmd2.Value(x, y, d, sigma), Rel, Abs, Name(c) + " biased");
            Close(Value(c, "unbiased"), GaussianMmd2Unbiased.Value(x, y, d, sigma), Rel, Abs, Name(c) + " unbiased");
            var dx = new double[x.Length];
            double v = GaussianMmd2.ValueAndGradient(x, y, d, dx, default, sigma);
            Close(Value(c, "biased"), v, Rel, Abs, Name(c) + " biased with the gradient");
            double[] expected = Array(c, "grad_x_biased");
            CloseVector(expected, dx, 1e-12, 1e-14 * expected.Max(Math.Abs), Name(c) + " grad_x");
        }
    }

    // The MMD² members per kernel of samples/mmd2_kernels: (value, value and gradient) over double.
    private static (Func<double[], double[], int, double, double> Value, Func<double[], double[], int, double[], double[], double, double> WithGradient) Member(string kernel) => kernel switch
    {
        "gaussian" => ((x, y, d, s) => GaussianMmd2.Value(x, y, d, s), (x, y, d, dx, dy, s) => GaussianMmd2.ValueAndGradient(x, y, d, dx, dy, s)),
        "laplace" => ((x, y, d, s) => LaplaceMmd2.Value(x, y, d, s), (x, y, d, dx, dy, s) => LaplaceMmd2.ValueAndGradient(x, y, d, dx, dy, s)),
        "imq" => ((x, y, d, s) => InverseMultiquadricMmd2.Value(x, y, d, s), (x, y, d, dx, dy, s) => InverseMultiquadricMmd2.ValueAndGradient(x, y, d, dx, dy, s)),
        _ => ((x, y, d, _) => EnergyKernelMmd2.Value(x, y, d), (x, y, d, dx, dy, _) => EnergyKernelMmd2.ValueAndGradient(x, y, d, dx, dy)),
    };

    [Fact]
    public void KernelMmd2_BiasedAndGradient_GaussianWeightedAndUnbiased_MatchMmd2Kernels()
    {
        int count = 0;
        foreach (var c in Cases("samples/mmd2_kernels"))
        {
            count++;
            string kernel = c.GetProperty("kernel").GetString()!, name = Name(c);
            int d = D(c);
            double s = kernel == "energy" ? 0 : Param(c, "s");
            double[] x = Array(c, "x"), y = Array(c, "y"), a = Array(c, "a"), b = Array(c, "b");
            var (value, withGradient) = Member(kernel);
            Close(Value(c, "biased"), value(x, y, d, s), Rel, Abs, name + " biased");
            var dx = new double[x.Length];
            Close(Value(c, "biased"), withGradient(x, y, d, dx, System.Array.Empty<double>(), s), Rel, Abs, name + " biased with the gradient");
            if (Has(c, "grad_x_biased")) CloseVector(Array(c, "grad_x_biased"), dx, 1e-7, 1e-8, name + " grad_x_biased");
            if (kernel != "gaussian") continue;
            Close(Value(c, "weighted"), WeightedGaussianMmd2.Value(x, a, y, b, d, s), Rel, Abs, name + " weighted");
            var dxw = new double[x.Length];
            Close(Value(c, "weighted"), WeightedGaussianMmd2.ValueAndGradient(x, a, y, b, d, dxw, default, s), Rel, Abs, name + " weighted with the gradient");
            if (Has(c, "grad_x_weighted")) CloseVector(Array(c, "grad_x_weighted"), dxw, 1e-7, 1e-8, name + " grad_x_weighted");
            double unbiased = GaussianMmd2Unbiased.Value(x, y, d, s);
            if (c.GetProperty("unbiased").ValueKind == JsonValueKind.Null) Assert.True(double.IsNaN(unbiased), name + ": the unbiased estimate needs 2 points a cloud");
            else Close(Value(c, "unbiased"), unbiased, Rel, Abs, name + " unbiased");
        }
        Assert.Equal(42, count);
    }

    [Fact]
    public void EnergyDistance_AndEnergyKernelMmd2_MatchEnergyDistance()
    {
        var cases = Cases("energy_distance");
        Assert.NotEmpty(cases);
        foreach (var c in cases)
        {
            double[] x = Array(c, "x"), y = Array(c, "y");
            Close(Value(c, "value"), EnergyDistance.Value(x, y, D(c)), Rel, Abs, Name(c));
            Close(Value(c, "value"), EnergyKernelMmd2.Value(x, y, D(c)), Rel, Abs, Name(c) + " as the energy kernel's MMD²");
            var dx = new double[x.Length];
            var dy = new double[y.Length];
            Close(Value(c, "value"), EnergyDistance.ValueAndGradient(x, y, D(c), dx, dy), Rel, Abs, Name(c) + " with the gradient");
            Assert.All(dx.Concat(dy), g => Assert.True(double.IsFinite(g), Name(c) + ": the self pairs' gradient is 0, not NaN"));
        }
    }

    [Fact]
    public void CauchySchwarzSamples_ValueAndGradient_MatchCsSamples()
    {
        var cases = Cases("samples/cs_samples");
        Assert.Equal(8, cases.Count);
        foreach (var c in cases)
        {
            double[] x = Array(c, "x"), y = Array(c, "y");
            double s = Param(c, "s");
            Close(Value(c, "value"), CauchySchwarzSamples.Value(x, y, D(c), s), Rel, Abs, Name(c));
            var dx = new double[x.Length];
            Close(Value(c, "value"), CauchySchwarzSamples.ValueAndGradient(x, y, D(c), dx, default, s), Rel, Abs, Name(c) + " with the gradient");
            CloseVector(Array(c, "grad_x"), dx, 1e-7, 1e-8, Name(c) + " grad_x");
        }
    }

    [Fact]
    public void Float_WithinTheStatedBound_OfTheDoubleReference()
    {
        foreach (var c in Cases("samples/mmd2_kernels"))
        {
            string kernel = c.GetProperty("kernel").GetString()!;
            int d = D(c);
            double s = kernel == "energy" ? 0 : Param(c, "s");
            double[] x = Array(c, "x"), y = Array(c, "y");
            float[] xf = x.Select(v => (float)v).ToArray(), yf = y.Select(v => (float)v).ToArray();
            double bound = 2e-5 * (4 + 4 * MeanDistance(x, y, d));
            float v = kernel switch
            {
                "gaussian" => GaussianMmd2.Value(xf, yf, d, (float)s),
                "laplace" => LaplaceMmd2.Value(xf, yf, d, (float)s),
                "imq" => InverseMultiquadricMmd2.Value(xf, yf, d, (float)s),
                _ => EnergyKernelMmd2.Value(xf, yf, d),
            };
            Close(Value(c, "biased"), v, 0, bound, Name(c) + " float");
            var dxf = new float[xf.Length];
            float vg = kernel == "gaussian" ? GaussianMmd2.ValueAndGradient(xf, yf, d, dxf, default, (float)s) : v;
            Close(Value(c, "biased"), vg, 0, bound, Name(c) + " float with the gradient");
        }
    }

    /// <summary>Every sample formula of the catalogue is one of those checked above (a new one needs its reference test).</summary>
    [Fact]
    public void EverySampleCatalogueMemberIsCovered()
    {
        var declared = typeof(GaussianMmd2).Assembly.GetTypes()
            .Where(t => t.Namespace == "KernelDsl.Catalogue" && t.IsPublic && t.GetField("Formula") is { } f
                && ((string)f.GetRawConstantValue()!).Contains(": points", StringComparison.Ordinal))
            .Select(t => t.Name).OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(new[]
        {
            nameof(CauchySchwarzSamples), nameof(CrpsEnsemble), nameof(EnergyDistance), nameof(EnergyKernelMmd2),
            nameof(EntropicTransport), // TransportFormulaTests
            nameof(FairCrpsEnsemble),
            nameof(GaussianBarycentricMap), // VectorFieldTests
            nameof(GaussianMmd2), nameof(GaussianMmd2Unbiased), nameof(GaussianMmdWitness), // the witness: SampleFieldTests; the CRPS: CrpsEnsembleTests
            nameof(InverseMultiquadricMmd2), nameof(LaplaceMmd2),
            nameof(SinkhornDivergence), // TransportFormulaTests
            nameof(SvgdDirection), nameof(WeightedGaussianMmd2), // SVGD: SvgdDirectionTests
        }, declared);
    }

    internal static double MeanDistance(double[] x, double[] y, int d)
    {
        double sum = 0;
        int n = x.Length / d, m = y.Length / d;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
            {
                double s2 = 0;
                for (int k = 0; k < d; k++) s2 += (x[i * d + k] - y[j * d + k]) * (x[i * d + k] - y[j * d + k]);
                sum += Math.Sqrt(s2);
            }
        return n * m == 0 ? 0 : sum / (n * m);
    }
}
