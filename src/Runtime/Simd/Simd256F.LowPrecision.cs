using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace KernelDsl.Runtime;

/// <summary>Half and bfloat16 storage for <see cref="Simd256F"/>.</summary>
public readonly partial struct Simd256F : ILowPrecisionStorage<Vector256<float>>
{
    // ---- ILowPrecisionStorage: 8 halves or bfloat16 values in a Vector128<ushort>, widened to 32-bit lanes ----

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LoadHalf(ref Half source, nint index) =>
        LowPrecisionLanes.HalfToSingle(WidenUInt16(ref Unsafe.As<Half, ushort>(ref Unsafe.Add(ref source, index))));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreHalf(Vector256<float> value, ref Half destination, nint index) =>
        NarrowUInt16(LowPrecisionLanes.SingleToHalf(value)).StoreUnsafe(ref Unsafe.As<Half, ushort>(ref Unsafe.Add(ref destination, index)));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LoadBFloat16(ref ushort source, nint index) =>
        LowPrecisionLanes.BFloat16ToSingle(WidenUInt16(ref Unsafe.Add(ref source, index)));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreBFloat16(Vector256<float> value, ref ushort destination, nint index) =>
        NarrowUInt16(LowPrecisionLanes.SingleToBFloat16(value)).StoreUnsafe(ref Unsafe.Add(ref destination, index));

    /// <summary>Zero-extends the 8 ushorts at <paramref name="source"/> to 32-bit lanes (<c>vpmovzxwd ymm</c> on AVX2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> WidenUInt16(ref ushort source)
    {
        Vector128<ushort> bits = Vector128.LoadUnsafe(ref source);
        return Avx2.IsSupported ? Avx2.ConvertToVector256Int32(bits).AsUInt32() : Vector256.Create(Vector128.WidenLower(bits), Vector128.WidenUpper(bits));
    }

    /// <summary>
    /// The low 16 bits of every lane, which are all below 2^16 (<c>vpmovdw</c> with AVX512VL, else <c>vpackusdw</c> of the
    /// two halves).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ushort> NarrowUInt16(Vector256<uint> lanes)
    {
        if (Avx512F.VL.IsSupported)
        {
            return Avx512F.VL.ConvertToVector128UInt16(lanes);
        }

        return Sse41.IsSupported
            ? Sse41.PackUnsignedSaturate(lanes.GetLower().AsInt32(), lanes.GetUpper().AsInt32())
            : Vector128.Narrow(lanes.GetLower(), lanes.GetUpper());
    }
}
