namespace TagForge.Operations;

/// <summary>The outcome of <see cref="EcrEnsureRepositoryOperation"/>.</summary>
/// <param name="Repository">The repository name (<c>team/app</c>).</param>
/// <param name="Uri">Its URI as ECR gives it (<c>&lt;account&gt;.dkr.ecr.&lt;region&gt;.amazonaws.com/team/app</c>).</param>
/// <param name="TagMutability"><c>MUTABLE</c> or <c>IMMUTABLE</c>, ECR's word.</param>
/// <param name="ScanOnPush">True when ECR scans images on push.</param>
/// <param name="Created">True when the operation created it; false when it existed.</param>
/// <param name="KeptMutableTags">True when IMMUTABLE tags were asked for but the repository existed with MUTABLE ones (an existing repository is never changed).</param>
public sealed record EcrEnsureRepositoryResult(string Repository, string Uri, string TagMutability, bool ScanOnPush, bool Created, bool KeptMutableTags);
