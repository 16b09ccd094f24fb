using KernelDsl.Dsl.Tests.Support;
using KernelDsl.Language;
using KernelDsl.Language.Binding;
using KernelDsl.Language.Interpretation;

namespace KernelDsl.Dsl.Tests;

/// <summary>
/// The sample families of tests/reference written as sample formulas, each in at most three lines as a user would, and
/// run by the sample interpreter (values from the DAG, gradients from the differentiator's DAG): values to 1e-12 relative,
/// gradients to the reference's central differences (1e-7) and, for parameters and weights, to central differences of
/// the interpreter's own value.
/// </summary>
public sealed class SampleReferenceTests
{
    private const double ValueTolerance = 1e-12, GradientTolerance = 1e-7;

    private const string Gaussian = "where k(u, v) = exp(-sqdist(u, v) / (2 * s^2))";
    private static readonly Dictionary<string, string> Kernels = new()
    {
        ["gaussian"] = Gaussian,
        ["laplace"] = "where k(u, v) = exp(-dist(u, v) / s)",
        ["imq"] = "where k(u, v) = (1 + sqdist(u, v) / s^2)^(-0.5)",
        ["energy"] = "where k(u, v) = -dist(u, v)",
    };

    // The header, then the body, then the kernel: three lines. The energy kernel has no parameter.
    private static string Biased(bool s) => $"(x: points, y: points{(s ? "; s" : "")}) => mean(k(x, x)) + mean(k(y, y)) - 2 * mean(k(x, y)) ";
    private static string Unbiased(bool s) => $"(x: points, y: points{(s ? "; s" : "")}) => umean(k(x, x)) + umean(k(y, y)) - 2 * mean(k(x, y)) ";
    private static string Weighted(bool s) => $"(x: points(a), y: points(b){(s ? "; s" : "")}) => mean(k(x, x)) + mean(k(y, y)) - 2 * mean(k(x, y)) ";

    internal static BoundSampleFormula Bind(string text)
    {
        var bag = new DiagnosticBag();
        var bound = SampleBinder.Compile(text, bag);
        Assert.True(!bag.HasErrors && bound.Output != null, text + ": " + string.Join("; ", bag.Items));
        return bound;
    }

    private static SampleInputs Inputs(ReferenceCase c, bool weights, params double[] parameters) =>
        new(c.Integer("d"), new[] { c.Vector("x"), c.Vector("y") }, weights ? new[] { c.Vector("a"), c.Vector("b") } : null, parameters);

    private static void Close(double actual, double expected, double tolerance, string what) =>
        Assert.True(Numerics.Close(actual, expected, tolerance, tolerance * 1e-3), $"{what}: {Numerics.Format(actual)}, expected {Numerics.Format(expected)}");

