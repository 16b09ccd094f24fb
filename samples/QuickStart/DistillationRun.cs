using System;
using System.Numerics;
using KernelDsl.Catalogue;
using KernelDsl.Runtime;

namespace QuickStart;

/// <summary>
/// Step 4, the approach of samples/Distillation in short: a linear student s = x W_s learns a fixed linear teacher
/// t = x W_t from its logits by minimising T² KL(softmax(t/T) || softmax(s/T)) with Adam. Loss and dLoss/ds come from one
/// generated call, DistillationKl.RowsAndGradient; the rest (matrix products, Adam) is ordinary code.
/// </summary>
internal static class DistillationRun
{
    private const int B = 64, D = 32, V = 1000, Steps = 300;   // batch rows, input features, classes, Adam steps
    private const float T = 2f, LearningRate = 0.05f;

    /// <summary>Trains, checks that the loss fell, and returns the loss at every step (0..Steps).</summary>
    public static double[] Run(Checks checks)
    {
        var rng = new Random(42);
        float[] wTeacher = Gaussian(rng, D * V, 1f), wStudent = Gaussian(rng, D * V, 0.01f);
        float[] x = new float[B * D], t = new float[B * V], s = new float[B * V], ds = new float[B * V], dW = new float[D * V];
        float[] m = new float[D * V], v = new float[D * V];
        var losses = new double[Steps + 1];
        for (int step = 0; step <= Steps; step++)
        {
            Gaussian(rng, x);                       // a fresh batch of inputs every step
            Logits(x, wTeacher, t);
            Logits(x, wStudent, s);
            // perRow: default = only the batch mean; dt: default = no gradient for the frozen teacher.
            losses[step] = DistillationKl.RowsAndGradient(t, s, rowLength: V, perRow: default, RowReduction.BatchMean,
                dt: default, ds: ds, T: T);
            if (step == Steps) break;

            // Backpropagate through s = x W_s: dW[k, :] = Σ_b x[b, k] ds[b, :]; then one Adam step.
            Array.Clear(dW);
            for (int b = 0; b < B; b++)
                for (int k = 0; k < D; k++)
                    Axpy(x[b * D + k], ds.AsSpan(b * V, V), dW.AsSpan(k * V, V));
            Adam(wStudent, dW, m, v, step + 1);
        }
        Console.WriteLine($"   loss {losses[0]:F3} at step 0 -> {losses[Steps]:F4} at step {Steps} ({losses[0] / losses[Steps]:F0}x lower)");
        checks.That($"distillation loss fell more than 10x in {Steps} steps", losses[Steps] * 10 < losses[0]);
        return losses;
    }

    // logits[b, :] = Σ_k x[b, k] W[k, :].
    private static void Logits(float[] x, float[] w, float[] logits)
    {
        Array.Clear(logits);
        for (int b = 0; b < x.Length / D; b++)
            for (int k = 0; k < D; k++)
                Axpy(x[b * D + k], w.AsSpan(k * V, V), logits.AsSpan(b * V, V));
    }

    // y += a x, with System.Numerics.Vector<float>.
    private static void Axpy(float a, ReadOnlySpan<float> x, Span<float> y)
    {
        int i = 0, w = Vector<float>.Count;
        for (; i <= x.Length - w; i += w)
            (new Vector<float>(y.Slice(i)) + a * new Vector<float>(x.Slice(i))).CopyTo(y.Slice(i));
        for (; i < x.Length; i++) y[i] += a * x[i];
    }

    // Adam (Kingma & Ba) with the usual betas.
    private static void Adam(float[] w, float[] g, float[] m, float[] v, int t)
    {
        const float b1 = 0.9f, b2 = 0.999f, eps = 1e-8f;
        float c1 = 1 - MathF.Pow(b1, t), c2 = 1 - MathF.Pow(b2, t);
        for (int i = 0; i < w.Length; i++)
        {
            m[i] = b1 * m[i] + (1 - b1) * g[i];
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
            w[i] -= LearningRate * (m[i] / c1) / (MathF.Sqrt(v[i] / c2) + eps);
        }
    }

    private static float[] Gaussian(Random rng, int n, float std)
    {
        var a = new float[n];
        Gaussian(rng, a);
        for (int i = 0; i < n; i++) a[i] *= std;
        return a;
    }

    // Standard normal samples (Box-Muller).
    private static void Gaussian(Random rng, float[] a)
    {
        for (int i = 0; i < a.Length; i++)
            a[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
    }
}
