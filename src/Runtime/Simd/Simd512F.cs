using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Elementary = KernelDsl.Runtime.FloatMath<KernelDsl.Runtime.Simd512F, System.Runtime.Intrinsics.Vector512<float>>;
using Kernels = KernelDsl.Runtime.SimdKernels<KernelDsl.Runtime.Simd512F, System.Runtime.Intrinsics.Vector512<float>, float>;

namespace KernelDsl.Runtime;

/// <summary>16 float lanes in a <see cref="Vector512{T}"/>.</summary>
[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]
public readonly struct Simd512F : IVectorOps<Vector512<float>, float>, ILowPrecisionStorage<Vector512<float>>
{
    /// <inheritdoc/>
    public static int Count => Vector512<float>.Count;

    /// <inheritdoc/>
    public static bool IsHardwareAccelerated => Vector512.IsHardwareAccelerated;

    /// <inheritdoc/>
    public static Vector512<float> Zero => Vector512<float>.Zero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Indices(nint start) => Vector512.Create((float)start) + Vector512<float>.Indices;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float source, nint index) => Vector512.LoadUnsafe(ref Unsafe.Add(ref source, index));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref float destination, nint index) => value.StoreUnsafe(ref Unsafe.Add(ref destination, index));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sub(Vector512<float> a, Vector512<float> b) => a - b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Mul(Vector512<float> a, Vector512<float> b) => a * b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Div(Vector512<float> a, Vector512<float> b) => a / b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Neg(Vector512<float> a) => -a;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Min(Vector512<float> a, Vector512<float> b) => Vector512.Min(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Abs(Vector512<float> a) => Vector512.Abs(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sign(Vector512<float> a) => Kernels.Sign(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sqrt(Vector512<float> a) => Vector512.Sqrt(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sq(Vector512<float> a) => a * a;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Log(Vector512<float> a) => Elementary.Log(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> a) => Elementary.ExpScaled(a, 0);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Log1p(Vector512<float> a) => Elementary.Log1p(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Expm1(Vector512<float> a) => Elementary.Expm1(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Pow(Vector512<float> x, Vector512<float> y) => Kernels.Pow(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> PowInt(Vector512<float> x, int n) => Kernels.PowInt(x, n);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Xlogy(Vector512<float> x, Vector512<float> y) => Kernels.Xlogy(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Xlog1py(Vector512<float> x, Vector512<float> y) => Kernels.Xlog1py(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Xdivy(Vector512<float> x, Vector512<float> y) => Kernels.Xdivy(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> RelEntr(Vector512<float> x, Vector512<float> y) => Kernels.RelEntr(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Xlogy(Vector512<float> x, Vector512<float> y, Vector512<float> u) => Kernels.GuardZero(x, y, u);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Xlog1py(Vector512<float> x, Vector512<float> y, Vector512<float> u) => Kernels.GuardZero(x, y, u);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> RelEntr(Vector512<float> x, Vector512<float> y, Vector512<float> u) => Kernels.RelEntr(x, y, u);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Softplus(Vector512<float> a) => Kernels.Softplus(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sigmoid(Vector512<float> a) => Kernels.Sigmoid(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LogSigmoid(Vector512<float> a) => Kernels.LogSigmoid(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> a) => Kernels.Tanh(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Cosh(Vector512<float> a) => Kernels.Cosh(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sinh(Vector512<float> a) => Kernels.Sinh(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Step(Vector512<float> a, Vector512<float> b) => Kernels.Step(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> IsEqual(Vector512<float> a, Vector512<float> b) => Kernels.IsEqual(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> SelectEq(Vector512<float> a, Vector512<float> b, Vector512<float> v) => Kernels.SelectEq(a, b, v);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumToDouble(Vector512<float> v) => Kernels.SumToDouble(v);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(Vector512<float> v) => Kernels.MaxAcross(v);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MinAcross(Vector512<float> v) => Kernels.MinAcross(v);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LseAccumulate(ref Vector512<float> max, ref Vector512<float> sum, Vector512<float> x) =>
        Kernels.LseAccumulate(ref max, ref sum, x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LseCombine(Vector512<float> max, Vector512<float> sum, ref double accMax, ref double accSum) =>
        Kernels.LseCombine(max, sum, ref accMax, ref accSum);

    // ---- IVectorOps: the primitives the shared kernels are written with ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IVectorOps<Vector512<float>, float>.C(double value) => Vector512.Create((float)value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IVectorOps<Vector512<float>, float>.MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) =>
        Vector512.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IVectorOps<Vector512<float>, float>.FusedMultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) =>
        Vector512.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IVectorOps<Vector512<float>, float>.Select(Vector512<float> mask, Vector512<float> ifTrue, Vector512<float> ifFalse) =>
        Vector512.ConditionalSelect(mask, ifTrue, ifFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IVectorOps<Vector512<float>, float>.And(Vector512<float> a, Vector512<float> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IVectorOps<Vector512<float>, float>.Or(Vector512<float> a, Vector512<float> b) => a | b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IVectorOps<Vector512<float>, float>.Not(Vector512<float> a) => ~a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IVectorOps<Vector512<float>, float>.AndNot(Vector512<float> a, Vector512<float> b) => Vector512.AndNot(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IVectorOps<Vector512<float>, float>.Equal(Vector512<float> a, Vector512<float> b) => Vector512.Equals(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IVectorOps<Vector512<float>, float>.LessThan(Vector512<float> a, Vector512<float> b) => Vector512.LessThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IVectorOps<Vector512<float>, float>.LessThanOrEqual(Vector512<float> a, Vector512<float> b) => Vector512.LessThanOrEqual(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IVectorOps<Vector512<float>, float>.GreaterThan(Vector512<float> a, Vector512<float> b) => Vector512.GreaterThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IVectorOps<Vector512<float>, float>.GreaterThanOrEqual(Vector512<float> a, Vector512<float> b) => Vector512.GreaterThanOrEqual(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IVectorOps<Vector512<float>, float>.IsNaN(Vector512<float> a) => Vector512.IsNaN(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static bool IVectorOps<Vector512<float>, float>.AnyTrue(Vector512<float> mask) => Vector512.ExtractMostSignificantBits(mask) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IVectorOps<Vector512<float>, float>.MinNative(Vector512<float> a, Vector512<float> b) => Vector512.MinNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IVectorOps<Vector512<float>, float>.MaxNative(Vector512<float> a, Vector512<float> b) => Vector512.MaxNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IVectorOps<Vector512<float>, float>.Floor(Vector512<float> a) => Vector512.Floor(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IVectorOps<Vector512<float>, float>.Truncate(Vector512<float> a) => Vector512.Truncate(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IVectorOps<Vector512<float>, float>.CopySign(Vector512<float> magnitude, Vector512<float> sign) =>
        Vector512.CopySign(magnitude, sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IVectorOps<Vector512<float>, float>.Pow2FromShifted(Vector512<float> shifted, int bias) =>
        Vector512.ShiftLeft(shifted.AsUInt32() + Vector512.Create((uint)(127 + bias)), 23).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IVectorOps<Vector512<float>, float>.SplitExponent(Vector512<float> x, out Vector512<float> m)
    {
        // Adding 1 - sqrt(1/2) in the bit domain carries into the exponent exactly when the mantissa is >= sqrt(2).
        Vector512<uint> t = x.AsUInt32() + Vector512.Create(0x3F800000u - 0x3F3504F3u);
        m = ((t & Vector512.Create(0x007FFFFFu)) + Vector512.Create(0x3F3504F3u)).AsSingle();
        Vector512<uint> biased = Vector512.ShiftRightLogical(t, 23);
        return (biased | Vector512.Create(0x4B000000u)).AsSingle() - Vector512.Create(8388608f + 127f);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IVectorOps<Vector512<float>, float>.NotPositiveNormal(Vector512<float> x) =>
        Vector512.GreaterThanOrEqual(x.AsUInt32() - Vector512.Create(0x00800000u), Vector512.Create(0x7F800000u - 0x00800000u)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IVectorOps<Vector512<float>, float>.PowPositive(Vector512<float> x, Vector512<float> y) => Elementary.PowPositive(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IVectorOps<Vector512<float>, float>.ExpHalf(Vector512<float> x) => Elementary.ExpScaled(x, -1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IVectorOps<Vector512<float>, float>.ExpNormalRange(Vector512<float> x) => Elementary.ExpNormalRange(x);

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
