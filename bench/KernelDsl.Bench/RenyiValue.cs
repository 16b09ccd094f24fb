using System;
using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using KernelDsl.Catalogue;

namespace KernelDsl.Bench;

/// <summary>Renyi divergence of order a = 2: log(Σ p^a q^(1-a)) / (a - 1), a passed at run time.</summary>
public unsafe class RenyiValue : VectorBenchBase
{
    public const float A = 2f;

    private float[] _t1 = null!, _t2 = null!;
    private Action<int> _readChunk = null!, _handChunk = null!;

    [GlobalSetup]
    public void Setup()
    {
        SetupInputs();
        _t1 = new float[N];
        _t2 = new float[N];
        _readChunk = c => PartialSums[c] = HandFused.ReadSum(p + (nint)c * ChunkSize, q + (nint)c * ChunkSize, ChunkLength(c));
        _handChunk = c => PartialSums[c] = HandFused.RenyiSum(p + (nint)c * ChunkSize, q + (nint)c * ChunkSize, ChunkLength(c), A);
    }

    [Benchmark]
    public double Ceiling_Read() => UseThreads ? ParallelChunks(_readChunk) : HandFused.ReadSum(p, q, N);

    [Benchmark]
    public double HandFused_() => Math.Log(UseThreads ? ParallelChunks(_handChunk) : HandFused.RenyiSum(p, q, N, A)) / (A - 1);

    /// <summary>Pow, Pow, Dot: three passes, two temporaries (allocated once).</summary>
    [Benchmark, SingleThreadOnly, Slow]
    public float TensorPrimitives_()
    {
        TensorPrimitives.Pow(P.ReadOnly, A, _t1);
        TensorPrimitives.Pow(Q.ReadOnly, 1f - A, _t2);
        return MathF.Log(TensorPrimitives.Dot(_t1, _t2)) / (A - 1);
    }

    [Benchmark, SingleThreadOnly, Slow]
    public double Scalar_() => Scalar.Renyi(p, q, N, A);

    [Benchmark(Baseline = true)]
    public float Generated() => Renyi.Value(P.ReadOnly, Q.ReadOnly, a: A);
}
