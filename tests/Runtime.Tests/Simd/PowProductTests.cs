using System.Collections.Concurrent;
using System.Runtime.Intrinsics;
using Xunit.Abstractions;

namespace KernelDsl.Runtime.Tests.Simd;

/// <summary>
/// PowMul (x^a · y^b, one exp of a sum of logs) at one width: ordinary lanes against a double-double reference within the
/// bound stated on <see cref="ISimd{TVec, T}.PowMul"/>, and every special lane bit for bit equal to Pow(x, a) · Pow(y, b)
/// of the same width, with the special lanes mixed into vectors of ordinary ones.
/// </summary>
public abstract class PowProductTests<V, TVec, T>(ITestOutputHelper output)
    where V : struct, ISimd<TVec, T> where TVec : struct where T : unmanaged
{
    private static readonly bool IsFloat = Lanes.IsFloat<T>();

    /// <summary>
    /// The bound of the fast path in ulps of the result: exp's error, plus the absolute error of the exponent. Each term
    /// a·log x carries log's error (an ulp of log x, at most 2u relative) and the product's rounding (u); the fused sum adds
    /// one more rounding of at most u·(|a log x| + |b log y|); u is at most an ulp of the result relative to it, so
    /// the exponent's error S·4u (S = |a log x| + |b log y|) is at most 4S ulps of the result.
    /// </summary>
    private static double Bound(double s) => 2 + 4 * s;

    [Fact]
    public void Ordinary_lanes_are_within_the_stated_bound_and_special_lanes_equal_the_two_pows()
    {
        if (!V.IsHardwareAccelerated)
        {
            output.WriteLine($"{typeof(V).Name} is not accelerated on this machine: skipped");
            return;
        }

        var (cases, reference) = Grid.For(IsFloat);
        T[] x = Lanes.From<T>(cases.Select(c => c.X)), a = Lanes.From<T>(cases.Select(c => c.A));
        T[] y = Lanes.From<T>(cases.Select(c => c.Y)), b = Lanes.From<T>(cases.Select(c => c.B));
        T[] got = Map4(x, a, y, b, V.PowMul);
        T[] twoPows = Map4(x, a, y, b, (xv, av, yv, bv) => V.Mul(V.Pow(xv, av), V.Pow(yv, bv)));

        var stats = new ErrorStats();
        double worstRatio = 0;
        int ordinary = 0, special = 0;
        for (int i = 0; i < cases.Length; i++)
        {
            double xi = Lanes.ToDouble(x[i]), ai = Lanes.ToDouble(a[i]), yi = Lanes.ToDouble(y[i]), bi = Lanes.ToDouble(b[i]);
            double g = Lanes.ToDouble(got[i]);
            string where = $"x={xi:R}, a={ai:R}, y={yi:R}, b={bi:R}";
            if (Grid.IsOrdinary(xi, ai, yi, bi))
            {
                ordinary++;
                DD r = reference[i];
                double s = Math.Abs(ai * Math.Log(xi)) + Math.Abs(bi * Math.Log(yi));
                double ulps = Accuracy.UlpError(g, r, IsFloat);
                stats.Add(ulps, Math.Abs((g - r.Value) / r.Value), $"{where}: got {g:R}, reference {r.Value:R}");
                worstRatio = Math.Max(worstRatio, ulps / Bound(s));
                Assert.True(ulps <= Bound(s), $"{typeof(V).Name}.PowMul({where}) = {g:R}, reference {r.Value:R}: {ulps:F2} ulps > {Bound(s):F2}");
            }
            else
            {
                special++;
                double expected = Lanes.ToDouble(twoPows[i]);
                Assert.True(expected.Equals(g) && double.IsNegative(expected) == double.IsNegative(g),
                    $"{typeof(V).Name}.PowMul({where}) = {g:R}, Pow(x, a) * Pow(y, b) = {expected:R}");
            }
        }

        output.WriteLine($"{typeof(V).Name}.PowMul: {ordinary} ordinary lanes {stats}; worst error / bound {worstRatio:F3}; {special} special lanes exact");
        Assert.True(special > 100 && ordinary > 1000, "the grid holds both kinds of lanes");
    }

    /// <summary>PowMul of every grid point at this width (for the width-consistency check).</summary>
    internal static double[] Evaluate()
    {
        var (cases, _) = Grid.For(IsFloat);
        T[] x = Lanes.From<T>(cases.Select(c => c.X)), a = Lanes.From<T>(cases.Select(c => c.A));
        T[] y = Lanes.From<T>(cases.Select(c => c.Y)), b = Lanes.From<T>(cases.Select(c => c.B));
        return Map4(x, a, y, b, V.PowMul).Select(Lanes.ToDouble).ToArray();
    }

    private static T[] Map4(T[] x, T[] a, T[] y, T[] b, Func<TVec, TVec, TVec, TVec, TVec> f)
    {
        int count = V.Count;
        Assert.Equal(0, x.Length % count); // the grid's length is a multiple of every width
        var result = new T[x.Length];
        for (int i = 0; i < x.Length; i += count)
        {
            V.Store(f(V.Load(ref x[0], i), V.Load(ref a[0], i), V.Load(ref y[0], i), V.Load(ref b[0], i)), ref result[0], i);
        }

        return result;
    }
}

