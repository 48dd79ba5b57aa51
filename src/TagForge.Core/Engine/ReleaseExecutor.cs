using Microsoft.Extensions.Logging;
using TagForge.Errors;
using TagForge.IO;
using TagForge.Records;
using TagForge.Release;
using TagForge.Services;
using TagForge.Tagging;
using TagForge.Values;

namespace TagForge.Engine;

/// <summary>
/// The one executor of a <see cref="ReleasePlanFile"/>: runs its images in dependency order, independent ones in
/// parallel (<see cref="MonorepoRequest.Jobs"/>). A reused image is recorded (and, with <c>--tag-reused</c>, tagged);
/// a built one is built and pushed for each platform through <see cref="ReleaseRunner"/>'s single step (one platform:
/// under its tag; several: under their platform tags, then the index under the tag), then its content tag. A failed
/// image stops its dependants (skipped); the others finish. Nothing is decided here that the plan did not say; the
/// record and the CI outputs are written once, at the end, from what was done.
/// </summary>
public static class ReleaseExecutor
{
    /// <summary>Runs <paramref name="plan"/>, made from <paramref name="prepared"/> for <paramref name="request"/>.</summary>
    public static async Task<MonorepoResult> RunAsync(MonorepoRequest request, PreparedRelease prepared, ReleasePlanFile plan, TagForgeServices services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(services);
        var recordPath = prepared.RecordPath;
        var previous = recordPath is null ? BuildRecord.Empty : BuildRecordStore.CheckWritable(services.Resolve(recordPath)!);
        using var slots = new SemaphoreSlim(request.EffectiveJobs);
        var started = services.Clock.GetUtcNow();
        var settled = 0;
        var reporting = new Lock();
        foreach (var entry in plan.Images)
        {
            ReportState(entry.Name, ImageStates.Waiting, settles: false);
        }

        var tasks = new Dictionary<string, Task<ImageOutcome>>(StringComparer.Ordinal);
        foreach (var entry in plan.Images)
        {
            var image = prepared.Images.Single(i => i.Config.Name == entry.Name);
            var dependencies = entry.DependsOn.Select(name => tasks[name]).ToList();
            tasks[entry.Name] = RunOneAsync(entry, image, dependencies);
        }

        var outcomes = await Task.WhenAll(plan.Images.Select(entry => tasks[entry.Name])).ConfigureAwait(false);
        var records = outcomes.Where(o => o.Record is not null).Select(o => o.Record!).ToList();
        var release = prepared.Release;
        if (request.OneImage && records.Count == 1)
        {
            await ReleaseOutputs.WriteAllAsync(services.Environment, records[0], services.Resolve(recordPath), recordPath, services.Resolve(release.DotenvPath), cancellationToken).ConfigureAwait(false);
        }
        else if (!request.OneImage)
        {
            await ReleaseOutputs.WriteAllAsync(services.Environment, records, services.Resolve(recordPath), recordPath, services.Resolve(release.DotenvPath), cancellationToken).ConfigureAwait(false);
        }

        return new MonorepoResult(outcomes, recordPath);

        // Each image's state as progress data, for a live view (the CLI's table on a terminal); nothing without a sink.
        // One at a time, so the counts arrive in order and the finishing report is the last.
        void ReportState(string name, string state, bool settles)
        {
            // One image has no table of images: its own lines say what it does.
            if (request.OneImage || services.Progress is not { } progress)
            {
                return;
            }

            lock (reporting)
            {
                settled += settles ? 1 : 0;
                progress.Report(new ProgressUpdate("release", ProgressUnit.Images, settled, plan.Images.Count, services.Clock.GetUtcNow() - started)
                {
                    Subject = name,
                    State = state,
                    Finished = settles && settled == plan.Images.Count,
                });
            }
        }

        async Task<ImageOutcome> RunOneAsync(PlannedImageEntry entry, PlannedImage image, List<Task<ImageOutcome>> dependencies)
        {
            var bases = await Task.WhenAll(dependencies).ConfigureAwait(false);
            if (bases.FirstOrDefault(b => b.Record is null) is { } failed)
            {
                ReportState(entry.Name, ImageStates.Of(ImageOutcomeKind.Skipped), settles: true);
                return new ImageOutcome(entry.Name, entry.Repository, ImageOutcomeKind.Skipped, null, ExitCode.Ok,
                    $"skipped: '{failed.Name}', which it depends on, was {failed.Kind.ToString().ToLowerInvariant()}");
            }

            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            // Parallel builds interleave their lines: each line of this image's work names it (one image needs no name).
            using var scope = request.OneImage ? null : services.Logger.BeginScope(entry.Name);
            if (entry.Build)
            {
                ReportState(entry.Name, ImageStates.Building, settles: false);
            }

            try
            {
                var (record, pushed, builtWith) = entry.Build
                    ? await BuildAsync(request, prepared, image, entry, bases, services, cancellationToken).ConfigureAwait(false)
                    : (await ReuseAsync(request, prepared, image, entry, previous, services, cancellationToken).ConfigureAwait(false), false, null);
                var kind = entry.Build ? ImageOutcomeKind.Built : ImageOutcomeKind.Reused;
                if (!request.OneImage)
                {
                    services.Logger.LogInformation("{Outcome} {Reference}", record.Outcome, record.Reference);
                }

                ReportState(entry.Name, ImageStates.Of(kind), settles: true);
                return new ImageOutcome(entry.Name, entry.Repository, kind, record, ExitCode.Ok, null) { Pushed = pushed, BuiltWith = builtWith };
            }
            catch (TagForgeException ex) when (!request.OneImage)
            {
                services.Logger.LogError("{Message}", ex.Message);
                ReportState(entry.Name, ImageStates.Of(ImageOutcomeKind.Failed), settles: true);
                return new ImageOutcome(entry.Name, entry.Repository, ImageOutcomeKind.Failed, null, ex.ExitCode, ex.Message);
            }
            finally
            {
                slots.Release();
            }
        }
    }

