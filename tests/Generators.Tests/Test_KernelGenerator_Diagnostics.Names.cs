using KernelDsl.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KernelDsl.Generators.Tests;

/// <summary>
/// Names the language accepts whose generated C# used not to compile (CS0100, CS0102, CS0542): either generated code
/// cannot collide with them, or the collision is KDSL0411 (at the name) / KDSL0412 (at the class identifier).
/// </summary>
public sealed partial class Test_KernelGenerator_Diagnostics
{
    [Fact]
    public void KDSL0411_GradientParameterName_AtTheName()
    {
        // 'dp' beside 'p': ValueAndGradient(p, dp, ddp...) would declare 'dp' twice (CS0100).
        Verify("KDSL0411", """
            using KernelDsl;
            [Divergence("(p, [|dp|]) => sum(p * dp)")]
            public static partial class Kl { }
            """);
        Verify("KDSL0411", """
            using KernelDsl;
            [Loss("(p, q; [|dq|]) => dq * sum(p * q)")]
            public static partial class Kl { }
            """);
    }

    [Fact]
    public void KDSL0411_GeneratedMemberName_AtTheName()
    {
        Verify("KDSL0411", """
            using KernelDsl;
            [Loss("(p, [|Value|]; [|Rows|]) => Rows * sum(p * Value)")]
            public static partial class Kl { }
            """);
    }

    /// <summary>
    /// Sample formulas: the gradient span of weights (da beside x: points(a)), a field's output and gradient spans (a
    /// weight name included), the rows' perRow and the Gpu class's device collide with header names (each was CS0100
    /// before: found by review).
    /// </summary>
    [Theory]
    [InlineData("(x: points(a), [|da|]: points; s) => mean(exp(-sqdist(x, da) / s))")]
    [InlineData("(x: points([|dy|]), y: points) => mean(dist(x, y))")]
    [InlineData("(z: points, x: points([|output|]); s) => mean_j(exp(-sqdist(z, x) / s))")]
    [InlineData("([|perRow|]: points, y: row) => mean(sum_k(abs(perRow - y))) - 0.5 * mean(dist(perRow, perRow))")]
    [InlineData("([|device|]: points, y: points) => mean(dist(device, y))")]
    public void KDSL0411_SampleFormulaNames_AtTheName(string formula)
    {
        Verify("KDSL0411", $$"""
            using KernelDsl;
            [Divergence("{{formula}}")]
            public static partial class Clouds { }
            """);
    }

