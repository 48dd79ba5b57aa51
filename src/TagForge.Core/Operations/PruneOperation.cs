using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using TagForge.Errors;
using TagForge.Pinning;
using TagForge.Records;
using TagForge.Registry;
using TagForge.Services;
using TagForge.Values;

namespace TagForge.Operations;

/// <summary>
/// <c>tagforge prune</c>: plans which tags and manifests of a repository may go, keeping what records and pinned
/// deployment files reference, the newest N, the recent ones, the children of kept indexes and the signatures and
/// attestations of kept digests; deletes by digest only with <see cref="PruneRequest.Apply"/>, re-reading the keep
/// set just before. A keep set that cannot be read is refused (exit 2), never taken as empty.
/// </summary>
public static class PruneOperation
{
    /// <summary>Plans, checks and (with <see cref="PruneRequest.Apply"/>) deletes.</summary>
    /// <exception cref="BadInputException">No keep set (without <see cref="PruneRequest.KeepNothing"/>), or a keep file that cannot be read.</exception>
    /// <exception cref="ExternalFailureException">A registry failed, or cannot delete; says how many were deleted before.</exception>
    public static async Task<PruneResult> RunAsync(PruneRequest request, TagForgeServices services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        if (!ImageReference.TryParse(request.Repository, out var parsed, out var error))
        {
            throw new BadInputException($"repository {error}");
        }

        var repository = parsed.With(null, null);
        if (request.KeepRecords.Count == 0 && request.KeepPinned.Count == 0 && request.KeepLast is null && request.KeepNewerThan is null && !request.KeepNothing)
        {
            throw new BadInputException(
                $"prune of {repository.Name} has no keep set: give --keep-record, --keep-pinned, --keep-last or --keep-newer-than (or --keep-nothing-i-am-sure to allow deleting everything)");
        }

        if (request.KeepLast is < 0)
        {
            throw new BadInputException($"--keep-last must be 0 or more, not {request.KeepLast}");
        }

        var concurrency = RegistryConcurrency.Resolve(request.MaxConcurrency, services.Environment);
        var keep = ReadKeepSet(request, services, repository);
        using var session = services.Registries.Open(request.Registry ?? new RegistryAccess());
        var client = session.Client;
        using var gate = new SemaphoreSlim(concurrency);

        // 1. Every tag and the digest it points at (HEAD: no manifest bodies, no pull-limit cost).
        var tags = await client.ListTagsAsync(repository, cancellationToken).ConfigureAwait(false);
        var heads = await ForEachAsync(gate, tags, tag => client.HeadManifestAsync(repository.With(tag, null), cancellationToken), cancellationToken).ConfigureAwait(false);
        var tagged = new List<(string Tag, int Position, ManifestInfo Info)>();
        for (var i = 0; i < tags.Count; i++)
        {
            if (heads[i] is { } info)
            {
                tagged.Add((tags[i], i, info));
            }
        }

        // 2. Each distinct image: created time, and an index's children.
        var digests = tagged.Select(entry => entry.Info).DistinctBy(info => info.Digest).ToList();
        // Created times cost two requests per image: read them only when an age option needs them (the table then shows "-").
        var needCreated = request.KeepLast is not null || request.KeepNewerThan is not null;
        var facts = await ForEachAsync(gate, digests, info => ReadFactsAsync(client, repository, info, needCreated, cancellationToken), cancellationToken).ConfigureAwait(false);
        var byDigest = digests.Select((info, i) => (info.Digest, Facts: facts[i])).ToDictionary(pair => pair.Digest, pair => pair.Facts);

        // 3. The keep decisions.
        var reasons = new Dictionary<Digest, List<string>>();
        void Keep(Digest digest, string reason)
        {
            if (!reasons.TryGetValue(digest, out var list))
            {
                reasons[digest] = list = [];
            }

            if (!list.Contains(reason, StringComparer.Ordinal))
            {
                list.Add(reason);
            }
        }

        foreach (var (digest, why) in keep.Digests)
        {
            why.ForEach(reason => Keep(digest, reason));
        }

        foreach (var (tag, why) in keep.Tags)
        {
            if (tagged.FirstOrDefault(entry => entry.Tag == tag) is { Info: { } info })
            {
                why.ForEach(reason => Keep(info.Digest, reason));
            }
        }

        var images = tagged.Where(entry => !ImageCopier.IsSignatureTag(entry.Tag, out _))
            .GroupBy(entry => entry.Info.Digest)
            .Select(group => (Digest: group.Key, Created: byDigest[group.Key].Created, Position: group.Max(entry => entry.Position)))
            .OrderByDescending(image => image.Created ?? DateTimeOffset.MinValue)
            .ThenByDescending(image => image.Position)
            .ToList();
        if (request.KeepLast is { } last)
        {
            foreach (var (image, rank) in images.Take(last).Select((image, i) => (image, i + 1)))
            {
                Keep(image.Digest, $"newest {last} (#{rank})");
            }
        }

        if (request.KeepNewerThan is { } age)
        {
            var cutoff = services.Clock.GetUtcNow() - age;
            foreach (var image in images)
            {
                if (image.Created is null)
                {
                    Keep(image.Digest, "created time unknown (kept by --keep-newer-than)");
                }
                else if (image.Created >= cutoff)
                {
                    Keep(image.Digest, $"newer than {FormatAge(age)}");
                }
            }
        }

        // Children of kept indexes, then signatures, attestations and referrers of everything kept so far.
        foreach (var digest in reasons.Keys.ToList())
        {
            if (byDigest.TryGetValue(digest, out var parent))
            {
                foreach (var child in parent.Children)
                {
                    Keep(child, $"platform of kept {Short(digest)}");
                }
            }
        }

        var kept = reasons.Keys.ToList();
        foreach (var entry in tagged)
        {
            if (ImageCopier.IsSignatureTag(entry.Tag, out var subject) && reasons.ContainsKey(subject!))
            {
                Keep(entry.Info.Digest, $"signature of kept {Short(subject!)}");
            }
        }

        var referrers = await ForEachAsync(gate, kept, digest => client.GetReferrersAsync(repository, digest, cancellationToken), cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < kept.Count; i++)
        {
            foreach (var referrer in referrers[i])
            {
                Keep(referrer.Digest, $"referrer of kept {Short(kept[i])}");
            }
        }

        // 4. The plan, newest first.
        var entries = tagged
            .Select(entry =>
            {
                var keepIt = reasons.TryGetValue(entry.Info.Digest, out var why);
                IReadOnlyList<string> because = keepIt ? why! : [WhyDeletable(entry.Tag, reasons)];
                return new PruneEntry(entry.Tag, entry.Info.Digest, byDigest[entry.Info.Digest].Created, keepIt, because);
            })
            .OrderByDescending(entry => entry.Created ?? DateTimeOffset.MinValue)
            .ThenBy(entry => entry.Tag, StringComparer.Ordinal)
            .ToList();
        var deletable = entries.Where(entry => !entry.Keep).Select(entry => entry.Digest).Distinct().ToList();

        // 5. --check: what the keep set references must still be there (the ECS story, caught before a scale-out).
        var missing = new List<PruneMissing>();
        if (request.Check)
        {
            var referenced = keep.Digests.Keys.ToList();
            var present = await ForEachAsync(gate, referenced, digest => client.HeadManifestAsync(repository.With(null, digest), cancellationToken), cancellationToken).ConfigureAwait(false);
            missing.AddRange(referenced.Where((_, i) => present[i] is null).Select(digest => new PruneMissing(digest, keep.Digests[digest])));
            foreach (var gone in missing)
            {
                services.Logger.LogWarning("{Repository}@{Digest} is referenced by {Who} but no longer exists", repository.Name, gone.Digest, string.Join(", ", gone.Reasons));
            }
        }

        var keptTags = entries.Count(entry => entry.Keep);
        if (!request.Apply)
        {
            return new PruneResult
            {
                Repository = repository, Entries = entries, Deletable = deletable, Missing = missing,
                Summary = $"{repository.Name}: {Plural.Of(entries.Count, "tag")}, {keptTags} kept, {entries.Count - keptTags} deletable ({Plural.Of(deletable.Count, "manifest")}); nothing deleted (--apply deletes)",
            };
        }

        // 6. --apply: the keep set read again right before deleting; a digest it now names is spared.
        var fresh = ReadKeepSet(request, services, repository);
        var spared = new List<Digest>();
        var deleted = new List<Digest>();
        foreach (var digest in deletable)
        {
            if (fresh.Digests.ContainsKey(digest) || fresh.Tags.Keys.Any(tag => tagged.Any(entry => entry.Tag == tag && entry.Info.Digest == digest)))
            {
                spared.Add(digest);
                services.Logger.LogWarning("{Repository}@{Digest} is now in the keep set; not deleted", repository.Name, digest);
                continue;
            }

            try
            {
                await client.DeleteManifestAsync(repository.With(null, digest), cancellationToken).ConfigureAwait(false);
            }
            catch (ExternalFailureException ex)
            {
                throw new ExternalFailureException(
                    deleted.Count == 0
                        ? $"nothing was deleted from {repository.Name}: {ex.Message}"
                        : $"deleted {deleted.Count} of {deletable.Count} manifests from {repository.Name}, then failed: {ex.Message}",
                    ex);
            }

            deleted.Add(digest);
            services.Logger.LogInformation("deleted {Repository}@{Digest} ({Tags})", repository.Name, digest, string.Join(", ", entries.Where(entry => entry.Digest == digest).Select(entry => entry.Tag)));
        }

        return new PruneResult
        {
            Repository = repository, Entries = entries, Deletable = deletable, Deleted = deleted, Spared = spared, Missing = missing, Applied = true,
            Summary = $"{repository.Name}: {Plural.Of(entries.Count, "tag")}, {keptTags} kept; deleted {Plural.Of(deleted.Count, "manifest")}"
                + (spared.Count > 0 ? $", spared {spared.Count} the keep set now references" : ""),
        };
    }

