using TagForge.Ecr;
using TagForge.Errors;

namespace TagForge.Operations;

/// <summary>
/// The ECR registry an <c>ecr</c> operation talks to: the host it names, or the caller's own registry when it names
/// none. A host that is not ECR (and no <c>--ecr</c>) is the user's mistake, said the same way by every operation.
/// </summary>
internal static class EcrRegistryLookup
{
    public static IEcrClient ClientFor(EcrRegistryAuthenticator ecr, string? registryHost) =>
        registryHost is null ? ecr.ClientForOwnRegistry() : ecr.ClientFor(registryHost) ?? throw NotEcr(registryHost);

    public static async Task<EcrRegistryLogin> LoginForAsync(EcrRegistryAuthenticator ecr, string? registryHost, CancellationToken cancellationToken) =>
        registryHost is null
            ? await ecr.GetOwnRegistryLoginAsync(cancellationToken).ConfigureAwait(false)
            : await ecr.GetAsync(registryHost, cancellationToken).ConfigureAwait(false) ?? throw NotEcr(registryHost);

    private static BadInputException NotEcr(string registryHost) =>
        new($"'{registryHost}' is not an Amazon ECR registry host (<account>.dkr.ecr.<region>.amazonaws.com); pass --ecr (and --region) for a private DNS name");
}
