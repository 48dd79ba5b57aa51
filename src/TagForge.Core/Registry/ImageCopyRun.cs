using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using TagForge.IO;
using TagForge.Values;

namespace TagForge.Registry;

/// <summary>
/// One copy of <see cref="ImageCopier"/>: reads the whole tree from the source first (the image, then what belongs
/// to it), asks the destination which manifests it holds, then writes in the order blobs, manifests by digest,
/// signature tags, destination tag.
/// </summary>
internal sealed class ImageCopyRun : IDisposable
{
    private readonly IRegistryClient _client;
    private readonly ILogger _logger;
    private readonly CopyOptions _options;
    private readonly ImageReference _source;
    private readonly ImageReference _destination;
    private readonly CancellationToken _cancellationToken;
    private readonly SemaphoreSlim _gate;
    private readonly ConcurrentDictionary<Digest, BlobCopy> _blobs = new();
    private readonly List<ManifestCopy> _manifests = [];
    private readonly HashSet<Digest> _put = [];

    public ImageCopyRun(IRegistryClient client, ILogger logger, CopyOptions options, ImageReference source, ImageReference destination, CancellationToken cancellationToken)
    {
        _client = client;
        _logger = logger;
        _options = options;
        _source = source;
        _destination = destination;
        _cancellationToken = cancellationToken;
        _gate = new SemaphoreSlim(Math.Max(1, options.MaxConcurrency ?? CopyOptions.DefaultConcurrency));
        SameRepository = source.FullName == destination.FullName;
        SameRegistry = source.Registry == destination.Registry;
    }

    private bool SameRepository { get; }

    private bool SameRegistry { get; }

    public void Dispose() => _gate.Dispose();

    public async Task<CopyReport> CopyAsync(RegistryManifest manifest, string? tag, TagWritePolicy tagPolicy)
    {
        if (SameRepository)
        {
            // Everything is there already: the tag is the whole promotion.
            var retag = tag is null ? null : await WriteTagAsync(tag, manifest, tagPolicy).ConfigureAwait(false);
            return new CopyReport(manifest.Digest, [], [.. _manifests], [], []) { Tag = retag };
        }

        var image = await ReadTreeAsync(manifest).ConfigureAwait(false);
        var artifacts = _options.Signatures ? await PlanArtifactsAsync(image).ConfigureAwait(false) : new ArtifactPlan([], [], []);
        var all = image.Concat(artifacts.Copies.SelectMany(copy => copy.Tree)).DistinctBy(item => item.Digest).ToList();
        var present = await PresentAsync(all).ConfigureAwait(false);

        // A manifest the destination holds has its blobs there (registries check before they accept one).
        var layers = all.Where(item => !present.Contains(item.Digest) && !item.Document.IsIndex)
            .SelectMany(item => (item.Document.Config is { } config ? [config] : Array.Empty<Descriptor>()).Concat(item.Document.Layers))
            .DistinctBy(blob => blob.Digest)
            .ToList();
        var external = layers.Where(layer => layer.IsExternal).Select(layer => layer.Digest).ToList();
        foreach (var digest in external)
        {
            _logger.LogInformation("kept the external layer {Digest} by reference (it has urls; registries do not hold it), as skopeo does", digest);
        }

        await CopyBlobsAsync([.. layers.Where(layer => !layer.IsExternal)]).ConfigureAwait(false);
        // The root goes up under its tag at the end (by digest now only when there is no tag): one PUT, not two.
        foreach (var item in tag is null ? image : image.Take(image.Count - 1))
        {
            await PutByDigestAsync(item, present).ConfigureAwait(false);
        }

        var signatureTags = new List<string>(artifacts.AlreadyThere);
        var referrers = new List<Digest>();
        foreach (var copy in artifacts.Copies)
        {
            foreach (var item in copy.Tree)
            {
                await PutByDigestAsync(item, present).ConfigureAwait(false);
            }

            if (copy.Tag is { } artifactTag)
            {
                var outcome = await WriteTagAsync(artifactTag, copy.Tree[^1], new TagWritePolicy(_options.SignatureConflict)).ConfigureAwait(false);
                if (outcome.HoldsDigest)
                {
                    signatureTags.Add(artifactTag);
                    _logger.LogInformation("copied signature tag {Tag} ({Digest})", artifactTag, copy.Tree[^1].Digest);
                }
                else
                {
                    artifacts.LeftAlone.Add(outcome);
                }
            }
            else
            {
                referrers.Add(copy.Tree[^1].Digest);
                _logger.LogInformation("copied referrer {Digest} ({ArtifactType})", copy.Tree[^1].Digest, copy.Tree[^1].Document.ArtifactType ?? copy.Tree[^1].MediaType);
            }
        }

        // Last: only now is the image whole at the destination, so only now may a reader find it by its tag.
        var written = tag is null ? null : await WriteTagAsync(tag, manifest, tagPolicy).ConfigureAwait(false);
        return new CopyReport(
            manifest.Digest,
            [.. _blobs.Values.OrderBy(blob => blob.Digest.ToString(), StringComparer.Ordinal)],
            [.. _manifests],
            [.. signatureTags.Order(StringComparer.Ordinal)],
            referrers)
        {
            LeftAlone = artifacts.LeftAlone,
            ExternalLayers = external,
            Tag = written,
        };
    }

