using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using KernelDsl.Runtime;

namespace KernelDsl.Bench;

/// <summary>
/// Gaussian MMD² (biased), value and value + grad_x, float, x and y of n = m = N points of D features (normal, y shifted by
/// 0.5; σ = 1 at D = 3, √D above). In the same run: the catalogue's generated GaussianMmd2 (Generated_*), the same engine calls written by hand (HandWritten_*: GaussianMmd), a naive loop in
/// double precision (three full loops over the pairs with Math.Exp; NaiveFloat_Value: the same loop in float with MathF.Exp), a TensorPrimitives formulation (per row: blocked dot products
/// x_i·y_j, then |x_i|² + |y_j|² - 2 x_i·y_j, scale, Exp and Sum over the row as whole-vector operations) and a measured
/// FMA ceiling (Roofline_Fma: the FMA-only loop with as many flops as the sweep's pairs need, see <see cref="FlopsPerPair"/>).
/// </summary>
/// <remarks>
/// Pairs: the sweep evaluates each distinct pair once for the value, n(n-1)/2 + m(m-1)/2 + nm (i &lt; j for the self terms),
/// and n(n + m) + m(m-1)/2 with the gradient (the x rows meet every x and y point, so that each row owns its gradient).
/// The naive loop and TensorPrimitives evaluate n² + m² + nm pairs. Pairs per second below are the sweep's distinct pairs
/// (value) over its time. --interleaved reads the sizes from PAIRS_N and PAIRS_D (default 4096 and 3), since it does not
/// set BenchmarkDotNet parameters.
/// </remarks>
public unsafe class PairsMmd
{
    [Params(4096, 65536)]
    public int N = 4096;

    [Params(3, 64)]
    public int D = 3;

    [ParamsSource(nameof(ThreadCounts))]
    public int Threads = 1;

    public static IEnumerable<int> ThreadCounts => new[] { 1, Environment.ProcessorCount }.Distinct();

    private double[] _xd = null!, _yd = null!, _gd = null!;
    private float[] _x = null!, _y = null!, _g = null!, _xt = null!, _yt = null!, _row = null!, _nx = null!, _ny = null!;
    private double _sigma;

    /// <summary>
    /// Flops per pair of the value at d features, FMA = 2: the squared distance 3d (sub, FMA), the scale 1, the exponential
    /// 22 (reduction 7: FMA, sub, 2 FMA; polynomial 13: 6 FMA, mul; 2^n scaling FMA 2; clamps, the range test and the NaN
    /// select are not counted), the weighted accumulation 2. d = 3: 34; d = 64: 217.
    /// </summary>
    public static int FlopsPerPair(int d) => 3 * d + 1 + 22 + 2;

    /// <summary>Distinct pairs the sweep evaluates for the value.</summary>
    public double Pairs => (double)N * (N - 1) / 2 * 2 + (double)N * N;

