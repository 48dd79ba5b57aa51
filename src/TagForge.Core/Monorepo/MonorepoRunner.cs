using Microsoft.Extensions.Logging;
using TagForge.Content;
using TagForge.Errors;
using TagForge.Records;
using TagForge.Release;
using TagForge.Services;

namespace TagForge.Monorepo;

/// <summary>
/// The entry point of <c>tagforge release --all</c> / <c>--only NAME</c>: releases the images of <c>images:</c> in
/// dependency order, independent ones in parallel (<see cref="MonorepoRequest.Jobs"/>), each through the single-image
/// <see cref="ReleaseRunner"/> (so every image gets the same build, overwrite guard and digest confirmation), into one
/// record. A failed image stops its dependants (skipped); the others finish; nothing is recorded for an image that
/// was not pushed. Faults of the whole (no <c>images:</c>, a cycle, an unknown name) throw before anything is built.
/// </summary>
public static class MonorepoRunner
{
    /// <summary>Releases the images <paramref name="request"/> selects.</summary>
    /// <exception cref="BadInputException">No <c>images:</c>, an unknown name or <c>depends-on</c>, a cycle, an unreadable record (exit 2).</exception>
    public static async Task<MonorepoResult> RunAsync(MonorepoRequest request, TagForgeServices services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        var plan = MonorepoPlanner.Prepare(request, services);
        var recordPath = plan.RecordPath;
        if (recordPath is not null)
        {
            BuildRecordStore.CheckWritable(services.Resolve(recordPath)!);
        }

        var previous = recordPath is null ? BuildRecord.Empty : BuildRecordFile.ReadOrEmpty(services.Resolve(recordPath)!);
        var changes = request.ChangedSince is { } since ? ContextChanges.Since(plan.Release.Tag.RepositoryPath!, since) : null;
        // One repository and one status for every image's content hash.
        using var snapshot = request.SkipUnchanged || request.ChangedSince is not null || plan.Images.Any(i => i.UsesContent)
            ? ContentSnapshot.Open(plan.Release.Tag.RepositoryPath!)
            : null;
        using var slots = new SemaphoreSlim(request.EffectiveJobs);
        var tasks = new Dictionary<string, Task<ImageOutcome>>(StringComparer.Ordinal);
        foreach (var image in plan.Images)
        {
            var dependencies = image.Config.DependsOn.Select(name => tasks[name]).ToList();
            tasks[image.Config.Name] = RunOneAsync(image, dependencies);
        }

        var outcomes = await Task.WhenAll(plan.Images.Select(image => tasks[image.Config.Name])).ConfigureAwait(false);
        return new MonorepoResult(outcomes, recordPath);

        async Task<ImageOutcome> RunOneAsync(PlannedImage image, List<Task<ImageOutcome>> dependencies)
        {
            var bases = await Task.WhenAll(dependencies).ConfigureAwait(false);
            if (bases.FirstOrDefault(b => b.Record is null) is { } failed)
            {
                return new ImageOutcome(image.Config.Name, image.Repository.Name, ImageOutcomeKind.Skipped, null, ExitCode.Ok,
                    $"skipped: '{failed.Name}', which it depends on, was {failed.Kind.ToString().ToLowerInvariant()}");
            }

            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            // Parallel builds interleave their lines: each line of this image's work names it.
            using var scope = services.Logger.BeginScope(image.Config.Name);
            try
            {
                var anyBaseBuilt = bases.Any(b => b.Kind == ImageOutcomeKind.Built);
                var changed = changes is null || anyBaseBuilt || changes.Touches(image.Context, image.Config.Dockerfile);
                var record = await ImageRelease.RunAsync(plan, image, bases, request, changed, previous, snapshot, services, cancellationToken).ConfigureAwait(false);
                if (recordPath is not null)
                {
                    await BuildRecordStore.MergeAsync(services.Resolve(recordPath)!, record, cancellationToken).ConfigureAwait(false);
                }

                var kind = record.Outcome == ImageOutcomes.Reused ? ImageOutcomeKind.Reused : ImageOutcomeKind.Built;
                services.Logger.LogInformation("{Outcome} {Reference}", record.Outcome, record.Reference);
                return new ImageOutcome(image.Config.Name, image.Repository.Name, kind, record, ExitCode.Ok, null);
            }
            catch (TagForgeException ex)
            {
                services.Logger.LogError("{Message}", ex.Message);
                return new ImageOutcome(image.Config.Name, image.Repository.Name, ImageOutcomeKind.Failed, null, ex.ExitCode, ex.Message);
            }
            finally
            {
                slots.Release();
            }
        }
    }
}

/// <summary>The values of <see cref="ImageRecord.Outcome"/>.</summary>
public static class ImageOutcomes
{
    /// <summary>Built and pushed by this release.</summary>
    public const string Built = "built";

    /// <summary>Not built: an earlier build of the same content was recorded.</summary>
    public const string Reused = "reused";
}
