using TagForge.IO;

namespace TagForge.Ci;

/// <summary>Jenkins (freestyle and pipeline jobs; multibranch jobs add <c>BRANCH_NAME</c> and <c>CHANGE_*</c>).</summary>
public sealed class JenkinsProvider : ICiProvider
{
    /// <inheritdoc />
    public string Name => "jenkins";

    /// <inheritdoc />
    public bool IsActive(IEnvironmentVariables environment) =>
        environment.Read("JENKINS_URL") is not null || environment.Read("JENKINS_HOME") is not null;

    /// <inheritdoc />
    public CiContext Read(IEnvironmentVariables environment) => new(
        Name,
        BuildNumber: environment.Read("BUILD_NUMBER"),
        Commit: environment.Read("GIT_COMMIT"),
        // In a multibranch pull-request job BRANCH_NAME is "PR-12"; CHANGE_BRANCH is the source branch.
        Branch: environment.Read("CHANGE_BRANCH") ?? environment.Read("BRANCH_NAME") ?? CiVariables.ShortBranch(environment.Read("GIT_BRANCH")),
        PullRequest: environment.Read("CHANGE_ID"),
        BuildUrl: environment.Read("BUILD_URL"));
}
