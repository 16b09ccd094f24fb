using KernelDsl.Generators.Diagnostics;

namespace KernelDsl.Generators.Models;

/// <summary>
/// What the pipeline's transform produces for one attributed declaration: the model to emit from (null when the
/// declaration has errors, or when another attribute of the same type owns the declaration) and the diagnostics to
/// report. The pipeline splits the two into separate branches straight away.
/// </summary>
/// <param name="Model">The model, or null when nothing is to be generated.</param>
/// <param name="Diagnostics">The diagnostics for this declaration, with their locations.</param>
internal sealed record DeclarationResult(DeclarationModel? Model, EquatableArray<DiagnosticInfo> Diagnostics)
{
    /// <summary>Nothing to generate and nothing to report.</summary>
    public static DeclarationResult None { get; } = new(null, EquatableArray<DiagnosticInfo>.Empty);
}
