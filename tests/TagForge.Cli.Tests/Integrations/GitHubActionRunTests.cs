using System.Text.Json;
using TagForge.Testing;

namespace TagForge.Cli.Tests.Integrations;

/// <summary>
/// action.yml's steps run as the GitHub runner runs them (see <see cref="CompositeActionRunner"/>), with the variables
/// a runner sets for a pull request, against a real registry (docker-registry with htpasswd auth) and the real Docker
/// engine. tagforge is already on PATH at the version asked for, as on a self-hosted runner.
/// </summary>
[Collection(DockerEngine.CollectionName)]
public class GitHubActionRunTests
{
    private const string User = "ci-bot";
    private const string Password = "pr-s3cret-9f2c";

    private static readonly string[] MachineCiVariables =
    [
        "CI", "GITHUB_ACTIONS", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_EVENT_PATH", "GITHUB_EVENT_NAME", "GITHUB_ENV", "GITHUB_PATH",
        "GITHUB_SHA", "GITHUB_REF", "GITHUB_REF_NAME", "GITHUB_HEAD_REF", "GITHUB_RUN_NUMBER", "GITHUB_RUN_ATTEMPT", "GITHUB_RUN_ID",
        "GITLAB_CI", "TF_BUILD", "JENKINS_URL", "BUILD_NUMBER", "BUILD_URL", "GIT_COMMIT", "BRANCH_NAME", "CHANGE_ID", "CIRCLECI",
        "BITBUCKET_BUILD_NUMBER", "TEAMCITY_VERSION", "BUILDKITE", "SOURCE_DATE_EPOCH", "TAGFORGE_IMAGE", "TAGFORGE_TEMPLATE",
        "TAGFORGE_RECORD", "TAGFORGE_CONFIG", "TAGFORGE_DOCKER", "DOCKER_BUILDKIT", "TAGFORGE_REGISTRY_USERNAME", "TAGFORGE_REGISTRY_PASSWORD",
    ];

    private sealed record PullRequest(TestRepository Repository, string HeadSha, string MergeSha, TempDirectory Runner) : IDisposable
    {
        public void Dispose()
        {
            Repository.Dispose();
            Runner.Dispose();
        }
    }

    /// <summary>A pull request's checkout: the head commit, and on top the synthetic merge commit GitHub checks out.</summary>
    private static async Task<PullRequest> PullRequestAsync()
    {
        var repository = await SampleApp.CreateAsync();
        var head = await repository.HeadAsync();
        var merge = await repository.CommitAsync("Merge abc into def");
        var runner = new TempDirectory("runner");
        runner.Write("event.json", JsonSerializer.Serialize(new { pull_request = new { number = 42, head = new { sha = head, @ref = "feature/login" } } }));
        Directory.CreateDirectory(runner.Combine("temp"));
        Directory.CreateDirectory(runner.Combine("docker"));
        return new PullRequest(repository, head, merge, runner);
    }

    private static Dictionary<string, string?> RunnerEnvironment(PullRequest pr)
    {
        var environment = MachineCiVariables.ToDictionary(name => name, _ => (string?)null);
        environment["GITHUB_ACTIONS"] = "true";
        environment["CI"] = "true";
        environment["GITHUB_EVENT_NAME"] = "pull_request";
        environment["GITHUB_EVENT_PATH"] = pr.Runner.Combine("event.json");
        environment["GITHUB_SHA"] = pr.MergeSha;
        environment["GITHUB_REF"] = "refs/pull/42/merge";
        environment["GITHUB_HEAD_REF"] = "feature/login";
        environment["GITHUB_RUN_NUMBER"] = "17";
        environment["GITHUB_RUN_ID"] = "987654";
        environment["GITHUB_REPOSITORY"] = "acme/app";
        environment["GITHUB_STEP_SUMMARY"] = pr.Runner.Write("step_summary.md", "");
        environment["DOCKER_CONFIG"] = pr.Runner.Combine("docker");
        // A self-hosted runner with tagforge installed: the built CLI first on PATH.
        environment["PATH"] = $"{Path.GetDirectoryName(TagForgeCli.ExecutablePath)}:{Environment.GetEnvironmentVariable("PATH")}";
        return environment;
    }

    private static async Task<string> InstalledVersionAsync()
    {
        var version = await ProcessRunner.RunCheckedAsync(TagForgeCli.ExecutablePath, ["--version"]);
        return version.StandardOutput.Trim().Split('+')[0];
    }

