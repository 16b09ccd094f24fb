using System.Xml.Linq;
using KernelDsl.Generators.Emit;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KernelDsl.Generators.Tests;

/// <summary>The text-writing helpers: the indented writer, C# literals and XML documentation text.</summary>
public sealed class Test_Emit
{
    [Fact]
    public void IndentedWriter_IndentsBlocks_WithLfOnly_AndNoTrailingWhitespace()
    {
        var writer = new IndentedWriter();
        writer.WriteLine("namespace N");
        using (writer.Block())
        {
            using (writer.Block("class C"))
            {
                writer.WriteLine("int a;\r\nint b;");
                writer.WriteLine();
                writer.Write("int ").Write("c").WriteLine(";");
                using (writer.Block("int[] d = new[]", "};"))
                {
                    writer.WriteLine("1,");
                }
            }
        }

        Assert.Equal(
            "namespace N\n{\n    class C\n    {\n        int a;\n        int b;\n\n        int c;\n        int[] d = new[]\n        {\n            1,\n        };\n    }\n}\n",
            writer.ToString());
        Assert.Equal(0, writer.IndentLevel);
    }

    [Fact]
    public void IndentedWriter_DecreaseBelowZero_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => new IndentedWriter().DecreaseIndent());
    }

    [Fact]
    public void StringLiteral_RoundTrips_ThroughTheCompiler()
    {
        var random = new Random(11);
        const string alphabet = "ab \"\\\t\n\r\0\u0085\u2028\u2029\u200B\uFEFF\uD800\uDC00é😀{}";
        for (int n = 0; n < 500; n++)
        {
            string value = new(Enumerable.Range(0, random.Next(0, 20)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            string literal = CSharpText.StringLiteral(value);
            Assert.DoesNotContain('\n', literal);
            Assert.DoesNotContain('\r', literal);
            SyntaxTree tree = CSharpSyntaxTree.ParseText("class C { const string X = " + literal + "; }");
            Assert.Empty(tree.GetDiagnostics());
            Assert.Equal(value, tree.GetRoot().DescendantNodes().OfType<LiteralExpressionSyntax>().Single().Token.ValueText);
        }
    }

    [Theory]
    [InlineData("class", "@class")]
    [InlineData("record", "record")]
    [InlineData("Kl", "Kl")]
    public void Identifier_EscapesKeywords(string name, string expected) => Assert.Equal(expected, CSharpText.Identifier(name));

    [Fact]
    public void XmlText_IsWellFormed_AndKeepsLinesApart()
    {
        string text = CSharpText.XmlText("a < b && c > d\r\ne\u2028f\u0000g\uD800h😀");
        Assert.Equal("a &lt; b &amp;&amp; c &gt; d\ne\nf\uFFFDg\uFFFDh😀", text);
        Assert.Equal("a < b && c > d", XElement.Parse("<x>" + text.Split('\n')[0] + "</x>").Value);
    }
}
