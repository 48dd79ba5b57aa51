using TagForge.Pinning;

namespace TagForge.Operations;

/// <summary>Pin deployment files to the digests in a build record (<c>tagforge pin</c>).</summary>
public sealed record PinRequest : DeploymentRequest
{
    /// <summary>The build record to pin from; <c>tagforge.json</c> when null.</summary>
    public string? Record { get; init; }

    /// <summary>How references are written; <see cref="PinStyle.TagDigest"/> when null.</summary>
    public PinStyle? Style { get; init; }

    /// <summary>Compute the changes as a diff and write nothing.</summary>
    public bool? DryRun { get; init; }

    /// <summary>Write nothing; find every reference not pinned to the record's digest.</summary>
    public bool? Check { get; init; }

    /// <summary>Files worked on at once; the default when null. Tests set 1 to compare a parallel run with a sequential one.</summary>
    internal int? MaxWorkers { get; init; }
}
