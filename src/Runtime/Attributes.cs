using System;

namespace KernelDsl;

/// <summary>Which element types the generator writes kernels for.</summary>
[Flags]
public enum KernelPrecision
{
    /// <summary>Kernels over <see cref="float"/> spans.</summary>
    Float = 1,

    /// <summary>Kernels over <see cref="double"/> spans.</summary>
    Double = 2,

    /// <summary>Kernels over both <see cref="float"/> and <see cref="double"/> spans (the default).</summary>
    Both = Float | Double,

    /// <summary>Kernels over <c>System.Half</c> spans (inputs and gradients), computing and accumulating in float.</summary>
    Half = 4,

    /// <summary>Kernels over bfloat16 spans held as <see cref="ushort"/> bits, computing and accumulating in float.</summary>
    BFloat16 = 8,

    /// <summary>float, double, Half and bfloat16: what LLM losses on logits want.</summary>
    All = Float | Double | Half | BFloat16,
}

/// <summary>
/// Declares a divergence between distributions over a support, written in the KernelDsl formula language.
/// Put it on a <c>static partial class</c>; the source generator writes fused SIMD kernels and analytic gradients into it.
/// </summary>
/// <example><code>[Divergence("(p, q) => xlogy(p, p / q)")] public static partial class Kl;</code></example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class DivergenceAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="formula">The formula: a header <c>(inputs; parameters) =&gt;</c> then an expression. A bare pointwise term is summed over the support.</param>
    public DivergenceAttribute(string formula) => Formula = formula;

    /// <summary>The formula text, as written.</summary>
    public string Formula { get; }

    /// <summary>Element types to generate kernels for. Default: <see cref="KernelPrecision.Both"/>.</summary>
    public KernelPrecision Precision { get; set; } = KernelPrecision.Both;

    /// <summary>A one-line description copied into the generated XML documentation.</summary>
    public string? Summary { get; set; }
}

/// <summary>
/// Declares a loss (for example on logits or on per-example log-probabilities), written in the KernelDsl formula language.
/// Same language and generated API as <see cref="DivergenceAttribute"/>; the distinction documents intent.
/// </summary>
/// <example><code>[Loss("(pw, rw, pl, rl; beta) => mean(softplus(-beta * ((pw - rw) - (pl - rl))))")] public static partial class Dpo;</code></example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class LossAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="formula">The formula: a header <c>(inputs; parameters) =&gt;</c> then an expression.</param>
    public LossAttribute(string formula) => Formula = formula;

    /// <summary>The formula text, as written.</summary>
    public string Formula { get; }

    /// <summary>Element types to generate kernels for. Default: <see cref="KernelPrecision.Both"/>.</summary>
    public KernelPrecision Precision { get; set; } = KernelPrecision.Both;

    /// <summary>A one-line description copied into the generated XML documentation.</summary>
    public string? Summary { get; set; }
}
