namespace KernelDsl.Language.Syntax;

/// <summary>Kinds of tokens in the formula language.</summary>
internal enum TokenKind
{
    /// <summary>End of the text.</summary>
    End,
    /// <summary>A character no token starts with (already reported).</summary>
    Bad,
    /// <summary>A number literal such as <c>2</c>, <c>0.5</c> or <c>1e-3</c>.</summary>
    Number,
    /// <summary>A name: letters, digits and underscores, not starting with a digit.</summary>
    Identifier,
    /// <summary><c>(</c></summary>
    OpenParen,
    /// <summary><c>)</c></summary>
    CloseParen,
    /// <summary><c>,</c></summary>
    Comma,
    /// <summary><c>;</c></summary>
    Semicolon,
    /// <summary><c>=&gt;</c></summary>
    Arrow,
    /// <summary><c>+</c></summary>
    Plus,
    /// <summary><c>-</c></summary>
    Minus,
    /// <summary><c>*</c></summary>
    Star,
    /// <summary><c>/</c></summary>
    Slash,
    /// <summary><c>^</c></summary>
    Caret,
    /// <summary><c>:</c> (a header name's kind: <c>y: label</c>)</summary>
    Colon,
    /// <summary><c>[</c></summary>
    OpenBracket,
    /// <summary><c>]</c></summary>
    CloseBracket,
    /// <summary><c>=</c> (a local definition after <c>where</c>; elsewhere an unexpected character)</summary>
    Equals,
}

/// <summary>A token with its exact span in the text.</summary>
internal readonly struct Token
{
    /// <summary>Creates a token.</summary>
    public Token(TokenKind kind, TextSpan span, string text, double value = 0)
    {
        Kind = kind;
        Span = span;
        Text = text;
        Value = value;
    }

    /// <summary>The kind.</summary>
    public TokenKind Kind { get; }

    /// <summary>Where it is.</summary>
    public TextSpan Span { get; }

    /// <summary>Its text.</summary>
    public string Text { get; }

    /// <summary>The value of a number literal.</summary>
    public double Value { get; }

    /// <summary>A human name of a token kind, for messages.</summary>
    public static string Describe(TokenKind kind) => kind switch
    {
        TokenKind.End => "end of formula",
        TokenKind.Bad => "an invalid character",
        TokenKind.Number => "a number",
        TokenKind.Identifier => "a name",
        TokenKind.OpenParen => "'('",
        TokenKind.CloseParen => "')'",
        TokenKind.Comma => "','",
        TokenKind.Semicolon => "';'",
        TokenKind.Arrow => "'=>'",
        TokenKind.Plus => "'+'",
        TokenKind.Minus => "'-'",
        TokenKind.Star => "'*'",
        TokenKind.Slash => "'/'",
        TokenKind.Caret => "'^'",
        TokenKind.Colon => "':'",
        TokenKind.OpenBracket => "'['",
        TokenKind.CloseBracket => "']'",
        TokenKind.Equals => "'='",
        _ => kind.ToString(),
    };

    /// <summary>The token as a reader would name it in a message.</summary>
    public string Describe() => Kind switch
    {
        TokenKind.End => "end of formula",
        TokenKind.Number or TokenKind.Identifier => $"'{Text}'",
        _ => Describe(Kind),
    };
}
