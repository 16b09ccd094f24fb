using System.Collections.Generic;

namespace KernelDsl.Language.Syntax;

/// <summary>
/// Recursive-descent parser. Grammar (lowest precedence first):
/// <code>
/// formula  := '(' names? (';' names?)? ')' '=>' expr ('where' local (',' local)*)? END
/// names    := name (':' kind)? (',' name (':' kind)?)*     kind: row | mask | label | points | points '(' name ')'
/// local    := NAME ('(' NAME (',' NAME)* ')')? '=' expr     a local function, inlined where it is called
/// expr     := term (('+' | '-') term)*
/// term     := unary (('*' | '/') unary)*
/// unary    := ('-' | '+') unary | power
/// power    := postfix ('^' unary)?          right-associative; -x^2 is -(x^2); x^-1 is allowed
/// postfix  := primary ('[' expr ']')?       s[y]: the element of s at a row's label y
/// primary  := NUMBER | NAME | NAME '(' (expr (',' expr)*)? ')' | '(' expr ')'
/// </code>
/// Never throws: every problem is a diagnostic and an <see cref="ErrorSyntax"/> node.
/// </summary>
internal sealed class Parser
{
    /// <summary>
    /// Deepest nesting accepted (guards the stack against hostile input): the number of parentheses, calls, unary signs,
    /// powers and indexes open at once. <c>exp(-(p))</c> nests 3 deep; a flat chain <c>p + p + ... + p</c> of any length
    /// nests 0 deep.
    /// </summary>
    public const int MaxDepth = 128;

    private readonly List<Token> _tokens;
    private readonly DiagnosticBag _diagnostics;
    private int _pos;
    private int _depth;
    private bool _tooDeepReported;

    private Parser(List<Token> tokens, DiagnosticBag diagnostics)
    {
        _tokens = tokens;
        _diagnostics = diagnostics;
    }

    /// <summary>Parses a formula text.</summary>
    public static FormulaSyntax Parse(string text, DiagnosticBag diagnostics)
    {
        var lexed = Lexer.Lex(text, diagnostics);
        // Bad characters were reported by the lexer; drop them so that one typo gives one error, and remember which tokens
        // follow a dropped one: what the parser finds missing there is the bad character's consequence, not a new mistake.
        var tokens = new List<Token>(lexed.Count);
        var afterBad = new List<bool>(lexed.Count);
        bool pending = false;
        foreach (var t in lexed)
        {
            if (t.Kind == TokenKind.Bad) { pending = true; continue; }
            tokens.Add(t);
            afterBad.Add(pending);
            pending = false;
        }
        return new Parser(tokens, diagnostics) { _afterBad = afterBad }.ParseFormula();
    }

    private List<bool> _afterBad = new();

    // True when a bad character (already reported) stands right before the current token.
    private bool AtHole => _afterBad.Count > _pos && _afterBad[_pos];

    private Token Current => _tokens[_pos];

    private bool AfterBadAt(int index) => index < _afterBad.Count && _afterBad[index];

    private Token Peek(int k) => _tokens[System.Math.Min(_pos + k, _tokens.Count - 1)];

    private Token Next()
    {
        var t = Current;
        if (_pos < _tokens.Count - 1) _pos++;
        return t;
    }

    private bool Accept(TokenKind kind)
    {
        if (Current.Kind != kind) return false;
        Next();
        return true;
    }

    private Token Expect(TokenKind kind)
    {
        if (Current.Kind == kind) return Next();
        // After "too deep" the rest of the text was skipped: the closing tokens it held are not missing.
        if (!_tooDeepReported && !AtHole) _diagnostics.Report(Diagnostics.ExpectedToken, Current.Span, Token.Describe(kind), Current.Describe());
        return new Token(kind, new TextSpan(Current.Span.Start, 0), string.Empty);
    }

    private FormulaSyntax ParseFormula()
    {
        var inputs = new List<HeaderName>();
        var parameters = new List<HeaderName>();
        int headerStart = Current.Span.Start;
        if (Current.Kind != TokenKind.OpenParen || !LooksLikeHeader())
        {
            _diagnostics.Report(Diagnostics.MissingHeader, new TextSpan(Current.Span.Start, System.Math.Max(Current.Span.Length, 0)));
            var bodyOnly = Current.Kind == TokenKind.End ? new ErrorSyntax(Current.Span) : ParseExpression();
            return new FormulaSyntax(inputs, parameters, new TextSpan(headerStart, 0), bodyOnly);
        }
        Next();
        ParseNames(inputs);
        if (Accept(TokenKind.Semicolon)) ParseNames(parameters);
        Expect(TokenKind.CloseParen);
        var arrow = Expect(TokenKind.Arrow);
        var headerSpan = TextSpan.FromBounds(headerStart, arrow.Span.End);
        ExpressionSyntax body;
        if (Current.Kind == TokenKind.End)
        {
            if (!AtHole) _diagnostics.Report(Diagnostics.ExpectedToken, Current.Span, "an expression", Current.Describe());
            body = new ErrorSyntax(Current.Span);
        }
        else
        {
            body = ParseExpression();
        }
        var locals = new List<LocalFunctionSyntax>();
        if (Current.Kind == TokenKind.Identifier && Current.Text == "where" && !_tooDeepReported)
        {
            Next();
            do locals.Add(ParseLocal());
            while (Accept(TokenKind.Comma) && !_tooDeepReported);
        }
        if (Current.Kind != TokenKind.End && !AtHole && !_tooDeepReported)
        {
            // From the first extra token to the end of the last one (the End token's start would take in trailing spaces).
            int start = Current.Span.Start;
            _diagnostics.Report(Diagnostics.TrailingText, TextSpan.FromBounds(start, _tokens[_tokens.Count - 2].Span.End), Current.Describe());
        }
        return new FormulaSyntax(inputs, parameters, headerSpan, body, locals);
    }

