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
                if (i < text.Length && IsIdentifierPart(text[i]))
                {
                    while (i < text.Length && IsIdentifierPart(text[i])) i++;
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
            if (IsIdentifierStart(c))
            {
                while (i < text.Length && IsIdentifierPart(text[i])) i++;
                tokens.Add(new Token(TokenKind.Identifier, TextSpan.FromBounds(start, i), text.Substring(start, i - start)));
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
                default:
                    // A surrogate pair is one character to the reader: report it whole.
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) len = 2;
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

    /// <summary>True for characters that may start a name (ASCII letters and underscore).</summary>
    public static bool IsIdentifierStart(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';

    /// <summary>True for characters that may continue a name.</summary>
    public static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || IsDigit(c);
}
