using KernelDsl.Generators.Diagnostics;
using KernelDsl.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace KernelDsl.Generators.Tests;

/// <summary>
/// The map from formula offsets to source offsets, checked against the C# compiler's own reading of literals: for
/// random strings in every literal form, the map exists (its decoding agrees with the compiler's value) and sends each
/// character and each span exactly where the test wrote it.
/// </summary>
public sealed class Test_FormulaSourceMap
{
    [Fact]
    public void RandomStrings_EveryForm_MapExactly()
    {
        var random = new Random(7);
        const string alphabet = "pq()=>;,+-*/^ \t\nabcxyz019.\"\\'{}@#$éπ\u0000\u0085\u2028";
        int checkedLiterals = 0;
        for (int n = 0; n < 400; n++)
        {
            int length = random.Next(0, 30);
            string value = new(Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            foreach (LiteralForm form in Enum.GetValues<LiteralForm>())
            {
                EncodedLiteral? literal = EncodedLiteral.Encode(value, form, n % 2 == 0 ? "    " : "\t ");
                if (literal is null) continue;
                CheckLiteral(value, literal, random);
                checkedLiterals++;
            }
        }

        Assert.True(checkedLiterals > 800, checkedLiterals.ToString());
    }

    [Theory]
    [InlineData("\"a\\U0001F600b\"", "a😀b", 1, 2, 2, 12)] // one \U escape, two UTF-16 characters
    [InlineData("\"\\x41\\x0042C\"", "ABC", 1, 1, 5, 11)]  // \x takes up to four hex digits
    [InlineData("\"\\e\\a\"", "\u001B\u0007", 0, 2, 1, 5)]
    [InlineData("@\"a\"\"b\"", "a\"b", 1, 1, 3, 5)]
    public void Escapes_MapToTheirWholeSourceText(string literal, string value, int start, int length, int expectedStart, int expectedEnd)
    {
        (LiteralExpressionSyntax expression, string actualValue) = ParseLiteral(literal);
        Assert.Equal(value, actualValue);
        FormulaSourceMap map = Assert.IsType<FormulaSourceMap>(FormulaSourceMap.TryCreate(expression, value));
        TextSpan span = map.Map(start, length);
        int offset = expression.SpanStart;
        Assert.Equal((expectedStart, expectedEnd), (span.Start - offset, span.End - offset));
    }

    [Fact]
    public void RawMultiLine_WhitespaceOnlyLines_AndCrLf()
    {
        string literal = "\"\"\"\r\n        a\r\n\r\n   \r\n          b\r\n        \"\"\"";
        (LiteralExpressionSyntax expression, string value) = ParseLiteral(literal);
        Assert.Equal("a\r\n\r\n\r\n  b", value);
        FormulaSourceMap map = Assert.IsType<FormulaSourceMap>(FormulaSourceMap.TryCreate(expression, value));
        TextSpan b = map.Map(value.IndexOf('b'), 1);
        Assert.Equal("b", expression.SyntaxTree.GetText().ToString(b));
    }

    [Theory]
    [InlineData("\"abc\" + \"d\"")]
    [InlineData("$\"abc\"")]
    [InlineData("(\"abc\")")]
    public void NotALiteral_NoMap(string expression)
    {
        ExpressionSyntax syntax = SyntaxFactory.ParseExpression(expression);
        Assert.Null(FormulaSourceMap.TryCreate(syntax, "abc"));
    }

    [Fact]
    public void ValueThatDiffers_NoMap()
    {
        (LiteralExpressionSyntax expression, _) = ParseLiteral("\"abc\"");
        Assert.Null(FormulaSourceMap.TryCreate(expression, "abd"));
    }

    [Fact]
    public void Spans_AreClamped()
    {
        (LiteralExpressionSyntax expression, string value) = ParseLiteral("\"abc\"");
        FormulaSourceMap map = FormulaSourceMap.TryCreate(expression, value)!;
        int offset = expression.SpanStart;
        Assert.Equal(TextSpan.FromBounds(offset + 3, offset + 4), map.Map(2, 10));
        Assert.Equal(TextSpan.FromBounds(offset + 4, offset + 4), map.Map(3, 0));
        Assert.Equal(TextSpan.FromBounds(offset + 4, offset + 4), map.Map(9, 3));
        Assert.Equal(TextSpan.FromBounds(offset + 1, offset + 2), map.Map(-5, 1));
    }

    private static void CheckLiteral(string value, EncodedLiteral literal, Random random)
    {
        (LiteralExpressionSyntax expression, string compilerValue) = ParseLiteral(literal.Source);
        Assert.True(value == compilerValue, $"The test wrote {literal.Source} for a different value.");

        FormulaSourceMap? map = FormulaSourceMap.TryCreate(expression, value);
        Assert.True(map is not null, $"No map for {literal.Source}");
        int offset = expression.SpanStart;
        for (int k = 0; k < 6; k++)
        {
            int start = random.Next(0, value.Length + 1);
            int length = random.Next(0, value.Length - start + 1);
            TextSpan span = map!.Map(start, length);
            (int expectedStart, int expectedEnd) = literal.Map(start, length);
            Assert.True((expectedStart, expectedEnd) == (span.Start - offset, span.End - offset),
                $"{literal.Source}: [{start}, {start + length}) mapped to [{span.Start - offset}, {span.End - offset}), expected [{expectedStart}, {expectedEnd})");
        }
    }

    private static (LiteralExpressionSyntax Expression, string Value) ParseLiteral(string literal)
    {
        SyntaxTree tree = CSharpSyntaxTree.ParseText("class C { const string X = " + literal + "; }", GeneratorHarness.ParseOptions);
        Assert.Empty(tree.GetDiagnostics());
        LiteralExpressionSyntax expression = tree.GetRoot().DescendantNodes().OfType<LiteralExpressionSyntax>().Single();
        return (expression, expression.Token.ValueText);
    }
}
