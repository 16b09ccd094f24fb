using System;
using System.Diagnostics;
using KernelDsl.Runtime;

namespace QuickStart;

/// <summary>Steps 1 and 2: the generated <see cref="SymmetricSkewKl"/> against plain C# loops of the same math.</summary>
internal static class NewDivergence
{
    private const float A = 0.3f;          // the skew parameter used throughout
    private const int N = 1_000_000;       // elements for the value check and the timing

    public static void Check(Checks checks)
    {
        // Value, 1M floats: the generated float and double kernels against a double loop.
        (float[] pf, float[] qf) = Distributions(N, seed: 1);
        double[] p = ToDouble(pf), q = ToDouble(qf);
        double plain = Plain(p, q, A);
        double generatedDouble = SymmetricSkewKl.Value(p, q, (double)A);
        float generatedFloat = SymmetricSkewKl.Value(pf, qf, A);
        Console.WriteLine($"   value on n = {N:N0}: generated float {generatedFloat:G8}, generated double {generatedDouble:G15}, plain double loop {plain:G15}");
        checks.AtMost("value, double kernel vs double loop, relative error", Math.Abs(generatedDouble - plain) / plain, 1e-12);
        checks.AtMost("value, float kernel vs double loop, relative error", Math.Abs(generatedFloat - plain) / plain, 1e-5);

        // Gradients w.r.t. p, q and a, on n = 2000 (every coordinate), against central differences of the double loop.
        const int n = 2000;
        (float[] gpf, float[] gqf) = Distributions(n, seed: 2);
        double[] gp = ToDouble(gpf), gq = ToDouble(gqf);
        double[] dp = new double[n], dq = new double[n], da = new double[1];
        SymmetricSkewKl.ValueAndGradient(gp, gq, dp, dq, (double)A, da);
        float[] dpf = new float[n], dqf = new float[n], daf = new float[1];
        SymmetricSkewKl.ValueAndGradient(gpf, gqf, dpf, dqf, A, daf);

        double worst = 0, worstFloat = 0, scale = 0;
        void Compare(double exact, double fromDouble, double fromFloat)
        {
            scale = Math.Max(scale, Math.Abs(exact));
            worst = Math.Max(worst, Math.Abs(fromDouble - exact));
            worstFloat = Math.Max(worstFloat, Math.Abs(fromFloat - exact));
        }
        for (int i = 0; i < n; i++)
        {
            Compare(CentralDifference(gp, i, gp, gq, A), dp[i], dpf[i]);
            Compare(CentralDifference(gq, i, gp, gq, A), dq[i], dqf[i]);
        }
        const double ha = 1e-5;
        Compare((Plain(gp, gq, A + ha) - Plain(gp, gq, A - ha)) / (2 * ha), da[0], daf[0]);
        Console.WriteLine($"   gradients on n = {n:N0}: all {2 * n + 1} components (d/dp, d/dq, d/da) against central differences of the double loop, largest |gradient| {scale:G3}");
        checks.AtMost("gradient, double kernel, max abs error / max |gradient|", worst / scale, 1e-7);
        checks.AtMost("gradient, float kernel,  max abs error / max |gradient|", worstFloat / scale, 1e-5);
    }

    public static void Time()
    {
        (float[] p, float[] q) = Distributions(N, seed: 3);
        float[] dp = new float[N], dq = new float[N], da = new float[1];
        int cores = Environment.ProcessorCount;
        Console.WriteLine($"   n = {N:N0} floats, median of 15 runs after 3 warm-ups. Indicative only: one short run, at the mercy of");
        Console.WriteLine("   whatever else the machine is doing; bench/ (BenchmarkDotNet) has the real numbers.");
        Console.WriteLine($"   {"",-18}{"plain loop",14}{"generated, 1 thread",24}{$"generated, {cores} threads",24}");

        double loopValue = Median(() => PlainValue(p, q, A));
        double loopBoth = Median(() => PlainValueAndGradient(p, q, A, dp, dq, da));
        int saved = KernelSettings.MaxDegreeOfParallelism;
        KernelSettings.MaxDegreeOfParallelism = 1;
        double oneValue = Median(() => SymmetricSkewKl.Value(p, q, A));
        double oneBoth = Median(() => SymmetricSkewKl.ValueAndGradient(p, q, dp, dq, A, da));
        KernelSettings.MaxDegreeOfParallelism = cores;
        double allValue = Median(() => SymmetricSkewKl.Value(p, q, A));
        double allBoth = Median(() => SymmetricSkewKl.ValueAndGradient(p, q, dp, dq, A, da));
        KernelSettings.MaxDegreeOfParallelism = saved;

        static string Cell(double ms, double baseline) => $"{ms:F2} ms ({baseline / ms:F1}x)";
        Console.WriteLine($"   {"Value",-18}{$"{loopValue:F2} ms",14}{Cell(oneValue, loopValue),24}{Cell(allValue, loopValue),24}");
        Console.WriteLine($"   {"ValueAndGradient",-18}{$"{loopBoth:F2} ms",14}{Cell(oneBoth, loopBoth),24}{Cell(allBoth, loopBoth),24}");
    }

