using System;
using System.Collections.Generic;
using System.Text;
using KernelDsl.Generators.Api;
using KernelDsl.Generators.Diagnostics;
using KernelDsl.Generators.Emit;
using KernelDsl.Generators.Models;
using KernelDsl.Language.Planning.Lowering;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using CompiledFormula = KernelDsl.Language.CompiledFormula;
using FormulaCompiler = KernelDsl.Language.FormulaCompiler;

namespace KernelDsl.Generators;

/// <content>The output actions: report a declaration's diagnostics, and add its generated file.</content>
public sealed partial class KernelGenerator
{
    /// <summary>The actions registered on the pipeline's two branches. Neither throws: a failure becomes KDSL0499.</summary>
    internal static class Emitter
    {
        /// <summary>Reports the diagnostics of one declaration, in the syntax trees of <paramref name="compilation"/>.</summary>
        public static void ReportDiagnostics(SourceProductionContext context, EquatableArray<DiagnosticInfo> diagnostics, Compilation compilation)
        {
            // "No GPU kernels for this formula" (KDSL0410) only matters where there would be GPU kernels: a CPU-only
            // compilation (no KernelDsl.Gpu) gets no Gpu class for any declaration, and no note about it.
            bool gpu = compilation.GetTypeByMetadataName(Emit.RuntimeNames.KernelDeviceMetadataName) is not null;
            foreach (DiagnosticInfo diagnostic in diagnostics)
            {
                if (!gpu && (diagnostic.Id == DiagnosticDescriptors.NoGpuKernels.Id || diagnostic.Id == DiagnosticDescriptors.NoGpuSampleKernels.Id)) continue;
                context.ReportDiagnostic(diagnostic.ToDiagnostic(compilation));
            }
        }

        /// <summary>Adds the generated file of one declaration (which has no errors).</summary>
        /// <param name="context">The output context.</param>
        /// <param name="model">The declaration.</param>
        /// <param name="collisions">The kernel types whose hint names collide (see <see cref="HintNames"/>).</param>
        /// <param name="gpu">Whether the compilation can see the GPU runtime: only then are the nested Gpu classes written.</param>
        public static void EmitSource(SourceProductionContext context, DeclarationModel model, EquatableArray<string> collisions, bool gpu)
        {
            string source;
            try
            {
                // The formula was compiled once already, for its diagnostics; compiling is cheap and pure, and keeping
                // the compiled form out of the model keeps the model small and equatable.
                CompiledFormula compiled = FormulaCompiler.Compile(model.Formula);
                if (compiled.HasErrors) return;
                // Every decision the backends share is made once here; each backend then only formats it.
                LoweredPlan? plan = LoweredPlan.Lower(compiled);
                var backends = new List<IBackendEmitter> { new Cpu.CpuBackend(model.Precision) };
                if (gpu) backends.Add(new Gpu.GpuBackend(model.Precision));
                source = ApiEmitter.Emit(model, plan, backends, compiled.SamplePlan);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                ReportInternalError(context, $"generating '{model.FullName}'", e);
                return;
            }

            string hintName = HintNames.For(model, collisions);
            try
            {
                context.AddSource(hintName, SourceText.From(source, Encoding.UTF8));
            }
            catch (ArgumentException e)
            {
                // Not expected: HintNames keeps names unique and made of valid characters.
                ReportInternalError(context, $"adding '{hintName}'", e);
            }
        }

        private static void ReportInternalError(SourceProductionContext context, string doing, Exception e) =>
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, Location.None, doing, e.GetType().Name + ": " + e.Message));
    }
}
