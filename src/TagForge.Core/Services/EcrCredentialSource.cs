using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TagForge.Ecr;
using TagForge.Registry.Auth;
using TagForge.Values;

namespace TagForge.Services;

/// <summary>
/// The registry client's credential source for ECR. For an ECR registry host (or any host under <c>--ecr</c>) it
/// answers with <c>AWS</c> and the password from <c>GetAuthorizationToken</c>, cached until five minutes before the
/// token expires. Other registries get <see langword="null"/>, and so does an ECR host when no AWS credentials exist
/// (a developer who ran <c>docker login</c> by hand), so the next source, Docker's config, is asked. Put it before
/// <see cref="DockerConfigCredentialSource"/> in a <see cref="CredentialSourceChain"/>.
/// </summary>
public sealed class EcrCredentialSource : IRegistryCredentialSource
{
    private readonly EcrRegistryAuthenticator _authenticator;
    private readonly ILogger _logger;

    /// <summary>Creates the source over <paramref name="authenticator"/> (which owns the ECR clients and token caches).</summary>
    public EcrCredentialSource(EcrRegistryAuthenticator authenticator, ILogger? logger = null)
    {
        _authenticator = authenticator;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public async Task<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken = default)
    {
        try
        {
            var login = await _authenticator.GetAsync(registry, cancellationToken).ConfigureAwait(false);
            return login is null ? null : new RegistryCredential(login.Username, login.Password) { ExpiresAt = login.ExpiresAt };
        }
        catch (AwsCredentialsNotFoundException ex)
        {
            _logger.LogDebug("no AWS credentials for ECR registry {Registry}; trying docker's config ({Reason})", registry, ex.Message);
            return null;
        }
    }

    /// <inheritdoc />
    public void Invalidate(string registry) => _authenticator.Invalidate(registry);
}
