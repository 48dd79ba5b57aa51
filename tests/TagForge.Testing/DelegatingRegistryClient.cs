using TagForge.Registry;
using TagForge.Values;

namespace TagForge.Testing;

/// <summary>
/// An <see cref="IRegistryClient"/> that passes every call to a real client; tests override the one call whose
/// answer they need to change (a stale tag listing, say) and keep the real registry behind everything else.
/// </summary>
public class DelegatingRegistryClient(IRegistryClient inner) : IRegistryClient
{
    /// <summary>The real client.</summary>
    protected IRegistryClient Inner { get; } = inner;

    /// <inheritdoc />
    public virtual Task<RegistryEndpoint?> ProbeAsync(ImageReference reference, CancellationToken cancellationToken = default) => Inner.ProbeAsync(reference, cancellationToken);

    /// <inheritdoc />
    public virtual Task<RegistryAccessCheck> CheckAccessAsync(ImageReference reference, CancellationToken cancellationToken = default) => Inner.CheckAccessAsync(reference, cancellationToken);

    /// <inheritdoc />
    public virtual Task<ManifestInfo?> HeadManifestAsync(ImageReference reference, CancellationToken cancellationToken = default) => Inner.HeadManifestAsync(reference, cancellationToken);

    /// <inheritdoc />
    public virtual Task<IReadOnlyList<string>> ListTagsAsync(ImageReference repository, CancellationToken cancellationToken = default) => Inner.ListTagsAsync(repository, cancellationToken);

    /// <inheritdoc />
    public virtual Task<Digest?> GetConfigDigestAsync(ImageReference reference, CancellationToken cancellationToken = default) => Inner.GetConfigDigestAsync(reference, cancellationToken);

    /// <inheritdoc />
    public virtual Task<RegistryManifest?> GetManifestAsync(ImageReference reference, CancellationToken cancellationToken = default) => Inner.GetManifestAsync(reference, cancellationToken);

    /// <inheritdoc />
    public virtual Task<Digest> PutManifestAsync(ImageReference reference, string mediaType, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default) => Inner.PutManifestAsync(reference, mediaType, body, cancellationToken);

    /// <inheritdoc />
    public virtual Task<bool> DeleteManifestAsync(ImageReference reference, CancellationToken cancellationToken = default) => Inner.DeleteManifestAsync(reference, cancellationToken);

    /// <inheritdoc />
    public virtual Task<long?> HeadBlobAsync(ImageReference repository, Digest digest, CancellationToken cancellationToken = default) => Inner.HeadBlobAsync(repository, digest, cancellationToken);

    /// <inheritdoc />
    public virtual Task<bool> MountBlobAsync(ImageReference target, Digest digest, string fromRepository, CancellationToken cancellationToken = default) => Inner.MountBlobAsync(target, digest, fromRepository, cancellationToken);

    /// <inheritdoc />
    public virtual Task<Stream> OpenBlobAsync(ImageReference repository, Digest digest, CancellationToken cancellationToken = default) => Inner.OpenBlobAsync(repository, digest, cancellationToken);

    /// <inheritdoc />
    public virtual Task PushBlobAsync(ImageReference repository, Digest digest, long size, Stream content, CancellationToken cancellationToken = default) => Inner.PushBlobAsync(repository, digest, size, content, cancellationToken);

    /// <inheritdoc />
    public virtual Task<IReadOnlyList<Descriptor>> GetReferrersAsync(ImageReference repository, Digest subject, CancellationToken cancellationToken = default) => Inner.GetReferrersAsync(repository, subject, cancellationToken);

    /// <inheritdoc />
    public virtual Task<ImageConfigInfo?> GetImageConfigAsync(ImageReference reference, CancellationToken cancellationToken = default) => Inner.GetImageConfigAsync(reference, cancellationToken);
}