    /// <summary>The parameters' gradient span renames itself when a header name (here weights) takes dParams.</summary>
    [Fact]
    public void SampleFormula_WeightsNamedDParams_Compile()
    {
        var compilation = GeneratorHarness.CreateCompilation("""
            using KernelDsl;
            [Divergence("(x: points(dParams); s) => mean(exp(-sqdist(x, x) / s))")]
            public static partial class Clouds { }
            """);
        GeneratorOutput output = GeneratorHarness.Run(compilation).AssertDidNotThrow();
        Assert.DoesNotContain(output.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Empty(output.OutputCompilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Theory]
    [InlineData("Value")]
    [InlineData("Rows")]
    [InlineData("Gradient")]
    [InlineData("Formula")]
    [InlineData("Gpu")]
    [InlineData("RowsAndGradient")]
    public void KDSL0412_TypeNamedLikeAGeneratedMember_AtTheIdentifier(string name)
    {
        Verify("KDSL0412", $$"""
            using KernelDsl;
            [Divergence("(p, q) => sum(p * q)")]
            public static partial class [|{{name}}|] { }
            """);
    }

    /// <summary>
    /// The float and double kernels are one generic class: names of its type parameters and of the generic-math members
    /// it calls (T.CreateTruncating, T.Zero for a mask) as formula inputs, row inputs and parameters still compile (a
    /// parameter named like the element type parameter would hide it in expressions: CS1061 on T.CreateTruncating).
    /// </summary>
    [Fact]
    public void GenericKernelTypeParameterNames_Compile()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation("""
            using KernelDsl;
            namespace Names;
            [Loss("(T, TWidths, m: mask, Zero: row; CreateTruncating) => CreateTruncating * Zero * sum(T * log(TWidths))")]
            public static partial class K1;
            [Loss("(p, q, NaN: row; T) => T * NaN * sum(p * log(q))")]
            public static partial class K2;
            [Divergence("(T, V) => sum(rel_entr(T, V))")]
            public static partial class K3;
            """);
        GeneratorOutput output = GeneratorHarness.Run(compilation).AssertDidNotThrow();
        Assert.DoesNotContain(output.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Diagnostic[] errors = output.OutputCompilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(errors.Length == 0, string.Join("\n", errors.Take(20).Select(d => d.ToString())));
    }

    /// <summary>
    /// Random formulas over names drawn from those that used to break the generated C# (fields and members of the
    /// generated jobs: Seed, Kernel, Values, Run, V, TVec, TA...; gradient parameters: dp; public members: Value) and
    /// plain ones, with random class names: each declaration either compiles, or gets KDSL0411/KDSL0412 exactly at
    /// the offending name and no code.
    /// </summary>
    [Fact]
    public void RandomNames_EitherCompile_OrAreReportedAtTheName()
    {
        string[] names =
        {
            "p", "q", "dp", "dq", "Seed", "Kernel", "Values", "Value", "Upstream", "RowLength", "ParameterGradients",
            "IgnoreIndex", "Run", "Loop", "V", "TVec", "TA", "RowsJob", "ValuePass0", "GradientPass0", "Gradient", "Rows",
            "ValueRows", "GradientRows", "For", "Cache", "x", "w", "a", "b",
        };
        string[] classNames = { "K", "Value", "Rows", "Gradient", "Formula", "Gpu", "Seed", "RowsJob", "Kernel" };
        var random = new Random(20251207);
        var declarations = new System.Text.StringBuilder("using KernelDsl;\nnamespace Names;\n");
        var expected = new List<(string Id, string Text)>();
        var used = new HashSet<string>();
        for (int i = 0; i < 60; i++)
        {
            var chosen = names.OrderBy(_ => random.Next()).Take(random.Next(2, 5)).ToArray();
            int inputs = random.Next(1, chosen.Length);
            string[] ins = chosen.Take(inputs).ToArray(), pars = chosen.Skip(inputs).ToArray();
            string kind = random.Next(4) == 0 ? ": mask" : "";
            string header = "(" + string.Join(", ", ins.Select((n, k) => k == ins.Length - 1 && ins.Length > 1 && kind.Length > 0 ? n + kind : n))
                + (pars.Length > 0 ? "; " + string.Join(", ", pars) : "") + ")";
            var vectors = ins.Take(kind.Length > 0 && ins.Length > 1 ? ins.Length - 1 : ins.Length).ToArray();
            string body = string.Join(" + ", pars.Append("1")) + " * sum(" + string.Join(" * ", vectors) + ")";
            string cls = classNames[random.Next(classNames.Length)];
            if (random.Next(3) > 0 || !used.Add(cls)) cls += i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            declarations.Append($"[Loss(\"{header} => {body}\")]\npublic static partial class {cls};\n");
            foreach (string n in chosen.Where(n => vectors.Any(x => "d" + x == n) || new[] { "Value", "Gradient", "Rows" }.Contains(n)))
                expected.Add(("KDSL0411", n));
            if (new[] { "Value", "Rows", "Gradient", "Formula", "Gpu" }.Contains(cls)) expected.Add(("KDSL0412", cls));
        }

        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(declarations.ToString());
        Assert.DoesNotContain(compilation.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
        GeneratorOutput output = GeneratorHarness.Run(compilation).AssertDidNotThrow();

        string source = compilation.SyntaxTrees.Single().ToString();
        var actual = output.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => (d.Id, Text: source.Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length))).ToList();
        Assert.All(actual, a => Assert.Contains(a.Id, new[] { "KDSL0411", "KDSL0412" }));
        Assert.Equal(expected.OrderBy(e => e.Id).ThenBy(e => e.Text), actual.OrderBy(e => e.Id).ThenBy(e => e.Text));

        Diagnostic[] errors = output.OutputCompilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(errors.Length == 0, string.Join("\n", errors.Take(20).Select(d => d.ToString())));
    }
}
