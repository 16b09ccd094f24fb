using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using KernelDsl.Runtime;

namespace KernelDsl.Bench;

/// <summary>
/// Shared setup of the vector families: two positive float vectors p, q (uniform in [0.01, 1], fixed seeds) of length
/// <see cref="N"/>, and the thread count. Threads = 1 sets KernelSettings.MaxDegreeOfParallelism = 1; Threads =
/// ProcessorCount lets the generated kernel use every core. The read ceiling and the hand-fused loop follow the same
/// setting with Parallel.For over the runtime's chunks (64k elements, used from 256k elements up, like the runtime), so that
/// at all cores they are the all-core ceiling and the all-core hand-fused loop. TensorPrimitives and the scalar loop are
/// single-threaded by nature and run only at Threads = 1.
/// </summary>
public abstract unsafe class VectorBenchBase
{
    public const int ChunkSize = 1 << 16;
    public const int ParallelThreshold = 1 << 18;

    [ParamsSource(nameof(Sizes))]
    public int N;

    [ParamsSource(nameof(ThreadChoices))]
    public int Threads;

    /// <summary>The vector lengths of the family (BenchmarkDotNet reads this instance property; --interleaved and --check too).</summary>
    public virtual IEnumerable<int> Sizes => new[] { 4096, 1 << 20, 1 << 24 };

    /// <summary>The thread counts of the family: one thread and all cores, unless a family overrides it.</summary>
    public virtual IEnumerable<int> ThreadChoices => ThreadCounts;

    /// <summary>One thread and <see cref="Environment.ProcessorCount"/> (one value on a one-core machine).</summary>
    public static IEnumerable<int> ThreadCounts => new[] { 1, Environment.ProcessorCount }.Distinct();

    protected NativeBuffer P = null!, Q = null!;
    protected float* p, q;
    protected ParallelOptions Options = null!;
    protected double[] PartialSums = null!;
    protected int Chunks;

    protected bool UseThreads => Threads > 1 && N >= ParallelThreshold;

    protected void SetupInputs()
    {
        KernelSettings.MaxDegreeOfParallelism = Threads;
        P = Data.Positive(N, Data.Seed);
        Q = Data.Positive(N, Data.Seed + 1);
        p = P.Ptr;
        q = Q.Ptr;
        Options = new ParallelOptions { MaxDegreeOfParallelism = Threads };
        Chunks = (N + ChunkSize - 1) / ChunkSize;
        PartialSums = new double[Chunks];
    }

    protected int ChunkLength(int c) => Math.Min(ChunkSize, N - c * ChunkSize);

    /// <summary>Runs body over the chunks in parallel; partial sums are added in chunk order.</summary>
    protected double ParallelChunks(Action<int> body)
    {
        Parallel.For(0, Chunks, Options, body);
        double s = 0;
        for (int i = 0; i < Chunks; i++) s += PartialSums[i];
        return s;
    }

    [GlobalCleanup]
    public virtual void Cleanup()
    {
        P?.Dispose();
        Q?.Dispose();
    }
}
