using System.Runtime.Intrinsics;
using Xunit.Abstractions;

namespace KernelDsl.Runtime.Tests.Simd;

/// <summary>
/// <see cref="ILowPrecisionStorage{TVec}"/> at one width: loads exact for every 16-bit pattern, stores bit for bit equal
/// to the reference conversions (<see cref="Half"/>'s own operator; a bit-level round-to-nearest-even for bfloat16)
/// on random floats over the whole range and on the special values, at lane offsets that are not multiples of Count,
/// without touching the elements around the ones stored.
/// </summary>
public abstract class LowPrecisionStorageTests<V, TVec>(ITestOutputHelper output)
    where V : struct, ISimd<TVec, float>, ILowPrecisionStorage<TVec> where TVec : struct
{
    private const ushort Sentinel = 0xA5A5;

    private bool Skip()
    {
        if (V.IsHardwareAccelerated)
        {
            return false;
        }

        output.WriteLine($"{typeof(V).Name} is not accelerated on this machine: skipped");
        return true;
    }

    /// <summary>Offsets of the first stored or loaded element: 0, and ones that are not multiples of Count.</summary>
    private static int[] Offsets => V.Count == 1 ? [0, 1, 7] : [0, 1, 3, V.Count - 1, V.Count + 5];

    [Fact]
    public void LoadHalf_is_exact_for_every_bit_pattern()
    {
        if (Skip())
        {
            return;
        }

        foreach (int offset in new[] { 0, 3 })
        {
            var source = new Half[offset + 65536];
            for (int i = 0; i < 65536; i++)
            {
                source[offset + i] = BitConverter.UInt16BitsToHalf((ushort)i);
            }

            var got = new float[65536];
            for (int i = 0; i < 65536; i += V.Count)
            {
                V.Store(V.LoadHalf(ref source[0], offset + i), ref got[0], i);
            }

            for (int i = 0; i < 65536; i++)
            {
                // Half's conversion is exact, with NaNs made quiet and their payload kept: the same bits are required.
                uint expected = BitConverter.SingleToUInt32Bits((float)BitConverter.UInt16BitsToHalf((ushort)i));
                uint actual = BitConverter.SingleToUInt32Bits(got[i]);
                Assert.True(expected == actual, $"{typeof(V).Name}.LoadHalf(0x{i:X4}) at offset {offset}: expected 0x{expected:X8}, got 0x{actual:X8}");
            }
        }
    }

    [Fact]
    public void LoadBFloat16_is_exact_for_every_bit_pattern()
    {
        if (Skip())
        {
            return;
        }

        foreach (int offset in new[] { 0, 5 })
        {
            var source = new ushort[offset + 65536];
            for (int i = 0; i < 65536; i++)
            {
                source[offset + i] = (ushort)i;
            }

            var got = new float[65536];
            for (int i = 0; i < 65536; i += V.Count)
            {
                V.Store(V.LoadBFloat16(ref source[0], offset + i), ref got[0], i);
            }

            for (int i = 0; i < 65536; i++)
            {
                uint actual = BitConverter.SingleToUInt32Bits(got[i]);
                Assert.True(actual == (uint)i << 16, $"{typeof(V).Name}.LoadBFloat16(0x{i:X4}) at offset {offset}: got 0x{actual:X8}");
            }
        }
    }

    [Fact]
    public void StoreHalf_matches_the_Half_conversion_bit_for_bit()
    {
        if (Skip())
        {
            return;
        }

        float[] values = LowPrecisionCases.Values();
        foreach (int offset in Offsets)
        {
            ushort[] got = Store(values, offset, (v, destination, index) =>
                V.StoreHalf(v, ref System.Runtime.CompilerServices.Unsafe.As<ushort, Half>(ref destination[0]), index));
            for (int i = 0; i < values.Length; i++)
            {
                ushort expected = BitConverter.HalfToUInt16Bits((Half)values[i]);
                Assert.True(expected == got[i], $"{typeof(V).Name}.StoreHalf({LowPrecisionCases.Show(values[i])}) at offset {offset}: expected 0x{expected:X4}, got 0x{got[i]:X4}");
            }
        }
    }

    [Fact]
    public void StoreBFloat16_rounds_to_nearest_even_and_keeps_NaN_and_infinity()
    {
        if (Skip())
        {
            return;
        }

        float[] values = LowPrecisionCases.Values();
        foreach (int offset in Offsets)
        {
            ushort[] got = Store(values, offset, (v, destination, index) => V.StoreBFloat16(v, ref destination[0], index));
            for (int i = 0; i < values.Length; i++)
            {
                LowPrecisionCases.CheckBFloat16(values[i], got[i], $"{typeof(V).Name}.StoreBFloat16 at offset {offset}");
            }
        }
    }

    /// <summary>
    /// Loads <paramref name="values"/> a vector at a time and stores each vector with <paramref name="store"/> at
    /// <c>offset + i</c> in a buffer of sentinels; checks that nothing outside the stored range changed and returns the
    /// stored range.
    /// </summary>
    private static ushort[] Store(float[] values, int offset, Action<TVec, ushort[], nint> store)
    {
        int length = (values.Length + V.Count - 1) / V.Count * V.Count;
        var source = new float[length];
        values.CopyTo(source, 0);
        var destination = new ushort[offset + length + 2 * V.Count];
        Array.Fill(destination, Sentinel);
        for (int i = 0; i < length; i += V.Count)
        {
            store(V.Load(ref source[0], i), destination, offset + i);
        }

        Assert.All(destination[..offset], b => Assert.Equal(Sentinel, b));
        Assert.All(destination[(offset + length)..], b => Assert.Equal(Sentinel, b));
        return destination[offset..(offset + values.Length)];
    }
}