    /// <summary>Builds and pushes <paramref name="entry"/> for each of its platforms, then its index and content tag.</summary>
    private static async Task<(ImageRecord Record, bool Pushed, string? BuiltWith)> BuildAsync(
        MonorepoRequest request, PreparedRelease prepared, PlannedImage image, PlannedImageEntry entry, IReadOnlyList<ImageOutcome> bases, TagForgeServices services, CancellationToken cancellationToken)
    {
        var references = bases.ToDictionary(b => b.Name, b => b.Record!.Reference, StringComparer.Ordinal);
        var release = ImageStep(prepared, image, entry, references, services);
        ImageRecord record;
        bool pushed;
        string? builtWith;
        if (entry.Platforms.Count <= 1)
        {
            var platform = entry.Platforms.Count == 1 ? entry.Platforms[0] : null;
            var step = await StepAsync(release with { Platform = platform, AdditionalTags = prepared.Release.AdditionalTags }, entry.Tag, services, cancellationToken).ConfigureAwait(false);
            (record, pushed, builtWith) = (step.Record! with { Platform = platform }, step.Pushed, step.BuiltWith);
        }
        else
        {
            var parts = new List<ImageRecord>();
            builtWith = null;
            foreach (var platform in entry.Platforms)
            {
                services.Logger.LogInformation("building {Image} for {Platform}", entry.Repository, platform);
                var step = await StepAsync(release with { Platform = platform, AdditionalTags = [] }, ImagePlanner.PlatformTag(entry.Tag, platform), services, cancellationToken).ConfigureAwait(false);
                parts.Add(step.Record!);
                builtWith ??= step.BuiltWith;
            }

            pushed = true;

            using var registry = services.Registries.Open(prepared.Release.Registry with { CredentialRegistry = image.Repository.Registry });
            record = await IndexPublisher.PushAsync(
                registry.Client, image.Repository, entry.Tag, parts, entry.AdditionalTags, prepared.Release.AllowOverwrite, services, cancellationToken).ConfigureAwait(false);
        }

        if (entry.ContentTag is { } contentTag && entry.AdditionalTags.Contains(contentTag, StringComparer.Ordinal) && !record.Tags.Contains(contentTag))
        {
            // The content tag names this content; a rebuild of the same content may move it.
            using var registry = services.Registries.Open(prepared.Release.Registry with { CredentialRegistry = image.Repository.Registry });
            await ReleaseTags.CopyAsync(registry.Client, image.Repository, Digest.Parse(record.Digest), contentTag, TagRule.Moving, false, services.Logger, cancellationToken).ConfigureAwait(false);
            record = record with { Tags = [.. record.Tags, contentTag] };
        }

        var built = record with
        {
            Name = request.OneImage ? null : entry.Name,
            ContentHash = entry.ContentHash,
            Outcome = request.OneImage ? null : ImageOutcomes.Built,
            Bases = RecordedBases(entry, bases),
        };
        return (built, pushed, builtWith);
    }

