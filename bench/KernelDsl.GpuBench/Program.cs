using System;
using System.Linq;
using System.Diagnostics;
using ILGPU;
using ILGPU.Runtime;
using KernelDsl.Catalogue;
using KernelDsl.Runtime.Gpu;

// The GPU benchmark: the device's copy bandwidth first, then the generated kernels against it.
//   dotnet run -c Release --project bench/KernelDsl.GpuBench                 (n = 2^28 on the best device)
//   dotnet run -c Release --project bench/KernelDsl.GpuBench -- --cpu --log2n 22   (ILGPU's CPU accelerator, smaller)
bool cpu = args.Contains("--cpu");
int log2n = args.SkipWhile(a => a != "--log2n").Skip(1).Select(int.Parse).DefaultIfEmpty(28).First();
int iterations = args.SkipWhile(a => a != "--iterations").Skip(1).Select(int.Parse).DefaultIfEmpty(10).First();
long n = 1L << log2n;

using var device = cpu ? KernelDevice.CreateCpu() : KernelDevice.CreateBest();
var acc = device.Accelerator;
Console.WriteLine($"device: {device.Name}, memory {acc.MemorySize / (1 << 20)} MiB; n = 2^{log2n} floats; {iterations} iterations");

var rng = new Random(1);
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

// Distillation [16 x 128k] forward+backward: the GPU Rows kernels are not written yet; one row through ValueAndGradient
// gives the per-row cost of the two-pass plan.
int v = 1 << 17;
var row = acc.Allocate1D<float>(v);
using var t = acc.Allocate1D<float>(v);
using var ds = acc.Allocate1D<float>(v);
double kd = Time(() => { for (int r = 0; r < 16; r++) DistillationKl.Gpu.ValueAndGradient(device, t.View, row.View, default, ds.View, 2f); });
double kdGBs = 16.0 * v * 4 * 5 / kd / 1e9; // t and s read twice, ds written once
Console.WriteLine($"distillation 16 x 128k f+b (row by row): {kd * 1e3,9:F3} ms  {kdGBs,7:F1} GB/s  {100 * kdGBs / copyGBs,5:F1}% of copy (target 60%)");
row.Dispose();
