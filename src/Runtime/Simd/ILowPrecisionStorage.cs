using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace KernelDsl.Runtime;

/// <summary>
/// Loads and stores of 16-bit floating-point storage for the float widths (<see cref="Simd512F"/>, <see cref="Simd256F"/>,
/// <see cref="Simd128F"/>, <see cref="ScalarF"/>): IEEE binary16 (<see cref="Half"/>) and bfloat16, the formats LLM
/// logits usually come in. Arithmetic stays in float; only memory is 16 bits wide.
/// </summary>
/// <remarks>
/// <para>
/// Loads are exact for every one of the 65,536 bit patterns: both formats are subsets of float. A NaN keeps its sign
/// and payload (shifted into the top of the float mantissa); a signalling binary16 NaN comes back quiet, as from the
/// <see cref="Half"/> conversion operator, while a bfloat16 load is always just <c>bits &lt;&lt; 16</c>. Stores round to
/// nearest, ties to even, through subnormals of the target format; values beyond its range become ±infinity, and a NaN
/// becomes a quiet NaN with the same sign and the top bits of its payload. <see cref="StoreHalf"/> gives the same bits
/// as the <see cref="Half"/> conversion operator, and <see cref="StoreBFloat16"/> the same as
/// <see cref="BFloat16.FromSingle(float)"/>, at every width.
/// </para>
/// <para>
/// bfloat16 has no .NET type: it is held as its 16-bit storage, a <see cref="ushort"/>, whose value is the float with bits
/// <c>storage &lt;&lt; 16</c>; see <see cref="BFloat16"/>. The vector widths convert with integer and float lane
/// operations (.NET 10 exposes neither F16C's <c>vcvtph2ps</c>/<c>vcvtps2ph</c> nor AVX512-BF16), so they run on every
/// platform that accelerates the width, ARM included.
/// </para>
/// </remarks>
/// <typeparam name="TVec">The float vector type (or <see cref="float"/> for the scalar tail).</typeparam>
[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]
public interface ILowPrecisionStorage<TVec>
    where TVec : struct
{
    /// <summary>
    /// Reads <c>Count</c> <see cref="Half"/> values starting at <c>source[index]</c> and widens them to float lanes,
    /// exactly (bit for bit what the <see cref="Half"/> conversion operator gives, NaNs made quiet); no alignment is
    /// required and nothing past the last of them is read.
    /// </summary>
    /// <param name="source">A reference to element 0 of the buffer.</param>
    /// <param name="index">The index of the first element to read.</param>
    /// <returns>The values as float lanes.</returns>
    static abstract TVec LoadHalf(ref Half source, nint index);

    /// <summary>
    /// Rounds the lanes of <paramref name="value"/> to <see cref="Half"/> (to nearest, ties to even; beyond the range to
    /// ±infinity; NaN to a quiet NaN) and writes them to <c>destination[index]</c> onwards; no alignment is required and
    /// nothing past the last of them is written.
    /// </summary>
    /// <param name="value">The lanes to write.</param>
    /// <param name="destination">A reference to element 0 of the buffer.</param>
    /// <param name="index">The index of the first element to write.</param>
    static abstract void StoreHalf(TVec value, ref Half destination, nint index);

    /// <summary>
    /// Reads <c>Count</c> bfloat16 values (16-bit storage) starting at <c>source[index]</c> and widens them to float
    /// lanes, exactly (<c>bits &lt;&lt; 16</c>); no alignment is required and nothing past the last of them is read.
    /// </summary>
    /// <param name="source">A reference to element 0 of the buffer of bfloat16 storage.</param>
    /// <param name="index">The index of the first element to read.</param>
    /// <returns>The values as float lanes.</returns>
    static abstract TVec LoadBFloat16(ref ushort source, nint index);

    /// <summary>
    /// Rounds the lanes of <paramref name="value"/> to bfloat16 (to nearest, ties to even; beyond the range to
    /// ±infinity; NaN to a quiet NaN) and writes their 16-bit storage to <c>destination[index]</c> onwards; no alignment
    /// is required and nothing past the last of them is written.
    /// </summary>
    /// <param name="value">The lanes to write.</param>
    /// <param name="destination">A reference to element 0 of the buffer of bfloat16 storage.</param>
    /// <param name="index">The index of the first element to write.</param>
    static abstract void StoreBFloat16(TVec value, ref ushort destination, nint index);
}

