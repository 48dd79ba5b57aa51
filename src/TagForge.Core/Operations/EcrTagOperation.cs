using TagForge.Ecr;
using TagForge.Errors;
using TagForge.Services;
using TagForge.Values;

namespace TagForge.Operations;

/// <summary>
/// <c>tagforge ecr tag</c>: adds a tag to an image in ECR without pulling it (<c>BatchGetImage</c> + <c>PutImage</c>);
/// a tag that already points at another image is never moved (exit 3).
/// </summary>
public static class EcrTagOperation
{
    /// <summary>Runs it; bad input (no tag or digest, an invalid tag, a registry that is not ECR) throws <see cref="BadInputException"/>.</summary>
    public static async Task<EcrTagResult> RunAsync(EcrTagRequest request, TagForgeServices services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        if (!ImageReference.TryParse(request.Source, out var source, out var error))
        {
            throw new BadInputException(error);
        }

        if (source.Tag is null && source.Digest is null)
        {
            throw new BadInputException($"'{request.Source}' names no tag or digest; say which image to tag (repo:tag or repo@sha256:…)");
        }

        if (ImageTag.Explain(request.NewTag) is { } problem)
        {
            throw new BadInputException($"'{request.NewTag}' is not a valid tag: {problem}");
        }

        using var ecr = services.Ecr(request.Ecr ?? new());
        var client = EcrRegistryLookup.ClientFor(ecr, source.Registry);
        var id = source.Digest is { } digest ? new EcrImageId(ImageDigest: digest.ToString()) : new EcrImageId(ImageTag: source.Tag);
        var added = await EcrImages.AddTagAsync(client, source.Repository, id, request.NewTag, cancellationToken).ConfigureAwait(false);
        return new EcrTagResult(source, added.Tag, added.Digest, added.Changed);
    }
}
