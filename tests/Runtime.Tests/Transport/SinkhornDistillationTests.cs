using KernelDsl.Catalogue;
using static KernelDsl.Runtime.Tests.Catalogue.Reference;

namespace KernelDsl.Runtime.Tests.Transport;

/// <summary>
/// <see cref="SinkhornDistillation"/> (SinKD) against an independent double implementation (plain loops: softmax, the
/// B × B KL matrix entry by entry, <see cref="DiscreteOracle"/> for the transport), its gradient against central
/// differences, float against double, and bad input.
/// </summary>
/// <remarks>
/// float bound: logits rounded to float, probabilities and dot products in float lanes (blocks in double), so each cost
/// C_ij carries about 2^-24 · (Σ_v p_t |log p_t| + Σ_v p_t |s_v| / τ + |lse|) ≈ 1e-6 absolute for logits of order 3; the
/// loss and ⟨P, C⟩ move by at most that (P sums to 1): tested at 2e-6 absolute. The gradient entries (at most 1/τ) carry
/// about 2^-24 · B relative error from the float plan weights and probabilities: tested at 1e-6 / τ absolute.
/// </remarks>
public class SinkhornDistillationTests
{
    private static readonly SinkhornOptions Tight = new() { Tolerance = 1e-14, MaxIterations = 100_000 };

