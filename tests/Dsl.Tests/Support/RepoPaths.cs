using System.IO;

namespace KernelDsl.Dsl.Tests.Support;

/// <summary>Finds the repository root (the folder holding KernelDsl.sln) and the shared reference data beside it.</summary>
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

    /// <summary>../shared/reference relative to the repository root: SciPy float64 values and gradients.</summary>
    public static string ReferenceDirectory => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "reference"));
}
