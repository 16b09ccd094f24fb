using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Bits = System.Runtime.Intrinsics.Vector256<ulong>;
using Ops = KernelDsl.Runtime.IVectorOps<KernelDsl.Runtime.Simd256D, System.Runtime.Intrinsics.Vector256<double>, double>;
using Vec = System.Runtime.Intrinsics.Vector256<double>;

namespace KernelDsl.Runtime;

/// <summary>
/// The double lanes of a <see cref="Vector256{T}"/>: only the primitives, one line each; every other function of
/// <see cref="ISimd{TVec, T}"/> is written once for all widths in <see cref="IVectorOps{TSelf, TVec, T}"/> (README.md).
/// </summary>
[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]
public readonly struct Simd256D : IVectorOps<Simd256D, Vector256<double>, double>
{
    /// <inheritdoc/>
    public static int Count => Vec.Count;

    /// <inheritdoc/>
    public static bool IsHardwareAccelerated => Vector256.IsHardwareAccelerated;

    /// <inheritdoc/>
    public static Vec Zero => Vec.Zero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec Broadcast(double value) => Vector256.Create(value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec Indices(nint start) =>
        Vector256.Create((double)start) + Vec.Indices;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec Load(ref double source, nint index) =>
        Vector256.LoadUnsafe(ref Unsafe.Add(ref source, index));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vec value, ref double destination, nint index) =>
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.C(double value) => Vector256.Create(value);
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
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static bool Ops.AnyTrue(Vec mask) => mask.AsUInt64() != Bits.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.MinNative(Vec a, Vec b) => Vector256.MinNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.MaxNative(Vec a, Vec b) => Vector256.MaxNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.Floor(Vec a) => Vector256.Floor(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.Truncate(Vec a) => Vector256.Truncate(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static Vec Ops.CopySign(Vec magnitude, Vec sign) => Vector256.CopySign(magnitude, sign);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vec Ops.Pow2FromShifted(Vec shifted, int bias) =>
        Vector256.ShiftLeft(shifted.AsUInt64() + Vector256.Create((ulong)(1023 + bias)), 52).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vec Ops.NotPositiveNormal(Vec x) =>
        Vector256.GreaterThanOrEqual(x.AsUInt64() - Vector256.Create(0x0010000000000000ul), Vector256.Create(0x7FF0000000000000ul - 0x0010000000000000ul)).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vec Ops.SplitExponent(Vec x, out Vec m)
    {
        // Adding 1 - sqrt(1/2) in the bit domain carries into the exponent exactly when the mantissa is >= sqrt(2).
        Bits t = x.AsUInt64() + Vector256.Create(0x3FF0000000000000ul - 0x3FE6A09E667F3BCDul);
        m = ((t & Vector256.Create(0x000FFFFFFFFFFFFFul)) + Vector256.Create(0x3FE6A09E667F3BCDul)).AsDouble();
        return (Vector256.ShiftRightLogical(t, 52) | Vector256.Create(0x4330000000000000ul)).AsDouble() - Vector256.Create(4503599627370496.0 + 1023.0);
    }
}