public sealed class Simd512FLowPrecisionStorageTests(ITestOutputHelper output) : LowPrecisionStorageTests<Simd512F, Vector512<float>>(output);

public sealed class Simd256FLowPrecisionStorageTests(ITestOutputHelper output) : LowPrecisionStorageTests<Simd256F, Vector256<float>>(output);

public sealed class Simd128FLowPrecisionStorageTests(ITestOutputHelper output) : LowPrecisionStorageTests<Simd128F, Vector128<float>>(output);

public sealed class ScalarFLowPrecisionStorageTests(ITestOutputHelper output) : LowPrecisionStorageTests<ScalarF, float>(output);

/// <summary>The scalar and span conversions of <see cref="BFloat16"/>.</summary>
public sealed class BFloat16Tests
{
    [Fact]
    public void ToSingle_is_the_top_half_of_the_float_bits()
    {
        for (int i = 0; i < 65536; i++)
        {
            Assert.Equal((uint)i << 16, BitConverter.SingleToUInt32Bits(BFloat16.ToSingle((ushort)i)));
        }
    }

    [Fact]
    public void FromSingle_rounds_to_nearest_even_and_keeps_NaN_and_infinity()
    {
        foreach (float value in LowPrecisionCases.Values())
        {
            LowPrecisionCases.CheckBFloat16(value, BFloat16.FromSingle(value), "BFloat16.FromSingle");
        }
    }

    [Fact]
    public void FromSingle_of_every_bfloat16_gives_it_back()
    {
        for (int i = 0; i < 65536; i++)
        {
            ushort bits = (ushort)i;
            ushort back = BFloat16.FromSingle(BFloat16.ToSingle(bits));
            // A signalling NaN comes back quiet; everything else comes back unchanged.
            ushort expected = (bits & 0x7F80) == 0x7F80 && (bits & 0x7F) != 0 ? (ushort)(bits | 0x40) : bits;
            Assert.Equal(expected, back);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(31)]
    [InlineData(45)]
    [InlineData(1000)]
    public void Span_conversions_agree_with_the_scalar_ones(int length)
    {
        float[] values = LowPrecisionCases.Values().Take(length).ToArray();
        var bits = new ushort[length];
        BFloat16.FromSingle(values, bits);
        for (int i = 0; i < length; i++)
        {
            Assert.Equal(BFloat16.FromSingle(values[i]), bits[i]);
        }

        var back = new float[length];
        BFloat16.ToSingle(bits, back);
        for (int i = 0; i < length; i++)
        {
            Assert.Equal(BitConverter.SingleToUInt32Bits(BFloat16.ToSingle(bits[i])), BitConverter.SingleToUInt32Bits(back[i]));
        }
    }

    [Fact]
    public void Span_conversions_reject_a_destination_of_another_length()
    {
        var e1 = Assert.Throws<ArgumentException>(() => BFloat16.FromSingle(new float[5], new ushort[4]));
        Assert.Equal("destination", e1.ParamName);
        var e2 = Assert.Throws<ArgumentException>(() => BFloat16.ToSingle(new ushort[5], new float[6]));
        Assert.Equal("destination", e2.ParamName);
    }

    [Fact]
    public void Span_conversions_reject_overlapping_buffers()
    {
        var buffer = new float[8];
        var e = Assert.Throws<ArgumentException>(() =>
            BFloat16.FromSingle(buffer.AsSpan(0, 4), System.Runtime.InteropServices.MemoryMarshal.Cast<float, ushort>(buffer.AsSpan(2, 2))));
        Assert.Equal("destination", e.ParamName);
    }
}

/// <summary>The floats the store tests convert, and the bit-level bfloat16 reference.</summary>
internal static class LowPrecisionCases
{
    private static float[]? values;

    private static float F(uint bits) => BitConverter.UInt32BitsToSingle(bits);

