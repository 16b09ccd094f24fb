using System.Runtime.Intrinsics;

namespace KernelDsl.Runtime.Tests.Simd;

/// <summary>
/// <see cref="ISimd{TVec, T}.LseCombine"/> on lane states built directly (lane maxima and sums, as
/// <see cref="ISimd{TVec, T}.LseAccumulate"/> leaves them): the folded pair against a double-double reference of
/// <c>Σ_l e^(m_l) (1 + s_l)</c> relative to the largest maximum, and the unusual states (NaN, +inf, all lanes empty)
/// bit for bit against the scalar <see cref="LogSumExp.Combine"/> applied lane by lane.
/// </summary>
public abstract class LseCombineTests<V, TVec, T>
    where V : struct, ISimd<TVec, T> where TVec : struct where T : unmanaged
{
    private static readonly bool IsFloat = Lanes.IsFloat<T>();

    /// <summary>The unit roundoff of <typeparamref name="T"/>.</summary>
    private static readonly double Eps = IsFloat ? Math.ScaleB(1, -24) : Math.ScaleB(1, -53);

    private static readonly double NegInf = double.NegativeInfinity;

    /// <summary>Lane values rounded to <typeparamref name="T"/> (so that the reference sees what the lanes hold).</summary>
    private static double[] Rounded(double[] values) => values.Select(v => IsFloat ? (float)v : v).ToArray();

    private static (double Max, double Sum) Fold(double[] max, double[] sum, double accMax, double accSum)
    {
        T[] m = Lanes.From<T>(max);
        T[] s = Lanes.From<T>(sum);
        V.LseCombine(V.Load(ref m[0], 0), V.Load(ref s[0], 0), ref accMax, ref accSum);
        return (accMax, accSum);
    }

    /// <summary>The lanes' pairs merged one after another with the scalar <see cref="LogSumExp.Combine"/>.</summary>
    private static (double Max, double Sum) LaneByLane(double[] max, double[] sum, double accMax, double accSum)
    {
        for (int i = 0; i < max.Length; i++)
        {
            LogSumExp.Combine(ref accMax, ref accSum, max[i], sum[i]);
        }

        return (accMax, accSum);
    }

    /// <summary>
    /// Folds ordinary lanes into the empty pair and checks the maximum exactly and the sum against the double-double
    /// <c>Σ_{m_l = M} s_l + Σ_{m_l &lt; M} (1 + s_l) e^(m_l - M) + (count at M) - 1</c>, within a bound that grows with
    /// each term's |m_l - M| (the lane difference rounds in <typeparamref name="T"/>).
    /// </summary>
    private static void CheckOrdinary(double[] maxIn, double[] sumIn, string what)
    {
        double[] max = Rounded(maxIn), sum = Rounded(sumIn);
        double top = max.Max();
        DD expected = -1.0;
        double bound = 0;
        for (int i = 0; i < max.Length; i++)
        {
            if (max[i] == top)
            {
                expected += sum[i];
                expected += 1.0;
                bound += sum[i] * 4 * Eps;
            }
            else if (max[i] != NegInf)
            {
                DD d = DD.TwoSum(max[i], -top);
                DD term = (1.0 + (DD)sum[i]) * DD.Exp(d);
                expected += term;
                bound += term.Hi * (16 + Math.Abs(d.Hi)) * Eps;
            }
        }

        (double gotMax, double gotSum) = Fold(max, sum, NegInf, 0);
        Assert.True(gotMax == top, $"{typeof(V).Name} {what}: max {gotMax:R}, expected {top:R}");
        double reference = expected.Hi + expected.Lo;
        // terms below the normal range are taken as 0: at most Count smallest normals
        double floor = V.Count * (IsFloat ? 1.2e-38 : 2.3e-308);
        Assert.True(Math.Abs(gotSum - reference) <= bound + floor + (V.Count + 2) * Math.ScaleB(1, -53) * reference,
            $"{typeof(V).Name} {what}: sum {gotSum:R}, expected {reference:R} (bound {bound:R})");

        // merged into a non-empty pair, the value agrees with the lane-by-lane merge
        foreach (double shift in new[] { -3.0, 0.0, 2.5 })
        {
            double accMax = (IsFloat ? (float)(top + shift) : top + shift);
            (double m1, double s1) = Fold(max, sum, accMax, 0.75);
            (double m2, double s2) = LaneByLane(max, sum, accMax, 0.75);
            double got = LogSumExp.Finish(m1, s1), want = LogSumExp.Finish(m2, s2);
            Assert.True(Math.Abs(got - want) <= (IsFloat ? 1e-6 : 1e-14) * (1 + Math.Abs(want)),
                $"{typeof(V).Name} {what}, accumulator at max {accMax}: {got:R}, lane by lane {want:R}");
        }
    }

    /// <summary>An unusual state gives the same bits as the lane-by-lane merge.</summary>
    private static void CheckUnusual(double[] maxIn, double[] sumIn, double accMax, double accSum, string what)
    {
        double[] max = Rounded(maxIn), sum = Rounded(sumIn);
        (double m1, double s1) = Fold(max, sum, accMax, accSum);
        (double m2, double s2) = LaneByLane(max, sum, accMax, accSum);
        Assert.True(m1.Equals(m2) && s1.Equals(s2), $"{typeof(V).Name} {what}: ({m1:R}, {s1:R}), lane by lane ({m2:R}, {s2:R})");
    }

    private static double[] Each(Func<int, double> f) => Enumerable.Range(0, V.Count).Select(f).ToArray();

    [Fact]
    public void Folds_ordinary_lanes_like_a_double_double_reference()
    {
        if (!V.IsHardwareAccelerated)
        {
            return;
        }

        int c = V.Count;
        var random = new Random(12);
        for (int round = 0; round < 200; round++)
        {
            double scale = round % 4 == 0 ? 0.01 : round % 4 == 1 ? 1 : round % 4 == 2 ? 30 : 1000;
            CheckOrdinary(Each(_ => scale * (2 * random.NextDouble() - 1)), Each(_ => 1000 * random.NextDouble()), $"random {round}");
        }

        CheckOrdinary(Each(_ => 1.5), Each(i => i), "every lane at the same maximum");
        CheckOrdinary(Each(i => i % 2 == 0 ? 2.0 : -1.0), Each(i => 0.25 * i), "half the lanes at the maximum");
        CheckOrdinary(Each(i => i == c - 1 ? 0.0 : -80.0), Each(i => i), "lanes 80 below the maximum");
        CheckOrdinary(Each(i => i == 0 ? 0.0 : -80.0 - i), Each(_ => 3.0), "lanes 80 and more below");
        CheckOrdinary(Each(i => i == 0 ? 0.0 : IsFloat ? -90.0 : -710.0), Each(_ => 1.0), "lanes below the normal range");
        CheckOrdinary(Each(i => i == 0 ? 0.0 : i == 1 ? -40.0 : NegInf), Each(i => i < 2 ? 0.0 : 7.0), "logsumexp([0, -40]) and empty lanes");
        CheckOrdinary(Each(i => i % 3 == 1 ? NegInf : 0.1 * i), Each(i => i % 3 == 1 ? 4.0 : 0.5), "mixed -inf lanes");
        CheckOrdinary(Each(i => i == c - 1 ? 5.0 : NegInf), Each(_ => 2.0), "one non-empty lane");
        CheckOrdinary(Each(i => IsFloat ? 3e38 - i * 1e31 : 1e308 - i * 1e292), Each(_ => 1.0), "near overflow");
    }

    [Fact]
    public void Keeps_a_term_far_below_the_maximum()
    {
        if (!V.IsHardwareAccelerated || V.Count < 2)
        {
            return;
        }

        // ln(e^0 + e^-40) = 4.248354255291589e-18 (Python decimal, 60 digits)
        (double m, double s) = Fold(Each(i => i == 0 ? 0.0 : i == 1 ? -40.0 : NegInf), Each(_ => 0.0), NegInf, 0);
        double value = LogSumExp.Finish(m, s);
        Assert.True(Math.Abs(value - 4.248354255291589e-18) <= (IsFloat ? 1e-6 : 1e-14) * 4.248354255291589e-18, $"{typeof(V).Name}: {value:R}");
    }

    [Fact]
    public void Unusual_lanes_give_the_lane_by_lane_bits()
    {
        if (!V.IsHardwareAccelerated)
        {
            return;
        }

        int c = V.Count;
        double inf = double.PositiveInfinity, nan = double.NaN;
        foreach ((double accMax, double accSum) in new[] { (NegInf, 0.0), (1.0, 0.5), (nan, nan), (inf, 2.0) })
        {
            CheckUnusual(Each(i => i == c / 2 ? nan : i), Each(_ => 1.0), accMax, accSum, "a NaN maximum");
            CheckUnusual(Each(i => i), Each(i => i == c - 1 ? nan : 1.0), accMax, accSum, "a NaN sum");
            CheckUnusual(Each(i => i == 0 ? inf : i), Each(_ => 1.0), accMax, accSum, "a +inf maximum");
            CheckUnusual(Each(i => i % 2 == 0 ? inf : NegInf), Each(_ => 3.0), accMax, accSum, "+inf and -inf lanes");
            CheckUnusual(Each(_ => NegInf), Each(i => i), accMax, accSum, "every lane empty");
            CheckUnusual(Each(i => i), Each(i => i == 0 ? inf : 1.0), accMax, accSum, "an infinite sum");
        }
    }
}

public sealed class Simd512FLseCombineTests : LseCombineTests<Simd512F, Vector512<float>, float>;

public sealed class Simd256FLseCombineTests : LseCombineTests<Simd256F, Vector256<float>, float>;

public sealed class Simd128FLseCombineTests : LseCombineTests<Simd128F, Vector128<float>, float>;

public sealed class ScalarFLseCombineTests : LseCombineTests<ScalarF, float, float>;

public sealed class Simd512DLseCombineTests : LseCombineTests<Simd512D, Vector512<double>, double>;

public sealed class Simd256DLseCombineTests : LseCombineTests<Simd256D, Vector256<double>, double>;

public sealed class Simd128DLseCombineTests : LseCombineTests<Simd128D, Vector128<double>, double>;

public sealed class ScalarDLseCombineTests : LseCombineTests<ScalarD, double, double>;
