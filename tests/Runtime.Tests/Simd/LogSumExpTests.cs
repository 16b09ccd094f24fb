using System.Runtime.Intrinsics;

namespace KernelDsl.Runtime.Tests.Simd;

/// <summary>
/// The online log-sum-exp (<see cref="ISimd{TVec, T}.LseAccumulate"/> per lane, <see cref="ISimd{TVec, T}.LseCombine"/>
/// across lanes, <see cref="LogSumExp.Finish"/>) against a straightforward two-pass double log-sum-exp, with masked
/// (-inf) elements, infinities and NaN.
/// </summary>
public abstract class LogSumExpTests<V, TVec, T>
    where V : struct, ISimd<TVec, T> where TVec : struct where T : unmanaged
{
    private static readonly bool IsFloat = Lanes.IsFloat<T>();

    /// <summary>The two-pass reference: max, then the sum of exp(x - max), in double.</summary>
    internal static double Reference(IReadOnlyList<double> x)
    {
        if (x.Any(double.IsNaN))
        {
            return double.NaN;
        }

        double max = x.Count == 0 ? double.NegativeInfinity : x.Max();
        if (double.IsInfinity(max))
        {
            return max;
        }

        double sum = 0;
        foreach (double v in x)
        {
            sum += Math.Exp(v - max);
        }

        return max + Math.Log(sum);
    }

    /// <summary>Streams <paramref name="x"/> through the width (padding the last vector with -inf) and finishes.</summary>
    private static double Streamed(IReadOnlyList<double> x)
    {
        int count = V.Count;
        int length = (x.Count + count - 1) / count * count;
        T[] data = Lanes.From<T>(x.Concat(Enumerable.Repeat(double.NegativeInfinity, length - x.Count)));
        TVec max = V.Broadcast(Lanes.From<T>(double.NegativeInfinity));
        TVec sum = V.Zero;
        for (int i = 0; i < length; i += count)
        {
            V.LseAccumulate(ref max, ref sum, V.Load(ref data[0], i));
        }

        double accMax = double.NegativeInfinity;
        double accSum = 0;
        V.LseCombine(max, sum, ref accMax, ref accSum);
        return LogSumExp.Finish(accMax, accSum);
    }

    private static void Check(IReadOnlyList<double> x, string what)
    {
        IReadOnlyList<double> rounded = x.Select(v => IsFloat ? (float)v : v).ToList();
        double expected = Reference(rounded);
        double got = Streamed(rounded);
        if (!double.IsFinite(expected))
        {
            Assert.True(expected.Equals(got), $"{typeof(V).Name} {what}: expected {expected}, got {got}");
            return;
        }

        // float lanes add in float: about n float roundings in the sum, a few ulps in each exp.
        double tolerance = (IsFloat ? 2e-6 * Math.Sqrt(x.Count) : 1e-14 * Math.Sqrt(x.Count)) * (1 + Math.Abs(expected));
        Assert.True(Math.Abs(got - expected) <= tolerance, $"{typeof(V).Name} {what}: expected {expected:R}, got {got:R}");
    }

    [Fact]
    public void Matches_a_two_pass_logsumexp()
    {
        if (!V.IsHardwareAccelerated)
        {
            return;
        }

        var random = new Random(31);
        foreach (int n in new[] { 1, 2, 3, 7, 16, 33, 100, 1000, 4099 })
        {
            foreach (double scale in new[] { 0.1, 1, 10, 100, 1e4 })
            {
                double[] x = Enumerable.Range(0, n).Select(_ => scale * Normal(random)).ToArray();
                Check(x, $"n = {n}, scale = {scale}");

                double[] masked = x.Select(v => random.Next(10) < 3 ? double.NegativeInfinity : v).ToArray();
                Check(masked, $"n = {n}, scale = {scale}, 30% masked");

                double[] finiteMask = x.Select(v => random.Next(10) < 3 ? (IsFloat ? -1e30 : -1e300) : v).ToArray();
                Check(finiteMask, $"n = {n}, scale = {scale}, masked with a huge negative number");
            }
        }
    }

    [Fact]
    public void Handles_infinities_and_NaN()
    {
        if (!V.IsHardwareAccelerated)
        {
            return;
        }

        double ninf = double.NegativeInfinity;
        double inf = double.PositiveInfinity;
        Check(Array.Empty<double>(), "empty");
        Check(new[] { ninf }, "one -inf");
        Check(Enumerable.Repeat(ninf, 37).ToArray(), "all -inf");
        Check(new[] { ninf, ninf, 3.0, ninf }, "-inf before and after the only finite element");
        Check(new[] { 1.0, inf, 2.0 }, "+inf");
        Check(new[] { inf, inf, 1.0 }, "+inf twice");
        Check(new[] { inf, ninf }, "+inf and -inf");
        Check(Enumerable.Repeat(inf, 40).ToArray(), "all +inf");
        Check(new[] { 1.0, double.NaN, 2.0 }, "NaN");
        Check(new[] { double.NaN, inf }, "NaN and +inf");
        Check(new[] { ninf, double.NaN }, "-inf and NaN");
        Check(Enumerable.Range(0, 50).Select(i => i == 45 ? double.NaN : (double)i).ToArray(), "a late NaN");
        Check(new[] { 0.0, 0.0, 0.0 }, "equal elements");
        Check(new[] { IsFloat ? 3e38 : 1e308, IsFloat ? 3e38 : 1e308 }, "near overflow");
        Check(new[] { IsFloat ? -3e38 : -1e308, -5.0, 4.0 }, "a huge negative element");
    }

    [Fact]
    public void Keeps_terms_far_below_the_maximum()
    {
        if (!V.IsHardwareAccelerated)
        {
            return;
        }

        // Python's decimal module at 60 digits, ln(sum(exp(x))): the sum of exp(x - max) rounds to 1 in double, so max +
        // log(sum) gives exactly 0; the value is max + log1p(the other terms).
        double ninf = double.NegativeInfinity;
        int c = V.Count;
        (double[] X, double Expected)[] cases =
        {
            (new[] { 0.0, -40 }, 4.248354255291589e-18),
            (new[] { 0.0, -40, -41, -45 }, 5.839861630432072e-18),
            (new[] { -40.0, 0, -40 }, 8.496708510583178e-18),
            // the same lane: 0 first, then -40 one vector later (and the other way round)
            (Enumerable.Range(0, 2 * c).Select(i => i == 0 ? 0.0 : i == c ? -40 : ninf).ToArray(), 4.248354255291589e-18),
            (Enumerable.Range(0, 2 * c).Select(i => i == 0 ? -40.0 : i == c ? 0 : ninf).ToArray(), 4.248354255291589e-18),
        };
        foreach ((double[] x, double expected) in cases)
        {
            double got = Streamed(x);
            // float: exp(-40) in float lanes is good to a few float ulps; double: a few double ulps.
            double tolerance = (IsFloat ? 1e-6 : 1e-14) * expected;
            Assert.True(Math.Abs(got - expected) <= tolerance, $"{typeof(V).Name} logsumexp([{string.Join(", ", x)}]) = {got:R}, expected {expected:R}");
        }
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

public sealed class Simd512FLogSumExpTests : LogSumExpTests<Simd512F, Vector512<float>, float>;

public sealed class Simd256FLogSumExpTests : LogSumExpTests<Simd256F, Vector256<float>, float>;

public sealed class Simd128FLogSumExpTests : LogSumExpTests<Simd128F, Vector128<float>, float>;

public sealed class ScalarFLogSumExpTests : LogSumExpTests<ScalarF, float, float>;

public sealed class Simd512DLogSumExpTests : LogSumExpTests<Simd512D, Vector512<double>, double>;

public sealed class Simd256DLogSumExpTests : LogSumExpTests<Simd256D, Vector256<double>, double>;

public sealed class Simd128DLogSumExpTests : LogSumExpTests<Simd128D, Vector128<double>, double>;

public sealed class ScalarDLogSumExpTests : LogSumExpTests<ScalarD, double, double>;

/// <summary>The scalar pair arithmetic on its own.</summary>
public sealed class LogSumExpPairTests
{
    [Fact]
    public void Combine_and_Finish()
    {
        double m = double.NegativeInfinity;
        double s = 0;
        Assert.Equal(double.NegativeInfinity, LogSumExp.Finish(m, s));

        LogSumExp.Combine(ref m, ref s, double.NegativeInfinity, 5); // an all -inf side adds nothing
        Assert.Equal(double.NegativeInfinity, LogSumExp.Finish(m, s));

        // A pair (m, s) stands for e^m (1 + s): the maximum's own term is kept apart from the sum of the others.
        LogSumExp.Combine(ref m, ref s, 1.0, 1.0);
        LogSumExp.Combine(ref m, ref s, 3.0, 2.0);
        LogSumExp.Combine(ref m, ref s, 2.0, 1.0);
        LogSumExp.Combine(ref m, ref s, 3.0, 1.0);
        double expected = Math.Log(2 * Math.Exp(1) + 3 * Math.Exp(3) + 2 * Math.Exp(2) + 2 * Math.Exp(3));
        Assert.Equal(expected, LogSumExp.Finish(m, s), 1e-14);

        // terms far below the maximum survive: ln(e^0 + e^-40) = 4.248354255291589e-18 (Python decimal, 60 digits)
        double m1 = double.NegativeInfinity, s1 = 0;
        LogSumExp.Combine(ref m1, ref s1, 0.0, 0.0);
        LogSumExp.Combine(ref m1, ref s1, -40.0, 0.0);
        Assert.Equal(4.248354255291589e-18, LogSumExp.Finish(m1, s1), 1e-14 * 4.25e-18);

        LogSumExp.Combine(ref m, ref s, double.PositiveInfinity, 1.0);
        Assert.Equal(double.PositiveInfinity, LogSumExp.Finish(m, s));
        LogSumExp.Combine(ref m, ref s, double.PositiveInfinity, 1.0);
        LogSumExp.Combine(ref m, ref s, 4.0, 1.0);
        Assert.Equal(double.PositiveInfinity, LogSumExp.Finish(m, s));
        LogSumExp.Combine(ref m, ref s, double.NaN, 1.0);
        Assert.True(double.IsNaN(LogSumExp.Finish(m, s)));
        LogSumExp.Combine(ref m, ref s, 1.0, 1.0); // NaN stays
        Assert.True(double.IsNaN(LogSumExp.Finish(m, s)));
    }
}
