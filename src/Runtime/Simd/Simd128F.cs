using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Elementary = KernelDsl.Runtime.FloatMath<KernelDsl.Runtime.Simd128F, System.Runtime.Intrinsics.Vector128<float>>;
using Kernels = KernelDsl.Runtime.SimdKernels<KernelDsl.Runtime.Simd128F, System.Runtime.Intrinsics.Vector128<float>, float>;

namespace KernelDsl.Runtime;

/// <summary>4 float lanes in a <see cref="Vector128{T}"/>.</summary>
[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]
public readonly struct Simd128F : IVectorOps<Vector128<float>, float>, ILowPrecisionStorage<Vector128<float>>
{
    /// <inheritdoc/>
    public static int Count => Vector128<float>.Count;

    /// <inheritdoc/>
    public static bool IsHardwareAccelerated => Vector128.IsHardwareAccelerated;

    /// <inheritdoc/>
    public static Vector128<float> Zero => Vector128<float>.Zero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Broadcast(float value) => Vector128.Create(value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Indices(nint start) => Vector128.Create((float)start) + Vector128<float>.Indices;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(ref float source, nint index) => Vector128.LoadUnsafe(ref Unsafe.Add(ref source, index));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, ref float destination, nint index) => value.StoreUnsafe(ref Unsafe.Add(ref destination, index));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sub(Vector128<float> a, Vector128<float> b) => a - b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Mul(Vector128<float> a, Vector128<float> b) => a * b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Div(Vector128<float> a, Vector128<float> b) => a / b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Neg(Vector128<float> a) => -a;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Min(Vector128<float> a, Vector128<float> b) => Vector128.Min(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Max(Vector128<float> a, Vector128<float> b) => Vector128.Max(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Abs(Vector128<float> a) => Vector128.Abs(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sign(Vector128<float> a) => Kernels.Sign(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sqrt(Vector128<float> a) => Vector128.Sqrt(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sq(Vector128<float> a) => a * a;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Log(Vector128<float> a) => Elementary.Log(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp(Vector128<float> a) => Elementary.ExpScaled(a, 0);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Log1p(Vector128<float> a) => Elementary.Log1p(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Expm1(Vector128<float> a) => Elementary.Expm1(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Pow(Vector128<float> x, Vector128<float> y) => Kernels.Pow(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> PowInt(Vector128<float> x, int n) => Kernels.PowInt(x, n);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Xlogy(Vector128<float> x, Vector128<float> y) => Kernels.Xlogy(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Xlog1py(Vector128<float> x, Vector128<float> y) => Kernels.Xlog1py(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Xdivy(Vector128<float> x, Vector128<float> y) => Kernels.Xdivy(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> RelEntr(Vector128<float> x, Vector128<float> y) => Kernels.RelEntr(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Xlogy(Vector128<float> x, Vector128<float> y, Vector128<float> u) => Kernels.GuardZero(x, y, u);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Xlog1py(Vector128<float> x, Vector128<float> y, Vector128<float> u) => Kernels.GuardZero(x, y, u);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> RelEntr(Vector128<float> x, Vector128<float> y, Vector128<float> u) => Kernels.RelEntr(x, y, u);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Softplus(Vector128<float> a) => Kernels.Softplus(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sigmoid(Vector128<float> a) => Kernels.Sigmoid(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LogSigmoid(Vector128<float> a) => Kernels.LogSigmoid(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Tanh(Vector128<float> a) => Kernels.Tanh(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Cosh(Vector128<float> a) => Kernels.Cosh(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sinh(Vector128<float> a) => Kernels.Sinh(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Step(Vector128<float> a, Vector128<float> b) => Kernels.Step(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> IsEqual(Vector128<float> a, Vector128<float> b) => Kernels.IsEqual(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> SelectEq(Vector128<float> a, Vector128<float> b, Vector128<float> v) => Kernels.SelectEq(a, b, v);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumToDouble(Vector128<float> v) => Kernels.SumToDouble(v);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(Vector128<float> v) => Kernels.MaxAcross(v);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MinAcross(Vector128<float> v) => Kernels.MinAcross(v);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LseAccumulate(ref Vector128<float> max, ref Vector128<float> sum, Vector128<float> x) =>
        Kernels.LseAccumulate(ref max, ref sum, x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LseCombine(Vector128<float> max, Vector128<float> sum, ref double accMax, ref double accSum) =>
        Kernels.LseCombine(max, sum, ref accMax, ref accSum);

    // ---- IVectorOps: the primitives the shared kernels are written with ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IVectorOps<Vector128<float>, float>.C(double value) => Vector128.Create((float)value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IVectorOps<Vector128<float>, float>.MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
        Vector128.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IVectorOps<Vector128<float>, float>.FusedMultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
        Vector128.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IVectorOps<Vector128<float>, float>.Select(Vector128<float> mask, Vector128<float> ifTrue, Vector128<float> ifFalse) =>
        Vector128.ConditionalSelect(mask, ifTrue, ifFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IVectorOps<Vector128<float>, float>.And(Vector128<float> a, Vector128<float> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IVectorOps<Vector128<float>, float>.Or(Vector128<float> a, Vector128<float> b) => a | b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IVectorOps<Vector128<float>, float>.Not(Vector128<float> a) => ~a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IVectorOps<Vector128<float>, float>.AndNot(Vector128<float> a, Vector128<float> b) => Vector128.AndNot(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IVectorOps<Vector128<float>, float>.Equal(Vector128<float> a, Vector128<float> b) => Vector128.Equals(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IVectorOps<Vector128<float>, float>.LessThan(Vector128<float> a, Vector128<float> b) => Vector128.LessThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IVectorOps<Vector128<float>, float>.LessThanOrEqual(Vector128<float> a, Vector128<float> b) => Vector128.LessThanOrEqual(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IVectorOps<Vector128<float>, float>.GreaterThan(Vector128<float> a, Vector128<float> b) => Vector128.GreaterThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IVectorOps<Vector128<float>, float>.GreaterThanOrEqual(Vector128<float> a, Vector128<float> b) => Vector128.GreaterThanOrEqual(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IVectorOps<Vector128<float>, float>.IsNaN(Vector128<float> a) => Vector128.IsNaN(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static bool IVectorOps<Vector128<float>, float>.AnyTrue(Vector128<float> mask) => Vector128.ExtractMostSignificantBits(mask) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IVectorOps<Vector128<float>, float>.MinNative(Vector128<float> a, Vector128<float> b) => Vector128.MinNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IVectorOps<Vector128<float>, float>.MaxNative(Vector128<float> a, Vector128<float> b) => Vector128.MaxNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IVectorOps<Vector128<float>, float>.Floor(Vector128<float> a) => Vector128.Floor(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IVectorOps<Vector128<float>, float>.Truncate(Vector128<float> a) => Vector128.Truncate(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IVectorOps<Vector128<float>, float>.CopySign(Vector128<float> magnitude, Vector128<float> sign) =>
        Vector128.CopySign(magnitude, sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IVectorOps<Vector128<float>, float>.Pow2FromShifted(Vector128<float> shifted, int bias) =>
        Vector128.ShiftLeft(shifted.AsUInt32() + Vector128.Create((uint)(127 + bias)), 23).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IVectorOps<Vector128<float>, float>.SplitExponent(Vector128<float> x, out Vector128<float> m)
    {
        // Adding 1 - sqrt(1/2) in the bit domain carries into the exponent exactly when the mantissa is >= sqrt(2).
        Vector128<uint> t = x.AsUInt32() + Vector128.Create(0x3F800000u - 0x3F3504F3u);
        m = ((t & Vector128.Create(0x007FFFFFu)) + Vector128.Create(0x3F3504F3u)).AsSingle();
        Vector128<uint> biased = Vector128.ShiftRightLogical(t, 23);
        return (biased | Vector128.Create(0x4B000000u)).AsSingle() - Vector128.Create(8388608f + 127f);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IVectorOps<Vector128<float>, float>.NotPositiveNormal(Vector128<float> x) =>
        Vector128.GreaterThanOrEqual(x.AsUInt32() - Vector128.Create(0x00800000u), Vector128.Create(0x7F800000u - 0x00800000u)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IVectorOps<Vector128<float>, float>.PowPositive(Vector128<float> x, Vector128<float> y) => Elementary.PowPositive(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IVectorOps<Vector128<float>, float>.ExpHalf(Vector128<float> x) => Elementary.ExpScaled(x, -1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IVectorOps<Vector128<float>, float>.ExpNormalRange(Vector128<float> x) => Elementary.ExpNormalRange(x);

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
