using System.Collections.Generic;

namespace KernelDsl.Language.Syntax;

/// <summary>A node of the syntax tree; it stays faithful to the text and knows its span.</summary>
internal abstract class ExpressionSyntax
{
    /// <summary>Creates a node.</summary>
    protected ExpressionSyntax(TextSpan span) => Span = span;

    /// <summary>The characters this expression covers.</summary>
    public TextSpan Span { get; }
}

/// <summary>A number literal.</summary>
internal sealed class NumberSyntax : ExpressionSyntax
{
    /// <summary>Creates the node.</summary>
    public NumberSyntax(TextSpan span, double value, string text) : base(span) { Value = value; Text = text; }

    /// <summary>The value.</summary>
    public double Value { get; }

    /// <summary>The text as written.</summary>
    public string Text { get; }
}

/// <summary>A reference to a header name.</summary>
internal sealed class NameSyntax : ExpressionSyntax
{
    /// <summary>Creates the node.</summary>
    public NameSyntax(TextSpan span, string name) : base(span) => Name = name;

    /// <summary>The name.</summary>
    public string Name { get; }
}

/// <summary>Unary minus or plus.</summary>
internal sealed class UnarySyntax : ExpressionSyntax
{
    /// <summary>Creates the node.</summary>
    public UnarySyntax(TextSpan span, TokenKind op, ExpressionSyntax operand) : base(span) { Operator = op; Operand = operand; }

    /// <summary><see cref="TokenKind.Minus"/> or <see cref="TokenKind.Plus"/>.</summary>
    public TokenKind Operator { get; }

    /// <summary>The operand.</summary>
    public ExpressionSyntax Operand { get; }
}

/// <summary>A binary operator: <c>+ - * / ^</c>.</summary>
internal sealed class BinarySyntax : ExpressionSyntax
{
    /// <summary>Creates the node.</summary>
    public BinarySyntax(TextSpan span, TokenKind op, TextSpan operatorSpan, ExpressionSyntax left, ExpressionSyntax right) : base(span)
    {
        Operator = op;
        OperatorSpan = operatorSpan;
        Left = left;
        Right = right;
    }

    /// <summary>The operator.</summary>
    public TokenKind Operator { get; }

    /// <summary>Where the operator is.</summary>
    public TextSpan OperatorSpan { get; }

    /// <summary>The left operand.</summary>
    public ExpressionSyntax Left { get; }

    /// <summary>The right operand.</summary>
    public ExpressionSyntax Right { get; }
}

/// <summary>A call <c>f(a, b)</c>.</summary>
internal sealed class CallSyntax : ExpressionSyntax
{
    /// <summary>Creates the node.</summary>
    public CallSyntax(TextSpan span, string name, TextSpan nameSpan, IReadOnlyList<ExpressionSyntax> arguments) : base(span)
    {
        Name = name;
        NameSpan = nameSpan;
        Arguments = arguments;
    }

    /// <summary>The function name.</summary>
    public string Name { get; }

    /// <summary>Where the name is.</summary>
    public TextSpan NameSpan { get; }

    /// <summary>The arguments.</summary>
    public IReadOnlyList<ExpressionSyntax> Arguments { get; }
}

/// <summary>A parenthesised expression; kept so that spans cover the parentheses.</summary>
internal sealed class ParenthesizedSyntax : ExpressionSyntax
{
    /// <summary>Creates the node.</summary>
    public ParenthesizedSyntax(TextSpan span, ExpressionSyntax inner) : base(span) => Inner = inner;

    /// <summary>The expression inside.</summary>
    public ExpressionSyntax Inner { get; }
}

/// <summary>Stands where the parser could not read an expression; an error was already reported, so binding stays quiet.</summary>
internal sealed class ErrorSyntax : ExpressionSyntax
{
    /// <summary>Creates the node.</summary>
    public ErrorSyntax(TextSpan span) : base(span) { }
}

