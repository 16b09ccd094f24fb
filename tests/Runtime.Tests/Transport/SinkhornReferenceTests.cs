using KernelDsl.Runtime.Tests.Catalogue;

namespace KernelDsl.Runtime.Tests.Transport;

/// <summary>
/// SinkhornSweep.Solve against tests/reference/samples/sinkhorn_divergence.json.gz (GeomLoss's debiased divergence with
/// c = |x - y|² / 2 at a fixed ε = blur², converged by a dense NumPy log-domain Sinkhorn to 1e-14): the value to a
/// relative 1e-9, OT(a, b) (debias off) likewise, and grad_x to 1e-7; and the closed form of one Dirac on each side,
/// S = |x - y|² / 2 at every ε.
/// </summary>
public class SinkhornReferenceTests
{
    private static readonly SinkhornOptions Tight = new() { Tolerance = 1e-13, MaxIterations = 100_000 };

    public static IEnumerable<object[]> Names() => Reference.Cases("samples/sinkhorn_divergence").Select(c => new object[] { c.GetProperty("name").GetString()! });

    [Theory]
    [MemberData(nameof(Names))]
    public void Divergence_ValueAndGradX_MatchTheReference(string name)
    {
        var c = Reference.Cases("samples/sinkhorn_divergence").Single(k => k.GetProperty("name").GetString() == name);
        int d = c.GetProperty("d").GetInt32();
        double[] x = Reference.Array(c, "x"), y = Reference.Array(c, "y"), a = Reference.Array(c, "a"), b = Reference.Array(c, "b");
        double eps = Reference.Param(c, "eps");
        var gradX = new double[x.Length];
        var result = SinkhornSweep.Solve(new HalfSquaredDistance<double>(), x, a, y, b, d, eps, debias: true, Tight, new SinkhornOutputs<double> { GradX = gradX });
        Assert.True(result.Converged, $"{name}: error {result.MarginalError} after {result.Iterations}");
        Assert.Equal(eps, result.Epsilon);
        Reference.Close(c.GetProperty("value").GetDouble(), result.Value, 1e-9, 1e-15, name + " value");
        double[] want = Reference.Array(c, "grad_x");
        for (int k = 0; k < want.Length; k++) Reference.Close(want[k], gradX[k], 0, 1e-7, $"{name} grad_x[{k}]");

        var plain = SinkhornSweep.Solve(new HalfSquaredDistance<double>(), x, a, y, b, d, eps, debias: false, Tight, default);
        Assert.True(plain.Converged);
        Reference.Close(c.GetProperty("ot_ab").GetDouble(), plain.Value, 1e-9, 1e-15, name + " ot_ab");
    }

    [Theory]
    [InlineData(1e-4)]
    [InlineData(0.01)]
    [InlineData(1.0)]
    [InlineData(100.0)]
    public void OneDiracEachSide_IsHalfTheSquaredDistance_AtEveryEpsilon(double eps)
    {
        double[] x = [0.3, -1.2, 2.0], y = [1.1, 0.4, -0.5];
        double want = 0.5 * ((0.3 - 1.1) * (0.3 - 1.1) + (-1.2 - 0.4) * (-1.2 - 0.4) + (2.0 + 0.5) * (2.0 + 0.5));
        var gradX = new double[3];
        var gradY = new double[3];
        var r = SinkhornSweep.Solve(new HalfSquaredDistance<double>(), x, default, y, default, 3, eps, debias: true, null,
            new SinkhornOutputs<double> { GradX = gradX, GradY = gradY });
        Assert.True(r.Converged);
        Reference.Close(want, r.Value, 1e-13, 1e-13, $"S at ε = {eps}");
        for (int k = 0; k < 3; k++)
        {
            Reference.Close(x[k] - y[k], gradX[k], 1e-12, 1e-12, "grad_x");
            Reference.Close(y[k] - x[k], gradY[k], 1e-12, 1e-12, "grad_y");
        }
        var rf = SinkhornSweep.Solve(new HalfSquaredDistance<float>(), x.Select(v => (float)v).ToArray(), default, y.Select(v => (float)v).ToArray(), default, 3,
            eps, debias: true, null, default);
        Reference.Close(want, rf.Value, 1e-6, 1e-6, $"float S at ε = {eps}");
    }
}