/// <summary>The points of <see cref="PowProductTests{V, TVec, T}"/>: ordinary quadruples and special ones, shuffled together.</summary>
internal static class Grid
{
    private static readonly double[] Bases =
        { 1e-30, 1.5e-20, 3e-8, 1e-3, 0.037, 0.25, 0.5, 0.999, 1, 1.0001, 2, 7.5, 123.25, 6e4, 3e12, 1e-300, 5e-320 };

    private static readonly double[] Exponents = { -20, -3.5, -1, -0.5, -1.0 / 3, 0, 0.25, 0.5, 1, 1.5, 2, 2.75, 10 };

    private static readonly double[] SpecialBases = { 0, -0.0, -2, -0.5, -1, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 1, 0.5, 3 };

    private static readonly double[] SpecialExponents = { 0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 2, -1, 0.5, 3, -2.5 };

    private static readonly ConcurrentDictionary<bool, ((double X, double A, double Y, double B)[] Cases, DD[] Reference)> Cache = new();

    /// <summary>x, y positive and finite, a, b finite: the lanes the fast path serves (in the element type's values).</summary>
    public static bool IsOrdinary(double x, double a, double y, double b) =>
        x > 0 && y > 0 && double.IsFinite(x) && double.IsFinite(y) && double.IsFinite(a) && double.IsFinite(b);

    /// <summary>The quadruples, rounded to the element type, and the double-double reference exp(a log x + b log y) of each.</summary>
    public static ((double X, double A, double Y, double B)[] Cases, DD[] Reference) For(bool isFloat) =>
        Cache.GetOrAdd(isFloat, f =>
        {
            double R(double v) => f ? (float)v : v;
            var random = new Random(20261207);
            var cases = new List<(double X, double A, double Y, double B)>();
            foreach (double x in Bases)
                foreach (double y in Bases)
                    for (int k = 0; k < 6; k++)
                        cases.Add((R(x), R(Exponents[random.Next(Exponents.Length)]), R(y), R(Exponents[random.Next(Exponents.Length)])));
            // Special quadruples: at least one argument special, the others anything.
            for (int k = 0; k < 640; k++)
            {
                var q = new[]
                {
                    SpecialBases[random.Next(SpecialBases.Length)], SpecialExponents[random.Next(SpecialExponents.Length)],
                    SpecialBases[random.Next(SpecialBases.Length)], SpecialExponents[random.Next(SpecialExponents.Length)],
                };
                int keep = random.Next(4); // one ordinary argument among them now and then
                if (random.Next(2) == 0) q[keep] = keep % 2 == 0 ? Bases[random.Next(Bases.Length)] : Exponents[random.Next(Exponents.Length)];
                cases.Add((R(q[0]), R(q[1]), R(q[2]), R(q[3])));
            }

            while (cases.Count % 64 != 0) cases.Add((0.5, 2, 0.25, -1));
            var shuffled = cases.OrderBy(_ => random.Next()).ToArray(); // special lanes land inside ordinary vectors
            var logs = new Dictionary<double, DD>();
            DD Log(double v) => logs.TryGetValue(v, out var l) ? l : logs[v] = DD.Log(v);
            var reference = shuffled.Select(c => IsOrdinary(c.X, c.A, c.Y, c.B) ? DD.Exp(Log(c.X) * c.A + Log(c.Y) * c.B) : new DD(double.NaN, 0)).ToArray();
            return (shuffled, reference);
        });
}

