using TagForge.Errors;
using TagForge.Records;
using TagForge.Values;

namespace TagForge.Pinning;

/// <summary>A build record's images by normalised repository (<c>nginx</c> = <c>docker.io/library/nginx</c>).</summary>
public sealed class RecordIndex
{
    private readonly Dictionary<string, (string Tag, Digest Digest)> _images = new(StringComparer.Ordinal);

    /// <summary>Indexes <paramref name="record"/>.</summary>
    /// <exception cref="BadInputException">An entry's repository or digest does not parse.</exception>
    public RecordIndex(BuildRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        foreach (var image in record.Images)
        {
            if (!ImageReference.TryParse(image.Repository, out var repository, out var problem))
            {
                throw new BadInputException($"the build record names an invalid repository: {problem}");
            }

            if (!Digest.TryParse(image.Digest, out var digest))
            {
                throw new BadInputException($"the build record's digest for {image.Repository} is not a digest: '{image.Digest}'");
            }

            _images[repository.FullName] = (image.Tag, digest);
        }
    }

    /// <summary>The number of repositories.</summary>
    public int Count => _images.Count;

    /// <summary>The record's tag and digest for <paramref name="reference"/>'s repository.</summary>
    public bool TryGet(ImageReference reference, out string tag, out Digest digest)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (_images.TryGetValue(reference.FullName, out var entry))
        {
            (tag, digest) = entry;
            return true;
        }

        tag = "";
        digest = null!;
        return false;
    }
}
