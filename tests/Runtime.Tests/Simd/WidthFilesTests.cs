using System.IO;
using System.Reflection;

namespace KernelDsl.Runtime.Tests.Simd;

/// <summary>
/// The width structs hold only primitives: every composite is written once (IVectorOps.Composites.cs and beside it),
/// and the 128- and 512-bit files are the 256-bit file with the width renamed, so a primitive is changed in one place
/// and copied, never edited apart.
/// </summary>
public sealed class WidthFilesTests
{
    /// <summary>The ISimd members that are compositions of primitives, written once for every width.</summary>
    private static readonly string[] Composites =
    {
        "Sq", "Sign", "Log", "Exp", "Log1p", "Expm1", "Pow", "PowInt", "Xlogy", "Xlog1py", "Xdivy", "RelEntr", "Softplus",
        "Sigmoid", "LogSigmoid", "Tanh", "Cosh", "Sinh", "Step", "IsEqual", "SelectEq", "SelectPositive", "SumToDouble", "MaxAcross",
        "MinAcross", "LseAccumulate", "LseCombine",
    };

    private static string SimdDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KernelDsl.sln")))
            {
                return Path.Combine(dir.FullName, "src", "Runtime", "Simd");
            }
        }

        throw new InvalidOperationException("KernelDsl.sln not found above " + AppContext.BaseDirectory);
    }

    [Theory]
    [InlineData("F", "128")]
    [InlineData("F", "512")]
    [InlineData("D", "128")]
    [InlineData("D", "512")]
    public void Width_file_is_the_256_bit_file_with_the_width_renamed(string suffix, string width)
    {
        string dir = SimdDirectory();
        string template = File.ReadAllText(Path.Combine(dir, $"Simd256{suffix}.cs")).Replace("256", width, StringComparison.Ordinal);
        string actual = File.ReadAllText(Path.Combine(dir, $"Simd{width}{suffix}.cs"));
        Assert.Equal(template, actual);
    }

    [Theory]
    [InlineData(typeof(Simd512F))]
    [InlineData(typeof(Simd256F))]
    [InlineData(typeof(Simd128F))]
    [InlineData(typeof(ScalarF))]
    [InlineData(typeof(Simd512D))]
    [InlineData(typeof(Simd256D))]
    [InlineData(typeof(Simd128D))]
    [InlineData(typeof(ScalarD))]
    public void Width_struct_declares_no_composite(Type width)
    {
        var declared = width.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Select(m => m.Name[(m.Name.LastIndexOf('.') + 1)..]) // an explicit implementation is named Interface.Member
            .ToHashSet();
        var contract = typeof(ISimd<,>).GetMethods().Select(m => m.Name).ToHashSet();
        Assert.Equal(Array.Empty<string>(), Composites.Where(name => !contract.Contains(name)).ToArray()); // the list names members of the contract
        Assert.Equal(Array.Empty<string>(), Composites.Where(declared.Contains).ToArray());
    }
}
