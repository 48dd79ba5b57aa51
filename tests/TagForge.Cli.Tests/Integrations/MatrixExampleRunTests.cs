using System.Text.Json;
using System.Text.RegularExpressions;
using TagForge.Testing;
using YamlDotNet.RepresentationModel;

namespace TagForge.Cli.Tests.Integrations;

/// <summary>
/// The plan → build matrix → merge examples (docs/github/matrix.yml, docs/gitlab/matrix.gitlab-ci.yml,
/// docs/jenkins/Jenkinsfile.matrix): their shell steps, taken from the files, run as the CI runs them, each job a
/// separate process in its own checkout sharing only the plan, the partial records and the registry (docker-registry
/// with htpasswd auth, the credentials in TAGFORGE_REGISTRY_*), BuildKit through Debian's docker 20.10. The record
/// the merge writes names each image's index as the registry holds it.
/// </summary>
[Collection(DockerEngine.CollectionName)]
public class MatrixExampleRunTests
{
    private const string User = "matrix";
    private const string Password = "mx-s3cret-42";

    private static readonly string[] CiVariables =
    [
        "CI", "GITHUB_ACTIONS", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_EVENT_PATH", "GITHUB_EVENT_NAME", "GITHUB_ENV", "GITLAB_CI", "TF_BUILD",
        "JENKINS_URL", "JENKINS_HOME", "BUILD_NUMBER", "BUILD_URL", "GIT_COMMIT", "BRANCH_NAME", "CHANGE_ID", "CIRCLECI", "SOURCE_DATE_EPOCH",
        "TAGFORGE_IMAGE", "TAGFORGE_TEMPLATE", "TAGFORGE_RECORD", "TAGFORGE_CONFIG",
    ];

    private sealed record Example(string Shell, string Plan, string Build, string Merge, Func<string, string, IReadOnlyList<(string Image, string Platform)>> Jobs);

