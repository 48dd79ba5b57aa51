using TagForge.Pinning;

namespace TagForge.Operations;

/// <summary>What <see cref="PinOperation"/> did: with <see cref="PinRequest.Check"/>, the unpinned references as findings.</summary>
public sealed record PinResult : DeploymentResult
{
    /// <summary>Each file's new text and the references that changed in it, in path order.</summary>
    public IReadOnlyList<PinnedFile> Pins { get; init; } = [];
}
