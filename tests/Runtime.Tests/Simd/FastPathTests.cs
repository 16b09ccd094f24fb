using System.Runtime.Intrinsics;
using Xunit.Abstractions;

namespace KernelDsl.Runtime.Tests.Simd;

/// <summary>
/// The ordinary paths of log, exp and rel_entr test a whole vector once and send it through the full computation when
/// any lane is unusual. These tests put one unusual lane at every position of a vector of ordinary lanes: the unusual
/// lane must match its double-double reference, and every other lane must keep exactly the bits it gets in a vector of
/// ordinary lanes alone (a lane's result never depends on its neighbours).
/// </summary>
public abstract class FastPathTests<V, TVec, T>(ITestOutputHelper output)
    where V : struct, ISimd<TVec, T> where TVec : struct where T : unmanaged
{
    private static readonly bool IsFloat = Lanes.IsFloat<T>();

    private bool Skip()
    {
        if (V.IsHardwareAccelerated)
        {
            return false;
        }

        output.WriteLine($"{typeof(V).Name} is not accelerated on this machine: skipped");
        return true;
    }

    private static T[] Apply(T[] x, T[] y, Func<TVec, TVec, TVec> f)
    {
        var result = new T[V.Count];
        V.Store(f(V.Load(ref x[0], 0), V.Load(ref y[0], 0)), ref result[0], 0);
        return result;
    }

    // The bit pattern, so that +0 and -0 (equal as numbers) differ.
    private static long Bits(T value) =>
        value is float f ? BitConverter.SingleToInt32Bits(f) : BitConverter.DoubleToInt64Bits((double)(object)value!);

    private static T[] Ordinary(int seed, double lo, double hi)
    {
        var random = new Random(seed);
        return Lanes.From<T>(Enumerable.Range(0, V.Count).Select(_ => lo + (hi - lo) * random.NextDouble()));
    }

    /// <summary>
    /// For every lane position and every unusual (x, y): the other lanes keep their ordinary bits and the unusual lane is
    /// within <paramref name="bound"/> ulps of <paramref name="reference"/>.
    /// </summary>
    private void CheckMixed(string name, T[] x, T[] y, (double X, double Y)[] unusual, Func<TVec, TVec, TVec> f, Func<double, double, DD> reference, double bound)
    {
        T[] plain = Apply(x, y, f);
        var stats = new ErrorStats();
        foreach ((double ux, double uy) in unusual)
        {
            for (int lane = 0; lane < V.Count; lane++)
            {
                T[] mx = (T[])x.Clone();
                T[] my = (T[])y.Clone();
                mx[lane] = Lanes.From<T>(ux);
                my[lane] = Lanes.From<T>(uy);
                T[] got = Apply(mx, my, f);
                for (int i = 0; i < V.Count; i++)
                {
                    if (i != lane)
                    {
                        Assert.True(Bits(got[i]) == Bits(plain[i]), $"{name}: lane {i} changed from {plain[i]} to {got[i]} beside ({ux:R}, {uy:R}) in lane {lane}");
                    }
                }

                double ex = Lanes.ToDouble(mx[lane]);
                double ey = Lanes.ToDouble(my[lane]);
                double g = Lanes.ToDouble(got[lane]);
                DD r = reference(ex, ey);
                stats.Add(Accuracy.UlpError(g, r, IsFloat), Math.Abs((g - r.Value) / r.Value), $"({ex:R}, {ey:R}) in lane {lane}: got {g:R}, reference {r.Value:R}");
            }
        }

        output.WriteLine($"{typeof(V).Name}.{name}: {stats}");
        Assert.True(stats.MaxUlp <= bound, $"{typeof(V).Name}.{name}: {stats}");
    }

    [Fact]
    public void Log_lanes_beside_zeros_negatives_subnormals_infinities_and_nan_keep_their_bits()
    {
        if (Skip())
        {
            return;
        }

        double minNormal = IsFloat ? 1.17549435E-38 : 2.2250738585072014E-308;
        double minSubnormal = IsFloat ? float.Epsilon : double.Epsilon;
        double[] unusual = { 0.0, -0.0, -1.0, -minSubnormal, double.PositiveInfinity, double.NegativeInfinity, double.NaN, minSubnormal,
                             minNormal / 3, minNormal - minSubnormal, minNormal, IsFloat ? float.MaxValue : double.MaxValue };
        CheckMixed("Log", Ordinary(17, 0.01, 100), Ordinary(18, 1, 2), unusual.Select(u => (u, 1.0)).ToArray(),
                   (a, _) => V.Log(a), (a, _) => Reference.Log(a), 1.0);
    }

    [Fact]
    public void Exp_lanes_beside_arguments_past_the_fast_range_and_nan_keep_their_bits()
    {
        if (Skip())
        {
            return;
        }

        double[] unusual = IsFloat
            ? new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity, 86.5, -86.5, 86.50001, -86.50001, 88.72, 88.73,
                      -87.4, -100.0, -103.97, -104.5, 1e30, -1e30 }
            : new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity, 708.0, -708.0, 708.0000000001, -708.0000000001,
                      709.78, 709.79, -720.0, -745.13, -745.14, -746.5, 1e300, -1e300 };
        CheckMixed("Exp", Ordinary(19, -20, 20), Ordinary(20, 0, 1), unusual.Select(u => (u, 0.0)).ToArray(),
                   (a, _) => V.Exp(a), (a, _) => Reference.Exp(a), IsFloat ? 1.0 : 1.25);
    }

    [Fact]
    public void Rel_entr_lanes_beside_zeros_negatives_nan_subnormals_and_out_of_range_ratios_keep_their_bits()
    {
        if (Skip())
        {
            return;
        }

        double minNormal = IsFloat ? 1.17549435E-38 : 2.2250738585072014E-308;
        double minSubnormal = IsFloat ? float.Epsilon : double.Epsilon;
        double huge = IsFloat ? 1e38 : 1e300;
        (double, double)[] unusual =
        {
            (0.0, 0.5), (0.0, 0.0), (-0.0, 0.5), (0.5, 0.0), (-0.5, 0.5), (0.5, -0.5), (-0.5, -0.5), (0.0, -0.5),
            (double.NaN, 0.5), (0.5, double.NaN), (0.0, double.NaN), (double.PositiveInfinity, 0.5), (0.5, double.PositiveInfinity),
            (minSubnormal, 0.5), (minNormal / 3, 0.25), (0.5, minSubnormal), (huge, 0.001), (0.001, huge), (minNormal, 4.0),
            (3 * minSubnormal, 7 * minSubnormal),
        };
        CheckMixed("RelEntr", Ordinary(21, 0.001, 1), Ordinary(22, 0.001, 1), unusual,
                   (a, b) => V.RelEntr(a, b, V.Mul(a, V.Log(V.Div(a, b)))), RelEntrCases.Reference, 2.5);
    }
}

public sealed class Simd512FFastPathTests(ITestOutputHelper output) : FastPathTests<Simd512F, Vector512<float>, float>(output);

public sealed class Simd256FFastPathTests(ITestOutputHelper output) : FastPathTests<Simd256F, Vector256<float>, float>(output);

public sealed class Simd128FFastPathTests(ITestOutputHelper output) : FastPathTests<Simd128F, Vector128<float>, float>(output);

public sealed class ScalarFFastPathTests(ITestOutputHelper output) : FastPathTests<ScalarF, float, float>(output);

public sealed class Simd512DFastPathTests(ITestOutputHelper output) : FastPathTests<Simd512D, Vector512<double>, double>(output);

public sealed class Simd256DFastPathTests(ITestOutputHelper output) : FastPathTests<Simd256D, Vector256<double>, double>(output);

public sealed class Simd128DFastPathTests(ITestOutputHelper output) : FastPathTests<Simd128D, Vector128<double>, double>(output);

public sealed class ScalarDFastPathTests(ITestOutputHelper output) : FastPathTests<ScalarD, double, double>(output);