/// <summary>A declared name in the header, with its kind annotation if any (<c>w: row</c>, <c>y: label</c>, <c>m: mask</c>).</summary>
internal readonly struct HeaderName
{
    /// <summary>Creates it.</summary>
    public HeaderName(string name, TextSpan span, string? kind = null, TextSpan kindSpan = default, string? weight = null, TextSpan weightSpan = default)
    {
        Name = name;
        Span = span;
        Kind = kind;
        KindSpan = kindSpan;
        Weight = weight;
        WeightSpan = weightSpan;
    }

    /// <summary>The name in parentheses after the kind (<c>x: points(a)</c>: the weights a of the cloud x), or null.</summary>
    public string? Weight { get; }

    /// <summary>Where the weight name is.</summary>
    public TextSpan WeightSpan { get; }

    /// <summary>The name.</summary>
    public string Name { get; }

    /// <summary>Where it is declared.</summary>
    public TextSpan Span { get; }

    /// <summary>The annotation after ':' (null for a plain vector input or parameter).</summary>
    public string? Kind { get; }

    /// <summary>Where the annotation is.</summary>
    public TextSpan KindSpan { get; }
}

/// <summary>An index: <c>s[y]</c>, the element of a vector at a row's label.</summary>
internal sealed class IndexSyntax : ExpressionSyntax
{
    /// <summary>Creates the node.</summary>
    public IndexSyntax(TextSpan span, ExpressionSyntax target, ExpressionSyntax index) : base(span) { Target = target; Index = index; }

    /// <summary>The vector indexed.</summary>
    public ExpressionSyntax Target { get; }

    /// <summary>The index (a label).</summary>
    public ExpressionSyntax Index { get; }
}

/// <summary>A local definition after <c>where</c>: <c>k(u, v) = exp(-sqdist(u, v))</c>, or <c>c = 2 * s^2</c> without parameters.</summary>
internal sealed class LocalFunctionSyntax
{
    /// <summary>Creates it.</summary>
    public LocalFunctionSyntax(string name, TextSpan nameSpan, IReadOnlyList<HeaderName> parameters, ExpressionSyntax body)
    {
        Name = name;
        NameSpan = nameSpan;
        Parameters = parameters;
        Body = body;
    }

    /// <summary>The name it is called by.</summary>
    public string Name { get; }

    /// <summary>Where the name is defined.</summary>
    public TextSpan NameSpan { get; }

    /// <summary>The parameter names (empty for a definition without parentheses).</summary>
    public IReadOnlyList<HeaderName> Parameters { get; }

    /// <summary>The expression, inlined at every call.</summary>
    public ExpressionSyntax Body { get; }
}

/// <summary>A whole formula: <c>(inputs; parameters) =&gt; body</c>, optionally followed by <c>where</c> definitions.</summary>
internal sealed class FormulaSyntax
{
    /// <summary>Creates it.</summary>
    public FormulaSyntax(IReadOnlyList<HeaderName> inputs, IReadOnlyList<HeaderName> parameters, TextSpan headerSpan, ExpressionSyntax body,
        IReadOnlyList<LocalFunctionSyntax>? locals = null)
    {
        Inputs = inputs;
        Parameters = parameters;
        HeaderSpan = headerSpan;
        Body = body;
        Locals = locals ?? System.Array.Empty<LocalFunctionSyntax>();
    }

    /// <summary>The local definitions after <c>where</c>, in text order.</summary>
    public IReadOnlyList<LocalFunctionSyntax> Locals { get; }

    /// <summary>Vector inputs over the support.</summary>
    public IReadOnlyList<HeaderName> Inputs { get; }

    /// <summary>Scalar parameters.</summary>
    public IReadOnlyList<HeaderName> Parameters { get; }

    /// <summary>The span of the header, from '(' to '=&gt;'.</summary>
    public TextSpan HeaderSpan { get; }

    /// <summary>The expression.</summary>
    public ExpressionSyntax Body { get; }
}
