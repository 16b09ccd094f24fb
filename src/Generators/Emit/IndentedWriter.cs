using System;
using System.Text;

namespace KernelDsl.Generators.Emit;

/// <summary>
/// Writes C# text with indentation: every line starts with the current indentation (four spaces a level), blank lines
/// carry none, and lines always end with <c>'\n'</c>, whatever the platform, so that generated files are the same
/// everywhere.
/// </summary>
internal sealed class IndentedWriter
{
    private const string IndentUnit = "    ";

    private readonly StringBuilder builder = new();
    private bool atLineStart = true;

    /// <summary>The current indentation level.</summary>
    public int IndentLevel { get; private set; }

    /// <summary>Indents what follows one more level.</summary>
    public void IncreaseIndent() => IndentLevel++;

    /// <summary>Indents what follows one level less.</summary>
    /// <exception cref="InvalidOperationException">The level is already zero.</exception>
    public void DecreaseIndent()
    {
        if (IndentLevel == 0) throw new InvalidOperationException("The indentation is already at level zero.");
        IndentLevel--;
    }

    /// <summary>
    /// Writes <paramref name="text"/> without ending the line. A line break inside it (<c>\n</c>, <c>\r\n</c> or <c>\r</c>)
    /// ends the line there, and the next line is indented.
    /// </summary>
    public IndentedWriter Write(string text)
    {
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] != '\n' && text[i] != '\r') continue;
            AppendSegment(text, start, i - start);
            EndLine();
            if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
            start = i + 1;
        }

        AppendSegment(text, start, text.Length - start);
        return this;
    }

    /// <summary>Writes <paramref name="text"/> (which may span lines, see <see cref="Write"/>) and ends the line.</summary>
    public IndentedWriter WriteLine(string text)
    {
        Write(text);
        EndLine();
        return this;
    }

    /// <summary>Ends the current line; at the start of a line, writes a blank line.</summary>
    public IndentedWriter WriteLine()
    {
        EndLine();
        return this;
    }

    /// <summary>Writes <paramref name="header"/> (when not empty), then <c>{</c> on its own line, and indents one level.</summary>
    public void OpenBlock(string header = "")
    {
        if (header.Length > 0) WriteLine(header);
        WriteLine("{");
        IncreaseIndent();
    }

    /// <summary>Unindents one level and writes <paramref name="closing"/> (by default <c>}</c>) on its own line.</summary>
    public void CloseBlock(string closing = "}")
    {
        DecreaseIndent();
        WriteLine(closing);
    }

    /// <summary>
    /// Opens a block as <see cref="OpenBlock"/> does and returns a scope that closes it when disposed:
    /// <c>using (writer.Block("public static partial class Kl")) { ... }</c>.
    /// </summary>
    public Scope Block(string header = "", string closing = "}")
    {
        OpenBlock(header);
        return new Scope(this, closing);
    }

    /// <summary>The text written so far.</summary>
    public override string ToString() => builder.ToString();

    private void AppendSegment(string text, int start, int length)
    {
        if (length == 0) return;
        if (atLineStart)
        {
            for (int i = 0; i < IndentLevel; i++) builder.Append(IndentUnit);
            atLineStart = false;
        }

        builder.Append(text, start, length);
    }

    private void EndLine()
    {
        builder.Append('\n');
        atLineStart = true;
    }

    /// <summary>Closes a block opened by <see cref="Block"/> when disposed.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly IndentedWriter? writer;
        private readonly string closing;

        internal Scope(IndentedWriter writer, string closing)
        {
            this.writer = writer;
            this.closing = closing;
        }

        /// <summary>Unindents and writes the closing brace.</summary>
        public void Dispose() => writer?.CloseBlock(closing);
    }
}
