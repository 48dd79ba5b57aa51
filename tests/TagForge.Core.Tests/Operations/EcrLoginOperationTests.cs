using TagForge.Ecr;
using TagForge.Errors;
using TagForge.Testing;
using TagForge.Testing.Ecr;

namespace TagForge.Operations;

/// <summary><see cref="EcrLoginOperation"/> against the fake ECR, with shell scripts standing in for docker. Needs: docker-registry, htpasswd.</summary>
public sealed class EcrLoginOperationTests : IAsyncLifetime
{
    private readonly TempDirectory _home = new("ecr-login-op");
    private FakeEcr _ecr = null!;

    public async ValueTask InitializeAsync() => _ecr = await FakeEcr.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _ecr.DisposeAsync();
        _home.Dispose();
    }

    private string FakeDocker(string script)
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "the fake docker is a shell script");
        var path = _home.Write("fake-docker", "#!/bin/sh\n" + script);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    [Fact]
    public async Task Password_only_returns_the_callers_own_registry_login_without_running_docker()
    {
        using var services = FakeEcrServices.Create(_ecr, _home);

        var result = await EcrLoginOperation.RunAsync(
            new EcrLoginRequest { PasswordOnly = true, DockerExecutable = _home.Combine("no-such-docker") }, services, TestContext.Current.CancellationToken);

        Assert.False(result.DockerLoggedIn);
        Assert.Equal(_ecr.Registry.Host, result.Server);
        Assert.Equal("AWS", result.Login.Username);
        Assert.Equal(_ecr.RegistryPassword, result.Login.Password);
        Assert.DoesNotContain(_ecr.RegistryPassword, result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_docker_in_to_the_named_registry_with_the_password_on_stdin_and_not_on_the_command_line()
    {
        var argv = _home.Combine("argv.txt");
        var stdin = _home.Combine("stdin.txt");
        var docker = FakeDocker($"printf '%s\\n' \"$@\" > '{argv}'\ncat > '{stdin}'\necho 'Login Succeeded'\n");
        using var services = FakeEcrServices.Create(_ecr, _home);

        var result = await EcrLoginOperation.RunAsync(
            new EcrLoginRequest { Registry = _ecr.Registry.Host, Ecr = new EcrSettings(Force: true), DockerExecutable = docker }, services, TestContext.Current.CancellationToken);

        Assert.True(result.DockerLoggedIn);
        Assert.Equal(_ecr.Registry.Host, result.Server);
        Assert.Equal(["login", "--username", "AWS", "--password-stdin", _ecr.Registry.Host], await File.ReadAllLinesAsync(argv, TestContext.Current.CancellationToken));
        Assert.Equal(_ecr.RegistryPassword, await File.ReadAllTextAsync(stdin, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_failed_docker_login_says_why_without_the_password_even_when_docker_echoes_it()
    {
        var docker = FakeDocker("echo \"Error response from daemon: bad password $(cat)\" >&2\nexit 1\n");
        using var services = FakeEcrServices.Create(_ecr, _home);

        var ex = await Assert.ThrowsAsync<Containers.DockerCommandException>(() => EcrLoginOperation.RunAsync(
            new EcrLoginRequest { DockerExecutable = docker }, services, TestContext.Current.CancellationToken));

        Assert.Equal(ExitCode.ExternalFailure, ex.ExitCode);
        Assert.Contains("login failed (exit code 1): Error response from daemon: bad password ***", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_ecr.RegistryPassword, ex.Message + string.Join('\n', ex.OutputTail), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_registry_that_is_not_ECR_is_bad_input_and_asks_ECR_nothing()
    {
        using var services = FakeEcrServices.Create(_ecr, _home);

        var ex = await Assert.ThrowsAsync<BadInputException>(() => EcrLoginOperation.RunAsync(
            new EcrLoginRequest { Registry = "registry.example.com", PasswordOnly = true }, services, TestContext.Current.CancellationToken));

        Assert.Equal("'registry.example.com' is not an Amazon ECR registry host (<account>.dkr.ecr.<region>.amazonaws.com); pass --ecr (and --region) for a private DNS name", ex.Message);
        Assert.Empty(_ecr.Requests);
    }
}
