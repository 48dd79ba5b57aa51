using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TagForge.Values;

namespace TagForge.Registry;

/// <summary>What happened to one blob of a copy.</summary>
public enum BlobAction
{
    /// <summary>Streamed from the source to the destination.</summary>
    Copied,

    /// <summary>Mounted from another repository of the same registry (no bytes moved).</summary>
    Mounted,

    /// <summary>Already at the destination (a rerun, or a layer shared with another image).</summary>
    Skipped,
}

/// <summary>One blob of a copy.</summary>
/// <param name="Digest">The blob's digest.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="Action">Copied, mounted or skipped.</param>
public sealed record BlobCopy(Digest Digest, long Size, BlobAction Action);

/// <summary>One manifest of a copy, put at the destination (or found there).</summary>
/// <param name="Digest">The manifest's digest, the same at both ends.</param>
/// <param name="MediaType">Its media type.</param>
/// <param name="Target">The tag or digest it was put under.</param>
/// <param name="Existed">True when the destination already held it under that name (nothing was put).</param>
public sealed record ManifestCopy(Digest Digest, string MediaType, string Target, bool Existed);

/// <summary>How <see cref="ImageCopier"/> copies.</summary>
/// <param name="MaxConcurrency">Blob transfers (and registry requests) in flight at once per copy; 4 when null.</param>
/// <param name="Signatures">Also copy the OCI referrers of each digest and its <c>sha256-HEX.sig|.att|.sbom</c> tags.</param>
public sealed record CopyOptions(int? MaxConcurrency = null, bool Signatures = true)
{
    /// <summary>The default number of requests in flight at once to one registry: polite to shared registries.</summary>
    public const int DefaultConcurrency = 4;
}

/// <summary>What a copy did.</summary>
/// <param name="Digest">The digest of the image copied (the same at both ends).</param>
/// <param name="Blobs">Every blob, once, with what was done.</param>
/// <param name="Manifests">Every manifest put (children first, the image last).</param>
/// <param name="SignatureTags">The <c>sha256-HEX.sig|.att|.sbom</c> tags copied.</param>
/// <param name="Referrers">The OCI referrers copied (by digest).</param>
public sealed record CopyReport(
    Digest Digest,
    IReadOnlyList<BlobCopy> Blobs,
    IReadOnlyList<ManifestCopy> Manifests,
    IReadOnlyList<string> SignatureTags,
    IReadOnlyList<Digest> Referrers)
{
    /// <summary>Bytes streamed from source to destination.</summary>
    public long BytesCopied => Blobs.Where(blob => blob.Action == BlobAction.Copied).Sum(blob => blob.Size);
}

/// <summary>
/// Copies an image (a manifest or an index with every child) from one repository to another without changing its
/// digest: the manifests' exact bytes are put, children before the index, blobs before the manifest that names
/// them. Within one repository only the top manifest is put under the new tag; within one registry blobs are
/// mounted (and copied only when the mount is refused); across registries each blob is HEADed first and only
/// missing ones are streamed, so a rerun after a failure resends nothing that arrived. Only registry clients are
/// used: no daemon, no local storage.
/// </summary>
public sealed class ImageCopier
{
    /// <summary>The suffixes of the cosign-style tags that carry signatures, attestations and SBOMs of <c>sha256-HEX</c>.</summary>
    public static IReadOnlyList<string> SignatureSuffixes { get; } = [".sig", ".att", ".sbom"];

    private readonly IRegistryClient _client;
    private readonly ILogger _logger;
    private readonly CopyOptions _options;

    /// <summary>A copier over <paramref name="client"/> (which reaches both registries).</summary>
    public ImageCopier(IRegistryClient client, ILogger? logger = null, CopyOptions? options = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _logger = logger ?? NullLogger.Instance;
        _options = options ?? new CopyOptions();
    }

    /// <summary>The <c>sha256-HEX</c> prefix signature tags of <paramref name="digest"/> start with.</summary>
    public static string SignatureTagPrefix(Digest digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        return $"{digest.Algorithm}-{digest.Hex}";
    }

    /// <summary>True when <paramref name="tag"/> is a <c>sha256-HEX.sig|.att|.sbom</c> tag; <paramref name="subject"/> is the digest it belongs to.</summary>
    public static bool IsSignatureTag(string tag, out Digest? subject)
    {
        ArgumentNullException.ThrowIfNull(tag);
        subject = null;
        var dot = tag.LastIndexOf('.');
        if (dot < 0 || !SignatureSuffixes.Contains(tag[dot..], StringComparer.Ordinal))
        {
            return false;
        }

        var dash = tag.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && Digest.TryParse(string.Concat(tag.AsSpan(0, dash), ":", tag.AsSpan(dash + 1, dot - dash - 1)), out subject);
    }

