using System.Collections.Generic;
using KernelDsl.Language.Ops;

namespace KernelDsl.Language.Binding;

/// <summary>
/// "Did you mean" for unknown functions and names: a small alias table (names other languages use for a function this one
/// has under another name), then a case-insensitive match, then the nearest candidate by edit distance (optimal string
/// alignment: insertions, deletions, substitutions and swaps of neighbours), within a distance that grows with the length.
/// </summary>
internal static class Suggestions
{
    private static readonly Dictionary<string, string> Aliases = new(System.StringComparer.Ordinal)
    {
        ["ln"] = "log", ["loge"] = "log", ["power"] = "pow", ["square"] = "sq", ["fabs"] = "abs", ["sgn"] = "sign",
        ["expit"] = "sigmoid", ["logistic"] = "sigmoid", ["log_sigmoid"] = "logsigmoid", ["logsoftmax"] = "log_softmax",
        ["lse"] = "logsumexp", ["log_sum_exp"] = "logsumexp", ["avg"] = "mean", ["average"] = "mean", ["relentr"] = "rel_entr",
        ["softmax_log"] = "log_softmax", ["sqr"] = "sq", ["xlog1p"] = "xlog1py", ["log1px"] = "log1p", ["expm"] = "expm1",
    };

    /// <summary>Every function a formula may call, for suggestions.</summary>
    public static IReadOnlyList<string> FunctionNames { get; } = BuildFunctionNames();

    private static List<string> BuildFunctionNames()
    {
        var names = new List<string>(OpTable.Functions.Keys);
        names.AddRange(OpTable.SpecialFunctions);
        names.Sort(System.StringComparer.Ordinal);
        return names;
    }

    /// <summary>The function <paramref name="name"/> was probably meant to be, or null.</summary>
    public static string? ForFunction(string name) =>
        Aliases.TryGetValue(name.ToLowerInvariant(), out var alias) ? alias : Nearest(name, FunctionNames);

    /// <summary>The declared name <paramref name="name"/> was probably meant to be, or null.</summary>
    public static string? ForName(string name, IEnumerable<string> declared) => Nearest(name, declared);

    /// <summary>
    /// The candidate nearest to <paramref name="name"/>: an exact match ignoring case first; else the smallest edit distance
    /// (ignoring case) if it is at most 1 for names of 3 to 5 characters and 2 for longer ones (names of 1 or 2 characters
    /// get only case matches: every other short name is one edit away). Ties go to the first candidate.
    /// </summary>
    public static string? Nearest(string name, IEnumerable<string> candidates)
    {
        string lower = name.ToLowerInvariant();
        int allowed = lower.Length <= 2 ? 0 : lower.Length <= 5 ? 1 : 2;
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            if (candidate == name) continue;
            int d = Distance(lower, candidate.ToLowerInvariant());
            if (d < bestDistance) { best = candidate; bestDistance = d; }
        }
        return best != null && bestDistance <= allowed ? best : null;
    }

    /// <summary>Optimal string alignment distance (Levenshtein with adjacent transpositions).</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                int v = System.Math.Min(System.Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) v = System.Math.Min(v, d[i - 2, j - 2] + 1);
                d[i, j] = v;
            }
        }
        return d[a.Length, b.Length];
    }

    /// <summary>"; did you mean 'x'?" or the empty string.</summary>
    public static string Hint(string? suggestion) => suggestion == null ? string.Empty : $"; did you mean '{suggestion}'?";
}
