using System;
using System.Collections.Generic;
using System.Globalization;
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
/// --check [families]: runs every benchmark method once per parameter combination (every size below 16M) and prints what
/// it returns, with its relative difference from the scalar double loop, so that one sees that the baselines and the
/// generated kernels compute the same thing before timing them (at n = 16 too, where the hand-fused loops take their tails).
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

    /// <summary>
    /// The scalar double loop a method's value is compared with: Scalar_Bwd for the backward methods, Scalar_ otherwise
    /// (null for the ceilings, which compute something else, and for families without a scalar loop).
    /// </summary>
    private static string? Reference(string method, IReadOnlyDictionary<string, double> values)
    {
        if (method.StartsWith("Ceiling", StringComparison.Ordinal) || method.StartsWith("Scalar", StringComparison.Ordinal)) return null;
        string name = method.Contains("Bwd", StringComparison.Ordinal) ? "Scalar_Bwd" : "Scalar_";
        return values.ContainsKey(name) ? name : null;
    }

    public static void Run(string? filter)
    {
        foreach (var type in Interleaved.Families(filter))
        {
            var (sizes, threadCounts) = Interleaved.Parameters(type);
            foreach (int n in sizes.Where(n => n < 1 << 24))
            foreach (int threads in threadCounts)
            {
                var bench = Activator.CreateInstance(type)!;
                if (n > 0) type.GetField("N")!.SetValue(bench, n);
                type.GetField("Threads")!.SetValue(bench, threads);
                type.GetMethods().First(m => m.IsDefined(typeof(GlobalSetupAttribute))).Invoke(bench, null);
                Console.WriteLine($"{type.Name} N={n} Threads={threads}");
                var lines = new List<(string Method, double Value, string Text)>();
                foreach (var m in type.GetMethods().Where(m => m.IsDefined(typeof(BenchmarkAttribute))))
                {
                    if (m.IsDefined(typeof(SingleThreadOnlyAttribute)) && threads != 1) continue;
                    object? r;
                    try { r = m.Invoke(bench, null); }
                    catch (TargetInvocationException e) { r = "THREW " + e.InnerException!.GetType().Name + ": " + e.InnerException.Message; }
                    string outputs = bench is IHasOutputs h && !m.Name.StartsWith("Ceiling", StringComparison.Ordinal) ? "   " + h.Outputs() : "";
                    double value = r is string ? double.NaN : Convert.ToDouble(r, CultureInfo.InvariantCulture);
                    lines.Add((m.Name, value, $"{value:R}{(r is string s ? "  " + s : "")}{outputs}   {AllocatedPerCall(m, bench)} B/call"));
                }
                var values = lines.ToDictionary(l => l.Method, l => l.Value);
                foreach (var (method, value, text) in lines)
                {
                    string? reference = Reference(method, values);
                    string rel = reference is null ? "" : $"   rel. to {reference} {Math.Abs(value - values[reference]) / Math.Abs(values[reference]):E1}";
                    Console.WriteLine($"  {method,-22} {text}{rel}");
                }
                type.GetMethods().First(m => m.IsDefined(typeof(GlobalCleanupAttribute))).Invoke(bench, null);
            }
        }
    }
}
