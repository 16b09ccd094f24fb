using System.Numerics;
using KernelDsl.Runtime.Gpu;
using KernelDsl.Runtime.Tests.Pairs;

namespace KernelDsl.Runtime.Tests.Gpu.Pairs;

/// <summary>sqrt(|x - y|² + δ) on the GPU: a cost with a nonlinear slope (constant 0 is δ).</summary>
public readonly struct GpuRootCost<T> : IGpuPairTerm<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly GpuPairConstants<T> _c;

    public GpuRootCost(double delta) => _c.C0 = T.CreateTruncating(delta);

    public static PairFeature Feature => PairFeature.SquaredDistance;

    public GpuPairConstants<T> Constants => _c;

    public static T Value(GpuPairConstants<T> c, T feature) => T.Sqrt(feature + c.C0);

    public static T ValueAndSlope(GpuPairConstants<T> c, T feature, out T slope)
    {
        T r = T.Sqrt(feature + c.C0);
        slope = T.One / (r + r);
        return r;
    }
}

/// <summary>-x·y on the GPU: the dot feature, costs of both signs.</summary>
public readonly struct GpuNegativeDotCost<T> : IGpuPairTerm<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static PairFeature Feature => PairFeature.Dot;

    public GpuPairConstants<T> Constants => default;

    public static T Value(GpuPairConstants<T> c, T feature) => -feature;

    public static T ValueAndSlope(GpuPairConstants<T> c, T feature, out T slope)
    {
        slope = -T.One;
        return -feature;
    }
}

/// <summary>The CPU twin of <see cref="GpuRootCost{T}"/> as a softmin exponent: φ = sqrt(f + δ) · (-1/ε).</summary>
internal readonly struct RootExponentTerm<T> : IPairTerm<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _delta, _minusInvEps;

    public RootExponentTerm(double delta, double eps) => (_delta, _minusInvEps) = (T.CreateTruncating(delta), T.CreateTruncating(-1 / eps));

    public static PairFeature Feature => PairFeature.SquaredDistance;

    public TVec Value<TVec, V>(TVec feature) where TVec : struct where V : struct, ISimd<TVec, T> =>
        V.Mul(V.Sqrt(V.Add(feature, V.Broadcast(_delta))), V.Broadcast(_minusInvEps));

    public TVec ValueAndSlope<TVec, V>(TVec feature, out TVec slope) where TVec : struct where V : struct, ISimd<TVec, T>
    {
        TVec r = V.Sqrt(V.Add(feature, V.Broadcast(_delta)));
        slope = V.Mul(V.Div(V.Broadcast(T.One), V.Add(r, r)), V.Broadcast(_minusInvEps));
        return V.Mul(r, V.Broadcast(_minusInvEps));
    }
}

/// <summary>The CPU twin of <see cref="GpuNegativeDotCost{T}"/> as a softmin exponent: φ = (-f) · (-1/ε).</summary>
internal readonly struct DotExponentTerm<T> : IPairTerm<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _minusInvEps;

    public DotExponentTerm(double eps) => _minusInvEps = T.CreateTruncating(-1 / eps);

    public static PairFeature Feature => PairFeature.Dot;

    public TVec Value<TVec, V>(TVec feature) where TVec : struct where V : struct, ISimd<TVec, T> => V.Mul(V.Neg(feature), V.Broadcast(_minusInvEps));

    public TVec ValueAndSlope<TVec, V>(TVec feature, out TVec slope) where TVec : struct where V : struct, ISimd<TVec, T>
    {
        slope = V.Neg(V.Broadcast(_minusInvEps));
        return V.Mul(V.Neg(feature), V.Broadcast(_minusInvEps));
    }
}

/// <summary>
/// Runs one softmin sweep for a <see cref="SoftminCost"/> on the CPU (<c>PairSweep.RowLogSumExpWithGradient</c> with the
/// exponent's term: |x - y|²/2 is <c>NegativeCostTerm(2ε)</c>, exactly the GPU's c · (-1/ε) since the factors are powers
/// of two apart) or on the GPU (<see cref="GpuSoftmin"/>'s span overloads, which run its view overloads).
/// </summary>
internal static class GpuSoftminCosts
{
    public static double Cost(SoftminCost cost, double f) => cost switch
    {
        SoftminCost.HalfSquared => f / 2,
        SoftminCost.Root => Math.Sqrt(f + GpuSoftminTests.Delta),
        _ => -f,
    };

