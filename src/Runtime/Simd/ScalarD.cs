using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace KernelDsl.Runtime;

/// <summary>
/// One double lane: the scalar tail of generated loops and the scalar epilogue. The elementwise functions evaluate the
/// <see cref="Simd128D"/> kernels on a broadcast value, so a tail element gets bit for bit the result it would get inside
/// a vector, whatever the length of the array; the arithmetic operators are the plain scalar ones.
/// </summary>
[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]
public readonly struct ScalarD : ISimd<double, double>
{
    /// <inheritdoc/>
    public static int Count => 1;

    /// <summary>Always <see langword="true"/>: scalar code needs no vector hardware.</summary>
    public static bool IsHardwareAccelerated => true;

    /// <inheritdoc/>
    public static double Zero => 0;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Broadcast(double value) => value;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Indices(nint start) => (double)start;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Load(ref double source, nint index) => Unsafe.Add(ref source, index);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(double value, ref double destination, nint index) => Unsafe.Add(ref destination, index) = value;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Add(double a, double b) => a + b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sub(double a, double b) => a - b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Mul(double a, double b) => a * b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Div(double a, double b) => a / b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Neg(double a) => -a;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Min(double a, double b) => Math.Min(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Max(double a, double b) => Math.Max(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Abs(double a) => Math.Abs(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sign(double a) => Math.Abs(a) > 0 ? Math.CopySign(1, a) : a;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sqrt(double a) => Math.Sqrt(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sq(double a) => a * a;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Log(double a) => Simd128D.Log(Vector128.Create(a)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Exp(double a) => Simd128D.Exp(Vector128.Create(a)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Log1p(double a) => Simd128D.Log1p(Vector128.Create(a)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Expm1(double a) => Simd128D.Expm1(Vector128.Create(a)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Pow(double x, double y) => Simd128D.Pow(Vector128.Create(x), Vector128.Create(y)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double PowInt(double x, int n) => Simd128D.PowInt(Vector128.Create(x), n).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Xlogy(double x, double y) => Simd128D.Xlogy(Vector128.Create(x), Vector128.Create(y)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Xlog1py(double x, double y) => Simd128D.Xlog1py(Vector128.Create(x), Vector128.Create(y)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Xdivy(double x, double y) => Simd128D.Xdivy(Vector128.Create(x), Vector128.Create(y)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double RelEntr(double x, double y) => Simd128D.RelEntr(Vector128.Create(x), Vector128.Create(y)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Xlogy(double x, double y, double u) => Simd128D.Xlogy(Vector128.Create(x), Vector128.Create(y), Vector128.Create(u)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Xlog1py(double x, double y, double u) => Simd128D.Xlog1py(Vector128.Create(x), Vector128.Create(y), Vector128.Create(u)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double RelEntr(double x, double y, double u) => Simd128D.RelEntr(Vector128.Create(x), Vector128.Create(y), Vector128.Create(u)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Softplus(double a) => Simd128D.Softplus(Vector128.Create(a)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sigmoid(double a) => Simd128D.Sigmoid(Vector128.Create(a)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double LogSigmoid(double a) => Simd128D.LogSigmoid(Vector128.Create(a)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Tanh(double a) => Simd128D.Tanh(Vector128.Create(a)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Cosh(double a) => Simd128D.Cosh(Vector128.Create(a)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sinh(double a) => Simd128D.Sinh(Vector128.Create(a)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Step(double a, double b) => Simd128D.Step(Vector128.Create(a), Vector128.Create(b)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double IsEqual(double a, double b) => a == b ? 1 : 0;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SelectEq(double a, double b, double v) => a == b ? v : 0;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumToDouble(double v) => v;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double MaxAcross(double v) => v;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double MinAcross(double v) => v;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LseAccumulate(ref double max, ref double sum, double x)
    {
        Vector128<double> m = Vector128.Create(max);
        Vector128<double> s = Vector128.Create(sum);
        Simd128D.LseAccumulate(ref m, ref s, Vector128.Create(x));
        max = m.ToScalar();
        sum = s.ToScalar();
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LseCombine(double max, double sum, ref double accMax, ref double accSum) =>
        LogSumExp.Combine(ref accMax, ref accSum, max, sum);
}
