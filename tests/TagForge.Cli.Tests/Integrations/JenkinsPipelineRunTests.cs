using System.Text.RegularExpressions;
using TagForge.Testing;

namespace TagForge.Cli.Tests.Integrations;

/// <summary>
/// The shell steps of docs/jenkins/Jenkinsfile and vars/tagforgeRelease.groovy, taken from the files and run as Jenkins'
/// <c>sh</c> step runs them (<c>sh -xe</c>), with the variables Jenkins sets and the ones withCredentials binds, against a
/// real registry (docker-registry with htpasswd auth) and the real Docker engine. kubectl is a stand-in that records what
/// it was asked to apply.
/// </summary>
[Collection(DockerEngine.CollectionName)]
public class JenkinsPipelineRunTests
{
    private const string User = "jenkins";
    private const string Password = "jk-s3cret-71ab";

    private static readonly string[] MachineCiVariables =
    [
        "CI", "GITHUB_ACTIONS", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_EVENT_PATH", "GITHUB_EVENT_NAME", "GITLAB_CI", "TF_BUILD",
        "JENKINS_URL", "JENKINS_HOME", "BUILD_NUMBER", "BUILD_URL", "GIT_COMMIT", "GIT_BRANCH", "BRANCH_NAME", "CHANGE_ID", "CIRCLECI",
        "BITBUCKET_BUILD_NUMBER", "TEAMCITY_VERSION", "BUILDKITE", "SOURCE_DATE_EPOCH", "TAGFORGE_IMAGE", "TAGFORGE_TEMPLATE", "TAGFORGE_RECORD",
        "TAGFORGE_CONFIG", "TAGFORGE_CONTEXT", "TAGFORGE_DOCKERFILE", "TAGFORGE_DOCKER", "DOCKER_BUILDKIT", "TAGFORGE_REGISTRY_USERNAME",
        "TAGFORGE_REGISTRY_PASSWORD",
    ];

    private static string Jenkinsfile => File.ReadAllText(SourceTree.Combine("docs", "jenkins", "Jenkinsfile"));

    /// <summary>A triple-single-quoted Groovy string's value (no interpolation; <c>\\</c> is one backslash).</summary>
    private static string GroovyString(string body) => body.Replace("\\\\", "\\", StringComparison.Ordinal);

    private static string ShStep(string label)
    {
        var match = Regex.Match(Jenkinsfile, $"sh label: '{Regex.Escape(label)}', script: '''(.*?)'''", RegexOptions.Singleline);
        Assert.True(match.Success, $"no sh step labelled '{label}' in the Jenkinsfile");
        return GroovyString(match.Groups[1].Value);
    }

    private static string EnvironmentValue(string name)
    {
        var match = Regex.Match(Jenkinsfile, $@"^\s*{name} = '([^']*)'$", RegexOptions.Multiline);
        Assert.True(match.Success, $"no {name} in the Jenkinsfile's environment block");
        return match.Groups[1].Value;
    }

    private static Dictionary<string, string?> JenkinsEnvironment(string commit, TempDirectory agent, string? changeId = null)
    {
        var environment = MachineCiVariables.ToDictionary(name => name, _ => (string?)null);
        environment["JENKINS_URL"] = "https://jenkins.example/";
        environment["JENKINS_HOME"] = "/var/lib/jenkins";
        environment["BUILD_NUMBER"] = "23";
        environment["BUILD_URL"] = "https://jenkins.example/job/api/job/main/23/";
        environment["GIT_COMMIT"] = commit;
        environment["BRANCH_NAME"] = changeId is null ? "main" : $"PR-{changeId}";
        environment["CHANGE_ID"] = changeId;
        environment["DOCKER_CONFIG"] = agent.Combine("docker");
        environment["KUBECTL_APPLIED"] = agent.Combine("applied.yaml");
        environment["PATH"] = $"{agent.Combine("bin")}:{Path.GetDirectoryName(TagForgeCli.ExecutablePath)}:{Environment.GetEnvironmentVariable("PATH")}";
        return environment;
    }