/// <summary>
/// The lane algorithms behind <see cref="ILowPrecisionStorage{TVec}"/>, once per vector width: conversions between
/// float lanes and 16-bit patterns held zero-extended in 32-bit lanes (the widths widen and narrow around them).
/// </summary>
/// <remarks>
/// All comparisons are on signed 32-bit lanes whose values are below 2^31, which is cheaper than unsigned ones before
/// AVX-512 and gives the same answer.
/// </remarks>
internal static class LowPrecisionLanes
{
    // binary16 -> float: the exponent/mantissa field shifted into place and rebiased (+112 << 23); infinities and NaNs
    // get another +112 so their exponent becomes 255, and NaNs are made quiet (as the Half conversion operator and
    // vcvtph2ps do); subnormals (and zeros) are 2^-14 * (1 + m/1024) - 2^-14, exact.
    private const uint HalfRebias = (127 - 15) << 23;
    private const uint HalfExponentField = 0x7C00;
    private const uint HalfSmallestNormal = 0x0400;
    private const float TwoToMinus14 = 1.0f / 16384;
    private const uint SingleQuietBit = 0x00400000;

    // float -> binary16 on |x|'s bits: normal results as (a - 112 << 23 + 0xFFF + odd) >> 13 (round to nearest even,
    // carrying into the exponent, so [65520, 65536) becomes infinity); |x| < 2^-14 by adding 0.5f, whose ulp (2^-24) is
    // the subnormal spacing of binary16, so the float adder rounds to nearest even; |x| >= 2^16 infinity; NaN keeps
    // its sign and the top 9 bits of its payload and is made quiet (what the Half conversion operator gives).
    private const uint HalfRoundBias = unchecked(0u - HalfRebias + 0xFFF);
    private const int HalfNormalFloor = 0x38800000; // 2^-14
    private const int HalfOverflow = 0x47800000;    // 2^16
    private const int SingleInfinity = 0x7F800000;
    private const uint HalfNaNRebias = (255 - 31) << 10; // exponent 255 -> 31 after the shift by 13

