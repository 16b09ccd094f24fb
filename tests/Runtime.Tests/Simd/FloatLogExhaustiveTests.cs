using System.Runtime.Intrinsics;
using Xunit.Abstractions;

namespace KernelDsl.Runtime.Tests.Simd;

/// <summary>
/// The float log without a division, on every float of the binades where its error is largest (k = -2 .. 1, both
/// ends of the polynomial's interval [sqrt(1/2) - 1, sqrt(2) - 1] in each), on every subnormal, and on the top binade,
/// against the double library log (its error, below 2^-52 relative, is far under a float ulp). The bound is the
/// documented one of <see cref="FunctionTests{V, TVec, T}"/>.
/// </summary>
public abstract class FloatLogExhaustiveTests<V, TVec>(ITestOutputHelper output)
    where V : struct, ISimd<TVec, float> where TVec : struct
{
    private const double Bound = 1.0;

    [Fact]
    public void Float_log_is_within_its_bound_on_every_float_of_the_worst_binades_and_every_subnormal()
    {
        if (!V.IsHardwareAccelerated)
        {
            output.WriteLine($"{typeof(V).Name} is not accelerated on this machine: skipped");
            return;
        }

        var stats = new ErrorStats();
        Check(BitConverter.SingleToUInt32Bits(0.25f), BitConverter.SingleToUInt32Bits(4f), stats);
        Check(1u, 0x00800000u, stats);                                          // the subnormals
        Check(0x7F000000u, 0x7F800000u, stats);                                // the top binade [2^127, float.MaxValue]
        output.WriteLine($"{typeof(V).Name}.Log: {stats}");
        Assert.True(stats.MaxUlp <= Bound, $"{typeof(V).Name}.Log: {stats}");
    }

    /// <summary>Every float with bits in [first, end).</summary>
    private static void Check(uint first, uint end, ErrorStats stats)
    {
        const int chunk = 1 << 16;
        int count = V.Count;
        var x = new float[chunk];
        var y = new float[chunk];
        for (uint start = first; start < end; start += chunk)
        {
            int length = (int)Math.Min(chunk, end - start);
            for (int i = 0; i < chunk; i++)
            {
                x[i] = BitConverter.UInt32BitsToSingle(start + (uint)Math.Min(i, length - 1));
            }

            for (int i = 0; i < chunk; i += count)
            {
                V.Store(V.Log(V.Load(ref x[0], i)), ref y[0], i);
            }

            double worst = 0;
            int at = 0;
            for (int i = 0; i < length; i++)
            {
                double reference = Math.Log(x[i]);
                double error = Math.Abs(y[i] - reference) / Accuracy.Ulp(reference, isFloat: true);
                if (!(error <= worst))
                {
                    worst = double.IsNaN(error) ? double.PositiveInfinity : error;
                    at = i;
                }
            }

            if (worst > 0)
            {
                double r = Math.Log(x[at]);
                stats.Add(worst, Math.Abs((y[at] - r) / r), $"x = {x[at]:R}: got {y[at]:R}, reference {r:R}");
            }
        }
    }
}

public sealed class Simd512FFloatLogExhaustiveTests(ITestOutputHelper output) : FloatLogExhaustiveTests<Simd512F, Vector512<float>>(output);

public sealed class Simd256FFloatLogExhaustiveTests(ITestOutputHelper output) : FloatLogExhaustiveTests<Simd256F, Vector256<float>>(output);

public sealed class Simd128FFloatLogExhaustiveTests(ITestOutputHelper output) : FloatLogExhaustiveTests<Simd128F, Vector128<float>>(output);

public sealed class ScalarFFloatLogExhaustiveTests(ITestOutputHelper output) : FloatLogExhaustiveTests<ScalarF, float>(output);
