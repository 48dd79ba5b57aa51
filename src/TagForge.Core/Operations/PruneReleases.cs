using TagForge.Values;

namespace TagForge.Operations;

/// <summary>
/// One release of a repository: an image or index with the tags that belong to it (its platform tags
/// <c>TAG-os-arch</c>, signature, attestation, SBOM and referrers tags). Retention counts releases, not tags.
/// </summary>
/// <param name="Root">The image or index the release is.</param>
/// <param name="Position">The latest position in the tag list of any of its own tags (the order where created times tie).</param>
internal sealed record PruneRelease(Digest Root, int Position)
{
    /// <summary>The created time, when retention needed and found it.</summary>
    public DateTimeOffset? Created { get; set; }
}

/// <summary>Groups the tags of a repository into releases.</summary>
internal static class PruneReleases
{
    /// <summary>
    /// The releases among <paramref name="tags"/> (tag → digest, in list order), given each tagged index's children:
    /// artifact and referrers tags are never releases; a manifest that a tagged index lists, and a platform tag whose
    /// index tag exists, belong to that index's release.
    /// </summary>
    public static IReadOnlyList<PruneRelease> Group(IReadOnlyList<(string Tag, Digest Digest)> tags, IReadOnlyDictionary<Digest, IReadOnlyList<Digest>> children)
    {
        var byTag = new Dictionary<string, Digest>(StringComparer.Ordinal);
        foreach (var (tag, digest) in tags)
        {
            byTag[tag] = digest;
        }

        var partOfIndex = children.Where(pair => pair.Value.Count > 0).SelectMany(pair => pair.Value.Select(child => (child, parent: pair.Key)))
            .Where(pair => pair.child != pair.parent)
            .GroupBy(pair => pair.child)
            .ToDictionary(group => group.Key, group => group.First().parent);
        var tagged = tags.Select(entry => entry.Digest).ToHashSet();
        var releases = new Dictionary<Digest, int>();
        for (var position = 0; position < tags.Count; position++)
        {
            var (tag, digest) = tags[position];
            var kind = PruneTags.Classify(tag, out _, out var indexTag);
            if (kind is PruneTagKind.Artifact or PruneTagKind.Referrers)
            {
                continue;
            }

            var root = digest;
            if (partOfIndex.TryGetValue(digest, out var parent) && tagged.Contains(parent))
            {
                root = parent;
            }
            else if (kind == PruneTagKind.Platform && byTag.TryGetValue(indexTag!, out var index) && index != digest)
            {
                root = index;
            }

            releases[root] = releases.TryGetValue(root, out var earlier) ? Math.Max(earlier, position) : position;
        }

        return [.. releases.Select(pair => new PruneRelease(pair.Key, pair.Value))];
    }

    /// <summary>Newest first: by created time (unknown last), then by position in the tag list (later first).</summary>
    public static IReadOnlyList<PruneRelease> NewestFirst(IEnumerable<PruneRelease> releases) =>
        [.. releases.OrderByDescending(release => release.Created ?? DateTimeOffset.MinValue).ThenByDescending(release => release.Position)];
}