    [Fact]
    public async Task Releases_a_pull_request_and_sets_outputs_summary_and_masks_the_password()
    {
        await using var registry = await LocalRegistry.StartWithBasicAuthAsync(User, Password);
        using var pr = await PullRequestAsync();
        var environment = RunnerEnvironment(pr);
        var image = $"{registry.Host}/acme/app";

        var run = await CompositeActionRunner.RunAsync(
            SourceTree.Combine("action.yml"),
            new Dictionary<string, string>
            {
                ["image"] = image,
                ["template"] = "pr-{sha:8}-{build}",
                ["registry-username"] = User,
                ["registry-password"] = Password,
                ["version"] = await InstalledVersionAsync(),
            },
            environment,
            pr.Repository.Path,
            pr.Runner.Combine("temp"),
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(run.Succeeded, run.Log);
        Assert.Contains("not installing", run.Steps[0].Result!.StandardOutput, StringComparison.Ordinal);
        var tag = $"pr-{pr.HeadSha[..8]}-17";
        Assert.Equal(tag, run.Outputs["tag"]);
        Assert.StartsWith("sha256:", run.Outputs["digest"], StringComparison.Ordinal);
        Assert.Equal($"{image}@{run.Outputs["digest"]}", run.Outputs["reference"]);
        Assert.Equal("tagforge.json", run.Outputs["record"]);

        var release = run.Steps.Single(step => step.Name == "Release").Result!;
        Assert.Contains($"::add-mask::{Password}", release.StandardOutput, StringComparison.Ordinal);
        var summary = File.ReadAllText(environment["GITHUB_STEP_SUMMARY"]!);
        Assert.Contains($"| Tag | `{tag}` |", summary, StringComparison.Ordinal);
        Assert.Contains($"| Digest | `{run.Outputs["digest"]}` |", summary, StringComparison.Ordinal);
        var record = File.ReadAllText(Path.Combine(pr.Repository.Path, "tagforge.json"));
        Assert.Contains(pr.HeadSha, record, StringComparison.Ordinal);
        Assert.Contains("\"provider\": \"github-actions\"", record, StringComparison.Ordinal);
        foreach (var text in new[] { summary, record, release.StandardError, string.Join("\n", run.Outputs.Values) })
        {
            Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(pr.Runner.Combine("docker")));
    }

    [Fact]
    public async Task Lint_findings_become_annotations_and_stop_the_release()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var pr = await PullRequestAsync();
        pr.Repository.WriteFile("deploy/deployment.yaml", $"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: app
            spec:
              template:
                spec:
                  containers:
                    - name: app
                      image: {registry.Host}/acme/app:latest
            """);

        var run = await CompositeActionRunner.RunAsync(
            SourceTree.Combine("action.yml"),
            new Dictionary<string, string> { ["image"] = $"{registry.Host}/acme/app", ["lint"] = "deploy/deployment.yaml" },
            RunnerEnvironment(pr),
            pr.Repository.Path,
            pr.Runner.Combine("temp"),
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.False(run.Succeeded, run.Log);
        var lint = run.Steps.Single(step => step.Name == "Lint deployment files").Result!;
        Assert.Equal(3, lint.ExitCode);
        Assert.Contains("::error file=deploy/deployment.yaml,line=10,col=", lint.StandardOutput, StringComparison.Ordinal);
        Assert.True(run.Steps.Single(step => step.Name == "Release").Skipped);
        Assert.Equal("", run.Outputs["tag"]);
    }

    [Fact]
    public async Task Installs_when_the_tagforge_on_path_is_another_version()
    {
        using var pr = await PullRequestAsync();
        var environment = RunnerEnvironment(pr);
        // No .NET tool feed here: the install must be attempted and fail, proving the version check did not skip it.
        environment["DOTNET_CLI_HOME"] = pr.Runner.Combine("dotnet-home");

        var run = await CompositeActionRunner.RunAsync(
            SourceTree.Combine("action.yml"),
            new Dictionary<string, string> { ["image"] = "127.0.0.1:9/acme/app", ["version"] = "99.0.0", ["source"] = pr.Runner.Combine("empty-feed") },
            environment,
            pr.Repository.Path,
            pr.Runner.Combine("temp"),
            cancellationToken: TestContext.Current.CancellationToken);

        var install = run.Steps[0].Result!;
        Assert.Contains("installing 99.0.0", install.StandardOutput, StringComparison.Ordinal);
        Assert.NotEqual(0, install.ExitCode);
    }
}
