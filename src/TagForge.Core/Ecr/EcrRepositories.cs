namespace TagForge.Ecr;

/// <summary>The outcome of <see cref="EcrRepositories.EnsureAsync"/>.</summary>
/// <param name="Repository">The repository as ECR describes it now.</param>
/// <param name="Created">True when TagForge created it.</param>
public sealed record EcrEnsureResult(EcrRepository Repository, bool Created)
{
    /// <summary><c>MUTABLE</c> or <c>IMMUTABLE</c> (ECR's word; <c>MUTABLE</c> when ECR did not say).</summary>
    public string TagMutability => Repository.ImageTagMutability ?? "MUTABLE";
}

/// <summary>Repository operations built on <see cref="IEcrClient"/>.</summary>
public static class EcrRepositories
{
    /// <summary>
    /// Creates <paramref name="repositoryName"/> when it is missing (with IMMUTABLE tags and scan on push as asked);
    /// an existing repository is left as it is and reported, whatever its settings.
    /// </summary>
    public static async Task<EcrEnsureResult> EnsureAsync(IEcrClient client, string repositoryName, bool immutableTags, bool scanOnPush, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (await client.DescribeRepositoryAsync(repositoryName, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return new EcrEnsureResult(existing, Created: false);
        }

        try
        {
            var created = await client.CreateRepositoryAsync(repositoryName, immutableTags, scanOnPush, cancellationToken).ConfigureAwait(false);
            return new EcrEnsureResult(created, Created: true);
        }
        catch (EcrServiceException ex) when (ex.ErrorType == "RepositoryAlreadyExistsException")
        {
            // Another build created it between the two calls.
            var raced = await client.DescribeRepositoryAsync(repositoryName, cancellationToken).ConfigureAwait(false)
                ?? throw new EcrServiceException($"ECR says repository '{repositoryName}' already exists but does not describe it", ex.ErrorType, ex.StatusCode, ex);
            return new EcrEnsureResult(raced, Created: false);
        }
    }

    /// <summary>
    /// The one-time warning <c>release</c> prints for a MUTABLE repository, or <see langword="null"/> for an immutable one.
    /// </summary>
    public static string? MutabilityWarning(EcrRepository repository, string registryHost)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return repository.IsImmutable
            ? null
            : $"ECR repository {registryHost}/{repository.RepositoryName} has MUTABLE tags: anyone with push rights can move a tag later; make it IMMUTABLE (aws ecr put-image-tag-mutability --image-tag-mutability IMMUTABLE) or deploy by digest";
    }
}
