namespace TagForge.Operations;

/// <summary>What <see cref="VerifyOperation"/> found: each missing digest is an error finding, each reference a registry could not answer a failure.</summary>
public sealed record VerifyResult : DeploymentResult
{
    /// <summary>Digest-pinned references in the files.</summary>
    public int Pinned { get; init; }

    /// <summary>Distinct registry requests made (one per distinct <c>repository@digest</c>).</summary>
    public int Requests { get; init; }
}
