using TagForge.Registry;
using TagForge.Registry.Auth;

namespace TagForge.Services;

/// <summary>
/// The one place registry clients are made and credentials decided. The chain, first answer wins: explicit
/// credentials, then <c>TAGFORGE_REGISTRY_USERNAME</c>/<c>_PASSWORD</c>, then ECR's <c>GetAuthorizationToken</c> for
/// ECR hosts (AWS credentials, no <c>docker login</c> needed), then Docker's config and credential helpers.
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

        if (ExplicitCredentialSource.FromEnvironment(_services.Environment, access.CredentialRegistry) is { } fromEnvironment)
        {
            handedToTools.Add(fromEnvironment);
        }

        handedToTools.Add(ecrSource);
        var tools = new CredentialSourceChain(handedToTools);
        var all = new CredentialSourceChain(tools, new DockerConfigCredentialSource(_services.Environment, _services.Logger));
        var client = new RegistryClient(
            new RegistryClientOptions
            {
                Credentials = all,
                InsecureRegistries = access.InsecureRegistries,
                MaxRetryAttempts = access.MaxRetryAttempts,
                AttemptTimeout = access.AttemptTimeout,
            },
            _services.Logger);
        return new RegistrySession(client, tools, client);
    }
}
