using System;
using System.Linq;
using System.Linq.Expressions;
using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace KernelDsl.Bench;

/// <summary>A benchmark class whose methods write outputs (gradients) that --check should compare.</summary>
public interface IHasOutputs
{
    /// <summary>A short digest of the outputs the last call wrote.</summary>
    string Outputs();
}

/// <summary>
/// --check: runs every benchmark method once per parameter combination (n = 4096 and 1M only) and prints what it returns,
/// so that one sees that the baselines and the generated kernels compute the same thing before timing them.
/// </summary>
internal static class Check
{
    /// <summary>Bytes allocated per call (all threads), over 64 calls after 16 warm-up calls.</summary>
    private static long AllocatedPerCall(MethodInfo m, object bench)
    {
        // A compiled call that drops the result: no boxing, so only what the method itself allocates is counted.
        var call = Expression.Lambda<Action>(Expression.Call(Expression.Constant(bench), m)).Compile();
        for (int i = 0; i < 16; i++) call();
        long before = GC.GetTotalAllocatedBytes(precise: true);
        for (int i = 0; i < 64; i++) call();
        return (GC.GetTotalAllocatedBytes(precise: true) - before) / 64;
    }

    public static void Run()
    {
        foreach (var type in typeof(Check).Assembly.GetTypes().Where(t => !t.IsAbstract && t.GetMethods().Any(m => m.IsDefined(typeof(BenchmarkAttribute)))).OrderBy(t => t.Name))
        {
            var sizes = typeof(VectorBenchBase).IsAssignableFrom(type) ? new[] { 4096, 1 << 20 } : new[] { 0 };
            foreach (int n in sizes)
            foreach (int threads in VectorBenchBase.ThreadCounts)
            {
                var bench = Activator.CreateInstance(type)!;
                if (n > 0) type.GetField("N")!.SetValue(bench, n);
                type.GetField("Threads")!.SetValue(bench, threads);
                type.GetMethods().First(m => m.IsDefined(typeof(GlobalSetupAttribute))).Invoke(bench, null);
                Console.WriteLine($"{type.Name} N={n} Threads={threads}");
                foreach (var m in type.GetMethods().Where(m => m.IsDefined(typeof(BenchmarkAttribute))))
                {
                    if (m.IsDefined(typeof(SingleThreadOnlyAttribute)) && threads != 1) continue;
                    object? r;
                    try { r = m.Invoke(bench, null); }
                    catch (TargetInvocationException e) { r = "THREW " + e.InnerException!.GetType().Name + ": " + e.InnerException.Message; }
                    string outputs = bench is IHasOutputs h && !m.Name.StartsWith("Ceiling", StringComparison.Ordinal) ? "   " + h.Outputs() : "";
                    Console.WriteLine($"  {m.Name,-22} {Convert.ToDouble(r is string ? double.NaN : r):R}{(r is string s ? "  " + s : "")}{outputs}   {AllocatedPerCall(m, bench)} B/call");
                }
                type.GetMethods().First(m => m.IsDefined(typeof(GlobalCleanupAttribute))).Invoke(bench, null);
            }
        }
    }
}