    /// <summary>
    /// Copies <paramref name="manifest"/> (read from <paramref name="source"/>'s repository) to
    /// <paramref name="destination"/> (its tag, or by digest when it has none), with its signatures unless turned off.
    /// </summary>
    /// <exception cref="RegistryException">A registry failed, or the destination stored another digest (exit 1).</exception>
    public async Task<CopyReport> CopyAsync(RegistryManifest manifest, ImageReference source, ImageReference destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        using var run = new Run(this, source.With(null, null), destination.With(null, null), cancellationToken);
        await run.CopyTreeAsync(manifest, destination.Tag).ConfigureAwait(false);
        if (_options.Signatures && run.Mode != CopyMode.SameRepository)
        {
            await run.CopySignaturesAsync().ConfigureAwait(false);
        }

        return new CopyReport(
            manifest.Digest,
            [.. run.Blobs.Values.OrderBy(blob => blob.Digest.ToString(), StringComparer.Ordinal)],
            [.. run.Manifests],
            [.. run.SignatureTags.Order(StringComparer.Ordinal)],
            [.. run.Referrers]);
    }

    private enum CopyMode
    {
        SameRepository,
        SameRegistry,
        OtherRegistry,
    }

    /// <summary>One copy's state: the blobs already handled (layers shared between platforms are handled once).</summary>
    private sealed class Run : IDisposable
    {
        private readonly ImageCopier _copier;
        private readonly ImageReference _source;
        private readonly ImageReference _destination;
        private readonly CancellationToken _cancellationToken;
        private readonly SemaphoreSlim _gate;
        private readonly ConcurrentDictionary<Digest, Lazy<Task<BlobCopy>>> _pending = new();
        private readonly HashSet<Digest> _copiedManifests = [];

        public Run(ImageCopier copier, ImageReference source, ImageReference destination, CancellationToken cancellationToken)
        {
            _copier = copier;
            _source = source;
            _destination = destination;
            _cancellationToken = cancellationToken;
            _gate = new SemaphoreSlim(Math.Max(1, copier._options.MaxConcurrency ?? CopyOptions.DefaultConcurrency));
            Mode = source.FullName == destination.FullName ? CopyMode.SameRepository
                : source.Registry == destination.Registry ? CopyMode.SameRegistry
                : CopyMode.OtherRegistry;
        }

        public CopyMode Mode { get; }

        public void Dispose() => _gate.Dispose();

        public ConcurrentDictionary<Digest, BlobCopy> Blobs { get; } = new();

        public List<ManifestCopy> Manifests { get; } = [];

        public List<string> SignatureTags { get; } = [];

        public List<Digest> Referrers { get; } = [];

        private IRegistryClient Client => _copier._client;

        private ILogger Logger => _copier._logger;

        /// <summary>Children (and blobs) first, then <paramref name="manifest"/> under <paramref name="tag"/> (by digest when null).</summary>
        public async Task CopyTreeAsync(RegistryManifest manifest, string? tag)
        {
            if (Mode != CopyMode.SameRepository)
            {
                if (manifest.Document.IsIndex)
                {
                    // Children one after another (each one's blobs in parallel): the gate bounds the requests either way.
                    foreach (var child in manifest.Document.Manifests)
                    {
                        var childManifest = await Client.GetManifestAsync(_source.With(null, child.Digest), _cancellationToken).ConfigureAwait(false)
                            ?? throw new RegistryException(
                                $"registry {_source.Registry} has no manifest {child.Digest} in {_source.Repository}, which the index {manifest.Digest} names: the source image is incomplete",
                                _source.Registry, _source.Repository, null);
                        await CopyTreeAsync(childManifest, tag: null).ConfigureAwait(false);
                    }
                }
                else
                {
                    var blobs = new List<Descriptor>();
                    if (manifest.Document.Config is { } config)
                    {
                        blobs.Add(config);
                    }

                    // Foreign layers (Windows base layers) live elsewhere: registries do not hold them.
                    blobs.AddRange(manifest.Document.Layers.Where(layer => !layer.MediaType.Contains("foreign", StringComparison.Ordinal)));
                    await Task.WhenAll(blobs.Select(blob => _pending.GetOrAdd(blob.Digest, _ => new Lazy<Task<BlobCopy>>(() => CopyBlobAsync(blob))).Value)).ConfigureAwait(false);
                }
            }

            await PutAsync(manifest, tag).ConfigureAwait(false);
        }

