using System.Globalization;
using System.Text;

namespace KernelDsl.Generators.Tests.Infrastructure;

/// <summary>The ways a test writes a formula as a C# string literal.</summary>
public enum LiteralForm
{
    /// <summary><c>"..."</c>, with some characters written as escapes.</summary>
    Regular,

    /// <summary><c>@"..."</c>.</summary>
    Verbatim,

    /// <summary><c>"""..."""</c> on one line.</summary>
    RawSingleLine,

    /// <summary><c>"""</c>, indented lines, <c>"""</c>.</summary>
    RawMultiLine,
}

/// <summary>
/// Writes a string as a C# literal of a chosen form and records, independently of the generator, which source
/// characters write each value character: the expected positions of formula diagnostics.
/// </summary>
internal sealed class EncodedLiteral
{
    private EncodedLiteral(string source, int[] starts, int[] ends, int contentEnd)
    {
        Source = source;
        Starts = starts;
        Ends = ends;
        ContentEnd = contentEnd;
    }

    /// <summary>The literal's source text.</summary>
    public string Source { get; }

    /// <summary>For value character i, the offset in <see cref="Source"/> where its source characters start.</summary>
    public int[] Starts { get; }

    /// <summary>For value character i, the offset in <see cref="Source"/> where its source characters end.</summary>
    public int[] Ends { get; }

    /// <summary>The offset just past the content (where an empty span at the end of the value goes).</summary>
    public int ContentEnd { get; }

    /// <summary>The source span (relative to the literal) of the value span [start, start + length).</summary>
    public (int Start, int End) Map(int start, int length)
    {
        int s = start < Starts.Length ? Starts[start] : ContentEnd;
        int e = length > 0 ? Ends[start + length - 1] : s;
        return (s, e);
    }

    /// <summary>
    /// Encodes <paramref name="value"/> in <paramref name="form"/>; null when the form cannot hold it (a raw literal
    /// cannot hold a quote, a single-line one no line break).
    /// </summary>
    /// <param name="value">The string.</param>
    /// <param name="form">The literal form.</param>
    /// <param name="indentation">For <see cref="LiteralForm.RawMultiLine"/>: the indentation of its lines.</param>
    public static EncodedLiteral? Encode(string value, LiteralForm form, string indentation = "    ")
    {
        var source = new StringBuilder();
        var starts = new List<int>();
        var ends = new List<int>();
        void Put(string text)
        {
            starts.Add(source.Length);
            source.Append(text);
            ends.Add(source.Length);
        }

        switch (form)
        {
            case LiteralForm.Regular:
                source.Append('"');
                for (int i = 0; i < value.Length; i++)
                {
                    char c = value[i];
                    if (c == '"') Put("\\\"");
                    else if (c == '\\') Put("\\\\");
                    else if (c == '\t') Put("\\t");
                    else if (char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029') Put("\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    else if (char.IsLetter(c) && i % 3 == 0) Put("\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture)); // some letters escaped too
                    else if (c == ' ' && i % 4 == 1) Put("\\x0020"); // \x takes up to four hex digits: \x20 before a hex digit would be another character
                    else Put(c.ToString());
                }

                int regularEnd = source.Length;
                source.Append('"');
                return new EncodedLiteral(source.ToString(), starts.ToArray(), ends.ToArray(), regularEnd);

            case LiteralForm.Verbatim:
                if (value.Any(char.IsSurrogate)) return null;
                source.Append("@\"");
                foreach (char c in value) Put(c == '"' ? "\"\"" : c.ToString());
                int verbatimEnd = source.Length;
                source.Append('"');
                return new EncodedLiteral(source.ToString(), starts.ToArray(), ends.ToArray(), verbatimEnd);

            case LiteralForm.RawSingleLine:
                if (value.Length == 0 || value.Contains('"') || value.Any(IsNewLine) || value.Any(char.IsSurrogate)) return null;
                if (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1])) return null;
                source.Append("\"\"\"");
                foreach (char c in value) Put(c.ToString());
                int singleEnd = source.Length;
                source.Append("\"\"\"");
                return new EncodedLiteral(source.ToString(), starts.ToArray(), ends.ToArray(), singleEnd);

            case LiteralForm.RawMultiLine:
                if (value.Contains('"') || value.Any(c => IsNewLine(c) && c != '\n') || value.Any(char.IsSurrogate)) return null;
                source.Append("\"\"\"\n");
                string[] lines = value.Split('\n');
                for (int line = 0; line < lines.Length; line++)
                {
                    source.Append(indentation);
                    foreach (char c in lines[line]) Put(c.ToString());
                    if (line < lines.Length - 1) Put("\n");
                }

                int multiEnd = source.Length;
                source.Append('\n').Append(indentation).Append("\"\"\"");
                return new EncodedLiteral(source.ToString(), starts.ToArray(), ends.ToArray(), multiEnd);

            default:
                throw new ArgumentOutOfRangeException(nameof(form));
        }
    }

    private static bool IsNewLine(char c) => c is '\r' or '\n' or '\u0085' or '\u2028' or '\u2029';
}