    private static YamlMappingNode Yaml(params string[] path)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(SourceTree.Combine(path)));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlMappingNode Map(YamlNode node, string key) => (YamlMappingNode)((YamlMappingNode)node).Children[new YamlScalarNode(key)];

    private static string Scalar(YamlNode node, string key) => ((YamlScalarNode)((YamlMappingNode)node).Children[new YamlScalarNode(key)]).Value!;

    private static IReadOnlyList<(string, string)> FromMatrixJson(string json) =>
        [.. JsonDocument.Parse(json).RootElement.GetProperty("include").EnumerateArray().Select(job => (job.GetProperty("image").GetString()!, job.GetProperty("platform").GetString()!))];

    private static Example GitHub()
    {
        var jobs = Map(Yaml("docs", "github", "matrix.yml"), "jobs");
        string Step(string job, string key, string value) =>
            ((YamlSequenceNode)Map(jobs, job).Children[new YamlScalarNode("steps")]).Children
                .Cast<YamlMappingNode>().Where(step => step.Children.TryGetValue(new YamlScalarNode(key), out var v) && ((YamlScalarNode)v).Value == value)
                .Select(step => Scalar(step, "run")).Single();
        return new Example("bash", Step("plan", "id", "plan"), Step("build", "name", "Build one platform"), Step("merge", "name", "Merge"),
            (planDirectory, _) => FromMatrixJson(File.ReadAllLines(Path.Combine(planDirectory, "github_output")).Single(l => l.StartsWith("matrix=", StringComparison.Ordinal))["matrix=".Length..]));
    }

    private static Example GitLab()
    {
        var root = Yaml("docs", "gitlab", "matrix.gitlab-ci.yml");
        string Script(string job) => string.Join('\n', ((YamlSequenceNode)Map(root, job).Children[new YamlScalarNode("script")]).Children.Cast<YamlScalarNode>().Select(line => line.Value));
        var matrix = (YamlMappingNode)((YamlSequenceNode)Map(Map(root, "build"), "parallel").Children[new YamlScalarNode("matrix")]).Children[0];
        var images = ((YamlSequenceNode)matrix.Children[new YamlScalarNode("IMAGE")]).Children.Cast<YamlScalarNode>().Select(n => n.Value!).ToList();
        var platforms = ((YamlSequenceNode)matrix.Children[new YamlScalarNode("PLATFORM")]).Children.Cast<YamlScalarNode>().Select(n => n.Value!).ToList();
        return new Example("bash", Script("plan"), Script("build"), Script("merge"), (_, _) => [.. images.SelectMany(i => platforms.Select(p => (i, p)))]);
    }

    private static Example Jenkins()
    {
        var text = File.ReadAllText(SourceTree.Combine("docs", "jenkins", "Jenkinsfile.matrix"));
        string Sh(string label) => Regex.Match(text, $"sh label: '{Regex.Escape(label)}', script: '''(.*?)'''", RegexOptions.Singleline).Groups[1].Value.Replace("\\\\", "\\", StringComparison.Ordinal);
        return new Example("sh", Sh("plan"), Sh("build one platform"), Sh("merge"), (planDirectory, _) => FromMatrixJson(File.ReadAllText(Path.Combine(planDirectory, "matrix.json"))));
    }

    public static TheoryData<string> Examples => ["github", "gitlab", "jenkins"];

    private static async Task<TestRepository> MonorepoAsync(LocalRegistry registry)
    {
        var repository = await TestRepository.InitAsync();
        var yaml = $"image: {registry.Host}/ex\ntemplate: \"{{sha:8}}-{{build}}\"\nimages:\n";
        foreach (var name in new[] { "api", "worker", "web" })
        {
            repository.WriteFile($"{name}/Dockerfile", "FROM scratch\nCOPY f.txt /f.txt\n");
            repository.WriteFile($"{name}/f.txt", $"{name} {Guid.NewGuid()}\n");
            yaml += $"  - name: {name}\n    context: {name}\n";
        }

        repository.WriteFile("tagforge.yml", yaml);
        repository.WriteFile(".gitignore", "plan.json\nmatrix.json\nparts/\ngithub_output\n");
        await repository.CommitAsync("three services");
        return repository;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task The_example_runs_plan_then_one_job_per_image_and_platform_then_merge(string ci)
    {
        var example = ci switch { "github" => GitHub(), "gitlab" => GitLab(), _ => Jenkins() };
        await using var registry = await LocalRegistry.StartWithBasicAuthAsync(User, Password);
        using var repository = await MonorepoAsync(registry);
        using var merge = new TempDirectory("merge");
        var environment = CiVariables.ToDictionary(name => name, _ => (string?)null);
        environment["PATH"] = $"{Path.GetDirectoryName(TagForgeCli.ExecutablePath)}:{Environment.GetEnvironmentVariable("PATH")}";
        environment["TAGFORGE_DOCKER"] = "/usr/bin/docker";
        environment["DOCKER_BUILDKIT"] = "1";
        environment["TAGFORGE_REGISTRY_USERNAME"] = User;
        environment["TAGFORGE_REGISTRY_PASSWORD"] = Password;
        environment["DOCKER_CONFIG"] = merge.Combine("docker");
        Directory.CreateDirectory(merge.Combine("docker"));
        environment["GITHUB_OUTPUT"] = Path.Combine(repository.Path, "github_output");
        Task<ProcessResult> Run(string script, string directory, params (string, string)[] extra)
        {
            var env = new Dictionary<string, string?>(environment);
            foreach (var (name, value) in extra)
            {
                env[name] = value;
            }

            return ProcessRunner.RunAsync(example.Shell, ["-e", "-c", script], directory, env);
        }

        var plan = await Run(example.Plan, repository.Path);
        Assert.True(plan.ExitCode == 0, plan.ToString());
        var jobs = example.Jobs(repository.Path, "");
        Assert.Equal(6, jobs.Count);
        Directory.CreateDirectory(merge.Combine("parts"));
        File.Copy(Path.Combine(repository.Path, "plan.json"), merge.Combine("plan.json"));
        foreach (var (image, platform) in jobs)
        {
            using var runner = await TestRepository.CloneShallowAsync(repository);
            File.Copy(merge.Combine("plan.json"), Path.Combine(runner.Path, "plan.json"));
            var job = await Run(example.Build, runner.Path, ("IMAGE", image), ("PLATFORM", platform));
            Assert.True(job.ExitCode == 0, job.ToString());
            foreach (var part in Directory.GetFiles(Path.Combine(runner.Path, "parts")))
            {
                File.Copy(part, merge.Combine("parts", Path.GetFileName(part)));
            }
        }

        var merged = await Run(example.Merge, merge.Path);

        Assert.True(merged.ExitCode == 0, merged.ToString());
        var entries = JsonDocument.Parse(File.ReadAllText(merge.Combine("tagforge.json"))).RootElement.GetProperty("images").EnumerateArray().ToList();
        Assert.Equal(["api", "web", "worker"], entries.Select(e => e.GetProperty("name").GetString()).Order());
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{User}:{Password}")));
        foreach (var entry in entries)
        {
            Assert.Equal(2, entry.GetProperty("platforms").GetArrayLength());
            var name = entry.GetProperty("name").GetString();
            using var head = new HttpRequestMessage(HttpMethod.Head, new Uri(registry.BaseUri, $"v2/ex/{name}/manifests/{entry.GetProperty("tag").GetString()}"));
            head.Headers.Accept.ParseAdd("application/vnd.oci.image.index.v1+json");
            using var response = await http.SendAsync(head, TestContext.Current.CancellationToken);
            Assert.Equal(entry.GetProperty("digest").GetString(), response.Headers.GetValues("Docker-Content-Digest").Single());
        }
    }
}
