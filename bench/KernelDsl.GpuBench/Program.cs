using System;
using System.Linq;
using System.Diagnostics;
using ILGPU;
using ILGPU.Runtime;
using KernelDsl.Gpu.Catalogue; // the catalogue with its Gpu classes (package KernelDsl.Gpu)
using KernelDsl.Runtime;
using KernelDsl.Runtime.Gpu;

// The GPU benchmark: the device's copy bandwidth first, then the generated kernels against it.
//   dotnet run -c Release --project bench/KernelDsl.GpuBench                 (n = 2^28 on the best device)
//   dotnet run -c Release --project bench/KernelDsl.GpuBench -- --cpu --log2n 22   (ILGPU's CPU accelerator, smaller)
//   ... -- --pairs 16,20      Gaussian MMD² clouds of n = m = 2^16 and 2^20 points, d = 3 (the default; --cpu: 2^10)
//   ... -- --pairs none       skips the pair section
//   ... -- --softmin [sizes]   only Sinkhorn's softmin: row log-sum-exp sweeps and solver iterations between clouds of
//                             n = m points, d = 3 (default 10000,100000; with --cpu keep the sizes tiny, e.g. 256)
bool cpu = args.Contains("--cpu");
int log2n = args.SkipWhile(a => a != "--log2n").Skip(1).Select(int.Parse).DefaultIfEmpty(28).First();
int iterations = args.SkipWhile(a => a != "--iterations").Skip(1).Select(int.Parse).DefaultIfEmpty(10).First();
long n = 1L << log2n;

using var device = cpu ? KernelDevice.CreateCpu() : KernelDevice.CreateBest();
var acc = device.Accelerator;
Console.WriteLine($"device: {device.Name}, memory {acc.MemorySize / (1 << 20)} MiB; n = 2^{log2n} floats; {iterations} iterations");

var rng = new Random(1);
if (args.Contains("--softmin"))
{
    string sizes = args.SkipWhile(a => a != "--softmin").Skip(1).Where(a => !a.StartsWith("--", StringComparison.Ordinal)).DefaultIfEmpty("10000,100000").First();
    SoftminBench.Run(device, sizes.Split(',').Select(int.Parse).ToArray(), iterations, rng);
    return;
}
var host = new float[n];
for (long i = 0; i < n; i++) host[i] = (float)(0.01 + rng.NextDouble());
using var p = acc.Allocate1D(host);
for (long i = 0; i < n; i++) host[i] = (float)(0.01 + rng.NextDouble());
using var q = acc.Allocate1D(host);
using var dp = acc.Allocate1D<float>(n);
using var dq = acc.Allocate1D<float>(n);

double Time(Action body)
{
    body(); acc.Synchronize(); // warm-up: compiles the kernels
    var sw = Stopwatch.StartNew();
    for (int k = 0; k < iterations; k++) body();
    acc.Synchronize();
    return sw.Elapsed.TotalSeconds / iterations;
}

double copy = Time(() => p.View.CopyTo(dp.View));
double copyGBs = 2.0 * 4 * n / copy / 1e9;
Console.WriteLine($"copy (read + write):       {copy * 1e3,9:F3} ms  {copyGBs,7:F1} GB/s");

double kl = Time(() => KullbackLeibler.Gpu.Value(device, p.View, q.View));
double klGBs = 2.0 * 4 * n / kl / 1e9;
Console.WriteLine($"KL value (2 reads):        {kl * 1e3,9:F3} ms  {klGBs,7:F1} GB/s  {100 * klGBs / copyGBs,5:F1}% of copy (target 80%)");

double klg = Time(() => KullbackLeibler.Gpu.ValueAndGradient(device, p.View, q.View, dp.View, dq.View));
double klgGBs = 4.0 * 4 * n / klg / 1e9;
Console.WriteLine($"KL value+grad (2R + 2W):   {klg * 1e3,9:F3} ms  {klgGBs,7:F1} GB/s  {100 * klgGBs / copyGBs,5:F1}% of copy");

// Hinton distillation rows [rows x 128k] forward+backward through Gpu.RowsAndGradient: one group per row runs both passes
// (the row's two logsumexps stay in shared memory); t and s are read twice, ds written once.
int v = 1 << 17;
foreach (int rows in new[] { 16, 256 })
{
    long size = (long)rows * v;
    if (size * 4 * 3 > acc.MemorySize / 2) continue;
    var logits = new float[size];
    for (long i = 0; i < size; i++) logits[i] = (float)(8 * rng.NextDouble() - 4);
    using var t = acc.Allocate1D(logits);
    for (long i = 0; i < size; i++) logits[i] = (float)(8 * rng.NextDouble() - 4);
    using var s = acc.Allocate1D(logits);
    using var ds = acc.Allocate1D<float>(size);
    double kd = Time(() => DistillationKl.Gpu.RowsAndGradient(device, t.View, s.View, v, default, RowReduction.BatchMean, default, ds.View, 2f));
    double kdGBs = size * 4.0 * 5 / kd / 1e9;
    Console.WriteLine($"distillation {rows} x 128k f+b (Rows): {kd * 1e3,9:F3} ms  {kdGBs,7:F1} GB/s  {100 * kdGBs / copyGBs,5:F1}% of copy (target 60%)");
}

// Gaussian MMD² between clouds of n = m points, d = 3, float (GaussianMmd2.Gpu: one thread per point, column tiles in
// shared memory, sums in double, no atomics). Value: three sweeps over n² pairs (x-x, y-y, x-y); value + grad_x: x meets x
// and y in one sweep, y meets y in a second (the same 3 n² pairs). Pairs per second count every (i, j) a sweep visits.
string pairsArg = args.SkipWhile(a => a != "--pairs").Skip(1).DefaultIfEmpty(cpu ? "10" : "16,20").First();
if (pairsArg != "none")
{
    const int dims = 3;
    foreach (int log2 in pairsArg.Split(',').Select(int.Parse))
    {
        int points = 1 << log2;
        var cloud = new float[points * dims];
        for (int i = 0; i < cloud.Length; i++) cloud[i] = (float)(rng.NextDouble() * 2 - 1);
        using var x = acc.Allocate1D(cloud);
        for (int i = 0; i < cloud.Length; i++) cloud[i] = (float)(rng.NextDouble() * 2 - 0.5);
        using var y = acc.Allocate1D(cloud);
        using var gx = acc.Allocate1D<float>(cloud.Length);
        int saved = iterations;
        iterations = log2 >= 20 ? 1 : Math.Min(iterations, 3);
        double pairs = 3.0 * points * points;
        double mmd = Time(() => GaussianMmd2.Gpu.Value(device, x.View, y.View, dims, 0.5f));
        Console.WriteLine($"Gaussian MMD² value, n = m = 2^{log2}, d = 3:      {mmd * 1e3,11:F3} ms  {pairs / mmd / 1e9,8:F2} Gpairs/s");
        double mmdg = Time(() => GaussianMmd2.Gpu.ValueAndGradient(device, x.View, y.View, dims, gx.View, default, 0.5f));
        Console.WriteLine($"Gaussian MMD² value+grad_x, n = m = 2^{log2}, d = 3: {mmdg * 1e3,11:F3} ms  {pairs / mmdg / 1e9,8:F2} Gpairs/s");
        iterations = saved;
    }
}
