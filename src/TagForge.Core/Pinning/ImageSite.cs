using TagForge.Values;

namespace TagForge.Pinning;

/// <summary>One image reference in a deployment file, where it is written and how to rewrite it in place.</summary>
public abstract class ImageSite
{
    private protected ImageSite(DeploymentFormat format, string text, int line, int column)
    {
        Format = format;
        Text = text;
        Line = line;
        Column = column;
        if (ImageReference.TryParse(text, out var reference, out var problem))
        {
            Reference = reference;
        }
        else
        {
            Problem = problem;
        }
    }

    /// <summary>The format the file was read as.</summary>
    public DeploymentFormat Format { get; }

    /// <summary>The reference as written (for Helm and kustomize, assembled from the block's keys).</summary>
    public string Text { get; }

    /// <summary>The parsed reference, or <see langword="null"/> when <see cref="Text"/> is not a literal reference (a <c>${VAR}</c>, a template).</summary>
    public ImageReference? Reference { get; }

    /// <summary>Why <see cref="Text"/> is not a reference, when it is not.</summary>
    public string? Problem { get; }

    /// <summary>1-based line of the value.</summary>
    public int Line { get; }

    /// <summary>1-based column (characters) of the value.</summary>
    public int Column { get; }

    /// <summary>The container's <c>imagePullPolicy</c> (Kubernetes only).</summary>
    public string? PullPolicy { get; init; }

    /// <summary>
    /// The tag is not written here but comes from elsewhere: a kustomization entry without <c>newTag</c> keeps the
    /// manifests' tag; a Helm block with an empty or no <c>tag</c> gets the chart's appVersion. Such a site is not
    /// "untagged" for <c>lint</c>, and <c>resolve</c> cannot know which tag to ask for.
    /// </summary>
    public bool TagIsInherited { get; private protected init; }

    /// <summary>
    /// A kustomize <c>digest:</c> that is written but is not a digest (a YAML number, a truncated hex), which
    /// <see cref="Text"/> and <see cref="Reference"/> leave out: <c>pin</c> replaces it when the record has the
    /// image and says so, and it is a finding otherwise.
    /// </summary>
    public string? InvalidDigest { get; private protected init; }

    /// <summary>
    /// A kustomize entry's <c>name</c>: the image, as written in the resources it rewrites, whose tag an entry
    /// without <c>newTag</c> keeps (null for other formats).
    /// </summary>
    public string? KustomizeName { get; private protected init; }

    /// <summary>
    /// A Helm block's <c>sha:</c> (the kube-prometheus charts render <c>repository:tag@sha256:SHA</c> from it), as a
    /// digest; null when the block has none. <see cref="Text"/> leaves it out, so pin and lint read the block as before.
    /// </summary>
    public Digest? HelmSha { get; private protected init; }

    /// <summary>The edits that make this site say <paramref name="tag"/> (or keep its own when null, for the digest style) and <paramref name="digest"/>.</summary>
    internal abstract IEnumerable<TextEdit> Rewrite(string? tag, Digest digest, SourceText source);
}

/// <summary>An image written as one string: Kubernetes, Compose, ECS, Dockerrun, <c>image:</c> in Helm values.</summary>
internal sealed class ScalarImageSite(DeploymentFormat format, ScalarNode value, bool inFlow, int line, int column)
    : ImageSite(format, value.Value, line, column)
{
    internal override IEnumerable<TextEdit> Rewrite(string? tag, Digest digest, SourceText source)
    {
        var updated = Reference!.With(tag, digest).ToString();
        if (updated != Text)
        {
            yield return new TextEdit(value.Start, value.End, ScalarText.Format(updated, value, inFlow));
        }
    }
}

/// <summary>A Helm values image block: <c>registry</c>, <c>repository</c>, <c>tag</c>, <c>digest</c>.</summary>
internal sealed class HelmImageSite : ImageSite
{
    private readonly ScalarNode? _tag;
    private readonly ScalarNode? _digest;
    private readonly bool _inFlow;

    private HelmImageSite(string text, ScalarNode? tag, ScalarNode? digest, bool inFlow, int line, int column)
        : base(DeploymentFormat.HelmValues, text, line, column)
    {
        _tag = tag;
        _digest = digest;
        _inFlow = inFlow;
    }

    public static HelmImageSite Create(MappingNode block, ScalarNode repository, SourceText source)
    {
        var registry = block.GetText("registry");
        var tag = block.Get("tag") as ScalarNode;
        var digest = block.Get("digest") as ScalarNode;
        var text = (string.IsNullOrEmpty(registry) ? "" : registry + "/") + repository.Value
            + (tag is { IsNull: false, Value.Length: > 0 } ? ":" + tag.Value : "")
            + (digest is { IsNull: false, Value.Length: > 0 } ? "@" + digest.Value : "");
        var (line, column) = source.Position(repository.Start);
        var sha = block.GetText("sha") is { Length: > 0 } shaText && Digest.TryParse(shaText.Contains(':', StringComparison.Ordinal) ? shaText : "sha256:" + shaText, out var shaDigest) ? shaDigest : null;
        return new HelmImageSite(text, tag, digest, block.IsFlow, line, column)
        {
            HelmSha = sha,
            TagIsInherited = tag is null or { IsNull: true } or { Value.Length: 0 } && digest is null or { IsNull: true } or { Value.Length: 0 },
        };
    }

