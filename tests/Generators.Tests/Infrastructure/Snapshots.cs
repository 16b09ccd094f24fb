using System.IO;
using System.Runtime.CompilerServices;
using System.Text;

namespace KernelDsl.Generators.Tests.Infrastructure;

/// <summary>
/// Golden files named like Verify's: <c>Snapshots/{Test}#{HintName minus .cs}.verified.cs</c>, beside the test
/// sources, with <c>'\n'</c> line endings. A mismatch fails with a line diff and leaves a <c>.received.cs</c> file
/// (ignored by git) next to the golden one. With the environment variable <c>UPDATE_SNAPSHOTS=1</c> the golden files
/// are written instead.
/// </summary>
internal static class Snapshots
{
    /// <summary>True when golden files are to be (re)written.</summary>
    public static bool Updating => Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1";

    /// <summary>
    /// Compares every generated file of a test with its golden file; also fails when a golden file of the test has no
    /// generated file any more.
    /// </summary>
    public static void Verify(string testName, IReadOnlyDictionary<string, string> sources, [CallerFilePath] string callerPath = "")
    {
        string directory = Directory(callerPath);
        var failures = new List<string>();
        var expectedFiles = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string hintName, string source) in sources.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            string baseName = $"{testName}#{(hintName.EndsWith(".cs", StringComparison.Ordinal) ? hintName[..^3] : hintName)}";
            string verified = Path.Combine(directory, baseName + ".verified.cs");
            string received = Path.Combine(directory, baseName + ".received.cs");
            expectedFiles.Add(Path.GetFileName(verified));
            string actual = Normalize(source);

            if (Updating)
            {
                File.WriteAllText(verified, actual, new UTF8Encoding(false));
                File.Delete(received);
                continue;
            }

            if (!File.Exists(verified))
            {
                File.WriteAllText(received, actual, new UTF8Encoding(false));
                failures.Add($"No golden file {Path.GetFileName(verified)}; wrote {Path.GetFileName(received)}. Run with UPDATE_SNAPSHOTS=1 to accept it.");
                continue;
            }

            string expected = Normalize(File.ReadAllText(verified));
            if (expected == actual)
            {
                File.Delete(received);
                continue;
            }

            File.WriteAllText(received, actual, new UTF8Encoding(false));
            failures.Add($"{Path.GetFileName(verified)} differs (- golden, + generated; run with UPDATE_SNAPSHOTS=1 to accept):\n{LineDiff.Format(expected, actual)}");
        }

        foreach (string stale in System.IO.Directory.EnumerateFiles(directory, testName + "#*.verified.cs"))
        {
            if (expectedFiles.Contains(Path.GetFileName(stale))) continue;
            if (Updating) File.Delete(stale);
            else failures.Add($"Golden file {Path.GetFileName(stale)} has no generated file.");
        }

        if (failures.Count > 0) Assert.Fail(string.Join("\n\n", failures));
    }

    /// <summary>The Snapshots folder beside the calling test source.</summary>
    private static string Directory(string callerPath)
    {
        string? sourceDirectory = Path.GetDirectoryName(callerPath);
        if (sourceDirectory is null || !System.IO.Directory.Exists(sourceDirectory))
        {
            // A path-mapped build (/_/...): find the test project from the output folder instead.
            sourceDirectory = ProjectDirectory();
        }

        string directory = Path.Combine(sourceDirectory, "Snapshots");
        System.IO.Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>The folder of the test project, found by walking up from the test assembly's folder.</summary>
    public static string ProjectDirectory()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "KernelDsl.Generators.Tests.csproj"))) return d.FullName;
        }

        throw new InvalidOperationException("Cannot find the test project folder from " + AppContext.BaseDirectory);
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n");
}

/// <summary>A readable line diff for failure messages (longest common subsequence, a few lines of context).</summary>
internal static class LineDiff
{
    /// <summary>The lines of <paramref name="expected"/> and <paramref name="actual"/> that differ, with context.</summary>
    public static string Format(string expected, string actual, int context = 2)
    {
        string[] a = expected.Split('\n');
        string[] b = actual.Split('\n');
        int[,] lcs = new int[a.Length + 1, b.Length + 1];
        for (int i = a.Length - 1; i >= 0; i--)
        {
            for (int j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        // The edit script: ' ' same, '-' only in expected, '+' only in actual.
        var script = new List<(char Op, int Line, string Text)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y]) { script.Add((' ', x + 1, a[x])); x++; y++; }
            else if (y < b.Length && (x == a.Length || lcs[x, y + 1] >= lcs[x + 1, y])) { script.Add(('+', y + 1, b[y])); y++; }
            else { script.Add(('-', x + 1, a[x])); x++; }
        }

        var output = new StringBuilder();
        int lastPrinted = -1;
        for (int k = 0; k < script.Count; k++)
        {
            bool near = false;
            for (int m = Math.Max(0, k - context); m <= Math.Min(script.Count - 1, k + context) && !near; m++)
            {
                near = script[m].Op != ' ';
            }

            if (!near) continue;
            if (lastPrinted >= 0 && k > lastPrinted + 1) output.Append("  ...\n");
            output.Append(script[k].Op).Append(' ').Append(script[k].Line.ToString().PadLeft(4)).Append(" | ").Append(script[k].Text).Append('\n');
            lastPrinted = k;
        }

        return output.ToString();
    }
}
