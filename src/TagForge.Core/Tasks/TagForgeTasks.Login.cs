using TagForge.Errors;
using TagForge.Operations;

namespace TagForge.Tasks;

public static partial class TagForgeTasks
{
    /// <summary>Checks a credential against its registry and stores it for docker, podman, buildah and TagForge (<c>tagforge login</c>).</summary>
    /// <returns>Where it was stored, and where the registry answered; never the secret.</returns>
    /// <exception cref="BadInputException">No registry, no credential for a registry that is not ECR, or an auth file that is not JSON.</exception>
    /// <exception cref="ExternalFailureException">The registry refused the credential (nothing is stored), or cannot be reached.</exception>
    public static LoginResult Login(LoginSettings settings) => Wait(LoginAsync(settings));

    /// <inheritdoc cref="Login(LoginSettings)"/>
    public static LoginResult Login(Configure<LoginSettings> configure) => Login(Apply(configure));

    /// <inheritdoc cref="Login(LoginSettings)"/>
    public static async Task<LoginResult> LoginAsync(LoginSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var services = settings.CreateServices();
        return await LoginOperation.RunAsync(settings.ToRequest(), services, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc cref="Login(LoginSettings)"/>
    public static Task<LoginResult> LoginAsync(Configure<LoginSettings> configure, CancellationToken cancellationToken = default) =>
        LoginAsync(Apply(configure), cancellationToken);
}
