using System.Buffers;

namespace TagForge.Pinning;

/// <summary>The scalars, keys and one-line flow collections of <see cref="PlainYamlReader"/>.</summary>
internal static partial class PlainYamlReader
{
    /// <summary>Characters a plain scalar cannot start with (YAML's indicators; '-' is allowed before a letter or digit).</summary>
    private static readonly SearchValues<char> Indicators = SearchValues.Create("-?:,[]{}#&*!|>'\"%@`");

    /// <summary>Where a plain scalar in a flow collection ends (a ':', '#' or line end there is declined).</summary>
    private static readonly SearchValues<char> FlowEnds = SearchValues.Create(",[]{}:#\n");

    private sealed partial class Reader
    {
        /// <summary>A scalar key followed by ':' and a space or line end at the current token, or null.</summary>
        private ScalarNode? Key()
        {
            var p = _pos;
            ScalarNode? key = text[p] is '\'' or '"' ? Quoted(p, out var end) : Plain(p, flow: false, out end);
            return key is not null && key.End == end && end < text.Length && text[end] == ':' && (end + 1 == text.Length || text[end + 1] is ' ' or '\n')
                ? key
                : null;
        }

        /// <summary>A scalar or a one-line flow collection at <paramref name="p"/>; <paramref name="end"/> is where its text (or the scan) ended.</summary>
        private SyntaxNode InlineValue(int p, out int end)
        {
            if (text[p] is '{' or '[')
            {
                var flow = Flow(p);
                end = flow.End + 1;
                return flow;
            }

            var scalar = (text[p] is '\'' or '"' ? Quoted(p, out end) : Plain(p, flow: false, out end)) ?? throw new DeclinedException();
            Require(end >= text.Length || text[end] != ':');
            return scalar;
        }

        private SyntaxNode Flow(int open)
        {
            Require(++_depth <= MaxDepth);
            var isMapping = text[open] == '{';
            var close = isMapping ? '}' : ']';
            SyntaxNode node = isMapping ? new MappingNode(open, open + 1, isFlow: true) : new SequenceNode(open, open + 1);
            var p = SkipSpaces(open + 1);
            while (p < text.Length && text[p] != close)
            {
                if (isMapping)
                {
                    var key = (text[p] is '\'' or '"' ? Quoted(p, out var keyEnd) : Plain(p, flow: true, out keyEnd)) ?? throw new DeclinedException();
                    Require(keyEnd == key.End && keyEnd + 1 < text.Length && text[keyEnd] == ':' && text[keyEnd + 1] == ' ');
                    var valueStart = SkipSpaces(keyEnd + 1);
                    Require(valueStart < text.Length);
                    var value = FlowItem(valueStart, out p);
                    var mapping = (MappingNode)node;
                    Require(mapping.Entries.TrueForAll(entry => ((ScalarNode)entry.Key).Value != key.Value) && !MappingNode.IsMerge(key));
                    mapping.Entries.Add((key, value));
                }
                else
                {
                    ((SequenceNode)node).Items.Add(FlowItem(p, out p));
                }

                p = SkipSpaces(p);
                Require(p < text.Length && (text[p] == close || text[p] == ','));
                if (text[p] == ',')
                {
                    p = SkipSpaces(p + 1);
                    Require(p < text.Length && text[p] != close); // a trailing comma is left to YamlDotNet
                }
            }

            // YamlDotNet's flow collection ends at its closing bracket, not past it.
            Require(p < text.Length);
            node.End = p;
            _depth--;
            return node;
        }

        private SyntaxNode FlowItem(int p, out int end)
        {
            if (text[p] is '{' or '[')
            {
                var flow = Flow(p);
                end = flow.End + 1;
                return flow;
            }

            var scalar = (text[p] is '\'' or '"' ? Quoted(p, out end) : Plain(p, flow: true, out end)) ?? throw new DeclinedException();
            Require(end < text.Length && text[end] != ':');
            return scalar;
        }

        /// <summary>
        /// A one-line plain scalar at <paramref name="p"/>: in a block it ends at ": ", ':' at the line's end, " #" or
        /// the line's end; in a flow at any of ",[]{}:#" (a ':' or '#' there is then declined by the caller).
        /// <paramref name="end"/> is where the scan stopped; trailing spaces are not part of the scalar.
        /// </summary>
        private ScalarNode? Plain(int p, bool flow, out int end)
        {
            end = p;
            if (Indicators.Contains(text[p]) && !(text[p] == '-' && p + 1 < text.Length && char.IsAsciiLetterOrDigit(text[p + 1])))
            {
                return null;
            }

            var i = p;
            if (flow)
            {
                var stop = text.AsSpan(p).IndexOfAny(FlowEnds);
                i = stop < 0 ? text.Length : p + stop;
                if (i >= text.Length || text[i] is '\n' or '#')
                {
                    return null;
                }
            }
            else
            {
                while (i < text.Length && text[i] != '\n'
                    && !(text[i] == ':' && (i + 1 == text.Length || text[i + 1] is ' ' or '\n'))
                    && !(text[i] == '#' && text[i - 1] == ' '))
                {
                    i++;
                }
            }

            end = i;
            var last = i;
            while (text[last - 1] == ' ')
            {
                last--;
            }

            // YamlDotNet reads "a *: b" on a document's first line as one scalar: an indicator after a space is left to it.
            for (var space = text.IndexOf(' ', p, last - p); space >= 0; space = text.IndexOf(' ', space + 1, last - space - 1))
            {
                if (Indicators.Contains(text[space + 1]))
                {
                    return null;
                }
            }

            return new ScalarNode(p, last, text[p..last], ScalarStyle.Plain);
        }

        /// <summary>A one-line quoted scalar without escapes (but '' in single quotes) at <paramref name="p"/>, or null.</summary>
        private ScalarNode? Quoted(int p, out int end)
        {
            var quote = text[p];
            var i = p + 1;
            var doubled = false;
            while (true)
            {
                var found = text.AsSpan(i).IndexOfAny(quote, '\n', '\\');
                if (found < 0 || text[i + found] != quote)
                {
                    end = p;
                    return null;
                }

                i += found + 1;
                if (quote == '\'' && i < text.Length && text[i] == '\'')
                {
                    doubled = true;
                    i++;
                    continue;
                }

                break;
            }

            end = i;
            var value = text[(p + 1)..(i - 1)];
            return new ScalarNode(p, i, doubled ? value.Replace("''", "'", StringComparison.Ordinal) : value, quote == '\'' ? ScalarStyle.SingleQuoted : ScalarStyle.DoubleQuoted);
        }
    }
}
