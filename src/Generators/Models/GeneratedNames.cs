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

/// <summary>
/// The names the entry points of a sample formula (point clouds) take beside the user's: the feature count <c>d</c>, a
/// gradient span per cloud and per weights (<c>dx</c>, <c>da</c>), a field's <c>output</c> and <c>gradient</c>, the rows'
/// <c>perRow</c>, and the Gpu class's <c>device</c>. (The parameters' gradient span renames itself when taken.)
/// </summary>
internal static class SampleNames
{
    /// <summary>Why <paramref name="name"/>, a header name of a sample formula, collides with a generated one, or null.</summary>
    public static string? Collision(string name, KernelDsl.Language.Planning.Samples.SamplePlan plan)
    {
        if (GeneratedNames.Collision(name, plan.CloudNames) is { } why) return why;
        foreach (var weights in plan.WeightNames)
            if (weights != null && name == "d" + weights) return $"it is the name of the gradient parameter of weights '{weights}'";
        if (name == "d") return "it is the name of the feature count 'd' of the point-cloud entry points";
        if (plan.Transport != null && name is "f" or "g" or "v" or "p" or "output" or "options")
            return $"it is the name of the '{name}' parameter of a transport formula's entry points (Potentials, ApplyPlan, BarycentricMap, options)";
        if (plan.Field != null && name is "output" or "gradient") return $"it is the name of the '{name}' span of a per-point field's entry points";
        if (plan.HasRows && name == "perRow") return "it is the name of the 'perRow' span of the rows' entry points";
        if (name == "device") return "it is the name of the device parameter of the Gpu class's entry points";
        return null;
    }
}
