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
}
