using System.Diagnostics;
using System.Text.Json;
using TagForge.Testing;

namespace TagForge.Cli.Tests.Reliability;

/// <summary>
/// The built CLI through <see cref="FaultProxy"/> in front of a real docker-registry: <c>release</c> (docker push
/// included: docker treats 127.0.0.1 as insecure), <c>verify</c> and <c>resolve</c> wait out what is transient, within
/// bounds, and fail fast on what is not. Needs: docker-registry; the release also the Docker engine.
/// </summary>
[Collection(DockerEngine.CollectionName)]
public sealed class FaultProxyCliTests
{
    private static string Pod(string image) =>
        $"apiVersion: v1\nkind: Pod\nmetadata:\n  name: test\nspec:\n  containers:\n  - name: app\n    image: {image}\n";

    [Fact]
    public async Task Release_waits_out_a_404_on_the_manifest_it_just_pushed()
    {
        await using var registry = await LocalRegistry.StartAsync();
        await using var proxy = FaultProxy.Start(registry.Host);
        var lag = Fault.AfterManifestPut(times: 3);
        proxy.Inject(lag);
        using var repository = await SampleApp.CreateAsync();
        var image = $"{proxy.Host}/team/lagged";

        var result = await TagForgeCli.RunAsync(["release", "--image", image], repository.Path, TagForgeCli.ReleaseEnvironment());

        Assert.True(result.ExitCode == 0, result + "\n" + string.Join("\n", proxy.Log));
        Assert.Equal(3, lag.FiredCount);
        var entry = JsonDocument.Parse(File.ReadAllText(Path.Combine(repository.Path, "tagforge.json"))).RootElement.GetProperty("images")[0];
        var tag = entry.GetProperty("tag").GetString()!;
        using var http = new HttpClient();
        using var head = new HttpRequestMessage(HttpMethod.Head, new Uri(registry.BaseUri, $"v2/team/lagged/manifests/{tag}"));
        head.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
        head.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        head.Headers.Accept.ParseAdd("application/vnd.oci.image.index.v1+json");
        using var response = await http.SendAsync(head, TestContext.Current.CancellationToken);
        Assert.Equal(response.Headers.GetValues("Docker-Content-Digest").Single(), entry.GetProperty("digest").GetString());
        await Docker.RunAsync("rmi", "--force", $"{image}:{tag}");
    }

    [Fact]
    public async Task Release_through_resets_and_a_503_burst_still_records_the_registrys_digest()
    {
        await using var registry = await LocalRegistry.StartAsync();
        await using var proxy = FaultProxy.Start(registry.Host);
        proxy.Inject(Fault.Reset(pathContains: "/manifests/"))
            .Inject(Fault.Status(503, retryAfterSeconds: 1, pathContains: "/manifests/", times: 2));
        using var repository = await SampleApp.CreateAsync();
        var image = $"{proxy.Host}/team/bumpy";

        var result = await TagForgeCli.RunAsync(["release", "--image", image, "--rm-local"], repository.Path, TagForgeCli.ReleaseEnvironment());

        Assert.True(result.ExitCode == 0, result + "\n" + string.Join("\n", proxy.Log));
        Assert.Contains("@sha256:", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_of_an_old_pin_fails_fast_on_a_404_and_waits_out_a_503()
    {
        await using var registry = await LocalRegistry.StartAsync();
        var digest = await RegistryUploads.PushAsync(registry, "shop/api", "1.0", "x");
        await using var proxy = FaultProxy.Start(registry.Host);
        using var directory = new TempDirectory("verify");
        directory.Write("pod.yaml", Pod($"{proxy.Host}/shop/api@{digest}"));

        proxy.Inject(Fault.Status(503, retryAfterSeconds: 1, pathContains: "/manifests/", times: 1));
        var survived = await TagForgeCli.RunAsync(["verify", "pod.yaml"], directory.Path);
        Assert.True(survived.ExitCode == 0, survived.ToString());

        proxy.Clear();
        proxy.Inject(Fault.Status(404, method: "HEAD", pathContains: "/manifests/", times: int.MaxValue));
        var clock = Stopwatch.StartNew();
        var missing = await TagForgeCli.RunAsync(["verify", "pod.yaml"], directory.Path);

        Assert.Equal(3, missing.ExitCode);
        Assert.Contains("does not exist", missing.StandardOutput, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"verify waited {clock.Elapsed} on a 404");
    }

    [Fact]
    public async Task Resolve_through_a_reset_and_a_429_pins_the_registrys_digest()
    {
        await using var registry = await LocalRegistry.StartAsync();
        var digest = await RegistryUploads.PushAsync(registry, "shop/api", "1.0", "x");
        await using var proxy = FaultProxy.Start(registry.Host);
        proxy.Inject(Fault.Reset(pathContains: "/manifests/"))
            .Inject(Fault.Status(429, retryAfterSeconds: 1, pathContains: "/manifests/", times: 1));
        using var directory = new TempDirectory("resolve");
        directory.Write("pod.yaml", Pod($"{proxy.Host}/shop/api:1.0"));

        var result = await TagForgeCli.RunAsync(["resolve", "pod.yaml"], directory.Path);

        Assert.True(result.ExitCode == 0, result + "\n" + string.Join("\n", proxy.Log));
        Assert.Equal(Pod($"{proxy.Host}/shop/api:1.0@{digest}"), File.ReadAllText(directory.Combine("pod.yaml")));
    }

    [Fact]
    public async Task Resolve_against_a_registry_that_answers_with_an_html_page_changes_nothing_and_never_crashes()
    {
        await using var registry = await LocalRegistry.StartAsync();
        _ = await RegistryUploads.PushAsync(registry, "shop/api", "1.0", "x");
        await using var proxy = FaultProxy.Start(registry.Host);
        proxy.Inject(Fault.HtmlWithoutDigest());
        using var directory = new TempDirectory("resolve");
        var original = Pod($"{proxy.Host}/shop/api:1.0");
        directory.Write("pod.yaml", original);

        var result = await TagForgeCli.RunAsync(["resolve", "pod.yaml"], directory.Path);

        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.StandardError, StringComparison.Ordinal);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal(original, File.ReadAllText(directory.Combine("pod.yaml")));
    }
}
