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
        var documents = new List<SyntaxNode>();
        var anchors = new Dictionary<string, SyntaxNode>(StringComparer.Ordinal);
        var stack = new Stack<Frame>();
        var parser = new Parser(new StringReader(text));

        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case DocumentStart:
                    anchors.Clear();
                    break;
                case Scalar scalar:
                    Add(new ScalarNode((int)scalar.Start.Index, (int)scalar.End.Index, scalar.Value, StyleOf(scalar.Style)), scalar.Anchor);
                    break;
                case AnchorAlias alias:
                    if (!anchors.TryGetValue(alias.Value.Value, out var target))
                    {
                        throw new YamlException(alias.Start, alias.End, $"the alias *{alias.Value.Value} names no complete anchor");
                    }

                    Add(target, AnchorName.Empty);
                    break;
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
                anchors[anchor.Value] = node;
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
                    mapping.Entries.Add((parent.PendingKey, node));
                    parent.PendingKey = null;
                    break;
            }
        }
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
    }
}
