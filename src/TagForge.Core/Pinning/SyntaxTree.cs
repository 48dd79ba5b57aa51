namespace TagForge.Pinning;

/// <summary>
/// The little of a YAML or JSON document that locating images needs: mappings, sequences and scalars with the
/// character offsets where their text starts and ends in the source (so a value can be replaced in place).
/// Aliases are the same node object as their anchor; merge keys (<c>&lt;&lt;</c>) are resolved on lookup.
/// </summary>
internal abstract class SyntaxNode(int start, int end)
{
    /// <summary>Offset of the node's first character (the opening quote of a quoted scalar).</summary>
    public int Start { get; } = start;

    /// <summary>Offset just past the node's last character (past the closing quote).</summary>
    public int End { get; set; } = end;
}

/// <summary>How a scalar is written, so a replacement is written the same way.</summary>
internal enum ScalarStyle
{
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Block,
    Json,
}

internal sealed class ScalarNode(int start, int end, string value, ScalarStyle style) : SyntaxNode(start, end)
{
    public string Value { get; } = value;

    public ScalarStyle Style { get; } = style;

    /// <summary>
    /// Why the value cannot be rewritten in place, when it cannot: a block scalar (<c>|</c>, <c>&gt;</c>) is
    /// rewritten only when its value is one line, whose text then is [<see cref="SyntaxNode.Start"/>,
    /// <see cref="SyntaxNode.End"/>) (the header line and the indentation stay as they are).
    /// </summary>
    public string? NotRewritable { get; init; }

    /// <summary>A JSON number, boolean or null: a value, but never a string.</summary>
    public bool IsJsonNonString { get; init; }

    /// <summary>A YAML null (<c>~</c>, <c>null</c> or nothing), which reads as "no value".</summary>
    public bool IsNull => Style == ScalarStyle.Plain && Value is "" or "~" or "null" or "Null" or "NULL";
}

internal sealed class SequenceNode(int start, int end) : SyntaxNode(start, end)
{
    public List<SyntaxNode> Items { get; } = [];
}

internal sealed class MappingNode(int start, int end, bool isFlow) : SyntaxNode(start, end)
{
    private const string MergeKey = "<<";

    public bool IsFlow { get; } = isFlow;

    /// <summary>Entries as written (merge keys included, unresolved).</summary>
    public List<(SyntaxNode Key, SyntaxNode Value)> Entries { get; } = [];

    private List<(ScalarNode First, ScalarNode Again)>? _duplicates;

    /// <summary>Keys written a second (third...) time in this mapping, each with the first key of that name.</summary>
    public IReadOnlyList<(ScalarNode First, ScalarNode Again)> Duplicates => _duplicates ?? [];

    /// <summary>Notes that <paramref name="again"/> repeats the key <paramref name="first"/> (the list is made only for a mapping that has one).</summary>
    public void AddDuplicate(ScalarNode first, ScalarNode again) => (_duplicates ??= []).Add((first, again));

    /// <summary>
    /// The value for <paramref name="key"/>, looking through merge keys (explicit keys win). A key written twice
    /// gives its last value, as AWS, jq and most YAML readers do (the locator reports such a key as a finding).
    /// </summary>
    public SyntaxNode? Get(string key)
    {
        var hasMerge = false;
        SyntaxNode? found = null;
        foreach (var (name, value) in Entries)
        {
            if (name is ScalarNode scalar)
            {
                if (IsMerge(scalar))
                {
                    hasMerge = true;
                }
                else if (scalar.Value == key)
                {
                    found = value;
                }
            }
        }

        if (found is not null)
        {
            return found;
        }

        if (hasMerge)
        {
            foreach (var (name, value) in Pairs())
            {
                if (name == key)
                {
                    return value;
                }
            }
        }

        return null;
    }

    /// <summary>The scalar text for <paramref name="key"/>, or <see langword="null"/>.</summary>
    public string? GetText(string key) => Get(key) is ScalarNode { IsNull: false } scalar ? scalar.Value : null;

    /// <summary>Key/value pairs with merge keys resolved: explicit entries first, then merged ones not overridden.</summary>
    public IEnumerable<(string Key, SyntaxNode Value)> Pairs() =>
        Entries.Exists(entry => entry.Key is ScalarNode scalar && IsMerge(scalar))
            ? Pairs(new HashSet<MappingNode>(ReferenceEqualityComparer.Instance), 1)
            : Entries.Where(entry => entry.Key is ScalarNode).Select(entry => (((ScalarNode)entry.Key).Value, entry.Value));

    internal static bool IsMerge(ScalarNode key) => key.Style == ScalarStyle.Plain && key.Value == MergeKey;

    private IEnumerable<(string Key, SyntaxNode Value)> Pairs(HashSet<MappingNode> seen, int depth)
    {
        if (!seen.Add(this))
        {
            yield break;
        }

        // Each merge level is a nested iterator: a chain of anchors merging each other must not reach the stack's end.
        if (depth > NestingLimit.MaxDepth)
        {
            throw new NestingTooDeepException(-1) { Offset = Start };
        }

        var explicitKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in Entries)
        {
            if (key is ScalarNode scalar && !IsMerge(scalar))
            {
                explicitKeys.Add(scalar.Value);
                yield return (scalar.Value, value);
            }
        }

        foreach (var (key, value) in Entries)
        {
            if (key is not ScalarNode merge || !IsMerge(merge))
            {
                continue;
            }

            IEnumerable<SyntaxNode> sources = value is SequenceNode sequence ? sequence.Items : [value];
            foreach (var source in sources.OfType<MappingNode>())
            {
                foreach (var pair in source.Pairs(seen, depth + 1))
                {
                    if (explicitKeys.Add(pair.Key))
                    {
                        yield return pair;
                    }
                }
            }
        }
    }
}
