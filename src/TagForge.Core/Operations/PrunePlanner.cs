using TagForge.Registry;
using TagForge.Values;

namespace TagForge.Operations;

/// <summary>A prune plan as data: every tag with its decision, what may go, and what the plan knew when it decided.</summary>
/// <param name="Entries">Every tag with its decision, newest first.</param>
/// <param name="Deletable">The digests that may go, in plan order.</param>
/// <param name="Kept">Every digest kept, with why (the closure: children, artifacts, referrers).</param>
/// <param name="Followed">The kept digests whose dependents were already read.</param>
/// <param name="Tags">Tag → digest when planned.</param>
/// <param name="Missing">With <c>--check</c>: referenced digests already gone.</param>
internal sealed record PrunePlan(
    IReadOnlyList<PruneEntry> Entries,
    IReadOnlyList<Digest> Deletable,
    PruneClosure Kept,
    HashSet<Digest> Followed,
    IReadOnlyDictionary<string, Digest> Tags,
    IReadOnlyList<PruneMissing> Missing);

/// <summary>
/// Reads one repository (tags by HEAD, index children, created times only when retention needs them) and decides:
/// what the keep set references, the newest releases, and everything those need (<see cref="PruneClosure"/>).
/// Requests grow with the number of tags: one HEAD per tag, one GET per index, two per release for created times.
/// </summary>
internal sealed class PrunePlanner(IRegistryClient client, ImageReference repository, PruneManifests manifests, PruneProgress progress, TimeProvider clock, CancellationToken cancellationToken)
{
    public async Task<PrunePlan> PlanAsync(PruneRequest request, PruneKeepSet keep)
    {
        // 1. Every tag and the digest it points at (HEAD: no manifest bodies, no pull-limit cost).
        var names = await manifests.Gated(() => client.ListTagsAsync(repository, cancellationToken)).ConfigureAwait(false);
        var looked = 0;
        var heads = await Task.WhenAll(names.Select(async tag =>
        {
            var info = await manifests.Gated(() => client.HeadManifestAsync(repository.With(tag, null), cancellationToken)).ConfigureAwait(false);
            progress.Report("tags looked at", Interlocked.Increment(ref looked), names.Count);
            return info;
        })).ConfigureAwait(false);
        var tagged = new List<(string Tag, Digest Digest)>();
        var tags = new Dictionary<string, Digest>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            if (heads[i] is { } info)
            {
                tagged.Add((names[i], info.Digest));
                tags[names[i]] = info.Digest;
                manifests.Know(info.Digest, info.MediaType);
            }
        }

        // 2. Each tagged index's children (to group releases; the closure needs them again, read once).
        var indexes = heads.OfType<ManifestInfo>().Where(info => ManifestDocument.IsIndexMediaType(info.MediaType)).Select(info => info.Digest).Distinct().ToList();
        var children = (await Task.WhenAll(indexes.Select(async index => (index, (await manifests.ChildrenAsync(index).ConfigureAwait(false)).Select(child => child.Digest).ToList()))).ConfigureAwait(false))
            .ToDictionary(pair => pair.index, pair => (IReadOnlyList<Digest>)pair.Item2);

        // 3. What the keep set references, as resolved now.
        var kept = new PruneClosure(manifests);
        foreach (var (digest, why) in keep.Digests)
        {
            why.ForEach(reason => kept.Keep(digest, reason));
        }

        foreach (var (tag, why) in keep.Tags)
        {
            if (tags.TryGetValue(tag, out var digest))
            {
                why.ForEach(reason => kept.Keep(digest, reason));
            }
        }

        // 4. Retention, by release.
        var created = await KeepByAgeAsync(request, tagged, children, kept).ConfigureAwait(false);

        // 5. Everything the kept digests need.
        var followed = new HashSet<Digest>();
        await kept.CompleteAsync(tags, followed).ConfigureAwait(false);

