using TagForge.Pinning;
using TagForge.Services;

namespace TagForge.Operations;

/// <summary>Pin every image of deployment files, in a record or not, to the digest its registry holds now (<c>tagforge resolve</c>).</summary>
public sealed record ResolveRequest : DeploymentRequest
{
    /// <summary>How references are written; <see cref="PinStyle.TagDigest"/> (keep the tag as written) when null.</summary>
    public PinStyle? Style { get; init; }

    /// <summary>Compute the changes as a diff and write nothing.</summary>
    public bool? DryRun { get; init; }

    /// <summary>Registry requests in flight at once (<c>--max-concurrency</c>); else <c>TAGFORGE_REGISTRY_CONCURRENCY</c>, else 8.</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>Credentials, plain-http registries and ECR; TagForge's credential chain alone when null.</summary>
    public RegistryAccess? Registry { get; init; }
}