    [GlobalSetup]
    public void Setup()
    {
        if (Environment.GetEnvironmentVariable("PAIRS_N") is { } n) N = int.Parse(n);
        if (Environment.GetEnvironmentVariable("PAIRS_D") is { } d) D = int.Parse(d);
        KernelSettings.MaxDegreeOfParallelism = Threads;
        var rng = new Random(Data.Seed);
        float Normal() => (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
        _x = new float[N * D];
        _y = new float[N * D];
        for (int i = 0; i < _x.Length; i++) _x[i] = Normal();
        for (int i = 0; i < _y.Length; i++) _y[i] = Normal() + 0.5f;
        _g = new float[N * D];
        _xd = Array.ConvertAll(_x, v => (double)v);
        _yd = Array.ConvertAll(_y, v => (double)v);
        _gd = new double[N * D];
        _sigma = D <= 3 ? 1.0 : Math.Sqrt(D);
        _xt = Transpose(_x);
        _yt = Transpose(_y);
        _row = new float[N];
        _nx = Norms(_x);
        _ny = Norms(_y);
    }

    [GlobalCleanup]
    public void Cleanup() => KernelSettings.MaxDegreeOfParallelism = Environment.ProcessorCount;

    private float[] Transpose(float[] p)
    {
        var t = new float[p.Length];
        for (int i = 0; i < N; i++)
        for (int k = 0; k < D; k++) t[k * N + i] = p[i * D + k];
        return t;
    }

    private float[] Norms(float[] p)
    {
        var s = new float[N];
        for (int i = 0; i < N; i++) s[i] = TensorPrimitives.Dot(new ReadOnlySpan<float>(p, i * D, D), new ReadOnlySpan<float>(p, i * D, D));
        return s;
    }

    /// <summary>The catalogue's GaussianMmd2, generated from its one-line formula (three sweeps of the pair engine).</summary>
    [Benchmark(Baseline = true)]
    public double Generated_Value() => KernelDsl.Catalogue.GaussianMmd2.Value(_x, _y, D, (float)_sigma);

    /// <summary>The generated value and gradient in x (dy skipped: one fused x sweep, then y against itself).</summary>
    [Benchmark]
    public double Generated_ValueGradX() => KernelDsl.Catalogue.GaussianMmd2.ValueAndGradient(_x, _y, D, _g, Span<float>.Empty, (float)_sigma);

    /// <summary>The same sweeps called by hand (the engine's own Gaussian instantiation): what the generated code should match.</summary>
    [Benchmark]
    public double HandWritten_Value() => GaussianMmd.Value(_x, _y, D, _sigma, MmdEstimator.Biased);

    /// <summary>The hand-written value and gradient in x.</summary>
    [Benchmark]
    public double HandWritten_ValueGradX() => GaussianMmd.ValueAndGradient(_x, _y, D, _sigma, MmdEstimator.Biased, _g);

    [Benchmark, SingleThreadOnly]
    public double Naive_Value()
    {
        double c = -0.5 / (_sigma * _sigma), inv = 1.0 / ((double)N * N);
        return (NaiveSum(_xd, _xd, c) + NaiveSum(_yd, _yd, c) - 2 * NaiveSum(_xd, _yd, c)) * inv;
    }

    /// <summary>Σ_ij exp(c |a_i - b_j|²) in double: the plain triple loop over i, j and k, with Math.Exp.</summary>
    private double NaiveSum(double[] a, double[] b, double c)
    {
        double s = 0;
        for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
        {
            double r = 0;
            for (int k = 0; k < D; k++) { double e = a[i * D + k] - b[j * D + k]; r += e * e; }
            s += Math.Exp(c * r);
        }
        return s;
    }

    /// <summary>The naive loop in float with MathF.Exp (the sums in double): the same loop at the sweep's precision.</summary>
    [Benchmark, SingleThreadOnly]
    public double NaiveFloat_Value()
    {
        float c = (float)(-0.5 / (_sigma * _sigma));
        return (NaiveSumFloat(_x, _x, c) + NaiveSumFloat(_y, _y, c) - 2 * NaiveSumFloat(_x, _y, c)) / ((double)N * N);
    }

    private double NaiveSumFloat(float[] a, float[] b, float c)
    {
        double s = 0;
        for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
        {
            float r = 0;
            for (int k = 0; k < D; k++) { float e = a[i * D + k] - b[j * D + k]; r += e * e; }
            s += MathF.Exp(c * r);
        }
        return s;
    }

    [Benchmark, SingleThreadOnly]
    public double Naive_ValueGradX()
    {
        double c = -0.5 / (_sigma * _sigma), inv = 1.0 / ((double)N * N);
        Array.Clear(_gd);
        double xx = NaiveSumGrad(_xd, _xd, c, 2 * 2 * c * inv), xy = NaiveSumGrad(_xd, _yd, c, -2 * 2 * c * inv);
        return (xx + NaiveSum(_yd, _yd, c) - 2 * xy) * inv;
    }

    private double NaiveSumGrad(double[] a, double[] b, double c, double coef)
    {
        double s = 0;
        Span<double> gi = stackalloc double[D];
        for (int i = 0; i < N; i++)
        {
            gi.Clear();
            for (int j = 0; j < N; j++)
            {
                double r = 0;
                for (int k = 0; k < D; k++) { double e = a[i * D + k] - b[j * D + k]; r += e * e; }
                double kv = Math.Exp(c * r);
                s += kv;
                for (int k = 0; k < D; k++) gi[k] += kv * (a[i * D + k] - b[j * D + k]);
            }
            for (int k = 0; k < D; k++) _gd[i * D + k] += coef * gi[k];
        }
        return s;
    }

    [Benchmark, SingleThreadOnly]
    public double TensorPrimitives_Value()
    {
        float c = (float)(-0.5 / (_sigma * _sigma));
        double inv = 1.0 / ((double)N * N);
        return (TpSum(_x, _nx, _x, _nx, c, null, 0) + TpSum(_y, _ny, _y, _ny, c, null, 0) - 2 * TpSum(_x, _nx, _y, _ny, c, null, 0)) * inv;
    }

    [Benchmark, SingleThreadOnly]
    public double TensorPrimitives_ValueGradX()
    {
        float c = (float)(-0.5 / (_sigma * _sigma));
        double inv = 1.0 / ((double)N * N);
        Array.Clear(_g);
        double xx = TpSum(_x, _nx, _x, _nx, c, _xt, (float)(2 * 2 * c * inv));
        double xy = TpSum(_x, _nx, _y, _ny, c, _yt, (float)(-2 * 2 * c * inv));
        return (xx + TpSum(_y, _ny, _y, _ny, c, null, 0) - 2 * xy) * inv;
    }

    /// <summary>Σ_ij exp(c |a_i - b_j|²), per row with whole-row TensorPrimitives calls; with bt (b transposed), also adds
    /// coef · Σ_j k_ij (a_i - b_j) to the gradient rows.</summary>
    private double TpSum(float[] a, float[] na, float[] b, float[] nb, float c, float[]? bt, float coef)
    {
        double s = 0;
        var row = _row.AsSpan();
        for (int i = 0; i < N; i++)
        {
            var ai = new ReadOnlySpan<float>(a, i * D, D);
            for (int j = 0; j < N; j++) row[j] = TensorPrimitives.Dot(ai, new ReadOnlySpan<float>(b, j * D, D)); // blocked dot products
            TensorPrimitives.MultiplyAdd(row, -2f, nb, row);   // |b_j|² - 2 a_i·b_j
            TensorPrimitives.Add(row, na[i], row);              // + |a_i|²
            TensorPrimitives.Max(row, 0f, row);                 // rounding can make it slightly negative
            TensorPrimitives.Multiply(row, c, row);
            TensorPrimitives.Exp(row, row);
            float ks = TensorPrimitives.Sum(row);
            s += ks;
            if (bt != null)
                for (int k = 0; k < D; k++)
                    _g[i * D + k] += coef * (ks * a[i * D + k] - TensorPrimitives.Dot(row, new ReadOnlySpan<float>(bt, k * N, N)));
        }
        return s;
    }

    /// <summary>
    /// The FMA ceiling for the value: Pairs · FlopsPerPair(D) flops as Vector512 FMAs on 8 independent chains (Vector256
    /// where 512 is not accelerated), over the same threads as the sweep. Nothing else: no loads, no exponential's
    /// non-arithmetic steps. Its time is the roofline time of Generated_Value.
    /// </summary>
    [Benchmark]
    public float Roofline_Fma()
    {
        double fmas = Pairs * FlopsPerPair(D) / 2.0;
        int lanes = Vector512.IsHardwareAccelerated ? 16 : 8;
        long iterations = (long)(fmas / lanes / 8);
        int parts = Math.Max(1, Threads);
        float[] partial = new float[parts];
        if (parts == 1) partial[0] = FmaChains(iterations);
        else Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, p => partial[p] = FmaChains(iterations / parts));
        return partial.Sum();
    }

