using TagForge.Registry;
using TagForge.Testing;
using TagForge.Values;

namespace TagForge.Operations;

/// <summary>
/// What prune keeps, judged by a real registry's answers after <c>--apply</c> (HEAD by digest, the tag list), never by
/// TagForge's report: untagged references, tag@digest, nested indexes, platform tags, referrers through the OCI 1.1
/// tag schema, attestation tags. Needs: docker-registry.
/// </summary>
public sealed class PruneKeepsWhatAClusterPullsTests
{
    private static readonly Services.RegistryAccess NoRetries = new() { MaxRetryAttempts = 0 };

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static RegistryClient NewClient() => new(new RegistryClientOptions { MaxRetryAttempts = 0 });

    private static async Task<bool> ExistsAsync(RegistryClient client, ImageReference repo, Digest digest) =>
        await client.HeadManifestAsync(repo.With(null, digest), Token) is not null;

    private static Task<PruneResult> ApplyAsync(TempDirectory directory, ImageReference repo, params string[] keepPinned)
    {
        using var services = Samples.In(directory);
        return PruneOperation.RunAsync(new PruneRequest { Repository = repo.Name, KeepPinned = keepPinned, Apply = true, Registry = NoRetries }, services, Token);
    }

    [Fact]
    public async Task An_untagged_reference_keeps_latest_as_every_runtime_pulls_it()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var client = NewClient();
        using var directory = new TempDirectory("prune");
        var repo = ImageReference.Parse($"{registry.Host}/shop/api");
        var latest = await RegistryImages.PushImageAsync(client, repo.With("latest", null), cancellationToken: Token);
        var old = await RegistryImages.PushImageAsync(client, repo.With("0.9", null), cancellationToken: Token);
        directory.Write("deploy.yaml", Samples.Pod($"{registry.Host}/shop/api"));

        var result = await ApplyAsync(directory, repo, "deploy.yaml");

