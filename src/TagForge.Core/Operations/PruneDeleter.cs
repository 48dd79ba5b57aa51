using Microsoft.Extensions.Logging;
using TagForge.Errors;
using TagForge.Registry;
using TagForge.Values;

namespace TagForge.Operations;

/// <summary>What the deletions did.</summary>
/// <param name="Deleted">Digests the registry deleted.</param>
/// <param name="AlreadyGone">Digests the registry answered 404 for: someone else deleted them first.</param>
/// <param name="Spared">Digests left alone because the re-check found them referenced, with why.</param>
internal sealed record PruneDeletions(IReadOnlyList<Digest> Deleted, IReadOnlyList<Digest> AlreadyGone, IReadOnlyList<(Digest Digest, string Why)> Spared);

/// <summary>
/// Deletion as a protocol, not a replay of the plan. The deletable digests go in rounds (<see cref="IPruneDeletion.RoundSize"/>); for each round, right before its DELETEs: the registry's tag list is read again, the keep inputs are read
/// again, every tag the keep set names and every tag the plan did not know is resolved again, and what those now keep
/// (with everything it needs, <see cref="PruneClosure"/>) is added to the kept set. A digest that is now kept, or that
/// carries a tag the plan did not list, is spared and said so; the rest of the round is deleted in parallel, while the
/// next round is checked. The window left is the time from a round's check to its DELETEs (the previous round's
/// DELETEs and its own): the distribution API has no conditional delete.
/// </summary>
internal sealed class PruneDeleter(
    IRegistryClient client,
    ImageReference repository,
    PruneManifests manifests,
    PruneKeepSetReader keepReader,
    IPruneDeletion deletion,
    PruneProgress progress,
    ILogger logger,
    CancellationToken cancellationToken)
{
    public async Task<PruneDeletions> DeleteAsync(PrunePlan plan)
    {
        var deleted = new List<Digest>();
        var gone = new List<Digest>();
        var spared = new List<(Digest, string)>();
        var tagsOf = plan.Entries.GroupBy(entry => entry.Digest).ToDictionary(group => group.Key, group => group.Select(entry => entry.Tag).ToList());
        var rounds = plan.Deletable.Chunk(deletion.RoundSize).ToList();
        var check = rounds.Count > 0 ? RecheckAsync(plan, [.. rounds[0]]) : null;
        for (var index = 0; index < rounds.Count; index++)
        {
            var round = rounds[index];
            IReadOnlyDictionary<Digest, string> sparedNow;
            try
            {
                sparedNow = await check!.ConfigureAwait(false);
            }
            catch (BadInputException ex) when (deleted.Count + gone.Count > 0)
            {
                throw new BadInputException($"deleted {deleted.Count} of {plan.Deletable.Count} manifests from {repository.Name}, then stopped: {ex.Message}", ex);
            }

            foreach (var (digest, why) in sparedNow)
            {
                spared.Add((digest, why));
                logger.LogWarning("{Repository}@{Digest} spared: {Why}", repository.Name, digest, why);
            }

            // The next round is checked while this one's DELETEs run: its check still comes before its own DELETEs.
            var doomed = round.Where(digest => !sparedNow.ContainsKey(digest)).ToList();
            var deleting = doomed.Count == 0 ? Task.FromResult<IReadOnlyList<(PruneDeleteOutcome? Outcome, ExternalFailureException? Failure)>>([]) : deletion.DeleteAsync(doomed);
            check = index + 1 < rounds.Count ? RecheckAsync(plan, [.. rounds[index + 1]]) : null;
            var answers = await deleting.ConfigureAwait(false);
            for (var i = 0; i < doomed.Count; i++)
            {
                var tags = string.Join(", ", tagsOf.GetValueOrDefault(doomed[i]) ?? []);
                switch (answers[i].Outcome)
                {
                    case PruneDeleteOutcome.Deleted:
                        deleted.Add(doomed[i]);
                        logger.LogInformation("deleted {Repository}@{Digest} ({Tags})", repository.Name, doomed[i], tags);
                        break;
                    case PruneDeleteOutcome.AlreadyGone:
                        gone.Add(doomed[i]);
                        logger.LogInformation("{Repository}@{Digest} ({Tags}) was already gone", repository.Name, doomed[i], tags);
                        break;
                }
            }

            if (answers.Select(answer => answer.Failure).OfType<ExternalFailureException>().FirstOrDefault() is { } failure)
            {
                await Settle(check).ConfigureAwait(false);
                throw new ExternalFailureException(
                    deleted.Count == 0
                        ? $"nothing was deleted from {repository.Name}: {failure.Message}"
                        : $"deleted {deleted.Count} of {plan.Deletable.Count} manifests from {repository.Name}, then failed: {failure.Message}",
                    failure);
            }

            progress.Report("deletions done", deleted.Count + gone.Count + spared.Count, plan.Deletable.Count);
        }

        return new PruneDeletions(deleted, gone, spared);
    }

    /// <summary>Waits for a check no longer needed, ignoring how it ended (a failure is being reported already).</summary>
    private static async Task Settle(Task? check)
    {
        if (check is not null)
        {
            await check.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    /// <summary>The digests of <paramref name="round"/> that must not go now, with why; grows the plan's kept set by what the keep set now needs.</summary>
    private async Task<IReadOnlyDictionary<Digest, string>> RecheckAsync(PrunePlan plan, List<Digest> round)
    {
        var listed = (await manifests.Gated(() => client.ListTagsAsync(repository, cancellationToken)).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        var keep = keepReader.Read();
        var unknown = listed.Where(tag => !plan.Tags.ContainsKey(tag)).ToList();
        var ask = keep.Tags.Keys.Where(listed.Contains).Union(unknown, StringComparer.Ordinal).ToList();
        var heads = await Task.WhenAll(ask.Select(tag => manifests.Gated(() => client.HeadManifestAsync(repository.With(tag, null), cancellationToken)))).ConfigureAwait(false);
        var now = new Dictionary<string, Digest>(plan.Tags.Where(pair => listed.Contains(pair.Key)), StringComparer.Ordinal);
        var fresh = new Dictionary<string, Digest>(StringComparer.Ordinal);
        for (var i = 0; i < ask.Count; i++)
        {
            if (heads[i] is { } info)
            {
                now[ask[i]] = fresh[ask[i]] = info.Digest;
                manifests.Know(info.Digest, info.MediaType);
            }
        }

        foreach (var (digest, why) in keep.Digests)
        {
            if (!plan.Kept.Contains(digest))
            {
                why.ForEach(reason => plan.Kept.Keep(digest, reason + " (re-read before deleting)"));
            }
        }

        foreach (var (tag, why) in keep.Tags)
        {
            if (fresh.TryGetValue(tag, out var digest) && !plan.Kept.Contains(digest))
            {
                why.ForEach(reason => plan.Kept.Keep(digest, reason + $" (now {tag} → {PruneClosure.Short(digest)})"));
            }
        }

        await plan.Kept.CompleteAsync(now, plan.Followed).ConfigureAwait(false);
        var spared = new Dictionary<Digest, string>();
        foreach (var digest in round)
        {
            if (plan.Kept.Reasons.TryGetValue(digest, out var why))
            {
                spared[digest] = "the keep set references it now: " + string.Join("; ", why);
            }
            else if (unknown.Where(tag => fresh.TryGetValue(tag, out var at) && at == digest).ToList() is { Count: > 0 } appeared)
            {
                spared[digest] = $"tag {string.Join(", ", appeared)} appeared on it after the plan";
            }
        }

        return spared;
    }
}
