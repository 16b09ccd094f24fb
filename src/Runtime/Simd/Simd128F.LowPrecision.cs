using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace KernelDsl.Runtime;

/// <summary>Half and bfloat16 storage for <see cref="Simd128F"/>.</summary>
public readonly partial struct Simd128F : ILowPrecisionStorage<Vector128<float>>
{
    // ---- ILowPrecisionStorage: 4 halves or bfloat16 values in 64 bits, widened to 32-bit lanes ----

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LoadHalf(ref Half source, nint index) =>
        LowPrecisionLanes.HalfToSingle(WidenUInt16(ref Unsafe.As<Half, ushort>(ref Unsafe.Add(ref source, index))));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreHalf(Vector128<float> value, ref Half destination, nint index) =>
        StoreUInt16(LowPrecisionLanes.SingleToHalf(value), ref Unsafe.As<Half, ushort>(ref Unsafe.Add(ref destination, index)));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LoadBFloat16(ref ushort source, nint index) =>
        LowPrecisionLanes.BFloat16ToSingle(WidenUInt16(ref Unsafe.Add(ref source, index)));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreBFloat16(Vector128<float> value, ref ushort destination, nint index) =>
        StoreUInt16(LowPrecisionLanes.SingleToBFloat16(value), ref Unsafe.Add(ref destination, index));

    /// <summary>
    /// Reads the 4 ushorts (8 bytes, no more) at <paramref name="source"/> and zero-extends them to 32-bit lanes
    /// (<c>pmovzxwd</c> with SSE4.1, <c>uxtl</c> on ARM).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> WidenUInt16(ref ushort source)
    {
        Vector128<ushort> bits = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<ushort, byte>(ref source))).AsUInt16();
        return Sse41.IsSupported ? Sse41.ConvertToVector128Int32(bits).AsUInt32() : Vector128.WidenLower(bits);
    }

    /// <summary>
    /// Writes the low 16 bits of the 4 lanes, which are all below 2^16, as 8 bytes at <paramref name="destination"/>
    /// (<c>packusdw</c> with SSE4.1, <c>xtn</c> on ARM).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreUInt16(Vector128<uint> lanes, ref ushort destination)
    {
        Vector128<ushort> narrow = Sse41.IsSupported ? Sse41.PackUnsignedSaturate(lanes.AsInt32(), lanes.AsInt32()) : Vector128.Narrow(lanes, lanes);
        Unsafe.WriteUnaligned(ref Unsafe.As<ushort, byte>(ref destination), narrow.AsUInt64().ToScalar());
    }
}
