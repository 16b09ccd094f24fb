using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace KernelDsl.Runtime;

/// <summary>Half and bfloat16 storage for <see cref="Simd512F"/>.</summary>
public readonly partial struct Simd512F : ILowPrecisionStorage<Vector512<float>>
{
    // ---- ILowPrecisionStorage: 16 halves or bfloat16 values in a Vector256<ushort>, widened to 32-bit lanes ----

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LoadHalf(ref Half source, nint index) =>
        LowPrecisionLanes.HalfToSingle(WidenUInt16(ref Unsafe.As<Half, ushort>(ref Unsafe.Add(ref source, index))));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreHalf(Vector512<float> value, ref Half destination, nint index) =>
        NarrowUInt16(LowPrecisionLanes.SingleToHalf(value)).StoreUnsafe(ref Unsafe.As<Half, ushort>(ref Unsafe.Add(ref destination, index)));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LoadBFloat16(ref ushort source, nint index) =>
        LowPrecisionLanes.BFloat16ToSingle(WidenUInt16(ref Unsafe.Add(ref source, index)));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreBFloat16(Vector512<float> value, ref ushort destination, nint index) =>
        NarrowUInt16(LowPrecisionLanes.SingleToBFloat16(value)).StoreUnsafe(ref Unsafe.Add(ref destination, index));

    /// <summary>Zero-extends the 16 ushorts at <paramref name="source"/> to 32-bit lanes (<c>vpmovzxwd zmm</c> on AVX-512).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> WidenUInt16(ref ushort source)
    {
        Vector256<ushort> bits = Vector256.LoadUnsafe(ref source);
        return Avx512F.IsSupported ? Avx512F.ConvertToVector512UInt32(bits) : Vector512.Create(Vector256.WidenLower(bits), Vector256.WidenUpper(bits));
    }

    /// <summary>The low 16 bits of every lane (<c>vpmovdw</c> on AVX-512).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ushort> NarrowUInt16(Vector512<uint> lanes) =>
        Avx512F.IsSupported ? Avx512F.ConvertToVector256UInt16(lanes) : Vector256.Narrow(lanes.GetLower(), lanes.GetUpper());
}
