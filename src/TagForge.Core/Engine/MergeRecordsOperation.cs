using TagForge.Errors;
using TagForge.Records;
using TagForge.Release;
using TagForge.Services;
using TagForge.Values;

namespace TagForge.Engine;

/// <summary><c>tagforge record merge parts/*.json -o tagforge.json --push-index</c>: the last job of a matrix.</summary>
public sealed record MergeRecordsRequest
{
    /// <summary>The partial records the build jobs wrote. Required.</summary>
    public IReadOnlyList<string> Parts { get; init; } = [];

    /// <summary>The record to write (merged into when it exists); else <c>tagforge.json</c>.</summary>
    public string? Output { get; init; }

    /// <summary>Push each image's OCI index of its platform manifests under the planned tag.</summary>
    public bool PushIndex { get; init; }

    /// <summary>The plan: names the platforms every image must have (a missing one fails the merge) and the images it reuses.</summary>
    public string? PlanPath { get; init; }

    /// <summary>Push the index even when the tag holds another digest.</summary>
    public bool AllowOverwrite { get; init; }

    /// <summary>How the registry is reached.</summary>
    public RegistryAccess Registry { get; init; } = new();
}

/// <summary>What the merge recorded.</summary>
/// <param name="Images">The entries written, one per image.</param>
/// <param name="Output">The record, as given.</param>
public sealed record MergeRecordsResult(IReadOnlyList<ImageRecord> Images, string Output);

