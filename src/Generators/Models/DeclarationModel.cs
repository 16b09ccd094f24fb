using System.Linq;

namespace KernelDsl.Generators.Models;

/// <summary>
/// Everything the emitters need about one kernel declaration, as plain values (no symbols, syntax, locations or
/// compilations), so that the incremental pipeline can compare two runs and skip emission when nothing changed.
/// Diagnostics travel separately (<see cref="DeclarationResult.Diagnostics"/>): this model never holds a source position,
/// so an edit that only moves the declaration does not re-emit its code.
/// </summary>
/// <param name="Namespace">The containing namespace, dotted (<c>A.B</c>), or empty for the global namespace.</param>
/// <param name="ContainingTypes">The types that contain the kernel type, outermost first; empty for a top-level type.</param>
/// <param name="TypeName">The kernel type's name as declared, without <c>@</c>.</param>
/// <param name="Accessibility">The kernel type's declared accessibility in C# words (<c>public</c>, <c>internal</c>...).</param>
/// <param name="IsStatic">True when the kernel class is declared <c>static</c>.</param>
/// <param name="HasDocumentation">True when the user's declaration carries its own XML documentation, in which case the generated part adds none to the type.</param>
/// <param name="Kind">Which attribute declared it.</param>
/// <param name="Formula">The formula text: the value of the attribute's string argument.</param>
/// <param name="Precision">The element types to generate kernels for.</param>
/// <param name="Summary">The attribute's <c>Summary</c>, or null when not given.</param>
internal sealed record DeclarationModel(
    string Namespace,
    EquatableArray<ContainingTypeInfo> ContainingTypes,
    string TypeName,
    string Accessibility,
    bool IsStatic,
    bool HasDocumentation,
    KernelKind Kind,
    string Formula,
    KernelPrecision Precision,
    string? Summary)
{
    /// <summary>The dotted name with namespace and containing types: <c>Namespace.Outer.Inner.Type</c>.</summary>
    public string FullName =>
        string.Join(".", new[] { Namespace }.Where(n => n.Length > 0)
            .Concat(ContainingTypes.Select(t => t.Name))
            .Concat(new[] { TypeName }));

    /// <summary>
    /// The metadata name, unique in the assembly: <c>Namespace.Outer+Inner+Type</c> (nested types joined by <c>+</c>).
    /// </summary>
    public string MetadataName =>
        (Namespace.Length > 0 ? Namespace + "." : string.Empty)
        + string.Join("+", ContainingTypes.Select(t => t.Name).Concat(new[] { TypeName }));

    /// <summary>
    /// The default hint name of the generated file: <c>Namespace.Outer.Inner.Type.g.cs</c> (see <see cref="HintNames"/>
    /// for the rare names that collide).
    /// </summary>
    public string HintName => FullName + ".g.cs";
}
