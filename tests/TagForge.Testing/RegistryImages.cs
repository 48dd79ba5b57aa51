using System.Security.Cryptography;
using System.Text;
using TagForge.Registry;
using TagForge.Values;

namespace TagForge.Testing;

/// <summary>
/// Builds images in a registry through TagForge's own client: random layers, a config, an OCI manifest, two-platform
/// indexes and cosign-style signature tags. For promote and prune tests. Needs: a running registry (<see cref="LocalRegistry"/>).
/// </summary>
public static class RegistryImages
{
    /// <summary>An image pushed: its digest, its manifest's size, and its blobs.</summary>
    public sealed record Pushed(Digest Digest, long Size, IReadOnlyList<Digest> Blobs);

    /// <summary>
    /// Pushes a single-platform image of <paramref name="layers"/> random layers of <paramref name="layerSize"/> bytes
    /// under <paramref name="reference"/>'s tag (by digest when it has none).
    /// </summary>
    public static async Task<Pushed> PushImageAsync(IRegistryClient client, ImageReference reference, string architecture = "amd64", int layers = 2, int layerSize = 4096, DateTimeOffset? created = null, CancellationToken cancellationToken = default)
    {
        var blobs = new List<Digest>();
        var layerJson = new List<string>();
        for (var i = 0; i < layers; i++)
        {
            var bytes = RandomNumberGenerator.GetBytes(layerSize);
            var digest = Digest.Sha256Of(bytes);
            await client.PushBlobAsync(reference, digest, bytes.Length, new MemoryStream(bytes), cancellationToken);
            blobs.Add(digest);
            layerJson.Add($$"""{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{digest}}","size":{{bytes.Length}}}""");
        }

        var time = (created ?? DateTimeOffset.UtcNow).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var config = Encoding.UTF8.GetBytes($$$"""{"architecture":"{{{architecture}}}","os":"linux","created":"{{{time}}}","config":{"Labels":{"seed":"{{{Guid.NewGuid():N}}}"}},"rootfs":{"type":"layers","diff_ids":[]}}""");
        var configDigest = Digest.Sha256Of(config);
        await client.PushBlobAsync(reference, configDigest, config.Length, new MemoryStream(config), cancellationToken);
        blobs.Insert(0, configDigest);
        var manifest = Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{configDigest}}","size":{{config.Length}}},"layers":[{{string.Join(",", layerJson)}}]}""");
        var stored = await client.PutManifestAsync(reference.Tag is null ? reference.With(null, Digest.Sha256Of(manifest)) : reference, ManifestDocument.OciManifest, manifest, cancellationToken);
        return new Pushed(stored, manifest.Length, blobs);
    }

    /// <summary>Pushes a linux/amd64 + linux/arm64 index under <paramref name="reference"/>'s tag, children by digest only.</summary>
    public static async Task<(Digest Index, Pushed Amd64, Pushed Arm64)> PushIndexAsync(IRegistryClient client, ImageReference reference, int layerSize = 4096, CancellationToken cancellationToken = default)
    {
        var repository = reference.With(null, null);
        var amd = await PushImageAsync(client, repository, "amd64", 2, layerSize, cancellationToken: cancellationToken);
        var arm = await PushImageAsync(client, repository, "arm64", 2, layerSize, cancellationToken: cancellationToken);
        var index = ManifestDocument.SerializeIndex(
        [
            new Descriptor(ManifestDocument.OciManifest, amd.Digest, amd.Size, Platform.Parse("linux/amd64")),
            new Descriptor(ManifestDocument.OciManifest, arm.Digest, arm.Size, Platform.Parse("linux/arm64")),
        ]);
        var digest = await client.PutManifestAsync(reference, ManifestDocument.OciIndex, index, cancellationToken);
        return (digest, amd, arm);
    }

    /// <summary>Pushes a cosign-style signature of <paramref name="subject"/> under the tag <c>sha256-HEX.sig</c>; returns its digest.</summary>
    public static async Task<Digest> PushSignatureTagAsync(IRegistryClient client, ImageReference repository, Digest subject, CancellationToken cancellationToken = default)
    {
        var payload = Encoding.UTF8.GetBytes($$$"""{"critical":{"image":{"docker-manifest-digest":"{{{subject}}}"},"type":"cosign container image signature"}}""");
        var payloadDigest = Digest.Sha256Of(payload);
        await client.PushBlobAsync(repository, payloadDigest, payload.Length, new MemoryStream(payload), cancellationToken);
        var config = "{}"u8.ToArray();
        var configDigest = Digest.Sha256Of(config);
        await client.PushBlobAsync(repository, configDigest, config.Length, new MemoryStream(config), cancellationToken);
        var manifest = Encoding.UTF8.GetBytes(
            $$$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{{configDigest}}}","size":2},"layers":[{"mediaType":"application/vnd.dev.cosign.simplesigning.v1+json","digest":"{{{payloadDigest}}}","size":{{{payload.Length}}},"annotations":{"dev.cosignproject.cosign/signature":"MEUCIQ=="}}]}""");
        return await client.PutManifestAsync(repository.With($"{subject.Algorithm}-{subject.Hex}.sig", null), ManifestDocument.OciManifest, manifest, cancellationToken);
    }
}
