using System.Text;
using TagForge.Registry;
using TagForge.Testing;
using TagForge.Values;

namespace TagForge.Release;

/// <summary>External base images resolved to the digest their registry holds, against a real docker-registry.</summary>
public class BaseImagesTests
{
    private static readonly RegistryClientOptions NoRetries = new() { MaxRetryAttempts = 0, AttemptTimeout = TimeSpan.FromSeconds(5) };

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<Digest> PushAsync(RegistryClient client, string reference, string architecture)
    {
        var target = ImageReference.Parse(reference);
        var config = Encoding.UTF8.GetBytes($$$"""{"architecture":"{{{architecture}}}","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}""");
        var configDigest = Digest.Sha256Of(config);
        await client.PushBlobAsync(target, configDigest, config.Length, new MemoryStream(config), Token);
        var manifest = Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{configDigest}}","size":{{config.Length}}},"layers":[]}""");
        return await client.PutManifestAsync(target, ManifestDocument.OciManifest, manifest, Token);
    }

    [Fact]
    public async Task A_tagged_base_resolves_to_what_its_tag_points_at_now_and_follows_the_tag_when_it_moves()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var client = new RegistryClient(NoRetries);
        var first = await PushAsync(client, $"{registry.Host}/base/os:stable", "amd64");
        var reference = $"{registry.Host}/base/os:stable";

        var before = await BaseImages.ResolveAsync([reference, reference], client, Token);
        var moved = await PushAsync(client, reference, "arm64");
        var after = await BaseImages.ResolveAsync([reference], client, Token);

        Assert.Equal(first.ToString(), Assert.Single(before.Digests).Value);
        Assert.Equal(moved.ToString(), after.Digests[reference]);
        Assert.NotEqual(before.Digests[reference], after.Digests[reference]);
        Assert.Empty(after.Unknown);
    }

    [Fact]
    public async Task An_untagged_base_is_latest_as_the_builder_pulls_it()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var client = new RegistryClient(NoRetries);
        var latest = await PushAsync(client, $"{registry.Host}/base/os:latest", "amd64");

        var resolution = await BaseImages.ResolveAsync([$"{registry.Host}/base/os"], client, Token);

        Assert.Equal(latest.ToString(), resolution.Digests[$"{registry.Host}/base/os"]);
    }

    [Fact]
    public async Task A_base_pinned_by_digest_needs_no_registry()
    {
        using var client = new RegistryClient(NoRetries);
        const string digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

        var resolution = await BaseImages.ResolveAsync([$"127.0.0.1:1/base/os:1.0@{digest}"], client, Token);

        Assert.Equal(digest, resolution.Digests[$"127.0.0.1:1/base/os:1.0@{digest}"]);
    }

    [Fact]
    public async Task A_missing_tag_and_an_unreachable_registry_make_the_image_not_reusable_and_say_why()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var client = new RegistryClient(NoRetries);

        var resolution = await BaseImages.ResolveAsync([$"{registry.Host}/base/absent:1", "127.0.0.1:1/base/os:1", "UPPER/case"], client, Token);

        Assert.Empty(resolution.Digests);
        Assert.Equal(3, resolution.Unknown.Count);
        Assert.Contains(resolution.Unknown, line => line.Contains("base/absent:1 is not in", StringComparison.Ordinal));
        Assert.Contains(resolution.Unknown, line => line.StartsWith("cannot ask 127.0.0.1:1", StringComparison.Ordinal));
        Assert.Contains(resolution.Unknown, line => line.Contains("'UPPER/case' is not a reference", StringComparison.Ordinal));
    }
}
