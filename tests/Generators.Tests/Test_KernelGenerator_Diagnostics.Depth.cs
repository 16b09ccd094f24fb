using System.Diagnostics;
using System.Threading;
using KernelDsl.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KernelDsl.Generators.Tests;

/// <summary>
/// Flat chains nest nothing: a long formula gets no diagnostic, and the C# the generator writes for it is no deeper for it
/// (Roslyn has its own depth limit for nested binary expressions; the emitters write one local per node, so a long chain
/// is a long list of statements, not a deep expression). Real nesting past the limit is one
/// KDSL0006 at the token that opens the level too many, inside the string literal.
/// </summary>
public sealed partial class Test_KernelGenerator_Diagnostics
{
    /// <remarks>
    /// Fully compiling the code of a 10,000-term formula takes over a minute (megabytes of kernels: every SIMD width, every
    /// gradient variant); it passes (measured by hand, see the branch's report). This test keeps to a few seconds: 2,000
    /// terms, and it checks what a long chain could break: the generator (on a 1 MB stack) and the depth of the code it
    /// writes, which must not grow with the chain (Roslyn refuses, or overflows on, expressions nested thousands deep).
    /// </remarks>
    [Fact]
    public void KDSL0006_NotReported_ForALongFlatChain_AndTheGeneratedCodeIsShallow()
    {
        const int terms = 2_000;
        // Alternating operators over two inputs: every step is a new node of the DAG, and the gradients are not constants.
        var body = new System.Text.StringBuilder("p * q");
        for (int i = 1; i < terms; i++) body.Append(i % 2 == 0 ? " + p * q" : " - p / q");
        string source = $$"""
            using KernelDsl;
            [Divergence("(p, q) => {{body}}")]
            public static partial class LongChain { }
            """;
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(source);

        // The generator runs on a 1 MB stack, as a compiler host on Windows may give it.
        GeneratorOutput output = RunWithStack(() => GeneratorHarness.Run(compilation)).AssertDidNotThrow();

        Assert.Empty(output.Diagnostics);
        Assert.NotEmpty(output.Sources);
        foreach (SyntaxTree tree in output.Result.GeneratedSources.Select(s => s.SyntaxTree))
        {
            Assert.Empty(tree.GetDiagnostics());
            int depth = MaxDepth(tree.GetRoot());
            Assert.True(depth < 100, $"{tree.FilePath}: the generated code nests {depth} deep for a chain of {terms} terms");
        }
    }

    private static int MaxDepth(SyntaxNode root)
    {
        int max = 0;
        var stack = new Stack<(SyntaxNode Node, int Depth)>();
        stack.Push((root, 0));
        while (stack.Count > 0)
        {
            var (node, depth) = stack.Pop();
            max = Math.Max(max, depth);
            foreach (SyntaxNode child in node.ChildNodes()) stack.Push((child, depth + 1));
        }
        return max;
    }

    [Fact]
    public void KDSL0006_NestingOneLevelPastTheLimit_AtTheOpeningParenthesis()
    {
        int limit = KernelDsl.Language.Syntax.Parser.MaxDepth;
        string open = string.Concat(Enumerable.Repeat("(p + ", limit));
        string close = new(')', limit + 1);
        Verify("KDSL0006", $$"""
            using KernelDsl;
            [Divergence("(p) => {{open}}[|(|]p{{close}}")]
            public static partial class Deep { }
            """);
    }

    private static T RunWithStack<T>(Func<T> f)
    {
        T result = default!;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try { result = f(); }
            catch (Exception e) { error = e; }
        }, 1024 * 1024);
        thread.Start();
        thread.Join();
        if (error != null) throw new InvalidOperationException("failed on the 1 MB thread", error);
        return result;
    }
}
