using TagForge.IO;

namespace TagForge.Ci;

public class CiDetectorTests
{
    private static CiContext Detect(params (string Name, string Value)[] variables) =>
        CiDetector.Detect(new DictionaryEnvironment(variables.ToDictionary(v => v.Name, v => v.Value)));

    [Fact]
    public void Reports_local_outside_ci()
    {
        var context = Detect(("HOME", "/home/dev"));

        Assert.True(context.IsLocal);
        Assert.Null(context.BuildNumber);
    }

    [Fact]
    public void Reads_jenkins_multibranch_pull_request_variables()
    {
        var context = Detect(
            ("JENKINS_URL", "https://ci.example/"),
            ("BUILD_NUMBER", "7"),
            ("GIT_COMMIT", "4cf86b71aaaa"),
            ("BRANCH_NAME", "PR-12"),
            ("CHANGE_ID", "12"),
            ("CHANGE_BRANCH", "feature/x"),
            ("BUILD_URL", "https://ci.example/job/app/7/"));

        Assert.Equal(new CiContext("jenkins", "7", "4cf86b71aaaa", null, "feature/x", "12", "https://ci.example/job/app/7/"), context);
    }

    [Fact]
    public void Reads_jenkins_freestyle_branch_from_git_branch()
    {
        var context = Detect(("JENKINS_URL", "https://ci/"), ("BUILD_NUMBER", "3"), ("GIT_BRANCH", "origin/release/2"));

        Assert.Equal("release/2", context.Branch);
    }

    [Fact]
    public void Reads_github_actions_push_and_appends_rerun_attempts()
    {
        var context = Detect(
            ("GITHUB_ACTIONS", "true"),
            ("GITHUB_RUN_NUMBER", "41"),
            ("GITHUB_RUN_ATTEMPT", "2"),
            ("GITHUB_RUN_ID", "998877"),
            ("GITHUB_REPOSITORY", "acme/app"),
            ("GITHUB_SERVER_URL", "https://github.com"),
            ("GITHUB_SHA", "abc123"),
            ("GITHUB_REF", "refs/heads/main"),
            ("GITHUB_REF_NAME", "main"),
            ("GITHUB_REF_TYPE", "branch"),
            ("GITHUB_EVENT_NAME", "push"));

        Assert.Equal(new CiContext("github-actions", "41.2", "abc123", null, "main", null, "https://github.com/acme/app/actions/runs/998877"), context);
    }

    [Fact]
    public void Reads_the_pull_request_head_from_the_github_event_payload()
    {
        using var directory = new TagForge.Testing.TempDirectory();
        var eventPath = directory.Write("event.json", """
            {"action":"synchronize","number":5,"pull_request":{"number":5,"head":{"sha":"1111111111111111111111111111111111111111","ref":"feature/login"},"base":{"ref":"main"}}}
            """);

        var context = Detect(
            ("GITHUB_ACTIONS", "true"),
            ("GITHUB_RUN_NUMBER", "9"),
            ("GITHUB_SHA", "2222222222222222222222222222222222222222"),
            ("GITHUB_REF", "refs/pull/5/merge"),
            ("GITHUB_HEAD_REF", "feature/login"),
            ("GITHUB_EVENT_NAME", "pull_request"),
            ("GITHUB_EVENT_PATH", eventPath));

        Assert.Equal("1111111111111111111111111111111111111111", context.PullRequestHeadCommit);
        Assert.Equal("2222222222222222222222222222222222222222", context.Commit);
        Assert.Equal("feature/login", context.Branch);
        Assert.Equal("5", context.PullRequest);
    }

    [Fact]
    public void Does_not_take_a_tag_push_ref_for_a_branch()
    {
        var context = Detect(("GITHUB_ACTIONS", "true"), ("GITHUB_REF_NAME", "v1.2.0"), ("GITHUB_REF_TYPE", "tag"));

        Assert.Null(context.Branch);
    }

