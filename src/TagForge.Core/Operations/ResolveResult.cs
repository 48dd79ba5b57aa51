using TagForge.Pinning;

namespace TagForge.Operations;

/// <summary>What <see cref="ResolveOperation"/> did: tags a registry does not hold are error findings; nothing is written if a registry failed.</summary>
public sealed record ResolveResult : DeploymentResult
{
    /// <summary>Each file's resolved text and the references that changed in it, in path order.</summary>
    public IReadOnlyList<PinnedFile> Pins { get; init; } = [];

    /// <summary>Distinct registry requests made (one per distinct <c>repository:tag</c>).</summary>
    public int Requests { get; init; }
}