    /// <summary><c>30d</c>, <c>12h</c>, <c>90m</c>.</summary>
    internal static string FormatAge(TimeSpan age) =>
        age.TotalDays >= 1 && age.TotalDays == Math.Floor(age.TotalDays) ? $"{age.TotalDays:0}d"
        : age.TotalHours >= 1 && age.TotalHours == Math.Floor(age.TotalHours) ? $"{age.TotalHours:0}h"
        : $"{age.TotalMinutes:0}m";

    private static string Short(Digest digest) => $"{digest.Algorithm}:{digest.Hex[..12]}";

    private static string WhyDeletable(string tag, Dictionary<Digest, List<string>> reasons) =>
        ImageCopier.IsSignatureTag(tag, out var subject) && !reasons.ContainsKey(subject!)
            ? $"signature of {Short(subject!)}, which nothing keeps"
            : "nothing keeps it";

    private sealed record Facts(DateTimeOffset? Created, IReadOnlyList<Digest> Children);

    private static async Task<Facts> ReadFactsAsync(IRegistryClient client, ImageReference repository, ManifestInfo info, bool needCreated, CancellationToken cancellationToken)
    {
        var at = repository.With(null, info.Digest);
        if (!ManifestDocument.IsIndexMediaType(info.MediaType))
        {
            if (!needCreated)
            {
                return new Facts(null, []);
            }

            var config = await client.GetImageConfigAsync(at, cancellationToken).ConfigureAwait(false);
            return new Facts(config?.Created, []);
        }

        var index = await client.GetManifestAsync(at, cancellationToken).ConfigureAwait(false);
        if (index is null || !index.Document.IsIndex)
        {
            return new Facts(null, []);
        }

        var first = index.Document.Manifests.FirstOrDefault(child => !child.IsAttestation);
        var created = first is null || !needCreated ? null : (await client.GetImageConfigAsync(repository.With(null, first.Digest), cancellationToken).ConfigureAwait(false))?.Created;
        return new Facts(created, [.. index.Document.Manifests.Select(child => child.Digest)]);
    }

