using System;
using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using KernelDsl.Catalogue;

namespace KernelDsl.Bench;

/// <summary>KL(p || q) with both gradients: dp = log(p/q) + 1, dq = -p/q.</summary>
public unsafe class KlValueAndGradient : VectorBenchBase, IHasOutputs
{
    public string Outputs()
    {
        double a = 0, b = 0;
        for (int i = 0; i < N; i++) { a += dp[i]; b += dq[i]; }
        string r = $"sum dp = {a:R}, sum dq = {b:R}";
        _dp.Span.Clear(); _dq.Span.Clear();
        return r;
    }

    private NativeBuffer _dp = null!, _dq = null!;
    private float* dp, dq;
    private Action<int> _readChunk = null!, _streamChunk = null!, _handChunk = null!;

    [GlobalSetup]
    public void Setup()
    {
        SetupInputs();
        _dp = new NativeBuffer(N);
        _dq = new NativeBuffer(N);
        dp = _dp.Ptr;
        dq = _dq.Ptr;
        _readChunk = c => PartialSums[c] = HandFused.ReadSum(p + (nint)c * ChunkSize, q + (nint)c * ChunkSize, ChunkLength(c));
        _streamChunk = c =>
        {
            nint o = (nint)c * ChunkSize;
            HandFused.Stream2R2W(p + o, q + o, dp + o, dq + o, ChunkLength(c));
            PartialSums[c] = 0;
        };
        _handChunk = c =>
        {
            nint o = (nint)c * ChunkSize;
            PartialSums[c] = HandFused.KlGrad(p + o, q + o, dp + o, dq + o, ChunkLength(c));
        };
    }

    [Benchmark]
    public double Ceiling_Read() => UseThreads ? ParallelChunks(_readChunk) : HandFused.ReadSum(p, q, N);

    /// <summary>The value+gradient ceiling: a stream of 2 reads and 2 writes of the same arrays.</summary>
    [Benchmark]
    public double Ceiling_2R2W()
    {
        if (UseThreads) return ParallelChunks(_streamChunk);
        HandFused.Stream2R2W(p, q, dp, dq, N);
        return 0;
    }

    [Benchmark]
    public double HandFused_() => UseThreads ? ParallelChunks(_handChunk) : HandFused.KlGrad(p, q, dp, dq, N);

    /// <summary>Divide into dq, Log into dp, Dot, then dp += 1 and dq = -dq: five passes, no temporary.</summary>
    [Benchmark, SingleThreadOnly, Slow]
    public float TensorPrimitives_()
    {
        var gp = _dp.Span;
        var gq = _dq.Span;
        TensorPrimitives.Divide(P.ReadOnly, Q.ReadOnly, gq);
        TensorPrimitives.Log(gq, gp);
        float v = TensorPrimitives.Dot(P.ReadOnly, gp);
        TensorPrimitives.Add(gp, 1f, gp);
        TensorPrimitives.Negate(gq, gq);
        return v;
    }

    [Benchmark, SingleThreadOnly, Slow]
    public double Scalar_() => Scalar.KlGrad(p, q, dp, dq, N);

    [Benchmark(Baseline = true)]
    public float Generated() => KullbackLeibler.ValueAndGradient(P.ReadOnly, Q.ReadOnly, _dp.Span, _dq.Span);

    public override void Cleanup()
    {
        base.Cleanup();
        _dp?.Dispose();
        _dq?.Dispose();
    }
}
