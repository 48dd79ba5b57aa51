using TagForge.IO;

namespace TagForge.Ci;

/// <summary>CircleCI.</summary>
public sealed class CircleCiProvider : ICiProvider
{
    /// <inheritdoc />
    public string Name => "circleci";

    /// <inheritdoc />
    public bool IsActive(IEnvironmentVariables environment) => environment.Read("CIRCLECI") == "true";

    /// <inheritdoc />
    public CiContext Read(IEnvironmentVariables environment) => new(
        Name,
        BuildNumber: environment.Read("CIRCLE_BUILD_NUM"),
        Commit: environment.Read("CIRCLE_SHA1"),
        Branch: environment.Read("CIRCLE_BRANCH"),
        PullRequest: environment.Read("CIRCLE_PR_NUMBER") ?? CiVariables.PullRequestNumber(environment.Read("CIRCLE_PULL_REQUEST")),
        BuildUrl: environment.Read("CIRCLE_BUILD_URL"));
}
