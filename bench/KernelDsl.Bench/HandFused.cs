using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace KernelDsl.Bench;

/// <summary>
/// What an expert writes by hand: one fused Vector512&lt;float&gt; loop per formula, two independent accumulators,
/// blocks of <see cref="Block"/> elements summed in float lanes and then added in double, and a scalar tail.
/// Also the memory ceilings: a plain read (and a stream of reads and writes) of the same arrays.
/// Every loop is [AggressiveOptimization], as the generated loops are: both are compiled fully optimised on first call,
/// so neither depends on when tiered compilation (OSR, instrumented tiers) gets round to it. Note that on .NET 10
/// Vector512.Log and Vector512.Exp of float are calls (VectorMath.LogSingle, ExpSingle: not inlined), one per vector.
/// </summary>
public static unsafe class HandFused
{
    /// <summary>Elements per block: lanes accumulate in float within a block; blocks are added in double.</summary>
    public const int Block = 1024;

    private const int W = 16; // Vector512<float>.Count

    // ---------------------------------------------------------------- ceilings

    /// <summary>The read ceiling: Σ (a + b), four accumulators so that only memory limits it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double ReadSum(float* a, float* b, nint n)
    {
        var s0 = Vector512<float>.Zero; var s1 = s0; var s2 = s0; var s3 = s0;
        nint i = 0;
        for (; i + 4 * W <= n; i += 4 * W)
        {
            s0 += Vector512.Load(a + i) + Vector512.Load(b + i);
            s1 += Vector512.Load(a + i + W) + Vector512.Load(b + i + W);
            s2 += Vector512.Load(a + i + 2 * W) + Vector512.Load(b + i + 2 * W);
            s3 += Vector512.Load(a + i + 3 * W) + Vector512.Load(b + i + 3 * W);
        }
        for (; i + W <= n; i += W) s0 += Vector512.Load(a + i) + Vector512.Load(b + i);
        double total = Vector512.Sum((s0 + s1) + (s2 + s3));
        for (; i < n; i++) total += a[i] + b[i];
        return total;
    }

    /// <summary>The value+gradient ceiling: a stream of 2 reads and 2 writes, c = a + b, d = a - b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Stream2R2W(float* a, float* b, float* c, float* d, nint n)
    {
        nint i = 0;
        for (; i + 2 * W <= n; i += 2 * W)
        {
            var a0 = Vector512.Load(a + i); var b0 = Vector512.Load(b + i);
            var a1 = Vector512.Load(a + i + W); var b1 = Vector512.Load(b + i + W);
            (a0 + b0).Store(c + i); (a0 - b0).Store(d + i);
            (a1 + b1).Store(c + i + W); (a1 - b1).Store(d + i + W);
        }
        for (; i < n; i++) { c[i] = a[i] + b[i]; d[i] = a[i] - b[i]; }
    }

    /// <summary>A stream of 2 reads and 1 write, c = a - b (the ceiling of a backward pass that writes one gradient).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Stream2R1W(float* a, float* b, float* c, nint n)
    {
        nint i = 0;
        for (; i + 2 * W <= n; i += 2 * W)
        {
            (Vector512.Load(a + i) - Vector512.Load(b + i)).Store(c + i);
            (Vector512.Load(a + i + W) - Vector512.Load(b + i + W)).Store(c + i + W);
        }
        for (; i < n; i++) c[i] = a[i] - b[i];
    }

    // ---------------------------------------------------------------- KL: Σ xlogy(p, p / q)

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> KlTerm(Vector512<float> p, Vector512<float> q)
    {
        var t = p * Vector512.Log(p / q);
        return Vector512.ConditionalSelect(Vector512.Equals(p, Vector512<float>.Zero), Vector512<float>.Zero, t);
    }

