using System.Text;
using TagForge.Errors;
using TagForge.IO;
using TagForge.Registry.Auth;
using TagForge.Testing;
using TagForge.Values;

namespace TagForge.Registry;

/// <summary>Docker's config.json as the docker CLI writes it; credential helpers are real executables on PATH.</summary>
public class DockerConfigCredentialSourceTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static DockerConfigCredentialSource SourceFor(TempDirectory directory) =>
        new(new DictionaryEnvironment(new Dictionary<string, string> { ["DOCKER_CONFIG"] = directory.Path }));

    [Fact]
    public async Task Reads_base64_auths_and_identity_tokens()
    {
        using var directory = new TempDirectory("dockercfg");
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("ci:pa:ss"));
        directory.Write("config.json", $$$"""
            {"auths": {
              "registry.example.com": {"auth": "{{{auth}}}"},
              "https://index.docker.io/v1/": {"auth": "", "identitytoken": "refresh-me"}
            }}
            """);
        var source = SourceFor(directory);

        Assert.Equal(new RegistryCredential("ci", "pa:ss"), await source.GetAsync("registry.example.com", Token));
        Assert.Equal("refresh-me", (await source.GetAsync("docker.io", Token))?.IdentityToken);
        Assert.Null(await source.GetAsync("other.example.com", Token));
    }

    [Fact]
    public async Task Runs_the_credential_helper_named_for_the_registry_with_the_host_on_stdin()
    {
        using var directory = new TempDirectory("credhelper");
        var helperName = "tftest" + Guid.NewGuid().ToString("N")[..8];
        var script = directory.Write($"bin/docker-credential-{helperName}", """
            #!/bin/sh
            read host
            [ "$1" = get ] || exit 2
            case "$host" in
              helped.example.com) printf '{"ServerURL":"%s","Username":"helper-user","Secret":"helper-secret"}' "$host" ;;
              *) echo "credentials not found in native keychain"; exit 1 ;;
            esac
            """);
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("credential helpers here are shell scripts");
            return;
        }

        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        Environment.SetEnvironmentVariable("PATH", directory.Combine("bin") + ":" + Environment.GetEnvironmentVariable("PATH"));
        directory.Write("config.json", $$"""{"credHelpers": {"helped.example.com": "{{helperName}}"}, "credsStore": "{{helperName}}"}""");
        var source = SourceFor(directory);

        Assert.Equal(new RegistryCredential("helper-user", "helper-secret"), await source.GetAsync("helped.example.com", Token));
        Assert.Null(await source.GetAsync("unknown.example.com", Token));
    }

    [Fact]
    public async Task Names_a_missing_credential_helper()
    {
        using var directory = new TempDirectory("nohelper");
        directory.Write("config.json", """{"credsStore": "does-not-exist-anywhere"}""");

        var error = await Assert.ThrowsAsync<ExternalFailureException>(() => SourceFor(directory).GetAsync("registry.example.com", Token));

        Assert.Contains("docker-credential-does-not-exist-anywhere", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_corrupt_config_with_its_path()
    {
        using var directory = new TempDirectory("badcfg");
        var path = directory.Write("config.json", "{ not json");

        var error = await Assert.ThrowsAsync<BadInputException>(() => SourceFor(directory).GetAsync("registry.example.com", Token));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explicit_credentials_come_before_the_docker_config()
    {
        using var directory = new TempDirectory("chain");
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("cfg:cfg"));
        directory.Write("config.json", "{\"auths\": {\"registry.example.com\": {\"auth\": \"" + auth + "\"}}}");
        var chain = new CredentialSourceChain(new ExplicitCredentialSource(new RegistryCredential("cli", "pw"), "registry.example.com"), SourceFor(directory));

        Assert.Equal("cli", (await chain.GetAsync("registry.example.com", Token))?.Username);
        Assert.Null(await chain.GetAsync("elsewhere.example.com", Token));
        Assert.DoesNotContain("pw", new RegistryCredential("cli", "pw").ToString(), StringComparison.Ordinal);
    }
}
