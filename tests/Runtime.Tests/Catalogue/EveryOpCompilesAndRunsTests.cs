namespace KernelDsl.Runtime.Tests.Catalogue;

/// <summary>
/// Every function of the language, through the generator and the runtime, against central differences of its own value
/// (double): the derivative rules of every op reach compiled code (including ops the runtime composes, such as sinh and
/// step). Every gradient the kernel writes is checked (dx, dy and the parameter's), and the float kernel's gradients
/// against the double ones; a wrong derivative of any op (cosh's, say, which only reaches dy) fails here.
/// </summary>
public class EveryOpCompilesAndRunsTests
{
    private const double A = 0.7;

    /// <summary>(f(v + h e_i) - f(v - h e_i)) / 2h, f evaluated by the generated double kernel.</summary>
    private static double CentralDifference(Func<double[], double> f, double[] v, int i, double h)
    {
        var plus = (double[])v.Clone();
        plus[i] += h;
        var minus = (double[])v.Clone();
        minus[i] -= h;
        return (f(plus) - f(minus)) / (2 * h);
    }

    [Fact]
    public void GeneratedGradientsMatchCentralDifferences()
    {
        var rng = new Random(5);
        int n = 37;
        var x = Enumerable.Range(0, n).Select(_ => 0.3 + rng.NextDouble()).ToArray();
        var y = Enumerable.Range(0, n).Select(_ => 0.3 + rng.NextDouble()).ToArray();
        y[3] = x[3]; // a tie for min/max: min(x, y) + max(x, y) = x + y is smooth there, and step gives 1/2 + 1/2
        var dx = new double[n];
        var dy = new double[n];
        var dpar = new double[1];
        double v = AllOps.ValueAndGradient(x, y, dx, dy, A, dpar);
        Assert.True(double.IsFinite(v));
        Reference.Close(AllOps.Value(x, y, A), v, 1e-14, 0, "ValueAndGradient's value");

        // h = 1e-6: truncation ~h² f''' ~ 1e-12, cancellation ~1e-16 |f| / h ~ 1e-8 (|f| is a few hundred).
        double h = 1e-6;
        for (int i = 0; i < n; i++)
        {
            Reference.Close(CentralDifference(p => AllOps.Value(p, y, A), x, i, h), dx[i], 1e-5, 1e-7, $"dx[{i}]");
            Reference.Close(CentralDifference(p => AllOps.Value(x, p, A), y, i, h), dy[i], 1e-5, 1e-7, $"dy[{i}]");
        }

        double fa = (AllOps.Value(x, y, A + h) - AllOps.Value(x, y, A - h)) / (2 * h);
        Reference.Close(fa, dpar[0], 1e-5, 1e-7, "da");

        // The float kernel: its value and every gradient against the double kernel's (float rounding of ~40 terms).
        float[] xf = x.Select(z => (float)z).ToArray(), yf = y.Select(z => (float)z).ToArray();
        var dxf = new float[n];
        var dyf = new float[n];
        var dparf = new float[1];
        float vf = AllOps.ValueAndGradient(xf, yf, dxf, dyf, (float)A, dparf);
        Reference.Close(v, vf, 1e-5, 1e-6, "float value");
        Reference.Close(v, AllOps.Value(xf, yf, (float)A), 1e-5, 1e-6, "float Value");
        for (int i = 0; i < n; i++)
        {
            Reference.Close(dx[i], dxf[i], 1e-4, 1e-5, $"float dx[{i}]");
            Reference.Close(dy[i], dyf[i], 1e-4, 1e-5, $"float dy[{i}]");
        }

        Reference.Close(dpar[0], dparf[0], 1e-4, 1e-4, "float da");
    }
}

/// <summary>Uses every pointwise function, reduction and normalizer of the language.</summary>
[Divergence("(x, y; a) => sum(log(x) + exp(a * y) + log1p(x) + expm1(y) + sqrt(x * y) + abs(x - y) + pow(x, a) + x^3 + x^-1 + sq(y) + min(x, y) + max(x, y) + xlogy(x, y) + xlog1py(y, x) + softplus(x - y) + sigmoid(a * x) + logsigmoid(y) + tanh(x) + cosh(y) + sinh(x) + rel_entr(x, y)) + logsumexp(x) + max(y) + min(x) + mean(softmax(x) * log_softmax(y))")]
public static partial class AllOps;
