using TagForge.Ecr;
using TagForge.Errors;
using TagForge.Registry;
using TagForge.Values;

namespace TagForge.Operations;

/// <summary>The answer to deleting one digest.</summary>
internal enum PruneDeleteOutcome
{
    /// <summary>The registry deleted it.</summary>
    Deleted,

    /// <summary>The registry did not have it any more (404, ECR's <c>ImageNotFound</c>): someone deleted it first.</summary>
    AlreadyGone,
}

/// <summary>How one round of digests is deleted: the registry API's DELETE, or ECR's <c>BatchDeleteImage</c>.</summary>
internal interface IPruneDeletion
{
    /// <summary>The most digests one round deletes (and one re-check covers).</summary>
    int RoundSize { get; }

    /// <summary>Deletes <paramref name="digests"/>: for each, its outcome or the failure.</summary>
    Task<IReadOnlyList<(PruneDeleteOutcome? Outcome, ExternalFailureException? Failure)>> DeleteAsync(IReadOnlyList<Digest> digests);
}

/// <summary>
/// <c>DELETE /v2/…/manifests/&lt;digest&gt;</c>, the round's digests in parallel under the concurrency gate; a round is
/// twice the concurrency limit (two DELETEs each in flight), so a round's check costs little beside its deletes.
/// </summary>
internal sealed class RegistryPruneDeletion(IRegistryClient client, ImageReference repository, PruneManifests manifests, int concurrency, CancellationToken cancellationToken) : IPruneDeletion
{
    public int RoundSize => 2 * concurrency;

    public async Task<IReadOnlyList<(PruneDeleteOutcome? Outcome, ExternalFailureException? Failure)>> DeleteAsync(IReadOnlyList<Digest> digests) =>
        await Task.WhenAll(digests.Select(async digest =>
        {
            try
            {
                var deleted = await manifests.Gated(() => client.DeleteManifestAsync(repository.With(null, digest), cancellationToken)).ConfigureAwait(false);
                return ((PruneDeleteOutcome?)(deleted ? PruneDeleteOutcome.Deleted : PruneDeleteOutcome.AlreadyGone), (ExternalFailureException?)null);
            }
            catch (ExternalFailureException ex)
            {
                return (null, ex);
            }
        })).ConfigureAwait(false);
}

/// <summary>ECR's own <c>BatchDeleteImage</c>, up to 100 digests a call (the API's limit): one request per round.</summary>
internal sealed class EcrPruneDeletion(IEcrClient ecr, ImageReference repository, CancellationToken cancellationToken) : IPruneDeletion
{
    public int RoundSize => EcrClient.MaxBatchDelete;

    public async Task<IReadOnlyList<(PruneDeleteOutcome? Outcome, ExternalFailureException? Failure)>> DeleteAsync(IReadOnlyList<Digest> digests)
    {
        EcrBatchDeleteResult answer;
        try
        {
            answer = await ecr.BatchDeleteImageAsync(repository.Repository, [.. digests.Select(digest => new EcrImageId(ImageDigest: digest.ToString()))], cancellationToken).ConfigureAwait(false);
        }
        catch (ExternalFailureException ex)
        {
            return [.. digests.Select(_ => ((PruneDeleteOutcome?)null, (ExternalFailureException?)ex))];
        }

        var deleted = (answer.ImageIds ?? []).Select(id => id.ImageDigest).ToHashSet(StringComparer.Ordinal);
        var failures = (answer.Failures ?? []).Where(failure => failure.ImageId?.ImageDigest is not null).ToDictionary(failure => failure.ImageId!.ImageDigest!, StringComparer.Ordinal);
        return [.. digests.Select(digest =>
        {
            var text = digest.ToString();
            return deleted.Contains(text) ? (PruneDeleteOutcome.Deleted, null)
                : failures.TryGetValue(text, out var failure) && failure.FailureCode == "ImageNotFound" ? (PruneDeleteOutcome.AlreadyGone, null)
                : ((PruneDeleteOutcome?)null, new ExternalFailureException(
                    $"ECR BatchDeleteImage did not delete {repository.Name}@{digest}: {failure?.FailureCode ?? "no answer for it"}{(failure?.FailureReason is { } reason ? ": " + reason : "")}"));
        })];
    }
}
