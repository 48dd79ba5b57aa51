using TagForge.Testing;
using TagForge.Testing.Ecr;

namespace TagForge.Cli.Tests.Ecr;

/// <summary>
/// <c>tagforge ecr</c> end to end: the built CLI against the fake ECR in front of a real registry (docker-registry with
/// htpasswd Basic auth). Needs: docker-registry, htpasswd, and the Docker engine for the push test.
/// </summary>
[Collection(DockerEngine.CollectionName)]
public sealed class EcrCommandTests : IAsyncLifetime
{
    private readonly TempDirectory _home = new("ecr-cli");
    private FakeEcr _ecr = null!;

    public async ValueTask InitializeAsync() => _ecr = await FakeEcr.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _ecr.DisposeAsync();
        _home.Dispose();
    }

    private Task<ProcessResult> RunAsync(IReadOnlyDictionary<string, string?>? extra, params string[] arguments)
    {
        var environment = _ecr.ClientEnvironment(_home);
        foreach (var (name, value) in extra ?? new Dictionary<string, string?>())
        {
            environment[name] = value;
        }

        return TagForgeCli.RunAsync(arguments, _home.Path, environment);
    }

    private Task<ProcessResult> RunAsync(params string[] arguments) => RunAsync(null, arguments);

    private void AssertNoSecrets(ProcessResult result)
    {
        Assert.DoesNotContain(_ecr.RegistryPassword, result.StandardOutput + result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeEcr.TestSecretAccessKey, result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_pipes_the_password_to_docker_on_stdin_and_never_puts_it_on_the_command_line()
    {
        var argvFile = _home.Combine("argv.txt");
        var stdinFile = _home.Combine("stdin.txt");
        var docker = _home.Write("fake-docker", $"#!/bin/sh\nprintf '%s\\n' \"$@\" > '{argvFile}'\ncat > '{stdinFile}'\necho 'Login Succeeded'\n");
        Assert.SkipWhen(OperatingSystem.IsWindows(), "the fake docker is a shell script");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(docker, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var result = await RunAsync("ecr", "login", "--docker", docker, "--endpoint-url", _ecr.EndpointUrl);

        Assert.Equal(0, result.ExitCode);
        var argv = await File.ReadAllLinesAsync(argvFile, TestContext.Current.CancellationToken);
        Assert.Equal(["login", "--username", "AWS", "--password-stdin", _ecr.Registry.Host], argv);
        Assert.Equal(_ecr.RegistryPassword, await File.ReadAllTextAsync(stdinFile, TestContext.Current.CancellationToken));
        Assert.Equal(_ecr.Registry.Host, result.StandardOutput.Trim());
        Assert.Contains($"tagforge: logged docker in to {_ecr.Registry.Host}", result.StandardError, StringComparison.Ordinal);
        AssertNoSecrets(result);
    }

    [Fact]
    public async Task Print_password_prints_only_the_registry_password_for_other_tools()
    {
        var result = await RunAsync("ecr", "login", "--print-password", "--endpoint-url", _ecr.EndpointUrl);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(_ecr.RegistryPassword + "\n", result.StandardOutput);
    }

    [Fact]
    public async Task Login_lets_the_real_docker_push_through_ECR_into_the_registry()
    {
        using var directory = new TempDirectory("ecr-push");
        var config = directory.Combine("docker-config");
        Directory.CreateDirectory(config);
        var image = $"{_ecr.Registry.Host}/app:v1";
        await Docker.RunCheckedAsync("build", "--quiet", "--no-cache", "--tag", image, Docker.WriteScratchContext(directory));
        try
        {
            var login = await RunAsync(
                new Dictionary<string, string?> { ["DOCKER_CONFIG"] = config, ["AWS_ENDPOINT_URL_ECR"] = _ecr.EndpointUrl },
                "ecr", "login", _ecr.Registry.Host, "--ecr", "--docker", Requirements.DockerCli);
            Assert.Equal(0, login.ExitCode);
            AssertNoSecrets(login);

            var push = await ProcessRunner.RunAsync(Requirements.DockerCli, ["--config", config, "push", image], cancellationToken: TestContext.Current.CancellationToken);

            Assert.Equal(0, push.ExitCode);
            Assert.NotNull(await _ecr.RegistryDigestAsync("app", "v1"));
            // The commands log records every process a test ran with its argv and output; tagforge's entries carry no
            // password (the harness's own htpasswd call, which sets the registry up, does).
            var log = await File.ReadAllTextAsync(ProcessRunner.LogPath, TestContext.Current.CancellationToken);
            var tagforgeEntries = log.Split("\n$ ").Where(entry => entry.StartsWith(TagForgeCli.ExecutablePath, StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(tagforgeEntries);
            Assert.All(tagforgeEntries, entry => Assert.DoesNotContain(_ecr.RegistryPassword, entry, StringComparison.Ordinal));
        }
        finally
        {
            await Docker.RunAsync("rmi", "--force", image);
        }
    }

    [Fact]
    public async Task Ensure_repo_creates_an_immutable_repository_then_reports_it_exists()
    {
        var first = await RunAsync("ecr", "ensure-repo", "team/app", "--immutable-tags", "--scan-on-push", "--endpoint-url", _ecr.EndpointUrl);
        var second = await RunAsync("ecr", "ensure-repo", "team/app", "--endpoint-url", _ecr.EndpointUrl);

        Assert.Equal(0, first.ExitCode);
        Assert.Equal($"{_ecr.Registry.Host}/team/app IMMUTABLE created\n", first.StandardOutput);
        Assert.Contains("created ECR repository team/app (IMMUTABLE tags, scan on push)", first.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, second.ExitCode);
        Assert.Equal($"{_ecr.Registry.Host}/team/app IMMUTABLE exists\n", second.StandardOutput);
        Assert.Equal("IMMUTABLE", _ecr.TagMutabilityOf("team/app"));
    }

    [Fact]
    public async Task Ensure_repo_takes_the_endpoint_from_AWS_ENDPOINT_URL()
    {
        var result = await RunAsync(new Dictionary<string, string?> { ["AWS_ENDPOINT_URL"] = _ecr.EndpointUrl }, "ecr", "ensure-repo", "svc");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"{_ecr.Registry.Host}/svc MUTABLE created\n", result.StandardOutput);
    }

    [Fact]
    public async Task Tag_adds_a_tag_registry_side_and_refuses_to_move_an_existing_one_with_exit_3()
    {
        _ecr.AddRepository("app", immutable: true);
        var build = await _ecr.PushImageAsync("app", "build-7");
        var released = await _ecr.PushImageAsync("app", "v1.0");
        var reference = $"{_ecr.Registry.Host}/app";

        var tagged = await RunAsync("ecr", "tag", $"{reference}:build-7", "v1.1", "--ecr", "--endpoint-url", _ecr.EndpointUrl);
        var refused = await RunAsync("ecr", "tag", $"{reference}@{build}", "v1.0", "--ecr", "--endpoint-url", _ecr.EndpointUrl);

        Assert.Equal(0, tagged.ExitCode);
        Assert.Equal($"{reference}:v1.1@{build}\n", tagged.StandardOutput);
        Assert.Equal(build, await _ecr.RegistryDigestAsync("app", "v1.1"));
        Assert.Equal(3, refused.ExitCode);
        Assert.Contains($"tagforge: error: tag v1.0 already exists in app with digest {released}; refusing to overwrite it with {build}", refused.StandardError, StringComparison.Ordinal);
        Assert.Equal(released, await _ecr.RegistryDigestAsync("app", "v1.0"));
    }

    [Fact]
    public async Task A_missing_repository_exits_1_and_says_how_to_create_it()
    {
        var result = await RunAsync("ecr", "tag", $"{_ecr.Registry.Host}/ghost:v1", "v2", "--ecr", "--endpoint-url", _ecr.EndpointUrl);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("ECR repository 'ghost' does not exist", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("tagforge ecr ensure-repo ghost", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_keys_exit_1_with_a_credentials_hint_and_no_secret_in_the_output()
    {
        var result = await RunAsync(
            new Dictionary<string, string?> { ["AWS_SECRET_ACCESS_KEY"] = "wrong-secret-value-123" },
            "ecr", "login", "--print-password", "--endpoint-url", _ecr.EndpointUrl);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
        Assert.Contains("check your AWS credentials", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret-value-123", result.StandardError, StringComparison.Ordinal);
        Assert.Single(result.StandardError.Trim().Split('\n'));
        AssertNoSecrets(result);
    }

    [Fact]
    public async Task Throttling_is_retried_with_a_warning_and_the_command_succeeds()
    {
        _ecr.ThrottleNext(1);

        var result = await RunAsync("ecr", "ensure-repo", "busy", "--endpoint-url", _ecr.EndpointUrl);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("tagforge: warning: ECR at 127.0.0.1 answered ThrottlingException; retry 1 of", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_registry_that_is_not_ECR_needs_the_ecr_flag()
    {
        var result = await RunAsync("ecr", "tag", "registry.example.com/app:v1", "v2", "--endpoint-url", _ecr.EndpointUrl);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("pass --ecr", result.StandardError, StringComparison.Ordinal);
    }
}
