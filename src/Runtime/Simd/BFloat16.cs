using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KernelDsl.Runtime;

/// <summary>
/// Conversions between <see cref="float"/> and bfloat16 held as its 16-bit storage (.NET has no bfloat16 type): the top
/// half of a float's bits, so a bfloat16 value is the float with bits <c>storage &lt;&lt; 16</c>.
/// </summary>
/// <remarks>
/// Widening is exact. Narrowing rounds to nearest, ties to even; values beyond the largest finite bfloat16 round to
/// ±infinity like any other, infinities stay infinities, and a NaN becomes a quiet NaN (quiet bit <c>0x0040</c> set)
/// with the same sign and the top 7 bits of its payload. The span conversions use the widest accelerated width of
/// <see cref="ILowPrecisionStorage{TVec}"/> and give the same bits as the scalar ones.
/// </remarks>
public static class BFloat16
{
    /// <summary>The float whose bits are <c>bits &lt;&lt; 16</c>: the exact value of a bfloat16.</summary>
    /// <param name="bits">The bfloat16's 16-bit storage.</param>
    /// <returns>The value as a float.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToSingle(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);

    /// <summary>
    /// <paramref name="value"/> rounded to bfloat16, to nearest with ties to even (beyond the range to ±infinity; NaN to a
    /// quiet NaN of the same sign).
    /// </summary>
    /// <param name="value">The float to round.</param>
    /// <returns>The bfloat16's 16-bit storage.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort FromSingle(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            return (ushort)((bits >> 16) | 0x0040);
        }

        // Adding 0x7FFF rounds up past the halfway point; the extra 1 when the kept part is odd makes ties go to even.
        // Carries propagate into the exponent, which is how the largest floats become infinity.
        return (ushort)((bits + 0x7FFFu + ((bits >> 16) & 1)) >> 16);
    }

    /// <summary>Widens every bfloat16 in <paramref name="source"/> to float, exactly.</summary>
    /// <param name="source">The bfloat16 values, as 16-bit storage.</param>
    /// <param name="destination">Receives the floats; as long as <paramref name="source"/>, not overlapping it.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="destination"/> is not as long as <paramref name="source"/>, or the two overlap.
    /// </exception>
    public static void ToSingle(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        Check(MemoryMarshal.AsBytes(source), source.Length, MemoryMarshal.AsBytes(destination), destination.Length);
        ref ushort s = ref MemoryMarshal.GetReference(source);
        ref float d = ref MemoryMarshal.GetReference(destination);
        nint n = source.Length;
        nint i = 0;
        if (Simd512F.IsHardwareAccelerated)
        {
            for (; i <= n - Simd512F.Count; i += Simd512F.Count)
            {
                Simd512F.Store(Simd512F.LoadBFloat16(ref s, i), ref d, i);
            }
        }

        if (Simd256F.IsHardwareAccelerated)
        {
            for (; i <= n - Simd256F.Count; i += Simd256F.Count)
            {
                Simd256F.Store(Simd256F.LoadBFloat16(ref s, i), ref d, i);
            }
        }

        if (Simd128F.IsHardwareAccelerated)
        {
            for (; i <= n - Simd128F.Count; i += Simd128F.Count)
            {
                Simd128F.Store(Simd128F.LoadBFloat16(ref s, i), ref d, i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref d, i) = ToSingle(Unsafe.Add(ref s, i));
        }
    }

    /// <summary>Rounds every float in <paramref name="source"/> to bfloat16 as <see cref="FromSingle(float)"/> does.</summary>
    /// <param name="source">The floats.</param>
    /// <param name="destination">
    /// Receives the bfloat16 values as 16-bit storage; as long as <paramref name="source"/>, not overlapping it.
    /// </param>
    /// <exception cref="ArgumentException">
    /// <paramref name="destination"/> is not as long as <paramref name="source"/>, or the two overlap.
    /// </exception>
    public static void FromSingle(ReadOnlySpan<float> source, Span<ushort> destination)
    {
        Check(MemoryMarshal.AsBytes(source), source.Length, MemoryMarshal.AsBytes(destination), destination.Length);
        ref float s = ref MemoryMarshal.GetReference(source);
        ref ushort d = ref MemoryMarshal.GetReference(destination);
        nint n = source.Length;
        nint i = 0;
        if (Simd512F.IsHardwareAccelerated)
        {
            for (; i <= n - Simd512F.Count; i += Simd512F.Count)
            {
                Simd512F.StoreBFloat16(Simd512F.Load(ref s, i), ref d, i);
            }
        }

        if (Simd256F.IsHardwareAccelerated)
        {
            for (; i <= n - Simd256F.Count; i += Simd256F.Count)
            {
                Simd256F.StoreBFloat16(Simd256F.Load(ref s, i), ref d, i);
            }
        }

        if (Simd128F.IsHardwareAccelerated)
        {
            for (; i <= n - Simd128F.Count; i += Simd128F.Count)
            {
                Simd128F.StoreBFloat16(Simd128F.Load(ref s, i), ref d, i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref d, i) = FromSingle(Unsafe.Add(ref s, i));
        }
    }

    private static void Check(ReadOnlySpan<byte> source, int sourceLength, ReadOnlySpan<byte> destination, int destinationLength)
    {
        if (destinationLength != sourceLength)
        {
            throw new ArgumentException(
                $"The destination has {destinationLength} elements but the source has {sourceLength}; they must be equally long.",
                nameof(destination));
        }

        if (source.Overlaps(destination))
        {
            throw new ArgumentException("The destination must not overlap the source.", nameof(destination));
        }
    }
}
