using System.Text;
using TagForge.Registry;
using TagForge.Values;

namespace TagForge.Testing;

/// <summary>
/// Small OCI artifacts pushed through the registry API, as cosign and ORAS write them: a signature, attestation or
/// SBOM under <c>sha256-HEX.sig|.att|.sbom</c>, a referrers-tag-schema index under <c>sha256-HEX</c>, and hand-made
/// images with non-distributable layers. A <c>note</c> makes two artifacts for one subject
/// differ (the destination's own signature against the source's).
/// </summary>
public static class ArtifactImages
{
    /// <summary>
    /// The docker-registry configuration that accepts layers with <c>urls</c> (by default it refuses such a manifest):
    /// <c>LocalRegistry.StartAsync(ArtifactImages.AllowLayerUrlsYaml)</c>.
    /// </summary>
    public const string AllowLayerUrlsYaml = "validation:\n  manifests:\n    urls:\n      allow:\n        - ^https?://\n";

    /// <summary>Pushes an artifact for <paramref name="subject"/> under <c>sha256-HEX</c> + <paramref name="suffix"/>; returns its digest.</summary>
    public static async Task<Digest> PushTagAsync(IRegistryClient client, ImageReference repository, Digest subject, string suffix, string note = "source", CancellationToken cancellationToken = default)
    {
        var manifest = await PushArtifactAsync(client, repository, subject, $"application/vnd.test.{suffix.TrimStart('.')}", note, cancellationToken);
        return await client.PutManifestAsync(repository.With($"{subject.Algorithm}-{subject.Hex}{suffix}", null), ManifestDocument.OciManifest, manifest, cancellationToken);
    }

    /// <summary>
    /// Pushes an artifact with <c>subject</c> by digest and the referrers-tag-schema index <c>sha256-HEX</c> listing it
    /// (what clients write where the registry has no referrers API); returns the index's digest.
    /// </summary>
    public static async Task<Digest> PushReferrersTagAsync(IRegistryClient client, ImageReference repository, Digest subject, string note = "source", CancellationToken cancellationToken = default)
    {
        var artifact = await PushArtifactAsync(client, repository, subject, "application/vnd.test.sbom", note, cancellationToken);
        var artifactDigest = await client.PutManifestAsync(repository.With(null, Digest.Sha256Of(artifact)), ManifestDocument.OciManifest, artifact, cancellationToken);
        var index = Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{artifactDigest}}","size":{{artifact.Length}},"artifactType":"application/vnd.test.sbom"}]}""");
        return await client.PutManifestAsync(repository.With($"{subject.Algorithm}-{subject.Hex}", null), ManifestDocument.OciIndex, index, cancellationToken);
    }

    /// <summary>
    /// Pushes an image whose one layer is non-distributable (<paramref name="layerMediaType"/>, with <c>urls</c>, its blob
    /// nowhere in the registry) under <paramref name="reference"/>'s tag; returns the manifest's digest and the layer's.
    /// The registry must allow layer urls (<see cref="AllowLayerUrlsYaml"/>).
    /// </summary>
    public static async Task<(Digest Manifest, Digest Layer)> PushNonDistributableAsync(
        IRegistryClient client, ImageReference reference, string layerMediaType = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip", CancellationToken cancellationToken = default)
    {
        var repository = reference.With(null, null);
        var config = """{"architecture":"amd64","os":"windows","rootfs":{"type":"layers","diff_ids":[]}}"""u8.ToArray();
        var configDigest = Digest.Sha256Of(config);
        await client.PushBlobAsync(repository, configDigest, config.Length, new MemoryStream(config), cancellationToken);
        var layer = Digest.Sha256Of(Encoding.UTF8.GetBytes("a base layer that lives elsewhere " + Guid.NewGuid()));
        // A Docker foreign layer belongs in a Docker manifest, an OCI non-distributable one in an OCI manifest.
        var docker = layerMediaType.Contains("docker", StringComparison.Ordinal);
        var (manifestType, configType) = docker
            ? (ManifestDocument.DockerManifest, "application/vnd.docker.container.image.v1+json")
            : (ManifestDocument.OciManifest, "application/vnd.oci.image.config.v1+json");
        var manifest = Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"mediaType":"{{manifestType}}","config":{"mediaType":"{{configType}}","digest":"{{configDigest}}","size":{{config.Length}}},"layers":[{"mediaType":"{{layerMediaType}}","digest":"{{layer}}","size":123456,"urls":["https://mcr.example.com/layers/{{layer.Hex}}"]}]}""");
        var digest = await client.PutManifestAsync(reference, manifestType, manifest, cancellationToken);
        return (digest, layer);
    }

    private static async Task<byte[]> PushArtifactAsync(IRegistryClient client, ImageReference repository, Digest subject, string artifactType, string note, CancellationToken cancellationToken)
    {
        var payload = Encoding.UTF8.GetBytes($$"""{"subject":"{{subject}}","note":"{{note}}","type":"{{artifactType}}"}""");
        var payloadDigest = Digest.Sha256Of(payload);
        await client.PushBlobAsync(repository, payloadDigest, payload.Length, new MemoryStream(payload), cancellationToken);
        var config = "{}"u8.ToArray();
        var configDigest = Digest.Sha256Of(config);
        await client.PushBlobAsync(repository, configDigest, config.Length, new MemoryStream(config), cancellationToken);
        return Encoding.UTF8.GetBytes(
            $$$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"{{{artifactType}}}","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"{{{configDigest}}}","size":2},"layers":[{"mediaType":"application/json","digest":"{{{payloadDigest}}}","size":{{{payload.Length}}}}],"subject":{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"{{{subject}}}","size":1}}""");
    }
}
