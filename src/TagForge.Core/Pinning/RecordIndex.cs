using TagForge.Errors;
using TagForge.Records;
using TagForge.Values;

namespace TagForge.Pinning;

/// <summary>A build record's images by normalised repository (<c>nginx</c> = <c>docker.io/library/nginx</c>).</summary>
public sealed class RecordIndex
{
    private readonly Dictionary<string, (string Tag, Digest Digest)> _images = new(StringComparer.Ordinal);

    /// <summary>Indexes <paramref name="record"/>.</summary>
    /// <exception cref="BadInputException">An entry's repository or digest does not parse, or two entries are ambiguous.</exception>
    public RecordIndex(BuildRecord record)
        : this(record, "the build record")
    {
    }

    /// <summary>Indexes <paramref name="record"/>; <paramref name="name"/> (its path) names it in errors.</summary>
    /// <exception cref="BadInputException">
    /// An entry's repository or digest does not parse, or two entries name one repository in two spellings
    /// (<c>busybox</c> and <c>docker.io/library/busybox</c>) with different digests: which one is meant cannot be
    /// known, so nothing is pinned from it.
    /// </exception>
    public RecordIndex(BuildRecord record, string name)
    {
        ArgumentNullException.ThrowIfNull(record);
        var spellings = new Dictionary<string, string>(StringComparer.Ordinal);
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

            if (_images.TryGetValue(repository.FullName, out var earlier) && earlier.Digest != digest)
            {
                throw new BadInputException(
                    $"{name} is ambiguous: the entries '{spellings[repository.FullName]}' ({earlier.Digest}) and '{image.Repository}' ({digest}) "
                    + $"name the same repository {repository.FullName} with different digests; remove the stale one (nothing was pinned)");
            }

            spellings.TryAdd(repository.FullName, image.Repository);
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
