using Microsoft.Extensions.Logging;
using TagForge.Errors;
using TagForge.Registry;
using TagForge.Services;
using TagForge.Values;

namespace TagForge.Operations;

/// <summary>
/// <c>tagforge prune</c>: reads the keep set (<see cref="PruneKeepSetReader"/>), plans (<see cref="PrunePlanner"/>:
/// what records and deployment files reference, the newest releases, and everything those need) and, with
/// <see cref="PruneRequest.Apply"/>, deletes by the protocol of <see cref="PruneDeleter"/>, which checks again right
/// before each round of deletes. A keep set that cannot be read is refused (exit 2), never taken as empty.
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
        var keepReader = new PruneKeepSetReader(request, services, repository);
        var keep = keepReader.Read();
        foreach (var warning in keep.Warnings)
        {
            services.Logger.LogWarning("{Warning}", warning);
        }

        using var session = services.Registries.Open(request.Registry ?? new RegistryAccess());
        using var gate = new SemaphoreSlim(concurrency);
        var manifests = new PruneManifests(session.Client, repository, gate, cancellationToken);
        var progress = new PruneProgress(services.Logger, services.Clock);
        var plan = await new PrunePlanner(session.Client, repository, manifests, progress, services.Clock, cancellationToken).PlanAsync(request, keep).ConfigureAwait(false);
        foreach (var gone in plan.Missing)
        {
            services.Logger.LogWarning("{Repository}@{Digest} is referenced by {Who} but no longer exists", repository.Name, gone.Digest, string.Join(", ", gone.Reasons));
        }

        services.Logger.LogDebug("prune planned {Repository} with {Requests} registry requests for {Tags} tags", repository.Name, manifests.Requests, plan.Tags.Count);
        var entries = plan.Entries;
        var keptTags = entries.Count(entry => entry.Keep);
        if (!request.Apply)
        {
            return new PruneResult
            {
                Repository = repository, Entries = entries, Deletable = plan.Deletable, Missing = plan.Missing, PlanRequests = manifests.Requests,
                Summary = $"{repository.Name}: {Plural.Of(entries.Count, "tag")}, {keptTags} kept, {entries.Count - keptTags} deletable ({Plural.Of(plan.Deletable.Count, "manifest")}); nothing deleted (--apply deletes)",
            };
        }

        var planRequests = manifests.Requests;
        // ECR deletes through its own BatchDeleteImage (100 a call); every other registry through the registry API.
        using var ecr = services.Ecr(request.Registry?.Ecr ?? new());
        IPruneDeletion deletion = ecr.Handles(repository.Registry) && ecr.ClientFor(repository.Registry) is { } ecrClient
            ? new EcrPruneDeletion(ecrClient, repository, cancellationToken)
            : new RegistryPruneDeletion(session.Client, repository, manifests, concurrency, cancellationToken);
        var done = await new PruneDeleter(session.Client, repository, manifests, keepReader, deletion, progress, services.Logger, cancellationToken).DeleteAsync(plan).ConfigureAwait(false);
        return new PruneResult
        {
            Repository = repository, Entries = entries, Deletable = plan.Deletable, Deleted = done.Deleted, AlreadyGone = done.AlreadyGone,
            Spared = [.. done.Spared.Select(spared => spared.Digest)], Missing = plan.Missing, Applied = true, PlanRequests = planRequests,
            Summary = $"{repository.Name}: {Plural.Of(entries.Count, "tag")}, {keptTags} kept; deleted {Plural.Of(done.Deleted.Count, "manifest")}"
                + (done.AlreadyGone.Count > 0 ? $", {done.AlreadyGone.Count} already gone" : "")
                + (done.Spared.Count > 0 ? $", spared {done.Spared.Count} the keep set or a new tag now references" : ""),
        };
    }

    /// <summary><c>30d</c>, <c>12h</c>, <c>90m</c>.</summary>
    internal static string FormatAge(TimeSpan age) =>
        age.TotalDays >= 1 && age.TotalDays == Math.Floor(age.TotalDays) ? $"{age.TotalDays:0}d"
        : age.TotalHours >= 1 && age.TotalHours == Math.Floor(age.TotalHours) ? $"{age.TotalHours:0}h"
        : $"{age.TotalMinutes:0}m";
}
