using System.Collections.Generic;
using KernelDsl.Language.Planning.Lowering;

namespace KernelDsl.Generators.Models;

/// <summary>
/// The names generated code gives to what a user can also name. Generated private names start with <c>_</c>, which a
/// formula name cannot, so they never collide; what remains are the public members and the gradient parameters, which
/// are reported (KDSL0411 at the formula's name, KDSL0412 at the class identifier) instead of producing C# that does not
/// compile.
/// </summary>
internal static class GeneratedNames
{
    /// <summary>The members the generator adds to a kernel class (a class of the same name is CS0542).</summary>
    public static readonly HashSet<string> Members = new()
    {
        "Formula", "Value", "ValueAndGradient", "Gradient", "Rows", "RowsAndGradient", "Gpu",
        "_CpuKernels", "_HalfKernels", "_BFloat16Kernels",
    };

    /// <summary>
    /// Why a formula name collides with a generated one, or null when it does not: <c>dp</c> beside an input <c>p</c> is
    /// the gradient parameter of <c>p</c>; a generated member's name would hide that member where generated code calls it.
    /// </summary>
    public static string? Collision(string name, IReadOnlyList<string> inputs)
    {
        foreach (string input in inputs)
        {
            if (name == LoweredNames.GradientParameter(input)) return $"it is the name of the gradient parameter of input '{input}'";
        }

        return Members.Contains(name) ? "it is the name of a member the generator writes" : null;
    }
}
