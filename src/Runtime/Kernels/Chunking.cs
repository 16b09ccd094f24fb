using System;

namespace KernelDsl.Runtime;

/// <summary>A unit of parallel work: one chunk of a pass, or one row of a batch. Each index writes only its own outputs.</summary>
[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]
public interface IChunkJob
{
    /// <summary>Runs chunk (or row) number <paramref name="index"/>.</summary>
    void Run(int index);
}

/// <summary>
/// The deterministic cutting of a pass into chunks: chunk boundaries depend only on the length, each chunk accumulates into
/// its own partial results, and the caller combines partials in chunk order. The same bits come out for any number of threads.
/// </summary>
[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]
public static class Chunking
{
    /// <summary>Elements per chunk (a multiple of <see cref="BlockSize"/>).</summary>
    public const int ChunkSize = 1 << 16;

    /// <summary>Elements per block: SIMD lanes accumulate in the element type within a block; blocks are added in double.</summary>
    public const int BlockSize = 1 << 10;

    /// <summary>Fewer elements than this run on the calling thread: threads cost more than they save.</summary>
    public const int ParallelThreshold = 1 << 18;

    /// <summary>The number of chunks for <paramref name="length"/> elements.</summary>
    public static int Count(nint length) => (int)((length + ChunkSize - 1) / ChunkSize);

    /// <summary>Runs <paramref name="job"/> for indices 0 to <paramref name="count"/> - 1, in parallel when <paramref name="parallel"/> allows.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)] // see WorkerPool's Execute
    public static void Run<TJob>(ref TJob job, int count, bool parallel) where TJob : struct, IChunkJob
    {
        int degree = KernelSettings.MaxDegreeOfParallelism;
        if (!parallel || count <= 1 || degree <= 1)
        {
            for (int i = 0; i < count; i++) job.Run(i);
            return;
        }
        int helpers = Math.Min(degree, count) - 1;
        if (!WorkerPool.TryRun(ref job, count, helpers))
            for (int i = 0; i < count; i++) job.Run(i); // the pool is busy with another call: same chunks, same bits
    }

    /// <summary>True when a pass over <paramref name="length"/> elements is worth spreading over threads.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static bool ShouldParallelize(nint length) => length >= ParallelThreshold && KernelSettings.MaxDegreeOfParallelism > 1;
}

/// <summary>How partial results of one reduction are combined: across blocks, chunks and rows.</summary>
[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]
public static class Partials
{
    /// <summary>max that propagates NaN.</summary>
    public static double Max(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : Math.Max(a, b);

    /// <summary>min that propagates NaN.</summary>
    public static double Min(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : Math.Min(a, b);

    /// <summary>Throws the exception for an input whose length differs from the first input's.</summary>
    public static ArgumentException LengthMismatch(string name, long length, string first, long expected) =>
        new($"'{name}' has length {length} but '{first}' has length {expected}; all inputs must have the same length.", name);

    /// <summary>The exception for a gradient span that overlaps an input.</summary>
    public static ArgumentException Overlap(string name) =>
        new($"'{name}' overlaps an input. Gradients are written while inputs are still read: a gradient may replace only its own input, exactly, with inPlace: true, where the plan allows it (RowsAndGradient).", name);

    /// <summary>The exception for two gradient outputs that share memory (each would overwrite the other).</summary>
    public static ArgumentException GradientsOverlap(string name, string other) =>
        new($"'{name}' overlaps '{other}': two gradients cannot share memory.", name);

    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> are the same memory (same start, same length).</summary>
    public static bool SameSpan<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b) =>
        a.Length == b.Length && System.Runtime.CompilerServices.Unsafe.AreSame(
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(a), ref System.Runtime.InteropServices.MemoryMarshal.GetReference(b));

    /// <summary>Throws the exception for a gradient span of the wrong length.</summary>
    public static ArgumentException OutputLength(string name, long length, long expected) =>
        new($"'{name}' has length {length}; it must be empty (to skip this gradient) or have length {expected}.", name);
}
