using TagForge.IO;

namespace TagForge.Ci;

/// <summary>Buildkite. <c>BUILDKITE_PULL_REQUEST</c> is <c>false</c> outside pull-request builds.</summary>
public sealed class BuildkiteProvider : ICiProvider
{
    /// <inheritdoc />
    public string Name => "buildkite";

    /// <inheritdoc />
    public bool IsActive(IEnvironmentVariables environment) => environment.Read("BUILDKITE") == "true";

    /// <inheritdoc />
    public CiContext Read(IEnvironmentVariables environment) => new(
        Name,
        BuildNumber: environment.Read("BUILDKITE_BUILD_NUMBER"),
        Commit: environment.Read("BUILDKITE_COMMIT") is { } commit && commit != "HEAD" ? commit : null,
        Branch: environment.Read("BUILDKITE_BRANCH"),
        PullRequest: CiVariables.PullRequestNumber(environment.Read("BUILDKITE_PULL_REQUEST")),
        BuildUrl: environment.Read("BUILDKITE_BUILD_URL"));
}
