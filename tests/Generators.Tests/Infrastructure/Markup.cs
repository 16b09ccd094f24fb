using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace KernelDsl.Generators.Tests.Infrastructure;

/// <summary>
/// Test sources annotated with expected diagnostic spans, as Roslyn's and Minsk's tests write them:
/// <c>[|text|]</c> marks a span of the test's default diagnostic ID, <c>{|KDSL0101:text|}</c> a span with its own ID.
/// The markers are removed from the source the compiler sees; spans are offsets into the cleaned source.
/// </summary>
internal sealed class Markup
{
    private Markup(string source, IReadOnlyList<(string? Id, TextSpan Span)> spans)
    {
        Source = source;
        Spans = spans;
    }

    /// <summary>The source without markers.</summary>
    public string Source { get; }

    /// <summary>The marked spans, in order of their start; the ID is null for <c>[| |]</c>.</summary>
    public IReadOnlyList<(string? Id, TextSpan Span)> Spans { get; }

    /// <summary>Removes the markers from <paramref name="annotated"/> and records the spans they mark.</summary>
    public static Markup Parse(string annotated)
    {
        var text = new StringBuilder(annotated.Length);
        var open = new Stack<(string? Id, int Start, char Closer)>();
        var spans = new List<(string? Id, TextSpan Span)>();
        int i = 0;
        while (i < annotated.Length)
        {
            if (Starts(annotated, i, "[|"))
            {
                open.Push((null, text.Length, ']'));
                i += 2;
            }
            else if (Starts(annotated, i, "{|"))
            {
                int colon = annotated.IndexOf(':', i + 2);
                if (colon < 0) throw new FormatException("'{|' must be followed by 'ID:'.");
                open.Push((annotated.Substring(i + 2, colon - i - 2), text.Length, '}'));
                i = colon + 1;
            }
            else if (open.Count > 0 && (Starts(annotated, i, "|]") || Starts(annotated, i, "|}")))
            {
                (string? id, int start, char closer) = open.Pop();
                if (annotated[i + 1] != closer) throw new FormatException($"Marker closed with '|{annotated[i + 1]}' at {i}.");
                spans.Add((id, TextSpan.FromBounds(start, text.Length)));
                i += 2;
            }
            else
            {
                text.Append(annotated[i]);
                i++;
            }
        }

        if (open.Count > 0) throw new FormatException("Unclosed marker.");
        spans.Sort((a, b) => a.Span.Start.CompareTo(b.Span.Start));
        return new Markup(text.ToString(), spans);
    }

    private static bool Starts(string s, int i, string what) => string.CompareOrdinal(s, i, what, 0, what.Length) == 0;
}
