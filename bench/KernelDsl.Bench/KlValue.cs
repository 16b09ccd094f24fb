using System;
using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using KernelDsl.Catalogue;

namespace KernelDsl.Bench;

/// <summary>KL(p || q) = Σ xlogy(p, p / q): the value only.</summary>
public unsafe class KlValue : VectorBenchBase
{
    private float[] _tmp = null!;
    private Action<int> _readChunk = null!, _handChunk = null!;

    [GlobalSetup]
    public void Setup()
    {
        SetupInputs();
        _tmp = new float[N];
        _readChunk = c => PartialSums[c] = HandFused.ReadSum(p + (nint)c * ChunkSize, q + (nint)c * ChunkSize, ChunkLength(c));
        _handChunk = c => PartialSums[c] = HandFused.Kl(p + (nint)c * ChunkSize, q + (nint)c * ChunkSize, ChunkLength(c));
    }

    /// <summary>The read ceiling: Σ (p + q) with Vector512, parallel at Threads &gt; 1.</summary>
    [Benchmark]
    public double Ceiling_Read() => UseThreads ? ParallelChunks(_readChunk) : HandFused.ReadSum(p, q, N);

    /// <summary>The expert's fused Vector512&lt;float&gt; loop (Parallel.For over chunks at Threads &gt; 1).</summary>
    [Benchmark]
    public double HandFused_() => UseThreads ? ParallelChunks(_handChunk) : HandFused.Kl(p, q, N);

    /// <summary>Divide, Log, Dot: three passes, one temporary (allocated once).</summary>
    [Benchmark, SingleThreadOnly, Slow]
    public float TensorPrimitives_()
    {
        var t = _tmp.AsSpan();
        TensorPrimitives.Divide(P.ReadOnly, Q.ReadOnly, t);
        TensorPrimitives.Log(t, t);
        return TensorPrimitives.Dot(P.ReadOnly, t);
    }

    [Benchmark, SingleThreadOnly, Slow]
    public double Scalar_() => Scalar.Kl(p, q, N);

    [Benchmark(Baseline = true)]
    public float Generated() => KullbackLeibler.Value(P.ReadOnly, Q.ReadOnly);
}
