using TagForge.Services;

namespace TagForge.Operations;

/// <summary>Check that every digest-pinned image of deployment files still exists in its registry (<c>tagforge verify</c>).</summary>
public sealed record VerifyRequest : DeploymentRequest
{
    /// <summary>Registry requests in flight at once (<c>--max-concurrency</c>); else <c>TAGFORGE_REGISTRY_CONCURRENCY</c>, else 8.</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>Credentials, plain-http registries and ECR; TagForge's credential chain alone when null.</summary>
    public RegistryAccess? Registry { get; init; }
}
