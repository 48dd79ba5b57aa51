using TagForge.Errors;
using TagForge.Values;

namespace TagForge.Ecr;

/// <summary>The outcome of <see cref="EcrImages.AddTagAsync"/>.</summary>
/// <param name="Repository">The repository name.</param>
/// <param name="Tag">The tag now on the image.</param>
/// <param name="Digest">The image's manifest digest.</param>
/// <param name="Changed">False when the tag already pointed at that digest.</param>
public sealed record EcrAddTagResult(string Repository, string Tag, Digest Digest, bool Changed);

/// <summary>Image operations built on <see cref="IEcrClient"/>: digests from ECR and tagging without pulling.</summary>
public static class EcrImages
{
    /// <summary>Every manifest media type BatchGetImage should return unchanged (no conversion by ECR).</summary>
    public static readonly IReadOnlyList<string> ManifestMediaTypes =
    [
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.oci.image.index.v1+json",
    ];

    /// <summary>The digest ECR stores <paramref name="tag"/> under, or <see langword="null"/> when the tag does not exist.</summary>
    public static async Task<Digest?> DigestOfAsync(IEcrClient client, string repositoryName, string tag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var detail = await client.DescribeImageAsync(repositoryName, new EcrImageId(ImageTag: tag), cancellationToken).ConfigureAwait(false);
        return detail is null ? null : ParseDigest(detail.ImageDigest, repositoryName);
    }

    /// <summary>True when an image with <paramref name="digest"/> exists in the repository (<c>verify</c> of a pinned reference).</summary>
    public static async Task<bool> ExistsAsync(IEcrClient client, string repositoryName, Digest digest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(digest);
        return await client.DescribeImageAsync(repositoryName, new EcrImageId(ImageDigest: digest.ToString()), cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <summary>
    /// Confirms through <c>DescribeImages</c> that <paramref name="tag"/> holds <paramref name="expected"/> after a push;
    /// throws <see cref="ExternalFailureException"/> naming both digests when it does not.
    /// </summary>
    public static async Task ConfirmPushedAsync(IEcrClient client, string repositoryName, string tag, Digest expected, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var actual = await DigestOfAsync(client, repositoryName, tag, cancellationToken).ConfigureAwait(false)
            ?? throw new ExternalFailureException($"ECR does not list tag {tag} in {repositoryName} right after the push of {expected}");
        if (actual != expected)
        {
            throw new ExternalFailureException($"ECR has tag {tag} in {repositoryName} on digest {actual}, not the pushed {expected}; another push moved it");
        }
    }

    /// <summary>
    /// Adds <paramref name="newTag"/> to the image <paramref name="source"/> names (a tag or digest) without pulling it:
    /// <c>BatchGetImage</c> for its manifest, then <c>PutImage</c> with the same manifest under the new tag. A tag that
    /// already points at another digest is never moved (exit 3, like the overwrite guard), whatever the repository's
    /// mutability.
    /// </summary>
    public static async Task<EcrAddTagResult> AddTagAsync(IEcrClient client, string repositoryName, EcrImageId source, string newTag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(source);
        var image = await client.GetImageAsync(repositoryName, source, ManifestMediaTypes, cancellationToken).ConfigureAwait(false)
            ?? throw new ExternalFailureException($"image {repositoryName}:{source} does not exist in ECR ({client.Region}); nothing to tag");
        var manifest = image.ImageManifest
            ?? throw new ExternalFailureException($"ECR returned no manifest for {repositoryName}:{source}");
        var digest = image.ImageId.ImageDigest is { } given
            ? ParseDigest(given, repositoryName)
            : Digest.Sha256Of(System.Text.Encoding.UTF8.GetBytes(manifest));

        var existing = await DigestOfAsync(client, repositoryName, newTag, cancellationToken).ConfigureAwait(false);
        if (existing == digest)
        {
            return new EcrAddTagResult(repositoryName, newTag, digest, Changed: false);
        }

        if (existing is not null)
        {
            throw new EcrTagConflictException(
                EcrTagConflictException.FormatMessage(repositoryName, newTag, existing.ToString(), digest.ToString()).Replace(" (the ECR repository has IMMUTABLE tags; pick a new tag)", "", StringComparison.Ordinal),
                repositoryName,
                newTag,
                existing.ToString(),
                digest.ToString());
        }

        try
        {
            await client.PutImageAsync(repositoryName, manifest, image.ImageManifestMediaType, newTag, digest.ToString(), cancellationToken).ConfigureAwait(false);
            return new EcrAddTagResult(repositoryName, newTag, digest, Changed: true);
        }
        catch (EcrServiceException ex) when (ex.ErrorType == "ImageAlreadyExistsException")
        {
            return new EcrAddTagResult(repositoryName, newTag, digest, Changed: false);
        }
        catch (EcrTagConflictException)
        {
            // Someone tagged another image between the check and the put: name the digest now there.
            var now = await DigestOfAsync(client, repositoryName, newTag, cancellationToken).ConfigureAwait(false);
            throw new EcrTagConflictException(
                EcrTagConflictException.FormatMessage(repositoryName, newTag, now?.ToString(), digest.ToString()), repositoryName, newTag, now?.ToString(), digest.ToString());
        }
    }

    private static Digest ParseDigest(string text, string repositoryName) =>
        Digest.TryParse(text, out var digest) ? digest : throw new ExternalFailureException($"ECR returned '{text}' as the digest of an image in {repositoryName}, which is not a digest");
}
