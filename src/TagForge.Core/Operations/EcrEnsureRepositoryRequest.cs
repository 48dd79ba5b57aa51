using TagForge.Ecr;

namespace TagForge.Operations;

/// <summary>The ECR repository <see cref="EcrEnsureRepositoryOperation"/> makes sure exists, and how to create it.</summary>
public sealed record EcrEnsureRepositoryRequest
{
    /// <summary>The repository: <c>app</c>, <c>team/app</c> (in the caller's own registry) or <c>&lt;account&gt;.dkr.ecr.&lt;region&gt;.amazonaws.com/app</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Create it with IMMUTABLE tags (ECR then refuses to move a tag); an existing repository is not changed.</summary>
    public bool ImmutableTags { get; init; }

    /// <summary>Create it with scan on push.</summary>
    public bool ScanOnPush { get; init; }

    /// <summary>How ECR is recognised and reached (<c>--ecr</c>, <c>--region</c>, <c>--endpoint-url</c>); host detection and the standard endpoints when null.</summary>
    public EcrSettings? Ecr { get; init; }
}
