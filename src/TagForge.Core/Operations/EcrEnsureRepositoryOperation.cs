using TagForge.Ecr;
using TagForge.Services;

namespace TagForge.Operations;

/// <summary><c>tagforge ecr ensure-repo</c>: creates an ECR repository when it is missing and reports what it is like.</summary>
public static class EcrEnsureRepositoryOperation
{
    /// <summary>Runs it; an existing repository is left as it is, whatever its settings.</summary>
    public static async Task<EcrEnsureRepositoryResult> RunAsync(EcrEnsureRepositoryRequest request, TagForgeServices services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        var (host, repository) = EcrRepositoryName.Split(request.Name);
        using var ecr = services.Ecr(request.Ecr ?? new());
        var client = EcrRegistryLookup.ClientFor(ecr, host);
        var ensured = await EcrRepositories.EnsureAsync(client, repository, request.ImmutableTags, request.ScanOnPush, cancellationToken).ConfigureAwait(false);
        var details = ensured.Repository;
        return new EcrEnsureRepositoryResult(
            repository,
            details.RepositoryUri ?? (host is null ? repository : $"{host}/{repository}"),
            ensured.TagMutability,
            ScanOnPush: details.ImageScanningConfiguration?.ScanOnPush == true,
            ensured.Created,
            KeptMutableTags: !ensured.Created && request.ImmutableTags && !details.IsImmutable);
    }
}
