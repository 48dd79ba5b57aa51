using TagForge.Values;

namespace TagForge.Registry;

/// <summary>A manifest as a registry describes it without sending its body.</summary>
/// <param name="Digest">The <c>Docker-Content-Digest</c> the registry stored it under.</param>
/// <param name="MediaType">Docker v2 or OCI manifest or index media type.</param>
/// <param name="Size">The manifest's size in bytes, when the registry says.</param>
public sealed record ManifestInfo(Digest Digest, string MediaType, long? Size);

/// <summary>
/// The registry operations the rest of TagForge needs (Docker Registry HTTP API v2 / OCI distribution).
/// Failures are <see cref="Errors.ExternalFailureException"/>s naming the registry, repository and HTTP status.
/// </summary>
public interface IRegistryClient
{
    /// <summary>
    /// The one look at <paramref name="reference"/>'s registry (<c>GET /v2/</c> without credentials, https then http
    /// where allowed), made once per registry and client; a server that is not a distribution registry, or that
    /// cannot be reached, is a <see cref="RegistryException"/>. A client that does not probe answers null.
    /// </summary>
    Task<RegistryEndpoint?> ProbeAsync(ImageReference reference, CancellationToken cancellationToken = default) => Task.FromResult<RegistryEndpoint?>(null);

    /// <summary>
    /// <c>GET /v2/</c> with the credentials the client finds for <paramref name="reference"/>'s registry: what
    /// <c>docker login</c> checks. Says whether the registry accepted them, refused them, or none were found.
    /// </summary>
    Task<RegistryAccessCheck> CheckAccessAsync(ImageReference reference, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} cannot check credentials");

    /// <summary>
    /// <c>HEAD /v2/&lt;name&gt;/manifests/&lt;tag or digest&gt;</c>: the manifest's digest, or <see langword="null"/>
    /// when the registry answers that it does not exist (404). Unreachable or failing registries throw: a missing
    /// image and an unreachable registry are never confused.
    /// </summary>
    Task<ManifestInfo?> HeadManifestAsync(ImageReference reference, CancellationToken cancellationToken = default);

    /// <summary><c>GET /v2/&lt;name&gt;/tags/list</c>, following pagination; empty when the repository does not exist.</summary>
    Task<IReadOnlyList<string>> ListTagsAsync(ImageReference repository, CancellationToken cancellationToken = default);

    /// <summary>
    /// The config digest of the single-platform manifest <paramref name="reference"/> names (the image id docker shows
    /// locally), or <see langword="null"/> when it is absent or an index (several platforms).
    /// </summary>
    Task<Digest?> GetConfigDigestAsync(ImageReference reference, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>GET /v2/&lt;name&gt;/manifests/&lt;tag or digest&gt;</c>: the manifest's exact bytes and what they say, or
    /// <see langword="null"/> on 404. Only a body that parses as a manifest or index is returned; anything else (an HTML
    /// page from a proxy) is a <see cref="RegistryException"/>, as is a body whose digest is not the one asked for.
    /// </summary>
    Task<RegistryManifest?> GetManifestAsync(ImageReference reference, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>PUT /v2/&lt;name&gt;/manifests/&lt;tag or digest&gt;</c> of <paramref name="body"/> as <paramref name="mediaType"/>;
    /// returns the digest the registry stored it under, and fails when the registry stored another digest than the
    /// bytes' own (it rewrote them).
    /// </summary>
    Task<Digest> PutManifestAsync(ImageReference reference, string mediaType, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>DELETE /v2/&lt;name&gt;/manifests/&lt;digest&gt;</c>: false when it was already gone (404); a registry without
    /// delete support is a <see cref="RegistryException"/> saying so.
    /// </summary>
    Task<bool> DeleteManifestAsync(ImageReference reference, CancellationToken cancellationToken = default);

    /// <summary><c>HEAD /v2/&lt;name&gt;/blobs/&lt;digest&gt;</c>: the blob's size, or <see langword="null"/> when absent.</summary>
    Task<long?> HeadBlobAsync(ImageReference repository, Digest digest, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cross-repository mount (<c>POST …/blobs/uploads/?mount=&amp;from=</c>): true when the registry mounted the blob,
    /// false when it refused (the upload it opened instead is closed; copy the blob).
    /// </summary>
    Task<bool> MountBlobAsync(ImageReference target, Digest digest, string fromRepository, CancellationToken cancellationToken = default);

    /// <summary><c>GET /v2/&lt;name&gt;/blobs/&lt;digest&gt;</c> as a stream (the caller disposes it).</summary>
    Task<Stream> OpenBlobAsync(ImageReference repository, Digest digest, CancellationToken cancellationToken = default);

    /// <summary>Uploads a blob (POST, then one PUT of <paramref name="content"/>); the registry checks the digest. Sent once: retry by calling again.</summary>
    Task PushBlobAsync(ImageReference repository, Digest digest, long size, Stream content, CancellationToken cancellationToken = default);

    /// <summary>The OCI referrers of <paramref name="subject"/> (signatures, attestations); empty when the registry has no referrers API.</summary>
    Task<IReadOnlyList<Descriptor>> GetReferrersAsync(ImageReference repository, Digest subject, CancellationToken cancellationToken = default);

    /// <summary>The config (labels, created, platform) of the single-platform image <paramref name="reference"/> names; null when absent or an index.</summary>
    Task<ImageConfigInfo?> GetImageConfigAsync(ImageReference reference, CancellationToken cancellationToken = default);
}
