using TagForge.IO;

namespace TagForge.Ci;

/// <summary>GitLab CI/CD. Merge-request pipelines name the source branch and its head commit separately.</summary>
public sealed class GitLabProvider : ICiProvider
{
    /// <inheritdoc />
    public string Name => "gitlab";

    /// <inheritdoc />
    public bool IsActive(IEnvironmentVariables environment) => environment.Read("GITLAB_CI") == "true";

    /// <inheritdoc />
    public CiContext Read(IEnvironmentVariables environment) => new(
        Name,
        BuildNumber: environment.Read("CI_PIPELINE_IID"),
        Commit: environment.Read("CI_COMMIT_SHA"),
        PullRequestHeadCommit: environment.Read("CI_MERGE_REQUEST_SOURCE_BRANCH_SHA"),
        Branch: environment.Read("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME") ?? environment.Read("CI_COMMIT_BRANCH") ?? environment.Read("CI_COMMIT_REF_NAME"),
        PullRequest: environment.Read("CI_MERGE_REQUEST_IID"),
        BuildUrl: environment.Read("CI_PIPELINE_URL") ?? environment.Read("CI_JOB_URL"));
}