    private static float KlTerm(float p, float q) => p == 0f ? 0f : p * MathF.Log(p / q);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Kl(float* p, float* q, nint n)
    {
        double total = 0;
        nint i = 0;
        nint vend = n - n % W;
        while (i < vend)
        {
            nint bend = Math.Min(i + Block, vend);
            var s0 = Vector512<float>.Zero; var s1 = s0;
            for (; i + 2 * W <= bend; i += 2 * W)
            {
                s0 += KlTerm(Vector512.Load(p + i), Vector512.Load(q + i));
                s1 += KlTerm(Vector512.Load(p + i + W), Vector512.Load(q + i + W));
            }
            for (; i < bend; i += W) s0 += KlTerm(Vector512.Load(p + i), Vector512.Load(q + i));
            total += Vector512.Sum(s0 + s1);
        }
        for (; i < n; i++) total += KlTerm(p[i], q[i]);
        return total;
    }

    /// <summary>KL and its gradients in one pass: r = p/q, l = log r; value += p l, dp = l + 1, dq = -r.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double KlGrad(float* p, float* q, float* dp, float* dq, nint n)
    {
        double total = 0;
        nint i = 0;
        nint vend = n - n % W;
        var one = Vector512<float>.One;
        var zero = Vector512<float>.Zero;
        while (i < vend)
        {
            nint bend = Math.Min(i + Block, vend);
            var s0 = zero; var s1 = zero;
            for (; i + 2 * W <= bend; i += 2 * W)
            {
                var p0 = Vector512.Load(p + i); var q0 = Vector512.Load(q + i);
                var p1 = Vector512.Load(p + i + W); var q1 = Vector512.Load(q + i + W);
                var r0 = p0 / q0; var r1 = p1 / q1;
                var l0 = Vector512.Log(r0); var l1 = Vector512.Log(r1);
                s0 += Vector512.ConditionalSelect(Vector512.Equals(p0, zero), zero, p0 * l0);
                s1 += Vector512.ConditionalSelect(Vector512.Equals(p1, zero), zero, p1 * l1);
                (l0 + one).Store(dp + i); (l1 + one).Store(dp + i + W);
                (-r0).Store(dq + i); (-r1).Store(dq + i + W);
            }
            for (; i < bend; i += W)
            {
                var p0 = Vector512.Load(p + i); var q0 = Vector512.Load(q + i);
                var r0 = p0 / q0; var l0 = Vector512.Log(r0);
                s0 += Vector512.ConditionalSelect(Vector512.Equals(p0, zero), zero, p0 * l0);
                (l0 + one).Store(dp + i); (-r0).Store(dq + i);
            }
            total += Vector512.Sum(s0 + s1);
        }
        for (; i < n; i++)
        {
            float r = p[i] / q[i], l = MathF.Log(r);
            total += p[i] == 0f ? 0f : p[i] * l;
            dp[i] = l + 1f; dq[i] = -r;
        }
        return total;
    }

    // ---------------------------------------------------------------- Renyi: log(Σ p^a q^(1-a)) / (a - 1)

    /// <summary>Σ p^a q^(1-a) = Σ exp(a log p + (1 - a) log q): two logs and one exp per element, a at run time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double RenyiSum(float* p, float* q, nint n, float a)
    {
        double total = 0;
        nint i = 0;
        nint vend = n - n % W;
        var va = Vector512.Create(a);
        var vb = Vector512.Create(1f - a);
        while (i < vend)
        {
            nint bend = Math.Min(i + Block, vend);
            var s0 = Vector512<float>.Zero; var s1 = s0;
            for (; i + 2 * W <= bend; i += 2 * W)
            {
                s0 += Vector512.Exp(va * Vector512.Log(Vector512.Load(p + i)) + vb * Vector512.Log(Vector512.Load(q + i)));
                s1 += Vector512.Exp(va * Vector512.Log(Vector512.Load(p + i + W)) + vb * Vector512.Log(Vector512.Load(q + i + W)));
            }
            for (; i < bend; i += W)
                s0 += Vector512.Exp(va * Vector512.Log(Vector512.Load(p + i)) + vb * Vector512.Log(Vector512.Load(q + i)));
            total += Vector512.Sum(s0 + s1);
        }
        for (; i < n; i++) total += MathF.Pow(p[i], a) * MathF.Pow(q[i], 1f - a);
        return total;
    }