    private static async Task<TOut[]> ForEachAsync<TIn, TOut>(SemaphoreSlim gate, IReadOnlyList<TIn> items, Func<TIn, Task<TOut>> work, CancellationToken cancellationToken)
    {
        var results = new TOut[items.Count];
        await Task.WhenAll(items.Select(async (item, i) =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                results[i] = await work(item).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);
        return results;
    }

    /// <summary>The digests (and tags) the records and pinned files reference in one repository, each with who references it.</summary>
    private sealed record KeepSet(IReadOnlyDictionary<Digest, List<string>> Digests, IReadOnlyDictionary<string, List<string>> Tags);

    private static KeepSet ReadKeepSet(PruneRequest request, TagForgeServices services, ImageReference repository)
    {
        var digests = new ConcurrentDictionary<Digest, List<string>>();
        var tags = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add<T>(IDictionary<T, List<string>> map, T key, string reason)
            where T : notnull
        {
            lock (map)
            {
                if (!map.TryGetValue(key, out var list))
                {
                    map[key] = list = [];
                }

                list.Add(reason);
            }
        }

        foreach (var path in request.KeepRecords)
        {
            // A corrupt or newer record throws BadInputException (exit 2): an unreadable keep set is not an empty one.
            var record = BuildRecordFile.Read(services.Resolve(path)!, path);
            foreach (var image in record.Images.Where(image => BuildRecord.NormalizedName(image.Repository) == repository.FullName))
            {
                if (Digest.TryParse(image.Digest, out var digest))
                {
                    Add(digests, digest, $"record {path}");
                }

                foreach (var platform in image.Platforms ?? [])
                {
                    if (Digest.TryParse(platform.Digest, out var child))
                    {
                        Add(digests, child, $"record {path} ({platform.Platform})");
                    }
                }
            }

            foreach (var promotion in record.Promotions ?? [])
            {
                if (ImageReference.TryParse(promotion.Destination, out var destination) && destination.FullName == repository.FullName && Digest.TryParse(promotion.Digest, out var digest))
                {
                    Add(digests, digest, $"promotion in {path}");
                }
            }
        }

        if (request.KeepPinned.Count > 0)
        {
            var files = DeploymentPaths.Expand(request.KeepPinned, services.WorkingDirectory, out var missing);
            var problems = missing.Select(ex => ex.Message).ToList();
            foreach (var name in files)
            {
                DeploymentFile file;
                try
                {
                    file = name == "-" ? throw new BadInputException("-: prune reads no standard input; name the files") : DeploymentFile.Read(services.Resolve(name)!, name);
                }
                catch (BadInputException ex)
                {
                    problems.Add(ex.Message);
                    continue;
                }

                // An image position TagForge cannot read (a multi-line block scalar, a duplicate key) may pin a digest
                // this plan would otherwise delete: the keep set is unreadable there, not empty.
                problems.AddRange(file.Problems.Where(problem => problem.Severity == FindingSeverity.Error).Select(problem => $"{problem.File}:{problem.Line}: {problem.Message}"));
                foreach (var site in file.Images)
                {
                    if (site.Reference is not { } reference || reference.FullName != repository.FullName)
                    {
                        continue;
                    }

                    if (reference.Digest is { } digest)
                    {
                        Add(digests, digest, $"pinned in {file.Name}:{site.Line}");
                    }
                    else if (reference.Tag is { } tag)
                    {
                        Add(tags, tag, $"tag used in {file.Name}:{site.Line}");
                    }
                }
            }

            if (problems.Count > 0)
            {
                throw new BadInputException(
                    $"prune refuses: the keep set cannot be read ({string.Join("; ", problems)}); an unreadable keep set is not an empty one");
            }
        }

        return new KeepSet(digests, tags);
    }
}