        /// <summary>The referrers and signature tags of every manifest copied, each copied as its own tree.</summary>
        public async Task CopySignaturesAsync()
        {
            var subjects = Manifests.Select(manifest => manifest.Digest).Distinct().ToList();
            var tags = await Client.ListTagsAsync(_source, _cancellationToken).ConfigureAwait(false);
            var wanted = new HashSet<string>(subjects.Select(SignatureTagPrefix), StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                if (IsSignatureTag(tag, out var subject) && wanted.Contains(SignatureTagPrefix(subject!)))
                {
                    var signature = await Client.GetManifestAsync(_source.With(tag, null), _cancellationToken).ConfigureAwait(false);
                    if (signature is not null)
                    {
                        await CopyTreeAsync(signature, tag).ConfigureAwait(false);
                        SignatureTags.Add(tag);
                        Logger.LogInformation("copied signature tag {Tag} ({Digest})", tag, signature.Digest);
                    }
                }
            }

            foreach (var subject in subjects)
            {
                foreach (var referrer in await Client.GetReferrersAsync(_source, subject, _cancellationToken).ConfigureAwait(false))
                {
                    if (Referrers.Contains(referrer.Digest))
                    {
                        continue;
                    }

                    var artifact = await Client.GetManifestAsync(_source.With(null, referrer.Digest), _cancellationToken).ConfigureAwait(false);
                    if (artifact is not null)
                    {
                        await CopyTreeAsync(artifact, tag: null).ConfigureAwait(false);
                        Referrers.Add(referrer.Digest);
                        Logger.LogInformation("copied referrer {Digest} ({ArtifactType}) of {Subject}", referrer.Digest, referrer.ArtifactType ?? artifact.Document.ArtifactType ?? artifact.MediaType, subject);
                    }
                }
            }
        }

        private async Task PutAsync(RegistryManifest manifest, string? tag)
        {
            if (!_copiedManifests.Add(manifest.Digest) && tag is null)
            {
                return;
            }

            var target = _destination.With(tag, tag is null ? manifest.Digest : null);
            var name = tag ?? manifest.Digest.ToString();

            // A child already there by digest is done (a rerun); a tag is always put, the caller decided it may move.
            if (tag is null)
            {
                var existing = await Gated(() => Client.HeadManifestAsync(target, _cancellationToken)).ConfigureAwait(false);
                if (existing?.Digest == manifest.Digest)
                {
                    Manifests.Add(new ManifestCopy(manifest.Digest, manifest.MediaType, name, Existed: true));
                    return;
                }
            }

            var stored = await Gated(() => Client.PutManifestAsync(target, manifest.MediaType, manifest.Body, _cancellationToken)).ConfigureAwait(false);
            if (stored != manifest.Digest)
            {
                throw new RegistryException(
                    $"registry {_destination.Registry} stored {_destination.Repository}:{name} as {stored}, not {manifest.Digest}: it changed the image, so it is not the one promoted",
                    _destination.Registry, _destination.Repository, null);
            }

            Manifests.Add(new ManifestCopy(manifest.Digest, manifest.MediaType, name, Existed: false));
        }

        private async Task<BlobCopy> CopyBlobAsync(Descriptor blob)
        {
            var result = await Gated(async () =>
            {
                if (await Client.HeadBlobAsync(_destination, blob.Digest, _cancellationToken).ConfigureAwait(false) is { } size)
                {
                    return new BlobCopy(blob.Digest, size > 0 ? size : blob.Size, BlobAction.Skipped);
                }

                if (Mode == CopyMode.SameRegistry && await Client.MountBlobAsync(_destination, blob.Digest, _source.Repository, _cancellationToken).ConfigureAwait(false))
                {
                    return new BlobCopy(blob.Digest, blob.Size, BlobAction.Mounted);
                }

                // Streamed: the layer is never held in memory or on disk.
                await using var content = await Client.OpenBlobAsync(_source, blob.Digest, _cancellationToken).ConfigureAwait(false);
                await Client.PushBlobAsync(_destination, blob.Digest, blob.Size, content, _cancellationToken).ConfigureAwait(false);
                return new BlobCopy(blob.Digest, blob.Size, BlobAction.Copied);
            }).ConfigureAwait(false);
            Blobs[blob.Digest] = result;
            Logger.LogInformation(
                "{Action} blob {Digest} ({Size}) {Where} {Destination}",
                result.Action switch { BlobAction.Copied => "copied", BlobAction.Mounted => "mounted", _ => "skipped" },
                blob.Digest,
                FormatSize(result.Size),
                result.Action == BlobAction.Skipped ? "already in" : "to",
                _destination.Name);
            return result;
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
    }

    /// <summary><c>512 B</c>, <c>12.3 KiB</c>, <c>50.0 MiB</c>.</summary>
    public static string FormatSize(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024:0.0} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024 / 1024:0.00} GiB"),
    };
}
