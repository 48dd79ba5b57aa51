using TagForge.Values;

namespace TagForge.Operations;

/// <summary>
/// What the keep inputs (records and deployment files) reference in one repository, resolved as a runtime resolves
/// it: a digest where one is written (<c>name:tag@digest</c> means the digest), else the tag, and <c>latest</c> where
/// neither is. Each with who references it (file and line).
/// </summary>
internal sealed class PruneKeepSet
{
    private readonly Dictionary<Digest, List<string>> _digests = [];
    private readonly Dictionary<string, List<string>> _tags = new(StringComparer.Ordinal);

    /// <summary>Digests referenced, with who references each.</summary>
    public IReadOnlyDictionary<Digest, List<string>> Digests => _digests;

    /// <summary>Tags referenced (the digest each points at is kept, as resolved now), with who references each.</summary>
    public IReadOnlyDictionary<string, List<string>> Tags => _tags;

    /// <summary>What the reader assumed or accepted (a Compose default taken, an unreadable position accepted): said once, as warnings.</summary>
    public List<string> Warnings { get; } = [];

    public void AddDigest(Digest digest, string reason) => Add(_digests, digest, reason);

    public void AddTag(string tag, string reason) => Add(_tags, tag, reason);

    /// <summary>True when <paramref name="digest"/> is referenced, or a referenced tag points at it in <paramref name="tagDigests"/>.</summary>
    public bool References(Digest digest, IReadOnlyDictionary<string, Digest> tagDigests) =>
        _digests.ContainsKey(digest) || _tags.Keys.Any(tag => tagDigests.TryGetValue(tag, out var now) && now == digest);

    private static void Add<T>(Dictionary<T, List<string>> map, T key, string reason)
        where T : notnull
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        if (!list.Contains(reason, StringComparer.Ordinal))
        {
            list.Add(reason);
        }
    }
}
