using TagForge.Values;

namespace TagForge.Registry.Auth;

/// <summary>
/// Finds credentials for a registry. TagForge asks its sources in order and uses the first answer: explicit
/// credentials, then Docker's <c>config.json</c>; a registry with its own scheme (ECR) adds a source.
/// </summary>
public interface IRegistryCredentialSource
{
    /// <summary>
    /// Credentials for <paramref name="registry"/> (as references name it: <c>docker.io</c>, <c>localhost:5000</c>,
    /// <c>123456789012.dkr.ecr.eu-west-1.amazonaws.com</c>), or <see langword="null"/> when this source has none.
    /// </summary>
    Task<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken = default);

    /// <summary>
    /// Forgets what this source cached for <paramref name="registry"/>: the registry refused the credentials it
    /// answered (a revoked token, a rotated password), so the next <see cref="GetAsync"/> should fetch anew.
    /// </summary>
    void Invalidate(string registry)
    {
    }
}
