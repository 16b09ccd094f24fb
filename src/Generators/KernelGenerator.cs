using KernelDsl.Generators.Diagnostics;
using KernelDsl.Generators.Models;
using Microsoft.CodeAnalysis;

namespace KernelDsl.Generators;

/// <summary>
/// The KernelDsl source generator: for each <c>partial class</c> with <c>[Divergence("...")]</c> or <c>[Loss("...")]</c>
/// it compiles the formula and writes the kernels into the class. This file holds only the pipeline; the concerns live
/// in <c>KernelGenerator.Parser.cs</c> (declaration to model and diagnostics), <c>KernelGenerator.Emitter.cs</c> (the
/// output actions) and the <c>Api/</c>, <c>Cpu/</c> and <c>Emit/</c> folders (model to text).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class KernelGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // One pipeline per attribute. Each declaration is transformed once into a result holding its model (plain
        // values, no positions) and its diagnostics (with positions).
        IncrementalValuesProvider<DeclarationResult> divergences = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                Parser.DivergenceAttributeName,
                static (node, _) => Parser.IsCandidate(node),
                static (context, token) => Parser.Transform(context, KernelKind.Divergence, token))
            .WithTrackingName(TrackingNames.DivergenceDeclarations);

        IncrementalValuesProvider<DeclarationResult> losses = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                Parser.LossAttributeName,
                static (node, _) => Parser.IsCandidate(node),
                static (context, token) => Parser.Transform(context, KernelKind.Loss, token))
            .WithTrackingName(TrackingNames.LossDeclarations);

        // Diagnostics branch: C# declaration errors and the formula's own diagnostics, at exact spans. It is cached
        // apart from the code, so moving or re-wording a declaration's diagnostics never re-emits its code. The
        // declarations that have diagnostics are reported against the current compilation's syntax trees, so that
        // '#pragma warning disable' works; those without (the usual case) cost nothing on later runs.
        context.RegisterSourceOutput(
            DiagnosticsOf(divergences).Combine(context.CompilationProvider).WithTrackingName(TrackingNames.DiagnosticsToReport),
            static (context, item) => Emitter.ReportDiagnostics(context, item.Left, item.Right));
        context.RegisterSourceOutput(
            DiagnosticsOf(losses).Combine(context.CompilationProvider).WithTrackingName(TrackingNames.DiagnosticsToReport),
            static (context, item) => Emitter.ReportDiagnostics(context, item.Left, item.Right));

        // Code branch: a declaration with errors has no model, and gets no file.
        IncrementalValuesProvider<DeclarationModel> divergenceModels = ValidModelsOf(divergences);
        IncrementalValuesProvider<DeclarationModel> lossModels = ValidModelsOf(losses);

        // Hint names are compared without regard to case: find the (rare) kernel types whose names collide.
        IncrementalValueProvider<EquatableArray<string>> collisions = KernelNamesOf(divergenceModels).Collect()
            .Combine(KernelNamesOf(lossModels).Collect())
            .Select(static (names, _) => HintNames.FindCollisions(names.Left, names.Right))
            .WithTrackingName(TrackingNames.HintNameCollisions);

        // The nested Gpu classes only for compilations that can see the GPU runtime: a bool, so that any other edit of the
        // compilation leaves it (and every step after it) unchanged.
        IncrementalValueProvider<bool> gpu = context.CompilationProvider
            .Select(static (compilation, _) => compilation.GetTypeByMetadataName(Emit.RuntimeNames.KernelDeviceMetadataName) is not null)
            .WithTrackingName(TrackingNames.GpuRuntime);

        context.RegisterSourceOutput(
            divergenceModels.Combine(collisions).Combine(gpu).WithTrackingName(TrackingNames.ModelsToEmit),
            static (context, item) => Emitter.EmitSource(context, item.Left.Left, item.Left.Right, item.Right));
        context.RegisterSourceOutput(
            lossModels.Combine(collisions).Combine(gpu).WithTrackingName(TrackingNames.ModelsToEmit),
            static (context, item) => Emitter.EmitSource(context, item.Left.Left, item.Left.Right, item.Right));
    }

    private static IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> DiagnosticsOf(IncrementalValuesProvider<DeclarationResult> results) =>
        results
            .Select(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics)
            .Where(static diagnostics => !diagnostics.IsEmpty)
            .WithTrackingName(TrackingNames.NonEmptyDiagnostics);

    private static IncrementalValuesProvider<DeclarationModel> ValidModelsOf(IncrementalValuesProvider<DeclarationResult> results) =>
        results
            .Select(static (result, _) => result.Model)
            .WithTrackingName(TrackingNames.Models)
            .Where(static model => model is not null)
            .WithTrackingName(TrackingNames.ValidModels)!;

    private static IncrementalValuesProvider<string> KernelNamesOf(IncrementalValuesProvider<DeclarationModel> models) =>
        models
            .Select(static (model, _) => model.MetadataName)
            .WithTrackingName(TrackingNames.KernelNames);
}
