using KernelDsl.Language.Syntax;

namespace KernelDsl.Language;

/// <summary>How serious a <see cref="FormulaDiagnostic"/> is.</summary>
internal enum FormulaSeverity
{
    /// <summary>Informational: the formula compiles, with a note (for example a fallback).</summary>
    Info,

    /// <summary>Suspicious but compiles.</summary>
    Warning,

    /// <summary>The formula cannot be compiled.</summary>
    Error,
}

/// <summary>A problem found in a formula: a stable ID (<c>KDSL....</c>), a message and the exact span in the formula text.</summary>
internal sealed class FormulaDiagnostic
{
    /// <summary>Creates a diagnostic.</summary>
    public FormulaDiagnostic(DiagnosticDescriptor descriptor, TextSpan span, string message)
    {
        Descriptor = descriptor;
        Span = span;
        Message = message;
    }

    /// <summary>What kind of problem this is.</summary>
    public DiagnosticDescriptor Descriptor { get; }

    /// <summary>The ID, e.g. <c>KDSL0101</c>.</summary>
    public string Id => Descriptor.Id;

    /// <summary>The severity.</summary>
    public FormulaSeverity Severity => Descriptor.Severity;

    /// <summary>Where in the formula text (offsets into the attribute's string value).</summary>
    public TextSpan Span { get; }

    /// <summary>The message, with the names involved filled in.</summary>
    public string Message { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Id} {Span}: {Message}";
}

/// <summary>A kind of formula diagnostic: its ID, title, severity and message format.</summary>
internal sealed class DiagnosticDescriptor
{
    internal DiagnosticDescriptor(string id, string title, string messageFormat, FormulaSeverity severity = FormulaSeverity.Error)
    {
        Id = id;
        Title = title;
        MessageFormat = messageFormat;
        Severity = severity;
    }

    /// <summary>The stable ID.</summary>
    public string Id { get; }

    /// <summary>A short title.</summary>
    public string Title { get; }

    /// <summary>The message format (<see cref="string.Format(string, object[])"/> placeholders).</summary>
    public string MessageFormat { get; }

    /// <summary>The severity.</summary>
    public FormulaSeverity Severity { get; }
}
