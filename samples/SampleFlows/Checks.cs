using System;
using System.Collections.Generic;

namespace SampleFlows;

/// <summary>The sample's checks: each one is printed as it is made, and the exit code is 1 if any failed.</summary>
internal sealed class Checks
{
    private readonly List<string> _failed = new();
    private int _count;

    /// <summary>Passes if <paramref name="error"/> is at most <paramref name="tolerance"/> (NaN fails).</summary>
    public void AtMost(string what, double error, double tolerance)
    {
        bool ok = error <= tolerance;
        Record(ok, $"{what}: {error:G3} (tolerance {tolerance:G3})");
    }

    /// <summary>Passes if <paramref name="condition"/> holds.</summary>
    public void That(string what, bool condition) => Record(condition, what);

    /// <summary>Prints the verdict and returns the process exit code.</summary>
    public int Report()
    {
        if (_failed.Count == 0)
        {
            Console.WriteLine($"All {_count} checks passed.");
            return 0;
        }
        Console.WriteLine($"{_failed.Count} of {_count} checks FAILED:");
        foreach (string f in _failed) Console.WriteLine("  " + f);
        return 1;
    }

    private void Record(bool ok, string line)
    {
        _count++;
        Console.WriteLine($"   [{(ok ? "ok" : "FAIL")}] {line}");
        if (!ok) _failed.Add(line);
    }
}
