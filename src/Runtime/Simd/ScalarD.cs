using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Ops = KernelDsl.Runtime.IVectorOps<KernelDsl.Runtime.ScalarD, double, double>;

namespace KernelDsl.Runtime;

/// <summary>
/// One double lane: the scalar tail of generated loops and the scalar epilogue. The shared functions run on it as on a
/// vector of one lane: its arithmetic is the plain scalar one, and its masks, comparisons, selects and fused multiply-adds are lane 0
/// of the <see cref="Vector128{T}"/> operations the vector widths use, so a tail element gets bit for bit the result
/// it would get inside a vector, whatever the length of the array.
/// </summary>
[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]
public readonly struct ScalarD : IVectorOps<ScalarD, double, double>
{
    /// <inheritdoc/>
    public static int Count => 1;

    /// <summary>Always <see langword="true"/>: scalar code needs no vector hardware.</summary>
    public static bool IsHardwareAccelerated => true;

    /// <inheritdoc/>
    public static double Zero => 0;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Broadcast(double value) => value;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Indices(nint start) => (double)start;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Load(ref double source, nint index) => Unsafe.Add(ref source, index);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(double value, ref double destination, nint index) => Unsafe.Add(ref destination, index) = value;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Add(double a, double b) => a + b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Sub(double a, double b) => a - b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Mul(double a, double b) => a * b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Div(double a, double b) => a / b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Neg(double a) => -a;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Min(double a, double b) => Math.Min(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Max(double a, double b) => Math.Max(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Abs(double a) => Math.Abs(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Sqrt(double a) => Math.Sqrt(a);

    // ---- IVectorOps: the primitives the shared functions are written with ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)] static double Ops.C(double value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static double Ops.MultiplyAdd(double a, double b, double c) =>
        Vector128.MultiplyAddEstimate(L(a), L(b), L(c)).ToScalar();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static double Ops.FusedMultiplyAdd(double a, double b, double c) =>
        Math.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static double Ops.Select(double mask, double ifTrue, double ifFalse) =>
        Vector128.ConditionalSelect(L(mask), L(ifTrue), L(ifFalse)).ToScalar();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static double Ops.And(double a, double b) => (L(a) & L(b)).ToScalar();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static double Ops.Or(double a, double b) => (L(a) | L(b)).ToScalar();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static double Ops.Not(double a) => (~L(a)).ToScalar();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static double Ops.AndNot(double a, double b) => Vector128.AndNot(L(a), L(b)).ToScalar();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static double Ops.Equal(double a, double b) => Vector128.Equals(L(a), L(b)).ToScalar();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static double Ops.LessThan(double a, double b) => Vector128.LessThan(L(a), L(b)).ToScalar();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static double Ops.LessThanOrEqual(double a, double b) => Vector128.LessThanOrEqual(L(a), L(b)).ToScalar();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static double Ops.GreaterThan(double a, double b) => Vector128.GreaterThan(L(a), L(b)).ToScalar();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static double Ops.GreaterThanOrEqual(double a, double b) => Vector128.GreaterThanOrEqual(L(a), L(b)).ToScalar();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static double Ops.IsNaN(double a) => Vector128.IsNaN(L(a)).ToScalar();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static bool Ops.AnyTrue(double mask) => BitConverter.DoubleToInt64Bits(mask) != 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static double Ops.MinNative(double a, double b) => Vector128.MinNative(L(a), L(b)).ToScalar();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static double Ops.MaxNative(double a, double b) => Vector128.MaxNative(L(a), L(b)).ToScalar();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static double Ops.Floor(double a) => Math.Floor(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static double Ops.Truncate(double a) => Math.Truncate(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] static double Ops.CopySign(double magnitude, double sign) => Math.CopySign(magnitude, sign);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static double Ops.Pow2FromShifted(double shifted, int bias) =>
        BitConverter.UInt64BitsToDouble((BitConverter.DoubleToUInt64Bits(shifted) + (ulong)(1023 + bias)) << 52);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static double Ops.NotPositiveNormal(double x) =>
        Vector128.GreaterThanOrEqual(L(x).AsUInt64() - Vector128.Create(0x0010000000000000ul), Vector128.Create(0x7FF0000000000000ul - 0x0010000000000000ul)).AsDouble().ToScalar();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static double Ops.SplitExponent(double x, out double m)
    {
        // The bits of Simd128D.SplitExponent on one lane.
        ulong t = BitConverter.DoubleToUInt64Bits(x) + (0x3FF0000000000000ul - 0x3FE6A09E667F3BCDul);
        m = BitConverter.UInt64BitsToDouble((t & 0x000FFFFFFFFFFFFFul) + 0x3FE6A09E667F3BCDul);
        return BitConverter.UInt64BitsToDouble((t >> 52) | 0x4330000000000000ul) - (4503599627370496.0 + 1023.0);
    }

    /// <summary>The lane as lane 0 of a vector (the other lanes are undefined and never read).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> L(double a) => Vector128.CreateScalarUnsafe(a);
}
