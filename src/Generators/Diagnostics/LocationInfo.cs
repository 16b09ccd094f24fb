using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace KernelDsl.Generators.Diagnostics;

/// <summary>
/// A source location as plain values (file path, span, line span) so that it can sit in a cached pipeline value
/// without keeping a <see cref="SyntaxTree"/> alive.
/// </summary>
/// <param name="FilePath">The path of the source file.</param>
/// <param name="Span">The character span in the file.</param>
/// <param name="LineSpan">The same span as lines and columns.</param>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    /// <summary>Captures a location in source; null for any other kind of location.</summary>
    public static LocationInfo? From(Location location)
    {
        if (location.SourceTree is null) return null;
        return new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
    }

    /// <summary>Captures the location of <paramref name="span"/> in <paramref name="tree"/>.</summary>
    public static LocationInfo From(SyntaxTree tree, TextSpan span) => From(Location.Create(tree, span))!;

    /// <summary>Captures the location of a syntax node.</summary>
    public static LocationInfo From(SyntaxNode node) => From(node.SyntaxTree, node.Span);

    /// <summary>Captures the location of a token.</summary>
    public static LocationInfo From(SyntaxToken token) => From(token.SyntaxTree!, token.Span);

    /// <summary>
    /// Recreates a Roslyn location: in the syntax tree of <paramref name="compilation"/> that has the file, when there
    /// is one and the span fits it (a source location, which <c>#pragma warning</c> directives apply to); else an
    /// external-file location carrying the same path and spans.
    /// </summary>
    public Location ToLocation(Compilation? compilation = null)
    {
        if (compilation is not null)
        {
            foreach (SyntaxTree tree in compilation.SyntaxTrees)
            {
                if (tree.FilePath == FilePath && tree.Length >= Span.End)
                {
                    return Location.Create(tree, Span);
                }
            }
        }

        return Location.Create(FilePath, Span, LineSpan);
    }
}