    // local := NAME ('(' NAME (',' NAME)* ')')? '=' expr. One mistake, one message: after a missing name or '=' the rest of
    // the definition is read without further complaint.
    private LocalFunctionSyntax ParseLocal()
    {
        var name = Expect(TokenKind.Identifier);
        var parameters = new List<HeaderName>();
        if (name.Text.Length == 0) return new LocalFunctionSyntax(string.Empty, name.Span, parameters, new ErrorSyntax(name.Span));
        if (Accept(TokenKind.OpenParen))
        {
            while (Current.Kind == TokenKind.Identifier)
            {
                var p = Next();
                parameters.Add(new HeaderName(p.Text, p.Span));
                if (!Accept(TokenKind.Comma)) break;
            }
            Expect(TokenKind.CloseParen);
        }
        bool equals = Current.Kind == TokenKind.Equals;
        Expect(TokenKind.Equals);
        ExpressionSyntax body = Current.Kind != TokenKind.End ? ParseExpression()
            : equals ? ReportMissingExpression() : new ErrorSyntax(Current.Span);
        return new LocalFunctionSyntax(name.Text, name.Span, parameters, body);
    }

    private ExpressionSyntax ReportMissingExpression()
    {
        if (!AtHole) _diagnostics.Report(Diagnostics.ExpectedToken, Current.Span, "an expression", Current.Describe());
        return new ErrorSyntax(Current.Span);
    }

    // A header is '(' then names, commas and at most one ';', then ')' '=>'. Anything else is a body without a header.
    // A kind may carry a name in parentheses (x: points(a)).
    private bool LooksLikeHeader()
    {
        int open = 0;
        for (int k = 1; ; k++)
        {
            var t = Peek(k);
            switch (t.Kind)
            {
                case TokenKind.Identifier or TokenKind.Comma or TokenKind.Semicolon or TokenKind.Colon: continue;
                case TokenKind.OpenParen when Peek(k - 1).Kind == TokenKind.Identifier && Peek(k - 2).Kind == TokenKind.Colon && open == 0:
                    open++;
                    continue;
                case TokenKind.CloseParen when open > 0:
                    open--;
                    continue;
                // "(p) = p": the arrow is a bad character (reported), so this is still the header.
                case TokenKind.CloseParen: return Peek(k + 1).Kind == TokenKind.Arrow || AfterBadAt(_pos + k + 1);
                case TokenKind.Arrow: return true;
                default: return false;
            }
        }
    }

    private void ParseNames(List<HeaderName> names)
    {
        if (Current.Kind != TokenKind.Identifier) return;
        while (true)
        {
            var id = Expect(TokenKind.Identifier);
            string? kind = null, weight = null;
            TextSpan kindSpan = default, weightSpan = default;
            if (Accept(TokenKind.Colon))
            {
                var k = Expect(TokenKind.Identifier);
                if (k.Text.Length > 0) { kind = k.Text; kindSpan = k.Span; }
                if (k.Text.Length > 0 && Accept(TokenKind.OpenParen))
                {
                    var w = Expect(TokenKind.Identifier);
                    if (w.Text.Length > 0) { weight = w.Text; weightSpan = w.Span; }
                    Expect(TokenKind.CloseParen);
                }
            }
            if (id.Text.Length > 0) names.Add(new HeaderName(id.Text, id.Span, kind, kindSpan, weight, weightSpan));
            if (Accept(TokenKind.Comma)) continue;
            if (Current.Kind != TokenKind.Identifier) break;
            // "(p q) =>": one message for the missing comma, and the names are kept, so nothing else cascades from it.
            if (!AtHole) _diagnostics.Report(Diagnostics.ExpectedToken, Current.Span, Token.Describe(TokenKind.Comma), Current.Describe());
        }
    }

    // A chain a + b - c ... is read in a loop and is no deeper than its operands: only real nesting (parentheses, calls,
    // unary signs, powers, indexes) counts toward MaxDepth. The stages after the parser walk chains without recursion.
    private ExpressionSyntax ParseExpression()
    {
        var left = ParseTerm();
        while (Current.Kind is TokenKind.Plus or TokenKind.Minus && !_tooDeepReported)
        {
            var op = Next();
            var right = ParseTerm();
            left = new BinarySyntax(TextSpan.FromBounds(left.Span.Start, right.Span.End), op.Kind, op.Span, left, right);
        }
        return left;
    }