    /// <summary>Special values (both signs), then random floats: uniform bit patterns and log-uniform magnitudes.</summary>
    public static float[] Values() => values ??= Build();

    private static float[] Build()
    {
        float halfUlpOfOne = MathF.ScaleB(1, -11);
        var specials = new List<float>
        {
            0f, float.Epsilon, F(0x007FFFFF), F(0x00800000), 1f, 2f, 0.5f, 3f,
            float.MaxValue, float.PositiveInfinity,
            // binary16: smallest subnormal 2^-24, ties at half of it and at 1.5 of it, the largest subnormal and the
            // tie between it and the smallest normal 2^-14, the largest finite 65504, the tie 65520 that rounds to
            // infinity, the values just around it, and 2^16.
            MathF.ScaleB(1, -24), MathF.ScaleB(1, -25), MathF.BitIncrement(MathF.ScaleB(1, -25)), MathF.BitDecrement(MathF.ScaleB(1, -25)),
            MathF.ScaleB(3, -25), MathF.ScaleB(5, -25), MathF.ScaleB(1, -26), MathF.ScaleB(1023, -24),
            MathF.ScaleB(1, -14) - MathF.ScaleB(1, -25), MathF.ScaleB(1, -14), MathF.BitDecrement(MathF.ScaleB(1, -14)),
            65504f, 65519f, 65520f, MathF.BitDecrement(65520f), MathF.BitIncrement(65520f), 65536f, 1e6f,
            // binary16 ties in the normal range: to even downwards (1 + 2^-11) and upwards (1 + 3 * 2^-11), and one
            // float either side of a tie.
            1 + halfUlpOfOne, 1 + 3 * halfUlpOfOne, MathF.BitIncrement(1 + halfUlpOfOne), MathF.BitDecrement(1 + 3 * halfUlpOfOne),
            1024 + 0.5f, 1024 + 1.5f, 2048 + 1f, 2048 + 3f,
            // bfloat16: ties at half an ulp of 1 (2^-8) down and up, the largest finite 0x7F7F0000, the tie above it
            // that rounds to infinity, the float below that tie, subnormals and their ties, the tie into the smallest normal.
            F(0x3F808000), F(0x3F818000), F(0x3F808001), F(0x3F817FFF),
            F(0x7F7F0000), F(0x7F7F8000), F(0x7F7F7FFF), F(0x7F7E8000),
            F(0x00010000), F(0x00008000), F(0x00008001), F(0x00018000), F(0x007F8000), F(0x007F7FFF), F(0x00000001),
        };
        var all = new List<float>();
        foreach (float s in specials)
        {
            all.Add(s);
            all.Add(-s);
        }

        // NaNs: quiet, signalling, with payloads whose top bits survive or vanish, negative.
        foreach (uint nan in new uint[] { 0x7FC00000, 0x7F800001, 0x7FBFFFFF, 0x7FFFFFFF, 0x7F802000, 0x7FA00000, 0x7F810000 })
        {
            all.Add(F(nan));
            all.Add(F(nan | 0x80000000));
        }

        all.Add(float.NaN);
        var random = new Random(20240611);
        for (int i = 0; i < 12000; i++)
        {
            all.Add(F((uint)random.NextInt64(0, 1L << 32)));
        }

        for (int i = 0; i < 12000; i++)
        {
            // |x| from 2^-30 to 2^18: through binary16's subnormals, normals and overflow.
            float magnitude = MathF.ScaleB(1 + random.NextSingle(), random.Next(-30, 18));
            all.Add(random.Next(2) == 0 ? magnitude : -magnitude);
        }

        return all.ToArray();
    }

    public static string Show(float value) => $"{value:R} (0x{BitConverter.SingleToUInt32Bits(value):X8})";

    /// <summary>
    /// The bfloat16 reference: keep the top 16 bits and compare the dropped 16 with half of their range, going up when
    /// they are above it, or equal and the kept part is odd; a carry out of the mantissa moves to the next binade (and
    /// from the largest finite to infinity). NaN must give a quiet NaN of the same sign.
    /// </summary>
    public static void CheckBFloat16(float value, ushort actual, string what)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            bool isQuietNaN = (actual & 0x7F80) == 0x7F80 && (actual & 0x0040) != 0;
            Assert.True(isQuietNaN && (actual & 0x8000) == (bits >> 16 & 0x8000), $"{what}({Show(value)}): got 0x{actual:X4}, not a quiet NaN of the same sign");
            return;
        }

        uint kept = bits >> 16;
        uint dropped = bits & 0xFFFF;
        if (dropped > 0x8000 || (dropped == 0x8000 && (kept & 1) == 1))
        {
            kept++;
        }

        Assert.True(kept == actual, $"{what}({Show(value)}): expected 0x{kept:X4}, got 0x{actual:X4}");
    }
}
