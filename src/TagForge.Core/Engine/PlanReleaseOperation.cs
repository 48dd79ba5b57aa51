using Microsoft.Extensions.Logging;
using TagForge.Errors;
using TagForge.Git;
using TagForge.Records;
using TagForge.Release;
using TagForge.Services;

namespace TagForge.Engine;

/// <summary><c>tagforge release --plan plan.json --image NAME --platform P</c>: one job of a matrix.</summary>
public sealed record PlanReleaseRequest
{
    /// <summary>The plan file. Required.</summary>
    public string? PlanPath { get; init; }

    /// <summary>The image's name (or repository) in the plan. Required.</summary>
    public string? Image { get; init; }

    /// <summary>The platform to build; required when the image has platforms.</summary>
    public string? Platform { get; init; }

    /// <summary>The shared settings: config, registry, docker, the partial record (<see cref="ReleaseRequest.RecordPath"/>).</summary>
    public ReleaseRequest Release { get; init; } = new();
}

/// <summary>One job of a plan, before it runs.</summary>
/// <param name="Plan">The plan.</param>
/// <param name="Entry">The image.</param>
/// <param name="Platform">The platform, or null for the engine's own.</param>
/// <param name="Tag">The tag the job pushes (the platform tag for one of several platforms).</param>
/// <param name="RecordPath">The partial record it would write, or null (reused, or no record).</param>
public sealed record PlanSlice(ReleasePlanFile Plan, PlannedImageEntry Entry, string? Platform, string Tag, string? RecordPath);

/// <summary>What one matrix job did.</summary>
/// <param name="Entry">The partial record entry (the platform's manifest), or null when the plan reuses the image.</param>
/// <param name="RecordPath">The partial record written, or null.</param>
public sealed record PlanReleaseResult(ImageRecord? Entry, string? RecordPath);

/// <summary>
/// The entry point of one matrix job: checks the plan was made for this checkout's commit, builds the image for
/// one platform and pushes it under <c>TAG-os-arch</c> (<see cref="ImagePlanner.PlatformTag"/>; the
/// planned tag itself is left to the merge job's index), and writes a partial record for <c>record merge</c>.
/// An image without platforms is released whole under the planned tag. <c>{image:BASE}</c> is the base's manifest
/// for the same platform, found by its platform tag in the registry (the base's stage runs first).
/// </summary>
public static class PlanReleaseOperation
{
    /// <summary>The job <paramref name="request"/> names, checked against the plan and the checkout, without running it (<c>release --plan … --dry-run</c>).</summary>
    /// <exception cref="BadInputException">No plan or image, a plan for another commit, a platform not in the plan (exit 2).</exception>
    public static Task<PlanSlice> SliceAsync(PlanReleaseRequest request, TagForgeServices services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        cancellationToken.ThrowIfCancellationRequested();
        var (plan, entry, platform) = Slice(request, services);
        var recordPath = entry.Build ? ReleaseConfiguration.RecordPath(request.Release, services) : null;
        return Task.FromResult(new PlanSlice(plan, entry, platform, platform is null ? entry.Tag : ImagePlanner.PlatformTag(entry.Tag, platform), recordPath));
    }

    private static (ReleasePlanFile Plan, PlannedImageEntry Entry, string? Platform) Slice(PlanReleaseRequest request, TagForgeServices services)
    {
        var planPath = request.PlanPath ?? throw new BadInputException("--plan needs the plan file written by tagforge plan");
        var plan = ReleasePlanFile.Read(services.Resolve(planPath)!, planPath);
        var entry = plan.Find(request.Image ?? throw new BadInputException("--plan needs --image NAME: the image this job builds"));
        var repositoryPath = services.Resolve(request.Release.Tag.RepositoryPath) ?? services.WorkingDirectory;
        using (var git = GitRepositoryReader.Open(repositoryPath))
        {
            var head = git.ReadHead().Sha;
            if (head != plan.Commit)
            {
                throw new BadInputException(
                    $"the plan {planPath} was made for commit {plan.Commit[..12]}, but this checkout is at {head[..12]}; check out the planned commit (or plan again)");
            }
        }

        var platform = request.Platform is { Length: > 0 } p ? p : null;
        if (entry.Platforms.Count > 0 ? platform is null || !entry.Platforms.Contains(platform) : platform is not null)
        {
            throw new BadInputException(entry.Platforms.Count > 0
                ? $"image '{entry.Name}' is planned for {string.Join(", ", entry.Platforms)}; --platform must name one of them"
                : $"image '{entry.Name}' is planned without platforms (the engine's own); leave out --platform");
        }

        return (plan, entry, platform);
    }

