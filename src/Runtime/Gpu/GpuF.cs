using ILGPU.Algorithms;

namespace KernelDsl.Runtime.Gpu;

/// <summary>
/// The float math generated GPU kernels call, one function per op of the language with the same name and conventions
/// as <see cref="ISimd{TVec, T}"/> (scipy's at special values). Plain scalar code over ILGPU's XMath intrinsics, so ILGPU
/// compiles it for CUDA, OpenCL and its CPU accelerator.
/// </summary>
public static class GpuF
{
#pragma warning disable CS1591 // one-line math, named as the ops of the language (README: Pointwise functions)
    public static float Add(float a, float b) => a + b;
    public static float Sub(float a, float b) => a - b;
    public static float Mul(float a, float b) => a * b;
    public static float Div(float a, float b) => a / b;
    public static float Neg(float a) => -a;
    public static float Sq(float a) => a * a;
    public static float Min(float a, float b) => float.IsNaN(a) || float.IsNaN(b) ? float.NaN : XMath.Min(a, b);
    public static float Max(float a, float b) => float.IsNaN(a) || float.IsNaN(b) ? float.NaN : XMath.Max(a, b);
    public static float Abs(float a) => XMath.Abs(a);
    public static float Sign(float a) => a > 0 ? 1f : a < 0 ? -1f : a;
    public static float Sqrt(float a) => XMath.Sqrt(a);
    public static float Log(float a) => XMath.Log(a);
    public static float Exp(float a) => XMath.Exp(a);
    public static float IsEqual(float a, float b) => a == b ? 1f : 0f;
    public static float SelectEq(float a, float b, float v) => a == b ? v : 0f;

    /// <summary>log(1 + x), accurate near 0: log(u) · x / (u - 1) with u = 1 + x.</summary>
    public static float Log1p(float x)
    {
        float u = 1f + x;
        if (u == 1f) return x;
        if (float.IsInfinity(u) || u <= 0) return XMath.Log(u);
        return XMath.Log(u) * (x / (u - 1f));
    }

    /// <summary>e^x - 1, accurate near 0: (u - 1) · x / log(u) with u = e^x.</summary>
    public static float Expm1(float x)
    {
        if (XMath.Abs(x) >= 0.5f) return XMath.Exp(x) - 1f;
        float u = XMath.Exp(x);
        if (u == 1f) return x;
        return (u - 1f) * x / XMath.Log(u);
    }

    /// <summary>C's pow, with exact integer powers of negative bases.</summary>
    public static float Pow(float x, float y) => XMath.Pow(x, y);

    /// <summary>x^n by binary powering (exact sign for negative x; n &lt; 0 is 1 / x^|n|).</summary>
    public static float PowInt(float x, int n)
    {
        int m = n < 0 ? -n : n;
        float result = 1f, b = x;
        while (m > 0)
        {
            if ((m & 1) != 0) result *= b;
            b *= b;
            m >>= 1;
        }
        return n < 0 ? 1f / result : result;
    }

    /// <summary>x / y, 0 where x = 0 and y is not NaN.</summary>
    public static float Xdivy(float x, float y) => x == 0 && !float.IsNaN(y) ? 0f : x / y;

    /// <summary>xlogy from its unguarded value u = x log y.</summary>
    public static float Xlogy(float x, float y, float u) => x == 0 && !float.IsNaN(y) ? 0f : u;

    /// <summary>xlog1py from its unguarded value u = x log1p y.</summary>
    public static float Xlog1py(float x, float y, float u) => x == 0 && !float.IsNaN(y) ? 0f : u;

    /// <summary>rel_entr from its unguarded value u = x log(x / y), with scipy's conventions.</summary>
    public static float RelEntr(float x, float y, float u)
    {
        if (float.IsNaN(x) || float.IsNaN(y)) return float.NaN;
        if (x > 0 && y > 0) return u;
        if (x == 0 && y >= 0) return 0f;
        return float.PositiveInfinity;
    }

    public static float Softplus(float x) => XMath.Max(x, 0f) + Log1p(XMath.Exp(-XMath.Abs(x)));
    public static float LogSigmoid(float x) => XMath.Min(x, 0f) - Log1p(XMath.Exp(-XMath.Abs(x)));

    public static float Sigmoid(float x)
    {
        float z = XMath.Exp(-XMath.Abs(x));
        return (x >= 0 ? 1f : z) / (1f + z);
    }

    public static float Tanh(float x)
    {
        float t = Expm1(-2f * XMath.Abs(x));
        float r = -t / (2f + t);
        return x < 0 ? -r : r;
    }

    public static float Sinh(float x) => 0.5f * (Expm1(x) - Expm1(-x));
    public static float Step(float a, float b) => 0.5f * (1f + Sign(b - a));

    public static float Cosh(float x)
    {
        float h = 0.5f * XMath.Exp(XMath.Abs(x));
        return h + 0.25f / h;
    }
#pragma warning restore CS1591
}

/// <summary>The double accumulators of the GPU kernels: NaN-propagating max/min and an online logsumexp step.</summary>
public static class GpuD
{
    /// <summary>max that propagates NaN.</summary>
    public static double Max(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : XMath.Max(a, b);

    /// <summary>min that propagates NaN.</summary>
    public static double Min(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : XMath.Min(a, b);

    /// <summary>One element of an online logsumexp: (max, sum of e^(x - max)); -inf contributes nothing, NaN propagates.</summary>
    public static void LseStep(ref double max, ref double sum, double x)
    {
        if (double.IsNaN(x)) { max = double.NaN; sum = double.NaN; return; }
        if (double.IsNegativeInfinity(x)) return;
        if (x > max) { sum = sum * XMath.Exp(max - x) + 1.0; max = x; }
        else if (x == max) sum += 1.0;
        else sum += XMath.Exp(x - max);
    }
}
