using System;
using System.Runtime.InteropServices;

namespace KernelDsl.Bench;

/// <summary>A 64-byte-aligned native float buffer: every method of a run reads the very same memory.</summary>
public sealed unsafe class NativeBuffer : IDisposable
{
    public float* Ptr { get; private set; }
    public int Length { get; }

    public NativeBuffer(int length)
    {
        Length = length;
        Ptr = (float*)NativeMemory.AlignedAlloc((nuint)Math.Max(length, 1) * sizeof(float), 64);
        new Span<float>(Ptr, length).Clear();   // touch every page before timing
    }

    public Span<float> Span => new(Ptr, Length);
    public ReadOnlySpan<float> ReadOnly => new(Ptr, Length);

    public void Dispose()
    {
        if (Ptr != null) NativeMemory.AlignedFree(Ptr);
        Ptr = null;
    }
}

/// <summary>Inputs from a fixed seed.</summary>
public static class Data
{
    public const int Seed = 20240917;

    /// <summary>A positive, distribution-like vector: uniform in [0.01, 1].</summary>
    public static NativeBuffer Positive(int n, int seed)
    {
        var b = new NativeBuffer(n);
        var rng = new Random(seed);
        var s = b.Span;
        for (int i = 0; i < n; i++) s[i] = 0.01f + 0.99f * (float)rng.NextDouble();
        return b;
    }

    /// <summary>Teacher logits uniform in [-6, 6]; the student's are the teacher's plus uniform noise in [-1, 1].</summary>
    public static (NativeBuffer Teacher, NativeBuffer Student) Logits(int n, int seed)
    {
        var t = new NativeBuffer(n);
        var s = new NativeBuffer(n);
        var rng = new Random(seed);
        var ts = t.Span;
        var ss = s.Span;
        for (int i = 0; i < n; i++)
        {
            ts[i] = (float)(rng.NextDouble() * 12 - 6);
            ss[i] = ts[i] + (float)(rng.NextDouble() * 2 - 1);
        }
        return (t, s);
    }
}
