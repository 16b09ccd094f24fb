using System.Runtime.Intrinsics;
using Xunit.Abstractions;
using GpuD = KernelDsl.Runtime.Gpu.GpuMath<double>;
using GpuF = KernelDsl.Runtime.Gpu.GpuMath<float>;

namespace KernelDsl.Runtime.Tests.Simd;

/// <summary>
/// The functions the runtime composes for derivatives and gathers, at one width: sinh against double-double
/// ((expm1 x - expm1(-x)) / 2 in <see cref="DD"/>), and step, xdivy, selecteq against their closed forms (exact: they
/// are one comparison, one division or one select), special values included.
/// </summary>
public abstract class SinhStepXdivySelectTests<V, TVec, T>(ITestOutputHelper output)
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

    /// <summary>sinh in double-double: (expm1 |x| - expm1(-|x|)) / 2 with the sign of x; e^|x| / 2 where e^-|x| is negligible.</summary>
    private static DD SinhReference(double x)
    {
        double a = Math.Abs(x);
        if (double.IsNaN(x) || x == 0 || double.IsInfinity(x))
        {
            return x;
        }

        DD r = a > 700 ? DD.Exp(a - DD.Ln2) : (DD.Expm1(a) - DD.Expm1(-a)) * 0.5;
        return x < 0 ? -r : r;
    }

    private double[] Arguments(int seed, double range) =>
        Points.Create(seed, IsFloat)
            .Uniform(2000, -range, range)
            .LogUniform(2000, IsFloat ? 1e-40 : 1e-310, IsFloat ? 89 : 711, signed: true)
            .Uniform(500, -1, 1)
            .AddSpecials()
            .Build();

    [Fact]
    public void Sinh_is_accurate()
    {
        if (Skip())
        {
            return;
        }

        double[] x = Arguments(61, 5);
        T[] got = Lanes.Map<V, TVec, T>(Lanes.From<T>(x), V.Sinh);
        var stats = new ErrorStats();
        for (int i = 0; i < x.Length; i++)
        {
            double g = Lanes.ToDouble(got[i]);
            DD r = SinhReference(x[i]);
            stats.Add(Accuracy.UlpError(g, r, IsFloat, signedZero: true), Math.Abs((g - r.Value) / r.Value), $"x = {x[i]:R}: got {g:R}, reference {r.Value:R}");
        }

        output.WriteLine($"{typeof(V).Name}.Sinh: {stats}");
        Assert.True(stats.MaxUlp <= 2.0, $"{typeof(V).Name}.Sinh: {stats}"); // measured: float 1.21, double 1.58 (every width, AVX-512 machine)
    }

    /// <summary>Pairs for the comparisons: random values, many ties, and the special values against each other.</summary>
    private (double A, double B)[] Pairs()
    {
        var random = new Random(IsFloat ? 71 : 72);
        double[] x = Arguments(73, 3);
        double[] specials = Points.Specials(IsFloat);
        var pairs = new List<(double, double)>();
        for (int i = 0; i < x.Length; i++)
        {
            double b = random.Next(4) == 0 ? x[i] : x[random.Next(x.Length)];
            pairs.Add((x[i], b));
        }

        foreach (double a in specials)
        {
            foreach (double b in specials)
            {
                pairs.Add((a, b));
            }
        }

        return pairs.Select(p => IsFloat ? ((double)(float)p.Item1, (double)(float)p.Item2) : p).ToArray();
    }

    private static void AssertSame(double expected, double got, string what)
    {
        bool same = double.IsNaN(expected) ? double.IsNaN(got) : BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(got);
        Assert.True(same, $"{what}: expected {expected:R}, got {got:R}");
    }

    [Fact]
    public void Step_is_one_half_or_zero_by_the_comparison()
    {
        if (Skip())
        {
            return;
        }

        var pairs = Pairs();
        T[] got = Lanes.Map2<V, TVec, T>(Lanes.From<T>(pairs.Select(p => p.A)), Lanes.From<T>(pairs.Select(p => p.B)), V.Step);
        for (int i = 0; i < pairs.Length; i++)
        {
            (double a, double b) = pairs[i];
            // The derivative of min(a, b) in a: 1 if a < b, 1/2 on a tie (equal infinities included), 0 if a > b, NaN with a NaN.
            double expected = double.IsNaN(a) || double.IsNaN(b) ? double.NaN : a < b ? 1.0 : a == b ? 0.5 : 0.0;
            AssertSame(expected, Lanes.ToDouble(got[i]), $"{typeof(V).Name}.Step({a:R}, {b:R})");
        }
    }

    [Fact]
    public void Xdivy_is_the_division_and_zero_where_x_is_zero()
    {
        if (Skip())
        {
            return;
        }

        var pairs = Pairs();
        T[] got = Lanes.Map2<V, TVec, T>(Lanes.From<T>(pairs.Select(p => p.A)), Lanes.From<T>(pairs.Select(p => p.B)), V.Xdivy);
        for (int i = 0; i < pairs.Length; i++)
        {
            (double x, double y) = pairs[i];
            // x / y correctly rounded in T (the IEEE division), and +0 where x = ±0 and y is not NaN (also y = 0, ±inf).
            double expected = x == 0 && !double.IsNaN(y) ? 0.0 : IsFloat ? (float)x / (float)y : x / y;
            AssertSame(expected, Lanes.ToDouble(got[i]), $"{typeof(V).Name}.Xdivy({x:R}, {y:R})");
        }
    }

    [Fact]
    public void SelectEq_selects_v_where_equal_and_zero_elsewhere()
    {
        if (Skip())
        {
            return;
        }

        var pairs = Pairs();
        double[] specials = Points.Specials(IsFloat);
        double[] v = pairs.Select((_, i) => IsFloat ? (float)specials[i % specials.Length] : specials[i % specials.Length]).ToArray(); // inf and NaN must not leak
        T[] a = Lanes.From<T>(pairs.Select(p => p.A)), b = Lanes.From<T>(pairs.Select(p => p.B)), vt = Lanes.From<T>(v);
        int count = V.Count;
        int length = (pairs.Length + count - 1) / count * count;
        T[] Pad(T[] values) => values.Concat(Enumerable.Repeat(values[0], length - values.Length)).ToArray();
        T[] pa = Pad(a), pb = Pad(b), pv = Pad(vt), got = new T[length], equal = new T[length];
        for (int i = 0; i < length; i += count)
        {
            V.Store(V.SelectEq(V.Load(ref pa[0], i), V.Load(ref pb[0], i), V.Load(ref pv[0], i)), ref got[0], i);
            V.Store(V.IsEqual(V.Load(ref pa[0], i), V.Load(ref pb[0], i)), ref equal[0], i);
        }

        for (int i = 0; i < pairs.Length; i++)
        {
            (double x, double y) = pairs[i];
            // numeric equality: -0 == +0, NaN equals nothing
            AssertSame(x == y ? v[i] : 0.0, Lanes.ToDouble(got[i]), $"{typeof(V).Name}.SelectEq({x:R}, {y:R}, {v[i]:R})");
            AssertSame(x == y ? 1.0 : 0.0, Lanes.ToDouble(equal[i]), $"{typeof(V).Name}.IsEqual({x:R}, {y:R})");
        }
    }

    [Fact]
    public void SelectPositive_selects_v_where_x_is_positive_and_zero_elsewhere()
    {
        if (Skip())
        {
            return;
        }

        // Every special x (±0, subnormals, ±inf, NaN) against every special v, so inf and NaN in v must not leak either.
        double[] specials = Points.Specials(IsFloat).Select(s => IsFloat ? (float)s : s).ToArray();
        var pairs = specials.SelectMany(x => specials.Select(v => (X: x, V: v))).ToArray();
        int count = V.Count;
        int length = (pairs.Length + count - 1) / count * count;
        T[] Pad(IEnumerable<double> values) => Lanes.From<T>(values.Concat(Enumerable.Repeat(1.0, length - pairs.Length)));
        T[] px = Pad(pairs.Select(p => p.X)), pv = Pad(pairs.Select(p => p.V)), got = new T[length], old = new T[length];
        TVec one = V.Broadcast(Lanes.From<T>(1.0));
        for (int i = 0; i < length; i += count)
        {
            TVec x = V.Load(ref px[0], i), v = V.Load(ref pv[0], i);
            V.Store(V.SelectPositive(x, v), ref got[0], i);
            V.Store(V.SelectEq(V.Sign(x), one, v), ref old[0], i); // the form it replaces in rel_entr's derivative
        }

        for (int i = 0; i < pairs.Length; i++)
        {
            (double x, double v) = pairs[i];
            AssertSame(x > 0 ? v : 0.0, Lanes.ToDouble(got[i]), $"{typeof(V).Name}.SelectPositive({x:R}, {v:R})");
            AssertSame(Lanes.ToDouble(old[i]), Lanes.ToDouble(got[i]), $"{typeof(V).Name}.SelectPositive({x:R}, {v:R}) vs SelectEq(Sign(x), 1, v)");
        }
    }
}

