using System.Text.RegularExpressions;
using KernelDsl.Generators.Emit;
using KernelDsl.Generators.Tests.Infrastructure;

namespace KernelDsl.Generators.Tests;

/// <summary>The generated code a person reads: no dead code, folded index arithmetic.</summary>
public sealed class Test_GeneratedCodeReads
{
    // Formulas with and without parameters, masks, labels and per-input gradient plans, so that every emitter path runs.
    public static TheoryData<string> Formulas => new()
    {
        "(p, q) => rel_entr(p, q)",
        "(p, q; a) => log(sum(p^a * q^(1 - a))) / (a - 1)",
        "(t, s; T) => T^2 * sum(softmax(t / T) * (log_softmax(t / T) - log_softmax(s / T)))",
        "(s, y: label) => logsumexp(s) - s[y]",
        "(p, q, m: mask, w: row) => w * sum(p * log(q))",
        "(p, q) => -log(sum(p * q) / sqrt(sum(p^2) * sum(q^2)))",
    };

    [Theory]
    [MemberData(nameof(Formulas))]
    public void GeneratedCode_HasNoDeadArithmetic_OrAlwaysTrueTests(string formula)
    {
        string code = Generate(formula);

        // Multiplying by 0 or 1, adding 0 (index arithmetic: `_chunks * 1 + 0`, `ParameterGradients + row * 0`).
        Assert.DoesNotMatch(new Regex(@"[\w\)\]] \* [01](?![\d.eEfxX])"), code);
        Assert.DoesNotMatch(new Regex(@"[\w\)\]] \+ 0(?![\d.eEfxX])"), code);
        // A loop that only counts rows: the count is the number of rows.
        Assert.DoesNotMatch(new Regex(@"\{\s*_valid\+\+;\s*\}"), code);
        // `_kernel == 1` tested where the kernel cannot be anything else.
        if (!code.Contains("_kernel = 2", StringComparison.Ordinal) && !code.Contains("_kernel = 3", StringComparison.Ordinal))
            Assert.DoesNotContain("_kernel == 1", code, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("_r", 1, 0, "_r")]
    [InlineData("_r", 0, 3, "3")]
    [InlineData("_r", 2, 0, "_r * 2")]
    [InlineData("(long)_r", 3, 1, "(long)_r * 3 + 1")]
    [InlineData("(_row * _segments + _g)", 1, 0, "_row * _segments + _g")]
    [InlineData("(long)_r", 1, 2, "(long)_r + 2")]
    public void IndexArithmetic_IsFolded(string row, int stride, int offset, string expected) =>
        Assert.Equal(expected, CSharpText.At(row, stride, offset));

    private static string Generate(string formula)
    {
        GeneratorOutput output = GeneratorHarness.Run($$"""
            namespace N;
            [KernelDsl.Loss("{{formula}}")]
            public static partial class K;
            """).AssertDidNotThrow();
        Assert.DoesNotContain(output.Diagnostics, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        Assert.DoesNotContain(output.OutputCompilation.GetDiagnostics(), d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        return string.Concat(output.Sources.Values);
    }
}
