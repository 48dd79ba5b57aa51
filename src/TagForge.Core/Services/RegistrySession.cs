using TagForge.Ecr;
using TagForge.Registry;
using TagForge.Registry.Auth;
using TagForge.Values;

namespace TagForge.Services;

/// <summary>A registry client for one operation, the credentials behind it, and the ECR logins it uses; disposed together.</summary>
public sealed class RegistrySession : IDisposable
{
    private readonly IRegistryCredentialSource _forTools;

    internal RegistrySession(RegistryClient client, IRegistryCredentialSource forTools, EcrRegistryAuthenticator ecr)
    {
        Client = client;
        _forTools = forTools;
        Ecr = ecr;
    }

    /// <summary>The registry client.</summary>
    public RegistryClient Client { get; }

    /// <summary>ECR clients and logins per ECR registry host.</summary>
    public EcrRegistryAuthenticator Ecr { get; }

    /// <summary>
    /// The credential a tool that pushes (docker, podman) must be handed for <paramref name="registry"/>: explicit,
    /// environment or ECR ones. Null when only Docker's own config has some: the tool reads that itself.
    /// </summary>
    public Task<RegistryCredential?> ForToolsAsync(string registry, CancellationToken cancellationToken = default) =>
        _forTools.GetAsync(registry, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        Client.Dispose();
        Ecr.Dispose();
    }
}