public sealed class Simd512FSinhStepXdivySelectTests(ITestOutputHelper output) : SinhStepXdivySelectTests<Simd512F, Vector512<float>, float>(output);

public sealed class Simd256FSinhStepXdivySelectTests(ITestOutputHelper output) : SinhStepXdivySelectTests<Simd256F, Vector256<float>, float>(output);

public sealed class Simd128FSinhStepXdivySelectTests(ITestOutputHelper output) : SinhStepXdivySelectTests<Simd128F, Vector128<float>, float>(output);

public sealed class ScalarFSinhStepXdivySelectTests(ITestOutputHelper output) : SinhStepXdivySelectTests<ScalarF, float, float>(output);

public sealed class Simd512DSinhStepXdivySelectTests(ITestOutputHelper output) : SinhStepXdivySelectTests<Simd512D, Vector512<double>, double>(output);

public sealed class Simd256DSinhStepXdivySelectTests(ITestOutputHelper output) : SinhStepXdivySelectTests<Simd256D, Vector256<double>, double>(output);

public sealed class Simd128DSinhStepXdivySelectTests(ITestOutputHelper output) : SinhStepXdivySelectTests<Simd128D, Vector128<double>, double>(output);

public sealed class ScalarDSinhStepXdivySelectTests(ITestOutputHelper output) : SinhStepXdivySelectTests<ScalarD, double, double>(output);

