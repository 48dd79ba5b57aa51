using TagForge.Errors;
using TagForge.Records;

namespace TagForge.Engine;

/// <summary>What became of one image of a <see cref="MonorepoRequest"/>.</summary>
public enum ImageOutcomeKind
{
    /// <summary>Built and pushed (or the registry held this very build already).</summary>
    Built,

    /// <summary>Not built: the registry already held its content, whose digest is recorded.</summary>
    Reused,

    /// <summary>The release of this image failed.</summary>
    Failed,

    /// <summary>Not attempted: an image it depends on failed.</summary>
    Skipped,
}

/// <summary>One image's line of the summary.</summary>
/// <param name="Name">The <c>images:</c> name.</param>
/// <param name="Repository">The repository.</param>
/// <param name="Kind">Built, reused, failed or skipped.</param>
/// <param name="Record">The record entry (built or reused), else null.</param>
/// <param name="ExitCode">The exit code of the failure; <see cref="ExitCode.Ok"/> otherwise.</param>
/// <param name="Message">Why it failed or was skipped.</param>
public sealed record ImageOutcome(string Name, string Repository, ImageOutcomeKind Kind, ImageRecord? Record, ExitCode ExitCode, string? Message)
{
    /// <summary>The tag released (or reused), when there is one.</summary>
    public string? Tag => Record?.Tag;

    /// <summary>The digest recorded, when there is one.</summary>
    public string? Digest => Record?.Digest;

    /// <summary>False when nothing was pushed: reused, or the registry held this very build under its tag (a rerun).</summary>
    public bool Pushed { get; init; }

    /// <summary>The builder, when it is not the local docker engine (for the summary of one image).</summary>
    public string? BuiltWith { get; init; }
}

/// <summary>What <see cref="ReleaseEngine"/> did, in dependency order.</summary>
/// <param name="Images">One outcome per image released.</param>
/// <param name="RecordPath">The record the entries went into, as given; null without one.</param>
public sealed record MonorepoResult(IReadOnlyList<ImageOutcome> Images, string? RecordPath)
{
    /// <summary>The worst exit code of the images (0 when all were built or reused).</summary>
    public ExitCode ExitCode => Images.Count == 0 ? ExitCode.Ok : Images.Max(image => image.ExitCode);
}
