using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics.Tensors;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using KernelDsl.Catalogue;
using KernelDsl.Runtime;

namespace KernelDsl.Bench;

/// <summary>
/// Distillation from logits, T² KL(softmax(t/T) || softmax(s/T)) per row, on [16 x 128k] row-major teacher and student
/// logits, T = 2, batch-mean over rows: forward (Rows) and forward+backward (RowsAndGradient with ds only).
/// Rows run in parallel at Threads &gt; 1 (the generated kernel via KernelSettings, the ceilings and the hand-fused loop
/// via Parallel.For over rows).
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public unsafe class DistillationKlRows : IHasOutputs
{
    public string Outputs()
    {
        double a = 0, b = 0;
        for (int i = 0; i < N; i++) { a += ds[i]; b += Math.Abs(ds[i]); }
        string r = $"sum ds = {a:R}, sum |ds| = {b:R}";
        _ds.Span.Clear();
        return r;
    }

    public const int RowCount = 16;
    public const int RowLength = 1 << 17;
    public const float Temperature = 2f;
    private const float Scale = 1f / RowCount; // batch mean

    [ParamsSource(nameof(ThreadCounts))]
    public int Threads;

    public static IEnumerable<int> ThreadCounts => VectorBenchBase.ThreadCounts;

    private NativeBuffer _t = null!, _s = null!, _ds = null!;
    private float* t, s, ds;
    private float[] _zt = null!, _zs = null!, _et = null!, _es = null!, _d = null!;
    private double[] _rowValues = null!;
    private ushort[] _tb = null!, _sb = null!, _dsb = null!;
    private ParallelOptions _options = null!;
    private Action<int> _read = null!, _stream = null!, _fwd = null!, _fwdBwd = null!;

    private int N => RowCount * RowLength;

    [GlobalSetup]
    public void Setup()
    {
        KernelSettings.MaxDegreeOfParallelism = Threads;
        (_t, _s) = Data.Logits(N, Data.Seed + 2);
        _ds = new NativeBuffer(N);
        t = _t.Ptr; s = _s.Ptr; ds = _ds.Ptr;
        _zt = new float[RowLength]; _zs = new float[RowLength]; _et = new float[RowLength]; _es = new float[RowLength]; _d = new float[RowLength];
        _rowValues = new double[RowCount];
        // The same logits as bfloat16 bits (what a bf16 model emits), for the generated bf16 kernels.
        _tb = new ushort[N]; _sb = new ushort[N]; _dsb = new ushort[N];
        BFloat16.FromSingle(_t.ReadOnly, _tb);
        BFloat16.FromSingle(_s.ReadOnly, _sb);
        _options = new ParallelOptions { MaxDegreeOfParallelism = Threads };
        _read = r => _rowValues[r] = HandFused.ReadSum(t + (nint)r * RowLength, s + (nint)r * RowLength, RowLength);
        _stream = r =>
        {
            nint o = (nint)r * RowLength;
            HandFused.Stream2R1W(t + o, s + o, ds + o, RowLength);
            _rowValues[r] = 0;
        };
        _fwd = r => _rowValues[r] = HandFused.KdRow(t + (nint)r * RowLength, s + (nint)r * RowLength, RowLength, Temperature, out _, out _);
        _fwdBwd = r =>
        {
            nint o = (nint)r * RowLength;
            _rowValues[r] = HandFused.KdRow(t + o, s + o, RowLength, Temperature, out float lt, out float ls);
            HandFused.KdRowGradS(t + o, s + o, ds + o, RowLength, Temperature, lt, ls, Scale);
        };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _t?.Dispose(); _s?.Dispose(); _ds?.Dispose();
    }

    private double Rows(Action<int> body)
    {
        if (Threads > 1) Parallel.For(0, RowCount, _options, body);
        else for (int r = 0; r < RowCount; r++) body(r);
        double sum = 0;
        for (int r = 0; r < RowCount; r++) sum += _rowValues[r];
        return sum * Scale;
    }

    // ------------------------------------------------------------ forward

    [Benchmark, BenchmarkCategory("Forward")]
    public double Ceiling_Read() => Rows(_read);

    [Benchmark, BenchmarkCategory("Forward")]
    public double HandFused_() => Rows(_fwd);

    [Benchmark, BenchmarkCategory("Forward"), SingleThreadOnly]
    public double TensorPrimitives_()
    {
        double sum = 0;
        for (int r = 0; r < RowCount; r++) sum += TpRow(r, withGradient: false);
        return sum * Scale;
    }

    [Benchmark, BenchmarkCategory("Forward"), SingleThreadOnly]
    public double Scalar_()
    {
        double sum = 0;
        for (int r = 0; r < RowCount; r++) sum += Scalar.KdRow(t + (nint)r * RowLength, s + (nint)r * RowLength, null, RowLength, Temperature, Scale);
        return sum * Scale;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Forward")]
    public float Generated() => DistillationKl.Rows(_t.ReadOnly, _s.ReadOnly, RowLength, default, RowReduction.BatchMean, T: Temperature);

    /// <summary>The generated forward kernel on bfloat16 logits.</summary>
    [Benchmark, BenchmarkCategory("Forward")]
    public float Generated_BFloat16() => DistillationKl.Rows(_tb, _sb, RowLength, default, RowReduction.BatchMean, T: Temperature);

    // ------------------------------------------------------------ forward + backward (ds)

    /// <summary>The ceiling of forward+backward: a stream of 2 reads (t, s) and 1 write (ds).</summary>
    [Benchmark, BenchmarkCategory("ForwardBackward")]
    public double Ceiling_2R1W() => Rows(_stream);

    [Benchmark, BenchmarkCategory("ForwardBackward")]
    public double HandFused_Bwd() => Rows(_fwdBwd);

    [Benchmark, BenchmarkCategory("ForwardBackward"), SingleThreadOnly]
    public double TensorPrimitives_Bwd()
    {
        double sum = 0;
        for (int r = 0; r < RowCount; r++) sum += TpRow(r, withGradient: true);
        return sum * Scale;
    }

    [Benchmark, BenchmarkCategory("ForwardBackward"), SingleThreadOnly]
    public double Scalar_Bwd()
    {
        double sum = 0;
        for (int r = 0; r < RowCount; r++)
        {
            nint o = (nint)r * RowLength;
            sum += Scalar.KdRow(t + o, s + o, ds + o, RowLength, Temperature, Scale);
        }
        return sum * Scale;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("ForwardBackward")]
    public float Generated_Bwd() =>
        DistillationKl.RowsAndGradient(_t.ReadOnly, _s.ReadOnly, RowLength, default, RowReduction.BatchMean, default, _ds.Span, T: Temperature);

    /// <summary>The generated kernel on bfloat16 logits and gradient (16-bit storage, float compute): half the bytes.</summary>
    [Benchmark, BenchmarkCategory("ForwardBackward")]
    public float Generated_Bwd_BFloat16() =>
        DistillationKl.RowsAndGradient(_tb, _sb, RowLength, default, RowReduction.BatchMean, default, _dsb, T: Temperature);

    /// <summary>
    /// One row composed of TensorPrimitives: zt = t/T, zs = s/T, max, exp(z - max), sums, Dot(e_t, zt - zs); the backward
    /// pass scales the two exps into softmaxes and subtracts. Temporaries allocated once.
    /// </summary>
    private double TpRow(int r, bool withGradient)
    {
        var tr = new ReadOnlySpan<float>(t + (nint)r * RowLength, RowLength);
        var sr = new ReadOnlySpan<float>(s + (nint)r * RowLength, RowLength);
        Span<float> zt = _zt, zs = _zs, et = _et, es = _es, d = _d;
        const float inv = 1f / Temperature;
        TensorPrimitives.Multiply(tr, inv, zt);
        TensorPrimitives.Multiply(sr, inv, zs);
        float mt = TensorPrimitives.Max(zt), ms = TensorPrimitives.Max(zs);
        TensorPrimitives.Subtract(zt, mt, et);
        TensorPrimitives.Exp(et, et);
        double st = TensorPrimitives.Sum(et);
        TensorPrimitives.Subtract(zs, ms, es);
        TensorPrimitives.Exp(es, es);
        double ss = TensorPrimitives.Sum(es);
        TensorPrimitives.Subtract(zt, zs, d);
        double a = TensorPrimitives.Dot(et, d);
        double lt = mt + Math.Log(st), ls = ms + Math.Log(ss);
        if (withGradient)
        {
            float k = Scale * Temperature;
            TensorPrimitives.Multiply(es, (float)(k / ss), es);
            TensorPrimitives.Multiply(et, (float)(k / st), et);
            TensorPrimitives.Subtract(es, et, new Span<float>(ds + (nint)r * RowLength, RowLength));
        }
        return (double)Temperature * Temperature * (a / st - lt + ls);
    }
}