    /// <summary>Runs one job.</summary>
    /// <exception cref="BadInputException">No plan or image, a plan for another commit, a platform not in the plan (exit 2).</exception>
    public static async Task<PlanReleaseResult> RunAsync(PlanReleaseRequest request, TagForgeServices services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        var (plan, entry, platform) = Slice(request, services);
        if (!entry.Build)
        {
            services.Logger.LogInformation("{Name}: the plan reuses {Repository}@{Digest}: nothing to build", entry.Name, entry.Repository, entry.ReusedDigest);
            return new PlanReleaseResult(null, null);
        }

        // The prepared release holds the record path by the one rule (its config read once).
        var prepared = MonorepoPlanner.Prepare(new MonorepoRequest { Release = request.Release, Only = [entry.Name] }, services);
        var recordPath = prepared.RecordPath;
        if (recordPath is not null)
        {
            // parts/NAME-arm64.json: the parts folder is made here, and a record that cannot be written fails before the build.
            var full = services.Resolve(recordPath)!;
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            BuildRecordStore.CheckWritable(full);
        }

        var image = prepared.Images.Single(i => i.Config.Name == entry.Name);
        var references = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var baseName in image.Config.DependsOn)
        {
            references[baseName] = await BaseReferenceAsync(plan.Find(baseName), platform, prepared.Release, services, cancellationToken).ConfigureAwait(false);
        }

        var release = ReleaseExecutor.ImageStep(
            prepared with { Release = prepared.Release with { Tag = prepared.Release.Tag with { Time = plan.Time, BuildNumber = plan.BuildNumber } } },
            image, entry, references, services) with { Platform = platform };
        ImageRecord part;
        if (platform is null)
        {
            part = (await ReleaseExecutor.StepAsync(release with { AdditionalTags = entry.AdditionalTags }, entry.Tag, services, cancellationToken).ConfigureAwait(false)).Record!;
        }
        else
        {
            var built = (await ReleaseExecutor.StepAsync(release with { AdditionalTags = [] }, ImagePlanner.PlatformTag(entry.Tag, platform), services, cancellationToken).ConfigureAwait(false)).Record!;
            part = built with
            {
                Tag = entry.Tag,
                Platform = platform,
                Platforms = [new PlatformRecord(platform, built.Digest, built.Tag, built.ImageId)],
            };
        }

        part = part with
        {
            Name = entry.Name,
            ContentHash = entry.ContentHash,
            Outcome = ImageOutcomes.Built,
            Git = new GitRecord(plan.Commit, plan.Branch, plan.Dirty),
            Build = new BuildInfoRecord(plan.Provider, plan.BuildNumber, plan.BuildUrl),
        };
        if (recordPath is not null)
        {
            await BuildRecordStore.MergeAsync(services.Resolve(recordPath)!, part, cancellationToken).ConfigureAwait(false);
        }

        return new PlanReleaseResult(part, recordPath);
    }

    private static async Task<string> BaseReferenceAsync(PlannedImageEntry baseEntry, string? platform, ReleaseRequest release, TagForgeServices services, CancellationToken cancellationToken)
    {
        if (!baseEntry.Build)
        {
            return $"{baseEntry.Repository}@{baseEntry.ReusedDigest}";
        }

        var repository = ReleaseRunner.Repository(release with { Image = baseEntry.Repository });
        var tag = platform is not null && baseEntry.Platforms.Contains(platform) ? ImagePlanner.PlatformTag(baseEntry.Tag, platform) : baseEntry.Tag;
        using var registry = services.Registries.Open(release.Registry with { CredentialRegistry = repository.Registry });
        var manifest = await registry.Client.HeadManifestAsync(repository.With(tag, null), cancellationToken).ConfigureAwait(false)
            ?? throw new ExternalFailureException($"base image '{baseEntry.Name}' is not pushed yet ({repository.Name}:{tag}); run its stage ({baseEntry.Stage}) before this one");
        return $"{repository.Name}@{manifest.Digest}";
    }
}
