using KernelDsl.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using FormulaCompiler = KernelDsl.Language.FormulaCompiler;
using FormulaDiagnostic = KernelDsl.Language.FormulaDiagnostic;

namespace KernelDsl.Generators.Tests;

/// <summary>
/// Every diagnostic the generator can be made to report: its ID and its exact span. Expected spans are marked in the
/// test source: <c>[|...|]</c> for the test's ID, <c>{|KDSL0101:...|}</c> for another.
/// </summary>
public sealed partial class Test_KernelGenerator_Diagnostics
{
    private const string Kl = "\"(p, q) => xlogy(p, p / q)\"";

    // ---- The C# declaration (KDSL04xx) ----

    [Fact]
    public void KDSL0401_TypeNotPartial()
    {
        Verify("KDSL0401", $$"""
            using KernelDsl;
            [Divergence({{Kl}})]
            public static class [|Kl|] { }
            """);
    }

    [Fact]
    public void KDSL0402_GenericType()
    {
        Verify("KDSL0402", $$"""
            using KernelDsl;
            [Divergence({{Kl}})]
            public static partial class [|Kl|]<T> { }
            """);
    }

    [Fact]
    public void KDSL0402_NestedInGenericType()
    {
        Verify("KDSL0402", $$"""
            using KernelDsl;
            public partial class Outer<T>
            {
                [Divergence({{Kl}})]
                public static partial class [|Kl|] { }
            }
            """);
    }

    [Fact]
    public void KDSL0403_ContainingTypeNotPartial()
    {
        Verify("KDSL0403", $$"""
            using KernelDsl;
            public static partial class Outermost
            {
                public static class [|Outer|]
                {
                    [Divergence({{Kl}})]
                    public static partial class Kl { }
                }
            }
            """);
    }

    [Fact]
    public void KDSL0404_FormulaIsNull()
    {
        Verify("KDSL0404", """
            using KernelDsl;
            [Divergence([|null|])]
            public static partial class Kl { }
            """);
    }

    [Fact]
    public void KDSL0404_FormulaIsNotConstant()
    {
        // The C# compiler also reports CS0182 here; the generator adds its own error on the same argument.
        Verify("KDSL0404", """
            using KernelDsl;
            public static class Formulas { public static readonly string Kl = "(p, q) => xlogy(p, p / q)"; }
            [Divergence([|Formulas.Kl|])]
            public static partial class Kl { }
            """, compilerErrors: new[] { "CS0182" });
    }

    [Fact]
    public void KDSL0405_TwoAttributes_InSeparateLists()
    {
        Verify("KDSL0405", $$"""
            using KernelDsl;
            [Divergence({{Kl}})]
            [[|Loss({{Kl}})|]]
            public static partial class Kl { }
            """);
    }

    [Fact]
    public void KDSL0405_TwoAttributes_InOneList_LossFirst()
    {
        Verify("KDSL0405", $$"""
            using KernelDsl;
            [Loss({{Kl}}), [|Divergence({{Kl}})|]]
            public static partial class Kl { }
            """);
    }

    [Fact]
    public void KDSL0405_TwoAttributes_OnTwoParts()
    {
        Verify("KDSL0405", $$"""
            using KernelDsl;
            [Divergence({{Kl}})]
            public static partial class Kl { }

            [[|Loss({{Kl}})|]]
            public static partial class Kl { }
            """);
    }

    [Fact]
    public void KDSL0406_Struct()
    {
        // C# itself rejects the attribute on a struct (CS0592); the generator says why a class is needed.
        Verify("KDSL0406", $$"""
            using KernelDsl;
            [Divergence({{Kl}})]
            public partial struct [|Kl|] { }
            """, compilerErrors: new[] { "CS0592" });
    }

    [Fact]
    public void KDSL0406_Record()
    {
        Verify("KDSL0406", $$"""
            using KernelDsl;
            [Loss({{Kl}})]
            public partial record [|Kl|];
            """);
    }

    [Fact]
    public void KDSL0407_FileLocal()
    {
        Verify("KDSL0407", $$"""
            using KernelDsl;
            [Divergence({{Kl}})]
            file static partial class [|Kl|] { }
            """);
    }

    [Fact]
    public void KDSL0408_InvalidPrecision()
    {
        Verify("KDSL0408", $$"""
            using KernelDsl;
            [Divergence({{Kl}}, Precision = [|(KernelPrecision)16|])]
            public static partial class Kl { }
            """);
    }

    [Fact]
    public void KDSL0409_UnsafeNotAllowed()
    {
        Markup markup = Markup.Parse($$"""
            using KernelDsl;
            [Divergence({{Kl}})]
            public static partial class [|Kl|] { }
            """);
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(markup.Source)
            .WithOptions(GeneratorHarness.CompilationOptions.WithAllowUnsafe(false));
        GeneratorOutput output = GeneratorHarness.Run(compilation).AssertDidNotThrow();
        var d = Assert.Single(output.Diagnostics);
        Assert.Equal("KDSL0409", d.Id);
        Assert.Equal(markup.Spans.Single().Span, d.Location.SourceSpan);
        Assert.Empty(output.Sources);
    }

    [Fact]
    public void SeveralDeclarationErrors_AllReported()
    {
        Verify(null, """
            using KernelDsl;
            public class {|KDSL0403:Outer|}
            {
                [Divergence({|KDSL0404:null|})]
                public static class {|KDSL0401:{|KDSL0402:Kl|}|}<T> { }
            }
            """);
    }

    private static void Verify(
        string? id,
        string annotatedSource,
        string[]? compilerErrors = null,
        Func<Markup, IEnumerable<(string Id, Microsoft.CodeAnalysis.Text.TextSpan Span)>>? expectedOverride = null)
    {
        Markup markup = Markup.Parse(annotatedSource);
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(markup.Source);
        string[] unexpected = compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error && !(compilerErrors ?? Array.Empty<string>()).Contains(d.Id))
            .Select(d => d.ToString()).ToArray();
        Assert.True(unexpected.Length == 0, "The test source has C# errors:\n" + string.Join("\n", unexpected));

        GeneratorOutput output = GeneratorHarness.Run(compilation).AssertDidNotThrow();

        var expected = (expectedOverride?.Invoke(markup) ?? markup.Spans.Select(s => (Id: s.Id ?? id!, s.Span)))
            .OrderBy(s => s.Span.Start).ThenBy(s => s.Id, StringComparer.Ordinal)
            .Select(s => Describe(markup.Source, s.Id, s.Span)).ToArray();
        var actual = output.Diagnostics
            .OrderBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, StringComparer.Ordinal)
            .Select(d => Describe(markup.Source, d.Id, d.Location.SourceSpan)).ToArray();
        Assert.Equal(expected, actual);

        Assert.All(output.Diagnostics, d => Assert.Equal("Source0.cs", d.Location.GetLineSpan().Path));
        if (output.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error)) Assert.Empty(output.Sources);
    }

    private static string Describe(string source, string id, Microsoft.CodeAnalysis.Text.TextSpan span) =>
        $"{id} {span} '{source.Substring(span.Start, Math.Min(span.Length, source.Length - span.Start))}'";
}