    /// <summary>The manifest and every manifest below it, children before parents, each once.</summary>
    private async Task<List<RegistryManifest>> ReadTreeAsync(RegistryManifest root)
    {
        var result = new List<RegistryManifest>();
        var seen = new HashSet<Digest>();
        await VisitAsync(root).ConfigureAwait(false);
        return result;

        async Task VisitAsync(RegistryManifest manifest)
        {
            if (!seen.Add(manifest.Digest))
            {
                return;
            }

            foreach (var child in manifest.Document.Manifests)
            {
                var childManifest = await _client.GetManifestAsync(_source.With(null, child.Digest), _cancellationToken).ConfigureAwait(false)
                    ?? throw new RegistryException(
                        $"registry {_source.Registry} has no manifest {child.Digest} in {_source.Repository}, which the index {manifest.Digest} names: the source image is incomplete",
                        _source.Registry, _source.Repository, null);
                await VisitAsync(childManifest).ConfigureAwait(false);
            }

            result.Add(manifest);
        }
    }

    /// <summary>What belongs to the image's digests: signature and referrers tags, and referrers by digest.</summary>
    private async Task<ArtifactPlan> PlanArtifactsAsync(IReadOnlyList<RegistryManifest> image)
    {
        var subjects = image.Select(item => ImageCopier.SignatureTagPrefix(item.Digest)).ToHashSet(StringComparer.Ordinal);
        var plan = new ArtifactPlan([], [], []);
        var planned = new HashSet<Digest>();
        var tags = await _client.ListTagsAsync(_source, _cancellationToken).ConfigureAwait(false);
        foreach (var tag in tags.Order(StringComparer.Ordinal))
        {
            var belongs = (ImageCopier.IsSignatureTag(tag, out var subject) || ImageCopier.IsReferrersTag(tag, out subject))
                && subjects.Contains(ImageCopier.SignatureTagPrefix(subject!));
            if (!belongs || await _client.GetManifestAsync(_source.With(tag, null), _cancellationToken).ConfigureAwait(false) is not { } artifact)
            {
                continue;
            }

            // Decided before anything is copied: a tag that stays as it is brings nothing of the source's along.
            var check = await GuardedTagWrite.CheckAsync(_client, _destination.With(tag, null), artifact.Digest, new TagWritePolicy(_options.SignatureConflict), _cancellationToken).ConfigureAwait(false);
            switch (check.Result)
            {
                case TagWriteResult.LeftAlone:
                    plan.LeftAlone.Add(check);
                    break;
                case TagWriteResult.AlreadyThere:
                    plan.AlreadyThere.Add(tag);
                    break;
                default:
                    plan.Copies.Add(new ArtifactCopy(tag, await ReadTreeAsync(artifact).ConfigureAwait(false)));
                    planned.Add(artifact.Digest);
                    break;
            }
        }

        foreach (var subject in image.Select(item => item.Digest))
        {
            foreach (var referrer in await _client.GetReferrersAsync(_source, subject, _cancellationToken).ConfigureAwait(false))
            {
                if (planned.Add(referrer.Digest)
                    && await _client.GetManifestAsync(_source.With(null, referrer.Digest), _cancellationToken).ConfigureAwait(false) is { } artifact)
                {
                    plan.Copies.Add(new ArtifactCopy(null, await ReadTreeAsync(artifact).ConfigureAwait(false)));
                }
            }
        }

        return plan;
    }

    /// <summary>The manifests the destination already holds by digest.</summary>
    private async Task<HashSet<Digest>> PresentAsync(IReadOnlyList<RegistryManifest> manifests)
    {
        var answers = await Task.WhenAll(manifests.Select(item => Gated(async () =>
            (item.Digest, await _client.HeadManifestAsync(_destination.With(null, item.Digest), _cancellationToken).ConfigureAwait(false))))).ConfigureAwait(false);
        return [.. answers.Where(answer => answer.Item2?.Digest == answer.Digest).Select(answer => answer.Digest)];
    }

