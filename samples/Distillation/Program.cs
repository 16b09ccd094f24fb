using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Numerics.Tensors;
using KernelDsl.Runtime;
using KernelDsl.Runtime.Gpu;
using KernelDsl.Gpu.Catalogue; // the catalogue with its Gpu classes (package KernelDsl.Gpu)

// Knowledge distillation with KernelDsl: a linear student s = x W_s learns to match a fixed linear teacher t = x W_t by
// minimising Hinton's loss T² KL(softmax(t/T) || softmax(s/T)), averaged over the rows of a batch. The loss and its
// gradient w.r.t. the student's logits come from one generated call, DistillationKl.RowsAndGradient (declared in
// src/Runtime/Catalogue/Losses.cs); everything else (matrix products, Adam) is ordinary code.
// With --gpu the same call runs on an ILGPU device (DistillationKl.Gpu.RowsAndGradient, CUDA > OpenCL > ILGPU's CPU
// accelerator; the span overload copies the logits in and the gradient back).
const int B = 64, D = 32, V = 1000;     // batch rows, input features, classes (the "vocabulary")
const float T = 2f;                     // distillation temperature
const int Steps = 300, HeldOut = 2000;
const float LearningRate = 0.05f;       // Adam; tuned so the loss falls by well over 10x in 300 steps
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;   // "0.1234" in every locale

