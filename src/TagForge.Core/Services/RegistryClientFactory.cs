using TagForge.Registry;
using TagForge.Registry.Auth;

namespace TagForge.Services;

/// <summary>
/// The one place registry clients are made and credentials decided. The chain, first answer wins: explicit
/// credentials, then per-registry ones a build script added, then <c>TAGFORGE_REGISTRY_USERNAME</c>/<c>_PASSWORD</c>
/// (for the registry <c>TAGFORGE_REGISTRY_HOST</c> names, else the operation's own registry, else any), then ECR's
/// <c>GetAuthorizationToken</c> for ECR hosts (AWS credentials, no <c>docker login</c> needed), then the auth file
/// <c>tagforge login</c> writes (<c>REGISTRY_AUTH_FILE</c>, else Docker's config) and its credential helpers. Every
/// client probes each registry's <c>/v2/</c> once before its first request (<see cref="RegistryClientOptions.ProbeRegistries"/>).
/// Release, dry-run, verify, resolve, doctor and the build-script tasks all get their clients here.
/// </summary>
public sealed class RegistryClientFactory
{
    private readonly TagForgeServices _services;
    private readonly Func<RegistryAccess, RegistrySession>? _open;

    internal RegistryClientFactory(TagForgeServices services, Func<RegistryAccess, RegistrySession>? open)
    {
        _services = services;
        _open = open;
    }

    /// <summary>Opens a client (and the ECR logins behind it) for one operation; dispose it when the operation ends.</summary>
    public RegistrySession Open(RegistryAccess access)
    {
        ArgumentNullException.ThrowIfNull(access);
        if (_open is not null)
        {
            return _open(access);
        }

        var ecr = _services.Ecr(access.Ecr);
        var ecrSource = new EcrCredentialSource(ecr, _services.Logger);
        var handedToTools = new List<IRegistryCredentialSource>();
        if (access.Credential is { } credential)
        {
            handedToTools.Add(new ExplicitCredentialSource(credential, access.CredentialRegistry));
        }

        foreach (var (registry, perRegistry) in access.RegistryCredentials ?? new Dictionary<string, Values.RegistryCredential>())
        {
            handedToTools.Add(new ExplicitCredentialSource(perRegistry, registry));
        }

        var environmentRegistry = _services.Environment.Read(ExplicitCredentialSource.RegistryVariable) ?? access.CredentialRegistry;
        if (ExplicitCredentialSource.FromEnvironment(_services.Environment, environmentRegistry) is { } fromEnvironment)
        {
            handedToTools.Add(fromEnvironment);
        }

        handedToTools.Add(ecrSource);
        if (_services.Environment.Read(DockerAuthFile.AuthFileVariable) is { Length: > 0 } authFile)
        {
            // podman's and buildah's own auth file: docker does not read it, so its entries are handed to the tool.
            handedToTools.Add(new DockerConfigCredentialSource(_services.Environment, _services.Logger, authFile));
        }

        var tools = new CredentialSourceChain(handedToTools);
        var all = new CredentialSourceChain(tools, new DockerConfigCredentialSource(_services.Environment, _services.Logger));
        var client = new RegistryClient(
            new RegistryClientOptions
            {
                Credentials = all,
                ProbeRegistries = true,
                InsecureRegistries = access.InsecureRegistries,
                MaxRetryAttempts = access.MaxRetryAttempts,
                AttemptTimeout = access.AttemptTimeout,
            },
            _services.Logger);
        return new RegistrySession(client, tools, client);
    }
}