    private async Task CopyBlobsAsync(IReadOnlyList<Descriptor> blobs)
    {
        using var meter = new ProgressMeter(_options.Progress, _options.Clock ?? TimeProvider.System, $"copying to {_destination.Name}", ProgressUnit.Bytes, blobs.Sum(blob => blob.Size), blobs.Count);
        await Task.WhenAll(blobs.Select(blob => CopyBlobAsync(blob, meter))).ConfigureAwait(false);
        meter.Finish();
    }

    private async Task CopyBlobAsync(Descriptor blob, ProgressMeter meter)
    {
        var result = await Gated(async () =>
        {
            if (await _client.HeadBlobAsync(_destination, blob.Digest, _cancellationToken).ConfigureAwait(false) is { } size)
            {
                meter.ItemDone(blob.Size);
                return new BlobCopy(blob.Digest, size > 0 ? size : blob.Size, BlobAction.Skipped);
            }

            if (SameRegistry && await _client.MountBlobAsync(_destination, blob.Digest, _source.Repository, _cancellationToken).ConfigureAwait(false))
            {
                meter.ItemDone(blob.Size);
                return new BlobCopy(blob.Digest, blob.Size, BlobAction.Mounted);
            }

            // Streamed: the layer is never held in memory or on disk.
            var content = await _client.OpenBlobAsync(_source, blob.Digest, _cancellationToken).ConfigureAwait(false);
            await using var counted = new ProgressStream(content, meter);
            await _client.PushBlobAsync(_destination, blob.Digest, blob.Size, counted, _cancellationToken).ConfigureAwait(false);
            meter.ItemDone();
            return new BlobCopy(blob.Digest, blob.Size, BlobAction.Copied);
        }).ConfigureAwait(false);
        _blobs[blob.Digest] = result;
        _logger.LogInformation(
            "{Action} blob {Digest} ({Size}) {Where} {Destination}",
            result.Action switch { BlobAction.Copied => "copied", BlobAction.Mounted => "mounted", _ => "skipped" },
            blob.Digest,
            ImageCopier.FormatSize(result.Size),
            result.Action == BlobAction.Skipped ? "already in" : "to",
            _destination.Name);
    }

    private async Task PutByDigestAsync(RegistryManifest manifest, HashSet<Digest> present)
    {
        if (!_put.Add(manifest.Digest))
        {
            return;
        }

        if (present.Contains(manifest.Digest))
        {
            _manifests.Add(new ManifestCopy(manifest.Digest, manifest.MediaType, manifest.Digest.ToString(), Existed: true));
            return;
        }

        var stored = await Gated(() => _client.PutManifestAsync(_destination.With(null, manifest.Digest), manifest.MediaType, manifest.Body, _cancellationToken)).ConfigureAwait(false);
        if (stored != manifest.Digest)
        {
            throw new RegistryException(
                $"registry {_destination.Registry} stored {_destination.Repository}@{manifest.Digest} as {stored}: it changed the image, so it is not the one promoted",
                _destination.Registry, _destination.Repository, null);
        }

        _manifests.Add(new ManifestCopy(manifest.Digest, manifest.MediaType, manifest.Digest.ToString(), Existed: false));
    }

    private async Task<TagWriteOutcome> WriteTagAsync(string tag, RegistryManifest manifest, TagWritePolicy policy)
    {
        var outcome = await GuardedTagWrite.WriteAsync(_client, _destination.With(tag, null), manifest, policy, _cancellationToken).ConfigureAwait(false);
        if (outcome.HoldsDigest)
        {
            _manifests.Add(new ManifestCopy(manifest.Digest, manifest.MediaType, tag, Existed: outcome.Result == TagWriteResult.AlreadyThere));
        }

        return outcome;
    }

    private async Task<T> Gated<T>(Func<Task<T>> work)
    {
        await _gate.WaitAsync(_cancellationToken).ConfigureAwait(false);
        try
        {
            return await work().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A signature or referrers tag (<see cref="Tag"/>), or a referrer by digest (null), with its tree, root last.</summary>
    private sealed record ArtifactCopy(string? Tag, IReadOnlyList<RegistryManifest> Tree);

    private sealed record ArtifactPlan(List<ArtifactCopy> Copies, List<TagWriteOutcome> LeftAlone, List<string> AlreadyThere);
}
