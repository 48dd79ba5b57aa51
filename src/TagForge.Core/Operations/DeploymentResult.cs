using TagForge.Errors;
using TagForge.Pinning;

namespace TagForge.Operations;

/// <summary>What every deployment-file operation reports, and the exit code it adds up to.</summary>
public abstract record DeploymentResult
{
    /// <summary>The files read, in path order, with what was done to each.</summary>
    public IReadOnlyList<FileOutcome> Files { get; init; } = [];

    /// <summary>One message per bad path or file (missing, unreadable, unparsable, not writable); the others were still processed.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>What the check found, in file order.</summary>
    public IReadOnlyList<Finding> Findings { get; init; } = [];

    /// <summary>References that could not be checked because a registry failed: never "missing".</summary>
    public IReadOnlyList<Finding> Failures { get; init; } = [];

    /// <summary>Things the caller should say loudly that are not findings (a pin that matched nothing).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>One line summing up ("pinned 4 images in 2 files"); null when there is nothing to sum up.</summary>
    public string? Summary { get; init; }

    /// <summary>2 if a file was bad, else 1 if a registry failed, else 3 for an error finding, else 0.</summary>
    public ExitCode ExitCode =>
        Errors.Count > 0 ? ExitCode.BadInput
        : Failures.Count > 0 ? ExitCode.ExternalFailure
        : Findings.Any(finding => finding.Severity == FindingSeverity.Error) ? ExitCode.PolicyRefusal
        : ExitCode.Ok;
}
