using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace KernelDsl.Generators.Diagnostics;

/// <summary>
/// Maps offsets in a formula (the VALUE of the attribute's string) to offsets in the source text of the string literal
/// that wrote it, so that a formula diagnostic lands on the exact characters in the editor. Handles regular literals
/// (escapes such as <c>\\</c>, <c>\"</c>, <c>\u0041</c>, <c>\x41</c>, <c>\U0001F600</c> make one value character several
/// source characters), verbatim literals (<c>""</c> is one quote) and raw literals, single-line and multi-line (whose
/// indentation and first and last line breaks are not part of the value).
/// </summary>
/// <remarks>
/// The map is built by decoding the token text and is used only when the decoded text equals the value the compiler
/// gives the constant; anything else (a concatenation, a <c>const</c> reference, an interpolated string, a malformed
/// literal) has no map, and its diagnostics cover the whole argument expression.
/// </remarks>
internal sealed class FormulaSourceMap
{
    // For value character i: the source characters [starts[i], ends[i]) produced it, as offsets from the token start.
    private readonly int[] starts;
    private readonly int[] ends;

    // The source offset (from the token start) just past the last character of content: where an empty span at the end
    // of the formula goes.
    private readonly int contentEnd;

    private readonly int tokenStart;

    private FormulaSourceMap(int tokenStart, int[] starts, int[] ends, int contentEnd)
    {
        this.tokenStart = tokenStart;
        this.starts = starts;
        this.ends = ends;
        this.contentEnd = contentEnd;
    }

    /// <summary>The number of value characters the map covers.</summary>
    public int Length => starts.Length;

    /// <summary>
    /// Builds the map of <paramref name="expression"/> when it is a string literal whose decoded text is
    /// <paramref name="value"/>; otherwise returns null.
    /// </summary>
    public static FormulaSourceMap? TryCreate(SyntaxNode expression, string value)
    {
        if (!expression.IsKind(SyntaxKind.StringLiteralExpression)) return null;
        SyntaxToken token = expression.GetFirstToken();
        if (token.IsMissing || token.ContainsDiagnostics) return null;

        var builder = new Builder(token.Text);
        bool ok = token.Kind() switch
        {
            SyntaxKind.StringLiteralToken when token.Text.StartsWith("@", System.StringComparison.Ordinal) => builder.Verbatim(),
            SyntaxKind.StringLiteralToken => builder.Regular(),
            SyntaxKind.SingleLineRawStringLiteralToken => builder.SingleLineRaw(),
            SyntaxKind.MultiLineRawStringLiteralToken => builder.MultiLineRaw(),
            _ => false,
        };

        if (!ok || builder.Value.ToString() != value) return null;
        return new FormulaSourceMap(token.SpanStart, builder.Starts.ToArray(), builder.Ends.ToArray(), builder.ContentEnd);
    }

    /// <summary>
    /// The source span of the formula span [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>),
    /// clamped to the formula. An empty span maps to an empty span before the character at <paramref name="start"/>.
    /// </summary>
    public TextSpan Map(int start, int length)
    {
        int n = starts.Length;
        if (start < 0) start = 0;
        if (start > n) start = n;
        int end = length <= 0 ? start : start + length;
        if (end > n) end = n;

        int sourceStart = start < n ? starts[start] : contentEnd;
        int sourceEnd = end > start ? ends[end - 1] : sourceStart;
        return TextSpan.FromBounds(tokenStart + sourceStart, tokenStart + sourceEnd);
    }

    /// <summary>Decodes a literal's token text, recording which source characters produce each value character.</summary>
    private sealed class Builder
    {
        private readonly string text;

        public Builder(string text) => this.text = text;

        public StringBuilder Value { get; } = new();

        public List<int> Starts { get; } = new();

        public List<int> Ends { get; } = new();

        public int ContentEnd { get; private set; }

        private void Add(char c, int start, int end)
        {
            Value.Append(c);
            Starts.Add(start);
            Ends.Add(end);
        }

        /// <summary><c>"..."</c> with C# escapes.</summary>
        public bool Regular()
        {
            if (text.Length < 2 || text[0] != '"' || text[text.Length - 1] != '"') return false;
            int end = text.Length - 1;
            int i = 1;
            while (i < end)
            {
                if (text[i] != '\\')
                {
                    Add(text[i], i, i + 1);
                    i++;
                    continue;
                }

                if (i + 1 >= end) return false;
                char e = text[i + 1];
                switch (e)
                {
                    case '\'': Add('\'', i, i + 2); i += 2; break;
                    case '"': Add('"', i, i + 2); i += 2; break;
                    case '\\': Add('\\', i, i + 2); i += 2; break;
                    case '0': Add('\0', i, i + 2); i += 2; break;
                    case 'a': Add('\a', i, i + 2); i += 2; break;
                    case 'b': Add('\b', i, i + 2); i += 2; break;
                    case 'e': Add('\u001B', i, i + 2); i += 2; break;
                    case 'f': Add('\f', i, i + 2); i += 2; break;
                    case 'n': Add('\n', i, i + 2); i += 2; break;
                    case 'r': Add('\r', i, i + 2); i += 2; break;
                    case 't': Add('\t', i, i + 2); i += 2; break;
                    case 'v': Add('\v', i, i + 2); i += 2; break;
                    case 'u':
                    {
                        if (!TryHex(i + 2, 4, 4, end, out int code, out int digits)) return false;
                        Add((char)code, i, i + 2 + digits);
                        i += 2 + digits;
                        break;
                    }

                    case 'x':
                    {
                        if (!TryHex(i + 2, 1, 4, end, out int code, out int digits)) return false;
                        Add((char)code, i, i + 2 + digits);
                        i += 2 + digits;
                        break;
                    }

                    case 'U':
                    {
                        if (!TryHex(i + 2, 8, 8, end, out int code, out int digits) || code > 0x10FFFF) return false;
                        int next = i + 2 + digits;
                        if (code < 0x10000)
                        {
                            Add((char)code, i, next);
                        }
                        else
                        {
                            // One escape, two UTF-16 characters: both map to the whole escape.
                            string pair = char.ConvertFromUtf32(code);
                            Add(pair[0], i, next);
                            Add(pair[1], i, next);
                        }

                        i = next;
                        break;
                    }

                    default:
                        return false;
                }
            }

            ContentEnd = end;
            return true;
        }

