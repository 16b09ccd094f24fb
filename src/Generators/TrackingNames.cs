using System.Collections.Generic;

namespace KernelDsl.Generators;

/// <summary>
/// The names of the incremental pipeline's steps (<c>WithTrackingName</c>), so that tests can check which steps ran
/// again after an edit.
/// </summary>
internal static class TrackingNames
{
    /// <summary>Types with <c>[Divergence]</c>, transformed into a model and diagnostics.</summary>
    public const string DivergenceDeclarations = nameof(DivergenceDeclarations);

    /// <summary>Types with <c>[Loss]</c>, transformed into a model and diagnostics.</summary>
    public const string LossDeclarations = nameof(LossDeclarations);

    /// <summary>The diagnostics of each declaration (their own branch, so that a message change never re-emits code).</summary>
    public const string Diagnostics = nameof(Diagnostics);

    /// <summary>The diagnostics of the declarations that have some.</summary>
    public const string NonEmptyDiagnostics = nameof(NonEmptyDiagnostics);

    /// <summary>
    /// The declarations that have diagnostics, each with the current compilation (to report them in its syntax trees,
    /// where <c>#pragma warning</c> applies). Declarations without diagnostics, the usual case, never reach it.
    /// </summary>
    public const string DiagnosticsToReport = nameof(DiagnosticsToReport);

    /// <summary>The model of each declaration, or null when it has errors.</summary>
    public const string Models = nameof(Models);

    /// <summary>The models that are to be emitted (those without errors).</summary>
    public const string ValidModels = nameof(ValidModels);

    /// <summary>The metadata name of each model, to find colliding hint names.</summary>
    public const string KernelNames = nameof(KernelNames);

    /// <summary>The kernel types (of both attributes) whose hint names collide; empty in any ordinary project.</summary>
    public const string HintNameCollisions = nameof(HintNameCollisions);

    /// <summary>Each valid model with the hint-name collisions, ready to emit.</summary>
    public const string ModelsToEmit = nameof(ModelsToEmit);

    /// <summary>Every name above.</summary>
    public static IReadOnlyList<string> All { get; } = new[]
    {
        DivergenceDeclarations, LossDeclarations, Diagnostics, NonEmptyDiagnostics, DiagnosticsToReport,
        Models, ValidModels, KernelNames, HintNameCollisions, ModelsToEmit,
    };

    /// <summary>Whether the compilation can see the GPU runtime (<c>KernelDsl.Runtime.Gpu.KernelDevice</c>).</summary>
    public const string GpuRuntime = nameof(GpuRuntime);
}