    [Fact]
    public void Reads_gitlab_merge_request_pipelines()
    {
        var context = Detect(
            ("GITLAB_CI", "true"),
            ("CI_PIPELINE_IID", "88"),
            ("CI_COMMIT_SHA", "merge"),
            ("CI_MERGE_REQUEST_SOURCE_BRANCH_SHA", "head"),
            ("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "topic"),
            ("CI_COMMIT_REF_NAME", "refs/merge-requests/3/merge"),
            ("CI_MERGE_REQUEST_IID", "3"),
            ("CI_PIPELINE_URL", "https://gitlab.example/p/-/pipelines/1"));

        Assert.Equal(new CiContext("gitlab", "88", "merge", "head", "topic", "3", "https://gitlab.example/p/-/pipelines/1"), context);
    }

    [Fact]
    public void Reads_azure_pipelines_with_the_numeric_build_id()
    {
        var context = Detect(
            ("TF_BUILD", "True"),
            ("BUILD_BUILDID", "1234"),
            ("BUILD_BUILDNUMBER", "20261122.3"),
            ("BUILD_SOURCEVERSION", "merge"),
            ("BUILD_SOURCEBRANCH", "refs/pull/7/merge"),
            ("SYSTEM_PULLREQUEST_SOURCEBRANCH", "refs/heads/feature/a"),
            ("SYSTEM_PULLREQUEST_SOURCECOMMITID", "head"),
            ("SYSTEM_PULLREQUEST_PULLREQUESTNUMBER", "7"),
            ("SYSTEM_COLLECTIONURI", "https://dev.azure.com/acme/"),
            ("SYSTEM_TEAMPROJECT", "Shop"));

        Assert.Equal(new CiContext("azure-pipelines", "1234", "merge", "head", "feature/a", "7", "https://dev.azure.com/acme/Shop/_build/results?buildId=1234"), context);
    }

    [Fact]
    public void Reads_teamcity()
    {
        var context = Detect(("TEAMCITY_VERSION", "2025.03"), ("BUILD_NUMBER", "55"), ("BUILD_VCS_NUMBER", "abc"), ("TEAMCITY_BUILD_BRANCH", "refs/heads/dev"));

        Assert.Equal(new CiContext("teamcity", "55", "abc", null, "dev"), context);
    }

    [Fact]
    public void Reads_circleci_and_takes_the_pull_request_number_from_its_url()
    {
        var context = Detect(
            ("CIRCLECI", "true"),
            ("CIRCLE_BUILD_NUM", "300"),
            ("CIRCLE_SHA1", "abc"),
            ("CIRCLE_BRANCH", "fix/x"),
            ("CIRCLE_PULL_REQUEST", "https://github.com/acme/app/pull/77"),
            ("CIRCLE_BUILD_URL", "https://circleci.com/gh/acme/app/300"));

        Assert.Equal(new CiContext("circleci", "300", "abc", null, "fix/x", "77", "https://circleci.com/gh/acme/app/300"), context);
    }

    [Fact]
    public void Reads_bitbucket_pipelines()
    {
        var context = Detect(
            ("BITBUCKET_BUILD_NUMBER", "21"),
            ("BITBUCKET_COMMIT", "abc"),
            ("BITBUCKET_BRANCH", "main"),
            ("BITBUCKET_PR_ID", "4"),
            ("BITBUCKET_REPO_FULL_NAME", "acme/app"));

        Assert.Equal(new CiContext("bitbucket", "21", "abc", null, "main", "4", "https://bitbucket.org/acme/app/pipelines/results/21"), context);
    }

    [Fact]
    public void Reads_buildkite_where_false_means_no_pull_request()
    {
        var context = Detect(
            ("BUILDKITE", "true"),
            ("BUILDKITE_BUILD_NUMBER", "12"),
            ("BUILDKITE_COMMIT", "abc"),
            ("BUILDKITE_BRANCH", "main"),
            ("BUILDKITE_PULL_REQUEST", "false"),
            ("BUILDKITE_BUILD_URL", "https://buildkite.com/acme/app/builds/12"));

        Assert.Equal(new CiContext("buildkite", "12", "abc", null, "main", null, "https://buildkite.com/acme/app/builds/12"), context);
    }

    [Fact]
    public void Prefers_the_system_running_the_job_over_a_leaked_jenkins_home()
    {
        var context = Detect(("JENKINS_HOME", "/var/jenkins"), ("GITLAB_CI", "true"), ("CI_PIPELINE_IID", "5"));

        Assert.Equal("gitlab", context.Provider);
    }
}
