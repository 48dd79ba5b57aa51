using TagForge.Records;
using TagForge.Registry;
using TagForge.Values;

namespace TagForge.Operations;

/// <summary>How a promotion moved the image.</summary>
public enum PromoteKind
{
    /// <summary>Another tag in the same repository: only the manifest was put.</summary>
    Retag,

    /// <summary>Another repository of the same registry: blobs mounted.</summary>
    Mount,

    /// <summary>Another registry: missing blobs streamed.</summary>
    Copy,
}

/// <summary>What a promotion did.</summary>
public sealed record PromoteResult
{
    /// <summary>The image promoted, as resolved (<c>repo@digest</c> with the tag asked for, if any).</summary>
    public required ImageReference Source { get; init; }

    /// <summary>Where it went (<c>repo:tag</c>).</summary>
    public required ImageReference Destination { get; init; }

    /// <summary>The digest, the same at both ends.</summary>
    public required Digest Digest { get; init; }

    /// <summary>Retag, mount or copy.</summary>
    public required PromoteKind Kind { get; init; }

    /// <summary>True when the destination already held this digest and everything that belongs to it: nothing was done.</summary>
    public bool AlreadyThere { get; init; }

    /// <summary>The tag the replaced image was kept under (<see cref="PromoteRequest.BackupTag"/>), when one was.</summary>
    public string? BackupTag { get; init; }

    /// <summary>The digest the destination tag held before, when it was replaced.</summary>
    public Digest? Replaced { get; init; }

    /// <summary>What was copied, mounted, skipped and left alone.</summary>
    public CopyReport? Copy { get; init; }

    /// <summary>The promotion entry written to the record, when one was.</summary>
    public PromotionRecord? Recorded { get; init; }

    /// <summary>The record written, when one was.</summary>
    public string? RecordPath { get; init; }

    /// <summary>The dotenv file and GitHub files written.</summary>
    public IReadOnlyList<string> Outputs { get; init; } = [];
}
