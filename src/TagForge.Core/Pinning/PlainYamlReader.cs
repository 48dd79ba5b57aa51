using System.Buffers;

namespace TagForge.Pinning;

/// <summary>
/// A fast reader for the plain subset of YAML most manifests are written in: block mappings and sequences,
/// single-line plain and quoted scalars (no escapes), one-line flow collections, comments and <c>---</c>. It builds
/// exactly the tree <see cref="YamlTreeReader"/> (YamlDotNet) builds, offsets included, or declines (returns null) on
/// anything else, and the caller asks YamlDotNet: YamlDotNet's parse and its allocations were most of <c>pin</c>'s time.
/// PlainYamlReaderProperties checks the equality against YamlDotNet on generated and mutated text. Scalars and
/// flow collections are read in PlainYamlReader.Scalars.cs.
/// </summary>
internal static partial class PlainYamlReader
{
    /// <summary>Printable ASCII and line feeds; other characters are checked by <see cref="IsReadable"/>.</summary>
    private static readonly SearchValues<char> Ascii = SearchValues.Create(
        "\n !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    /// <summary>Far below <see cref="NestingLimit.MaxDepth"/>: deeper files go to YamlDotNet, which reports the limit.</summary>
    private const int MaxDepth = 64;

    /// <summary>YamlDotNet's simple keys may be at most 1024 characters long; longer ones are left to it.</summary>
    private const int MaxKeyLength = 1000;

    /// <summary>Every document's root node, as <see cref="YamlTreeReader.Read"/> gives it, or null when the text is not in the subset.</summary>
    public static List<SyntaxNode>? TryRead(string text)
    {
        if (!IsReadable(text))
        {
            return null;
        }

        try
        {
            return new Reader(text).Documents();
        }
        catch (DeclinedException)
        {
            return null;
        }
    }

    /// <summary>
    /// Printable ASCII, line feeds and YAML's printable characters of the Basic Multilingual Plane; not tabs, CR, the
    /// line and paragraph separators (line breaks to YamlDotNet), BOMs, C1 controls or surrogates: YamlDotNet's.
    /// </summary>
    private static bool IsReadable(ReadOnlySpan<char> text)
    {
        for (var i = text.IndexOfAnyExcept(Ascii); i >= 0; i = text.IndexOfAnyExcept(Ascii))
        {
            var c = text[i];
            if (c is < '\u00A0' or (> '\uD7FF' and < '\uE000') or '\u2028' or '\u2029' or '\uFEFF' or > '\uFFFD')
            {
                return false;
            }

            text = text[(i + 1)..];
        }

        return true;
    }

    private sealed class DeclinedException : Exception;

    private sealed partial class Reader(string text)
    {
        private readonly string text = text;
        private int _pos;      // the current token's offset (text.Length at the end)
        private int _col;      // its column
        private bool _end;     // no more content, or a document marker line (---)
        private int _depth;

        public List<SyntaxNode> Documents()
        {
            var documents = new List<SyntaxNode>();
            ContentFrom(0);
            var explicitStart = false;
            while (true)
            {
                if (_pos >= text.Length)
                {
                    // An explicit document with nothing in it is an empty scalar at a position YamlDotNet computes oddly.
                    Require(!explicitStart);
                    return documents;
                }

                if (_end)
                {
                    Require(!explicitStart && text[_pos] == '-');
                    explicitStart = true;
                    RestOfLine(_pos + 3);
                    continue;
                }

                documents.Add(BlockNode());
                explicitStart = false;
                Require(_end);
            }
        }

        /// <summary>A mapping or sequence starting at the current token (a scalar on a line of its own is declined).</summary>
        private SyntaxNode BlockNode()
        {
            Require(++_depth <= MaxDepth);
            SyntaxNode node = IsBlockEntry(_pos) ? Sequence(_col) : Mapping(_col);
            _depth--;
            return node;
        }

        private MappingNode Mapping(int col)
        {
            var mapping = new MappingNode(_pos, _pos, isFlow: false);
            while (true)
            {
                var keyStart = _pos;
                var key = Key() ?? throw new DeclinedException();
                var afterColon = key.End + 1; // Key() requires ':' right after the key
                Require(afterColon - keyStart <= MaxKeyLength);
                var value = ValueAfter(afterColon, col, allowIndentless: true);
                if (!MappingNode.IsMerge(key))
                {
                    foreach (var (earlier, _) in mapping.Entries)
                    {
                        if (earlier is ScalarNode first && !MappingNode.IsMerge(first) && first.Value == key.Value)
                        {
                            mapping.AddDuplicate(first, key);
                            break;
                        }
                    }
                }

                mapping.Entries.Add((key, value));
                if (_end || _col < col)
                {
                    mapping.End = Math.Max(mapping.Start, _pos);
                    return mapping;
                }

                Require(_col == col);
            }
        }

        private SequenceNode Sequence(int col)
        {
            var sequence = new SequenceNode(_pos, _pos);
            while (true)
            {
                sequence.Items.Add(ValueAfter(_pos + 1, col, allowIndentless: false));
                if (_end || _col < col || (_col == col && !IsBlockEntry(_pos)))
                {
                    sequence.End = Math.Max(sequence.Start, _pos);
                    return sequence;
                }

                Require(_col == col);
            }
        }

        /// <summary>
        /// The value after a key's ':' or a sequence's '-' at <paramref name="from"/> (the indicator's end) in a
        /// collection at column <paramref name="col"/>; leaves the reader at the next line's content.
        /// </summary>
        private SyntaxNode ValueAfter(int from, int col, bool allowIndentless)
        {
            var p = SkipSpaces(from);
            if (p >= text.Length || text[p] is '\n' or '#')
            {
                NextContent(p);
                if (!_end && (_col > col || (allowIndentless && _col == col && IsBlockEntry(_pos))))
                {
                    return BlockNode();
                }

                return new ScalarNode(from, from, "", ScalarStyle.Plain);
            }

            _pos = p;
            _col = p - LineStart(p);
            SyntaxNode value;
            if (!allowIndentless && Key() is not null)
            {
                // "- key: value": a mapping whose column is the key's.
                _pos = p;
                Require(++_depth <= MaxDepth);
                value = Mapping(_col);
                _depth--;
                return value;
            }

            value = InlineValue(p, out var end);
            RestOfLine(end);

            // A more indented line would continue a plain scalar, or be an error: YamlDotNet decides.
            Require(_end || _col <= col);
            return value;
        }

        /// <summary>After a node that ends at <paramref name="p"/>: spaces, then a comment (after a space) or the line's end; then the next content.</summary>
        private void RestOfLine(int p)
        {
            var q = SkipSpaces(p);
            Require(q >= text.Length || text[q] == '\n' || (text[q] == '#' && text[q - 1] == ' '));
            NextContent(q);
        }

        /// <summary>Moves to the next line's content (from <paramref name="p"/>, on a line's rest), skipping blank and comment lines.</summary>
        private void NextContent(int p)
        {
            var lineEnd = text.IndexOf('\n', p);
            ContentFrom(lineEnd < 0 ? text.Length : lineEnd + 1);
        }

        private void ContentFrom(int start)
        {
            while (start < text.Length)
            {
                var content = SkipSpaces(start);
                if (content < text.Length && text[content] is not ('\n' or '#'))
                {
                    _pos = content;
                    _col = content - start;
                    _end = false;
                    if (_col == 0 && (text[content] == '%' || text.AsSpan(content).StartsWith("---") || text.AsSpan(content).StartsWith("...")))
                    {
                        // "---" alone (or before a comment) starts a document; "...", directives and "---text" go to YamlDotNet.
                        Require(text.AsSpan(content).StartsWith("---") && (content + 3 >= text.Length || text[content + 3] is ' ' or '\n'));
                        _end = true;
                    }

                    return;
                }

                var lineEnd = text.IndexOf('\n', content);
                start = lineEnd < 0 ? text.Length : lineEnd + 1;
            }

            _pos = text.Length;
            _col = 0;
            _end = true;
        }

        private bool IsBlockEntry(int p) => text[p] == '-' && (p + 1 == text.Length || text[p + 1] is ' ' or '\n');

        private int SkipSpaces(int p)
        {
            while (p < text.Length && text[p] == ' ')
            {
                p++;
            }

            return p;
        }

        private int LineStart(int p) => text.LastIndexOf('\n', Math.Max(p - 1, 0)) + 1;

        private static void Require(bool condition)
        {
            if (!condition)
            {
                throw new DeclinedException();
            }
        }
    }
}
