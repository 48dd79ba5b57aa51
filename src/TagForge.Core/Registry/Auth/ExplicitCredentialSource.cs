using TagForge.Values;

namespace TagForge.Registry.Auth;

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

    /// <summary>
    /// The variable naming the one registry (<c>host[:port]</c>) the two above are for; unset, they are for the
    /// operation's own registry (a release's image), or any registry where an operation has none (promote, verify).
    /// </summary>
    public const string RegistryVariable = "TAGFORGE_REGISTRY_HOST";

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