        Assert.True(await ExistsAsync(client, repo, latest.Digest));
        Assert.False(await ExistsAsync(client, repo, old.Digest));
        Assert.Equal(["latest"], await client.ListTagsAsync(repo, Token));
        Assert.Equal(["untagged in deploy.yaml:8 (pulls latest)"], result.Entries.Single(entry => entry.Tag == "latest").Reasons);
    }

    [Fact]
    public async Task A_tag_with_a_digest_keeps_the_digest_not_the_tag()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var client = NewClient();
        using var directory = new TempDirectory("prune");
        var repo = ImageReference.Parse($"{registry.Host}/shop/api");
        var pinned = await RegistryImages.PushImageAsync(client, repo.With("1.0", null), cancellationToken: Token);
        var moved = await RegistryImages.PushImageAsync(client, repo.With("2.0", null), cancellationToken: Token);
        directory.Write("task.json", $"{{\"family\": \"api\", \"containerDefinitions\": [{{\"name\": \"api\", \"image\": \"{registry.Host}/shop/api:2.0@{pinned.Digest}\"}}]}}");

        await ApplyAsync(directory, repo, "task.json");

        Assert.True(await ExistsAsync(client, repo, pinned.Digest));
        Assert.False(await ExistsAsync(client, repo, moved.Digest));
    }

    [Fact]
    public async Task A_pinned_index_whose_tag_moved_on_keeps_every_level_its_platform_tags_attestations_and_referrers_tags()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var client = NewClient();
        using var directory = new TempDirectory("prune");
        var repo = ImageReference.Parse($"{registry.Host}/shop/api");
        var amd = await RegistryImages.PushImageAsync(client, repo, "amd64", cancellationToken: Token);
        var arm = await RegistryImages.PushImageAsync(client, repo, "arm64", cancellationToken: Token);
        var inner = await RegistryArtifacts.PushIndexOfAsync(client, repo, [(ManifestDocument.OciManifest, amd.Digest, amd.Size), (ManifestDocument.OciManifest, arm.Digest, arm.Size)], Token);
        var outer = await RegistryArtifacts.PushIndexOfAsync(client, repo.With("1.0", null), [(ManifestDocument.OciIndex, inner, await RegistryArtifacts.SizeOfAsync(client, repo, inner, Token))], Token);
        foreach (var (platform, image) in new[] { ("linux-amd64", amd.Digest), ("linux-arm64", arm.Digest) })
        {
            var body = (await client.GetManifestAsync(repo.With(null, image), Token))!;
            await client.PutManifestAsync(repo.With($"1.0-{platform}", null), body.MediaType, body.Body, Token);
        }

        var outerSize = await RegistryArtifacts.SizeOfAsync(client, repo, outer, Token);
        var sbom = await RegistryArtifacts.PushReferrerAsync(client, repo, outer, outerSize, cancellationToken: Token);
        var referrersTag = await RegistryArtifacts.PushReferrersTagAsync(client, repo, outer, [sbom], Token);
        var sbomSignature = await RegistryArtifacts.PushReferrerAsync(client, repo, sbom.Digest, sbom.Size, cancellationToken: Token);
        var sbomReferrersTag = await RegistryArtifacts.PushReferrersTagAsync(client, repo, sbom.Digest, [sbomSignature], Token);
        var attestation = await RegistryArtifacts.PushReferrerAsync(client, repo, outer, outerSize, tag: $"sha256-{outer.Hex}.att", cancellationToken: Token);
        var signature = await RegistryImages.PushSignatureTagAsync(client, repo, outer, Token);

        // The tag moved on to a new build; the cluster still runs the old index by digest.
        var next = await RegistryImages.PushImageAsync(client, repo.With("1.0", null), cancellationToken: Token);
        var orphan = await RegistryImages.PushImageAsync(client, repo.With("0.1", null), cancellationToken: Token);
        directory.Write("deploy.yaml", Samples.Pod($"{registry.Host}/shop/api@{outer}"));

        var result = await ApplyAsync(directory, repo, "deploy.yaml");

        foreach (var kept in new[] { outer, inner, amd.Digest, arm.Digest, sbom.Digest, referrersTag, sbomSignature.Digest, sbomReferrersTag, attestation.Digest, signature })
        {
            Assert.True(await ExistsAsync(client, repo, kept), $"{kept} was deleted");
        }

        Assert.False(await ExistsAsync(client, repo, next.Digest));
        Assert.False(await ExistsAsync(client, repo, orphan.Digest));
        Assert.Equal(
            new[] { "1.0-linux-amd64", "1.0-linux-arm64", $"sha256-{outer.Hex}", $"sha256-{outer.Hex}.att", $"sha256-{outer.Hex}.sig", $"sha256-{sbom.Digest.Hex}" }.Order(StringComparer.Ordinal),
            (await client.ListTagsAsync(repo, Token)).Order(StringComparer.Ordinal));
        Assert.Equal(2, result.Deleted.Count);
    }

    [Fact]
    public async Task Keep_last_counts_a_multi_platform_release_with_its_platform_and_signature_tags_once()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var client = NewClient();
        using var directory = new TempDirectory("prune");
        var repo = ImageReference.Parse($"{registry.Host}/shop/api");
        var releases = new List<Digest[]>();
        foreach (var (version, days) in new[] { ("1.0", 30), ("1.1", 20), ("1.2", 10) })
        {
            var created = DateTimeOffset.UtcNow.AddDays(-days);
            var amd = await RegistryImages.PushImageAsync(client, repo.With($"{version}-linux-amd64", null), "amd64", created: created, cancellationToken: Token);
            var arm = await RegistryImages.PushImageAsync(client, repo.With($"{version}-linux-arm64", null), "arm64", created: created, cancellationToken: Token);
            var index = await RegistryArtifacts.PushIndexOfAsync(client, repo.With(version, null), [(ManifestDocument.OciManifest, amd.Digest, amd.Size), (ManifestDocument.OciManifest, arm.Digest, arm.Size)], Token);
            var signature = await RegistryImages.PushSignatureTagAsync(client, repo, index, Token);
            releases.Add([index, amd.Digest, arm.Digest, signature]);
        }

        using var services = Samples.In(directory);
        var result = await PruneOperation.RunAsync(new PruneRequest { Repository = repo.Name, KeepLast = 2, Apply = true, Registry = NoRetries }, services, Token);

        foreach (var digest in releases[0])
        {
            Assert.False(await ExistsAsync(client, repo, digest), $"{digest} of the oldest release survived");
        }

        foreach (var digest in releases[1].Concat(releases[2]))
        {
            Assert.True(await ExistsAsync(client, repo, digest), $"{digest} of a kept release was deleted");
        }

        Assert.Equal(8, (await client.ListTagsAsync(repo, Token)).Count);
        Assert.Equal(["newest 2 (#1)"], result.Entries.Single(entry => entry.Tag == "1.2").Reasons);
    }
}