    /// <summary>The formula as a plain double loop: Σ rel_entr(p, (1-a) p + a q) + rel_entr(q, (1-a) q + a p).</summary>
    internal static double Plain(double[] p, double[] q, double a)
    {
        double sum = 0;
        for (int i = 0; i < p.Length; i++)
            sum += RelEntr(p[i], (1 - a) * p[i] + a * q[i]) + RelEntr(q[i], (1 - a) * q[i] + a * p[i]);
        return sum;
    }

    // scipy's rel_entr for x >= 0, y > 0 (all this sample needs).
    private static double RelEntr(double x, double y) => x == 0 ? 0 : x * Math.Log(x / y);

    // d Plain / d v[i] by a central difference with a step relative to v[i] (v is p or q).
    private static double CentralDifference(double[] v, int i, double[] p, double[] q, double a)
    {
        double keep = v[i], h = 1e-4 * keep;
        v[i] = keep + h; double up = Plain(p, q, a);
        v[i] = keep - h; double down = Plain(p, q, a);
        v[i] = keep;
        return (up - down) / (2 * h);
    }

    // What one would write by hand in float: one scalar loop, the sum kept in double.
    private static double PlainValue(float[] p, float[] q, float a)
    {
        double sum = 0;
        for (int i = 0; i < p.Length; i++)
        {
            float m1 = (1 - a) * p[i] + a * q[i], m2 = (1 - a) * q[i] + a * p[i];
            sum += (p[i] > 0 ? p[i] * MathF.Log(p[i] / m1) : 0) + (q[i] > 0 ? q[i] * MathF.Log(q[i] / m2) : 0);
        }
        return sum;
    }

    // The same with the gradients: d/dp = log(p/m1) + 1 - (1-a) p/m1 - a q/m2, symmetrically for q, and d/da summed.
    private static double PlainValueAndGradient(float[] p, float[] q, float a, float[] dp, float[] dq, float[] da)
    {
        double sum = 0, dA = 0;
        for (int i = 0; i < p.Length; i++)
        {
            float pi = p[i], qi = q[i], m1 = (1 - a) * pi + a * qi, m2 = (1 - a) * qi + a * pi;
            float lp = pi > 0 ? MathF.Log(pi / m1) : 0, lq = qi > 0 ? MathF.Log(qi / m2) : 0;
            float rp = pi / m1, rq = qi / m2;
            sum += pi * lp + qi * lq;
            dp[i] = lp + 1 - (1 - a) * rp - a * rq;
            dq[i] = lq + 1 - (1 - a) * rq - a * rp;
            dA += rp * (pi - qi) + rq * (qi - pi);
        }
        da[0] = (float)dA;
        return sum;
    }

    private static double Median(Func<double> run)
    {
        const int warmUps = 3, runs = 15;
        double sink = 0;
        for (int i = 0; i < warmUps; i++) sink += run();
        var ms = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            sink += run();
            ms[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        if (double.IsNaN(sink)) Console.WriteLine("   (a timed run returned NaN)");
        Array.Sort(ms);
        return ms[runs / 2];
    }

    // Two different, strictly positive probability vectors of length n.
    private static (float[] P, float[] Q) Distributions(int n, int seed)
    {
        var rng = new Random(seed);
        float[] p = new float[n], q = new float[n];
        for (int i = 0; i < n; i++)
        {
            p[i] = (float)Math.Pow(0.05 + rng.NextDouble(), 2);
            q[i] = (float)(0.05 + rng.NextDouble());
        }
        Normalize(p);
        Normalize(q);
        return (p, q);
    }

    private static void Normalize(float[] v)
    {
        double total = 0;
        foreach (float x in v) total += x;
        for (int i = 0; i < v.Length; i++) v[i] = (float)(v[i] / total);
    }

    private static double[] ToDouble(float[] v) => Array.ConvertAll(v, x => (double)x);
}
