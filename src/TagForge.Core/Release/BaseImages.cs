using TagForge.Errors;
using TagForge.Registry;
using TagForge.Values;

namespace TagForge.Release;

/// <summary>
/// The base images a Dockerfile takes from registries (<c>FROM repo:tag</c>, <c>COPY --from=repo:tag</c>), each
/// resolved to the digest its registry holds when the plan is made: a base that moved (a security fix) changes the
/// image's content identity, so an image is never reused over an old base. A reference that names a digest needs no
/// request; one that cannot be asked about (no such tag, an unreachable registry, a local-only image) makes the image
/// not reusable, and the plan says why.
/// </summary>
internal static class BaseImages
{
    /// <summary>Resolves <paramref name="references"/> (as the Dockerfile names them, arguments substituted), in parallel.</summary>
    public static async Task<BaseResolution> ResolveAsync(IEnumerable<string> references, IRegistryClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(references);
        ArgumentNullException.ThrowIfNull(client);
        var distinct = references.Distinct(StringComparer.Ordinal).ToList();
        var answers = await Task.WhenAll(distinct.Select(reference => ResolveOneAsync(reference, client, cancellationToken))).ConfigureAwait(false);
        var digests = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var unknown = new List<string>();
        foreach (var (reference, digest, problem) in answers)
        {
            if (digest is not null)
            {
                digests[reference] = digest;
            }
            else
            {
                unknown.Add(problem!);
            }
        }

        return new BaseResolution(digests, unknown);
    }

    private static async Task<(string Reference, string? Digest, string? Problem)> ResolveOneAsync(string text, IRegistryClient client, CancellationToken cancellationToken)
    {
        if (!ImageReference.TryParse(text, out var reference, out var error))
        {
            return (text, null, $"the base image '{text}' is not a reference TagForge can read ({error})");
        }

        if (reference.Digest is { } pinned)
        {
            return (text, pinned.ToString(), null);
        }

        var tagged = reference.Tag is null ? reference.With("latest", null) : reference;
        try
        {
            var manifest = await client.HeadManifestAsync(tagged, cancellationToken).ConfigureAwait(false);
            return manifest is null
                ? (text, null, $"the base image {tagged.Name}:{tagged.Tag} is not in {tagged.Registry} (a local-only image cannot be compared)")
                : (text, manifest.Digest.ToString(), null);
        }
        catch (ExternalFailureException ex)
        {
            return (text, null, $"cannot ask {tagged.Registry} for the base image {tagged.Name}:{tagged.Tag}: {ex.Message}");
        }
    }
}

/// <summary>What <see cref="BaseImages.ResolveAsync"/> found.</summary>
/// <param name="Digests">Each base reference, as written, with the digest its registry holds now.</param>
/// <param name="Unknown">Why a base could not be resolved, one line each: the image is not reusable.</param>
internal sealed record BaseResolution(IReadOnlyDictionary<string, string> Digests, IReadOnlyList<string> Unknown);
