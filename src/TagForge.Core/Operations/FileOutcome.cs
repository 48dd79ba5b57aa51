using TagForge.Pinning;

namespace TagForge.Operations;

/// <summary>What an operation did with one deployment file that it could read.</summary>
/// <param name="File">The file as named in the request (or found under a directory it named).</param>
public sealed record FileOutcome(string File)
{
    /// <summary>The references written (or, in a dry run, that would be).</summary>
    public IReadOnlyList<PinChange> Changes { get; init; } = [];

    /// <summary>Text for the caller's output: the unified diff of a dry run, or the pinned text of <c>-</c> (BOM kept).</summary>
    public string? Output { get; init; }

    /// <summary>One line saying what was written ("pinned 3 images in k8s/app.yaml").</summary>
    public string? Note { get; init; }
}
