using System;
using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using KernelDsl.Catalogue;

namespace KernelDsl.Bench;

/// <summary>KL(p || q) = Σ xlogy(p, p / q): the value only.</summary>
public unsafe class KlValue : VectorBenchBase
{
    private float[] _tmp = null!, _ratio = null!;
    private Action<int> _readChunk = null!, _handChunk = null!;

    [GlobalSetup]
    public void Setup()
    {
        SetupInputs();
        _tmp = new float[N];
        _ratio = new float[N];
        TensorPrimitives.Divide(P.ReadOnly, Q.ReadOnly, _ratio);
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

    /// <summary>
    /// TensorPrimitives_'s first pass alone, t = p / q. With <see cref="Pass_Log"/> and <see cref="Pass_Dot"/>: what each
    /// pass of the composition costs, so the tables can say how much of it the fused kernel can save.
    /// </summary>
    [Benchmark, SingleThreadOnly, Slow]
    public void Pass_Divide() => TensorPrimitives.Divide(P.ReadOnly, Q.ReadOnly, _tmp);

    /// <summary>Its second pass alone, log t (from the ratios computed in the setup, into another buffer).</summary>
    [Benchmark, SingleThreadOnly, Slow]
    public void Pass_Log() => TensorPrimitives.Log(_ratio, _tmp);

    /// <summary>Its third pass alone, p · t.</summary>
    [Benchmark, SingleThreadOnly, Slow]
    public float Pass_Dot() => TensorPrimitives.Dot(P.ReadOnly, _ratio);

    [Benchmark, SingleThreadOnly, Slow]
    public double Scalar_() => Scalar.Kl(p, q, N);

    [Benchmark(Baseline = true)]
    public float Generated() => KullbackLeibler.Value(P.ReadOnly, Q.ReadOnly);
}
