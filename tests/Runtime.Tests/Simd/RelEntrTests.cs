using System.Runtime.Intrinsics;
using KernelDsl.Language.Ops;
using KernelDsl.Runtime.Gpu;
using Xunit.Abstractions;

namespace KernelDsl.Runtime.Tests.Simd;

/// <summary>
/// rel_entr references in double-double (<see cref="DD"/>, independent of the code under test) and the test pairs:
/// near-equal (the rounding of x / y used to be the whole result), ratios that overflow or underflow, subnormals, huge
/// values, probabilities, and scipy's special values.
/// </summary>
internal static class RelEntrCases
{
    /// <summary>x log(x / y) with scipy's conventions, finite values in double-double.</summary>
    public static DD Reference(double x, double y)
    {
        if (double.IsNaN(x) || double.IsNaN(y))
        {
            return double.NaN;
        }

        if (x == 0 && y >= 0)
        {
            return 0.0;
        }

        if (!(x > 0 && y > 0))
        {
            return double.PositiveInfinity;
        }

        if (double.IsInfinity(x) || double.IsInfinity(y))
        {
            return double.IsInfinity(x) && double.IsInfinity(y) ? double.NaN : double.IsInfinity(x) ? x : double.NegativeInfinity;
        }

        // log(x / y) does not change when both are scaled by a power of 2; keep the double-double steps off the subnormal range.
        double scale = Math.Max(x, y) < Math.ScaleB(1.0, -400) ? Math.ScaleB(1.0, 600) : 1.0;
        double xs = x * scale, ys = y * scale;
        DD z = ((DD)xs - ys) / ys; // the difference is exact
        DD log = Math.Abs(z.Hi) < 0.25 ? DD.Log1p(z) : DD.Log(xs) - DD.Log(ys);
        return log * x;
    }

    /// <summary>The test pairs, rounded to float when asked (fixed seed).</summary>
    public static (double X, double Y)[] Pairs(bool isFloat)
    {
        var random = new Random(4242 + (isFloat ? 1 : 0));
        int minE = isFloat ? -149 : -1074, maxE = isFloat ? 127 : 1023, bits = isFloat ? 24 : 53;
        double R(double lo, double hi) => lo + (hi - lo) * random.NextDouble();
        double LogU(double lo, double hi) => Math.Pow(2, R(lo, hi));
        double Round(double v) => isFloat ? (float)v : v;
        double Next(double v, int k)
        {
            for (int i = 0; i < Math.Abs(k); i++)
            {
                v = isFloat ? (k > 0 ? MathF.BitIncrement((float)v) : MathF.BitDecrement((float)v)) : (k > 0 ? Math.BitIncrement(v) : Math.BitDecrement(v));
            }

            return v;
        }

        var pairs = new List<(double, double)>();
        for (int i = 0; i < 1500; i++)
        {
            pairs.Add((LogU(minE, maxE), LogU(minE, maxE))); // every ratio, overflowing and underflowing ones included
            pairs.Add((R(0, 1), R(0, 1)));                     // probabilities
            double y = Round(LogU(minE + bits + 2, maxE - 1));
            double delta = (random.Next(2) == 0 ? -1 : 1) * Math.Pow(2, R(-bits - 4, -1));
            pairs.Add((y * (1 + delta), y));                   // near-equal, |x - y| / y from 2^-57 to 1/2
            pairs.Add((Next(y, random.Next(-64, 65)), y));     // a few ulps apart (or equal)
        }

        for (int i = 0; i < 300; i++)
        {
            double y = Round(LogU(minE, minE + 40)); // subnormal and barely normal
            pairs.Add((LogU(minE, minE + 40), y));
            pairs.Add((Next(y, random.Next(-64, 65)), y));
        }

        double[] specials = Points.Specials(isFloat).Concat(new[] { 2.0, 0.5, 1e-3 }).ToArray();
        foreach (double x in specials)
        {
            foreach (double y in specials)
            {
                pairs.Add((x, y));
            }
        }

        var result = pairs.Select(p => (Round(p.Item1), Round(p.Item2))).ToArray();
        random.Shuffle(result);
        return result;
    }