    public static void CpuSweep(SoftminCost cost, double delta, double eps, double[] x, double[] y, double[]? h, int d, double scale, double[] payload, int p, Rows<double> into)
    {
        switch (cost)
        {
            case SoftminCost.HalfSquared: PairSweep.RowLogSumExpWithGradient(new NegativeCostTerm<double>(2 * eps), x, y, h, d, into.L, scale, into.G, payload, p, into.Q); break;
            case SoftminCost.Root: PairSweep.RowLogSumExpWithGradient(new RootExponentTerm<double>(delta, eps), x, y, h, d, into.L, scale, into.G, payload, p, into.Q); break;
            default: PairSweep.RowLogSumExpWithGradient(new DotExponentTerm<double>(eps), x, y, h, d, into.L, scale, into.G, payload, p, into.Q); break;
        }
    }

    public static void CpuSweep(SoftminCost cost, double delta, double eps, float[] x, float[] y, float[]? h, int d, double scale, float[] payload, int p, Rows<float> into)
    {
        switch (cost)
        {
            case SoftminCost.HalfSquared: PairSweep.RowLogSumExpWithGradient(new NegativeCostTerm<float>(2 * eps), x, y, h, d, into.L, scale, into.G, payload, p, into.Q); break;
            case SoftminCost.Root: PairSweep.RowLogSumExpWithGradient(new RootExponentTerm<float>(delta, eps), x, y, h, d, into.L, scale, into.G, payload, p, into.Q); break;
            default: PairSweep.RowLogSumExpWithGradient(new DotExponentTerm<float>(eps), x, y, h, d, into.L, scale, into.G, payload, p, into.Q); break;
        }
    }

    public static void GpuSweep(KernelDevice device, SoftminCost cost, double delta, double eps, double[] x, double[] y, double[]? h, int d, double scale, double[] payload, int p, Rows<double> into)
    {
        switch (cost)
        {
            case SoftminCost.HalfSquared: GpuSoftmin.RowLogSumExpWithGradient(device, new GpuHalfSquaredCost<double>(), x, y, h, d, eps, into.L, scale, into.G, payload, p, into.Q); break;
            case SoftminCost.Root: GpuSoftmin.RowLogSumExpWithGradient(device, new GpuRootCost<double>(delta), x, y, h, d, eps, into.L, scale, into.G, payload, p, into.Q); break;
            default: GpuSoftmin.RowLogSumExpWithGradient(device, new GpuNegativeDotCost<double>(), x, y, h, d, eps, into.L, scale, into.G, payload, p, into.Q); break;
        }
    }

    public static void GpuSweep(KernelDevice device, SoftminCost cost, double delta, double eps, float[] x, float[] y, float[]? h, int d, double scale, float[] payload, int p, Rows<float> into)
    {
        switch (cost)
        {
            case SoftminCost.HalfSquared: GpuSoftmin.RowLogSumExpWithGradient(device, new GpuHalfSquaredCost<float>(), x, y, h, d, eps, into.L, scale, into.G, payload, p, into.Q); break;
            case SoftminCost.Root: GpuSoftmin.RowLogSumExpWithGradient(device, new GpuRootCost<float>(delta), x, y, h, d, eps, into.L, scale, into.G, payload, p, into.Q); break;
            default: GpuSoftmin.RowLogSumExpWithGradient(device, new GpuNegativeDotCost<float>(), x, y, h, d, eps, into.L, scale, into.G, payload, p, into.Q); break;
        }
    }

    public static void GpuValue(KernelDevice device, SoftminCost cost, double delta, double eps, double[] x, double[] y, double[]? h, int d, double[] lse)
    {
        switch (cost)
        {
            case SoftminCost.HalfSquared: GpuSoftmin.RowLogSumExp(device, new GpuHalfSquaredCost<double>(), x, y, h, d, eps, lse); break;
            case SoftminCost.Root: GpuSoftmin.RowLogSumExp(device, new GpuRootCost<double>(delta), x, y, h, d, eps, lse); break;
            default: GpuSoftmin.RowLogSumExp(device, new GpuNegativeDotCost<double>(), x, y, h, d, eps, lse); break;
        }
    }

    public static void GpuPayload(KernelDevice device, SoftminCost cost, double delta, double eps, double[] x, double[] y, double[]? h, int d, double[] payload, int p, double[] lse, double[] bary)
    {
        switch (cost)
        {
            case SoftminCost.HalfSquared: GpuSoftmin.RowLogSumExpWithPayload(device, new GpuHalfSquaredCost<double>(), x, y, h, d, eps, lse, payload, p, bary); break;
            case SoftminCost.Root: GpuSoftmin.RowLogSumExpWithPayload(device, new GpuRootCost<double>(delta), x, y, h, d, eps, lse, payload, p, bary); break;
            default: GpuSoftmin.RowLogSumExpWithPayload(device, new GpuNegativeDotCost<double>(), x, y, h, d, eps, lse, payload, p, bary); break;
        }
    }
}
