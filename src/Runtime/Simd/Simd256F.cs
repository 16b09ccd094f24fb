using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Bits = System.Runtime.Intrinsics.Vector256<uint>;
using Ops = KernelDsl.Runtime.IVectorOps<KernelDsl.Runtime.Simd256F, System.Runtime.Intrinsics.Vector256<float>, float>;
using Vec = System.Runtime.Intrinsics.Vector256<float>;

namespace KernelDsl.Runtime;

/// <summary>
/// The float lanes of a <see cref="Vector256{T}"/>: only the primitives, one line each; every other function of
/// <see cref="ISimd{TVec, T}"/> is written once for all widths in <see cref="IVectorOps{TSelf, TVec, T}"/> (README.md).
/// </summary>
[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]
public readonly partial struct Simd256F : IVectorOps<Simd256F, Vector256<float>, float>
{
    /// <inheritdoc/>
    public static int Count => Vec.Count;

    /// <inheritdoc/>
    public static bool IsHardwareAccelerated => Vector256.IsHardwareAccelerated;

    /// <inheritdoc/>
    public static Vec Zero => Vec.Zero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec Broadcast(float value) => Vector256.Create(value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec Indices(nint start) =>
        Vector256.Create((float)start) + Vec.Indices;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec Load(ref float source, nint index) =>
        Vector256.LoadUnsafe(ref Unsafe.Add(ref source, index));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vec value, ref float destination, nint index) =>
        value.StoreUnsafe(ref Unsafe.Add(ref destination, index));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec Add(Vec a, Vec b) => a + b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec Sub(Vec a, Vec b) => a - b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec Mul(Vec a, Vec b) => a * b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec Div(Vec a, Vec b) => a / b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec Neg(Vec a) => -a;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec Min(Vec a, Vec b) => Vector256.Min(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec Max(Vec a, Vec b) => Vector256.Max(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec Abs(Vec a) => Vector256.Abs(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec Sqrt(Vec a) => Vector256.Sqrt(a);

    // ---- IVectorOps: the primitives the shared functions are written with ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.C(double value) => Vector256.Create((float)value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.MultiplyAdd(Vec a, Vec b, Vec c) => Vector256.MultiplyAddEstimate(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.FusedMultiplyAdd(Vec a, Vec b, Vec c) => Vector256.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vec Ops.Select(Vec mask, Vec ifTrue, Vec ifFalse) =>
        Vector256.ConditionalSelect(mask, ifTrue, ifFalse);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.And(Vec a, Vec b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.Or(Vec a, Vec b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.Not(Vec a) => ~a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.AndNot(Vec a, Vec b) => Vector256.AndNot(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.Equal(Vec a, Vec b) => Vector256.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.LessThan(Vec a, Vec b) => Vector256.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.LessThanOrEqual(Vec a, Vec b) => Vector256.LessThanOrEqual(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.GreaterThan(Vec a, Vec b) => Vector256.GreaterThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.GreaterThanOrEqual(Vec a, Vec b) => Vector256.GreaterThanOrEqual(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.IsNaN(Vec a) => Vector256.IsNaN(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static bool Ops.AnyTrue(Vec mask) => mask.AsUInt32() != Bits.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.MinNative(Vec a, Vec b) => Vector256.MinNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.MaxNative(Vec a, Vec b) => Vector256.MaxNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.Floor(Vec a) => Vector256.Floor(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.Truncate(Vec a) => Vector256.Truncate(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.CopySign(Vec magnitude, Vec sign) => Vector256.CopySign(magnitude, sign);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vec Ops.Pow2FromShifted(Vec shifted, int bias) =>
        Vector256.ShiftLeft(shifted.AsUInt32() + Vector256.Create((uint)(127 + bias)), 23).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vec Ops.NotPositiveNormal(Vec x) =>
        Vector256.GreaterThanOrEqual(x.AsUInt32() - Vector256.Create(0x00800000u), Vector256.Create(0x7F800000u - 0x00800000u)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vec Ops.SplitForTable16(Vec x, uint offset, out Vec z, out Vec index)
    {
        Bits t = x.AsUInt32() - Vector256.Create(offset);
        index = (Vector256.ShiftRightLogical(t, 19) & Vector256.Create(15u)).AsSingle();
        z = (x.AsUInt32() - (t & Vector256.Create(0xFF800000u))).AsSingle();
        return Vector256.ConvertToSingle(Vector256.ShiftRightArithmetic(t.AsInt32(), 23));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vec Ops.Lookup16(ref float table, Vec index) =>
        Vec.Count >= 16
            ? Vector256.ShuffleNative(Vector256.LoadUnsafe(ref table), index.AsInt32())
            : LookupInParts(ref table, index.AsInt32());

    /// <summary><see cref="Ops.Lookup16"/> for fewer than 16 lanes: one permute per Count entries, blended by the index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vec LookupInParts(ref float table, Vector256<int> index)
    {
        Vector256<int> lane = index & Vector256.Create(Vec.Count - 1);
        Vec result = Vector256.ShuffleNative(Vector256.LoadUnsafe(ref table), lane);
        for (int part = Vec.Count; part < 16; part += Vec.Count)
        {
            Vec entries = Vector256.ShuffleNative(Vector256.LoadUnsafe(ref table, (nuint)part), lane);
            result = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(index, Vector256.Create(part)).AsSingle(), entries, result);
        }

        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vec Ops.SplitExponent(Vec x, out Vec m)
    {
        // Adding 1 - sqrt(1/2) in the bit domain carries into the exponent exactly when the mantissa is >= sqrt(2).
        Bits t = x.AsUInt32() + Vector256.Create(0x3F800000u - 0x3F3504F3u);
        m = ((t & Vector256.Create(0x007FFFFFu)) + Vector256.Create(0x3F3504F3u)).AsSingle();
        return (Vector256.ShiftRightLogical(t, 23) | Vector256.Create(0x4B000000u)).AsSingle() - Vector256.Create(8388608f + 127f);
    }
}
