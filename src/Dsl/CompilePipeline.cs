using System.Collections.Generic;
using KernelDsl.Language.Binding;
using KernelDsl.Language.Calculus;
using KernelDsl.Language.Planning;
using KernelDsl.Language.Planning.Samples;
using KernelDsl.Language.Syntax;

namespace KernelDsl.Language;

/// <summary>The stages in order; each is a pure function of the one before.</summary>
internal static class CompilePipeline
{
    /// <summary>More passes than this is a sign of a formula no one meant; the kernel would be slow.</summary>
    public const int MaxPasses = 8;

    public static CompiledFormula Run(string text)
    {
        var bag = new DiagnosticBag();
        var syntax = Parser.Parse(text, bag);
        var bound = Binder.Bind(syntax, bag);
        var inputs = bound.Graph.InputNames;
        var parameters = bound.Graph.ParameterNames;
        Plan? valuePlan = null, gradientPlan = null;
        var perInput = new Plan?[inputs.Count];
        // A sample formula is planned as pair reductions and an epilogue; a shape the sample planner does not compile
        // yet gets one diagnostic on the body that names the part.
        SamplePlan? samplePlan = null;
        if (bound.Sample is { Output: not null } sample && !bag.HasErrors)
        {
            samplePlan = SamplePlanner.Plan(sample, out string? notCompiled);
            if (samplePlan == null) bag.Report(Diagnostics.SampleNotCompiled, syntax.Body.Span, notCompiled ?? "this formula");
        }
        if (bound.Output != null && !bag.HasErrors)
        {
            var g = bound.Graph;
            var gradient = Differentiator.Differentiate(g, bound.Output);
            valuePlan = Planner.Build(g, bound.Output, null, null, false);
            gradientPlan = Planner.Build(g, bound.Output, gradient, null, true);
            for (int i = 0; i < inputs.Count; i++)
            {
                var want = new bool[inputs.Count];
                want[i] = true;
                perInput[i] = Planner.Build(g, bound.Output, gradient, want, false);
            }
            if (gradientPlan.Passes.Count > MaxPasses)
            {
                bag.Report(Diagnostics.TooManyPasses, syntax.Body.Span, gradientPlan.Passes.Count, MaxPasses);
                valuePlan = gradientPlan = null;
                perInput = new Plan?[inputs.Count];
            }
        }
        var diagnostics = new List<FormulaDiagnostic>(bag.Items);
        diagnostics.Sort((a, b) => a.Span.Start != b.Span.Start ? a.Span.Start.CompareTo(b.Span.Start) : string.CompareOrdinal(a.Id, b.Id));
        return new CompiledFormula(text, diagnostics, inputs, parameters, valuePlan, gradientPlan, perInput)
        {
            RowInputNames = bound.Graph.RowInputNames,
            RowInputKinds = bound.Graph.RowInputKinds,
            SamplePlan = samplePlan,
        };
    }
}
