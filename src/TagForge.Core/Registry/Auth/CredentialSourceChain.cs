using TagForge.Values;

namespace TagForge.Registry.Auth;

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
