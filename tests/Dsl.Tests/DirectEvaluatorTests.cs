using KernelDsl.Language.Interpretation;

namespace KernelDsl.Dsl.Tests;

/// <summary>
/// The direct evaluator on its own, against closed forms written out here (not through any code of the library), and its
/// argument checks.
/// </summary>
public sealed class DirectEvaluatorTests
{
    private static readonly double[] P = { 0.2, 0.5, 0.3 };
    private static readonly double[] Q = { 0.25, 0.25, 0.5 };

    [Fact]
    public void Kullback_leibler_value_and_gradients()
    {
        // KL = sum p log(p/q); d/dp = log(p/q) + 1; d/dq = -p/q.
        var r = DirectEvaluator.Evaluate("(p, q) => rel_entr(p, q)", new[] { P, Q }, Array.Empty<double>());
        Assert.Equal(P.Zip(Q, (p, q) => p * Math.Log(p / q)).Sum(), r.Value, 1e-15);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(Math.Log(P[i] / Q[i]) + 1, r.InputGradients[0][i], 1e-15);
            Assert.Equal(-P[i] / Q[i], r.InputGradients[1][i], 1e-15);
        }
    }

    [Fact]
    public void Renyi_with_a_parameter_gradient()
    {
        // D = log(S) / (a - 1), S = sum p^a q^(1-a); dD/da = (sum p^a q^(1-a) log(p/q) / S) / (a - 1) - log(S) / (a - 1)^2.
        double a = 2.5;
        var r = DirectEvaluator.Evaluate("(p, q; a) => log(sum(p^a * q^(1 - a))) / (a - 1)", new[] { P, Q }, new[] { a });
        double s = P.Zip(Q, (p, q) => Math.Pow(p, a) * Math.Pow(q, 1 - a)).Sum();
        double ds = P.Zip(Q, (p, q) => Math.Pow(p, a) * Math.Pow(q, 1 - a) * Math.Log(p / q)).Sum();
        Assert.Equal(Math.Log(s) / (a - 1), r.Value, 1e-14);
        Assert.Equal(ds / s / (a - 1) - Math.Log(s) / ((a - 1) * (a - 1)), r.ParameterGradients[0], 1e-13);
        for (int i = 0; i < 3; i++)
            Assert.Equal(a * Math.Pow(P[i], a - 1) * Math.Pow(Q[i], 1 - a) / s / (a - 1), r.InputGradients[0][i], 1e-13);
    }

    [Fact]
    public void Cross_entropy_with_a_label()
    {
        // logsumexp(s) - s[y]: d/ds = softmax(s) - onehot(y).
        double[] s = { 1.0, -0.5, 2.0, 0.25 };
        var r = DirectEvaluator.Evaluate("(s, y: label) => logsumexp(s) - s[y]", new[] { s }, Array.Empty<double>(), new[] { 2.0 });
        double lse = Math.Log(s.Sum(Math.Exp));
        Assert.Equal(lse - s[2], r.Value, 1e-15);
        for (int i = 0; i < s.Length; i++) Assert.Equal(Math.Exp(s[i] - lse) - (i == 2 ? 1 : 0), r.InputGradients[0][i], 1e-15);
    }

    [Fact]
    public void A_bare_vector_term_is_summed_and_scalars_broadcast()
    {
        var bare = DirectEvaluator.Evaluate("(p; a) => a * p", new[] { P }, new[] { 3.0 });
        Assert.Equal(3 * P.Sum(), bare.Value, 1e-15);
        Assert.All(bare.InputGradients[0], g => Assert.Equal(3.0, g, 1e-15));
        Assert.Equal(P.Sum(), bare.ParameterGradients[0], 1e-15);

        var r = DirectEvaluator.Evaluate("(p; a) => sum(a * p) - mean(p)", new[] { P }, new[] { 3.0 });
        Assert.Equal(3 * P.Sum() - P.Average(), r.Value, 1e-15);
        Assert.All(r.InputGradients[0], g => Assert.Equal(3.0 - 1.0 / P.Length, g, 1e-15));
    }

    [Fact]
    public void Bad_arguments_are_named()
    {
        Assert.Equal("formula", Assert.Throws<ArgumentException>(() => DirectEvaluator.Value("(p) => p * r", new[] { P }, Array.Empty<double>())).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => DirectEvaluator.Value("(p, q) => p * q", new[] { P }, Array.Empty<double>())).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => DirectEvaluator.Value("(p, q) => p * q", new[] { P, new double[2] }, Array.Empty<double>())).ParamName);
        Assert.Equal("parameters", Assert.Throws<ArgumentException>(() => DirectEvaluator.Value("(p; a) => p * a", new[] { P }, Array.Empty<double>())).ParamName);
        Assert.Equal("rowInputs", Assert.Throws<ArgumentException>(() => DirectEvaluator.Value("(s, y: label) => s[y]", new[] { P }, Array.Empty<double>())).ParamName);
    }
}
