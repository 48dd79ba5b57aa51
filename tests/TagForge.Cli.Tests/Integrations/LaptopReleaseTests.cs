using System.Text.Json;
using TagForge.Testing;

namespace TagForge.Cli.Tests.Integrations;

/// <summary>
/// A laptop release: <c>tagforge release</c> with only a <c>tagforge.yml</c>, flags and TAGFORGE_* variables over it,
/// <c>--dry-run</c>, and the output formats. The built CLI, the real Docker engine and a real registry (docker-registry).
/// </summary>
[Collection(DockerEngine.CollectionName)]
public class LaptopReleaseTests
{
    private static readonly Dictionary<string, string?> NoOverrides = new()
    {
        ["TAGFORGE_IMAGE"] = null, ["TAGFORGE_TEMPLATE"] = null, ["TAGFORGE_RECORD"] = null, ["TAGFORGE_CONFIG"] = null,
        ["TAGFORGE_CONTEXT"] = null, ["TAGFORGE_DOCKERFILE"] = null, ["TAGFORGE_PRESET"] = null, ["TAGFORGE_PLATFORM"] = null,
        ["TAGFORGE_DOCKER"] = null, ["DOCKER_BUILDKIT"] = null, ["TAGFORGE_REGISTRY_USERNAME"] = null, ["TAGFORGE_REGISTRY_PASSWORD"] = null,
    };

    private static async Task<TestRepository> AppWithConfigAsync(LocalRegistry registry, string configName = "tagforge.yml")
    {
        var repository = await SampleApp.CreateAsync();
        repository.WriteFile(configName, $$"""
            image: {{registry.Host}}/laptop/app
            template: "v.{sha:8}-{build}"
            record: release.json
            """);
        await repository.CommitAsync("add tagforge.yml");
        return repository;
    }

    private static Dictionary<string, string?> Environment(params (string Name, string? Value)[] extra)
    {
        var environment = new Dictionary<string, string?>(NoOverrides);
        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        return environment;
    }

    [Fact]
    public async Task Releases_with_only_a_tagforge_yml()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await AppWithConfigAsync(registry);
        var sha = await repository.HeadAsync();

        var result = await TagForgeCli.RunAsync(["release", "--rm-local"], repository.Path, Environment());

        Assert.True(result.ExitCode == 0, result.ToString());
        var entry = Records.BuildRecordFile.Read(Path.Combine(repository.Path, "release.json")).Find($"{registry.Host}/laptop/app");
        Assert.NotNull(entry);
        Assert.Equal($"v.{sha[..8]}-local", entry.Tag);
        Assert.Equal(entry.Reference + "\n", result.StandardOutput);
    }

    [Fact]
    public async Task Flags_win_over_the_file_and_variables_over_the_file_too()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await AppWithConfigAsync(registry, ".tagforge.yml");
        var sha = await repository.HeadAsync();

        var result = await TagForgeCli.RunAsync(
            ["release", "--template", "flag-{sha:8}", "--format", "json", "--rm-local"],
            repository.Path,
            Environment(("TAGFORGE_RECORD", "from-env.json"), ("TAGFORGE_TEMPLATE", "env-{sha:8}")));

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal($"flag-{sha[..8]}", json.RootElement.GetProperty("tag").GetString());
        Assert.Equal("from-env.json", Path.GetFileName(json.RootElement.GetProperty("record").GetString()));
        Assert.True(json.RootElement.GetProperty("pushed").GetBoolean());
        Assert.True(File.Exists(Path.Combine(repository.Path, "from-env.json")));
        Assert.False(File.Exists(Path.Combine(repository.Path, "release.json")));
    }

    [Fact]
    public async Task Dry_run_prints_the_plan_and_changes_nothing()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await AppWithConfigAsync(registry);
        var sha = await repository.HeadAsync();
        var tag = $"v.{sha[..8]}-local";
        var image = $"{registry.Host}/laptop/app";

        var plan = await TagForgeCli.RunAsync(["release", "--dry-run"], repository.Path, Environment());

        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Contains($"tag       {tag}", plan.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"docker build --iidfile <temp>/iid --file <temp>/Dockerfile --tag {image}:{tag}", plan.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"\"org.opencontainers.image.revision\"=\"{sha}\"", plan.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"docker push {image}:{tag}", plan.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"free: {image}:{tag} does not exist yet", plan.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"merge the entry into {Path.Combine(repository.Path, "release.json")}", plan.StandardOutput, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(repository.Path, "release.json")));
        Assert.NotEqual(0, (await Docker.RunAsync("image", "inspect", $"{image}:{tag}")).ExitCode);

        var released = await TagForgeCli.RunAsync(["release", "--rm-local", "--format", "summary"], repository.Path, Environment());
        Assert.True(released.ExitCode == 0, released.ToString());
        Assert.StartsWith("released\n", released.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"  tag        {tag}\n", released.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("  took       ", released.StandardOutput, StringComparison.Ordinal);

        var again = await TagForgeCli.RunAsync(["release", "--dry-run"], repository.Path, Environment());
        Assert.Contains($"taken: {image}:{tag} exists with sha256:", again.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_a_terminal_outside_ci_prints_a_readable_summary()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await AppWithConfigAsync(registry);
        var environment = Environment();
        foreach (var name in new[] { "CI", "GITHUB_ACTIONS", "JENKINS_URL", "BUILD_NUMBER", "GITLAB_CI", "TF_BUILD", "TEAMCITY_VERSION", "CIRCLECI", "BUILDKITE", "BITBUCKET_BUILD_NUMBER" })
        {
            environment[name] = null;
        }

        // util-linux script(1) gives tagforge a pseudo-terminal as stdout, as a developer's shell does.
        var result = await ProcessRunner.RunAsync("script", ["-qec", $"'{TagForgeCli.ExecutablePath}' release --rm-local", "/dev/null"], repository.Path, environment,
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 0, result.ToString());
        var output = result.StandardOutput.Replace("\r", "", StringComparison.Ordinal);
        Assert.Contains("released\n", output, StringComparison.Ordinal);
        Assert.Contains($"  reference  {registry.Host}/laptop/app@sha256:", output, StringComparison.Ordinal);
        Assert.Contains("  took       ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_image_anywhere_it_says_where_to_set_one()
    {
        using var repository = await SampleApp.CreateAsync();

        var result = await TagForgeCli.RunAsync(["release"], repository.Path, Environment());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no image: pass --image", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("tagforge.yml", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_typo_in_tagforge_yml_names_the_file_and_line()
    {
        using var repository = await SampleApp.CreateAsync();
        repository.WriteFile("tagforge.yml", "image: r.example/app\ntemplat: \"{sha}\"\n");

        var result = await TagForgeCli.RunAsync(["release", "--dry-run"], repository.Path, Environment());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("tagforge.yml:2: unknown key 'templat'", result.StandardError, StringComparison.Ordinal);
    }
}
