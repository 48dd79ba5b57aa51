using System.Net;
using System.Text;
using TagForge.Testing;
using TagForge.Values;

namespace TagForge.Registry;

/// <summary>
/// The registry client's manifest and blob operations (get, put, delete, mount, upload, referrers, image config)
/// against a real registry: Debian's docker-registry with deletes enabled. Faults a real registry will not produce
/// (a HEAD without a digest followed by an HTML page) come from a tiny HttpListener.
/// </summary>
public class RegistryClientWriteTests
{
    private static readonly RegistryClientOptions FastRetries = new() { RetryBaseDelay = TimeSpan.FromMilliseconds(10), MaxRetryAttempts = 1 };

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static ImageReference Ref(LocalRegistry registry, string path) => ImageReference.Parse($"{registry.Host}/{path}");

    /// <summary>Uploads a config blob with <paramref name="labels"/> and an OCI manifest for it through the client itself.</summary>
    private static async Task<(Digest Manifest, byte[] Body)> PushImageAsync(RegistryClient client, ImageReference reference, string architecture, string labels = "{}")
    {
        var config = Encoding.UTF8.GetBytes($$$"""{"architecture":"{{{architecture}}}","os":"linux","created":"2026-11-30T10:00:00Z","config":{"Labels":{{{labels}}}},"rootfs":{"type":"layers","diff_ids":[]}}""");
        var configDigest = Digest.Sha256Of(config);
        await client.PushBlobAsync(reference, configDigest, config.Length, new MemoryStream(config), Token);
        var manifest = Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{configDigest}}","size":{{config.Length}}},"layers":[]}""");
        var digest = await client.PutManifestAsync(reference, ManifestDocument.OciManifest, manifest, Token);
        return (digest, manifest);
    }

    [Fact]
    public async Task A_manifest_read_and_put_under_another_tag_keeps_its_digest_and_bytes()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var client = new RegistryClient(FastRetries);
        var (digest, body) = await PushImageAsync(client, Ref(registry, "team/app:v1"), "amd64");

        var read = await client.GetManifestAsync(Ref(registry, "team/app:v1"), Token);
        Assert.NotNull(read);
        Assert.Equal(digest, read.Digest);
        Assert.Equal(body, read.Body);
        Assert.False(read.Document.IsIndex);
        Assert.NotNull(read.Document.Config);

        var retagged = await client.PutManifestAsync(Ref(registry, "team/app:prod"), read.MediaType, read.Body, Token);
        Assert.Equal(digest, retagged);
        Assert.Equal(digest, (await client.HeadManifestAsync(Ref(registry, "team/app:prod"), Token))?.Digest);
        Assert.Null(await client.GetManifestAsync(Ref(registry, "team/app:absent"), Token));
    }

    [Fact]
    public async Task An_index_of_two_platforms_is_stored_under_the_digest_of_its_bytes_and_reads_back_with_platforms()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var client = new RegistryClient(FastRetries);
        var (amd, amdBody) = await PushImageAsync(client, Ref(registry, "team/multi:amd"), "amd64");
        var (arm, armBody) = await PushImageAsync(client, Ref(registry, "team/multi:arm"), "arm64");
        var index = ManifestDocument.SerializeIndex(
        [
            new Descriptor(ManifestDocument.OciManifest, amd, amdBody.Length, Platform.Parse("linux/amd64")),
            new Descriptor(ManifestDocument.OciManifest, arm, armBody.Length, Platform.Parse("linux/arm64")),
        ]);

        var stored = await client.PutManifestAsync(Ref(registry, "team/multi:v1"), ManifestDocument.OciIndex, index, Token);

        Assert.Equal(Digest.Sha256Of(index), stored);
        var read = await client.GetManifestAsync(Ref(registry, "team/multi:v1"), Token);
        Assert.NotNull(read);
        Assert.True(read.Document.IsIndex);
        Assert.Equal(["linux/amd64", "linux/arm64"], read.Document.Manifests.Select(child => child.Platform!.ToString()));
        Assert.Equal([amd, arm], read.Document.Manifests.Select(child => child.Digest));
        Assert.Null(await client.GetImageConfigAsync(Ref(registry, "team/multi:v1"), Token));
        Assert.Equal(index, ManifestDocument.SerializeIndex(read.Document.Manifests));
    }

    [Fact]
    public async Task Blobs_are_found_uploaded_mounted_across_repositories_and_read_back()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var client = new RegistryClient(FastRetries);
        var content = Encoding.UTF8.GetBytes(new string('x', 70_000));
        var digest = Digest.Sha256Of(content);
        var source = Ref(registry, "team/source");
        var target = Ref(registry, "team/target");

        Assert.Null(await client.HeadBlobAsync(source, digest, Token));
        await client.PushBlobAsync(source, digest, content.Length, new MemoryStream(content), Token);
        Assert.Equal(content.Length, await client.HeadBlobAsync(source, digest, Token));

        Assert.Null(await client.HeadBlobAsync(target, digest, Token));
        Assert.True(await client.MountBlobAsync(target, digest, source.Repository, Token));
        Assert.Equal(content.Length, await client.HeadBlobAsync(target, digest, Token));

        var absent = Digest.Sha256Of("nobody uploaded this"u8);
        Assert.False(await client.MountBlobAsync(target, absent, source.Repository, Token));

        await using var stream = await client.OpenBlobAsync(target, digest, Token);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Token);
        Assert.Equal(content, copy.ToArray());
    }

    [Fact]
    public async Task A_blob_whose_bytes_do_not_match_its_digest_is_refused_by_the_registry()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var client = new RegistryClient(FastRetries);
        var claimed = Digest.Sha256Of("what was promised"u8);

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            client.PushBlobAsync(Ref(registry, "team/app"), claimed, 5, new MemoryStream("other"u8.ToArray()), Token));

        Assert.Contains("PUT blob", error.Message, StringComparison.Ordinal);
        Assert.Null(await client.HeadBlobAsync(Ref(registry, "team/app"), claimed, Token));
    }

    [Fact]
    public async Task Deleting_by_digest_removes_the_manifest_and_a_second_delete_says_it_was_gone()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var client = new RegistryClient(FastRetries);
        var (digest, _) = await PushImageAsync(client, Ref(registry, "team/app:old"), "amd64");
        var byDigest = Ref(registry, "team/app").With(null, digest);

        Assert.True(await client.DeleteManifestAsync(byDigest, Token));
        Assert.Null(await client.HeadManifestAsync(byDigest, Token));
        Assert.False(await client.DeleteManifestAsync(byDigest, Token));
        Assert.Throws<ArgumentException>(() => client.DeleteManifestAsync(Ref(registry, "team/app:old"), Token).GetAwaiter().GetResult());
    }

    [Fact]
    public async Task The_image_config_gives_labels_created_and_platform()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var client = new RegistryClient(FastRetries);
        await PushImageAsync(client, Ref(registry, "team/app:v1"), "arm64", """{"org.opencontainers.image.revision":"abc123","dev.example":"1"}""");

        var config = await client.GetImageConfigAsync(Ref(registry, "team/app:v1"), Token);

        Assert.NotNull(config);
        Assert.Equal("abc123", config.Labels["org.opencontainers.image.revision"]);
        Assert.Equal("linux/arm64", config.Platform?.ToString());
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero), config.Created);
        Assert.Equal(config.ConfigDigest, await client.GetConfigDigestAsync(Ref(registry, "team/app:v1"), Token));
    }

    [Fact]
    public async Task A_registry_without_the_referrers_api_has_no_referrers()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var client = new RegistryClient(FastRetries);
        var (digest, _) = await PushImageAsync(client, Ref(registry, "team/app:v1"), "amd64");

        Assert.Empty(await client.GetReferrersAsync(Ref(registry, "team/app"), digest, Token));
    }

    [Fact]
    public async Task A_HEAD_without_a_digest_followed_by_an_html_page_is_an_error_never_a_digest()
    {
        await using var server = StubHttpServer.Start(async (request, response) =>
        {
            if (request.HttpMethod == "HEAD")
            {
                response.StatusCode = 200;
                response.ContentType = "text/html";
                response.Close();
                return;
            }

            await StubHttpServer.WriteAsync(response, 200, "<html><body>Sign in to continue</body></html>", "text/html");
        });
        using var client = new RegistryClient(FastRetries);

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.HeadManifestAsync(ImageReference.Parse($"{server.Host}/team/app:v1"), Token));

        Assert.Contains("not a manifest or index", error.Message, StringComparison.Ordinal);
        Assert.Contains("text/html", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_whose_digest_is_not_the_one_asked_for_is_refused()
    {
        var body = """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000","size":2},"layers":[]}""";
        await using var server = StubHttpServer.Start((_, response) => StubHttpServer.WriteAsync(response, 200, body, ManifestDocument.OciManifest));
        using var client = new RegistryClient(FastRetries);
        var asked = Digest.Sha256Of("a different manifest"u8);

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(ImageReference.Parse($"{server.Host}/team/app@{asked}"), Token));

        Assert.Contains($"not {asked}", error.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, error.StatusCode);
    }
}
