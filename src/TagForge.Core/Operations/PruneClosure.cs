using TagForge.Values;

namespace TagForge.Operations;

/// <summary>
/// Everything a kept digest needs: the manifests of a kept index at any depth (nested indexes included), its
/// signature, attestation and SBOM tags (<c>sha256-HEX.sig/.att/.sbom</c>), its referrers through the API, and its
/// OCI 1.1 referrers tag (<c>sha256-HEX</c>, kept itself, with the referrers it lists); and, in turn, all of theirs.
/// </summary>
internal sealed class PruneClosure(PruneManifests manifests)
{
    private readonly Dictionary<Digest, List<string>> _reasons = [];

    /// <summary>Every digest kept so far, with why.</summary>
    public IReadOnlyDictionary<Digest, List<string>> Reasons => _reasons;

    public bool Contains(Digest digest) => _reasons.ContainsKey(digest);

    /// <summary>Keeps <paramref name="digest"/> for <paramref name="reason"/>; true when it was not kept before.</summary>
    public bool Keep(Digest digest, string reason)
    {
        var added = !_reasons.TryGetValue(digest, out var found);
        var list = found ?? (_reasons[digest] = []);
        if (!list.Contains(reason, StringComparer.Ordinal))
        {
            list.Add(reason);
        }

        return added;
    }

    /// <summary>
    /// Follows everything kept that has not been followed yet, wave by wave (each wave's requests in parallel under the
    /// gate), until nothing new is kept. <paramref name="tags"/> is the tag → digest map to find artifact tags in.
    /// </summary>
    public async Task CompleteAsync(IReadOnlyDictionary<string, Digest> tags, ISet<Digest> followed)
    {
        var wave = _reasons.Keys.Where(followed.Add).ToList();
        while (wave.Count > 0)
        {
            var found = await Task.WhenAll(wave.Select(digest => DependentsAsync(digest, tags))).ConfigureAwait(false);
            var next = new List<Digest>();
            foreach (var (child, reason) in found.SelectMany(list => list))
            {
                Keep(child, reason);
                if (followed.Add(child))
                {
                    next.Add(child);
                }
            }

            wave = next;
        }
    }

    private async Task<List<(Digest Digest, string Reason)>> DependentsAsync(Digest digest, IReadOnlyDictionary<string, Digest> tags)
    {
        var shortName = Short(digest);
        var children = manifests.ChildrenAsync(digest);
        var referrers = manifests.ReferrersAsync(digest);
        var found = new List<(Digest, string)>();
        foreach (var child in await children.ConfigureAwait(false))
        {
            found.Add((child.Digest, child.Platform is { } platform ? $"platform {platform} of kept {shortName}" : $"manifest of kept index {shortName}"));
        }

        foreach (var tag in PruneTags.ArtifactTagsOf(digest))
        {
            if (tags.TryGetValue(tag, out var artifact))
            {
                found.Add((artifact, tag.Contains('.', StringComparison.Ordinal) ? $"{tag[(tag.LastIndexOf('.') + 1)..]} tag of kept {shortName}" : $"referrers tag of kept {shortName}"));
            }
        }

        foreach (var referrer in await referrers.ConfigureAwait(false))
        {
            found.Add((referrer.Digest, $"referrer of kept {shortName}"));
        }

        return found;
    }

    public static string Short(Digest digest) => $"{digest.Algorithm}:{digest.Hex[..12]}";
}
