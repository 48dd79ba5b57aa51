using System.Text;
using TagForge.Registry;
using TagForge.Values;

namespace TagForge.Testing;

/// <summary>
/// What signing and multi-platform tools leave in a repository, pushed through TagForge's client for prune tests:
/// nested indexes, platform tags, OCI 1.1 referrers with a <c>subject</c>, the referrers tag schema (<c>sha256-HEX</c>,
/// an index of referrers) and cosign attestation tags. Needs: a running registry (<see cref="LocalRegistry"/>).
/// </summary>
public static class RegistryArtifacts
{
    /// <summary>Pushes an index of <paramref name="children"/> (manifests or indexes) under <paramref name="reference"/> (its tag, else by digest).</summary>
    public static async Task<Digest> PushIndexOfAsync(IRegistryClient client, ImageReference reference, IReadOnlyList<(string MediaType, Digest Digest, long Size)> children, CancellationToken cancellationToken = default)
    {
        var body = ManifestDocument.SerializeIndex([.. children.Select(child => new Descriptor(child.MediaType, child.Digest, child.Size, child.MediaType == ManifestDocument.OciManifest ? Platform.Parse("linux/amd64") : null))]);
        return await client.PutManifestAsync(reference.Tag is null ? reference.With(null, Digest.Sha256Of(body)) : reference, ManifestDocument.OciIndex, body, cancellationToken);
    }

    /// <summary>The size of the manifest <paramref name="digest"/> in <paramref name="repository"/>.</summary>
    public static async Task<long> SizeOfAsync(IRegistryClient client, ImageReference repository, Digest digest, CancellationToken cancellationToken = default) =>
        (await client.HeadManifestAsync(repository.With(null, digest), cancellationToken))?.Size ?? throw new InvalidOperationException($"{digest} is not in {repository}");

    /// <summary>
    /// Pushes an OCI 1.1 artifact whose <c>subject</c> is <paramref name="subject"/> (an SBOM, say), by digest only,
    /// under <paramref name="tag"/> when given; returns its digest and size.
    /// </summary>
    public static async Task<(Digest Digest, long Size)> PushReferrerAsync(IRegistryClient client, ImageReference repository, Digest subject, long subjectSize, string? tag = null, CancellationToken cancellationToken = default)
    {
        var payload = Encoding.UTF8.GetBytes($"{{\"sbom\":\"{Guid.NewGuid():N}\"}}");
        var payloadDigest = Digest.Sha256Of(payload);
        await client.PushBlobAsync(repository, payloadDigest, payload.Length, new MemoryStream(payload), cancellationToken);
        var config = "{}"u8.ToArray();
        var configDigest = Digest.Sha256Of(config);
        await client.PushBlobAsync(repository, configDigest, config.Length, new MemoryStream(config), cancellationToken);
        var body = Encoding.UTF8.GetBytes(
            $$$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/spdx+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{{configDigest}}}","size":2},"layers":[{"mediaType":"application/spdx+json","digest":"{{{payloadDigest}}}","size":{{{payload.Length}}}}],"subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{subject}}}","size":{{{subjectSize}}}}}""");
        var digest = Digest.Sha256Of(body);
        await client.PutManifestAsync(repository.With(tag, tag is null ? digest : null), ManifestDocument.OciManifest, body, cancellationToken);
        return (digest, body.Length);
    }

    /// <summary>
    /// The OCI 1.1 referrers tag schema, what clients write where the referrers API is missing: an index of
    /// <paramref name="referrers"/> under the tag <c>sha256-HEX</c> of <paramref name="subject"/>; returns its digest.
    /// </summary>
    public static async Task<Digest> PushReferrersTagAsync(IRegistryClient client, ImageReference repository, Digest subject, IReadOnlyList<(Digest Digest, long Size)> referrers, CancellationToken cancellationToken = default)
    {
        var body = ManifestDocument.SerializeIndex([.. referrers.Select(referrer => new Descriptor(ManifestDocument.OciManifest, referrer.Digest, referrer.Size, ArtifactType: "application/spdx+json"))]);
        return await client.PutManifestAsync(repository.With($"{subject.Algorithm}-{subject.Hex}", null), ManifestDocument.OciIndex, body, cancellationToken);
    }
}
