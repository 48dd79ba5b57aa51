using TagForge.Services;

namespace TagForge.Operations;

/// <summary>
/// Put a tested image under another tag, repository or registry without changing its digest (<c>tagforge promote</c>).
/// </summary>
public sealed record PromoteRequest
{
    /// <summary><c>repo:tag</c> or <c>repo@digest</c>; null when <see cref="Image"/> picks a record entry.</summary>
    public string? Source { get; init; }

    /// <summary>A tag (in the source's repository), or <c>repo[:tag]</c> in the same or another registry.</summary>
    public required string Destination { get; init; }

    /// <summary>The build record: where the promotion is recorded and, with <see cref="Image"/>, where the source is read.</summary>
    public string? Record { get; init; }

    /// <summary>The record entry to promote (its <c>name</c> from tagforge.yml, or its repository); needs <see cref="Record"/> (tagforge.json when null).</summary>
    public string? Image { get; init; }

    /// <summary>Do not copy the OCI referrers and <c>sha256-HEX.sig|.att|.sbom</c> tags with the image.</summary>
    public bool NoSignatures { get; init; }

    /// <summary>
    /// Replace the destination's <c>sha256-HEX.sig|.att|.sbom</c> and referrers tags that hold another digest than the
    /// source's (without: they are left as they are, with a warning).
    /// </summary>
    public bool ReplaceSignatures { get; init; }

    /// <summary>Move a destination tag that holds another image (exit 3 without).</summary>
    public bool AllowOverwrite { get; init; }

    /// <summary>
    /// With <see cref="AllowOverwrite"/>: the tag the image being replaced is kept under first, e.g.
    /// <c>{tag}-previous</c> or <c>backup-{tag}-{digest}</c> (<c>{tag}</c> the destination tag, <c>{digest}</c> the first
    /// 12 hex characters of the replaced digest).
    /// </summary>
    public string? BackupTag { get; init; }

    /// <summary>A dotenv file to write (<c>IMAGE_TAG</c>, <c>IMAGE_DIGEST</c>, <c>IMAGE_REF</c> of the destination).</summary>
    public string? Dotenv { get; init; }

    /// <summary>Registry requests in flight at once; <c>TAGFORGE_REGISTRY_CONCURRENCY</c>, else 8 (<see cref="Registry.RegistryConcurrency.Default"/>), when null.</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>Credentials, plain-http registries and ECR; TagForge's credential chain alone when null.</summary>
    public RegistryAccess? Registry { get; init; }

    /// <summary>Why this request cannot run (the same words for the command line and a build script); null when it can.</summary>
    public string? Problem() =>
        BackupTag is not null && !AllowOverwrite ? "--backup-tag only applies with --allow-overwrite (SetBackupTag with EnableAllowOverwrite)" : null;
}