        var entries = tagged
            .Select(entry =>
            {
                var keepIt = kept.Reasons.TryGetValue(entry.Digest, out var why);
                IReadOnlyList<string> because = keepIt ? [.. why!] : [WhyDeletable(entry.Tag, kept)];
                return new PruneEntry(entry.Tag, entry.Digest, created.GetValueOrDefault(entry.Digest), keepIt, because);
            })
            .OrderByDescending(entry => entry.Created ?? DateTimeOffset.MinValue)
            .ThenBy(entry => entry.Tag, StringComparer.Ordinal)
            .ToList();
        var deletable = entries.Where(entry => !entry.Keep).Select(entry => entry.Digest).Distinct().ToList();
        var missing = request.Check ? await MissingAsync(keep).ConfigureAwait(false) : [];
        return new PrunePlan(entries, deletable, kept, followed, tags, missing);
    }

    /// <summary>Keeps the newest N releases and the recent ones; returns each tagged digest's release created time (empty when no age option is given).</summary>
    private async Task<Dictionary<Digest, DateTimeOffset?>> KeepByAgeAsync(PruneRequest request, List<(string Tag, Digest Digest)> tagged, Dictionary<Digest, IReadOnlyList<Digest>> children, PruneClosure kept)
    {
        var created = new Dictionary<Digest, DateTimeOffset?>();
        if (request.KeepLast is null && request.KeepNewerThan is null)
        {
            return created;
        }

        var releases = PruneReleases.Group(tagged, children);
        var times = await Task.WhenAll(releases.Select(release => manifests.CreatedAsync(release.Root))).ConfigureAwait(false);
        for (var i = 0; i < releases.Count; i++)
        {
            releases[i].Created = times[i];
            created[releases[i].Root] = times[i];
        }

        var newest = PruneReleases.NewestFirst(releases);
        if (request.KeepLast is { } last)
        {
            foreach (var (release, rank) in newest.Take(last).Select((release, i) => (release, i + 1)))
            {
                kept.Keep(release.Root, $"newest {last} (#{rank})");
            }
        }

        if (request.KeepNewerThan is { } age)
        {
            var cutoff = clock.GetUtcNow() - age;
            foreach (var release in newest)
            {
                if (release.Created is null)
                {
                    kept.Keep(release.Root, "created time unknown (kept by --keep-newer-than)");
                }
                else if (release.Created >= cutoff)
                {
                    kept.Keep(release.Root, $"newer than {PruneOperation.FormatAge(age)}");
                }
            }
        }

        // A tag's age is its release's: platform and artifact tags show the age of what they belong to.
        foreach (var (_, digest) in tagged)
        {
            if (!created.ContainsKey(digest) && children.FirstOrDefault(pair => pair.Value.Contains(digest)).Key is { } index && created.TryGetValue(index, out var time))
            {
                created[digest] = time;
            }
        }

        return created;
    }

    private async Task<List<PruneMissing>> MissingAsync(PruneKeepSet keep)
    {
        var referenced = keep.Digests.Keys.ToList();
        var present = await Task.WhenAll(referenced.Select(digest => manifests.Gated(() => client.HeadManifestAsync(repository.With(null, digest), cancellationToken)))).ConfigureAwait(false);
        return [.. referenced.Where((_, i) => present[i] is null).Select(digest => new PruneMissing(digest, keep.Digests[digest]))];
    }

    private static string WhyDeletable(string tag, PruneClosure kept) =>
        PruneTags.Classify(tag, out var subject, out _) switch
        {
            PruneTagKind.Artifact when !kept.Contains(subject!) => $"{tag[(tag.LastIndexOf('.') + 1)..]} tag of {PruneClosure.Short(subject!)}, which nothing keeps",
            PruneTagKind.Referrers when !kept.Contains(subject!) => $"referrers tag of {PruneClosure.Short(subject!)}, which nothing keeps",
            _ => "nothing keeps it",
        };
}
