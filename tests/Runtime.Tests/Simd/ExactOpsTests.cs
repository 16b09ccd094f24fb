using System.Runtime.Intrinsics;

namespace KernelDsl.Runtime.Tests.Simd;

/// <summary>
/// The operations that must be exact (the lane-wise IEEE result, bit for bit, any NaN for NaN): arithmetic, Min/Max
/// with <see cref="Math.Min(double, double)"/> semantics, Abs, Sign, Sqrt, Sq, IsEqual, PowInt, loads and stores, and
/// the horizontal reductions.
/// </summary>
public abstract class ExactOpsTests<V, TVec, T>
    where V : struct, ISimd<TVec, T> where TVec : struct where T : unmanaged
{
    private static readonly bool IsFloat = Lanes.IsFloat<T>();

    private static T[] Values()
    {
        var random = new Random(99);
        var values = new List<double>(Points.Specials(IsFloat)) { 2.0, -2.0, 0.5, -3.25, 1e10, -1e-10 };
        for (int i = 0; i < 600; i++)
        {
            values.Add((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-8, 9)));
        }

        double[] result = values.ToArray();
        random.Shuffle(result);
        return Lanes.From<T>(result);
    }

    private static double Round(double value) => IsFloat ? (float)value : value;

    private static void Same(double expected, T actual, string what)
    {
        double a = Lanes.ToDouble(actual);
        bool same = double.IsNaN(expected) ? double.IsNaN(a) : BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(a);
        Assert.True(same, $"{typeof(V).Name}.{what}: expected {expected:R}, got {a:R}");
    }

    private static void Unary(Func<TVec, TVec> f, Func<double, double> expected, string name)
    {
        T[] x = Values();
        T[] got = Lanes.Map<V, TVec, T>(x, f);
        for (int i = 0; i < x.Length; i++)
        {
            Same(Round(expected(Lanes.ToDouble(x[i]))), got[i], $"{name}({Lanes.ToDouble(x[i]):R})");
        }
    }

    private static void Binary(Func<TVec, TVec, TVec> f, Func<double, double, double> expected, string name)
    {
        T[] x = Values();
        T[] y = x.Reverse().ToArray();
        T[] y2 = x.Skip(7).Concat(x.Take(7)).ToArray();
        foreach (T[] other in new[] { y, y2, x })
        {
            T[] got = Lanes.Map2<V, TVec, T>(x, other, f);
            for (int i = 0; i < x.Length; i++)
            {
                double a = Lanes.ToDouble(x[i]);
                double b = Lanes.ToDouble(other[i]);
                Same(Round(expected(a, b)), got[i], $"{name}({a:R}, {b:R})");
            }
        }
    }

    private static bool Skip => !V.IsHardwareAccelerated;

    [Fact]
    public void Arithmetic_is_the_IEEE_operation()
    {
        if (Skip)
        {
            return;
        }

        // Products and quotients of two floats are exact in double, so rounding the double result once is the float result.
        Binary(V.Add, (a, b) => a + b, "Add");
        Binary(V.Sub, (a, b) => a - b, "Sub");
        Binary(V.Mul, (a, b) => a * b, "Mul");
        Binary(V.Div, (a, b) => IsFloat ? (float)a / (float)b : a / b, "Div");
        Unary(V.Neg, a => -a, "Neg");
        Unary(V.Sq, a => IsFloat ? (float)a * (float)a : a * a, "Sq");
        Unary(V.Sqrt, a => IsFloat ? MathF.Sqrt((float)a) : Math.Sqrt(a), "Sqrt");
        Unary(V.Abs, Math.Abs, "Abs");
    }

    [Fact]
    public void Min_and_Max_follow_Math_Min_and_Math_Max()
    {
        if (Skip)
        {
            return;
        }

        Binary(V.Min, Math.Min, "Min");
        Binary(V.Max, Math.Max, "Max");
        Same(-0.0, Lanes.Map2<V, TVec, T>([Lanes.From<T>(0.0)], [Lanes.From<T>(-0.0)], V.Min)[0], "Min(0, -0)");
        Same(0.0, Lanes.Map2<V, TVec, T>([Lanes.From<T>(-0.0)], [Lanes.From<T>(0.0)], V.Max)[0], "Max(-0, 0)");
    }

    [Fact]
    public void Sign_and_IsEqual()
    {
        if (Skip)
        {
            return;
        }

        Unary(V.Sign, a => double.IsNaN(a) || a == 0 ? a : Math.Sign(a), "Sign");
        Binary(V.IsEqual, (a, b) => a == b ? 1 : 0, "IsEqual");
    }

    [Fact]
    public void PowInt_is_binary_powering()
    {
        if (Skip)
        {
            return;
        }

        foreach (int n in new[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 13, 31, 64, -1, -2, -3, -4, -7, -31, int.MinValue, int.MaxValue })
        {
            Unary(v => V.PowInt(v, n), a => Powering(a, n), $"PowInt(n = {n})");
        }

        // And binary powering is close to the true power: at most one rounding per multiplication.
        T[] x = Lanes.From<T>(Enumerable.Range(1, 64).Select(i => (i - 32.5) / 7.0));
        foreach (int n in new[] { 2, 3, 5, 9, -3, -6 })
        {
            T[] got = Lanes.Map<V, TVec, T>(x, v => V.PowInt(v, n));
            for (int i = 0; i < x.Length; i++)
            {
                double error = Accuracy.UlpError(Lanes.ToDouble(got[i]), Reference.Pow(Lanes.ToDouble(x[i]), n), IsFloat);
                Assert.True(error <= 2 * Math.Log2(Math.Abs(n)) + 1, $"PowInt({Lanes.ToDouble(x[i]):R}, {n}): {error} ulp");
            }
        }
    }

    /// <summary>The reference: right-to-left binary powering in the element type, then 1/x^|n| for n &lt; 0.</summary>
    private static double Powering(double a, int n)
    {
        ulong e = n < 0 ? (ulong)(-(long)n) : (ulong)n;
        double result = 1;
        double square = a;
        while (e != 0)
        {
            if ((e & 1) != 0)
            {
                result = Round(result * square);
            }

            e >>= 1;
            if (e != 0)
            {
                square = Round(square * square);
            }
        }

        return n < 0 ? Round(1 / result) : result;
    }

    [Fact]
    public void Load_Store_Broadcast_and_Zero()
    {
        int count = V.Count;
        Assert.True(count >= 1 && (count & (count - 1)) == 0);
        if (Skip)
        {
            return;
        }

        T[] source = Lanes.From<T>(Enumerable.Range(0, 3 * count + 5).Select(i => (double)i));
        T[] destination = new T[source.Length];
        for (int offset = 0; offset + count <= source.Length; offset++)
        {
            V.Store(V.Load(ref source[0], offset), ref destination[0], offset); // unaligned, overlapping
        }

        Assert.Equal(source, destination);
        T[] lanes = new T[count];
        V.Store(V.Broadcast(Lanes.From<T>(2.5)), ref lanes[0], 0);
        Assert.All(lanes, l => Assert.Equal(2.5, Lanes.ToDouble(l)));
        V.Store(V.Zero, ref lanes[0], 0);
        Assert.All(lanes, l => Same(0.0, l, "Zero"));
    }

    [Fact]
    public void Horizontal_reductions()
    {
        if (Skip)
        {
            return;
        }

        int count = V.Count;
        var random = new Random(5);
        for (int trial = 0; trial < 200; trial++)
        {
            T[] lanes = Lanes.From<T>(Enumerable.Range(0, count).Select(_ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-20, 20))));
            if (trial % 7 == 1)
            {
                lanes[random.Next(count)] = Lanes.From<T>(double.NaN);
            }

            if (trial % 11 == 2)
            {
                lanes[random.Next(count)] = Lanes.From<T>(-0.0);
                lanes[random.Next(count)] = Lanes.From<T>(0.0);
            }

            if (trial % 13 == 3)
            {
                lanes[random.Next(count)] = Lanes.From<T>(random.Next(2) == 0 ? double.PositiveInfinity : double.NegativeInfinity);
            }

            TVec v = V.Load(ref lanes[0], 0);
            double max = Lanes.ToDouble(lanes[0]);
            double min = max;
            for (int i = 1; i < count; i++)
            {
                double lane = Lanes.ToDouble(lanes[i]);
                max = Math.Max(max, lane);
                min = Math.Min(min, lane);
            }

            // SumToDouble's order: by halving, value i gets value i + half until one is left.
            double[] values = lanes.Select(l => Lanes.ToDouble(l)).ToArray();
            for (int half = count / 2; half >= 1; half /= 2)
            {
                for (int i = 0; i < half; i++)
                {
                    values[i] += values[i + half];
                }
            }

            double sum = values[0];

            double gotSum = V.SumToDouble(v);
            Assert.True(double.IsNaN(sum) ? double.IsNaN(gotSum) : BitConverter.DoubleToInt64Bits(sum) == BitConverter.DoubleToInt64Bits(gotSum), $"SumToDouble: expected {sum:R}, got {gotSum:R}");
            Same(max, V.MaxAcross(v), "MaxAcross");
            Same(min, V.MinAcross(v), "MinAcross");
        }
    }
}

public sealed class Simd512FExactOpsTests : ExactOpsTests<Simd512F, Vector512<float>, float>;

public sealed class Simd256FExactOpsTests : ExactOpsTests<Simd256F, Vector256<float>, float>;

public sealed class Simd128FExactOpsTests : ExactOpsTests<Simd128F, Vector128<float>, float>;

public sealed class ScalarFExactOpsTests : ExactOpsTests<ScalarF, float, float>;

public sealed class Simd512DExactOpsTests : ExactOpsTests<Simd512D, Vector512<double>, double>;

public sealed class Simd256DExactOpsTests : ExactOpsTests<Simd256D, Vector256<double>, double>;

public sealed class Simd128DExactOpsTests : ExactOpsTests<Simd128D, Vector128<double>, double>;

public sealed class ScalarDExactOpsTests : ExactOpsTests<ScalarD, double, double>;
