using TagForge.Errors;
using TagForge.Pinning;

namespace TagForge.Tasks;

/// <summary>
/// A check found problems (lint: floating references; verify: missing digests; pin check: unpinned images). The
/// message names the first; <see cref="Findings"/> holds them all, e.g. to report them in a build log.
/// </summary>
public sealed class FindingsException : PolicyRefusalException
{
    /// <summary>Creates the exception for <paramref name="findings"/> (at least one).</summary>
    public FindingsException(IReadOnlyList<Finding> findings)
        : base(Describe(findings)) => Findings = findings;

    /// <summary>Every finding, in file order.</summary>
    public IReadOnlyList<Finding> Findings { get; }

    private static string Describe(IReadOnlyList<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var first = findings[0];
        var more = findings.Count > 1 ? $" (and {findings.Count - 1} more)" : "";
        return $"{first.File}:{first.Line}:{first.Column}: {first.Message}{more}";
    }
}
