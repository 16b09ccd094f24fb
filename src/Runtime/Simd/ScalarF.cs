using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace KernelDsl.Runtime;

/// <summary>
/// One float lane: the scalar tail of generated loops and the scalar epilogue. The elementwise functions evaluate the
/// <see cref="Simd128F"/> kernels on a broadcast value, so a tail element gets bit for bit the result it would get inside
/// a vector, whatever the length of the array; the arithmetic operators are the plain scalar ones.
/// </summary>
[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]
public readonly struct ScalarF : ISimd<float, float>, ILowPrecisionStorage<float>
{
    /// <inheritdoc/>
    public static int Count => 1;

    /// <summary>Always <see langword="true"/>: scalar code needs no vector hardware.</summary>
    public static bool IsHardwareAccelerated => true;

    /// <inheritdoc/>
    public static float Zero => 0;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Broadcast(float value) => value;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Indices(nint start) => (float)start;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(ref float source, nint index) => Unsafe.Add(ref source, index);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float value, ref float destination, nint index) => Unsafe.Add(ref destination, index) = value;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Add(float a, float b) => a + b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sub(float a, float b) => a - b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Mul(float a, float b) => a * b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Div(float a, float b) => a / b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Neg(float a) => -a;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Min(float a, float b) => Math.Min(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Max(float a, float b) => Math.Max(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Abs(float a) => Math.Abs(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sign(float a) => Math.Abs(a) > 0 ? MathF.CopySign(1, a) : a;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sqrt(float a) => MathF.Sqrt(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sq(float a) => a * a;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Log(float a) => Simd128F.Log(Vector128.Create(a)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Exp(float a) => Simd128F.Exp(Vector128.Create(a)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Log1p(float a) => Simd128F.Log1p(Vector128.Create(a)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Expm1(float a) => Simd128F.Expm1(Vector128.Create(a)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Pow(float x, float y) => Simd128F.Pow(Vector128.Create(x), Vector128.Create(y)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float PowInt(float x, int n) => Simd128F.PowInt(Vector128.Create(x), n).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Xlogy(float x, float y) => Simd128F.Xlogy(Vector128.Create(x), Vector128.Create(y)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Xlog1py(float x, float y) => Simd128F.Xlog1py(Vector128.Create(x), Vector128.Create(y)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Xdivy(float x, float y) => Simd128F.Xdivy(Vector128.Create(x), Vector128.Create(y)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float RelEntr(float x, float y) => Simd128F.RelEntr(Vector128.Create(x), Vector128.Create(y)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Xlogy(float x, float y, float u) => Simd128F.Xlogy(Vector128.Create(x), Vector128.Create(y), Vector128.Create(u)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Xlog1py(float x, float y, float u) => Simd128F.Xlog1py(Vector128.Create(x), Vector128.Create(y), Vector128.Create(u)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float RelEntr(float x, float y, float u) => Simd128F.RelEntr(Vector128.Create(x), Vector128.Create(y), Vector128.Create(u)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Softplus(float a) => Simd128F.Softplus(Vector128.Create(a)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float a) => Simd128F.Sigmoid(Vector128.Create(a)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LogSigmoid(float a) => Simd128F.LogSigmoid(Vector128.Create(a)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Tanh(float a) => Simd128F.Tanh(Vector128.Create(a)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Cosh(float a) => Simd128F.Cosh(Vector128.Create(a)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sinh(float a) => Simd128F.Sinh(Vector128.Create(a)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Step(float a, float b) => Simd128F.Step(Vector128.Create(a), Vector128.Create(b)).ToScalar();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float IsEqual(float a, float b) => a == b ? 1 : 0;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SelectEq(float a, float b, float v) => a == b ? v : 0;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumToDouble(float v) => v;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(float v) => v;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MinAcross(float v) => v;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LseAccumulate(ref float max, ref float sum, float x)
    {
        Vector128<float> m = Vector128.Create(max);
        Vector128<float> s = Vector128.Create(sum);
        Simd128F.LseAccumulate(ref m, ref s, Vector128.Create(x));
        max = m.ToScalar();
        sum = s.ToScalar();
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LseCombine(float max, float sum, ref double accMax, ref double accSum) =>
        LogSumExp.Combine(ref accMax, ref accSum, max, sum);

    // ---- ILowPrecisionStorage: the scalar conversions, which give the same bits as the vector widths ----

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LoadHalf(ref Half source, nint index) => (float)Unsafe.Add(ref source, index);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreHalf(float value, ref Half destination, nint index) => Unsafe.Add(ref destination, index) = (Half)value;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LoadBFloat16(ref ushort source, nint index) => BFloat16.ToSingle(Unsafe.Add(ref source, index));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreBFloat16(float value, ref ushort destination, nint index) => Unsafe.Add(ref destination, index) = BFloat16.FromSingle(value);
}
