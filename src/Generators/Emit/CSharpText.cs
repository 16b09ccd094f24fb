using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace KernelDsl.Generators.Emit;

/// <summary>Turns values into C# source text: string literals, identifiers and XML documentation text.</summary>
internal static class CSharpText
{
    /// <summary>
    /// A regular C# string literal (with quotes) whose value is <paramref name="value"/>. Quotes and backslashes are
    /// escaped with <c>\</c>; control characters, line and paragraph separators, format characters and surrogates with
    /// <c>\uXXXX</c>, so that the literal stays on one line and survives any file encoding; everything else is kept.
    /// </summary>
    public static string StringLiteral(string value)
    {
        var builder = new StringBuilder(value.Length + 2);
        builder.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\0': builder.Append("\\0"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (NeedsUnicodeEscape(c))
                    {
                        builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
        return builder.ToString();
    }

    /// <summary><paramref name="name"/> as a C# identifier: with <c>@</c> when it is a keyword.</summary>
    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    /// <summary>A dotted name (a namespace) with each part written as an identifier.</summary>
    public static string QualifiedName(string dotted)
    {
        string[] parts = dotted.Split('.');
        for (int i = 0; i < parts.Length; i++) parts[i] = Identifier(parts[i]);
        return string.Join(".", parts);
    }

    /// <summary>
    /// <paramref name="text"/> as XML documentation text: <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c> escaped, and every
    /// character that XML or a <c>///</c> line cannot hold (control characters, separators, lone surrogates) replaced
    /// with U+FFFD. Line breaks are kept as <c>\n</c>; the writer turns them into new <c>///</c> lines.
    /// </summary>
    public static string XmlText(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '&': builder.Append("&amp;"); break;
                case '<': builder.Append("&lt;"); break;
                case '>': builder.Append("&gt;"); break;
                case '\r':
                    builder.Append('\n');
                    if (i + 1 < text.Length && text[i + 1] == '\n') i++;
                    break;
                case '\n':
                case '\u0085':
                case '\u2028':
                case '\u2029':
                    builder.Append('\n');
                    break;
                case '\t':
                    builder.Append(c);
                    break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        builder.Append(c).Append(text[i + 1]);
                        i++;
                    }
                    else if (char.IsControl(c) || char.IsSurrogate(c) || c == '\uFFFE' || c == '\uFFFF')
                    {
                        builder.Append('\uFFFD');
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.ToString();
    }

    private static bool NeedsUnicodeEscape(char c)
    {
        if (char.IsControl(c) || char.IsSurrogate(c)) return true;
        UnicodeCategory category = CharUnicodeInfo.GetUnicodeCategory(c);
        return category is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Format
            or UnicodeCategory.OtherNotAssigned or UnicodeCategory.PrivateUse;
    }
}
