using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Elementary = KernelDsl.Runtime.DoubleMath<KernelDsl.Runtime.Simd512D, System.Runtime.Intrinsics.Vector512<double>>;
using Kernels = KernelDsl.Runtime.SimdKernels<KernelDsl.Runtime.Simd512D, System.Runtime.Intrinsics.Vector512<double>, double>;

namespace KernelDsl.Runtime;

/// <summary>8 double lanes in a <see cref="Vector512{T}"/>.</summary>
[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]
public readonly struct Simd512D : IVectorOps<Vector512<double>, double>
{
    /// <inheritdoc/>
    public static int Count => Vector512<double>.Count;

    /// <inheritdoc/>
    public static bool IsHardwareAccelerated => Vector512.IsHardwareAccelerated;

    /// <inheritdoc/>
    public static Vector512<double> Zero => Vector512<double>.Zero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Broadcast(double value) => Vector512.Create(value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Indices(nint start) => Vector512.Create((double)start) + Vector512<double>.Indices;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Load(ref double source, nint index) => Vector512.LoadUnsafe(ref Unsafe.Add(ref source, index));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<double> value, ref double destination, nint index) => value.StoreUnsafe(ref Unsafe.Add(ref destination, index));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Add(Vector512<double> a, Vector512<double> b) => a + b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Sub(Vector512<double> a, Vector512<double> b) => a - b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Mul(Vector512<double> a, Vector512<double> b) => a * b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Div(Vector512<double> a, Vector512<double> b) => a / b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Neg(Vector512<double> a) => -a;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Min(Vector512<double> a, Vector512<double> b) => Vector512.Min(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Max(Vector512<double> a, Vector512<double> b) => Vector512.Max(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Abs(Vector512<double> a) => Vector512.Abs(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Sign(Vector512<double> a) => Kernels.Sign(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Sqrt(Vector512<double> a) => Vector512.Sqrt(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Sq(Vector512<double> a) => a * a;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Log(Vector512<double> a) => Elementary.Log(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Exp(Vector512<double> a) => Elementary.ExpScaled(a, 0);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Log1p(Vector512<double> a) => Elementary.Log1p(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Expm1(Vector512<double> a) => Elementary.Expm1(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Pow(Vector512<double> x, Vector512<double> y) => Kernels.Pow(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> PowInt(Vector512<double> x, int n) => Kernels.PowInt(x, n);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Xlogy(Vector512<double> x, Vector512<double> y) => Kernels.Xlogy(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Xlog1py(Vector512<double> x, Vector512<double> y) => Kernels.Xlog1py(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Xdivy(Vector512<double> x, Vector512<double> y) => Kernels.Xdivy(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> RelEntr(Vector512<double> x, Vector512<double> y) => Kernels.RelEntr(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Xlogy(Vector512<double> x, Vector512<double> y, Vector512<double> u) => Kernels.GuardZero(x, y, u);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Xlog1py(Vector512<double> x, Vector512<double> y, Vector512<double> u) => Kernels.GuardZero(x, y, u);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> RelEntr(Vector512<double> x, Vector512<double> y, Vector512<double> u) => Kernels.RelEntr(x, y, u);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Softplus(Vector512<double> a) => Kernels.Softplus(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Sigmoid(Vector512<double> a) => Kernels.Sigmoid(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> LogSigmoid(Vector512<double> a) => Kernels.LogSigmoid(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Tanh(Vector512<double> a) => Kernels.Tanh(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Cosh(Vector512<double> a) => Kernels.Cosh(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Sinh(Vector512<double> a) => Kernels.Sinh(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Step(Vector512<double> a, Vector512<double> b) => Kernels.Step(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> IsEqual(Vector512<double> a, Vector512<double> b) => Kernels.IsEqual(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> SelectEq(Vector512<double> a, Vector512<double> b, Vector512<double> v) => Kernels.SelectEq(a, b, v);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumToDouble(Vector512<double> v) => Kernels.SumToDouble(v);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double MaxAcross(Vector512<double> v) => Kernels.MaxAcross(v);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double MinAcross(Vector512<double> v) => Kernels.MinAcross(v);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LseAccumulate(ref Vector512<double> max, ref Vector512<double> sum, Vector512<double> x) =>
        Kernels.LseAccumulate(ref max, ref sum, x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LseCombine(Vector512<double> max, Vector512<double> sum, ref double accMax, ref double accSum) =>
        Kernels.LseCombine(max, sum, ref accMax, ref accSum);

    // ---- IVectorOps: the primitives the shared kernels are written with ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<double> IVectorOps<Vector512<double>, double>.C(double value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<double> IVectorOps<Vector512<double>, double>.MultiplyAdd(Vector512<double> a, Vector512<double> b, Vector512<double> c) =>
        Vector512.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<double> IVectorOps<Vector512<double>, double>.FusedMultiplyAdd(Vector512<double> a, Vector512<double> b, Vector512<double> c) =>
        Vector512.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<double> IVectorOps<Vector512<double>, double>.Select(Vector512<double> mask, Vector512<double> ifTrue, Vector512<double> ifFalse) =>
        Vector512.ConditionalSelect(mask, ifTrue, ifFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<double> IVectorOps<Vector512<double>, double>.And(Vector512<double> a, Vector512<double> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<double> IVectorOps<Vector512<double>, double>.Or(Vector512<double> a, Vector512<double> b) => a | b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<double> IVectorOps<Vector512<double>, double>.Not(Vector512<double> a) => ~a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<double> IVectorOps<Vector512<double>, double>.AndNot(Vector512<double> a, Vector512<double> b) => Vector512.AndNot(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<double> IVectorOps<Vector512<double>, double>.Equal(Vector512<double> a, Vector512<double> b) => Vector512.Equals(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<double> IVectorOps<Vector512<double>, double>.LessThan(Vector512<double> a, Vector512<double> b) => Vector512.LessThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<double> IVectorOps<Vector512<double>, double>.LessThanOrEqual(Vector512<double> a, Vector512<double> b) => Vector512.LessThanOrEqual(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<double> IVectorOps<Vector512<double>, double>.GreaterThan(Vector512<double> a, Vector512<double> b) => Vector512.GreaterThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<double> IVectorOps<Vector512<double>, double>.GreaterThanOrEqual(Vector512<double> a, Vector512<double> b) => Vector512.GreaterThanOrEqual(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<double> IVectorOps<Vector512<double>, double>.IsNaN(Vector512<double> a) => Vector512.IsNaN(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static bool IVectorOps<Vector512<double>, double>.AnyTrue(Vector512<double> mask) => Vector512.ExtractMostSignificantBits(mask) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<double> IVectorOps<Vector512<double>, double>.MinNative(Vector512<double> a, Vector512<double> b) => Vector512.MinNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<double> IVectorOps<Vector512<double>, double>.MaxNative(Vector512<double> a, Vector512<double> b) => Vector512.MaxNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<double> IVectorOps<Vector512<double>, double>.Floor(Vector512<double> a) => Vector512.Floor(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<double> IVectorOps<Vector512<double>, double>.Truncate(Vector512<double> a) => Vector512.Truncate(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<double> IVectorOps<Vector512<double>, double>.CopySign(Vector512<double> magnitude, Vector512<double> sign) =>
        Vector512.CopySign(magnitude, sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<double> IVectorOps<Vector512<double>, double>.Pow2FromShifted(Vector512<double> shifted, int bias) =>
        Vector512.ShiftLeft(shifted.AsUInt64() + Vector512.Create((ulong)(1023 + bias)), 52).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<double> IVectorOps<Vector512<double>, double>.SplitExponent(Vector512<double> x, out Vector512<double> m)
    {
        // Adding 1 - sqrt(1/2) in the bit domain carries into the exponent exactly when the mantissa is >= sqrt(2).
        Vector512<ulong> t = x.AsUInt64() + Vector512.Create(0x3FF0000000000000ul - 0x3FE6A09E667F3BCDul);
        m = ((t & Vector512.Create(0x000FFFFFFFFFFFFFul)) + Vector512.Create(0x3FE6A09E667F3BCDul)).AsDouble();
        Vector512<ulong> biased = Vector512.ShiftRightLogical(t, 52);
        return (biased | Vector512.Create(0x4330000000000000ul)).AsDouble() - Vector512.Create(4503599627370496.0 + 1023.0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<double> IVectorOps<Vector512<double>, double>.NotPositiveNormal(Vector512<double> x) =>
        Vector512.GreaterThanOrEqual(x.AsUInt64() - Vector512.Create(0x0010000000000000ul), Vector512.Create(0x7FF0000000000000ul - 0x0010000000000000ul)).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<double> IVectorOps<Vector512<double>, double>.PowPositive(Vector512<double> x, Vector512<double> y) => Elementary.PowPositive(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<double> IVectorOps<Vector512<double>, double>.ExpHalf(Vector512<double> x) => Elementary.ExpScaled(x, -1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<double> IVectorOps<Vector512<double>, double>.ExpNormalRange(Vector512<double> x) => Elementary.ExpNormalRange(x);
}
