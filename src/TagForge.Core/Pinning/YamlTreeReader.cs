using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlScalarStyle = YamlDotNet.Core.ScalarStyle;

namespace TagForge.Pinning;

/// <summary>
/// Reads YAML into <see cref="SyntaxNode"/>s with YamlDotNet's event parser, keeping each node's source offsets
/// (<see cref="Mark.Index"/>). Nothing is re-serialised: the offsets are used to replace text in the original.
/// </summary>
internal static class YamlTreeReader
{
    /// <summary>Every document's root node (empty documents are skipped).</summary>
    /// <exception cref="YamlException">The text is not valid YAML.</exception>
    public static List<SyntaxNode> Read(string text)
    {
        try
        {
            return ReadUnguarded(text);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            // YamlDotNet's scanner throws these on some malformed text (found by LocatorProperties): still bad YAML.
            throw new YamlException($"the YAML parser gave up on this text ({ex.Message})", ex);
        }
    }

    private static List<SyntaxNode> ReadUnguarded(string text)
    {
        var documents = new List<SyntaxNode>();
        Dictionary<string, SyntaxNode>? anchors = null;
        var stack = new Stack<Frame>();
        var parser = new Parser(new StringReader(text));

        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case DocumentStart:
                    anchors?.Clear();
                    break;
                case Scalar scalar:
                    Add(ScalarOf(scalar, text), scalar.Anchor);
                    break;
                case AnchorAlias alias:
                    if (anchors is null || !anchors.TryGetValue(alias.Value.Value, out var target))
                    {
                        throw new YamlException(alias.Start, alias.End, $"the alias *{alias.Value.Value} names no complete anchor");
                    }

                    Add(target, AnchorName.Empty);
                    break;
                case SequenceStart or MappingStart when stack.Count >= NestingLimit.MaxDepth:
                    throw new NestingTooDeepException((int)parser.Current.Start.Line);
                case SequenceStart sequenceStart:
                    stack.Push(new Frame(new SequenceNode((int)sequenceStart.Start.Index, (int)sequenceStart.End.Index), sequenceStart.Anchor));
                    break;
                case MappingStart mappingStart:
                    stack.Push(new Frame(
                        new MappingNode((int)mappingStart.Start.Index, (int)mappingStart.End.Index, mappingStart.Style == MappingStyle.Flow),
                        mappingStart.Anchor));
                    break;
                case SequenceEnd or MappingEnd:
                    var frame = stack.Pop();
                    frame.Node.End = Math.Max(frame.Node.End, (int)parser.Current.End.Index);
                    Add(frame.Node, frame.Anchor);
                    break;
            }
        }

        return documents;

        void Add(SyntaxNode node, AnchorName anchor)
        {
            if (!anchor.IsEmpty)
            {
                (anchors ??= new Dictionary<string, SyntaxNode>(StringComparer.Ordinal))[anchor.Value] = node;
            }

            if (stack.Count == 0)
            {
                documents.Add(node);
                return;
            }

            var parent = stack.Peek();
            switch (parent.Node)
            {
                case SequenceNode sequence:
                    sequence.Items.Add(node);
                    break;
                case MappingNode mapping when parent.PendingKey is null:
                    parent.PendingKey = node;
                    break;
                case MappingNode mapping:
                    if (parent.PendingKey is ScalarNode key && !MappingNode.IsMerge(key) && parent.FirstKeyNamed(key.Value) is { } first)
                    {
                        mapping.AddDuplicate(first, key);
                    }

                    mapping.Entries.Add((parent.PendingKey, node));
                    parent.Added(parent.PendingKey);
                    parent.PendingKey = null;
                    break;
            }
        }
    }

    private static ScalarNode ScalarOf(Scalar scalar, string text)
    {
        var start = (int)scalar.Start.Index;
        var end = (int)scalar.End.Index;
        if (scalar.Style is not (YamlScalarStyle.Literal or YamlScalarStyle.Folded))
        {
            return new ScalarNode(start, end, scalar.Value, StyleOf(scalar.Style));
        }

        // A block scalar starts at its header (| or >, with chomping and indentation indicators) and its value is
        // on the lines below. One line of value (what an image is) is located there, so that it alone is replaced
        // and the header, the indentation and the line breaks stay: the block style is kept.
        var value = scalar.Value.TrimEnd('\n');
        var headerEnd = text.IndexOf('\n', start);
        if (value.Length == 0 || value.Contains('\n', StringComparison.Ordinal) || headerEnd < 0 || headerEnd >= end)
        {
            var why = value.Length == 0 ? "an empty block scalar" : "a block scalar of more than one line";
            return new ScalarNode(start, end, value, ScalarStyle.Block) { NotRewritable = why };
        }

        var content = headerEnd + 1;
        while (content < end && text[content] is ' ' or '\t' or '\r' or '\n')
        {
            content++;
        }

        if (content + value.Length > text.Length || !text.AsSpan(content, value.Length).SequenceEqual(value))
        {
            return new ScalarNode(start, end, value, ScalarStyle.Block) { NotRewritable = "a block scalar whose text TagForge cannot locate" };
        }

        return new ScalarNode(content, content + value.Length, value, ScalarStyle.Block);
    }

    private static ScalarStyle StyleOf(YamlScalarStyle style) => style switch
    {
        YamlScalarStyle.SingleQuoted => ScalarStyle.SingleQuoted,
        YamlScalarStyle.DoubleQuoted => ScalarStyle.DoubleQuoted,
        YamlScalarStyle.Literal or YamlScalarStyle.Folded => ScalarStyle.Block,
        _ => ScalarStyle.Plain,
    };

    private sealed class Frame(SyntaxNode node, AnchorName anchor)
    {
        public SyntaxNode Node { get; } = node;

        public AnchorName Anchor { get; } = anchor;

        public SyntaxNode? PendingKey { get; set; }

        /// <summary>The mapping's scalar keys by name, made only once it has many (a scan of a few entries costs less), to find duplicates.</summary>
        private Dictionary<string, ScalarNode>? _keys;

        /// <summary>The first scalar key (not a merge key) of the mapping's entries so far named <paramref name="name"/>, or null.</summary>
        public ScalarNode? FirstKeyNamed(string name)
        {
            var entries = ((MappingNode)Node).Entries;
            if (_keys is null && entries.Count < ScanLimit)
            {
                foreach (var (key, _) in entries)
                {
                    if (key is ScalarNode scalar && !MappingNode.IsMerge(scalar) && scalar.Value == name)
                    {
                        return scalar;
                    }
                }

                return null;
            }

            if (_keys is null)
            {
                _keys = new Dictionary<string, ScalarNode>(StringComparer.Ordinal);
                foreach (var (key, _) in entries)
                {
                    if (key is ScalarNode scalar && !MappingNode.IsMerge(scalar))
                    {
                        _keys.TryAdd(scalar.Value, scalar);
                    }
                }
            }

            return _keys.TryGetValue(name, out var found) ? found : null;
        }

        /// <summary>Keeps the index of keys up to date with an entry just added (once there is one).</summary>
        public void Added(SyntaxNode key)
        {
            if (_keys is not null && key is ScalarNode scalar && !MappingNode.IsMerge(scalar))
            {
                _keys.TryAdd(scalar.Value, scalar);
            }
        }

        private const int ScanLimit = 16;
    }
}
