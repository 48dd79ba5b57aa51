namespace TagForge.Registry.Auth;

/// <summary>
/// Credentials for one registry: a user name and password (or access token used as a password), or an identity
/// token (an OAuth2 refresh token, what <c>docker login</c> stores for some registries). <see cref="ToString"/>
/// never shows the secret, so a credential that ends up in a log line leaks nothing.
/// </summary>
/// <param name="Username">The user name; <see langword="null"/> with an identity token.</param>
/// <param name="Password">The password or access token.</param>
/// <param name="IdentityToken">An OAuth2 refresh token (Docker's <c>identitytoken</c>).</param>
public sealed record RegistryCredential(string? Username, string? Password, string? IdentityToken = null)
{
    /// <summary>True when there is a user name and a password to send as Basic credentials.</summary>
    public bool HasPassword => !string.IsNullOrEmpty(Username) && !string.IsNullOrEmpty(Password);

    /// <summary>
    /// When the credential stops working (an ECR authorization token's 12 hours), or <see langword="null"/> when it
    /// does not expire; the registry client asks its source again before then.
    /// </summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        IdentityToken is not null ? "RegistryCredential { identity token }" : $"RegistryCredential {{ Username = {Username}, Password = *** }}";
}

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

/// <summary>Asks several sources in order; the first that has credentials wins.</summary>
public sealed class CredentialSourceChain : IRegistryCredentialSource
{
    private readonly IReadOnlyList<IRegistryCredentialSource> _sources;

    /// <summary>Creates a chain of <paramref name="sources"/>, asked in order.</summary>
    public CredentialSourceChain(params IEnumerable<IRegistryCredentialSource> sources) => _sources = [.. sources];

    /// <inheritdoc />
    public async Task<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken = default)
    {
        foreach (var source in _sources)
        {
            if (await source.GetAsync(registry, cancellationToken).ConfigureAwait(false) is { } credential)
            {
                return credential;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public void Invalidate(string registry)
    {
        foreach (var source in _sources)
        {
            source.Invalidate(registry);
        }
    }
}

/// <summary>
/// Credentials given explicitly (<c>--username</c> with <c>--password-stdin</c>, or <c>TAGFORGE_REGISTRY_USERNAME</c> /
/// <c>TAGFORGE_REGISTRY_PASSWORD</c>), for one registry or, when <c>registry</c> is <see langword="null"/>, any.
/// </summary>
public sealed class ExplicitCredentialSource : IRegistryCredentialSource
{
    /// <summary>The variable holding the user name.</summary>
    public const string UsernameVariable = "TAGFORGE_REGISTRY_USERNAME";

    /// <summary>The variable holding the password or token.</summary>
    public const string PasswordVariable = "TAGFORGE_REGISTRY_PASSWORD";

    private readonly RegistryCredential _credential;
    private readonly string? _registry;

    /// <summary>Offers <paramref name="credential"/> for <paramref name="registry"/> (any registry when null).</summary>
    public ExplicitCredentialSource(RegistryCredential credential, string? registry = null)
    {
        _credential = credential;
        _registry = registry;
    }

    /// <summary>
    /// The source for <c>TAGFORGE_REGISTRY_USERNAME</c> / <c>TAGFORGE_REGISTRY_PASSWORD</c>, or <see langword="null"/>
    /// when they are not both set.
    /// </summary>
    public static ExplicitCredentialSource? FromEnvironment(IO.IEnvironmentVariables environment, string? registry = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var user = environment.Read(UsernameVariable);
        var password = environment.Read(PasswordVariable);
        return user is not null && password is not null ? new ExplicitCredentialSource(new RegistryCredential(user, password), registry) : null;
    }

    /// <inheritdoc />
    public Task<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken = default) =>
        Task.FromResult(_registry is null || RegistryHost.SameRegistry(_registry, registry) ? _credential : null);
}