    private ExpressionSyntax ParseTerm()
    {
        var left = ParseUnary();
        while (Current.Kind is TokenKind.Star or TokenKind.Slash && !_tooDeepReported)
        {
            var op = Next();
            var right = ParseUnary();
            left = new BinarySyntax(TextSpan.FromBounds(left.Span.Start, right.Span.End), op.Kind, op.Span, left, right);
        }
        return left;
    }

    private ExpressionSyntax ParseUnary()
    {
        if (Current.Kind is TokenKind.Minus or TokenKind.Plus)
        {
            if (!Enter(out var error)) return error!;
            var op = Next();
            var operand = ParseUnary();
            _depth--;
            return new UnarySyntax(TextSpan.FromBounds(op.Span.Start, operand.Span.End), op.Kind, operand);
        }
        return ParsePower();
    }

    // '**' (two stars with nothing between them) is a power in Python and Fortran.
    private bool AtDoubleStar => Current.Kind == TokenKind.Star && Peek(1).Kind == TokenKind.Star && Peek(1).Span.Start == Current.Span.End;

    private ExpressionSyntax ParsePower()
    {
        var left = ParsePostfix();
        if (Current.Kind == TokenKind.Caret || AtDoubleStar)
        {
            if (!Enter(out var error)) return error!;
            var op = Next();
            if (op.Kind == TokenKind.Star)
            {
                // Read as '^', the power it stands for, so that one mistake gives one message.
                var second = Next();
                op = new Token(TokenKind.Caret, TextSpan.FromBounds(op.Span.Start, second.Span.End), "**");
                _diagnostics.Report(Diagnostics.UnknownOperator, op.Span, "**", "^ for a power, as in p ^ 2");
            }
            var right = ParseUnary();
            _depth--;
            return new BinarySyntax(TextSpan.FromBounds(left.Span.Start, right.Span.End), TokenKind.Caret, op.Span, left, right);
        }
        return left;
    }

    // postfix := primary ('[' expr ']')?
    private ExpressionSyntax ParsePostfix()
    {
        var target = ParsePrimary();
        if (Current.Kind != TokenKind.OpenBracket) return target;
        if (!Enter(out var error)) return error!;
        Next();
        var index = ParseExpression();
        var close = Expect(TokenKind.CloseBracket);
        _depth--;
        int end = close.Span.Length > 0 ? close.Span.End : index.Span.End;
        return new IndexSyntax(TextSpan.FromBounds(target.Span.Start, end), target, index);
    }

    private ExpressionSyntax ParsePrimary()
    {
        var t = Current;
        switch (t.Kind)
        {
            case TokenKind.Number:
                Next();
                return new NumberSyntax(t.Span, t.Value, t.Text);
            case TokenKind.Identifier:
                Next();
                if (Current.Kind != TokenKind.OpenParen) return new NameSyntax(t.Span, t.Text);
                {
                    if (!Enter(out var error)) return error!;
                    Next();
                    var args = new List<ExpressionSyntax>();
                    if (Current.Kind != TokenKind.CloseParen)
                    {
                        while (true)
                        {
                            args.Add(ParseExpression());
                            if (!Accept(TokenKind.Comma)) break;
                        }
                    }
                    var close = Expect(TokenKind.CloseParen);
                    _depth--;
                    int end = close.Span.Length > 0 ? close.Span.End : (args.Count > 0 ? args[args.Count - 1].Span.End : t.Span.End + 1);
                    return new CallSyntax(TextSpan.FromBounds(t.Span.Start, end), t.Text, t.Span, args);
                }
            case TokenKind.OpenParen:
                {
                    if (!Enter(out var error)) return error!;
                    Next();
                    var inner = ParseExpression();
                    var close = Expect(TokenKind.CloseParen);
                    _depth--;
                    int end = close.Span.Length > 0 ? close.Span.End : inner.Span.End;
                    return new ParenthesizedSyntax(TextSpan.FromBounds(t.Span.Start, end), inner);
                }
            default:
                if (!AtHole) _diagnostics.Report(Diagnostics.ExpectedToken, t.Span, "an expression", t.Describe());
                // Skip the offending token unless it can close or separate something, so that parsing goes on.
                if (t.Kind is not (TokenKind.End or TokenKind.CloseParen or TokenKind.Comma)) Next();
                return new ErrorSyntax(t.Span);
        }
    }

    private bool Enter(out ExpressionSyntax? error)
    {
        if (_depth >= MaxDepth)
        {
            if (!_tooDeepReported) _diagnostics.Report(Diagnostics.TooDeep, Current.Span, MaxDepth);
            _tooDeepReported = true;
            // Consume the rest so that the caller unwinds quickly.
            var span = Current.Span;
            while (Current.Kind != TokenKind.End) Next();
            error = new ErrorSyntax(span);
            return false;
        }
        _depth++;
        error = null;
        return true;
    }
}
