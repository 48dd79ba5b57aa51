using System.Diagnostics;
using TagForge.Errors;
using TagForge.Testing;
using TagForge.Values;

namespace TagForge.Registry;

/// <summary>
/// The registry client and <see cref="PushConfirmation"/> through <see cref="FaultProxy"/> in front of a real
/// docker-registry: resets, 429/503 bursts with Retry-After, slow answers, truncated and invalid bodies and
/// read-after-push lag are waited out within their bounds, and what cannot be waited out fails as exit 1 naming
/// the registry. Needs: the Docker engine (to push the image) and docker-registry.
/// </summary>
[Collection(DockerEngine.CollectionName)]
public class FaultProxyTests
{
    private static readonly RegistryClientOptions FastRetries = new() { RetryBaseDelay = TimeSpan.FromMilliseconds(20), MaxRetryAttempts = 3 };

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<(LocalRegistry Registry, string Digest)> RegistryWithImageAsync()
    {
        var registry = await LocalRegistry.StartAsync();
        var digest = await ScratchImages.PushAsync(registry.Host, "team/app", "v1");
        return (registry, digest);
    }

    [Fact]
    public async Task Forwards_unchanged_when_no_fault_is_scripted()
    {
        var (registry, digest) = await RegistryWithImageAsync();
        await using var _ = registry;
        await using var proxy = FaultProxy.Start(registry.Host);
        using var client = new RegistryClient(FastRetries);

        var manifest = await client.HeadManifestAsync(ImageReference.Parse($"{proxy.Host}/team/app:v1"), Token);

        Assert.Equal(digest, manifest?.Digest.ToString());
        Assert.Equal(["v1"], await client.ListTagsAsync(ImageReference.Parse($"{proxy.Host}/team/app"), Token));
        Assert.Contains(proxy.Log, line => line.StartsWith("HEAD /v2/team/app/manifests/v1 -> 200", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_reset_and_a_503_burst_with_Retry_After_are_waited_out()
    {
        var (registry, digest) = await RegistryWithImageAsync();
        await using var _ = registry;
        await using var proxy = FaultProxy.Start(registry.Host);
        // Any method: after a failed HEAD the client asks with GET.
        proxy.Inject(Fault.Reset(pathContains: "/manifests/"))
            .Inject(Fault.Status(503, retryAfterSeconds: 1, pathContains: "/manifests/", times: 1))
            .Inject(Fault.Status(429, retryAfterSeconds: 1, pathContains: "/manifests/", times: 1));
        using var client = new RegistryClient(FastRetries);
        var clock = Stopwatch.StartNew();

        var manifest = await client.HeadManifestAsync(ImageReference.Parse($"{proxy.Host}/team/app:v1"), Token);

        Assert.Equal(digest, manifest?.Digest.ToString());
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.8), $"Retry-After was not honoured: {clock.Elapsed}: {string.Join(" | ", proxy.Log)}");
        Assert.Equal(4, proxy.Log.Count(line => line.Contains(" /v2/team/app/manifests/v1 ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_503_that_never_ends_is_an_external_failure_naming_the_registry_after_bounded_retries()
    {
        var (registry, _) = await RegistryWithImageAsync();
        await using var __ = registry;
        await using var proxy = FaultProxy.Start(registry.Host);
        proxy.Inject(Fault.Status(503, pathContains: "/manifests/", times: int.MaxValue));
        using var client = new RegistryClient(FastRetries);

        var error = await Assert.ThrowsAnyAsync<ExternalFailureException>(() => client.HeadManifestAsync(ImageReference.Parse($"{proxy.Host}/team/app:v1"), Token));

        Assert.Contains(proxy.Host, error.Message, StringComparison.Ordinal);
        Assert.InRange(proxy.Log.Count(line => line.Contains("/manifests/", StringComparison.Ordinal)), 1 + FastRetries.MaxRetryAttempts!.Value, 2 * (1 + FastRetries.MaxRetryAttempts!.Value));
    }

    [Fact]
    public async Task A_truncated_or_invalid_manifest_body_is_an_external_failure_not_a_crash()
    {
        var (registry, _) = await RegistryWithImageAsync();
        await using var __ = registry;
        await using var proxy = FaultProxy.Start(registry.Host);
        proxy.Inject(Fault.InvalidBody("GET", "/manifests/", times: int.MaxValue));
        using var client = new RegistryClient(FastRetries);
        var reference = ImageReference.Parse($"{proxy.Host}/team/app:v1");
        var digest = (await client.HeadManifestAsync(reference, Token))!.Digest;

        var error = await Record.ExceptionAsync(() => client.GetConfigDigestAsync(reference.With(null, digest), Token));

        Assert.True(error is null or TagForgeException, $"an invalid body escaped as {error}");
        proxy.Clear();
        proxy.Inject(Fault.TruncatedBody("GET", "/manifests/", times: int.MaxValue));
        var truncated = await Record.ExceptionAsync(() => client.GetConfigDigestAsync(reference.With(null, digest), Token));
        Assert.True(truncated is null or TagForgeException, $"a truncated body escaped as {truncated}");
    }

    [Fact]
    public async Task Push_confirmation_waits_out_a_404_right_after_a_push()
    {
        var (registry, digest) = await RegistryWithImageAsync();
        await using var _ = registry;
        await using var proxy = FaultProxy.Start(registry.Host);
        var lag = Fault.AfterManifestPut(times: 3);
        proxy.Inject(lag);
        using var client = new RegistryClient(FastRetries);
        await PutManifestThroughAsync(proxy, registry);
        var fast = new PushConfirmationOptions(Attempts: 5, FirstDelay: TimeSpan.FromMilliseconds(50), LongestDelay: TimeSpan.FromMilliseconds(200));

        var manifest = await PushConfirmation.ConfirmAsync(client, ImageReference.Parse($"{proxy.Host}/team/app:v1"), fast, Token);

        Assert.Equal(digest, manifest?.Digest.ToString());
        Assert.Equal(3, lag.FiredCount);
    }

    [Fact]
    public async Task Push_confirmation_gives_up_after_its_bound_and_a_plain_head_does_not_wait_at_all()
    {
        var (registry, _) = await RegistryWithImageAsync();
        await using var __ = registry;
        await using var proxy = FaultProxy.Start(registry.Host);
        var lag = Fault.AfterManifestPut(times: int.MaxValue);
        proxy.Inject(lag);
        using var client = new RegistryClient(FastRetries);
        await PutManifestThroughAsync(proxy, registry);
        var reference = ImageReference.Parse($"{proxy.Host}/team/app:v1");

        Assert.Null(await PushConfirmation.ConfirmAsync(client, reference, new(Attempts: 4, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20)), Token));
        Assert.Equal(4, lag.FiredCount);

        // verify and resolve ask once: an old pin that is gone is reported at once, not after a wait.
        Assert.Null(await client.HeadManifestAsync(reference, Token));
        Assert.Equal(5, lag.FiredCount);
    }

    [Fact]
    public async Task Push_confirmation_does_not_retry_what_is_not_a_404()
    {
        var (registry, _) = await RegistryWithImageAsync();
        await using var __ = registry;
        await using var proxy = FaultProxy.Start(registry.Host);
        proxy.Inject(Fault.Status(401, pathContains: "/manifests/", times: int.MaxValue));
        using var client = new RegistryClient(FastRetries);

        await Assert.ThrowsAnyAsync<ExternalFailureException>(() => PushConfirmation.ConfirmAsync(client, ImageReference.Parse($"{proxy.Host}/team/app:v1"), Token));

        Assert.InRange(proxy.Log.Count(line => line.Contains("/manifests/", StringComparison.Ordinal)), 1, 2);
    }

    /// <summary>Re-PUTs the v1 manifest through the proxy, as a push ends, arming the proxy's read-after-push faults.</summary>
    private static async Task PutManifestThroughAsync(FaultProxy proxy, LocalRegistry registry)
    {
        using var http = new HttpClient();
        const string MediaType = "application/vnd.docker.distribution.manifest.v2+json";
        using var get = new HttpRequestMessage(HttpMethod.Get, new Uri(registry.BaseUri, "v2/team/app/manifests/v1"));
        get.Headers.Accept.ParseAdd(MediaType);
        get.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        using var current = await http.SendAsync(get, Token);
        var body = await current.Content.ReadAsByteArrayAsync(Token);
        using var put = new HttpRequestMessage(HttpMethod.Put, new Uri($"http://{proxy.Host}/v2/team/app/manifests/v1")) { Content = new ByteArrayContent(body) };
        put.Content.Headers.ContentType = current.Content.Headers.ContentType;
        using var stored = await http.SendAsync(put, Token);
        Assert.True(stored.IsSuccessStatusCode, $"PUT through the proxy: {(int)stored.StatusCode}");
    }
}
