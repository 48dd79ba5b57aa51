using Microsoft.Extensions.Logging;
using TagForge.IO;

namespace TagForge.Registry.Auth;

/// <summary>The credential lookup every TagForge command uses, for callers that build their own <see cref="RegistryClient"/>.</summary>
public static class RegistryCredentialSources
{
    /// <summary>
    /// Explicit credentials (when given), then <c>TAGFORGE_REGISTRY_USERNAME</c>/<c>TAGFORGE_REGISTRY_PASSWORD</c>, then
    /// <paramref name="extra"/> sources (ECR) in order, then Docker's config and credential helpers.
    /// </summary>
    public static IRegistryCredentialSource Default(
        IEnvironmentVariables environment,
        ILogger? logger = null,
        ExplicitCredentialSource? explicitCredentials = null,
        params IEnumerable<IRegistryCredentialSource> extra)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var sources = new List<IRegistryCredentialSource>();
        if (explicitCredentials is not null)
        {
            sources.Add(explicitCredentials);
        }

        if (ExplicitCredentialSource.FromEnvironment(environment) is { } fromEnvironment)
        {
            sources.Add(fromEnvironment);
        }

        sources.AddRange(extra);
        sources.Add(new DockerConfigCredentialSource(environment, logger));
        return new CredentialSourceChain(sources);
    }
}