    /// <summary>What the image was built from, for its record: each registry base as written and this release's bases by name, with their digests.</summary>
    private static Dictionary<string, string>? RecordedBases(PlannedImageEntry entry, IEnumerable<ImageOutcome> bases)
    {
        var all = new Dictionary<string, string>(entry.Bases ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var built in bases)
        {
            all[built.Name] = built.Record!.Digest;
        }

        return all.Count == 0 ? null : all;
    }

    /// <summary>The single-image request one platform of <paramref name="entry"/> runs (the plan's tag as a literal).</summary>
    internal static ReleaseRequest ImageStep(PreparedRelease prepared, PlannedImage image, PlannedImageEntry entry, IReadOnlyDictionary<string, string> references, TagForgeServices services) =>
        prepared.Release with
        {
            Image = image.Repository.Name,
            ContextPath = image.Context,
            Dockerfile = image.Dockerfile,
            Target = image.Config.Target,
            Builder = BuilderOf(prepared.Release, image.Config, services),
            Project = prepared.Release.Project ?? image.Config.Project,
            BuildArgs = [.. prepared.Release.BuildArgs, .. image.Config.BuildArgs.Select(arg => ImageGraph.Substitute(arg, references))],
            Tag = prepared.Release.Tag with { Content = entry.ContentHash },
            ContentIdentity = entry.ContentHash,
            PullBases = entry.PullBases,
            NoRecord = true,
            RecordPath = null,
            DotenvPath = null,
        };