using KernelDevice? device = args.Contains("--gpu") ? KernelDevice.CreateBest() : null;
if (device != null) Console.WriteLine($"loss on {device.Name}{(device.IsCpu ? ": no GPU found, ILGPU's CPU accelerator (slow)" : "")}");

var rng = new Random(42);
float[] wTeacher = Gaussian(rng, D * V, 1f);     // D x V, row-major; logits of std ≈ √D ≈ 5.7: a confident teacher
float[] wStudent = Gaussian(rng, D * V, 0.01f);  // small random init

// Buffers for one batch, all row-major with V columns: one row of logits per input.
var x = new float[B * D];
var t = new float[B * V];               // teacher logits
var s = new float[B * V];               // student logits
var ds = new float[B * V];              // dLoss/ds, written by the generated kernel
var dW = new float[D * V];              // dLoss/dW_s = xᵀ ds

// 1. Is the generated gradient right? Compare it with a central difference of the generated loss on a few coordinates.
// We use the double overloads (the generator emits float and double from the same formula): a float loss over 64,000
// logits has too few digits for a finite difference of one logit to mean anything.
FillGaussian(rng, x);
Logits(x, wTeacher, t);
Logits(x, wStudent, s);
CheckGradient(t, s);

// 2. Train: fresh inputs every step, loss and gradient from the generated kernel, backprop to W_s, Adam step.
var adam = new Adam(D * V, LearningRate);
var kernelTime = new Stopwatch();
var total = Stopwatch.StartNew();
float firstLoss = 0, loss = 0;
for (int step = 0; step <= Steps; step++)
{
    FillGaussian(rng, x);
    Logits(x, wTeacher, t);
    Logits(x, wStudent, s);

    kernelTime.Start();
    // perRow: default = we only want the batch mean; dt: default = no gradient for the (frozen) teacher.
    loss = device is null
        ? DistillationKl.RowsAndGradient(t, s, rowLength: V, perRow: default, RowReduction.BatchMean, dt: default, ds: ds, T: T)
        : DistillationKl.Gpu.RowsAndGradient(device, t, s, rowLength: V, perRow: default, RowReduction.BatchMean, dt: default, ds: ds, T: T);
    kernelTime.Stop();

    if (step == 0) firstLoss = loss;
    if (step % 20 == 0) Console.WriteLine($"step {step,3}  loss {loss:F4}");
    if (step == Steps) break;

    // Backpropagate through s = x W_s: dW[k, :] = Σ_b x[b, k] · ds[b, :].
    Array.Clear(dW);
    for (int b = 0; b < B; b++)
        for (int k = 0; k < D; k++)
            TensorPrimitives.MultiplyAdd(ds.AsSpan(b * V, V), x[b * D + k], dW.AsSpan(k * V, V), dW.AsSpan(k * V, V));
    adam.Step(wStudent, dW);
}
total.Stop();
Console.WriteLine($"loss {firstLoss:F4} -> {loss:F4} ({firstLoss / loss:F0}x lower)");

// 3. Held-out agreement: on inputs never trained on, how often does the student pick the teacher's top class?
var xHeld = new float[HeldOut * D];
FillGaussian(rng, xHeld);
var tHeld = new float[HeldOut * V];
var sHeld = new float[HeldOut * V];
Logits(xHeld, wTeacher, tHeld);
Logits(xHeld, wStudent, sHeld);
int agree = 0;
for (int i = 0; i < HeldOut; i++)
    if (TensorPrimitives.IndexOfMax(tHeld.AsSpan(i * V, V)) == TensorPrimitives.IndexOfMax(sHeld.AsSpan(i * V, V))) agree++;
Console.WriteLine($"held-out top-1 agreement with the teacher: {100.0 * agree / HeldOut:F1}% of {HeldOut} inputs (chance: {100.0 / V:F1}%)");

double perStep = total.Elapsed.TotalMilliseconds / (Steps + 1), inKernel = kernelTime.Elapsed.TotalMilliseconds / (Steps + 1);
Console.WriteLine($"time per step: {perStep:F2} ms, of which generated loss+gradient {inKernel:F2} ms, rest (data, matmuls, Adam) {perStep - inKernel:F2} ms");

// logits[b, :] = Σ_k x[b, k] · W[k, :] for each row b of x (rows × D) and W (D × V).
static void Logits(float[] x, float[] w, float[] logits)
{
    Array.Clear(logits);
    for (int b = 0; b < x.Length / D; b++)
        for (int k = 0; k < D; k++)
            TensorPrimitives.MultiplyAdd(w.AsSpan(k * V, V), x[b * D + k], logits.AsSpan(b * V, V), logits.AsSpan(b * V, V));
}

static void CheckGradient(float[] t, float[] s)
{
    double[] td = t.Select(v => (double)v).ToArray(), sd = s.Select(v => (double)v).ToArray();
    var grad = new double[sd.Length];
    DistillationKl.RowsAndGradient(td, sd, V, default, RowReduction.BatchMean, default, grad, (double)T);
    var gradFloat = new float[s.Length];
    DistillationKl.RowsAndGradient(t, s, V, default, RowReduction.BatchMean, default, gradFloat, T);

    // In rows 0..3: the teacher's favourite class (a large gradient) and an arbitrary one.
    int[] coords = Enumerable.Range(0, 4)
        .SelectMany(b => new[] { b * V + TensorPrimitives.IndexOfMax(t.AsSpan(b * V, V)), b * V + 17 * (b + 1) })
        .ToArray();
    double worst = 0, worstFloat = 0;
    const double h = 1e-3;
    foreach (int i in coords)
    {
        double keep = sd[i];
        sd[i] = keep + h; double up = DistillationKl.Rows(td, sd, V, default, RowReduction.BatchMean, T);
        sd[i] = keep - h; double down = DistillationKl.Rows(td, sd, V, default, RowReduction.BatchMean, T);
        sd[i] = keep;
        double numeric = (up - down) / (2 * h);
        worst = Math.Max(worst, Math.Abs(grad[i] - numeric) / Math.Abs(numeric));
        worstFloat = Math.Max(worstFloat, Math.Abs(gradFloat[i] - grad[i]) / Math.Abs(grad[i]));
    }
    Console.WriteLine($"gradient check on {coords.Length} logits: max relative difference {worst:G2} from a central difference (double),");
    Console.WriteLine($"  float gradient within {worstFloat:G2} of the double one");
}

static float[] Gaussian(Random rng, int n, float std)
{
    var a = new float[n];
    FillGaussian(rng, a);
    TensorPrimitives.Multiply(a, std, a);
    return a;
}

// Standard normal samples by Box-Muller.
static void FillGaussian(Random rng, float[] a)
{
    for (int i = 0; i < a.Length; i++)
        a[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
}

// Adam (Kingma & Ba) with the usual defaults.
sealed class Adam(int n, float lr, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f)
{
    private readonly float[] m = new float[n], v = new float[n];
    private int t;

    public void Step(float[] w, float[] g)
    {
        t++;
        float c1 = 1 - MathF.Pow(beta1, t), c2 = 1 - MathF.Pow(beta2, t);
        for (int i = 0; i < w.Length; i++)
        {
            m[i] = beta1 * m[i] + (1 - beta1) * g[i];
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
            w[i] -= lr * (m[i] / c1) / (MathF.Sqrt(v[i] / c2) + eps);
        }
    }
}
