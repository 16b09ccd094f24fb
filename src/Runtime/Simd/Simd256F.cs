using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Elementary = KernelDsl.Runtime.FloatMath<KernelDsl.Runtime.Simd256F, System.Runtime.Intrinsics.Vector256<float>>;
using Kernels = KernelDsl.Runtime.SimdKernels<KernelDsl.Runtime.Simd256F, System.Runtime.Intrinsics.Vector256<float>, float>;

namespace KernelDsl.Runtime;

/// <summary>8 float lanes in a <see cref="Vector256{T}"/>.</summary>
[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]
public readonly struct Simd256F : IVectorOps<Vector256<float>, float>, ILowPrecisionStorage<Vector256<float>>
{
    /// <inheritdoc/>
    public static int Count => Vector256<float>.Count;

    /// <inheritdoc/>
    public static bool IsHardwareAccelerated => Vector256.IsHardwareAccelerated;

    /// <inheritdoc/>
    public static Vector256<float> Zero => Vector256<float>.Zero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Indices(nint start) => Vector256.Create((float)start) + Vector256<float>.Indices;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ref float source, nint index) => Vector256.LoadUnsafe(ref Unsafe.Add(ref source, index));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, ref float destination, nint index) => value.StoreUnsafe(ref Unsafe.Add(ref destination, index));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sub(Vector256<float> a, Vector256<float> b) => a - b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Mul(Vector256<float> a, Vector256<float> b) => a * b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Div(Vector256<float> a, Vector256<float> b) => a / b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Neg(Vector256<float> a) => -a;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Min(Vector256<float> a, Vector256<float> b) => Vector256.Min(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Abs(Vector256<float> a) => Vector256.Abs(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sign(Vector256<float> a) => Kernels.Sign(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sqrt(Vector256<float> a) => Vector256.Sqrt(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sq(Vector256<float> a) => a * a;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Log(Vector256<float> a) => Elementary.Log(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> a) => Elementary.ExpScaled(a, 0);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Log1p(Vector256<float> a) => Elementary.Log1p(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Expm1(Vector256<float> a) => Elementary.Expm1(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Pow(Vector256<float> x, Vector256<float> y) => Kernels.Pow(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> PowInt(Vector256<float> x, int n) => Kernels.PowInt(x, n);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Xlogy(Vector256<float> x, Vector256<float> y) => Kernels.Xlogy(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Xlog1py(Vector256<float> x, Vector256<float> y) => Kernels.Xlog1py(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Xdivy(Vector256<float> x, Vector256<float> y) => Kernels.Xdivy(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> RelEntr(Vector256<float> x, Vector256<float> y) => Kernels.RelEntr(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Xlogy(Vector256<float> x, Vector256<float> y, Vector256<float> u) => Kernels.GuardZero(x, y, u);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Xlog1py(Vector256<float> x, Vector256<float> y, Vector256<float> u) => Kernels.GuardZero(x, y, u);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> RelEntr(Vector256<float> x, Vector256<float> y, Vector256<float> u) => Kernels.RelEntr(x, y, u);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Softplus(Vector256<float> a) => Kernels.Softplus(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> a) => Kernels.Sigmoid(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LogSigmoid(Vector256<float> a) => Kernels.LogSigmoid(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> a) => Kernels.Tanh(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Cosh(Vector256<float> a) => Kernels.Cosh(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sinh(Vector256<float> a) => Kernels.Sinh(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Step(Vector256<float> a, Vector256<float> b) => Kernels.Step(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> IsEqual(Vector256<float> a, Vector256<float> b) => Kernels.IsEqual(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> SelectEq(Vector256<float> a, Vector256<float> b, Vector256<float> v) => Kernels.SelectEq(a, b, v);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumToDouble(Vector256<float> v) => Kernels.SumToDouble(v);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(Vector256<float> v) => Kernels.MaxAcross(v);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MinAcross(Vector256<float> v) => Kernels.MinAcross(v);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LseAccumulate(ref Vector256<float> max, ref Vector256<float> sum, Vector256<float> x) =>
        Kernels.LseAccumulate(ref max, ref sum, x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LseCombine(Vector256<float> max, Vector256<float> sum, ref double accMax, ref double accSum) =>
        Kernels.LseCombine(max, sum, ref accMax, ref accSum);

    // ---- IVectorOps: the primitives the shared kernels are written with ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IVectorOps<Vector256<float>, float>.C(double value) => Vector256.Create((float)value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IVectorOps<Vector256<float>, float>.MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Vector256.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IVectorOps<Vector256<float>, float>.FusedMultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Vector256.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IVectorOps<Vector256<float>, float>.Select(Vector256<float> mask, Vector256<float> ifTrue, Vector256<float> ifFalse) =>
        Vector256.ConditionalSelect(mask, ifTrue, ifFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IVectorOps<Vector256<float>, float>.And(Vector256<float> a, Vector256<float> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IVectorOps<Vector256<float>, float>.Or(Vector256<float> a, Vector256<float> b) => a | b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IVectorOps<Vector256<float>, float>.Not(Vector256<float> a) => ~a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IVectorOps<Vector256<float>, float>.AndNot(Vector256<float> a, Vector256<float> b) => Vector256.AndNot(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IVectorOps<Vector256<float>, float>.Equal(Vector256<float> a, Vector256<float> b) => Vector256.Equals(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IVectorOps<Vector256<float>, float>.LessThan(Vector256<float> a, Vector256<float> b) => Vector256.LessThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IVectorOps<Vector256<float>, float>.LessThanOrEqual(Vector256<float> a, Vector256<float> b) => Vector256.LessThanOrEqual(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IVectorOps<Vector256<float>, float>.GreaterThan(Vector256<float> a, Vector256<float> b) => Vector256.GreaterThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IVectorOps<Vector256<float>, float>.GreaterThanOrEqual(Vector256<float> a, Vector256<float> b) => Vector256.GreaterThanOrEqual(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IVectorOps<Vector256<float>, float>.IsNaN(Vector256<float> a) => Vector256.IsNaN(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static bool IVectorOps<Vector256<float>, float>.AnyTrue(Vector256<float> mask) => Vector256.ExtractMostSignificantBits(mask) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IVectorOps<Vector256<float>, float>.MinNative(Vector256<float> a, Vector256<float> b) => Vector256.MinNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IVectorOps<Vector256<float>, float>.MaxNative(Vector256<float> a, Vector256<float> b) => Vector256.MaxNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IVectorOps<Vector256<float>, float>.Floor(Vector256<float> a) => Vector256.Floor(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IVectorOps<Vector256<float>, float>.Truncate(Vector256<float> a) => Vector256.Truncate(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IVectorOps<Vector256<float>, float>.CopySign(Vector256<float> magnitude, Vector256<float> sign) =>
        Vector256.CopySign(magnitude, sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IVectorOps<Vector256<float>, float>.Pow2FromShifted(Vector256<float> shifted, int bias) =>
        Vector256.ShiftLeft(shifted.AsUInt32() + Vector256.Create((uint)(127 + bias)), 23).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IVectorOps<Vector256<float>, float>.SplitExponent(Vector256<float> x, out Vector256<float> m)
    {
        // Adding 1 - sqrt(1/2) in the bit domain carries into the exponent exactly when the mantissa is >= sqrt(2).
        Vector256<uint> t = x.AsUInt32() + Vector256.Create(0x3F800000u - 0x3F3504F3u);
        m = ((t & Vector256.Create(0x007FFFFFu)) + Vector256.Create(0x3F3504F3u)).AsSingle();
        Vector256<uint> biased = Vector256.ShiftRightLogical(t, 23);
        return (biased | Vector256.Create(0x4B000000u)).AsSingle() - Vector256.Create(8388608f + 127f);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IVectorOps<Vector256<float>, float>.NotPositiveNormal(Vector256<float> x) =>
        Vector256.GreaterThanOrEqual(x.AsUInt32() - Vector256.Create(0x00800000u), Vector256.Create(0x7F800000u - 0x00800000u)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IVectorOps<Vector256<float>, float>.PowPositive(Vector256<float> x, Vector256<float> y) => Elementary.PowPositive(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IVectorOps<Vector256<float>, float>.ExpHalf(Vector256<float> x) => Elementary.ExpScaled(x, -1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IVectorOps<Vector256<float>, float>.ExpNormalRange(Vector256<float> x) => Elementary.ExpNormalRange(x);

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
