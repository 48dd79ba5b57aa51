using System.Text.Json;
using TagForge.Testing;
using TagForge.Testing.Ecr;

namespace TagForge.Cli.Tests.Ecr;

/// <summary>
/// <c>tagforge release</c> to "ECR": the built CLI, the real Docker engine, the fake ECR and the real registry behind
/// it (docker-registry with htpasswd Basic auth that only the fake's authorization token opens). Nothing is logged in
/// beforehand: DOCKER_CONFIG points at an empty folder. Needs: the Docker engine, docker-registry, htpasswd.
/// </summary>
[Collection(DockerEngine.CollectionName)]
public sealed class EcrReleaseTests : IAsyncLifetime
{
    private readonly TempDirectory _home = new("ecr-release");
    private FakeEcr _ecr = null!;

    public async ValueTask InitializeAsync() => _ecr = await FakeEcr.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _ecr.DisposeAsync();
        _home.Dispose();
    }

    private string DockerConfig => _home.Combine("empty-docker-config");

    private Task<ProcessResult> ReleaseAsync(TestRepository repository, params string[] extra) => ReleaseAsync(repository, null, null, extra);

    private Task<ProcessResult> ReleaseAsync(TestRepository repository, Dictionary<string, string?>? overrides, string? stdin, params string[] extra)
    {
        Directory.CreateDirectory(DockerConfig);
        var environment = _ecr.ClientEnvironment(_home);
        foreach (var (name, value) in overrides ?? [])
        {
            environment[name] = value;
        }

        environment["AWS_ENDPOINT_URL_ECR"] = _ecr.EndpointUrl;
        environment["DOCKER_CONFIG"] = DockerConfig;
        environment["DOCKER_BUILDKIT"] = null;
        environment["TAGFORGE_DOCKER"] = null;
        environment["TAGFORGE_REGISTRY_USERNAME"] = null;
        environment["TAGFORGE_REGISTRY_PASSWORD"] = null;
        return TagForgeCli.RunAsync(["release", "--image", $"{_ecr.Registry.Host}/app", "--ecr", "--rm-local", .. extra], repository.Path, environment, stdin);
    }

    [Fact]
    public async Task Releases_to_ECR_with_only_AWS_credentials_and_no_docker_login()
    {
        using var repository = await SampleApp.CreateAsync();

        var result = await ReleaseAsync(repository, "--create-repo", "--immutable-tags");

        Assert.True(result.ExitCode == 0, result.ToString());
        var record = File.ReadAllText(Path.Combine(repository.Path, "tagforge.json"));
        var entry = JsonDocument.Parse(record).RootElement.GetProperty("images")[0];
        var tag = entry.GetProperty("tag").GetString()!;
        var digest = entry.GetProperty("digest").GetString()!;
        Assert.Equal($"{_ecr.Registry.Host}/app@{digest}\n", result.StandardOutput);
        Assert.Equal(digest, await _ecr.RegistryDigestAsync("app", tag));
        Assert.Equal("IMMUTABLE", _ecr.TagMutabilityOf("app"));
        Assert.Contains("created ECR repository app (IMMUTABLE tags)", result.StandardError, StringComparison.Ordinal);
        Assert.Contains($"ECR DescribeImages lists app:{tag} = {digest}", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("MUTABLE tags: anyone", result.StandardError, StringComparison.Ordinal);
        var operations = _ecr.Requests.Select(r => r.Operation).ToList();
        Assert.Contains("GetAuthorizationToken", operations);
        Assert.Contains("DescribeImages", operations);
        Assert.Single(operations, operation => operation == "GetAuthorizationToken");

        // No secret in the output, the record, or the user's docker config (nothing was written there).
        foreach (var text in new[] { result.StandardOutput, result.StandardError, record })
        {
            Assert.DoesNotContain(_ecr.RegistryPassword, text, StringComparison.Ordinal);
            Assert.DoesNotContain(FakeEcr.TestSecretAccessKey, text, StringComparison.Ordinal);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(DockerConfig));
    }

    [Fact]
    public async Task Warns_once_when_releasing_to_a_MUTABLE_repository()
    {
        _ecr.AddRepository("app", immutable: false);
        using var repository = await SampleApp.CreateAsync();

        var result = await ReleaseAsync(repository);

        Assert.True(result.ExitCode == 0, result.ToString());
        var warnings = result.StandardError.Split('\n').Where(line => line.Contains("has MUTABLE tags", StringComparison.Ordinal)).ToList();
        Assert.Single(warnings);
        Assert.StartsWith("tagforge: warning: ECR repository", warnings[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_repository_fails_before_building_with_how_to_create_it()
    {
        using var repository = await SampleApp.CreateAsync();

        var result = await ReleaseAsync(repository);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("ECR repository 'app' does not exist", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("--create-repo", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("building", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explicit_registry_credentials_without_AWS_credentials_still_release_with_a_warning()
    {
        using var repository = await SampleApp.CreateAsync();
        var noKeys = new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = null, ["AWS_SECRET_ACCESS_KEY"] = null, ["HOME"] = _home.Path };

        var result = await ReleaseAsync(repository, noKeys, _ecr.RegistryPassword, "--username", "AWS", "--password-stdin");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("tagforge: warning: no AWS credentials: skipping ECR repository checks", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(_ecr.Requests);
        Assert.DoesNotContain(_ecr.RegistryPassword, result.StandardError, StringComparison.Ordinal);
    }
}
