using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Bits = System.Runtime.Intrinsics.Vector128<uint>;
using Ops = KernelDsl.Runtime.IVectorOps<KernelDsl.Runtime.Simd128F, System.Runtime.Intrinsics.Vector128<float>, float>;
using Vec = System.Runtime.Intrinsics.Vector128<float>;

namespace KernelDsl.Runtime;

/// <summary>
/// The float lanes of a <see cref="Vector128{T}"/>: only the primitives, one line each; every other function of
/// <see cref="ISimd{TVec, T}"/> is written once for all widths in <see cref="IVectorOps{TSelf, TVec, T}"/> (README.md).
/// </summary>
[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]
public readonly partial struct Simd128F : IVectorOps<Simd128F, Vector128<float>, float>
{
    /// <inheritdoc/>
    public static int Count => Vec.Count;

    /// <inheritdoc/>
    public static bool IsHardwareAccelerated => Vector128.IsHardwareAccelerated;

    /// <inheritdoc/>
    public static Vec Zero => Vec.Zero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec Broadcast(float value) => Vector128.Create(value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec Indices(nint start) =>
        Vector128.Create((float)start) + Vec.Indices;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec Load(ref float source, nint index) =>
        Vector128.LoadUnsafe(ref Unsafe.Add(ref source, index));

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
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec Min(Vec a, Vec b) => Vector128.Min(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec Max(Vec a, Vec b) => Vector128.Max(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec Abs(Vec a) => Vector128.Abs(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec Sqrt(Vec a) => Vector128.Sqrt(a);

    // ---- IVectorOps: the primitives the shared functions are written with ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.C(double value) => Vector128.Create((float)value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.MultiplyAdd(Vec a, Vec b, Vec c) => Vector128.MultiplyAddEstimate(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.FusedMultiplyAdd(Vec a, Vec b, Vec c) => Vector128.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vec Ops.Select(Vec mask, Vec ifTrue, Vec ifFalse) =>
        Vector128.ConditionalSelect(mask, ifTrue, ifFalse);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.And(Vec a, Vec b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.Or(Vec a, Vec b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.Not(Vec a) => ~a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.AndNot(Vec a, Vec b) => Vector128.AndNot(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.Equal(Vec a, Vec b) => Vector128.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.LessThan(Vec a, Vec b) => Vector128.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.LessThanOrEqual(Vec a, Vec b) => Vector128.LessThanOrEqual(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.GreaterThan(Vec a, Vec b) => Vector128.GreaterThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.GreaterThanOrEqual(Vec a, Vec b) => Vector128.GreaterThanOrEqual(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.IsNaN(Vec a) => Vector128.IsNaN(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static bool Ops.AnyTrue(Vec mask) => mask.AsUInt32() != Bits.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.MinNative(Vec a, Vec b) => Vector128.MinNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.MaxNative(Vec a, Vec b) => Vector128.MaxNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.Floor(Vec a) => Vector128.Floor(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.Truncate(Vec a) => Vector128.Truncate(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.CopySign(Vec magnitude, Vec sign) => Vector128.CopySign(magnitude, sign);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vec Ops.Pow2FromShifted(Vec shifted, int bias) =>
        Vector128.ShiftLeft(shifted.AsUInt32() + Vector128.Create((uint)(127 + bias)), 23).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vec Ops.NotPositiveNormal(Vec x) =>
        Vector128.GreaterThanOrEqual(x.AsUInt32() - Vector128.Create(0x00800000u), Vector128.Create(0x7F800000u - 0x00800000u)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vec Ops.SplitForTable16(Vec x, uint offset, out Vec z, out Vec index)
    {
        Bits t = x.AsUInt32() - Vector128.Create(offset);
        index = (Vector128.ShiftRightLogical(t, 19) & Vector128.Create(15u)).AsSingle();
        z = (x.AsUInt32() - (t & Vector128.Create(0xFF800000u))).AsSingle();
        return Vector128.ConvertToSingle(Vector128.ShiftRightArithmetic(t.AsInt32(), 23));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vec Ops.Lookup16(ref float table, Vec index) =>
        Vec.Count >= 16
            ? Vector128.ShuffleNative(Vector128.LoadUnsafe(ref table), index.AsInt32())
            : LookupInParts(ref table, index.AsInt32());

    /// <summary><see cref="Ops.Lookup16"/> for fewer than 16 lanes: one permute per Count entries, blended by the index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vec LookupInParts(ref float table, Vector128<int> index)
    {
        Vector128<int> lane = index & Vector128.Create(Vec.Count - 1);
        Vec result = Vector128.ShuffleNative(Vector128.LoadUnsafe(ref table), lane);
        for (int part = Vec.Count; part < 16; part += Vec.Count)
        {
            Vec entries = Vector128.ShuffleNative(Vector128.LoadUnsafe(ref table, (nuint)part), lane);
            result = Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(index, Vector128.Create(part)).AsSingle(), entries, result);
        }

        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vec Ops.SplitExponent(Vec x, out Vec m)
    {
        // Adding 1 - sqrt(1/2) in the bit domain carries into the exponent exactly when the mantissa is >= sqrt(2).
        Bits t = x.AsUInt32() + Vector128.Create(0x3F800000u - 0x3F3504F3u);
        m = ((t & Vector128.Create(0x007FFFFFu)) + Vector128.Create(0x3F3504F3u)).AsSingle();
        return (Vector128.ShiftRightLogical(t, 23) | Vector128.Create(0x4B000000u)).AsSingle() - Vector128.Create(8388608f + 127f);
    }
}
