using System.Collections.Concurrent;
using TagForge.Registry;
using TagForge.Values;

namespace TagForge.Operations;

/// <summary>
/// What prune learns about the manifests of one repository, each read at most once per run: an index's children, an
/// image's created time, the referrers the registry's API lists. Every request waits for the one gate (the registry
/// concurrency limit) and is counted, for the benchmark's requests per tag.
/// </summary>
internal sealed class PruneManifests(IRegistryClient client, ImageReference repository, SemaphoreSlim gate, CancellationToken cancellationToken)
{
    private readonly ConcurrentDictionary<Digest, Task<RegistryManifest?>> _manifests = new();
    private readonly ConcurrentDictionary<Digest, Task<DateTimeOffset?>> _created = new();
    private readonly ConcurrentDictionary<Digest, string> _mediaTypes = new();
    private int _requests;

    /// <summary>Registry requests made through this object so far.</summary>
    public int Requests => _requests;

    /// <summary>Remembers a media type a HEAD answered, so an image needs no GET to know it has no children.</summary>
    public void Know(Digest digest, string mediaType) => _mediaTypes.TryAdd(digest, mediaType);

    /// <summary>The children of <paramref name="digest"/>, with platforms (reads the manifest unless it is known to be a single image).</summary>
    public async Task<IReadOnlyList<Descriptor>> ChildrenAsync(Digest digest)
    {
        if (IsKnownImage(digest))
        {
            return [];
        }

        var manifest = await ManifestAsync(digest).ConfigureAwait(false);
        return manifest is { Document.IsIndex: true } ? manifest.Document.Manifests : [];
    }

    /// <summary>The created time of <paramref name="digest"/> (an index: its first platform's); null when the config has none.</summary>
    public Task<DateTimeOffset?> CreatedAsync(Digest digest) => _created.GetOrAdd(digest, ReadCreatedAsync);

    /// <summary>The referrers API's answer for <paramref name="subject"/> (empty where the registry has no such API).</summary>
    public Task<IReadOnlyList<Descriptor>> ReferrersAsync(Digest subject) => Gated(() => client.GetReferrersAsync(repository, subject, cancellationToken));

    /// <summary>Runs one registry request under the concurrency gate.</summary>
    public async Task<T> Gated<T>(Func<Task<T>> request)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Interlocked.Increment(ref _requests);
            return await request().ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private bool IsKnownImage(Digest digest) =>
        _mediaTypes.TryGetValue(digest, out var known) && !ManifestDocument.IsIndexMediaType(known);

    private Task<RegistryManifest?> ManifestAsync(Digest digest) =>
        _manifests.GetOrAdd(digest, key => Gated(() => client.GetManifestAsync(repository.With(null, key), cancellationToken)));

    private async Task<DateTimeOffset?> ReadCreatedAsync(Digest digest)
    {
        var image = digest;
        if (!IsKnownImage(digest))
        {
            var manifest = await ManifestAsync(digest).ConfigureAwait(false);
            if (manifest is null)
            {
                return null;
            }

            if (manifest.Document.IsIndex)
            {
                if (manifest.Document.Manifests.FirstOrDefault(child => !child.IsAttestation) is not { } first)
                {
                    return null;
                }

                image = first.Digest;
            }
        }

        return (await Gated(() => client.GetImageConfigAsync(repository.With(null, image), cancellationToken)).ConfigureAwait(false))?.Created;
    }
}
