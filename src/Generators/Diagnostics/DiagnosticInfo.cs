using KernelDsl.Generators.Models;
using Microsoft.CodeAnalysis;

namespace KernelDsl.Generators.Diagnostics;

/// <summary>
/// A diagnostic to report, as plain values: the descriptor's ID, the message arguments and the location. The pipeline
/// carries these (rather than <see cref="Diagnostic"/>, which holds a tree) so that its diagnostics branch can be cached.
/// </summary>
/// <param name="Id">The diagnostic ID, one of <see cref="DiagnosticDescriptors"/> or of the formula language.</param>
/// <param name="MessageArgs">The arguments for the descriptor's message format.</param>
/// <param name="Location">Where to report it, or null for no location.</param>
internal sealed record DiagnosticInfo(string Id, EquatableArray<string> MessageArgs, LocationInfo? Location)
{
    /// <summary>Creates a diagnostic of <paramref name="descriptor"/> at <paramref name="location"/>.</summary>
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] args) =>
        new(descriptor.Id, new EquatableArray<string>(args), location);

    /// <summary>
    /// Turns this into a Roslyn diagnostic. When <paramref name="compilation"/> holds the file, the location is a
    /// location in its syntax tree, so that <c>#pragma warning disable</c> applies to it; otherwise (and for no
    /// compilation) it is an external-file location with the same path and spans.
    /// </summary>
    public Diagnostic ToDiagnostic(Compilation? compilation = null)
    {
        Location location = Location?.ToLocation(compilation) ?? Microsoft.CodeAnalysis.Location.None;
        if (DiagnosticDescriptors.Find(Id) is DiagnosticDescriptor descriptor)
        {
            object[] args = new object[MessageArgs.Count];
            for (int i = 0; i < args.Length; i++) args[i] = MessageArgs[i];
            return Diagnostic.Create(descriptor, location, args);
        }

        // Not expected: an ID that no table knows (a formula diagnostic added to the language but not to Diagnostics.All).
        return Diagnostic.Create(DiagnosticDescriptors.InternalError, location, "reporting a diagnostic",
            $"unknown diagnostic ID '{Id}' ({string.Join("; ", MessageArgs)})");
    }
}