    private static void CloseVector(double[] actual, double[] expected, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        // The reference gradients are central differences (h = 1e-5) of the float64 value: about 1e-9 accurate in absolute terms.
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= tolerance * Math.Abs(expected[i]) + 1e-9,
                $"{what}[{i}]: {Numerics.Format(actual[i])}, expected {Numerics.Format(expected[i])}");
    }

    [Fact]
    public void Mmd2_gaussian_biased_unbiased_and_grad_x()
    {
        var biased = Bind("(x: points, y: points; sigma) => mean(k(x, x)) + mean(k(y, y)) - 2 * mean(k(x, y)) where k(u, v) = exp(-sqdist(u, v) / (2 * sigma^2))");
        var unbiased = Bind("(x: points, y: points; sigma) => umean(k(x, x)) + umean(k(y, y)) - 2 * mean(k(x, y)) where k(u, v) = exp(-sqdist(u, v) / (2 * sigma^2))");
        foreach (var c in ReferenceFamily.Load("mmd2_gaussian").Cases)
        {
            var input = new SampleInputs(c.Integer("d"), new[] { c.Vector("x"), c.Vector("y") }, parameters: new[] { c.Parameter("sigma") });
            Close(SampleInterpreter.Evaluate(biased, input)[0], c.Number("biased"), ValueTolerance, c.Name + " biased");
            if (c.Has("unbiased") && c.Integer("n") > 1 && c.Integer("m") > 1)
                Close(SampleInterpreter.Evaluate(unbiased, input)[0], c.Number("unbiased"), ValueTolerance, c.Name + " unbiased");
            var g = SampleInterpreter.Gradient(biased, input);
            Close(g.Value, c.Number("biased"), ValueTolerance, c.Name + " value with the gradient");
            CloseVector(g.Clouds[0], c.Vector("grad_x_biased"), GradientTolerance, c.Name + " grad_x");
        }
    }

    [Fact]
    public void Mmd2_kernels_biased_weighted_unbiased_and_grad_x()
    {
        int checkedCases = 0;
        foreach (var c in ReferenceFamily.Load("samples/mmd2_kernels").Cases)
        {
            string name = c.Name.Split('_')[0], kernel = Kernels[name];
            bool s = name != "energy";
            var parameters = s ? new[] { c.Parameter("s") } : Array.Empty<double>();
            var biased = Bind(Biased(s) + kernel);
            var uniform = Inputs(c, false, parameters);
            Close(SampleInterpreter.Evaluate(biased, uniform)[0], c.Number("biased"), ValueTolerance, c.Name + " biased");
            var weighted = Bind(Weighted(s) + kernel);
            var withWeights = Inputs(c, true, parameters);
            Close(SampleInterpreter.Evaluate(weighted, withWeights)[0], c.Number("weighted"), ValueTolerance, c.Name + " weighted");
            if (c.Integer("n") > 1 && c.Integer("m") > 1)
                Close(SampleInterpreter.Evaluate(Bind(Unbiased(s) + kernel), uniform)[0], c.Number("unbiased"), ValueTolerance, c.Name + " unbiased");
            if (c.Has("grad_x_biased"))
                CloseVector(SampleInterpreter.Gradient(biased, uniform).Clouds[0], c.Vector("grad_x_biased"), GradientTolerance, c.Name + " grad_x biased");
            if (c.Has("grad_x_weighted"))
                CloseVector(SampleInterpreter.Gradient(weighted, withWeights).Clouds[0], c.Vector("grad_x_weighted"), GradientTolerance, c.Name + " grad_x weighted");
            checkedCases++;
        }
        Assert.Equal(42, checkedCases);
    }

    [Fact]
    public void Energy_distance()
    {
        var f = Bind("(x: points, y: points) => 2 * mean(dist(x, y)) - mean(dist(x, x)) - mean(dist(y, y))");
        foreach (var c in ReferenceFamily.Load("energy_distance").Cases)
        {
            var input = new SampleInputs(c.Integer("d"), new[] { c.Vector("x"), c.Vector("y") });
            Close(SampleInterpreter.Evaluate(f, input)[0], c.Number("value"), ValueTolerance, c.Name);
            // The self pairs' gradient at u = v is 0 (dist's convention), so the gradient is finite everywhere.
            Assert.All(SampleInterpreter.Gradient(f, input).Clouds[0], g => Assert.True(double.IsFinite(g)));
        }
    }

    [Fact]
    public void Cauchy_schwarz_between_kernel_density_estimates()
    {
        var f = Bind("(x: points, y: points; s) => -2 * log(mean(k(x, y))) + log(mean(k(x, x))) + log(mean(k(y, y))) "
            + "where k(u, v) = exp(-sqdist(u, v) / (4 * s^2))");
        foreach (var c in ReferenceFamily.Load("samples/cs_samples").Cases)
        {
            var input = Inputs(c, false, c.Parameter("s"));
            Close(SampleInterpreter.Evaluate(f, input)[0], c.Number("value"), ValueTolerance, c.Name);
            CloseVector(SampleInterpreter.Gradient(f, input).Clouds[0], c.Vector("grad_x"), GradientTolerance, c.Name + " grad_x");
        }
    }

    [Fact]
    public void Crps_of_an_ensemble_per_row()
    {
        // One row: the members as a cloud with d = 1, the observation a row value.
        var f = Bind("(e: points, y: row) => mean(sum_k(abs(e - y))) - 0.5 * mean(dist(e, e))");
        var fair = Bind("(e: points, y: row) => mean(sum_k(abs(e - y))) - 0.5 * umean(dist(e, e))"); // the U-statistic
        foreach (var c in ReferenceFamily.Load("samples/crps_ensemble").Cases)
        {
            int rows = c.Integer("rows"), members = c.Integer("members");
            double[] e = c.Vector("e"), y = c.Vector("y"), crps = c.Vector("crps"), grad = c.Vector("grad_e");
            for (int r = 0; r < rows; r++)
            {
                var input = new SampleInputs(1, new[] { e.Skip(r * members).Take(members).ToArray() }, rowInputs: new[] { y[r] });
                Close(SampleInterpreter.Evaluate(f, input)[0], crps[r], ValueTolerance, $"{c.Name} row {r}");
                if (members > 1)
                {
                    // A fair CRPS is exactly 0 when y lies between two members: a difference of equal sums, so an absolute floor.
                    double v = SampleInterpreter.Evaluate(fair, input)[0], expected = c.Vector("fair")[r];
                    Assert.True(Math.Abs(v - expected) <= ValueTolerance * Math.Abs(expected) + 1e-14, $"{c.Name} row {r} fair: {v} vs {expected}");
                }
                var g = SampleInterpreter.Gradient(f, input).Clouds[0];
                for (int i = 0; i < members; i++)
                    Assert.True(Math.Abs(g[i] - grad[r * members + i]) <= 1e-12, $"{c.Name} row {r} grad[{i}]: {g[i]} vs {grad[r * members + i]}");
            }
        }
    }
}
