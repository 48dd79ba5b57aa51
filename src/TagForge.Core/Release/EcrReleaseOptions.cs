using TagForge.Ecr;
namespace TagForge.Release;

/// <summary>
/// The ECR options of a release or push (<c>--ecr</c>, <c>--region</c>, <c>--endpoint-url</c>, <c>--create-repo</c>,
/// <c>--immutable-tags</c>), for <see cref="Release.ReleaseRunner.RunAsync"/>.
/// </summary>
/// <param name="Settings">How ECR is detected and reached.</param>
/// <param name="CreateRepository">Create the repository when it is missing.</param>
/// <param name="ImmutableTags">With <paramref name="CreateRepository"/>, create it with IMMUTABLE tags.</param>
public sealed record EcrReleaseOptions(EcrSettings Settings, bool CreateRepository = false, bool ImmutableTags = false)
{
    /// <summary>How the caller names <see cref="CreateRepository"/> in messages (the CLI's <c>--create-repo</c> by default).</summary>
    public string CreateRepositoryName { get; init; } = "--create-repo";

    /// <summary>How the caller names <see cref="EcrSettings.Force"/> in messages (the CLI's <c>--ecr</c> by default).</summary>
    public string ForceName { get; init; } = "pass --ecr";
}
