using System.Runtime.Intrinsics;

namespace KernelDsl.Runtime.Tests.Simd;

/// <summary>
/// The table-driven float log (FloatMath.LogTable.cs): its two primitives against their definitions, and the log at the
/// edges of every table entry in every binade (FloatLogExhaustiveTests sees every float of four binades only), at the
/// special values, against the double library log.
/// </summary>
public sealed class FloatLogTableTests
{
    /// <summary>The table's OFF: z = x 2^-k lies in [OFF, 2 OFF) read as floats (logtable.py).</summary>
    private const uint Offset = 0x3F300000u;

    /// <summary>The floats one entry spans, as bits: 2^23 / 16.</summary>
    private const uint EntryWidth = 1u << 19;

    public static TheoryData<string> Widths => new() { "Simd512F", "Simd256F", "Simd128F", "ScalarF" };

    /// <summary>Runs the check named <paramref name="check"/> on the width named <paramref name="width"/>, if accelerated.</summary>
    private static void Run(string width, string check)
    {
        Action run = (width, check) switch
        {
            ("Simd512F", _) when !Simd512F.IsHardwareAccelerated => () => { },
            ("Simd256F", _) when !Simd256F.IsHardwareAccelerated => () => { },
            ("Simd128F", _) when !Simd128F.IsHardwareAccelerated => () => { },
            ("Simd512F", nameof(Split)) => Split<Simd512F, Vector512<float>>,
            ("Simd256F", nameof(Split)) => Split<Simd256F, Vector256<float>>,
            ("Simd128F", nameof(Split)) => Split<Simd128F, Vector128<float>>,
            (_, nameof(Split)) => Split<ScalarF, float>,
            ("Simd512F", nameof(Lookup)) => Lookup<Simd512F, Vector512<float>>,
            ("Simd256F", nameof(Lookup)) => Lookup<Simd256F, Vector256<float>>,
            ("Simd128F", nameof(Lookup)) => Lookup<Simd128F, Vector128<float>>,
            (_, nameof(Lookup)) => Lookup<ScalarF, float>,
            ("Simd512F", nameof(Edges)) => Edges<Simd512F, Vector512<float>>,
            ("Simd256F", nameof(Edges)) => Edges<Simd256F, Vector256<float>>,
            ("Simd128F", nameof(Edges)) => Edges<Simd128F, Vector128<float>>,
            (_, nameof(Edges)) => Edges<ScalarF, float>,
            ("Simd512F", _) => Specials<Simd512F, Vector512<float>>,
            ("Simd256F", _) => Specials<Simd256F, Vector256<float>>,
            ("Simd128F", _) => Specials<Simd128F, Vector128<float>>,
            _ => Specials<ScalarF, float>,
        };
        run();
    }

    private static float F(uint bits) => BitConverter.UInt32BitsToSingle(bits);

    private static uint B(float value) => BitConverter.SingleToUInt32Bits(value);

    /// <summary>Every positive normal float within two of the first float of a table entry, in every binade.</summary>
    private static List<float> EntryEdges()
    {
        var points = new List<float>();
        for (int k = -127; k <= 128; k++)
        {
            for (uint entry = 0; entry < 16; entry++)
            {
                long first = (long)Offset + entry * EntryWidth + ((long)k << 23);
                for (long bits = first - 2; bits <= first + 2; bits++)
                {
                    if (bits >= 0x00800000L && bits < 0x7F800000L)
                    {
                        points.Add(F((uint)bits));
                    }
                }
            }
        }

        return points;
    }

