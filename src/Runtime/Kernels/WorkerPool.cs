using System;
using System.Threading;

namespace KernelDsl.Runtime;

/// <summary>
/// A small pool of background threads that run the chunks of one pass together with the calling thread, without allocating
/// per call (Parallel.For allocates its closure and state on every call). One parallel pass runs at a time; a caller that
/// finds the pool busy runs its chunks on its own thread, which gives the same bits, since chunks are fixed by the length.
/// </summary>
internal static class WorkerPool
{
    private static readonly object Gate = new();
    private static readonly SemaphoreSlim Start = new(0);
    private static readonly ManualResetEventSlim Finished = new(false);
    private static Thread[] _workers = Array.Empty<Thread>();
    private static IWork? _current;
    private static int _running;
    private static Exception? _failure;

    /// <summary>Work that threads share by taking indices until none is left.</summary>
    internal interface IWork
    {
        void Execute();
    }

    /// <summary>The shared state of a parallel pass over jobs of type <typeparamref name="TJob"/>; one instance per type, used under the gate.</summary>
    private sealed class ChunkWork<TJob> : IWork where TJob : struct, IChunkJob
    {
        public static readonly ChunkWork<TJob> Instance = new();
        public TJob Job;
        public int Count;
        public int Next;

        // Fully optimised from the first call, like the loops it reaches: a tiered, profile-guided compile of this
        // method inlines the job's loop with no profile for it (the loop is never instrumented) and lays it out as cold.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public void Execute()
        {
            int i;
            while ((i = Interlocked.Increment(ref Next) - 1) < Count) Job.Run(i);
        }
    }

    /// <summary>Runs chunks 0 to <paramref name="count"/> - 1 on the caller and up to <paramref name="helpers"/> pool threads; false when the pool is busy.</summary>
    public static bool TryRun<TJob>(ref TJob job, int count, int helpers) where TJob : struct, IChunkJob
    {
        if (!Monitor.TryEnter(Gate)) return false;
        try
        {
            EnsureWorkers(helpers);
            var work = ChunkWork<TJob>.Instance;
            work.Job = job;
            work.Count = count;
            work.Next = 0;
            _current = work;
            _failure = null;
            Finished.Reset();
            Volatile.Write(ref _running, helpers);
            Start.Release(helpers);
            try
            {
                work.Execute();
            }
            finally
            {
                Finished.Wait(); // the helpers finish (or fail) before the gate opens again, even if this thread threw
                _current = null;
                work.Job = default;
            }
            if (_failure is { } failure) throw new AggregateException("A kernel chunk failed on a pool thread.", failure);
            return true;
        }
        finally
        {
            Monitor.Exit(Gate);
        }
    }

    private static void EnsureWorkers(int helpers)
    {
        if (_workers.Length >= helpers) return;
        var workers = new Thread[helpers];
        Array.Copy(_workers, workers, _workers.Length);
        for (int i = _workers.Length; i < helpers; i++)
        {
            workers[i] = new Thread(Loop) { IsBackground = true, Name = "KernelDsl worker " + i };
            workers[i].Start();
        }
        _workers = workers;
    }

    private static void Loop()
    {
        while (true)
        {
            Start.Wait();
            try
            {
                _current!.Execute();
            }
            catch (Exception e)
            {
                _failure = e;
            }
            finally
            {
                if (Interlocked.Decrement(ref _running) == 0) Finished.Set();
            }
        }
    }
}
