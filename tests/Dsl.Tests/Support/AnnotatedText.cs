using KernelDsl.Language.Syntax;

namespace KernelDsl.Dsl.Tests.Support;

/// <summary>
/// A formula with its expected diagnostic spans marked Minsk-style: <c>(p) => p * [|r|]</c> is the text
/// <c>(p) => p * r</c> with one span around <c>r</c>; <c>[||]</c> marks an empty span.
/// </summary>
internal sealed class AnnotatedText
{
    private AnnotatedText(string text, IReadOnlyList<TextSpan> spans)
    {
        Text = text;
        Spans = spans;
    }

    public string Text { get; }

    public IReadOnlyList<TextSpan> Spans { get; }

    public static AnnotatedText Parse(string annotated)
    {
        var text = new System.Text.StringBuilder();
        var spans = new List<TextSpan>();
        var open = new Stack<int>();
        for (int i = 0; i < annotated.Length; i++)
        {
            if (string.CompareOrdinal(annotated, i, "[|", 0, 2) == 0) { open.Push(text.Length); i++; continue; }
            if (string.CompareOrdinal(annotated, i, "|]", 0, 2) == 0)
            {
                if (open.Count == 0) throw new ArgumentException("'|]' without '[|' in " + annotated);
                spans.Add(TextSpan.FromBounds(open.Pop(), text.Length));
                i++;
                continue;
            }
            text.Append(annotated[i]);
        }
        if (open.Count != 0) throw new ArgumentException("'[|' without '|]' in " + annotated);
        spans.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.End.CompareTo(b.End));
        return new AnnotatedText(text.ToString(), spans);
    }
}