    // ---- Vector512 ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> HalfToSingle(Vector512<uint> h)
    {
        Vector512<uint> em = h & Vector512.Create(0x7FFFu);
        Vector512<uint> bits = Vector512.ShiftLeft(em, 13) + Vector512.Create(HalfRebias);
        bits += Vector512.GreaterThanOrEqual(em.AsInt32(), Vector512.Create((int)HalfExponentField)).AsUInt32() & Vector512.Create(HalfRebias);
        bits |= Vector512.GreaterThan(em.AsInt32(), Vector512.Create((int)HalfExponentField)).AsUInt32() & Vector512.Create(SingleQuietBit);
        Vector512<float> small = (bits + Vector512.Create(1u << 23)).AsSingle() - Vector512.Create(TwoToMinus14);
        bits = Vector512.ConditionalSelect(Vector512.LessThan(em.AsInt32(), Vector512.Create((int)HalfSmallestNormal)).AsUInt32(), small.AsUInt32(), bits);
        return (bits | (Vector512.ShiftLeft(h, 16) & Vector512.Create(0x80000000u))).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<uint> SingleToHalf(Vector512<float> x)
    {
        Vector512<uint> bits = x.AsUInt32();
        Vector512<uint> a = bits & Vector512.Create(0x7FFFFFFFu);
        Vector512<uint> normal = Vector512.ShiftRightLogical(a + Vector512.Create(HalfRoundBias) + (Vector512.ShiftRightLogical(a, 13) & Vector512<uint>.One), 13);
        Vector512<uint> small = (a.AsSingle() + Vector512.Create(0.5f)).AsUInt32() - Vector512.Create(0x3F000000u);
        Vector512<uint> r = Vector512.ConditionalSelect(Vector512.LessThan(a.AsInt32(), Vector512.Create(HalfNormalFloor)).AsUInt32(), small, normal);
        r = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(a.AsInt32(), Vector512.Create(HalfOverflow)).AsUInt32(), Vector512.Create(HalfExponentField), r);
        Vector512<uint> nan = (Vector512.ShiftRightLogical(a, 13) - Vector512.Create(HalfNaNRebias)) | Vector512.Create(0x200u);
        r = Vector512.ConditionalSelect(Vector512.GreaterThan(a.AsInt32(), Vector512.Create(SingleInfinity)).AsUInt32(), nan, r);
        return r | (Vector512.ShiftRightLogical(bits, 16) & Vector512.Create(0x8000u));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> BFloat16ToSingle(Vector512<uint> b) => Vector512.ShiftLeft(b, 16).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<uint> SingleToBFloat16(Vector512<float> x)
    {
        Vector512<uint> bits = x.AsUInt32();
        Vector512<uint> high = Vector512.ShiftRightLogical(bits, 16);
        Vector512<uint> rounded = Vector512.ShiftRightLogical(bits + Vector512.Create(0x7FFFu) + (high & Vector512<uint>.One), 16);
        return Vector512.ConditionalSelect(Vector512.IsNaN(x).AsUInt32(), high | Vector512.Create(0x40u), rounded);
    }

    // ---- Vector256 ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> HalfToSingle(Vector256<uint> h)
    {
        Vector256<uint> em = h & Vector256.Create(0x7FFFu);
        Vector256<uint> bits = Vector256.ShiftLeft(em, 13) + Vector256.Create(HalfRebias);
        bits += Vector256.GreaterThanOrEqual(em.AsInt32(), Vector256.Create((int)HalfExponentField)).AsUInt32() & Vector256.Create(HalfRebias);
        bits |= Vector256.GreaterThan(em.AsInt32(), Vector256.Create((int)HalfExponentField)).AsUInt32() & Vector256.Create(SingleQuietBit);
        Vector256<float> small = (bits + Vector256.Create(1u << 23)).AsSingle() - Vector256.Create(TwoToMinus14);
        bits = Vector256.ConditionalSelect(Vector256.LessThan(em.AsInt32(), Vector256.Create((int)HalfSmallestNormal)).AsUInt32(), small.AsUInt32(), bits);
        return (bits | (Vector256.ShiftLeft(h, 16) & Vector256.Create(0x80000000u))).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<uint> SingleToHalf(Vector256<float> x)
    {
        Vector256<uint> bits = x.AsUInt32();
        Vector256<uint> a = bits & Vector256.Create(0x7FFFFFFFu);
        Vector256<uint> normal = Vector256.ShiftRightLogical(a + Vector256.Create(HalfRoundBias) + (Vector256.ShiftRightLogical(a, 13) & Vector256<uint>.One), 13);
        Vector256<uint> small = (a.AsSingle() + Vector256.Create(0.5f)).AsUInt32() - Vector256.Create(0x3F000000u);
        Vector256<uint> r = Vector256.ConditionalSelect(Vector256.LessThan(a.AsInt32(), Vector256.Create(HalfNormalFloor)).AsUInt32(), small, normal);
        r = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(a.AsInt32(), Vector256.Create(HalfOverflow)).AsUInt32(), Vector256.Create(HalfExponentField), r);
        Vector256<uint> nan = (Vector256.ShiftRightLogical(a, 13) - Vector256.Create(HalfNaNRebias)) | Vector256.Create(0x200u);
        r = Vector256.ConditionalSelect(Vector256.GreaterThan(a.AsInt32(), Vector256.Create(SingleInfinity)).AsUInt32(), nan, r);
        return r | (Vector256.ShiftRightLogical(bits, 16) & Vector256.Create(0x8000u));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> BFloat16ToSingle(Vector256<uint> b) => Vector256.ShiftLeft(b, 16).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<uint> SingleToBFloat16(Vector256<float> x)
    {
        Vector256<uint> bits = x.AsUInt32();
        Vector256<uint> high = Vector256.ShiftRightLogical(bits, 16);
        Vector256<uint> rounded = Vector256.ShiftRightLogical(bits + Vector256.Create(0x7FFFu) + (high & Vector256<uint>.One), 16);
        return Vector256.ConditionalSelect(Vector256.IsNaN(x).AsUInt32(), high | Vector256.Create(0x40u), rounded);
    }

    // ---- Vector128 ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> HalfToSingle(Vector128<uint> h)
    {
        Vector128<uint> em = h & Vector128.Create(0x7FFFu);
        Vector128<uint> bits = Vector128.ShiftLeft(em, 13) + Vector128.Create(HalfRebias);
        bits += Vector128.GreaterThanOrEqual(em.AsInt32(), Vector128.Create((int)HalfExponentField)).AsUInt32() & Vector128.Create(HalfRebias);
        bits |= Vector128.GreaterThan(em.AsInt32(), Vector128.Create((int)HalfExponentField)).AsUInt32() & Vector128.Create(SingleQuietBit);
        Vector128<float> small = (bits + Vector128.Create(1u << 23)).AsSingle() - Vector128.Create(TwoToMinus14);
        bits = Vector128.ConditionalSelect(Vector128.LessThan(em.AsInt32(), Vector128.Create((int)HalfSmallestNormal)).AsUInt32(), small.AsUInt32(), bits);
        return (bits | (Vector128.ShiftLeft(h, 16) & Vector128.Create(0x80000000u))).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<uint> SingleToHalf(Vector128<float> x)
    {
        Vector128<uint> bits = x.AsUInt32();
        Vector128<uint> a = bits & Vector128.Create(0x7FFFFFFFu);
        Vector128<uint> normal = Vector128.ShiftRightLogical(a + Vector128.Create(HalfRoundBias) + (Vector128.ShiftRightLogical(a, 13) & Vector128<uint>.One), 13);
        Vector128<uint> small = (a.AsSingle() + Vector128.Create(0.5f)).AsUInt32() - Vector128.Create(0x3F000000u);
        Vector128<uint> r = Vector128.ConditionalSelect(Vector128.LessThan(a.AsInt32(), Vector128.Create(HalfNormalFloor)).AsUInt32(), small, normal);
        r = Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(a.AsInt32(), Vector128.Create(HalfOverflow)).AsUInt32(), Vector128.Create(HalfExponentField), r);
        Vector128<uint> nan = (Vector128.ShiftRightLogical(a, 13) - Vector128.Create(HalfNaNRebias)) | Vector128.Create(0x200u);
        r = Vector128.ConditionalSelect(Vector128.GreaterThan(a.AsInt32(), Vector128.Create(SingleInfinity)).AsUInt32(), nan, r);
        return r | (Vector128.ShiftRightLogical(bits, 16) & Vector128.Create(0x8000u));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> BFloat16ToSingle(Vector128<uint> b) => Vector128.ShiftLeft(b, 16).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<uint> SingleToBFloat16(Vector128<float> x)
    {
        Vector128<uint> bits = x.AsUInt32();
        Vector128<uint> high = Vector128.ShiftRightLogical(bits, 16);
        Vector128<uint> rounded = Vector128.ShiftRightLogical(bits + Vector128.Create(0x7FFFu) + (high & Vector128<uint>.One), 16);
        return Vector128.ConditionalSelect(Vector128.IsNaN(x).AsUInt32(), high | Vector128.Create(0x40u), rounded);
    }
}
