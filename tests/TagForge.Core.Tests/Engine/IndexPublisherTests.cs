using System.Text;
using TagForge.Errors;
using TagForge.Records;
using TagForge.Registry;
using TagForge.Services;
using TagForge.Testing;
using TagForge.Values;

namespace TagForge.Engine;

/// <summary>
/// The index push against a real registry (Debian's docker-registry): a platform manifest that is itself an index
/// (BuildKit's attestations) is unwrapped, the guard applies to the index, and a registry that refuses the index
/// (an immutable repository) is a clear failure with nothing recorded.
/// </summary>
public class IndexPublisherTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static readonly RegistryClientOptions FastRetries = new() { RetryBaseDelay = TimeSpan.FromMilliseconds(10), MaxRetryAttempts = 1 };

    private static async Task<(Digest Digest, int Size)> PushManifestAsync(RegistryClient client, ImageReference reference, string architecture)
    {
        var config = Encoding.UTF8.GetBytes($$"""{"architecture":"{{architecture}}","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"n":"{{Guid.NewGuid()}}"}""");
        var configDigest = Digest.Sha256Of(config);
        await client.PushBlobAsync(reference, configDigest, config.Length, new MemoryStream(config), Token);
        var manifest = Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{configDigest}}","size":{{config.Length}}},"layers":[]}""");
        return (await client.PutManifestAsync(reference, ManifestDocument.OciManifest, manifest, Token), manifest.Length);
    }

    private static ImageRecord Part(ImageReference repository, string platform, Digest digest) => new(
        repository.Name, "v1", digest.ToString(), $"{repository.Name}@{digest}", null, [$"v1-{platform.Replace('/', '-')}"], platform,
        new GitRecord("abc", "main", false), new BuildInfoRecord("local", "1", null), DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task A_platform_manifest_that_is_an_index_with_attestations_is_unwrapped_into_the_new_index()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var client = new RegistryClient(FastRetries);
        using var services = new TagForgeServices();
        var repository = ImageReference.Parse($"{registry.Host}/team/attested");
        var (amd, amdSize) = await PushManifestAsync(client, repository.With("amd-raw", null), "amd64");
        var (attestation, attestationSize) = await PushManifestAsync(client, repository.With("att", null), "unknown");
        var (arm, armSize) = await PushManifestAsync(client, repository.With("arm", null), "arm64");
        // What BuildKit pushes for one platform: an index of the image and its attestation manifest.
        var buildkit = ManifestDocument.SerializeIndex(
        [
            new Descriptor(ManifestDocument.OciManifest, amd, amdSize, new Platform("linux", "amd64")),
            new Descriptor(ManifestDocument.OciManifest, attestation, attestationSize, new Platform("unknown", "unknown"),
                new Dictionary<string, string> { ["vnd.docker.reference.digest"] = amd.ToString(), ["vnd.docker.reference.type"] = "attestation-manifest" }),
        ]);
        var wrapped = await client.PutManifestAsync(repository.With("v1-linux-amd64", null), ManifestDocument.OciIndex, buildkit, Token);

        var record = await IndexPublisher.PushAsync(client, repository, "v1", [Part(repository, "linux/amd64", wrapped), Part(repository, "linux/arm64", arm)], [], false, services, Token);

        var pushed = await client.GetManifestAsync(repository.With("v1", null), Token);
        Assert.NotNull(pushed);
        Assert.Equal(pushed.Digest.ToString(), record.Digest);
        Assert.Equal([amd, attestation, arm], pushed.Document.Manifests.Select(d => d.Digest));
        Assert.DoesNotContain(pushed.Document.Manifests, d => ManifestDocument.IsIndexMediaType(d.MediaType));
        Assert.Equal(["linux/amd64", "linux/arm64"], record.Platforms!.Select(p => p.Platform));
        Assert.Equal(amd.ToString(), record.DigestFor("linux/amd64"));

        // The same index again: success, nothing changes; another image under the tag: exit 3.
        var again = await IndexPublisher.PushAsync(client, repository, "v1", [Part(repository, "linux/amd64", wrapped), Part(repository, "linux/arm64", arm)], [], false, services, Token);
        Assert.Equal(record.Digest, again.Digest);
        var refused = await Assert.ThrowsAsync<PolicyRefusalException>(() =>
            IndexPublisher.PushAsync(client, repository, "v1", [Part(repository, "linux/arm64", arm)], [], false, services, Token));
        Assert.Contains("refusing to overwrite it", refused.Message, StringComparison.Ordinal);
    }

    private sealed class ImmutableRegistry(IRegistryClient inner) : DelegatingRegistryClient(inner)
    {
        public override Task<Digest> PutManifestAsync(ImageReference reference, string mediaType, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default) =>
            throw new RegistryException($"PUT {reference}: HTTP 400 TAG_INVALID: The image tag '{reference.Tag}' already exists in the repository and cannot be overwritten because the repository is immutable", reference.Registry, reference.Repository, System.Net.HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_index_refused_by_an_immutable_repository_is_a_policy_refusal_naming_it()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var real = new RegistryClient(FastRetries);
        using var services = new TagForgeServices();
        var repository = ImageReference.Parse($"{registry.Host}/team/immutable");
        var (amd, _) = await PushManifestAsync(real, repository.With("amd", null), "amd64");

        var error = await Assert.ThrowsAnyAsync<PolicyRefusalException>(() =>
            IndexPublisher.PushAsync(new ImmutableRegistry(real), repository, "v1", [Part(repository, "linux/amd64", amd)], [], false, services, Token));

        Assert.Contains("immutable", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Null(await real.HeadManifestAsync(repository.With("v1", null), Token));
    }
}
