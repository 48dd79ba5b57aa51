using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TagForge.Values;

namespace TagForge.Registry;

/// <summary>
/// Copies an image (a manifest or an index with every child) from one repository to another without changing its
/// digest, in an order that never shows a half-copied image under a tag: first every blob (within one registry
/// mounted, across registries HEADed and only the missing ones streamed), then every manifest by digest (children
/// before the index), then the signatures, attestations, SBOMs and referrers (their manifests by digest, then their
/// tags, each through <see cref="GuardedTagWrite"/>), and the destination tag last. A manifest the destination already
/// holds is not put again (nor its blobs sent), so a rerun after an interruption finishes what is missing and resends
/// nothing. Layers with <c>urls</c> (non-distributable, foreign) keep their descriptor and are not copied, as
/// <c>skopeo copy</c> does. Only registry clients are used: no daemon, no local storage.
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

    /// <summary>The <c>sha256-HEX</c> prefix signature tags of <paramref name="digest"/> start with (and the referrers-schema tag is).</summary>
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
    /// True when <paramref name="tag"/> is an OCI 1.1 referrers-tag-schema tag (<c>sha256-HEX</c>, no suffix: the index of
    /// referrers clients write where the registry has no referrers API); <paramref name="subject"/> is its digest.
    /// </summary>
    public static bool IsReferrersTag(string tag, out Digest? subject)
    {
        ArgumentNullException.ThrowIfNull(tag);
        subject = null;
        var dash = tag.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && !tag.Contains('.', StringComparison.Ordinal)
            && Digest.TryParse(string.Concat(tag.AsSpan(0, dash), ":", tag.AsSpan(dash + 1)), out subject);
    }

    /// <summary>
    /// Copies <paramref name="manifest"/> (read from <paramref name="source"/>'s repository) to
    /// <paramref name="destination"/>, with its signatures unless turned off, and writes <paramref name="destination"/>'s
    /// tag last through <see cref="GuardedTagWrite"/> under <paramref name="tagPolicy"/> (refuse another digest when null).
    /// Without a tag the image is copied by digest only.
    /// </summary>
    /// <exception cref="RegistryException">A registry failed, or the destination stored another digest (exit 1).</exception>
    /// <exception cref="Errors.PolicyRefusalException">The destination tag holds another digest and the policy refuses to move it (exit 3).</exception>
    public async Task<CopyReport> CopyAsync(
        RegistryManifest manifest, ImageReference source, ImageReference destination, TagWritePolicy? tagPolicy = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        using var run = new ImageCopyRun(_client, _logger, _options, source.With(null, null), destination.With(null, null), cancellationToken);
        return await run.CopyAsync(manifest, destination.Tag, tagPolicy ?? new TagWritePolicy()).ConfigureAwait(false);
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