    private static double[] Logits(int b, int v, int seed, double scale)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, b * v).Select(_ => scale * (2 * rng.NextDouble() - 1)).ToArray();
    }

    /// <summary>The loss and ⟨P, C⟩ by plain loops in double.</summary>
    private static (double Loss, double Cost) Independent(double[] t, double[] s, int b, int v, double tau, double reg)
    {
        double[] LogSoftmax(double[] x, int row)
        {
            double max = double.NegativeInfinity;
            for (int k = 0; k < v; k++) max = Math.Max(max, x[row * v + k] / tau);
            double sum = 0;
            for (int k = 0; k < v; k++) sum += Math.Exp(x[row * v + k] / tau - max);
            return Enumerable.Range(0, v).Select(k => x[row * v + k] / tau - max - Math.Log(sum)).ToArray();
        }
        var lt = Enumerable.Range(0, b).Select(i => LogSoftmax(t, i)).ToArray();
        var ls = Enumerable.Range(0, b).Select(j => LogSoftmax(s, j)).ToArray();
        var C = new double[b * b];
        for (int i = 0; i < b; i++)
            for (int j = 0; j < b; j++)
            {
                double kl = 0;
                for (int k = 0; k < v; k++) kl += Math.Exp(lt[i][k]) * (lt[i][k] - ls[j][k]);
                C[i * b + j] = kl;
            }
        var w = Enumerable.Repeat(1.0 / b, b).ToArray();
        var o = DiscreteOracle.Solve(w, w, C, b, b, reg);
        return (o.Entropic, o.Cost);
    }

    [Fact]
    public void Double_MatchesTheIndependentImplementation()
    {
        foreach (var (b, v, tau, reg, seed) in new[] { (4, 7, 2.0, 0.1, 1), (6, 300, 1.0, 0.05, 2), (3, 1029, 4.0, 1.0, 3), (1, 10, 1.0, 0.1, 4) })
        {
            double[] t = Logits(b, v, seed, 3), s = Logits(b, v, seed + 100, 3);
            var (loss, cost) = Independent(t, s, b, v, tau, reg);
            var grad = new double[b * v];
            var r = SinkhornDistillation.LossAndGradient(t, s, b, v, tau, reg, grad, out double transport, default, Tight);
            Assert.True(r.Converged);
            Close(loss, r.Value, 1e-10, 1e-15, $"B{b} V{v} loss");
            Close(cost, transport, 1e-10, 1e-15, $"B{b} V{v} <P, C>");
            Assert.Equal(r.Value, SinkhornDistillation.Loss(t, s, b, v, tau, reg, Tight).Value);
            // Each gradient row is a difference of probability mixtures of equal mass: it sums to 0.
            for (int j = 0; j < b; j++) Close(0, grad.Skip(j * v).Take(v).Sum(), 0, 1e-14, $"B{b} V{v} row {j} sum");
        }
    }

    [Fact]
    public void IdenticalTeacherAndStudent_CostsVanishOnTheDiagonal()
    {
        // C_ii = 0; with reg small the plan is the identity / B, the transport cost 0 and the gradient 0.
        double[] t = Logits(5, 40, 9, 4);
        var plan = new double[25];
        var grad = new double[200];
        SinkhornDistillation.LossAndGradient(t, t, 5, 40, 1.0, 1e-3, grad, out double cost, plan, Tight);
        Close(0, cost, 0, 1e-12, "<P, C>");
        for (int i = 0; i < 5; i++) for (int j = 0; j < 5; j++) Close(i == j ? 0.2 : 0, plan[i * 5 + j], 0, 1e-12, $"plan[{i},{j}]");
        Assert.All(grad, g => Assert.True(Math.Abs(g) < 1e-12, $"{g}"));
    }

    [Fact]
    public void Gradient_MatchesCentralDifferences()
    {
        foreach (var (b, v, tau, reg) in new[] { (4, 9, 2.0, 0.1), (3, 17, 0.5, 0.5) })
        {
            double[] t = Logits(b, v, 21, 2), s = Logits(b, v, 22, 2);
            var grad = new double[b * v];
            SinkhornDistillation.LossAndGradient(t, s, b, v, tau, reg, grad, out _, default, Tight);
            const double h = 1e-5;
            for (int k = 0; k < b * v; k++)
            {
                var sp = (double[])s.Clone();
                sp[k] += h;
                double up = SinkhornDistillation.Loss(t, sp, b, v, tau, reg, Tight).Value;
                sp[k] -= 2 * h;
                double down = SinkhornDistillation.Loss(t, sp, b, v, tau, reg, Tight).Value;
                Close((up - down) / (2 * h), grad[k], 0, 1e-8, $"B{b} V{v} grad[{k}]");
            }
        }
    }

    [Fact]
    public void Float_IsWithinTheStatedBoundOfDouble()
    {
        const int b = 8, v = 2000;
        const double tau = 2.0, reg = 0.05;
        double[] t = Logits(b, v, 31, 3), s = Logits(b, v, 32, 3);
        float[] tf = DiscreteOracle.ToFloat(t), sf = DiscreteOracle.ToFloat(s);
        // The double reference from the float-rounded logits: the bound is about the float arithmetic, not the rounding of the inputs.
        double[] td = tf.Select(x => (double)x).ToArray(), sd = sf.Select(x => (double)x).ToArray();
        var gd = new double[b * v];
        var rd = SinkhornDistillation.LossAndGradient(td, sd, b, v, tau, reg, gd, out double costD, default, Tight);
        var gf = new float[b * v];
        var rf = SinkhornDistillation.LossAndGradient(tf, sf, b, v, tau, reg, gf, out double costF);
        Assert.True(rf.Converged);
        Close(rd.Value, rf.Value, 0, 2e-6, "float loss");
        Close(costD, costF, 0, 2e-6, "float <P, C>");
        for (int k = 0; k < gd.Length; k++) Close(gd[k], gf[k], 0, 1e-6 / tau, $"float grad[{k}]");
    }

    [Fact]
    public void BadInput_NamesTheArgument()
    {
        double[] t = Logits(2, 3, 1, 1), s = Logits(2, 3, 2, 1);
        void Names(string name, Action call) => Assert.Equal(name, Assert.ThrowsAny<ArgumentException>(call).ParamName);
        Names("batch", () => SinkhornDistillation.Loss(t, s, 0, 3, 1, 1));
        Names("vocabulary", () => SinkhornDistillation.Loss(t, s, 2, 0, 1, 1));
        Names("teacher", () => SinkhornDistillation.Loss(t.AsSpan(1), s, 2, 3, 1, 1));
        Names("student", () => SinkhornDistillation.Loss(t, s.AsSpan(1), 2, 3, 1, 1));
        Names("temperature", () => SinkhornDistillation.Loss(t, s, 2, 3, 0, 1));
        Names("reg", () => SinkhornDistillation.Loss(t, s, 2, 3, 1, -1));
        Names("gradStudent", () => SinkhornDistillation.LossAndGradient(t, s, 2, 3, 1, 1, new double[5], out _));
        Names("plan", () => SinkhornDistillation.LossAndGradient(t, s, 2, 3, 1, 1, default, out _, new double[3]));
        var bad = (double[])s.Clone();
        bad[4] = double.NaN;
        Names("student", () => SinkhornDistillation.Loss(t, bad, 2, 3, 1, 1));
        Names("teacher", () => SinkhornDistillation.Loss(new float[] { 1, 2, float.PositiveInfinity, 0, 0, 0 }, new float[6], 2, 3, 1, 1));
    }
}
