namespace TagForge.Ci;

/// <summary>
/// What a CI system (or a laptop) says about the build that is running. Every value is optional: each system
/// gives a different subset, and <see cref="Provider"/> is <c>local</c> outside CI.
/// </summary>
/// <param name="Provider">A stable id: <c>jenkins</c>, <c>github-actions</c>, <c>gitlab</c>, <c>azure-pipelines</c>,
/// <c>teamcity</c>, <c>circleci</c>, <c>bitbucket</c>, <c>buildkite</c> or <c>local</c>.</param>
/// <param name="BuildNumber">The build's number as the CI system counts it.</param>
/// <param name="Commit">The commit the CI system says it builds.</param>
/// <param name="PullRequestHeadCommit">For a pull-request build, the head of the pull request: the commit a
/// person pushed, not the synthetic merge commit some systems check out.</param>
/// <param name="Branch">The branch being built (the pull request's source branch for pull-request builds).</param>
/// <param name="PullRequest">The pull or merge request's number.</param>
/// <param name="BuildUrl">A link to the build's page.</param>
public sealed record CiContext(
    string Provider,
    string? BuildNumber = null,
    string? Commit = null,
    string? PullRequestHeadCommit = null,
    string? Branch = null,
    string? PullRequest = null,
    string? BuildUrl = null)
{
    /// <summary>The provider id used outside any CI system.</summary>
    public const string LocalProvider = "local";

    /// <summary>True when no CI system was detected.</summary>
    public bool IsLocal => Provider == LocalProvider;
}
