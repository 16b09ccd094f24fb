using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using KernelDsl.Runtime;

namespace KernelDsl.Bench;

/// <summary>
/// --pairs-scaling [budget-seconds]: Gaussian MMD² (the methods of <see cref="PairsMmd"/>) at n = m = 4,096, 16,384 and
/// 65,536, d = 3 and 64, one thread, thread CPU time, minimum over rounds. A call at 65,536 is 256 times one at 4,096, so
/// the rounds shrink with the size (as many as fit the budget per method and size, default 15 s, at least one) and the
/// slow baselines run only where one call takes under about two minutes: the naive double loop and TensorPrimitives at
/// every size for the value at d = 3 and up to 16,384 for the gradient, at 4,096 only at d = 64 (the naive loop's time at
/// the other sizes is then its n² extrapolation, printed as such). The generated kernel's n² scaling is each size's time
/// over (n / 4096)² times the time at 4,096 (1.00 = exactly n²). Writes pairs-scaling.csv and pairs-scaling.md in the
/// current folder.
/// </summary>
internal static class PairsScaling
{
    private sealed record Row(int D, int N, string Method, double MinNs, int Rounds);

    public static void Run(double budgetSeconds)
    {
        if (Environment.GetEnvironmentVariable("PAIRS_N") != null || Environment.GetEnvironmentVariable("PAIRS_D") != null)
            throw new InvalidOperationException("--pairs-scaling sets the sizes itself: unset PAIRS_N and PAIRS_D.");
        var rows = new List<Row>();
        foreach (int d in new[] { 3, 64 })
        foreach (int n in new[] { 4096, 16384, 65536 })
        {
            var bench = new PairsMmd { N = n, D = d, Threads = 1 };
            bench.Setup();
            var methods = new List<(string Name, Func<double> Call)>
            {
                ("Generated_Value", bench.Generated_Value),
                ("Generated_ValueGradX", bench.Generated_ValueGradX),
                ("Roofline_Fma", () => bench.Roofline_Fma()),
            };
            if (d == 3 || n == 4096)
            {
                methods.Add(("Naive_Value", bench.Naive_Value));
                methods.Add(("TensorPrimitives_Value", bench.TensorPrimitives_Value));
            }
            if ((d == 3 && n <= 16384) || n == 4096)
            {
                methods.Add(("Naive_ValueGradX", bench.Naive_ValueGradX));
                methods.Add(("TensorPrimitives_ValueGradX", bench.TensorPrimitives_ValueGradX));
            }
            foreach (var (name, call) in methods)
            {
                // Warm up where a call is cheap (the JIT tiers the engine's loops in the 4,096 runs, which come first).
                if (n <= 16384) call();
                double first = Time(call), best = first;
                int rounds = 1;
                double spent = first;
                while (spent + best <= budgetSeconds * 1e9 && rounds < 9)
                {
                    double t = Time(call);
                    best = Math.Min(best, t);
                    spent += t;
                    rounds++;
                }
                rows.Add(new Row(d, n, name, best, rounds));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"d={d} n={n} {name}: {best / 1e6:F1} ms (min of {rounds})"));
            }
            bench.Cleanup();
        }
        Write(rows);
    }

    private static double Time(Func<double> call)
    {
        double t0 = Interleaved.Now(cpu: true);
        call();
        return Interleaved.Now(cpu: true) - t0;
    }

    private static void Write(List<Row> rows)
    {
        var inv = CultureInfo.InvariantCulture;
        using (var csv = new StreamWriter("pairs-scaling.csv"))
        {
            csv.WriteLine("d,n,method,min_ns,rounds");
            foreach (var r in rows) csv.WriteLine(string.Create(inv, $"{r.D},{r.N},{r.Method},{r.MinNs:F0},{r.Rounds}"));
        }
        using var md = new StreamWriter("pairs-scaling.md");
        md.WriteLine("### Gaussian MMD², n = m, one thread (thread CPU time, min over rounds)");
        md.WriteLine();
        md.WriteLine("Pairs per second count the pairs the generated value evaluates (self pairs once: n(n-1) + n²); `x naive`");
        md.WriteLine("and `x TP` are the baselines' times over the generated method's (value with value, gradient with gradient);");
        md.WriteLine("`n² scaling` is the time over (n/4096)² times the time at 4,096; `e` marks a naive time extrapolated by n².");
        md.WriteLine();
        md.WriteLine("| d | n | method | min | rounds | G pairs/s | x roofline | x naive | x TP | n² scaling |");
        md.WriteLine("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows.Where(r => r.Method.StartsWith("Generated", StringComparison.Ordinal)))
        {
            double pairs = (double)r.N * (r.N - 1) + (double)r.N * r.N;
            bool grad = r.Method.EndsWith("GradX", StringComparison.Ordinal);
            string suffix = grad ? "_ValueGradX" : "_Value";
            var roof = rows.First(x => x.D == r.D && x.N == r.N && x.Method == "Roofline_Fma");
            var baseRow = rows.First(x => x.D == r.D && x.N == 4096 && x.Method == r.Method);
            string naive = Ratio(rows, r, "Naive" + suffix, out bool extrapolated);
            string tp = Ratio(rows, r, "TensorPrimitives" + suffix, out _);
            double scaling = r.MinNs / (baseRow.MinNs * Math.Pow(r.N / 4096.0, 2));
            md.WriteLine(string.Create(inv,
                $"| {r.D} | {r.N} | {r.Method} | {r.MinNs / 1e6:F1} ms | {r.Rounds} | {pairs / r.MinNs:F2} | {(grad ? "" : (r.MinNs / roof.MinNs).ToString("F2", inv))} | {naive}{(extrapolated ? " e" : "")} | {tp} | {scaling:F2} |"));
        }
        md.WriteLine();
        md.WriteLine("Raw rows: pairs-scaling.csv (every method, including the roofline and the baselines).");
    }

    // The baseline's time over r's; where it was not run at r's size, its time at 4,096 scaled by n² (extrapolated).
    private static string Ratio(List<Row> rows, Row r, string method, out bool extrapolated)
    {
        extrapolated = false;
        var at = rows.FirstOrDefault(x => x.D == r.D && x.N == r.N && x.Method == method);
        if (at != null) return (at.MinNs / r.MinNs).ToString("F1", CultureInfo.InvariantCulture);
        if (!method.StartsWith("Naive", StringComparison.Ordinal)) return "";
        var small = rows.FirstOrDefault(x => x.D == r.D && x.N == 4096 && x.Method == method);
        if (small == null) return "";
        extrapolated = true;
        return (small.MinNs * Math.Pow(r.N / 4096.0, 2) / r.MinNs).ToString("F1", CultureInfo.InvariantCulture);
    }
}