    /// <summary>One platform: layered, built, pushed under <paramref name="tag"/> and confirmed; no record, no outputs.</summary>
    internal static async Task<ReleaseResult> StepAsync(ReleaseRequest release, string tag, TagForgeServices services, CancellationToken cancellationToken)
    {
        // The planned tag, as a literal: rendered once for every platform (a dirty suffix is in it already). A {seq}
        // left in it (one image, one platform) is numbered by the push.
        var literal = release with { Tag = release.Tag with { Template = tag, Preset = null, Dirty = DirtyMode.Ignore } };
        var layered = ReleaseConfiguration.Layer(literal, services);
        return await ReleaseRunner.RunStepAsync(layered with { Platform = release.Platform }, services, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The record of a reused image (the record's entry, or the registry's digest under its content tag).</summary>
    private static async Task<ImageRecord> ReuseAsync(
        MonorepoRequest request, PreparedRelease prepared, PlannedImage image, PlannedImageEntry entry, BuildRecord previous, TagForgeServices services, CancellationToken cancellationToken)
    {
        var repository = image.Repository;
        var digest = Digest.Parse(entry.ReusedDigest!);
        if (previous.Find(repository.Name) is { } recorded && recorded.Digest == entry.ReusedDigest && recorded.ContentHash == entry.ContentHash)
        {
            services.Logger.LogInformation("{Reason}: reusing {Reference}", entry.Reason, recorded.Reference);
            return recorded with { Name = entry.Name, Outcome = ImageOutcomes.Reused };
        }

        var generated = TagGenerator.Generate(prepared.Release.Tag with { Template = image.Template, Preset = null, Content = entry.ContentHash }, services.Environment, services.Clock);
        List<string> tags = [entry.ReusedTag ?? entry.Tag];
        var tag = tags[0];
        using var registry = services.Registries.Open(prepared.Release.Registry with { CredentialRegistry = repository.Registry });
        if (request.TagReused && generated.Tag != tag)
        {
            await ReleaseTags.CopyAsync(registry.Client, repository, digest, generated.Tag, TagRule.Unique, false, services.Logger, cancellationToken).ConfigureAwait(false);
            tags.Add(generated.Tag);
            tag = generated.Tag;
        }

        var existing = await registry.Client.HeadManifestAsync(repository.With(null, digest), cancellationToken).ConfigureAwait(false);
        var isIndex = existing?.MediaType is { } type && (type.Contains("index", StringComparison.Ordinal) || type.Contains("list", StringComparison.Ordinal));
        var imageId = isIndex ? null : (await registry.Client.GetConfigDigestAsync(repository.With(null, digest), cancellationToken).ConfigureAwait(false))?.ToString();
        services.Logger.LogInformation("{Reason}: not built", entry.Reason);
        return new ImageRecord(
            repository.Name,
            tag,
            digest.ToString(),
            $"{repository.Name}@{digest}",
            imageId,
            tags,
            entry.Platforms.Count == 1 ? entry.Platforms[0] : null,
            new GitRecord(generated.Commit, generated.Branch, generated.Dirty),
            new BuildInfoRecord(generated.Provider, generated.BuildNumber, generated.BuildUrl),
            services.Clock.GetUtcNow())
        {
            Name = request.OneImage ? null : entry.Name,
            MediaType = existing?.MediaType,
            ContentHash = entry.ContentHash,
            Outcome = ImageOutcomes.Reused,
            Bases = entry.Bases is { Count: > 0 } bases ? bases : null,
        };
    }

    /// <summary>
    /// The image's own <c>builder:</c> sits where tagforge.yml sits in the layering: below <c>--builder</c> and
    /// <c>TAGFORGE_BUILDER</c>, above the file's top-level <c>builder:</c> (which the release applies when this is null).
    /// </summary>
    internal static Containers.BuilderKind? BuilderOf(ReleaseRequest release, Config.ImageConfig image, TagForgeServices services) =>
        release.Builder
        ?? (image.Builder is { } named && services.Environment.Read("TAGFORGE_BUILDER") is null
            ? Containers.Builders.Parse(named, $"{image.Source}: builder")
            : null);
}

/// <summary>The values of <see cref="ImageRecord.Outcome"/>.</summary>
public static class ImageOutcomes
{
    /// <summary>Built and pushed by this release.</summary>
    public const string Built = "built";

    /// <summary>Not built: an earlier build of the same content was recorded.</summary>
    public const string Reused = "reused";
}

/// <summary>The states of an image that <see cref="ReleaseExecutor"/> reports as <see cref="ProgressUpdate.State"/>.</summary>
public static class ImageStates
{
    /// <summary>Not started: waiting for the images it depends on or for a free job.</summary>
    public const string Waiting = "waiting";

    /// <summary>Being built and pushed.</summary>
    public const string Building = "building";

    /// <summary>The settled state of an image with <paramref name="kind"/>: built, reused, failed or skipped.</summary>
    public static string Of(ImageOutcomeKind kind) => kind.ToString().ToLowerInvariant();
}
