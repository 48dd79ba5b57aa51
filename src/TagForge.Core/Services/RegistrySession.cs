using TagForge.Registry;
using TagForge.Registry.Auth;
using TagForge.Values;

namespace TagForge.Services;

/// <summary>A registry client for one operation and the credentials behind it; disposed together.</summary>
public sealed class RegistrySession : IDisposable
{
    private readonly IRegistryCredentialSource _forTools;
    private readonly IDisposable? _owned;

    /// <summary>
    /// A session over <paramref name="client"/>; <paramref name="forTools"/> answers what a pushing tool must be handed,
    /// and <paramref name="owned"/> (the client itself, ECR logins) is disposed with the session.
    /// </summary>
    public RegistrySession(IRegistryClient client, IRegistryCredentialSource forTools, IDisposable? owned = null)
    {
        Client = client;
        _forTools = forTools;
        _owned = owned;
    }

    /// <summary>The registry client.</summary>
    public IRegistryClient Client { get; }

    /// <summary>
    /// The credential a tool that pushes (docker, podman) must be handed for <paramref name="registry"/>: explicit,
    /// environment or ECR ones. Null when only Docker's own config has some: the tool reads that itself.
    /// </summary>
    public Task<RegistryCredential?> ForToolsAsync(string registry, CancellationToken cancellationToken = default) =>
        _forTools.GetAsync(registry, cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _owned?.Dispose();
}