    private static TempDirectory Agent()
    {
        var agent = new TempDirectory("jenkins-agent");
        Directory.CreateDirectory(agent.Combine("docker"));
        var kubectl = agent.Write("bin/kubectl", "#!/bin/sh\n# kubectl apply -f FILE: keep what would be applied\n[ \"$1 $2\" = \"apply -f\" ] || exit 64\ncp \"$3\" \"$KUBECTL_APPLIED\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(kubectl, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return agent;
    }

    private static async Task<ProcessResult> ShAsync(string script, string workspace, Dictionary<string, string?> environment, TempDirectory agent)
    {
        var file = agent.Write($"script-{Guid.NewGuid():N}.sh", script);
        return await ProcessRunner.RunAsync("sh", ["-xe", file], workspace, environment, cancellationToken: TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task The_release_and_deploy_stages_release_record_pin_and_apply_by_digest()
    {
        await using var registry = await LocalRegistry.StartWithBasicAuthAsync(User, Password);
        using var agent = Agent();
        using var repository = await SampleApp.CreateAsync();
        var image = $"{registry.Host}/acme/api";
        repository.WriteFile("deploy/k8s/deployment.yaml", $"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: api
            spec:
              template:
                spec:
                  containers:
                    - name: api
                      image: {image}:latest

            """);
        var commit = await repository.CommitAsync("deployment");
        var environment = JenkinsEnvironment(commit, agent);
        environment["IMAGE"] = image;
        environment["TEMPLATE"] = EnvironmentValue("TEMPLATE");
        environment["REGISTRY_USER"] = User;
        environment["REGISTRY_PASSWORD"] = Password;

        var release = await ShAsync(ShStep("tagforge release"), repository.Path, environment, agent);

        Assert.True(release.ExitCode == 0, release.ToString());
        var entry = Records.BuildRecordFile.Read(Path.Combine(repository.Path, "tagforge.json")).Find(image)!;
        Assert.Matches($"^v\\.{commit[..8]}_[0-9]{{12}}-23$", entry.Tag);
        Assert.Equal("jenkins", entry.Build.Provider);
        Assert.Equal("https://jenkins.example/job/api/job/main/23/", entry.Build.Url);
        Assert.Equal(entry.Reference + "\n", release.StandardOutput);
        Assert.Empty(Directory.EnumerateFileSystemEntries(agent.Combine("docker")));

        environment.Remove("REGISTRY_USER");
        environment.Remove("REGISTRY_PASSWORD");
        var deploy = await ShAsync(ShStep("pin and apply"), repository.Path, environment, agent);

        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.Contains($"deploying {entry.Reference}", deploy.StandardOutput, StringComparison.Ordinal);
        // Pinned to the record: the release's tag and its digest (tag-digest style).
        Assert.Contains($"image: {image}:{entry.Tag}@{entry.Digest}\n", File.ReadAllText(agent.Combine("applied.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_shared_library_step_releases_and_returns_the_digest_in_a_pull_request_build()
    {
        await using var registry = await LocalRegistry.StartWithBasicAuthAsync(User, Password);
        using var agent = Agent();
        using var repository = await SampleApp.CreateAsync();
        var step = File.ReadAllText(SourceTree.Combine("docs", "jenkins", "vars", "tagforgeRelease.groovy"));
        var releaseScript = GroovyString(Regex.Match(step, "String releaseScript = '''(.*?)'''", RegexOptions.Singleline).Groups[1].Value);
        var digestScript = Regex.Match(step, "String digestScript = '(.*?)'$", RegexOptions.Multiline).Groups[1].Value;
        Assert.NotEqual("", releaseScript);
        Assert.NotEqual("", digestScript);
        var image = $"{registry.Host}/acme/worker";
        // What the step's withEnv and withCredentials bind.
        var environment = JenkinsEnvironment(await repository.HeadAsync(), agent, changeId: "7");
        environment["TAGFORGE_IMAGE"] = image;
        environment["TAGFORGE_RECORD"] = "tagforge.json";
        environment["TAGFORGE_TEMPLATE"] = "pr{env:CHANGE_ID}-{sha:8}-{build}";
        environment["TAGFORGE_CONTEXT"] = ".";
        environment["TAGFORGE_DOCKERFILE"] = "";
        environment["REGISTRY_USER"] = User;
        environment["REGISTRY_PASSWORD"] = Password;

        var release = await ShAsync(releaseScript, repository.Path, environment, agent);
        var digest = await ShAsync(digestScript, repository.Path, environment, agent);

        Assert.True(release.ExitCode == 0, release.ToString());
        Assert.True(digest.ExitCode == 0, digest.ToString());
        var entry = Records.BuildRecordFile.Read(Path.Combine(repository.Path, "tagforge.json")).Find(image)!;
        Assert.Equal($"pr7-{(await repository.HeadAsync())[..8]}-23", entry.Tag);
        Assert.Equal(entry.Digest + "\n", digest.StandardOutput);
    }
}
