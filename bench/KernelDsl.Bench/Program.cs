using System;
using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Running;

namespace KernelDsl.Bench;

/// <summary>
/// Entry point: BenchmarkSwitcher, so any subset runs with --filter, e.g.
///   dotnet run -c Release --project bench/KernelDsl.Bench -- --filter '*KlValue*' --job short
/// Options of our own (removed before BenchmarkDotNet sees the arguments):
///   --check [families]  runs each method once (every size below 16M) and prints its result, its relative difference from
///                 the scalar double loop and the bytes it allocates per call, instead of benchmarking.
///   --interleaved [rounds] [families]  times the methods of each family in turn, round after round (see Interleaved);
///                 families: comma-separated parts of class names (KlValue,SmallN), all when left out.
///   --pairs-memory [n] [d]  bytes allocated by Gaussian MMD² and its gradient at n = m (default 200,000, d = 3).
///   --pairs-scaling [budget-seconds]  Gaussian MMD² at n = 4,096 / 16,384 / 65,536, d = 3 and 64, one thread (PairsScaling).
///   --sinkhorn [n ...] [--threads T] [--tolerance E] [--max-iterations K] [--dense-max N]  the debiased Sinkhorn divergence (SinkhornBench).
///   --skip-slow   drops the single-threaded TensorPrimitives and scalar baselines at n = 16M (the slowest cases).
/// BenchmarkDotNet's own --job short (3 warm-ups, 3 iterations, 1 launch) is the quick configuration.
/// PAIRS_N and PAIRS_D (environment) restrict the BenchmarkDotNet run of PairsMmd to that one size, as --interleaved uses
/// them (bench/run-issue12.sh sets 4096 and 3).
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        var rest = new List<string>(args);
        bool skipSlow = rest.Remove("--skip-slow");
        int ix = rest.IndexOf("--interleaved");
        if (ix >= 0)
        {
            int rounds = ix + 1 < rest.Count && int.TryParse(rest[ix + 1], out int r) ? r : 30;
            string? family = rest.Count > ix + 2 ? rest[ix + 2] : null;
            Interleaved.Run(rounds, family);
            return;
        }
        int px = rest.IndexOf("--pairs-memory");
        if (px >= 0)
        {
            int n = px + 1 < rest.Count && int.TryParse(rest[px + 1], out int pn) ? pn : 200_000;
            int d = px + 2 < rest.Count && int.TryParse(rest[px + 2], out int pd) ? pd : 3;
            PairsMemory.Run(n, d);
            return;
        }
        int sx = rest.IndexOf("--pairs-scaling");
        if (sx >= 0)
        {
            PairsScaling.Run(sx + 1 < rest.Count && double.TryParse(rest[sx + 1], System.Globalization.CultureInfo.InvariantCulture, out double budget) ? budget : 15);
            return;
        }
        int kx = rest.IndexOf("--sinkhorn");
        if (kx >= 0)
        {
            string? Option(string name)
            {
                int o = rest.IndexOf(name);
                if (o < 0 || o + 1 >= rest.Count) return null;
                string v = rest[o + 1];
                rest.RemoveRange(o, 2);
                return v;
            }
            int threads = Option("--threads") is { } tv ? int.Parse(tv) : Environment.ProcessorCount;
            double? tolerance = Option("--tolerance") is { } ev ? double.Parse(ev, System.Globalization.CultureInfo.InvariantCulture) : null;
            int denseMax = Option("--dense-max") is { } dv ? int.Parse(dv) : 10_000;
            int? maxIterations = Option("--max-iterations") is { } mv ? int.Parse(mv) : null;
            var sizes = rest.Skip(rest.IndexOf("--sinkhorn") + 1).Select(int.Parse).ToList();
            SinkhornBench.Run(sizes.Count > 0 ? sizes : new List<int> { 10_000, 100_000 }, threads, tolerance, denseMax, maxIterations);
            return;
        }
        int cx = rest.IndexOf("--check");
        if (cx >= 0)
        {
            Check.Run(cx + 1 < rest.Count ? rest[cx + 1] : null);
            return;
        }

        var config = DefaultConfig.Instance
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddExporter(CsvMeasurementsExporter.Default)
            .AddFilter(new SimpleFilter(Filters.Keep(skipSlow)))
            .WithOptions(ConfigOptions.DisableLogFile);

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest.ToArray(), config);
    }
}

/// <summary>Drops the combinations that would only repeat a measurement (see <see cref="SingleThreadOnlyAttribute"/>).</summary>
internal static class Filters
{
    public static Func<BenchmarkDotNet.Running.BenchmarkCase, bool> Keep(bool skipSlow) => bc =>
    {
        var method = bc.Descriptor.WorkloadMethod;
        int threads = bc.Parameters.Items.FirstOrDefault(p => p.Name == "Threads")?.Value is int t ? t : 1;
        int n = bc.Parameters.Items.FirstOrDefault(p => p.Name == "N")?.Value is int v ? v : 0;
        bool singleOnly = method.IsDefined(typeof(SingleThreadOnlyAttribute), false);
        if (singleOnly && threads != 1) return false;
        if (skipSlow && singleOnly && n >= 1 << 24 && method.IsDefined(typeof(SlowAttribute), false)) return false;
        if (bc.Descriptor.Type == typeof(PairsMmd) && !MatchesEnvironment(bc, "N", "PAIRS_N")) return false;
        if (bc.Descriptor.Type == typeof(PairsMmd) && !MatchesEnvironment(bc, "D", "PAIRS_D")) return false;
        return true;
    };

    /// <summary>True unless the environment variable is set and the case's parameter has another value.</summary>
    private static bool MatchesEnvironment(BenchmarkDotNet.Running.BenchmarkCase bc, string parameter, string variable)
    {
        if (Environment.GetEnvironmentVariable(variable) is not { } wanted) return true;
        return bc.Parameters.Items.FirstOrDefault(p => p.Name == parameter)?.Value is not int v || v.ToString(System.Globalization.CultureInfo.InvariantCulture) == wanted.Trim();
    }
}

/// <summary>
/// A baseline that is single-threaded by nature (TensorPrimitives, the scalar loop): it runs only in the Threads = 1
/// cases, since at Threads = all cores it would measure the same thing again.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SingleThreadOnlyAttribute : Attribute;

/// <summary>A baseline that --skip-slow drops at n = 16M.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SlowAttribute : Attribute;
