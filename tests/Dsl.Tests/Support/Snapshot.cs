using System.IO;
using System.Runtime.CompilerServices;

namespace KernelDsl.Dsl.Tests.Support;

/// <summary>
/// Golden files named like Verify's: <c>Snapshots/{Class}.{Test}#{name}.verified.txt</c> beside the test source, with
/// '\n' line endings. A mismatch fails with both texts; the files are rewritten only when UPDATE_SNAPSHOTS=1.
/// </summary>
internal static class Snapshot
{
    public static void Match(string actual, string name, [CallerFilePath] string sourceFile = "", [CallerMemberName] string test = "")
    {
        actual = actual.Replace("\r\n", "\n");
        string directory = Path.Combine(Path.GetDirectoryName(sourceFile)!, "Snapshots");
        string file = Path.Combine(directory, $"{Path.GetFileNameWithoutExtension(sourceFile)}.{test}#{name}.verified.txt");
        bool update = Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1";
        string? expected = File.Exists(file) ? File.ReadAllText(file).Replace("\r\n", "\n") : null;
        if (expected == actual) return;
        if (update)
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(file, actual);
            return;
        }
        Assert.Fail(expected == null
            ? $"Golden file {file} does not exist; run with UPDATE_SNAPSHOTS=1 to create it. Actual:\n{actual}"
            : $"Golden file {file} differs (run with UPDATE_SNAPSHOTS=1 to accept).\n--- expected\n{expected}\n--- actual\n{actual}\n--- first difference at line {FirstDifferentLine(expected, actual)}");
    }

    private static int FirstDifferentLine(string a, string b)
    {
        var x = a.Split('\n');
        var y = b.Split('\n');
        for (int i = 0; i < Math.Min(x.Length, y.Length); i++)
            if (x[i] != y[i]) return i + 1;
        return Math.Min(x.Length, y.Length) + 1;
    }
}
