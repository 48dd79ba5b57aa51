using TagForge.Values;

namespace TagForge.Registry;

/// <summary>A manifest or index fetched from a registry: its exact bytes (which its digest covers) and what they say.</summary>
/// <param name="Digest">The SHA-256 of <paramref name="Body"/>, checked against the registry's <c>Docker-Content-Digest</c>.</param>
/// <param name="MediaType">The media type the registry served it as.</param>
/// <param name="Body">The bytes, unchanged: re-putting exactly these keeps the digest.</param>
/// <param name="Document">The parsed content.</param>
public sealed record RegistryManifest(Digest Digest, string MediaType, byte[] Body, ManifestDocument Document);

/// <summary>What a single-platform image's config blob says (the part TagForge reads).</summary>
/// <param name="ConfigDigest">The config blob's digest (the image id docker shows).</param>
/// <param name="Labels">The image's labels (<c>config.Labels</c>); empty when none.</param>
/// <param name="Created">The <c>created</c> time, when present and readable.</param>
/// <param name="Os">The operating system.</param>
/// <param name="Architecture">The architecture.</param>
/// <param name="Variant">The architecture variant, when present.</param>
public sealed record ImageConfigInfo(
    Digest ConfigDigest,
    IReadOnlyDictionary<string, string> Labels,
    DateTimeOffset? Created,
    string? Os,
    string? Architecture,
    string? Variant)
{
    /// <summary>The platform, when the config names one.</summary>
    public Platform? Platform => Os is { Length: > 0 } && Architecture is { Length: > 0 } ? new Platform(Os, Architecture, Variant) : null;
}
