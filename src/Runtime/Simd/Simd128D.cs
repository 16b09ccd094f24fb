using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Elementary = KernelDsl.Runtime.DoubleMath<KernelDsl.Runtime.Simd128D, System.Runtime.Intrinsics.Vector128<double>>;
using Kernels = KernelDsl.Runtime.SimdKernels<KernelDsl.Runtime.Simd128D, System.Runtime.Intrinsics.Vector128<double>, double>;

namespace KernelDsl.Runtime;

/// <summary>2 double lanes in a <see cref="Vector128{T}"/>.</summary>
[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]
public readonly struct Simd128D : IVectorOps<Vector128<double>, double>
{
    /// <inheritdoc/>
    public static int Count => Vector128<double>.Count;

    /// <inheritdoc/>
    public static bool IsHardwareAccelerated => Vector128.IsHardwareAccelerated;

    /// <inheritdoc/>
    public static Vector128<double> Zero => Vector128<double>.Zero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Broadcast(double value) => Vector128.Create(value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Indices(nint start) => Vector128.Create((double)start) + Vector128<double>.Indices;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Load(ref double source, nint index) => Vector128.LoadUnsafe(ref Unsafe.Add(ref source, index));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<double> value, ref double destination, nint index) => value.StoreUnsafe(ref Unsafe.Add(ref destination, index));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Add(Vector128<double> a, Vector128<double> b) => a + b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Sub(Vector128<double> a, Vector128<double> b) => a - b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Mul(Vector128<double> a, Vector128<double> b) => a * b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Div(Vector128<double> a, Vector128<double> b) => a / b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Neg(Vector128<double> a) => -a;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Min(Vector128<double> a, Vector128<double> b) => Vector128.Min(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Max(Vector128<double> a, Vector128<double> b) => Vector128.Max(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Abs(Vector128<double> a) => Vector128.Abs(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Sign(Vector128<double> a) => Kernels.Sign(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Sqrt(Vector128<double> a) => Vector128.Sqrt(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Sq(Vector128<double> a) => a * a;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Log(Vector128<double> a) => Elementary.Log(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Exp(Vector128<double> a) => Elementary.ExpScaled(a, 0);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Log1p(Vector128<double> a) => Elementary.Log1p(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Expm1(Vector128<double> a) => Elementary.Expm1(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Pow(Vector128<double> x, Vector128<double> y) => Kernels.Pow(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> PowInt(Vector128<double> x, int n) => Kernels.PowInt(x, n);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Xlogy(Vector128<double> x, Vector128<double> y) => Kernels.Xlogy(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Xlog1py(Vector128<double> x, Vector128<double> y) => Kernels.Xlog1py(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Xdivy(Vector128<double> x, Vector128<double> y) => Kernels.Xdivy(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> RelEntr(Vector128<double> x, Vector128<double> y) => Kernels.RelEntr(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Xlogy(Vector128<double> x, Vector128<double> y, Vector128<double> u) => Kernels.GuardZero(x, y, u);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Xlog1py(Vector128<double> x, Vector128<double> y, Vector128<double> u) => Kernels.GuardZero(x, y, u);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> RelEntr(Vector128<double> x, Vector128<double> y, Vector128<double> u) => Kernels.RelEntr(x, y, u);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Softplus(Vector128<double> a) => Kernels.Softplus(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Sigmoid(Vector128<double> a) => Kernels.Sigmoid(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> LogSigmoid(Vector128<double> a) => Kernels.LogSigmoid(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Tanh(Vector128<double> a) => Kernels.Tanh(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Cosh(Vector128<double> a) => Kernels.Cosh(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Sinh(Vector128<double> a) => Kernels.Sinh(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Step(Vector128<double> a, Vector128<double> b) => Kernels.Step(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> IsEqual(Vector128<double> a, Vector128<double> b) => Kernels.IsEqual(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> SelectEq(Vector128<double> a, Vector128<double> b, Vector128<double> v) => Kernels.SelectEq(a, b, v);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumToDouble(Vector128<double> v) => Kernels.SumToDouble(v);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double MaxAcross(Vector128<double> v) => Kernels.MaxAcross(v);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double MinAcross(Vector128<double> v) => Kernels.MinAcross(v);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LseAccumulate(ref Vector128<double> max, ref Vector128<double> sum, Vector128<double> x) =>
        Kernels.LseAccumulate(ref max, ref sum, x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LseCombine(Vector128<double> max, Vector128<double> sum, ref double accMax, ref double accSum) =>
        Kernels.LseCombine(max, sum, ref accMax, ref accSum);

    // ---- IVectorOps: the primitives the shared kernels are written with ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<double> IVectorOps<Vector128<double>, double>.C(double value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<double> IVectorOps<Vector128<double>, double>.MultiplyAdd(Vector128<double> a, Vector128<double> b, Vector128<double> c) =>
        Vector128.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<double> IVectorOps<Vector128<double>, double>.FusedMultiplyAdd(Vector128<double> a, Vector128<double> b, Vector128<double> c) =>
        Vector128.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<double> IVectorOps<Vector128<double>, double>.Select(Vector128<double> mask, Vector128<double> ifTrue, Vector128<double> ifFalse) =>
        Vector128.ConditionalSelect(mask, ifTrue, ifFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<double> IVectorOps<Vector128<double>, double>.And(Vector128<double> a, Vector128<double> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<double> IVectorOps<Vector128<double>, double>.Or(Vector128<double> a, Vector128<double> b) => a | b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<double> IVectorOps<Vector128<double>, double>.Not(Vector128<double> a) => ~a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<double> IVectorOps<Vector128<double>, double>.AndNot(Vector128<double> a, Vector128<double> b) => Vector128.AndNot(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<double> IVectorOps<Vector128<double>, double>.Equal(Vector128<double> a, Vector128<double> b) => Vector128.Equals(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<double> IVectorOps<Vector128<double>, double>.LessThan(Vector128<double> a, Vector128<double> b) => Vector128.LessThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<double> IVectorOps<Vector128<double>, double>.LessThanOrEqual(Vector128<double> a, Vector128<double> b) => Vector128.LessThanOrEqual(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<double> IVectorOps<Vector128<double>, double>.GreaterThan(Vector128<double> a, Vector128<double> b) => Vector128.GreaterThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<double> IVectorOps<Vector128<double>, double>.GreaterThanOrEqual(Vector128<double> a, Vector128<double> b) => Vector128.GreaterThanOrEqual(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<double> IVectorOps<Vector128<double>, double>.IsNaN(Vector128<double> a) => Vector128.IsNaN(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static bool IVectorOps<Vector128<double>, double>.AnyTrue(Vector128<double> mask) => Vector128.ExtractMostSignificantBits(mask) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<double> IVectorOps<Vector128<double>, double>.MinNative(Vector128<double> a, Vector128<double> b) => Vector128.MinNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<double> IVectorOps<Vector128<double>, double>.MaxNative(Vector128<double> a, Vector128<double> b) => Vector128.MaxNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<double> IVectorOps<Vector128<double>, double>.Floor(Vector128<double> a) => Vector128.Floor(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<double> IVectorOps<Vector128<double>, double>.Truncate(Vector128<double> a) => Vector128.Truncate(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<double> IVectorOps<Vector128<double>, double>.CopySign(Vector128<double> magnitude, Vector128<double> sign) =>
        Vector128.CopySign(magnitude, sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<double> IVectorOps<Vector128<double>, double>.Pow2FromShifted(Vector128<double> shifted, int bias) =>
        Vector128.ShiftLeft(shifted.AsUInt64() + Vector128.Create((ulong)(1023 + bias)), 52).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<double> IVectorOps<Vector128<double>, double>.SplitExponent(Vector128<double> x, out Vector128<double> m)
    {
        // Adding 1 - sqrt(1/2) in the bit domain carries into the exponent exactly when the mantissa is >= sqrt(2).
        Vector128<ulong> t = x.AsUInt64() + Vector128.Create(0x3FF0000000000000ul - 0x3FE6A09E667F3BCDul);
        m = ((t & Vector128.Create(0x000FFFFFFFFFFFFFul)) + Vector128.Create(0x3FE6A09E667F3BCDul)).AsDouble();
        Vector128<ulong> biased = Vector128.ShiftRightLogical(t, 52);
        return (biased | Vector128.Create(0x4330000000000000ul)).AsDouble() - Vector128.Create(4503599627370496.0 + 1023.0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<double> IVectorOps<Vector128<double>, double>.NotPositiveNormal(Vector128<double> x) =>
        Vector128.GreaterThanOrEqual(x.AsUInt64() - Vector128.Create(0x0010000000000000ul), Vector128.Create(0x7FF0000000000000ul - 0x0010000000000000ul)).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<double> IVectorOps<Vector128<double>, double>.PowPositive(Vector128<double> x, Vector128<double> y) => Elementary.PowPositive(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<double> IVectorOps<Vector128<double>, double>.ExpHalf(Vector128<double> x) => Elementary.ExpScaled(x, -1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<double> IVectorOps<Vector128<double>, double>.ExpNormalRange(Vector128<double> x) => Elementary.ExpNormalRange(x);
}
