using System.IO;

namespace KernelDsl.Dsl.Tests.Support;

/// <summary>Finds the repository root (the folder holding KernelDsl.sln) and the reference data in it.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "KernelDsl.sln"))) return dir.FullName;
        throw new InvalidOperationException("KernelDsl.sln not found above " + AppContext.BaseDirectory);
    });

    /// <summary>The repository root.</summary>
    public static string RepoRoot => Root.Value;

    /// <summary>tests/reference: SciPy float64 values and gradients, gzip-compressed JSON (see its README.md).</summary>
    public static string ReferenceDirectory => Path.Combine(RepoRoot, "tests", "reference");

    /// <summary>The text of tests/reference/<paramref name="family"/>.json.gz.</summary>
    public static string ReadFamily(string family)
    {
        using var file = File.OpenRead(Path.Combine(ReferenceDirectory, family + ".json.gz"));
        using var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return reader.ReadToEnd();
    }
}