/// <summary>
/// The entry point of <c>tagforge record merge</c>: groups the partial records' entries by repository; refuses
/// parts that disagree (two tags, or one platform with two digests: exit 3, never last-writer-wins); with a plan,
/// refuses a missing platform before anything is pushed (exit 1, naming it); pushes each image's index
/// (<see cref="IndexPublisher"/>); and writes one entry per image. An image whose index was not pushed is not
/// recorded; the images before it are.
/// </summary>
public static class MergeRecordsOperation
{
    /// <summary>Merges <paramref name="request"/>'s parts.</summary>
    public static async Task<MergeRecordsResult> RunAsync(MergeRecordsRequest request, TagForgeServices services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        if (request.Parts.Count == 0)
        {
            throw new BadInputException("record merge needs the partial records (parts/*.json)");
        }

        var output = request.Output ?? BuildRecordFile.DefaultPath;
        BuildRecordStore.CheckWritable(services.Resolve(output)!);
        var plan = request.PlanPath is { } planPath ? ReleasePlanFile.Read(services.Resolve(planPath)!, planPath) : null;
        var groups = new Dictionary<string, List<(ImageRecord Entry, string Part)>>(StringComparer.Ordinal);
        foreach (var part in request.Parts)
        {
            foreach (var entry in BuildRecordFile.Read(services.Resolve(part)!, part).Images)
            {
                var key = ImageReference.TryParse(entry.Repository, out var parsed) ? parsed.FullName : entry.Repository;
                if (!groups.TryGetValue(key, out var list))
                {
                    groups[key] = list = [];
                }

                list.Add((entry, part));
            }
        }

        var merged = new List<(ImageRecord First, List<ImageRecord> Platforms, PlannedImageEntry? Planned)>();
        foreach (var (_, entries) in groups)
        {
            var (first, firstPart) = entries[0];
            foreach (var (entry, part) in entries.Skip(1))
            {
                if (entry.Tag != first.Tag)
                {
                    throw new PolicyRefusalException($"the partial records disagree on {first.Repository}: tag {first.Tag} in {firstPart}, {entry.Tag} in {part}; they come from different plans");
                }

                if (entry.ContentHash != first.ContentHash)
                {
                    throw new PolicyRefusalException($"the partial records disagree on {first.Repository}: content {first.ContentHash} in {firstPart}, {entry.ContentHash} in {part}");
                }
            }

            var byPlatform = new Dictionary<string, (ImageRecord Entry, string Part)>(StringComparer.Ordinal);
            foreach (var (entry, part) in entries)
            {
                var platform = entry.Platform ?? "";
                if (byPlatform.TryGetValue(platform, out var other) && other.Entry.Digest != entry.Digest)
                {
                    throw new PolicyRefusalException(
                        $"the partial records disagree on {first.Repository} {(platform.Length == 0 ? "" : platform + " ")}: {other.Entry.Digest} in {other.Part}, {entry.Digest} in {part}; refusing to pick one");
                }

                byPlatform[platform] = (entry, part);
            }

            var planned = plan?.Images.FirstOrDefault(i => i.Name == first.Name || i.Repository == first.Repository);
            var ordered = planned is { Platforms.Count: > 0 }
                ? [.. planned.Platforms.Where(byPlatform.ContainsKey).Select(p => byPlatform[p].Entry)]
                : byPlatform.Values.Select(v => v.Entry).ToList();
            merged.Add((first, ordered, planned));
        }

        if (plan is not null)
        {
            // Every planned job must have finished before any index is pushed.
            foreach (var image in plan.Images.Where(i => i.Build))
            {
                var found = merged.FirstOrDefault(m => m.Planned == image);
                var missing = image.Platforms.Count == 0
                    ? found.First is null ? ["its one build"] : []
                    : image.Platforms.Where(p => found.Platforms?.All(e => e.Platform != p) ?? true).ToList();
                if (missing.Count > 0)
                {
                    throw new ExternalFailureException(
                        $"image '{image.Name}' has no partial record for {string.Join(", ", missing)} (did that job fail?); no index pushed");
                }
            }
        }

        var written = new List<ImageRecord>();
        Exception? failure = null;
        foreach (var (first, platforms, planned) in merged)
        {
            var isPartial = first.Platforms is { Count: > 0 } && first.Tags.All(t => t != first.Tag);
            if (!isPartial)
            {
                written.Add(first);
                continue;
            }

            if (!request.PushIndex)
            {
                failure = new BadInputException($"{first.Repository} has one record per platform: merge them with --push-index (the index is what the tag names)");
                break;
            }

            try
            {
                var repository = ReleaseRunner.Repository(new ReleaseRequest { Image = first.Repository });
                using var registry = services.Registries.Open(request.Registry with { CredentialRegistry = repository.Registry });
                var index = await IndexPublisher.PushAsync(registry.Client, repository, first.Tag, platforms, planned?.AdditionalTags ?? [], request.AllowOverwrite, services, cancellationToken).ConfigureAwait(false);
                written.Add(index with { Name = first.Name, ContentHash = first.ContentHash, Outcome = ImageOutcomes.Built, Git = first.Git, Build = first.Build });
            }
            catch (TagForgeException ex)
            {
                failure = ex;
                break;
            }
        }

        if (plan is not null && failure is null)
        {
            foreach (var reused in plan.Images.Where(i => !i.Build))
            {
                written.Add(new ImageRecord(
                    reused.Repository,
                    reused.ReusedTag ?? reused.Tag,
                    reused.ReusedDigest!,
                    $"{reused.Repository}@{reused.ReusedDigest}",
                    null,
                    [reused.ReusedTag ?? reused.Tag],
                    reused.Platforms.Count == 1 ? reused.Platforms[0] : null,
                    new GitRecord(plan.Commit, plan.Branch, plan.Dirty),
                    new BuildInfoRecord(plan.Provider, plan.BuildNumber, plan.BuildUrl),
                    services.Clock.GetUtcNow())
                {
                    Name = reused.Name,
                    ContentHash = reused.ContentHash,
                    Outcome = ImageOutcomes.Reused,
                });
            }
        }

        if (written.Count > 0)
        {
            await BuildRecordStore.UpdateAsync(services.Resolve(output)!, record => written.Aggregate(record, (current, image) => current.With(image)), cancellationToken).ConfigureAwait(false);
        }

        return failure is not null ? throw failure : new MergeRecordsResult(written, output);
    }
}
