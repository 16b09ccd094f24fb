using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;

namespace KernelDsl.Bench;

/// <summary>
/// --interleaved [rounds] [families]: a cross-check of the BenchmarkDotNet run for a shared, noisy machine. For each family and
/// parameter combination, the methods of the family are timed in turn, round after round (each turn a batch of about
/// 2 ms), so every method sees the same background load; the minimum over rounds (noise only ever adds time) and the
/// median are reported, with the derived ratios. Each combination runs for at least the given number of rounds and at
/// least 3 seconds. At Threads = 1 the clock is the thread's own CPU time
/// (CLOCK_THREAD_CPUTIME_ID on Linux), so time slices given to other processes on a shared machine are not counted;
/// at Threads &gt; 1 it is the wall clock. Families: the classes whose name contains one of the comma-separated parts of
/// the filter (all when none), with the sizes and thread counts they give BenchmarkDotNet. The time per call includes
/// the call through a compiled delegate (about 1-2 ns; BenchmarkDotNet subtracts its own overhead instead), which
/// matters only at n = 16. Writes interleaved.csv (family, n, threads, method, min_ns, median_ns, rounds, d) and
/// interleaved.md in the current directory.
/// </summary>
internal static unsafe class Interleaved
{
    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec { public long Seconds; public long Nanoseconds; }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, Timespec* time);

    private const int ClockThreadCpuTime = 3;

    private static readonly bool HasThreadClock = OperatingSystem.IsLinux();

    /// <summary>Now, in ns: this thread's CPU time, or the wall clock.</summary>
    internal static double Now(bool cpu)
    {
        if (cpu && HasThreadClock)
        {
            Timespec t;
            ClockGetTime(ClockThreadCpuTime, &t);
            return t.Seconds * 1e9 + t.Nanoseconds;
        }
        return Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency);
    }

    private sealed record Row(string Family, int N, int D, int Threads, string Method, double MinNs, double MedianNs, int Rounds);

    /// <summary>
    /// The benchmark classes whose name contains one of the comma-separated parts of <paramref name="filter"/> (all when
    /// null), in name order.
    /// </summary>
    internal static IEnumerable<Type> Families(string? filter)
    {
        var parts = filter?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return typeof(Interleaved).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && t.GetMethods().Any(m => m.IsDefined(typeof(BenchmarkAttribute))))
            .Where(t => parts is null || parts.Any(p => t.Name.Contains(p, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>The sizes of a family (0: the family fixes its own size) and its thread counts, as BenchmarkDotNet sees them.</summary>
    internal static (int[] Sizes, int[] Threads) Parameters(Type type)
    {
        var probe = Activator.CreateInstance(type);
        return probe is VectorBenchBase v
            ? (v.Sizes.ToArray(), v.ThreadChoices.ToArray())
            : (new[] { 0 }, VectorBenchBase.ThreadCounts.ToArray());
    }

    public static void Run(int rounds, string? filter)
    {
        var rows = new List<Row>();
        foreach (var type in Families(filter))
        {
            var (sizes, threadCounts) = Parameters(type);
            foreach (int n in sizes)
            foreach (int threads in threadCounts)
            {
                var bench = Activator.CreateInstance(type)!;
                if (n > 0) type.GetField("N")!.SetValue(bench, n);
                type.GetField("Threads")!.SetValue(bench, threads);
                type.GetMethods().First(m => m.IsDefined(typeof(GlobalSetupAttribute))).Invoke(bench, null);
                // A family that reads its size in its setup (PairsMmd: PAIRS_N, PAIRS_D) reports that size, not 0.
                int size = n > 0 ? n : type.GetField("N")?.GetValue(bench) is int set ? set : 0;
                int features = type.GetField("D")?.GetValue(bench) is int d ? d : 0;
                var methods = type.GetMethods().Where(m => m.IsDefined(typeof(BenchmarkAttribute)))
                    .Where(m => threads == 1 || !m.IsDefined(typeof(SingleThreadOnlyAttribute))).ToArray();
                var calls = methods.Select(m => Expression.Lambda<Action>(Expression.Call(Expression.Constant(bench), m)).Compile()).ToArray();
                var batch = new int[calls.Length];
                for (int k = 0; k < calls.Length; k++)
                {
                    // Warm up (tiering: 30 calls then a background recompile), then size a batch to about 2 ms
                    // (at n = 16, ~10^5 calls: the timer's cost is spread over them; at 16M, one call).
                    var warm = Stopwatch.StartNew();
                    int c = 0;
                    while (c < 60 || warm.ElapsedMilliseconds < 300) { calls[k](); c++; if (c >= 4 && warm.ElapsedMilliseconds > 1500) break; }
                    double per = warm.Elapsed.TotalMilliseconds / c;
                    batch[k] = Math.Max(1, (int)(2 / per));
                }
                var samples = new List<double>[calls.Length];
                for (int k = 0; k < calls.Length; k++) samples[k] = new List<double>();
                // At least `rounds` rounds and at least 3 s, so that the rounds span the slow and fast spells of a shared machine.
                var clock = Stopwatch.StartNew();
                int done = 0;
                for (int r = 0; r < rounds || (clock.ElapsedMilliseconds < 3000 && r < 2000); r++, done++)
                for (int j = 0; j < calls.Length; j++)
                {
                    int k = (j + r) % calls.Length; // rotate the order
                    bool cpu = threads == 1;
                    double t0 = Now(cpu);
                    for (int b = 0; b < batch[k]; b++) calls[k]();
                    samples[k].Add((Now(cpu) - t0) / batch[k]);
                }
                for (int k = 0; k < calls.Length; k++)
                {
                    var s = samples[k].OrderBy(x => x).ToArray();
                    rows.Add(new Row(type.Name, size, features, threads, methods[k].Name, s[0], s[s.Length / 2], done));
                }
                Console.WriteLine($"{type.Name} N={size}{(features > 0 ? $" D={features}" : "")} Threads={threads} ({done} rounds): "
                                  + string.Join(", ", methods.Select((m, k) => $"{m.Name} {rows[rows.Count - calls.Length + k].MinNs:F0} ns")));
                type.GetMethods().First(m => m.IsDefined(typeof(GlobalCleanupAttribute))).Invoke(bench, null);
            }
        }
        Write(rows);
    }

    /// <summary>The family a small-n family measures (SmallNKlValue: KlValue).</summary>
    internal static string BaseFamily(string family) => family.StartsWith("SmallN", StringComparison.Ordinal) ? family["SmallN".Length..] : family;

    /// <summary>Bytes each method moves at the memory ceiling it is compared with (value: 2 reads; gradients: 2 reads + writes).</summary>
    private static double Bytes(string family, int n, string method) => BaseFamily(family) switch
    {
        "KlValueAndGradient" => 16.0 * n,                                              // p, q read; dp, dq written
        "DistillationKlRows" => (method.EndsWith("Bwd", StringComparison.Ordinal) || method.EndsWith("2R1W", StringComparison.Ordinal) ? 12.0 : 8.0)
                                * DistillationKlRows.RowCount * DistillationKlRows.RowLength,
        _ => 8.0 * n,                                                                  // p, q read
    };

    private static void Write(List<Row> rows)
    {
        var inv = CultureInfo.InvariantCulture;
        using (var csv = new StreamWriter("interleaved.csv"))
        {
            csv.WriteLine("family,n,threads,method,min_ns,median_ns,rounds,d");
            foreach (var r in rows) csv.WriteLine(string.Create(inv, $"{r.Family},{r.N},{r.Threads},{r.Method},{r.MinNs:F1},{r.MedianNs:F1},{r.Rounds},{r.D}"));
        }
        using var md = new StreamWriter("interleaved.md");
        foreach (var family in rows.GroupBy(r => r.Family))
        {
            md.WriteLine($"### {family.Key} (interleaved, min over rounds; median in parentheses)");
            md.WriteLine();
            md.WriteLine("| N | Threads | Method | min | (median) | GB/s at min | vs Generated (min) |");
            md.WriteLine("|---:|---:|---|---:|---:|---:|---:|");
            foreach (var g in family.GroupBy(r => (r.N, r.Threads)))
            {
                foreach (var r in g)
                {
                    // The generated method of the same category (the forward or the backward one for distillation).
                    var gen = g.FirstOrDefault(x => x.Method.StartsWith("Generated", StringComparison.Ordinal) && x.Method.EndsWith("Bwd", StringComparison.Ordinal) == IsBackward(r.Method));
                    string ratio = gen is null ? "" : (r.MinNs / gen.MinNs).ToString("F2", inv);
                    md.WriteLine(string.Create(inv, $"| {(r.N == 0 ? "16 x 128k" : r.N.ToString(inv))}{(r.D > 0 ? $", d = {r.D}" : "")} | {r.Threads} | {r.Method} | {Format(r.MinNs)} | ({Format(r.MedianNs)}) | {Bytes(r.Family, r.N, r.Method) / r.MinNs:F1} | {ratio} |"));
                }
            }
            md.WriteLine();
        }
    }

    private static bool IsBackward(string method) => method.EndsWith("Bwd", StringComparison.Ordinal) || method.EndsWith("2R1W", StringComparison.Ordinal);

    private static string Format(double ns) => ns switch
    {
        < 1e3 => ns.ToString("F0", CultureInfo.InvariantCulture) + " ns",
        < 1e6 => (ns / 1e3).ToString("F2", CultureInfo.InvariantCulture) + " us",
        _ => (ns / 1e6).ToString("F2", CultureInfo.InvariantCulture) + " ms",
    };
}
