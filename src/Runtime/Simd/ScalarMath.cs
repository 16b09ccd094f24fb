using System.Runtime.CompilerServices;

namespace KernelDsl.Runtime;

/// <summary>
/// The functions of <see cref="ISimd{TVec, T}"/> by name, on one double: what generated prologues and epilogues call
/// (<c>ScalarMath&lt;ScalarD&gt;.Log(s)</c>), outside any generic context where they could write <c>V.Log</c>. Each
/// member is the shared function of the width <typeparamref name="V"/>, so the epilogue computes exactly what the scalar
/// tail computes.
/// </summary>
/// <typeparam name="V">The scalar width, <see cref="ScalarD"/>.</typeparam>
[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]
public static class ScalarMath<V>
    where V : struct, ISimd<double, double>
{
#pragma warning disable CS1591 // each member is the ISimd member of the same name (see there)
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Min(double a, double b) => V.Min(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Max(double a, double b) => V.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Abs(double a) => V.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Sign(double a) => V.Sign(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Sqrt(double a) => V.Sqrt(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Sq(double a) => V.Sq(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Log(double a) => V.Log(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Exp(double a) => V.Exp(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Log1p(double a) => V.Log1p(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Expm1(double a) => V.Expm1(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Pow(double x, double y) => V.Pow(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double PowMul(double x, double a, double y, double b) => V.PowMul(x, a, y, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double PowInt(double x, int n) => V.PowInt(x, n);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Xlogy(double x, double y) => V.Xlogy(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Xlog1py(double x, double y) => V.Xlog1py(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Xdivy(double x, double y) => V.Xdivy(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double RelEntr(double x, double y) => V.RelEntr(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Xlogy(double x, double y, double u) => V.Xlogy(x, y, u);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Xlog1py(double x, double y, double u) => V.Xlog1py(x, y, u);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double RelEntr(double x, double y, double u) => V.RelEntr(x, y, u);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Softplus(double a) => V.Softplus(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Sigmoid(double a) => V.Sigmoid(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double LogSigmoid(double a) => V.LogSigmoid(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Tanh(double a) => V.Tanh(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Cosh(double a) => V.Cosh(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Sinh(double a) => V.Sinh(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Step(double a, double b) => V.Step(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double IsEqual(double a, double b) => V.IsEqual(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double SelectEq(double a, double b, double v) => V.SelectEq(a, b, v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double SelectPositive(double x, double v) => V.SelectPositive(x, v);
#pragma warning restore CS1591
}