        /// <summary><c>@"..."</c>, where <c>""</c> stands for one quote.</summary>
        public bool Verbatim()
        {
            if (text.Length < 3 || text[0] != '@' || text[1] != '"' || text[text.Length - 1] != '"') return false;
            int end = text.Length - 1;
            int i = 2;
            while (i < end)
            {
                if (text[i] == '"')
                {
                    if (i + 1 >= end || text[i + 1] != '"') return false;
                    Add('"', i, i + 2);
                    i += 2;
                }
                else
                {
                    Add(text[i], i, i + 1);
                    i++;
                }
            }

            ContentEnd = end;
            return true;
        }

        /// <summary><c>"""..."""</c> on one line: the content is the text between the delimiters.</summary>
        public bool SingleLineRaw()
        {
            int quotes = CountQuotes();
            if (quotes < 3 || text.Length < 2 * quotes) return false;
            int end = text.Length - quotes;
            for (int i = quotes; i < end; i++)
            {
                Add(text[i], i, i + 1);
            }

            ContentEnd = end;
            return true;
        }

        /// <summary>
        /// <c>"""</c>, a line break, content lines, then the closing delimiter on a line of its own. The whitespace before
        /// the closing delimiter is removed from the start of every content line; the line breaks after the opening
        /// delimiter and before the closing one are not content.
        /// </summary>
        public bool MultiLineRaw()
        {
            int quotes = CountQuotes();
            if (quotes < 3) return false;

            // The opening line: only whitespace may follow the delimiter.
            int i = quotes;
            while (i < text.Length && !IsNewLine(text[i]))
            {
                if (!IsWhitespace(text[i])) return false;
                i++;
            }

            if (i >= text.Length) return false;
            i += NewLineLength(i);

            // The closing line: whitespace (the indentation), then the delimiter, which ends the token.
            int closeQuotes = text.Length - quotes;
            int lineStart = closeQuotes;
            while (lineStart > 0 && !IsNewLine(text[lineStart - 1]))
            {
                if (!IsWhitespace(text[lineStart - 1])) return false;
                lineStart--;
            }

            string indentation = text.Substring(lineStart, closeQuotes - lineStart);

            // The line break before the closing line is not content.
            int contentEnd = lineStart;
            if (contentEnd <= 0) return false;
            contentEnd -= contentEnd >= 2 && text[contentEnd - 2] == '\r' && text[contentEnd - 1] == '\n' ? 2 : 1;
            if (contentEnd < i)
            {
                // No content line at all: the value is empty.
                ContentEnd = i;
                return true;
            }

            while (true)
            {
                int lineEnd = i;
                while (lineEnd < contentEnd && !IsNewLine(text[lineEnd])) lineEnd++;

                int contentStart;
                if (string.CompareOrdinal(text, i, indentation, 0, indentation.Length) == 0 && lineEnd - i >= indentation.Length)
                {
                    contentStart = i + indentation.Length;
                }
                else if (IsWhitespaceOnly(i, lineEnd))
                {
                    // A whitespace-only line may be shorter than the indentation; it contributes nothing.
                    contentStart = lineEnd;
                }
                else
                {
                    return false;
                }

                for (int k = contentStart; k < lineEnd; k++)
                {
                    Add(text[k], k, k + 1);
                }

                if (lineEnd >= contentEnd)
                {
                    ContentEnd = lineEnd;
                    return true;
                }

                int newLine = NewLineLength(lineEnd);
                for (int k = lineEnd; k < lineEnd + newLine; k++)
                {
                    Add(text[k], k, k + 1);
                }

                i = lineEnd + newLine;
            }
        }

        private int CountQuotes()
        {
            int n = 0;
            while (n < text.Length && text[n] == '"') n++;
            return n;
        }

        private bool TryHex(int start, int min, int max, int limit, out int value, out int digits)
        {
            value = 0;
            digits = 0;
            while (digits < max && start + digits < limit)
            {
                int d = HexValue(text[start + digits]);
                if (d < 0) break;
                value = (value * 16) + d;
                digits++;
            }

            return digits >= min;
        }

        private static int HexValue(char c) =>
            c >= '0' && c <= '9' ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
            : -1;

        private bool IsWhitespaceOnly(int start, int end)
        {
            for (int k = start; k < end; k++)
            {
                if (!IsWhitespace(text[k])) return false;
            }

            return true;
        }

        private int NewLineLength(int i) =>
            text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;

        private static bool IsNewLine(char c) => c is '\r' or '\n' or '\u0085' or '\u2028' or '\u2029';

        private static bool IsWhitespace(char c) => SyntaxFacts.IsWhitespace(c);
    }
}
