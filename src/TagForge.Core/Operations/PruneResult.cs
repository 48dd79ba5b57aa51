using TagForge.Errors;
using TagForge.Values;

namespace TagForge.Operations;

/// <summary>One tag of the plan.</summary>
/// <param name="Tag">The tag.</param>
/// <param name="Digest">The manifest it points at (deleting removes every tag of it).</param>
/// <param name="Created">The image's created time, when known.</param>
/// <param name="Keep">True when something keeps it.</param>
/// <param name="Reasons">Why it is kept, or why it may go.</param>
public sealed record PruneEntry(string Tag, Digest Digest, DateTimeOffset? Created, bool Keep, IReadOnlyList<string> Reasons);

/// <summary>A digest the keep set references that the repository no longer holds (<c>--check</c>).</summary>
/// <param name="Digest">The digest.</param>
/// <param name="Reasons">Who references it (record, file and line).</param>
public sealed record PruneMissing(Digest Digest, IReadOnlyList<string> Reasons);

/// <summary>What a prune planned, checked and deleted.</summary>
public sealed record PruneResult
{
    /// <summary>The repository.</summary>
    public required ImageReference Repository { get; init; }

    /// <summary>Every tag with its decision, newest first.</summary>
    public required IReadOnlyList<PruneEntry> Entries { get; init; }

    /// <summary>The digests the plan may delete.</summary>
    public required IReadOnlyList<Digest> Deletable { get; init; }

    /// <summary>The digests deleted (<see cref="PruneRequest.Apply"/>).</summary>
    public IReadOnlyList<Digest> Deleted { get; init; } = [];

    /// <summary>Deletable digests the registry answered 404 for when deleted: someone else deleted them first.</summary>
    public IReadOnlyList<Digest> AlreadyGone { get; init; } = [];

    /// <summary>Registry requests the plan made (the benchmark prints them per tag).</summary>
    public int PlanRequests { get; init; }

    /// <summary>Deletable digests the keep set (or a new tag) came to reference between planning and deleting: left alone.</summary>
    public IReadOnlyList<Digest> Spared { get; init; } = [];

    /// <summary>With <see cref="PruneRequest.Check"/>: referenced digests that are already gone.</summary>
    public IReadOnlyList<PruneMissing> Missing { get; init; } = [];

    /// <summary>True when <see cref="PruneRequest.Apply"/> was given.</summary>
    public bool Applied { get; init; }

    /// <summary>One line: how many tags and digests, kept and deletable (or deleted).</summary>
    public required string Summary { get; init; }

    /// <summary>3 when a referenced digest is missing, else 0.</summary>
    public ExitCode ExitCode => Missing.Count > 0 ? ExitCode.PolicyRefusal : ExitCode.Ok;
}