    internal override IEnumerable<TextEdit> Rewrite(string? tag, Digest digest, SourceText source)
    {
        var newTag = tag ?? Reference!.Tag;
        if (_digest is not null)
        {
            // The chart renders repository:tag@digest (or repository@digest) itself.
            if (_digest.Value != digest.ToString())
            {
                yield return Replace(_digest, digest.ToString());
            }

            if (_tag is not null && newTag is not null && _tag.Value != newTag)
            {
                yield return Replace(_tag, newTag);
            }
        }
        else if (_tag is not null)
        {
            // No digest key: charts that render repository:tag take tag@digest.
            var value = (newTag ?? "") + "@" + digest;
            if (_tag.Value != value)
            {
                yield return Replace(_tag, value);
            }
        }
    }

    private TextEdit Replace(ScalarNode node, string value) => new(node.Start, node.End, ScalarText.Format(value, node, _inFlow));
}

/// <summary>A kustomization <c>images:</c> entry: <c>name</c>, <c>newName</c>, <c>newTag</c>, <c>digest</c>.</summary>
internal sealed class KustomizeImageSite : ImageSite
{
    private readonly MappingNode _entry;
    private readonly ScalarNode? _newTag;
    private readonly ScalarNode? _digest;

    private KustomizeImageSite(string text, MappingNode entry, ScalarNode? newTag, ScalarNode? digest, int line, int column)
        : base(DeploymentFormat.Kustomization, text, line, column)
    {
        _entry = entry;
        _newTag = newTag;
        _digest = digest;
    }

    public static KustomizeImageSite Create(MappingNode entry, ScalarNode name, SourceText source)
    {
        var newName = entry.Get("newName") as ScalarNode;
        var newTag = entry.Get("newTag") as ScalarNode;
        var digest = entry.Get("digest") as ScalarNode;
        var shown = newName is { IsNull: false } ? newName : name;
        var invalidDigest = digest is { IsNull: false } && !Digest.TryParse(digest.Value, out _) ? digest.Value : null;
        var text = shown.Value
            + (newTag is { IsNull: false, Value.Length: > 0 } ? ":" + newTag.Value : "")
            + (digest is { IsNull: false, Value.Length: > 0 } && invalidDigest is null ? "@" + digest.Value : "");
        var (line, column) = source.Position(shown.Start);
        return new KustomizeImageSite(text, entry, newTag, digest, line, column)
        {
            KustomizeName = name.Value,
            TagIsInherited = newTag is null or { IsNull: true } && (digest is null or { IsNull: true } || invalidDigest is not null),
            InvalidDigest = invalidDigest,
        };
    }

    internal override IEnumerable<TextEdit> Rewrite(string? tag, Digest digest, SourceText source)
    {
        if (_newTag is not null && tag is not null && _newTag.Value != tag)
        {
            yield return new TextEdit(_newTag.Start, _newTag.End, ScalarText.Format(tag, _newTag, _entry.IsFlow));
        }

        if (_digest is not null)
        {
            if (_digest.Value != digest.ToString())
            {
                yield return new TextEdit(_digest.Start, _digest.End, ScalarText.Format(digest.ToString(), _digest, _entry.IsFlow));
            }

            yield break;
        }

        yield return InsertDigest(digest, source);
    }

    /// <summary>Adds <c>digest: …</c> to the entry: in a flow mapping after its last value, in a block mapping as a new line at the keys' indentation.</summary>
    private TextEdit InsertDigest(Digest digest, SourceText source)
    {
        var last = _entry.Entries[^1].Value;
        if (_entry.IsFlow)
        {
            return new TextEdit(last.End, last.End, $", digest: {digest}");
        }

        var text = source.Text;
        var (_, column) = source.Position(_entry.Entries[0].Key.Start);
        var indent = new string(' ', column - 1);
        var lineEnd = text.IndexOf('\n', last.End);
        if (lineEnd < 0)
        {
            // The entry ends the file without a final newline: start a line, and keep ending without one.
            return new TextEdit(text.Length, text.Length, $"{source.NewLine}{indent}digest: {digest}");
        }

        var newLine = lineEnd > 0 && text[lineEnd - 1] == '\r' ? "\r\n" : "\n";
        return new TextEdit(lineEnd + 1, lineEnd + 1, $"{indent}digest: {digest}{newLine}");
    }
}
