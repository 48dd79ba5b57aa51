namespace TagForge.Operations;

/// <summary>Find references a deployment cannot rely on (<c>tagforge lint</c>).</summary>
public sealed record LintRequest : DeploymentRequest
{
    /// <summary>Tags that move; <see cref="Pinning.Linter.DefaultFloatingTags"/> when null.</summary>
    public IReadOnlyList<string>? FloatingTags { get; init; }
}
