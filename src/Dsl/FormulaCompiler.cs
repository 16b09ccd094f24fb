using System.Collections.Generic;
using KernelDsl.Language.Planning;

namespace KernelDsl.Language;

/// <summary>The whole front end: text to tokens to syntax to bound DAG to gradients to pass plans. Never throws.</summary>
internal static class FormulaCompiler
{
    /// <summary>Compiles a formula. Every problem is a <see cref="FormulaDiagnostic"/>; no exception escapes for any string.</summary>
    public static CompiledFormula Compile(string? text)
    {
        return CompilePipeline.Run(text ?? string.Empty);
    }
}

/// <summary>The result of <see cref="FormulaCompiler.Compile"/>.</summary>
internal sealed class CompiledFormula
{
    internal CompiledFormula(string text, IReadOnlyList<FormulaDiagnostic> diagnostics, IReadOnlyList<string> inputs,
        IReadOnlyList<string> parameters, Plan? valuePlan, Plan? gradientPlan, IReadOnlyList<Plan?> inputGradientPlans)
    {
        Text = text;
        Diagnostics = diagnostics;
        InputNames = inputs;
        ParameterNames = parameters;
        ValuePlan = valuePlan;
        GradientPlan = gradientPlan;
        InputGradientPlans = inputGradientPlans;
    }

    /// <summary>
    /// Per input i, the plan that computes the value and the gradient with respect to input i only (no parameter
    /// gradients). It may need fewer passes than <see cref="GradientPlan"/>: a student's gradient in distillation does not
    /// wait for the teacher's.
    /// </summary>
    public IReadOnlyList<Plan?> InputGradientPlans { get; }

    /// <summary>The formula text.</summary>
    public string Text { get; }

    /// <summary>Every diagnostic, in text order.</summary>
    public IReadOnlyList<FormulaDiagnostic> Diagnostics { get; }

    /// <summary>True when some diagnostic is an error; then the plans are null.</summary>
    public bool HasErrors
    {
        get
        {
            foreach (var d in Diagnostics)
                if (d.Severity == FormulaSeverity.Error) return true;
            return false;
        }
    }

    /// <summary>Vector inputs, in header order.</summary>
    public IReadOnlyList<string> InputNames { get; }

    /// <summary>Row-level inputs (one value per row), in header order; empty for most formulas.</summary>
    public IReadOnlyList<string> RowInputNames { get; internal set; } = System.Array.Empty<string>();

    /// <summary>The kind of each row-level input.</summary>
    public IReadOnlyList<KernelDsl.Language.Ir.RowInputKind> RowInputKinds { get; internal set; } = System.Array.Empty<KernelDsl.Language.Ir.RowInputKind>();

    /// <summary>For a sample formula the sample planner compiles: its pair reductions and epilogue; else null.</summary>
    public Planning.Samples.SamplePlan? SamplePlan { get; internal set; }

    /// <summary>Scalar parameters, in header order.</summary>
    public IReadOnlyList<string> ParameterNames { get; }

    /// <summary>The plan that computes the value only.</summary>
    public Plan? ValuePlan { get; }

    /// <summary>The plan that computes the value and the gradient with respect to every input and parameter.</summary>
    public Plan? GradientPlan { get; }
}
