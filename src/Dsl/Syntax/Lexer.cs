using System.Collections.Generic;
using System.Globalization;

namespace KernelDsl.Language.Syntax;

/// <summary>Turns formula text into tokens with exact spans. Reports bad characters and bad numbers; never throws.</summary>
internal static class Lexer
{
    /// <summary>Tokenizes <paramref name="text"/>; the list always ends with an <see cref="TokenKind.End"/> token.</summary>
    public static List<Token> Lex(string text, DiagnosticBag diagnostics)
    {
        var tokens = new List<Token>();
        var reportedNames = new HashSet<string>(System.StringComparer.Ordinal); // a bad name is reported where it first occurs
        bool afterWhere = false; // '=' is a token only in the local definitions after 'where'; before, it is a bad character
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            int start = i;
            if (IsDigit(c) || (c == '.' && i + 1 < text.Length && IsDigit(text[i + 1])))
            {
                i = ScanNumber(text, i);
                string s = text.Substring(start, i - start);
                var span = TextSpan.FromBounds(start, i);
                // Reject a number glued to letters ("2x", "1e"): it is never what the writer meant.
                if (i < text.Length && (IsIdentifierPart(text[i]) || NonAsciiNameCharWidth(text, i) > 0))
                {
                    while (i < text.Length && (IsIdentifierPart(text[i]) || NonAsciiNameCharWidth(text, i) > 0))
                        i += IsIdentifierPart(text[i]) ? 1 : NonAsciiNameCharWidth(text, i);
                    span = TextSpan.FromBounds(start, i);
                    s = text.Substring(start, i - start);
                    diagnostics.Report(Diagnostics.BadNumber, span, s);
                    tokens.Add(new Token(TokenKind.Number, span, s, double.NaN));
                    continue;
                }
                if (!double.TryParse(s, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out double v)
                    || double.IsInfinity(v) || double.IsNaN(v))
                {
                    diagnostics.Report(Diagnostics.BadNumber, span, s);
                    v = double.NaN;
                }
                tokens.Add(new Token(TokenKind.Number, span, s, v));
                continue;
            }
            if (IsIdentifierStart(c) || IsNonAsciiLetter(text, i))
            {
                // A name is read whole, letters of any script included, so that one non-ASCII letter ("π") gives one
                // error on its own characters and the parser and binder still see a name (nothing cascades from it).
                int firstBad = -1, lastBad = -1;
                while (i < text.Length)
                {
                    if (IsIdentifierPart(text[i])) { i++; continue; }
                    int width = NonAsciiNameCharWidth(text, i);
                    if (width == 0) break;
                    if (firstBad < 0) firstBad = i;
                    i += width;
                    lastBad = i;
                }
                string name = text.Substring(start, i - start);
                if (firstBad >= 0 && reportedNames.Add(name))
                    diagnostics.Report(Diagnostics.NonAsciiName, TextSpan.FromBounds(firstBad, lastBad), name, text.Substring(firstBad, lastBad - firstBad));
                tokens.Add(new Token(TokenKind.Identifier, TextSpan.FromBounds(start, i), name));
                afterWhere |= name == "where";
                continue;
            }
            TokenKind kind;
            int len = 1;
            switch (c)
            {
                case '(': kind = TokenKind.OpenParen; break;
                case ')': kind = TokenKind.CloseParen; break;
                case ',': kind = TokenKind.Comma; break;
                case ';': kind = TokenKind.Semicolon; break;
                case '+': kind = TokenKind.Plus; break;
                case '-': kind = TokenKind.Minus; break;
                case '*': kind = TokenKind.Star; break;
                case '/': kind = TokenKind.Slash; break;
                case '^': kind = TokenKind.Caret; break;
                case ':': kind = TokenKind.Colon; break;
                case '[': kind = TokenKind.OpenBracket; break;
                case ']': kind = TokenKind.CloseBracket; break;
                case '=' when i + 1 < text.Length && text[i + 1] == '>': kind = TokenKind.Arrow; len = 2; break;
                case '=' when afterWhere: kind = TokenKind.Equals; break;
                default:
                    // A run of characters no token starts with is one mistake to the reader: one error for the run (a
                    // surrogate pair is one character), and the parser stays quiet about the hole it leaves.
                    len = 0;
                    while (start + len < text.Length && IsBadAt(text, start + len))
                        len += char.IsHighSurrogate(text[start + len]) && start + len + 1 < text.Length && char.IsLowSurrogate(text[start + len + 1]) ? 2 : 1;
                    kind = TokenKind.Bad;
                    diagnostics.Report(Diagnostics.UnexpectedCharacter, new TextSpan(start, len), text.Substring(start, len));
                    break;
            }
            i += len;
            tokens.Add(new Token(kind, new TextSpan(start, len), text.Substring(start, len)));
        }
        tokens.Add(new Token(TokenKind.End, new TextSpan(text.Length, 0), string.Empty));
        return tokens;
    }

    private static int ScanNumber(string text, int i)
    {
        while (i < text.Length && IsDigit(text[i])) i++;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && IsDigit(text[i])) i++;
        }
        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            int j = i + 1;
            if (j < text.Length && (text[j] == '+' || text[j] == '-')) j++;
            if (j < text.Length && IsDigit(text[j]))
            {
                while (j < text.Length && IsDigit(text[j])) j++;
                i = j;
            }
        }
        return i;
    }

    private static bool IsDigit(char c) => c >= '0' && c <= '9';

    // True where no token starts: not a space, digit, name or operator character.
    private static bool IsBadAt(string text, int i)
    {
        char c = text[i];
        if (char.IsWhiteSpace(c) || IsIdentifierPart(c) || IsNonAsciiLetter(text, i)) return false;
        if (c == '.' && i + 1 < text.Length && IsDigit(text[i + 1])) return false;
        if (c == '=') return i + 1 >= text.Length || text[i + 1] != '>';
        return "()[],;:+-*/^".IndexOf(c) < 0;
    }

    // A letter of another script (a surrogate pair counts as one character).
    private static bool IsNonAsciiLetter(string text, int i) => text[i] > 127 && char.IsLetter(text, i);

    // The width (1 or 2 chars) of a non-ASCII letter, digit or combining mark at i, which continues a name; 0 otherwise.
    private static int NonAsciiNameCharWidth(string text, int i)
    {
        if (text[i] <= 127) return 0;
        if (char.IsHighSurrogate(text[i]) && (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))) return 0;
        var category = CharUnicodeInfo.GetUnicodeCategory(text, i);
        bool part = char.IsLetterOrDigit(text, i) || category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
        return part ? (char.IsHighSurrogate(text[i]) ? 2 : 1) : 0;
    }

    /// <summary>True for characters that may start a name (ASCII letters and underscore).</summary>
    public static bool IsIdentifierStart(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';

    /// <summary>True for characters that may continue a name.</summary>
    public static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || IsDigit(c);
}