    internal static float FmaChains(long iterations)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            var m = Vector512.Create(0.999f);
            var b = Vector512.Create(1e-3f);
            Vector512<float> a0 = m, a1 = m, a2 = m, a3 = m, a4 = m, a5 = m, a6 = m, a7 = m;
            for (long i = 0; i < iterations; i++)
            {
                a0 = Vector512.FusedMultiplyAdd(a0, m, b); a1 = Vector512.FusedMultiplyAdd(a1, m, b);
                a2 = Vector512.FusedMultiplyAdd(a2, m, b); a3 = Vector512.FusedMultiplyAdd(a3, m, b);
                a4 = Vector512.FusedMultiplyAdd(a4, m, b); a5 = Vector512.FusedMultiplyAdd(a5, m, b);
                a6 = Vector512.FusedMultiplyAdd(a6, m, b); a7 = Vector512.FusedMultiplyAdd(a7, m, b);
            }
            return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7);
        }
        else
        {
            var m = Vector256.Create(0.999f);
            var b = Vector256.Create(1e-3f);
            Vector256<float> a0 = m, a1 = m, a2 = m, a3 = m, a4 = m, a5 = m, a6 = m, a7 = m;
            for (long i = 0; i < iterations; i++)
            {
                a0 = Vector256.FusedMultiplyAdd(a0, m, b); a1 = Vector256.FusedMultiplyAdd(a1, m, b);
                a2 = Vector256.FusedMultiplyAdd(a2, m, b); a3 = Vector256.FusedMultiplyAdd(a3, m, b);
                a4 = Vector256.FusedMultiplyAdd(a4, m, b); a5 = Vector256.FusedMultiplyAdd(a5, m, b);
                a6 = Vector256.FusedMultiplyAdd(a6, m, b); a7 = Vector256.FusedMultiplyAdd(a7, m, b);
            }
            return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7);
        }
    }
}
