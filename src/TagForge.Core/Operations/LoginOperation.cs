using TagForge.Errors;
using TagForge.Registry;
using TagForge.Registry.Auth;
using TagForge.Services;
using TagForge.Values;

namespace TagForge.Operations;

/// <summary>
/// <c>tagforge login</c> and <c>logout</c> without docker: the credential is checked against the registry first
/// (<c>GET /v2/</c> with it, through the same client, Basic or token flow, as every command), then stored in the auth
/// file docker, podman and buildah read (<see cref="DockerAuthFile"/>), from which every TagForge command reads it
/// back. A credential the registry refuses is exit 1 and stores nothing. An ECR registry without a user logs in with
/// ECR's own <c>GetAuthorizationToken</c> (the AWS credentials).
/// </summary>
public static class LoginOperation
{
    /// <summary>Checks and stores the credential.</summary>
    /// <exception cref="BadInputException">No registry, no credential for a registry that is not ECR, no place for the auth file, or an auth file that is not JSON.</exception>
    /// <exception cref="ExternalFailureException">The registry refused the credential, cannot be reached, or is not a registry.</exception>
    public static async Task<LoginResult> RunAsync(LoginRequest request, TagForgeServices services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        var registry = Registry(request.Registry);
        var path = AuthFile(request.AuthFile, services);
        var ecrSettings = request.Ecr ?? new();
        var credential = request.Credential;
        if (credential is null)
        {
            if (!ecrSettings.Applies(registry))
            {
                throw new BadInputException($"give --username and --password-stdin to log in to {registry} (only Amazon ECR registries log in with AWS credentials alone)");
            }

            // ECR issued this login for these AWS credentials: it is checked by being issued.
            var login = await EcrRegistryLookup.LoginForAsync(services.Ecr(ecrSettings), registry, cancellationToken).ConfigureAwait(false);
            credential = new RegistryCredential(login.Username, login.Password);
            return new LoginResult(registry, login.Username, path, null, DockerAuthFile.Store(path, registry, credential));
        }

        if (!credential.HasPassword)
        {
            throw new BadInputException("a login needs a user name and a non-empty password");
        }

        var check = await CheckAsync(registry, credential, request, services, cancellationToken).ConfigureAwait(false);
        var warning = DockerAuthFile.Store(path, registry, credential);
        if (check.Outcome == RegistryAccessOutcome.Anonymous)
        {
            warning = $"{registry} answered without asking for credentials, so they could not be checked; stored anyway" + (warning is null ? "" : "; " + warning);
        }

        return new LoginResult(registry, credential.Username!, path, check.Endpoint, warning);
    }

    /// <summary>Removes the registry's entry from the auth file; nothing to remove is no failure.</summary>
    public static Task<LogoutResult> LogoutAsync(string registryName, string? authFile, TagForgeServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var registry = Registry(registryName);
        var path = AuthFile(authFile, services);
        return Task.FromResult(new LogoutResult(registry, path, DockerAuthFile.Remove(path, registry)));
    }

    private static async Task<RegistryAccessCheck> CheckAsync(string registry, RegistryCredential credential, LoginRequest request, TagForgeServices services, CancellationToken cancellationToken)
    {
        using var session = services.Registries.Open(new RegistryAccess
        {
            Credential = credential,
            CredentialRegistry = registry,
            InsecureRegistries = request.InsecureRegistries,
            Ecr = request.Ecr ?? new(),
            MaxRetryAttempts = 1,
            AttemptTimeout = TimeSpan.FromSeconds(15),
        });
        var check = await session.Client.CheckAccessAsync(ImageReference.Parse($"{registry}/tagforge-login"), cancellationToken).ConfigureAwait(false);
        return check.Outcome is RegistryAccessOutcome.Refused or RegistryAccessOutcome.NoCredentials
            ? throw new RegistryException(
                $"{registry} refused the credentials for {credential.Username} (HTTP {(int)check.Status}): wrong user name or password, or an expired token; nothing was stored",
                registry, null, check.Status)
            : check;
    }

    private static string Registry(string given)
    {
        var registry = RegistryHost.Normalize(given ?? "");
        return registry.Length > 0 && !registry.Any(char.IsWhiteSpace) && !registry.Contains('@', StringComparison.Ordinal)
            ? registry
            : throw new BadInputException($"'{given}' is not a registry: give its host, e.g. registry.example.com or 127.0.0.1:5000");
    }

    private static string AuthFile(string? given, TagForgeServices services) =>
        DockerAuthFile.PathFor(services.Environment, services.Resolve(given))
        ?? throw new BadInputException($"no auth file to store the login in: set DOCKER_CONFIG or HOME, or {DockerAuthFile.AuthFileVariable}, or pass --authfile");
}