    /// <summary>The worst ulp error of <paramref name="f"/> over the pairs, written to <paramref name="output"/>.</summary>
    public static ErrorStats Measure((double X, double Y)[] pairs, double[] got, bool isFloat, string name, ITestOutputHelper output)
    {
        var stats = new ErrorStats();
        for (int i = 0; i < pairs.Length; i++)
        {
            (double x, double y) = pairs[i];
            DD r = Reference(x, y);
            stats.Add(Accuracy.UlpError(got[i], r, isFloat), Math.Abs((got[i] - r.Value) / r.Value), $"({x:R}, {y:R}): got {got[i]:R}, reference {r.Value:R}");
        }

        output.WriteLine($"{name}: {stats}");
        return stats;
    }
}

/// <summary>
/// rel_entr at one width (and the scalar tail) against double-double: x log(x / y) within a stated ulp bound everywhere,
/// near-equal arguments, overflowing and underflowing ratios and subnormals included, for the two-argument function and
/// for the guarded form that generated kernels call with their own unguarded u = x log(x / y).
/// </summary>
public abstract class RelEntrTests<V, TVec, T>(ITestOutputHelper output)
    where V : struct, ISimd<TVec, T> where TVec : struct where T : unmanaged
{
    private static readonly bool IsFloat = Lanes.IsFloat<T>();

    /// <summary>
    /// Worst error allowed in ulps of T; measured (every width, AVX-512 machine): float 1.38 for the two-argument form (it
    /// owns its log: FloatMath.RelEntr.cs) and 1.75 for the guarded form, double 1.59.
    /// </summary>
    private const double Bound = 2.5;

    private static double[] Run((double X, double Y)[] pairs, Func<TVec, TVec, TVec> f) =>
        Lanes.Map2<V, TVec, T>(Lanes.From<T>(pairs.Select(p => p.X)), Lanes.From<T>(pairs.Select(p => p.Y)), f).Select(Lanes.ToDouble).ToArray();

    /// <summary>What a generated kernel does: u = x·log(x/y) with the width's own log and division, then the guard.</summary>
    private static TVec Guarded(TVec x, TVec y) => V.RelEntr(x, y, V.Mul(x, V.Log(V.Div(x, y))));

    private bool Skip()
    {
        if (V.IsHardwareAccelerated)
        {
            return false;
        }

        output.WriteLine($"{typeof(V).Name} is not accelerated on this machine: skipped");
        return true;
    }

    [Fact]
    public void Known_hard_values_match_high_precision_references()
    {
        if (Skip())
        {
            return;
        }

        // Python's decimal module at 60 digits, x * ln(x / y) of the exact binary values:
        //   rel_entr(0.9456657713430001, 0.9456657713430094) = -9.325873406851269e-15 (x * log(x / y) in double: 2e-3 off)
        //   rel_entr(4, 2.22e-308)    = 2839.139983229607       (x / y overflows)
        //   rel_entr(1e-200, 1e200)   = -9.210340371976183e-198 (x / y underflows)
        // float: the same situations, against the double-double reference.
        (double X, double Y, double Expected)[] cases = IsFloat
            ? new (double X, double Y, double Expected)[]
            {
                (0.94566577f, (double)MathF.BitIncrement(MathF.BitIncrement(0.94566577f)), RelEntrCases.Reference(0.94566577f, MathF.BitIncrement(MathF.BitIncrement(0.94566577f))).Value),
                (4.0, 1e-38f, RelEntrCases.Reference(4, 1e-38f).Value),
                (1e-30f, 1e30f, RelEntrCases.Reference(1e-30f, 1e30f).Value),
            }
            : new (double X, double Y, double Expected)[]
            {
                (0.9456657713430001, 0.9456657713430094, -9.325873406851269e-15),
                (4.0, 2.22e-308, 2839.139983229607),
                (1e-200, 1e200, -9.210340371976183e-198),
            };
        var pairs = cases.Select(c => (c.X, c.Y)).ToArray();
        foreach ((string name, Func<TVec, TVec, TVec> f) in new (string, Func<TVec, TVec, TVec>)[] { ("RelEntr(x, y)", V.RelEntr), ("RelEntr(x, y, u)", Guarded) })
        {
            double[] got = Run(pairs, f);
            for (int i = 0; i < cases.Length; i++)
            {
                double error = Accuracy.UlpError(got[i], cases[i].Expected, IsFloat);
                Assert.True(error <= Bound, $"{typeof(V).Name}.{name}({cases[i].X:R}, {cases[i].Y:R}) = {got[i]:R}, expected {cases[i].Expected:R} ({error:0.0} ulp)");
            }
        }
    }

    [Fact]
    public void Is_accurate_over_random_and_special_pairs()
    {
        if (Skip())
        {
            return;
        }

        var pairs = RelEntrCases.Pairs(IsFloat);
        foreach ((string name, Func<TVec, TVec, TVec> f) in new (string, Func<TVec, TVec, TVec>)[] { ("RelEntr(x, y)", V.RelEntr), ("RelEntr(x, y, u)", Guarded) })
        {
            ErrorStats stats = RelEntrCases.Measure(pairs, Run(pairs, f), IsFloat, $"{typeof(V).Name}.{name}", output);
            Assert.True(stats.MaxUlp <= Bound, $"{typeof(V).Name}.{name}: {stats}");
        }
    }
}

