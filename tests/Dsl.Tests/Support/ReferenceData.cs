using System.Globalization;
using System.IO;
using System.Text.Json;

namespace KernelDsl.Dsl.Tests.Support;

/// <summary>
/// One case of a reference family (tests/reference/*.json). Numbers are doubles; the JSON writes non-finite numbers as
/// the strings "inf", "-inf" and "nan".
/// </summary>
internal sealed class ReferenceCase
{
    private readonly JsonElement _element;

    public ReferenceCase(JsonElement element) => _element = element;

    public string Name => _element.TryGetProperty("name", out var n) ? n.GetString() ?? "?" : "?";

    public bool Has(string key) => _element.TryGetProperty(key, out _);

    public double Number(string key) => ToDouble(_element.GetProperty(key));

    public int Integer(string key) => _element.GetProperty(key).GetInt32();

    public double[] Vector(string key)
    {
        var e = _element.GetProperty(key);
        var v = new double[e.GetArrayLength()];
        int i = 0;
        foreach (var x in e.EnumerateArray()) v[i++] = ToDouble(x);
        return v;
    }

    public int[] Integers(string key) => _element.GetProperty(key).EnumerateArray().Select(x => x.GetInt32()).ToArray();

    /// <summary>The parameter <paramref name="name"/> from the case's <c>params</c> object.</summary>
    public double Parameter(string name) => ToDouble(_element.GetProperty("params").GetProperty(name));

    public static double ToDouble(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.String => e.GetString() switch
        {
            "inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            "nan" => double.NaN,
            var s => double.Parse(s!, CultureInfo.InvariantCulture),
        },
        _ => throw new InvalidDataException($"Not a number: {e}"),
    };
}

/// <summary>A reference family file: its definition text and cases.</summary>
internal sealed class ReferenceFamily
{
    private static readonly Dictionary<string, ReferenceFamily> Cache = new();

    private ReferenceFamily(string name, string definition, IReadOnlyList<ReferenceCase> cases)
    {
        Name = name;
        Definition = definition;
        Cases = cases;
    }

    public string Name { get; }

    public string Definition { get; }

    public IReadOnlyList<ReferenceCase> Cases { get; }

    public static ReferenceFamily Load(string family)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue(family, out var cached)) return cached;
            using var doc = JsonDocument.Parse(RepoPaths.ReadFamily(family));
            var root = doc.RootElement.Clone();
            var cases = root.GetProperty("cases").EnumerateArray().Select(c => new ReferenceCase(c)).ToList();
            var result = new ReferenceFamily(family, root.GetProperty("definition").GetString() ?? "", cases);
            Cache[family] = result;
            return result;
        }
    }

    /// <summary>Every family file in the reference folder, by name.</summary>
    public static IReadOnlyList<string> AllNames() =>
        Directory.GetFiles(RepoPaths.ReferenceDirectory, "*.json.gz")
            .Select(f => Path.GetFileName(f)[..^".json.gz".Length]).OrderBy(n => n, StringComparer.Ordinal).ToList();
}
