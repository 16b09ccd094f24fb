using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace KernelDsl.Generators.Emit;

/// <summary>Turns values into C# source text: string literals, identifiers and XML documentation text.</summary>
internal static class CSharpText
{
    /// <summary>
    /// <c>expression * factor</c> with the constant folded: <c>0</c> for a factor of 0, the expression itself for 1. The
    /// expression must bind at least as tightly as <c>*</c> (a name, a cast, a parenthesised sum).
    /// </summary>
    public static string Times(string expression, int factor) => factor switch
    {
        0 => "0",
        1 => Unwrap(expression),
        _ => expression + " * " + factor.ToString(CultureInfo.InvariantCulture),
    };

    // "(a + b)" -> "a + b" when the outer parentheses enclose the whole expression.
    private static string Unwrap(string expression)
    {
        if (expression.Length < 2 || expression[0] != '(' || expression[expression.Length - 1] != ')') return expression;
        int depth = 0;
        for (int i = 0; i < expression.Length - 1; i++)
        {
            if (expression[i] == '(') depth++;
            else if (expression[i] == ')') depth--;
            if (depth == 0) return expression; // "(long)_r": the first group closes early
        }
        return expression.Substring(1, expression.Length - 2);
    }

    /// <summary>The longest line generated code aims for, indentation included.</summary>
    public const int MaxLine = 160;

    /// <summary>
    /// A method header <c>head(parameters)</c>: on one line when it fits in <see cref="MaxLine"/> at
    /// <paramref name="indentLevel"/>, else with the parameters filled into lines below it, indented one more level.
    /// </summary>
    public static string Header(string head, string parameters, int indentLevel)
    {
        int indent = 4 * indentLevel;
        if (indent + head.Length + parameters.Length + 2 <= MaxLine) return head + "(" + parameters + ")";
        var builder = new StringBuilder(head).Append('(');
        var line = new StringBuilder();
        string[] parts = SplitParameters(parameters);
        for (int i = 0; i < parts.Length; i++)
        {
            string part = parts[i] + (i + 1 < parts.Length ? "," : ")");
            if (line.Length > 0 && indent + 4 + line.Length + 1 + part.Length > MaxLine)
            {
                builder.Append('\n').Append("    ").Append(line);
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(part);
        }
        builder.Append('\n').Append("    ").Append(line);
        return builder.ToString();
    }

    /// <summary>The parameters of a parameter list (<c>int a, Span&lt;float&gt; b = default</c>), split at top-level commas.</summary>
    public static string[] SplitParameters(string parameters)
    {
        var result = new System.Collections.Generic.List<string>();
        int depth = 0, start = 0;
        for (int i = 0; i < parameters.Length; i++)
        {
            char c = parameters[i];
            if (c == '<' || c == '(') depth++;
            else if (c == '>' || c == ')') depth--;
            else if (c == ',' && depth == 0)
            {
                result.Add(parameters.Substring(start, i - start).Trim());
                start = i + 1;
            }
        }
        if (parameters.Trim().Length > 0) result.Add(parameters.Substring(start).Trim());
        return result.ToArray();
    }

    /// <summary>The type of one parameter declaration (<c>Span&lt;float&gt; d = default</c> gives <c>Span&lt;float&gt;</c>).</summary>
    public static string ParameterType(string parameter)
    {
        int eq = parameter.IndexOf(" = ", System.StringComparison.Ordinal);
        string declaration = eq < 0 ? parameter : parameter.Substring(0, eq);
        return declaration.Substring(0, declaration.LastIndexOf(' ')).Trim();
    }

    /// <summary><c>expression + offset</c> with a zero offset dropped.</summary>
    public static string Plus(string expression, int offset) =>
        offset == 0 ? expression : expression + " + " + offset.ToString(CultureInfo.InvariantCulture);

    /// <summary>The index <c>row * stride + offset</c> of element <paramref name="offset"/> of row <paramref name="row"/>, folded.</summary>
    public static string At(string row, int stride, int offset) =>
        stride == 0 ? offset.ToString(CultureInfo.InvariantCulture) : Plus(Times(row, stride), offset);

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