public sealed class Simd512FRelEntrTests(ITestOutputHelper output) : RelEntrTests<Simd512F, Vector512<float>, float>(output);

public sealed class Simd256FRelEntrTests(ITestOutputHelper output) : RelEntrTests<Simd256F, Vector256<float>, float>(output);

public sealed class Simd128FRelEntrTests(ITestOutputHelper output) : RelEntrTests<Simd128F, Vector128<float>, float>(output);

public sealed class ScalarFRelEntrTests(ITestOutputHelper output) : RelEntrTests<ScalarF, float, float>(output);

public sealed class Simd512DRelEntrTests(ITestOutputHelper output) : RelEntrTests<Simd512D, Vector512<double>, double>(output);

public sealed class Simd256DRelEntrTests(ITestOutputHelper output) : RelEntrTests<Simd256D, Vector256<double>, double>(output);

public sealed class Simd128DRelEntrTests(ITestOutputHelper output) : RelEntrTests<Simd128D, Vector128<double>, double>(output);

public sealed class ScalarDRelEntrTests(ITestOutputHelper output) : RelEntrTests<ScalarD, double, double>(output);

/// <summary>
/// The other two implementations of rel_entr against the same references: the double interpreter's (the test oracle,
/// <see cref="DMath.RelEntr"/>) and the GPU math (<see cref="GpuMath{T}.RelEntr"/>, plain C# here, fed u = x log(x / y)
/// as a generated GPU kernel computes it).
/// </summary>
public sealed class RelEntrOracleAndGpuTests(ITestOutputHelper output)
{
    [Fact]
    public void Interpreter_rel_entr_is_accurate()
    {
        Assert.Equal(-9.325873406851269e-15, DMath.RelEntr(0.9456657713430001, 0.9456657713430094), 1e-15 * 9.33e-15 * 4);
        Assert.Equal(2839.139983229607, DMath.RelEntr(4, 2.22e-308));
        Assert.Equal(-9.210340371976183e-198, DMath.RelEntr(1e-200, 1e200));
        var pairs = RelEntrCases.Pairs(isFloat: false);
        double[] got = pairs.Select(p => DMath.RelEntr(p.X, p.Y)).ToArray();
        ErrorStats stats = RelEntrCases.Measure(pairs, got, false, "DMath.RelEntr", output);
        Assert.True(stats.MaxUlp <= 3.5, stats.ToString()); // measured 2.84 (log1p of the exact difference over y: a division, log1p and a product)
    }

    [Fact]
    public void Gpu_rel_entr_is_accurate_in_double()
    {
        var pairs = RelEntrCases.Pairs(isFloat: false);
        double[] got = pairs.Select(p => GpuMath<double>.RelEntr(p.X, p.Y, p.X * Math.Log(p.X / p.Y))).ToArray();
        ErrorStats stats = RelEntrCases.Measure(pairs, got, false, "GpuMath<double>.RelEntr", output);
        Assert.True(stats.MaxUlp <= 3.5, stats.ToString()); // measured 2.84, as the interpreter
    }

    [Fact]
    public void Gpu_rel_entr_is_accurate_in_float()
    {
        var pairs = RelEntrCases.Pairs(isFloat: true);
        double[] got = pairs.Select(p =>
        {
            float x = (float)p.X, y = (float)p.Y;
            return (double)GpuMath<float>.RelEntr(x, y, x * MathF.Log(x / y));
        }).ToArray();
        ErrorStats stats = RelEntrCases.Measure(pairs, got, true, "GpuMath<float>.RelEntr", output);
        Assert.True(stats.MaxUlp <= 4.5, stats.ToString()); // measured 2.63; ratios in [2^-126, 2^-97) take the difference of logs (see GpuMath)
    }
}
