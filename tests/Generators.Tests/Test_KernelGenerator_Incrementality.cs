using KernelDsl.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KernelDsl.Generators.Tests;

/// <summary>
/// The pipeline caches: after an edit that does not change a declaration, every tracked step is Cached or Unchanged
/// and the generated file is not produced again; a change that only moves diagnostics re-reports them without
/// re-emitting code; a change of the formula re-emits.
/// </summary>
public sealed class Test_KernelGenerator_Incrementality
{
    private const string Source = """
        using KernelDsl;

        namespace Catalogue;

        [Divergence("(p, q) => xlogy(p, p / q)")]
        public static partial class KullbackLeibler;

        [Loss("(t, s) => sum(softmax(t) * (log_softmax(t) - log_softmax(s)))", Summary = "Cross-entropy.")]
        public static partial class Distillation;
        """;

    [Fact]
    public void UnrelatedFile_AddedToTheCompilation_EverythingCached()
    {
        AssertSecondRunCached(Source, c => c.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("namespace Other; public class Unrelated { }", GeneratorHarness.ParseOptions, "Other.cs")));
    }

    [Fact]
    public void UnrelatedClass_AddedToTheSameFile_EverythingCached()
    {
        AssertSecondRunCached(Source, c => ReplaceText(c, Source + "\npublic class Unrelated { public int X; }\n"));
    }

    [Fact]
    public void CommentAbove_TheDeclarations_CodeCached()
    {
        // The declarations move down: their diagnostics' locations would change, but there are none, and the models,
        // which hold no positions, are unchanged.
        AssertSecondRunCached(Source, c => ReplaceText(c, "// A comment that moves everything down.\n\n" + Source));
    }

    [Fact]
    public void MovedDiagnostic_IsReported_ButCodeIsNotReEmitted()
    {
        const string withWarning = """
            using KernelDsl;
            [Divergence("(p, q) => xlogy(p, p / q)")]
            public static partial class Good;
            [Divergence("(p, q) => sum(p)")]
            public static partial class Unused;
            """;

        CSharpCompilation first = GeneratorHarness.CreateCompilation(withWarning);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(first);
        Diagnostic before = Assert.Single(driver.GetRunResult().Diagnostics, d => d.Id == "KDSL0109");

        CSharpCompilation second = ReplaceText(first, "\n\n" + withWarning);
        driver = driver.RunGenerators(second);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();

        Diagnostic after = Assert.Single(result.Diagnostics, d => d.Id == "KDSL0109");
        Assert.Equal(before.Location.GetLineSpan().StartLinePosition.Line + 2, after.Location.GetLineSpan().StartLinePosition.Line);

        // The diagnostics branch ran again (its locations changed); the models did not change.
        Assert.Contains(Outputs(result, TrackingNames.Diagnostics), r => r == IncrementalStepRunReason.Modified);
        Assert.All(Outputs(result, TrackingNames.Models), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.All(Outputs(result, TrackingNames.ValidModels), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.Equal(2, result.GeneratedSources.Length);
    }

    [Fact]
    public void ChangedFormula_ReEmitsThatFileOnly()
    {
        CSharpCompilation first = GeneratorHarness.CreateCompilation(Source);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(first);

        CSharpCompilation second = ReplaceText(first, Source.Replace("xlogy(p, p / q)", "xlogy(q, q / p)"));
        driver = driver.RunGenerators(second);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();

        Assert.Contains(Outputs(result, TrackingNames.ValidModels), r => r == IncrementalStepRunReason.Modified);
        Assert.Contains("xlogy(q, q / p)", result.GeneratedSources.Single(s => s.HintName == "Catalogue.KullbackLeibler.g.cs").SourceText.ToString());

        // The other declaration's model is unchanged.
        Assert.Contains(Outputs(result, TrackingNames.ValidModels), r => r is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached);
    }

    [Fact]
    public void Models_HoldNoRoslynObjects()
    {
        // What makes caching sound: a model is values only (no symbol, node, location or compilation).
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(GeneratorHarness.CreateCompilation(Source));
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        foreach (string name in new[] { TrackingNames.DivergenceDeclarations, TrackingNames.LossDeclarations, TrackingNames.Models, TrackingNames.ModelsToEmit })
        {
            foreach (IncrementalGeneratorRunStep step in result.TrackedSteps[name])
            {
                foreach ((object value, _) in step.Outputs)
                {
                    AssertValuesOnly(value, name, depth: 0);
                }
            }
        }
    }

    private static void AssertSecondRunCached(string source, Func<CSharpCompilation, CSharpCompilation> edit)
    {
        CSharpCompilation first = GeneratorHarness.CreateCompilation(source);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(first);
        GeneratorRunResult firstResult = driver.GetRunResult().Results.Single();
        Assert.Equal(2, firstResult.GeneratedSources.Length);

        driver = driver.RunGenerators(edit(first));
        GeneratorRunResult result = driver.GetRunResult().Results.Single();

        // The diagnostics branch records no step when no declaration has diagnostics (as here); the code branch always does.
        string[] alwaysRun =
        {
            TrackingNames.DivergenceDeclarations, TrackingNames.LossDeclarations, TrackingNames.Models, TrackingNames.ValidModels,
            TrackingNames.KernelNames, TrackingNames.HintNameCollisions, TrackingNames.ModelsToEmit,
        };
        Assert.All(alwaysRun, name => Assert.True(result.TrackedSteps.ContainsKey(name), $"No step named {name} ran."));
        foreach (string name in TrackingNames.All)
        {
            Assert.All(Outputs(result, name), r => Assert.True(
                r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{name}: {r}"));
        }

        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        Assert.Equal(
            firstResult.GeneratedSources.Select(s => s.SourceText.ToString()),
            result.GeneratedSources.Select(s => s.SourceText.ToString()));
    }

    private static IEnumerable<IncrementalStepRunReason> Outputs(GeneratorRunResult result, string stepName) =>
        result.TrackedSteps.TryGetValue(stepName, out var steps)
            ? steps.SelectMany(s => s.Outputs).Select(o => o.Reason)
            : Enumerable.Empty<IncrementalStepRunReason>();

    private static CSharpCompilation ReplaceText(CSharpCompilation compilation, string newText)
    {
        SyntaxTree old = compilation.SyntaxTrees.Single();
        return compilation.ReplaceSyntaxTree(old, old.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(newText)));
    }

    private static void AssertValuesOnly(object? value, string step, int depth)
    {
        if (value is null || depth > 8) return;
        Type type = value.GetType();
        Assert.False(
            value is ISymbol or SyntaxNode or Location or Compilation or SemanticModel or SyntaxTree,
            $"Step {step} holds a {type.Name}.");
        if (type.IsPrimitive || type.IsEnum || value is string) return;
        if (value is System.Collections.IEnumerable items)
        {
            foreach (object? item in items) AssertValuesOnly(item, step, depth + 1);
            return;
        }

        foreach (System.Reflection.PropertyInfo property in type.GetProperties())
        {
            if (property.GetIndexParameters().Length > 0 || property.Name == "EqualityContract") continue;
            AssertValuesOnly(property.GetValue(value), step, depth + 1);
        }
    }
}