    private static float[] Map<V, TVec>(float[] x, Func<TVec, TVec> f)
        where V : struct, IVectorOps<V, TVec, float> where TVec : struct
    {
        int count = V.Count;
        int length = (x.Length + count - 1) / count * count;
        var padded = new float[length];
        x.CopyTo(padded, 0);
        padded.AsSpan(x.Length).Fill(1f);
        var result = new float[length];
        for (int i = 0; i < length; i += count)
        {
            V.Store(f(V.Load(ref padded[0], i)), ref result[0], i);
        }

        return result[..x.Length];
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Split_gives_x_as_2_to_the_k_times_z_with_z_in_the_entry_of_its_index(string width) => Run(width, nameof(Split));

    private static void Split<V, TVec>()
        where V : struct, IVectorOps<V, TVec, float> where TVec : struct
    {
        float[] x = EntryEdges().ToArray();
        float[] k = Map<V, TVec>(x, a => V.SplitForTable16(a, Offset, out _, out _));
        float[] z = Map<V, TVec>(x, a => { V.SplitForTable16(a, Offset, out TVec zz, out _); return zz; });
        float[] index = Map<V, TVec>(x, a => { V.SplitForTable16(a, Offset, out _, out TVec i); return i; });
        for (int j = 0; j < x.Length; j++)
        {
            uint i = B(index[j]);
            Assert.True(k[j] == Math.Round(k[j]), $"x = {x[j]:R}: k = {k[j]:R} is not an integer");
            Assert.True(Math.ScaleB(z[j], (int)k[j]) == x[j], $"x = {x[j]:R}: z 2^k = {z[j]:R} 2^{k[j]}");
            Assert.True(i < 16, $"x = {x[j]:R}: index bits {i}");
            Assert.True(F(Offset + i * EntryWidth) <= z[j] && z[j] < F(Offset + (i + 1) * EntryWidth),
                        $"x = {x[j]:R}: z = {z[j]:R} is not in entry {i}");
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Lookup_returns_the_entry_of_every_index_in_every_lane(string width) => Run(width, nameof(Lookup));

    private static void Lookup<V, TVec>()
        where V : struct, IVectorOps<V, TVec, float> where TVec : struct
    {
        float[] table = Enumerable.Range(0, 16).Select(i => 1.5f + i * 0.25f).ToArray();
        for (int shift = 0; shift < 16; shift++)
        {
            float[] index = Enumerable.Range(0, 16).Select(lane => F((uint)((lane * 7 + shift) % 16))).ToArray();
            float[] got = Map<V, TVec>(index, i => V.Lookup16(ref table[0], i));
            for (int lane = 0; lane < 16; lane++)
            {
                Assert.Equal(table[B(index[lane])], got[lane]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Log_is_within_its_bound_at_the_edges_of_every_table_entry_of_every_binade(string width) => Run(width, nameof(Edges));

    private static void Edges<V, TVec>()
        where V : struct, IVectorOps<V, TVec, float> where TVec : struct
    {
        float[] x = EntryEdges().ToArray();
        float[] y = Map<V, TVec>(x, V.Log);
        for (int j = 0; j < x.Length; j++)
        {
            double reference = Math.Log(x[j]);
            double error = Math.Abs(y[j] - reference) / Accuracy.Ulp(reference, isFloat: true);
            Assert.True(error <= 1.0, $"log({x[j]:R}) = {y[j]:R}, reference {reference:R}: {error:F3} ulp");
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Log_of_special_values_is_exact(string width) => Run(width, nameof(Specials));

    private static void Specials<V, TVec>()
        where V : struct, IVectorOps<V, TVec, float> where TVec : struct
    {
        float[] x = { 0f, -0f, -1f, -float.Epsilon, float.NegativeInfinity, float.PositiveInfinity, float.NaN, 1f, 2f, 0.5f };
        float[] y = Map<V, TVec>(x, V.Log);
        Assert.Equal(float.NegativeInfinity, y[0]);
        Assert.Equal(float.NegativeInfinity, y[1]);
        Assert.True(float.IsNaN(y[2]) && float.IsNaN(y[3]) && float.IsNaN(y[4]) && float.IsNaN(y[6]));
        Assert.Equal(float.PositiveInfinity, y[5]);
        Assert.Equal(0u, B(y[7])); // +0 exactly
        Assert.Equal((float)Math.Log(2.0), y[8]);
        Assert.Equal((float)-Math.Log(2.0), y[9]);
    }
}
