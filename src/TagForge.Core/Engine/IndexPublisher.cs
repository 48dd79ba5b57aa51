using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using TagForge.Errors;
using TagForge.Records;
using TagForge.Registry;
using TagForge.Release;
using TagForge.Services;
using TagForge.Values;

namespace TagForge.Engine;

/// <summary>
/// Pushes the OCI image index of an image's platform manifests under its tag with TagForge's own registry client
/// (no buildx): the index is built from the registry's manifests (their media type and size), guarded like a
/// single image (the tag absent: pushed; holding this very index: success; another digest: exit 3), and its digest
/// confirmed with a HEAD. A platform manifest that is itself an index (BuildKit adds attestation manifests) is
/// unwrapped: its platform manifests go into the new index, with the attestation manifests that refer to them, so
/// the index never nests indexes and no attestation is lost.
/// </summary>
public static class IndexPublisher
{
    private const string AttestationReference = "vnd.docker.reference.digest";

    /// <summary>The record entry of the index pushed under <paramref name="tag"/> from <paramref name="parts"/> (one entry per platform).</summary>
    /// <exception cref="ExternalFailureException">A platform manifest is missing, or the registry holds another digest after the push.</exception>
    /// <exception cref="PolicyRefusalException">The tag holds another digest (overwriting not allowed), or the registry refused it (an immutable repository).</exception>
    public static async Task<ImageRecord> PushAsync(
        IRegistryClient client,
        ImageReference repository,
        string tag,
        IReadOnlyList<ImageRecord> parts,
        IReadOnlyList<string> additionalTags,
        bool allowOverwrite,
        TagForgeServices services,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentNullException.ThrowIfNull(services);
        var logger = services.Logger;
        var descriptors = new List<Descriptor>();
        var platforms = new List<PlatformRecord>();
        foreach (var part in parts)
        {
            var platformName = part.Platform ?? throw new BadInputException($"the entry {part.Reference} names no platform; an index needs each manifest's platform");
            var wanted = Platform.Parse(platformName);
            var manifest = await client.GetManifestAsync(repository.With(null, Digest.Parse(part.Digest)), cancellationToken).ConfigureAwait(false)
                ?? throw new ExternalFailureException($"registry {repository.Registry} does not have the {platformName} manifest {repository.Name}@{part.Digest}");
            if (manifest.Document.IsIndex)
            {
                var children = manifest.Document.Manifests;
                var images = children.Where(d => d.Platform is { } p && p.Os != "unknown" && p.Architecture != "unknown").ToList();
                var attestations = children.Where(d => d.Annotations is { } a && a.TryGetValue(AttestationReference, out var subject) && images.Any(i => i.Digest.ToString() == subject)).ToList();
                logger.LogInformation(
                    "{Platform}: {Reference} is itself an index ({Images} platform manifests, {Attestations} attestation manifests, as BuildKit pushes): merged its manifests, not the index",
                    platformName, part.Reference, images.Count, attestations.Count);
                descriptors.AddRange(images);
                descriptors.AddRange(attestations);
                platforms.AddRange(images.Select(d => new PlatformRecord(d.Platform!.ToString(), d.Digest.ToString(), part.Tag, null)));
            }
            else
            {
                descriptors.Add(new Descriptor(manifest.MediaType, manifest.Digest, manifest.Body.Length, wanted, null, null));
                platforms.Add(new PlatformRecord(platformName, manifest.Digest.ToString(), part.Tag, part.ImageId));
            }
        }

        var body = ManifestDocument.SerializeIndex(descriptors, null);
        var digest = Digest.Parse($"sha256:{Convert.ToHexStringLower(SHA256.HashData(body))}");
        var tagged = repository.With(tag, null);
        if (!await ReleaseTags.PutAsync(client, repository, tag, IndexMediaType, body, digest, TagRule.Unique, allowOverwrite, logger, cancellationToken).ConfigureAwait(false))
        {
            logger.LogInformation("{Repository}:{Tag} already holds this index ({Digest}); nothing to push", repository.Name, tag, digest);
        }

        var confirmed = await client.HeadManifestAsync(tagged, cancellationToken).ConfigureAwait(false);
        if (confirmed?.Digest != digest)
        {
            throw new ExternalFailureException($"registry {repository.Registry} holds {repository.Name}:{tag} as {confirmed?.Digest.ToString() ?? "nothing"} right after the index {digest} was pushed");
        }

        foreach (var extra in additionalTags.Where(t => t != tag))
        {
            _ = await ReleaseTags.PutAsync(client, repository, extra, IndexMediaType, body, digest, TagRule.Moving, allowOverwrite, logger, cancellationToken).ConfigureAwait(false);
        }

        logger.LogInformation("index {Repository}:{Tag} = {Digest} ({Count} platforms, confirmed by the registry)", repository.Name, tag, digest, platforms.Count);
        var first = parts[0];
        return new ImageRecord(
            repository.Name,
            tag,
            digest.ToString(),
            $"{repository.Name}@{digest}",
            null,
            [tag, .. additionalTags.Where(t => t != tag)],
            null,
            first.Git,
            first.Build,
            services.Clock.GetUtcNow())
        {
            MediaType = IndexMediaType,
            Platforms = platforms,
        };
    }

    /// <summary>The media type of the index TagForge pushes.</summary>
    public const string IndexMediaType = "application/vnd.oci.image.index.v1+json";
}