public sealed class Simd512FPowProductTests(ITestOutputHelper output) : PowProductTests<Simd512F, Vector512<float>, float>(output);

public sealed class Simd256FPowProductTests(ITestOutputHelper output) : PowProductTests<Simd256F, Vector256<float>, float>(output);

public sealed class Simd128FPowProductTests(ITestOutputHelper output) : PowProductTests<Simd128F, Vector128<float>, float>(output);

public sealed class ScalarFPowProductTests(ITestOutputHelper output) : PowProductTests<ScalarF, float, float>(output);

public sealed class Simd512DPowProductTests(ITestOutputHelper output) : PowProductTests<Simd512D, Vector512<double>, double>(output);

public sealed class Simd256DPowProductTests(ITestOutputHelper output) : PowProductTests<Simd256D, Vector256<double>, double>(output);

public sealed class Simd128DPowProductTests(ITestOutputHelper output) : PowProductTests<Simd128D, Vector128<double>, double>(output);

public sealed class ScalarDPowProductTests(ITestOutputHelper output) : PowProductTests<ScalarD, double, double>(output);

/// <summary>PowMul gives every element the same bits at every width and in the scalar tail (any NaN for NaN).</summary>
public sealed class PowProductWidthTests
{
    private static void Same(double[] expected, double[] got, string width)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            bool same = double.IsNaN(expected[i]) ? double.IsNaN(got[i]) : BitConverter.DoubleToInt64Bits(expected[i]) == BitConverter.DoubleToInt64Bits(got[i]);
            Assert.True(same, $"{width} element {i}: {got[i]:R}, the scalar tail gives {expected[i]:R}");
        }
    }

    [Fact]
    public void Float_widths_agree_bit_for_bit()
    {
        double[] scalar = PowProductTests<ScalarF, float, float>.Evaluate();
        if (Simd128F.IsHardwareAccelerated) Same(scalar, PowProductTests<Simd128F, Vector128<float>, float>.Evaluate(), nameof(Simd128F));
        if (Simd256F.IsHardwareAccelerated) Same(scalar, PowProductTests<Simd256F, Vector256<float>, float>.Evaluate(), nameof(Simd256F));
        if (Simd512F.IsHardwareAccelerated) Same(scalar, PowProductTests<Simd512F, Vector512<float>, float>.Evaluate(), nameof(Simd512F));
    }

    [Fact]
    public void Double_widths_agree_bit_for_bit()
    {
        double[] scalar = PowProductTests<ScalarD, double, double>.Evaluate();
        if (Simd128D.IsHardwareAccelerated) Same(scalar, PowProductTests<Simd128D, Vector128<double>, double>.Evaluate(), nameof(Simd128D));
        if (Simd256D.IsHardwareAccelerated) Same(scalar, PowProductTests<Simd256D, Vector256<double>, double>.Evaluate(), nameof(Simd256D));
        if (Simd512D.IsHardwareAccelerated) Same(scalar, PowProductTests<Simd512D, Vector512<double>, double>.Evaluate(), nameof(Simd512D));
    }
}
