using TagForge.Testing;

namespace TagForge.Cli.Tests.Integrations;

/// <summary><c>tagforge doctor</c> against real git repositories, the real Docker engine and a real registry (htpasswd auth).</summary>
[Collection(DockerEngine.CollectionName)]
public class DoctorCommandTests
{
    private static Dictionary<string, string?> Environment(TempDirectory home, params (string Name, string? Value)[] extra)
    {
        var environment = new Dictionary<string, string?>
        {
            ["DOCKER_CONFIG"] = home.Path,
            ["TAGFORGE_DOCKER"] = null,
            ["TAGFORGE_IMAGE"] = null,
            ["TAGFORGE_CONFIG"] = null,
            ["TAGFORGE_REGISTRY_USERNAME"] = null,
            ["TAGFORGE_REGISTRY_PASSWORD"] = null,
        };
        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        return environment;
    }

    [Fact]
    public async Task Says_ready_when_git_docker_the_registry_and_credentials_work()
    {
        await using var registry = await LocalRegistry.StartWithBasicAuthAsync("dev", "right-password");
        using var repository = await SampleApp.CreateAsync();
        using var home = new TempDirectory("doctor");
        repository.WriteFile("tagforge.yml", $"image: {registry.Host}/team/app\n");
        await repository.CommitAsync("config");

        var result = await TagForgeCli.RunAsync(["doctor"], repository.Path,
            Environment(home, ("TAGFORGE_REGISTRY_USERNAME", "dev"), ("TAGFORGE_REGISTRY_PASSWORD", "right-password")));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("ok   git ", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"ok   config      settings from {Path.Combine(repository.Path, "tagforge.yml")}", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("ok   docker      engine ", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"ok   registry    {registry.Host} answers as a registry at http://{registry.Host} (asks for credentials); team/app has 0 tag(s)", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("ok   credentials TAGFORGE_REGISTRY_USERNAME/TAGFORGE_REGISTRY_PASSWORD", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("tagforge: ready to release\n", result.StandardError);
        Assert.DoesNotContain("right-password", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Names_wrong_credentials_and_how_to_fix_them()
    {
        await using var registry = await LocalRegistry.StartWithBasicAuthAsync("dev", "right-password");
        using var repository = await SampleApp.CreateAsync();
        using var home = new TempDirectory("doctor");

        var result = await TagForgeCli.RunAsync(["doctor", "--image", $"{registry.Host}/team/app"], repository.Path,
            Environment(home, ("TAGFORGE_REGISTRY_USERNAME", "dev"), ("TAGFORGE_REGISTRY_PASSWORD", "wrong-password")));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"FAIL credentials TAGFORGE_REGISTRY_USERNAME/TAGFORGE_REGISTRY_PASSWORD: {registry.Host} refused the credentials for dev (HTTP 401)", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"fix: log in (tagforge login {registry.Host} --username USER --password-stdin, or docker login {registry.Host})", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Says_no_credentials_were_found_apart_from_refused_ones_and_reads_a_tagforge_login()
    {
        await using var registry = await LocalRegistry.StartWithBasicAuthAsync("dev", "right-password");
        using var repository = await SampleApp.CreateAsync();
        using var home = new TempDirectory("doctor");
        string[] doctor = ["doctor", "--image", $"{registry.Host}/team/app"];

        var none = await TagForgeCli.RunAsync(doctor, repository.Path, Environment(home));
        var login = await TagForgeCli.RunAsync(["login", registry.Host, "--username", "dev", "--password-stdin"], repository.Path, Environment(home), "right-password");
        var loggedIn = await TagForgeCli.RunAsync(doctor, repository.Path, Environment(home));

        Assert.Equal(1, none.ExitCode);
        Assert.Contains($"FAIL credentials no credentials for {registry.Host}, which asks for them (HTTP 401)", none.StandardOutput, StringComparison.Ordinal);
        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains($"ok   credentials docker config {home.Combine("config.json")}: reading team/app works", loggedIn.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Names_a_web_server_on_the_registrys_port_as_not_a_registry_instead_of_ready()
    {
        var port = FreePort.Next();
        using var site = new TempDirectory("website");
        await using var web = await PythonWebServer.StartAsync(site.Path, port);
        using var repository = await SampleApp.CreateAsync();
        using var home = new TempDirectory("doctor");

        var result = await TagForgeCli.RunAsync(["doctor", "--image", $"127.0.0.1:{port}/team/app"], repository.Path, Environment(home));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"FAIL registry    127.0.0.1:{port} is not a container registry: GET http://127.0.0.1:{port}/v2/ answered HTTP 404", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("ready to release", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Names_a_missing_repository_a_broken_docker_and_an_unreachable_registry()
    {
        using var outside = new TempDirectory("doctor-outside");
        using var home = new TempDirectory("doctor");
        var port = FreePort.Next();

        var result = await TagForgeCli.RunAsync(["doctor", "--image", $"127.0.0.1:{port}/team/app"], outside.Path,
            Environment(home, ("TAGFORGE_DOCKER", outside.Combine("no-such-docker"))));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("FAIL git ", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("FAIL docker ", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"FAIL registry    cannot reach registry 127.0.0.1:{port}", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("tagforge: 3 problem(s) to fix before releasing\n", result.StandardError);
    }
}
