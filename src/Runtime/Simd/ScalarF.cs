using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Ops = KernelDsl.Runtime.IVectorOps<KernelDsl.Runtime.ScalarF, float, float>;

namespace KernelDsl.Runtime;

/// <summary>
/// One float lane: the scalar tail of generated loops and the scalar epilogue. The shared functions run on it as on a
/// vector of one lane: its arithmetic is the plain scalar one, and its masks, comparisons, selects and fused multiply-adds are lane 0
/// of the <see cref="Vector128{T}"/> operations the vector widths use, so a tail element gets bit for bit the result
/// it would get inside a vector, whatever the length of the array.
/// </summary>
[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]
public readonly struct ScalarF : IVectorOps<ScalarF, float, float>, ILowPrecisionStorage<float>
{
    /// <inheritdoc/>
    public static int Count => 1;

    /// <summary>Always <see langword="true"/>: scalar code needs no vector hardware.</summary>
    public static bool IsHardwareAccelerated => true;

    /// <inheritdoc/>
    public static float Zero => 0;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Broadcast(float value) => value;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Indices(nint start) => (float)start;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Load(ref float source, nint index) => Unsafe.Add(ref source, index);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float value, ref float destination, nint index) => Unsafe.Add(ref destination, index) = value;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Add(float a, float b) => a + b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sub(float a, float b) => a - b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Mul(float a, float b) => a * b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Div(float a, float b) => a / b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Neg(float a) => -a;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Min(float a, float b) => Math.Min(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Max(float a, float b) => Math.Max(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Abs(float a) => Math.Abs(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sqrt(float a) => MathF.Sqrt(a);

    // ---- IVectorOps: the primitives the shared functions are written with ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)] static float Ops.C(double value) => (float)value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static float Ops.MultiplyAdd(float a, float b, float c) =>
        Vector128.MultiplyAddEstimate(L(a), L(b), L(c)).ToScalar();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static float Ops.FusedMultiplyAdd(float a, float b, float c) =>
        MathF.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static float Ops.Select(float mask, float ifTrue, float ifFalse) =>
        Vector128.ConditionalSelect(L(mask), L(ifTrue), L(ifFalse)).ToScalar();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static float Ops.And(float a, float b) => (L(a) & L(b)).ToScalar();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static float Ops.Or(float a, float b) => (L(a) | L(b)).ToScalar();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static float Ops.Not(float a) => (~L(a)).ToScalar();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static float Ops.AndNot(float a, float b) => Vector128.AndNot(L(a), L(b)).ToScalar();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static float Ops.Equal(float a, float b) => Vector128.Equals(L(a), L(b)).ToScalar();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static float Ops.LessThan(float a, float b) => Vector128.LessThan(L(a), L(b)).ToScalar();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static float Ops.LessThanOrEqual(float a, float b) => Vector128.LessThanOrEqual(L(a), L(b)).ToScalar();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static float Ops.GreaterThan(float a, float b) => Vector128.GreaterThan(L(a), L(b)).ToScalar();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static float Ops.GreaterThanOrEqual(float a, float b) => Vector128.GreaterThanOrEqual(L(a), L(b)).ToScalar();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static float Ops.IsNaN(float a) => Vector128.IsNaN(L(a)).ToScalar();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static bool Ops.AnyTrue(float mask) => BitConverter.SingleToInt32Bits(mask) != 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static float Ops.MinNative(float a, float b) => Vector128.MinNative(L(a), L(b)).ToScalar();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static float Ops.MaxNative(float a, float b) => Vector128.MaxNative(L(a), L(b)).ToScalar();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static float Ops.Floor(float a) => MathF.Floor(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static float Ops.Truncate(float a) => MathF.Truncate(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static float Ops.CopySign(float magnitude, float sign) => MathF.CopySign(magnitude, sign);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static float Ops.Pow2FromShifted(float shifted, int bias) =>
        BitConverter.UInt32BitsToSingle((BitConverter.SingleToUInt32Bits(shifted) + (uint)(127 + bias)) << 23);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static float Ops.NotPositiveNormal(float x) =>
        Vector128.GreaterThanOrEqual(L(x).AsUInt32() - Vector128.Create(0x00800000u), Vector128.Create(0x7F800000u - 0x00800000u)).AsSingle().ToScalar();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static float Ops.SplitExponent(float x, out float m)
    {
        // The bits of Simd128F.SplitExponent on one lane.
        uint t = BitConverter.SingleToUInt32Bits(x) + (0x3F800000u - 0x3F3504F3u);
        m = BitConverter.UInt32BitsToSingle((t & 0x007FFFFFu) + 0x3F3504F3u);
        return BitConverter.UInt32BitsToSingle((t >> 23) | 0x4B000000u) - (8388608f + 127f);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static float Ops.SplitForTable16(float x, uint offset, out float z, out float index)
    {
        // The bits of Simd128F.SplitForTable16 on one lane.
        uint t = BitConverter.SingleToUInt32Bits(x) - offset;
        index = BitConverter.UInt32BitsToSingle((t >> 19) & 15u);
        z = BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(x) - (t & 0xFF800000u));
        return (int)t >> 23;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static float Ops.Lookup16(ref float table, float index) => Unsafe.Add(ref table, BitConverter.SingleToUInt32Bits(index));

    /// <summary>The lane as lane 0 of a vector (the other lanes are undefined and never read).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> L(float a) => Vector128.CreateScalarUnsafe(a);

    // ---- ILowPrecisionStorage: the scalar conversions, which give the same bits as the vector widths ----

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LoadHalf(ref Half source, nint index) => (float)Unsafe.Add(ref source, index);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreHalf(float value, ref Half destination, nint index) => Unsafe.Add(ref destination, index) = (Half)value;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LoadBFloat16(ref ushort source, nint index) => BFloat16.ToSingle(Unsafe.Add(ref source, index));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreBFloat16(float value, ref ushort destination, nint index) => Unsafe.Add(ref destination, index) = BFloat16.FromSingle(value);
}