    // ---------------------------------------------------------------- distillation KL from logits, one row

    /// <summary>max over a row (a read-only pass).</summary>
    private static float Max(float* x, nint n)
    {
        nint i = 0;
        float m = float.NegativeInfinity;
        if (n >= W)
        {
            var m0 = Vector512.Create(float.NegativeInfinity); var m1 = m0;
            for (; i + 2 * W <= n; i += 2 * W)
            {
                m0 = Vector512.Max(m0, Vector512.Load(x + i));
                m1 = Vector512.Max(m1, Vector512.Load(x + i + W));
            }
            for (; i + W <= n; i += W) m0 = Vector512.Max(m0, Vector512.Load(x + i));
            var mm = Vector512.Max(m0, m1);
            m = mm.ToScalar();
            for (int k = 1; k < W; k++) m = MathF.Max(m, mm.GetElement(k));
        }
        for (; i < n; i++) m = MathF.Max(m, x[i]);
        return m;
    }

    /// <summary>
    /// One row of T² Σ softmax(t/T) (log_softmax(t/T) - log_softmax(s/T)): a max pass over t and s, then one pass of two exps
    /// per element giving Σ e^(zt - mt), Σ e^(zs - ms) and Σ e^(zt - mt) (zt - zs). Returns the value; the row's
    /// log-sum-exps go out for the backward pass.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double KdRow(float* t, float* s, nint n, float temperature, out float lseT, out float lseS)
    {
        float inv = 1f / temperature;
        float mt = Max(t, n) * inv, ms = Max(s, n) * inv;
        var vinv = Vector512.Create(inv);
        var vmt = Vector512.Create(mt);
        var vms = Vector512.Create(ms);
        double st = 0, ss = 0, acc = 0;
        nint i = 0;
        nint vend = n - n % W;
        while (i < vend)
        {
            nint bend = Math.Min(i + Block, vend);
            var a0 = Vector512<float>.Zero; var b0 = a0; var c0 = a0;
            for (; i < bend; i += W)
            {
                var zt = Vector512.Load(t + i) * vinv;
                var zs = Vector512.Load(s + i) * vinv;
                var et = Vector512.Exp(zt - vmt);
                a0 += et;
                b0 += Vector512.Exp(zs - vms);
                c0 += et * (zt - zs);
            }
            st += Vector512.Sum(a0); ss += Vector512.Sum(b0); acc += Vector512.Sum(c0);
        }
        for (; i < n; i++)
        {
            float zt = t[i] * inv, zs = s[i] * inv, et = MathF.Exp(zt - mt);
            st += et; ss += MathF.Exp(zs - ms); acc += et * (zt - zs);
        }
        double lt = mt + Math.Log(st), ls = ms + Math.Log(ss);
        lseT = (float)lt; lseS = (float)ls;
        return (double)temperature * temperature * (acc / st - lt + ls);
    }

    /// <summary>The backward pass of one row: ds = scale T (softmax(s/T) - softmax(t/T)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void KdRowGradS(float* t, float* s, float* ds, nint n, float temperature, float lseT, float lseS, float scale)
    {
        float inv = 1f / temperature, k = scale * temperature;
        var vinv = Vector512.Create(inv);
        var vlt = Vector512.Create(lseT);
        var vls = Vector512.Create(lseS);
        var vk = Vector512.Create(k);
        nint i = 0;
        for (; i + W <= n; i += W)
        {
            var ps = Vector512.Exp(Vector512.Load(s + i) * vinv - vls);
            var pt = Vector512.Exp(Vector512.Load(t + i) * vinv - vlt);
            (vk * (ps - pt)).Store(ds + i);
        }
        for (; i < n; i++) ds[i] = k * (MathF.Exp(s[i] * inv - lseS) - MathF.Exp(t[i] * inv - lseT));
    }
}
