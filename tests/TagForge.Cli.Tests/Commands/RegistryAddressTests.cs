using System.Text.Json;
using TagForge.Registry;
using TagForge.Testing;
using TagForge.Values;

namespace TagForge.Cli.Tests.Commands;

/// <summary>
/// A release says what its registry is before it pushes (it asks while its build starts, and stops the build): against a plain web server (python3's http.server on a
/// port, as a wrong port would reach), and against Debian's docker-registry serving TLS on 127.0.0.1 with a
/// self-signed certificate, trusted through <c>SSL_CERT_FILE</c> or not. Needs: python3, docker-registry, the Docker
/// engine (docker pushes to a TLS registry on loopback by its own rules: it skips verification there).
/// </summary>
[Collection(DockerEngine.CollectionName)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // file modes and shell scripts
public sealed class RegistryAddressTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>
    /// A docker that notes each call and then takes its time (a build under way): the release must stop it when the
    /// registry's answer comes, and must never call it to push. It notes "finished" only if it was left to end.
    /// </summary>
    private static string SlowDocker(TempDirectory directory)
    {
        var script = directory.Write(
            "docker", $"#!/bin/sh\necho \"$*\" >> '{directory.Combine("calls")}'\nsleep 20\ntouch '{directory.Combine("finished")}'\nexit 1\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return script;
    }

    /// <summary>What <see cref="SlowDocker"/> was asked to do: never a push, and a build stopped before it finished.</summary>
    private static void AssertNothingPushed(TempDirectory directory)
    {
        var calls = File.Exists(directory.Combine("calls")) ? File.ReadAllLines(directory.Combine("calls")) : [];
        Assert.DoesNotContain(calls, call => call.Split(' ').Contains("push"));
        Assert.False(File.Exists(directory.Combine("finished")), "the build was left to finish after the registry's answer");
    }

    [Fact]
    public async Task A_release_to_a_port_where_a_web_server_answers_is_exit_1_naming_it_and_its_build_is_stopped_before_any_push()
    {
        var port = FreePort.Next();
        using var site = new TempDirectory("website");
        await using var web = await PythonWebServer.StartAsync(site.Path, port);
        using var repository = await SampleApp.CreateAsync();
        using var tools = new TempDirectory("docker-mark");

        var result = await TagForgeCli.RunAsync(
            ["release", "--image", $"127.0.0.1:{port}/team/app"], repository.Path,
            TagForgeCli.ReleaseEnvironment(("TAGFORGE_DOCKER", SlowDocker(tools)), ("DOCKER_CONFIG", tools.Combine("config"))));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
        Assert.StartsWith(
            $"tagforge: error: 127.0.0.1:{port} is not a container registry: GET http://127.0.0.1:{port}/v2/ answered HTTP 404 File not found, Server: SimpleHTTP/",
            result.StandardError.Split('\n').Last(line => line.StartsWith("tagforge: error:", StringComparison.Ordinal)),
            StringComparison.Ordinal);
        AssertNothingPushed(tools);
        Assert.False(File.Exists(Path.Combine(repository.Path, "tagforge.json")));
    }

    [Fact]
    public async Task A_release_to_a_TLS_registry_on_loopback_works_when_SSL_CERT_FILE_trusts_its_certificate()
    {
        using var certificate = new SelfSignedCertificate();
        await using var registry = await LocalRegistry.StartWithTlsAsync(certificate);
        using var repository = await SampleApp.CreateAsync();
        using var tools = new TempDirectory("docker-mark");
        var image = $"{registry.Host}/team/tls";

        var untrusted = await TagForgeCli.RunAsync(["release", "--image", image], repository.Path,
            TagForgeCli.ReleaseEnvironment(("TAGFORGE_DOCKER", SlowDocker(tools)), ("SSL_CERT_FILE", null), ("SSL_CERT_DIR", null)));
        var trusted = await TagForgeCli.RunAsync(["release", "--image", image, "--rm-local"], repository.Path,
            TagForgeCli.ReleaseEnvironment(("SSL_CERT_FILE", certificate.TrustingBundlePath)));

        Assert.Equal(1, untrusted.ExitCode);
        Assert.Contains($"tagforge: error: the TLS certificate of registry {registry.Host} is not trusted", untrusted.StandardError, StringComparison.Ordinal);
        AssertNothingPushed(tools);
        Assert.True(trusted.ExitCode == 0, trusted.ToString());
        using var record = JsonDocument.Parse(File.ReadAllText(Path.Combine(repository.Path, "tagforge.json")));
        var entry = record.RootElement.GetProperty("images")[0];
        using var client = new RegistryClient(new RegistryClientOptions { InsecureRegistries = [registry.Host], ProbeRegistries = true });
        var stored = await client.HeadManifestAsync(ImageReference.Parse($"{image}:{entry.GetProperty("tag").GetString()}"), Token);
        Assert.Equal(entry.GetProperty("digest").GetString(), stored?.Digest.ToString());
        await DockerCleanup.RemoveRepositoryAsync(image);
    }

    [Fact]
    public async Task Registry_side_commands_reach_a_TLS_registry_on_loopback_trusted_through_SSL_CERT_FILE_or_insecure_registry()
    {
        using var certificate = new SelfSignedCertificate();
        await using var registry = await LocalRegistry.StartWithTlsAsync(certificate);
        using (var client = new RegistryClient(new RegistryClientOptions { InsecureRegistries = [registry.Host], ProbeRegistries = true }))
        {
            await RegistryImages.PushImageAsync(client, ImageReference.Parse($"{registry.Host}/team/app:v1"), cancellationToken: Token);
        }

        using var home = new TempDirectory("tls-promote");
        string[] promote = ["promote", $"{registry.Host}/team/app:v1", "v2"];

        var untrusted = await TagForgeCli.RunAsync(promote, home.Path, TagForgeCli.ReleaseEnvironment(("SSL_CERT_FILE", null), ("SSL_CERT_DIR", null)));
        var trusted = await TagForgeCli.RunAsync(promote, home.Path, TagForgeCli.ReleaseEnvironment(("SSL_CERT_FILE", certificate.TrustingBundlePath)));
        var insecure = await TagForgeCli.RunAsync([.. promote[..2], "v3", "--insecure-registry", registry.Host], home.Path, TagForgeCli.ReleaseEnvironment(("SSL_CERT_FILE", null)));

        Assert.Equal(1, untrusted.ExitCode);
        Assert.Contains("is not trusted (RemoteCertificateChainErrors)", untrusted.StandardError, StringComparison.Ordinal);
        Assert.True(trusted.ExitCode == 0, trusted.ToString());
        Assert.True(insecure.ExitCode == 0, insecure.ToString());
    }
}