/// <summary>The GPU math's step against the same closed form (plain C# here): ties, equal infinities included, give 1/2.</summary>
public sealed class GpuStepTests
{
    [Fact]
    public void Step_is_one_half_on_ties_including_equal_infinities()
    {
        double[] values = { double.NegativeInfinity, -1, -0.0, 0, 2, double.PositiveInfinity, double.NaN };
        foreach (double a in values)
        {
            foreach (double b in values)
            {
                double expected = double.IsNaN(a) || double.IsNaN(b) ? double.NaN : a < b ? 1.0 : a == b ? 0.5 : 0.0;
                Assert.Equal(expected, KernelDsl.Runtime.Gpu.GpuMath<double>.Step(a, b));
                Assert.Equal((float)expected, KernelDsl.Runtime.Gpu.GpuMath<float>.Step((float)a, (float)b));
            }
        }
    }

    /// <summary>
    /// The GPU math's selectpos is bit for bit the form it replaced, selecteq(sign(a), 1, b), in double and float, over
    /// the special values of both arguments (sign of zero and NaN included).
    /// </summary>
    [Fact]
    public void SelectPositive_is_selecteq_of_sign_bit_for_bit()
    {
        double[] values =
        {
            double.NegativeInfinity, -1, -double.Epsilon, -0.0, 0.0, double.Epsilon, 1, double.PositiveInfinity, double.NaN,
        };
        float[] floats =
        {
            float.NegativeInfinity, -1f, -float.Epsilon, -0.0f, 0.0f, float.Epsilon, 1f, float.PositiveInfinity, float.NaN,
        };
        foreach (double a in values)
        {
            foreach (double b in values)
            {
                double replaced = GpuD.SelectEq(GpuD.Sign(a), 1, b);
                Assert.Equal(BitConverter.DoubleToInt64Bits(replaced), BitConverter.DoubleToInt64Bits(GpuD.SelectPositive(a, b)));
            }
        }

        foreach (float a in floats)
        {
            foreach (float b in floats)
            {
                float replaced = GpuF.SelectEq(GpuF.Sign(a), 1, b);
                Assert.Equal(BitConverter.SingleToInt32Bits(replaced), BitConverter.SingleToInt32Bits(GpuF.SelectPositive(a, b)));
            }
        }
    }
}
