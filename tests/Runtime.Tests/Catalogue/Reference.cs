using System.IO;
using System.Text.Json;

namespace KernelDsl.Runtime.Tests.Catalogue;

/// <summary>Loads tests/reference/*.json.gz (SciPy float64 values, mpmath-checked; copied from the project's shared reference data).</summary>
internal static class Reference
{
    public static string Directory
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "KernelDsl.sln"))) dir = dir.Parent;
            if (dir == null) throw new InvalidOperationException("KernelDsl.sln not found above " + AppContext.BaseDirectory);
            return Path.Combine(dir.FullName, "tests", "reference");
        }
    }

    /// <summary>The JSON text of a family (gzip-decompressed).</summary>
    public static string ReadText(string family)
    {
        using var file = File.OpenRead(Path.Combine(Directory, family + ".json.gz"));
        using var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return reader.ReadToEnd();
    }

    public static IReadOnlyList<JsonElement> Cases(string family)
    {
        using var doc = JsonDocument.Parse(ReadText(family));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.Clone()).ToList();
    }

    public static double Number(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? e.GetString() switch { "inf" => double.PositiveInfinity, "-inf" => double.NegativeInfinity, "nan" => double.NaN, var s => double.Parse(s!, System.Globalization.CultureInfo.InvariantCulture) }
        : e.GetDouble();

    public static double[] Array(JsonElement c, string name) => c.GetProperty(name).EnumerateArray().Select(Number).ToArray();

    public static bool Has(JsonElement c, string name) => c.TryGetProperty(name, out _);

    public static double Param(JsonElement c, string name) => Number(c.GetProperty("params").GetProperty(name));

    /// <summary>Asserts |actual - expected| ≤ rel·|expected| + abs; non-finite values must match exactly.</summary>
    public static void Close(double expected, double actual, double rel, double abs, string what)
    {
        if (double.IsNaN(expected) || double.IsInfinity(expected))
        {
            Assert.True(expected.Equals(actual), $"{what}: expected {expected}, got {actual}");
            return;
        }
        double err = Math.Abs(actual - expected);
        Assert.True(err <= rel * Math.Abs(expected) + abs, $"{what}: expected {expected:R}, got {actual:R} (error {err:E2}, allowed {rel * Math.Abs(expected) + abs:E2})");
    }
}
