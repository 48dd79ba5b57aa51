using TagForge.IO;
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
/// <param name="MaxConcurrency">Blob transfers (and registry requests) in flight at once per copy; <see cref="RegistryConcurrency.Default"/> when null.</param>
/// <param name="Signatures">
/// Also copy what belongs to each digest copied: its <c>sha256-HEX.sig|.att|.sbom</c> tags, its OCI 1.1 referrers-tag-schema
/// tag <c>sha256-HEX</c>, and its referrers (the referrers API).
/// </param>
/// <param name="SignatureConflict">
/// A signature or referrers tag at the destination that holds another digest: left as it is and reported
/// (<see cref="TagConflict.Keep"/>, the default) or replaced (<see cref="TagConflict.Replace"/>).
/// </param>
/// <param name="Progress">Where the blob transfer reports bytes and blobs done; none when null.</param>
/// <param name="Clock">The clock of the progress reports; the system's when null.</param>
public sealed record CopyOptions(
    int? MaxConcurrency = null,
    bool Signatures = true,
    TagConflict SignatureConflict = TagConflict.Keep,
    IProgress<ProgressUpdate>? Progress = null,
    TimeProvider? Clock = null)
{
    /// <summary>The default number of requests in flight at once to one registry (<see cref="RegistryConcurrency.Default"/>).</summary>
    public const int DefaultConcurrency = RegistryConcurrency.Default;
}

/// <summary>What a copy did.</summary>
/// <param name="Digest">The digest of the image copied (the same at both ends).</param>
/// <param name="Blobs">Every blob, once, with what was done.</param>
/// <param name="Manifests">Every manifest put or found (children first, then signatures, the destination tag last).</param>
/// <param name="SignatureTags">The <c>sha256-HEX.sig|.att|.sbom</c> and referrers-schema tags that hold the source's digest at the destination.</param>
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

    /// <summary>Signature and referrers tags at the destination that hold another digest and were left as they are.</summary>
    public IReadOnlyList<TagWriteOutcome> LeftAlone { get; init; } = [];

    /// <summary>Layers with <c>urls</c> (non-distributable, foreign) whose descriptors were kept and blobs not copied.</summary>
    public IReadOnlyList<Digest> ExternalLayers { get; init; } = [];

    /// <summary>The write of the destination tag, the last step; null when the copy was by digest only.</summary>
    public TagWriteOutcome? Tag { get; init; }

    /// <summary>True when the copy put nothing: every blob, manifest and tag was already at the destination.</summary>
    public bool NothingDone =>
        Blobs.All(blob => blob.Action == BlobAction.Skipped)
        && Manifests.All(manifest => manifest.Existed)
        && Tag?.Result is null or TagWriteResult.AlreadyThere;
}
