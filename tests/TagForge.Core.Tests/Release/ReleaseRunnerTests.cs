using TagForge.Engine;
using TagForge.Errors;
using TagForge.IO;
using TagForge.Registry;
using TagForge.Registry.Auth;
using TagForge.Services;
using TagForge.Tagging;
using TagForge.Testing;
using TagForge.Values;

namespace TagForge.Release;

/// <summary>
/// The release's entry point from C#, against the real Docker engine and a real registry (Debian's docker-registry).
/// A concurrent release is simulated by a registry client whose tag listing is stale: the tags it hides were pushed
/// "after" this release listed them.
/// </summary>
[Collection(DockerEngine.CollectionName)]
public class ReleaseRunnerTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private sealed class StaleTagListing(IRegistryClient inner) : DelegatingRegistryClient(inner)
    {
        public override Task<IReadOnlyList<string>> ListTagsAsync(ImageReference repository, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<string>>([]);
    }

    private static ReleaseRequest Request(TestRepository repository, string image) => new()
    {
        Image = image,
        ContextPath = repository.Path,
        Tag = new TagRequest { Template = "v{seq}", RepositoryPath = repository.Path },
        RemoveLocal = true,
        NoRecord = true,
        DockerEnvironment = new Dictionary<string, string?> { ["DOCKER_BUILDKIT"] = null },
    };

    /// <summary>Services whose registry sessions are <paramref name="client"/>, with <paramref name="forTools"/> as what docker push is handed.</summary>
    private static TagForgeServices Services(IRegistryClient client, IRegistryCredentialSource? forTools = null, IEnvironmentVariables? environment = null) =>
        new(environment ?? DictionaryEnvironment.Empty, registries: _ => new RegistrySession(client, forTools ?? new CredentialSourceChain()));

    [Fact]
    public async Task A_seq_tag_taken_by_a_concurrent_release_moves_on_to_the_next_number()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await SampleApp.CreateAsync();
        var taken1 = await ScratchImages.PushAsync(registry.Host, "team/race", "v1");
        var taken2 = await ScratchImages.PushAsync(registry.Host, "team/race", "v2");
        using var client = new RegistryClient();

        using var services = Services(new StaleTagListing(client));

        var result = await ReleaseEngine.ReleaseOneAsync(Request(repository, $"{registry.Host}/team/race"), services, Token);

        Assert.Equal("v3", result.Tag);
        Assert.True(result.Pushed);
        Assert.Equal(taken1, (await client.HeadManifestAsync(ImageReference.Parse($"{registry.Host}/team/race:v1"), Token))?.Digest.ToString());
        Assert.Equal(taken2, (await client.HeadManifestAsync(ImageReference.Parse($"{registry.Host}/team/race:v2"), Token))?.Digest.ToString());
        Assert.Equal(result.Digest, (await client.HeadManifestAsync(ImageReference.Parse($"{registry.Host}/team/race:v3"), Token))?.Digest.ToString());
    }

    [Fact]
    public async Task Gives_up_on_seq_after_the_bounded_number_of_attempts_with_exit_3()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await SampleApp.CreateAsync();
        await ScratchImages.PushAsync(registry.Host, "team/crowded", "v1");
        await ScratchImages.PushAsync(registry.Host, "team/crowded", "v2");
        using var client = new RegistryClient();

        using var services = Services(new StaleTagListing(client));

        var error = await Assert.ThrowsAsync<PolicyRefusalException>(() => ReleaseEngine.ReleaseOneAsync(
            Request(repository, $"{registry.Host}/team/crowded") with { MaxSequenceAttempts = 2 }, services, Token));

        Assert.Contains("team/crowded:v2 already exists", error.Message, StringComparison.Ordinal);
        Assert.Contains("after 2 numbers", error.Message, StringComparison.Ordinal);
        await Docker.RunAsync("rmi", $"{registry.Host}/team/crowded:v2");
    }

    private sealed class FixedSource(string user, string password) : IRegistryCredentialSource
    {
        public int Calls { get; private set; }

        public Task<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken = default)
        {
            Calls++;
            return Task.FromResult<RegistryCredential?>(new RegistryCredential(user, password));
        }
    }

    [Fact]
    public async Task A_session_s_credential_source_serves_the_registry_api_and_docker_push_and_the_record_is_written()
    {
        await using var registry = await LocalRegistry.StartWithBasicAuthAsync("plugin", "plugin-pass");
        using var repository = await SampleApp.CreateAsync();
        using var directory = new TempDirectory("plugin");
        var source = new FixedSource("plugin", "plugin-pass");
        var record = directory.Combine("tagforge.json");
        var environment = new DictionaryEnvironment(new Dictionary<string, string> { ["DOCKER_CONFIG"] = directory.Combine("empty-docker-config") });

        using var client = new RegistryClient(new RegistryClientOptions { Credentials = source });
        using var services = Services(client, source, environment);

        var result = await ReleaseEngine.ReleaseOneAsync(
            Request(repository, $"{registry.Host}/team/plugin") with
            {
                Tag = new TagRequest { Template = "{sha:8}", RepositoryPath = repository.Path },
                RecordPath = record,
                NoRecord = false,
            },
            services,
            Token);

        Assert.True(source.Calls > 0);
        Assert.Equal(result.Reference, Records.BuildRecordFile.Read(record).Find($"{registry.Host}/team/plugin")?.Reference);
        Assert.StartsWith($"{registry.Host}/team/plugin@sha256:", result.Reference, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recognises_the_same_image_by_its_config_digest_when_docker_has_no_repo_digest()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var directory = new TempDirectory("config");
        var context = Docker.WriteScratchContext(directory);
        var image = $"{registry.Host}/team/config:v1";
        await Docker.RunCheckedAsync("build", "--quiet", "--no-cache", "--tag", image, context);
        var imageId = (await Docker.RunCheckedAsync("image", "inspect", "--format", "{{.Id}}", image)).StandardOutput.Trim();
        await Docker.RunCheckedAsync("push", "--quiet", image);
        using var client = new RegistryClient();

        var config = await client.GetConfigDigestAsync(ImageReference.Parse(image), Token);

        Assert.Equal(imageId, config?.ToString());
        Assert.Null(await client.GetConfigDigestAsync(ImageReference.Parse($"{registry.Host}/team/config:absent"), Token));
        await Docker.RunAsync("rmi", image);
    }
}
