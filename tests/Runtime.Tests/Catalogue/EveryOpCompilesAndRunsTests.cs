namespace KernelDsl.Runtime.Tests.Catalogue;

/// <summary>
/// Every function of the language, through the generator and the runtime, against central differences of its own value
/// (double): the derivative rules of every op reach compiled code (including ops the runtime composes, such as sinh and step).
/// </summary>
public class EveryOpCompilesAndRunsTests
{
    [Fact]
    public void GeneratedGradientsMatchCentralDifferences()
    {
        var rng = new Random(5);
        int n = 37;
        var x = Enumerable.Range(0, n).Select(_ => 0.3 + rng.NextDouble()).ToArray();
        var y = Enumerable.Range(0, n).Select(_ => 0.3 + rng.NextDouble()).ToArray();
        y[3] = x[3]; // a tie for min/max
        var dx = new double[n];
        var dy = new double[n];
        var dpar = new double[1];
        double v = AllOps.ValueAndGradient(x, y, dx, dy, 0.7, dpar);
        Assert.True(double.IsFinite(v));
        double h = 1e-6;
        for (int i = 0; i < n; i++)
        {
            var xp = (double[])x.Clone(); xp[i] += h;
            var xm = (double[])x.Clone(); xm[i] -= h;
            double fd = (AllOps.Value(xp, y, 0.7) - AllOps.Value(xm, y, 0.7)) / (2 * h);
            if (i != 3) Reference.Close(fd, dx[i], 1e-5, 1e-7, $"dx[{i}]");
        }
        double fa = (AllOps.Value(x, y, 0.7 + h) - AllOps.Value(x, y, 0.7 - h)) / (2 * h);
        Reference.Close(fa, dpar[0], 1e-5, 1e-7, "da");
        var f = AllOps.Value(x.Select(z => (float)z).ToArray(), y.Select(z => (float)z).ToArray(), 0.7f);
        Reference.Close(v, f, 1e-5, 1e-6, "float value");
    }
}

/// <summary>Uses every pointwise function, reduction and normalizer of the language.</summary>
[Divergence("(x, y; a) => sum(log(x) + exp(a * y) + log1p(x) + expm1(y) + sqrt(x * y) + abs(x - y) + pow(x, a) + x^3 + x^-1 + sq(y) + min(x, y) + max(x, y) + xlogy(x, y) + xlog1py(y, x) + softplus(x - y) + sigmoid(a * x) + logsigmoid(y) + tanh(x) + cosh(y) + sinh(x)) + logsumexp(x) + max(y) + min(x) + mean(softmax(x) * log_softmax(y))")]
public static partial class AllOps;
