using TagForge.Testing;
using TagForge.Testing.Ecr;

namespace TagForge.Cli.Tests.Ecr;

/// <summary>
/// <c>tagforge verify</c> and <c>resolve</c> on "ECR" references: the built CLI, the fake ECR and the real registry
/// behind it (docker-registry with htpasswd Basic auth that only the fake's authorization token opens). Nothing is
/// logged in: DOCKER_CONFIG points at an empty folder. Needs: docker-registry, htpasswd.
/// </summary>
public sealed class EcrVerifyTests : IAsyncLifetime
{
    private readonly TempDirectory _home = new("ecr-verify");
    private FakeEcr _ecr = null!;

    public async ValueTask InitializeAsync() => _ecr = await FakeEcr.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _ecr.DisposeAsync();
        _home.Dispose();
    }

    private Task<ProcessResult> RunAsync(string[] args, Dictionary<string, string?>? overrides = null)
    {
        var dockerConfig = _home.Combine("empty-docker-config");
        Directory.CreateDirectory(dockerConfig);
        var environment = _ecr.ClientEnvironment(_home);
        environment["DOCKER_CONFIG"] = dockerConfig;
        environment["TAGFORGE_REGISTRY_USERNAME"] = null;
        environment["TAGFORGE_REGISTRY_PASSWORD"] = null;
        foreach (var (name, value) in overrides ?? [])
        {
            environment[name] = value;
        }

        return TagForgeCli.RunAsync([.. args, "--ecr", "--endpoint-url", _ecr.EndpointUrl], _home.Path, environment);
    }

    [Fact]
    public async Task Verify_checks_a_pinned_ECR_reference_with_only_AWS_credentials_and_no_docker_login()
    {
        var digest = await _ecr.PushImageAsync("team/app", "1.0");
        _home.Write("pod.yaml", $"apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: app\n    image: {_ecr.Registry.Host}/team/app:1.0@{digest}\n");

        var result = await RunAsync(["verify", "pod.yaml"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("verified 1 pinned image (1 distinct digest): 0 missing, 0 not checked", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("GetAuthorizationToken", _ecr.Requests.Select(r => r.Operation));
        Assert.DoesNotContain(_ecr.RegistryPassword, result.StandardError + result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_without_AWS_credentials_or_a_docker_login_cannot_check_the_ECR_reference()
    {
        var digest = await _ecr.PushImageAsync("team/app", "1.0");
        _home.Write("pod.yaml", $"apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: app\n    image: {_ecr.Registry.Host}/team/app:1.0@{digest}\n");

        var result = await RunAsync(["verify", "pod.yaml"], new() { ["AWS_ACCESS_KEY_ID"] = null, ["AWS_SECRET_ACCESS_KEY"] = null, ["HOME"] = _home.Path });

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(_ecr.Requests);
    }

    [Fact]
    public async Task Resolve_pins_an_ECR_reference_with_only_AWS_credentials()
    {
        var digest = await _ecr.PushImageAsync("team/app", "2.0");
        var path = _home.Write("compose.yaml", $"services:\n  app:\n    image: {_ecr.Registry.Host}/team/app:2.0\n");

        var result = await RunAsync(["resolve", "compose.yaml"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"services:\n  app:\n    image: {_ecr.Registry.Host}/team/app:2.0@{digest}\n", File.ReadAllText(path));
    }
}
