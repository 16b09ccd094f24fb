using System.Collections.Generic;
using System.Globalization;
using KernelDsl.Language.Syntax;

namespace KernelDsl.Language;

/// <summary>Collects diagnostics from every stage.</summary>
internal sealed class DiagnosticBag
{
    private readonly List<FormulaDiagnostic> _items = new();

    /// <summary>The diagnostics so far.</summary>
    public IReadOnlyList<FormulaDiagnostic> Items => _items;

    /// <summary>True when an error has been reported.</summary>
    public bool HasErrors { get; private set; }

    /// <summary>Reports a diagnostic, formatting its message with <paramref name="args"/>.</summary>
    public void Report(DiagnosticDescriptor descriptor, TextSpan span, params object[] args)
    {
        string message = args.Length == 0 ? descriptor.MessageFormat : string.Format(CultureInfo.InvariantCulture, descriptor.MessageFormat, args);
        _items.Add(new FormulaDiagnostic(descriptor, span, message));
        if (descriptor.Severity == FormulaSeverity.Error) HasErrors = true;
    }
}
