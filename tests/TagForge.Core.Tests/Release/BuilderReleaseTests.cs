using TagForge.Containers;
using TagForge.Engine;
using TagForge.Errors;
using TagForge.Records;
using TagForge.Registry;
using TagForge.Services;
using TagForge.Tagging;
using TagForge.Testing;
using TagForge.Values;

namespace TagForge.Release;

/// <summary>
/// The same release (tag, guard, push, confirmation, record, idempotent rerun, overwrite refused) with each builder that
/// builds into local storage, against a real registry. Needs: podman and buildah (Debian's packages, run as root with
/// the vfs storage driver), docker-registry, htpasswd, git.
/// </summary>
[Collection(DockerEngine.CollectionName)]
public class BuilderReleaseTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static ReleaseRequest Request(TestRepository repository, string image, BuilderKind builder, string template = "{sha:8}", string? record = null) => new()
    {
        Image = image,
        ContextPath = repository.Path,
        Tag = new TagRequest { Template = template, RepositoryPath = repository.Path },
        Builder = builder,
        StorageDriver = "vfs",
        RemoveLocal = true,
        RecordPath = record,
        NoRecord = record is null,
    };

    [Theory]
    [InlineData(BuilderKind.Podman)]
    [InlineData(BuilderKind.Buildah)]
    public async Task Releases_reruns_and_refuses_an_overwrite_like_docker(BuilderKind builder)
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await SampleApp.CreateAsync();
        var image = $"{registry.Host}/team/{Builders.Name(builder)}";
        using var services = new TagForgeServices(workingDirectory: repository.Path);
        using var client = new RegistryClient();
        using var output = new TempDirectory("builder-release");
        var recordPath = output.Combine("tagforge.json");

        var first = await ReleaseEngine.ReleaseOneAsync(Request(repository, image, builder, record: recordPath), services, Token);
        var rerun = await ReleaseEngine.ReleaseOneAsync(Request(repository, image, builder, record: recordPath), services, Token);

        var remote = await client.HeadManifestAsync(ImageReference.Parse($"{image}:{first.Tag}"), Token);
        Assert.True(first.Pushed);
        Assert.Equal(remote?.Digest.ToString(), first.Digest);
        Assert.Equal(first.ImageId, (await client.GetConfigDigestAsync(ImageReference.Parse($"{image}@{first.Digest}"), Token))?.ToString());
        Assert.False(rerun.Pushed);
        Assert.Equal(first.Digest, rerun.Digest);
        var record = BuildRecordFile.Read(recordPath);
        Assert.Equal($"{image}@{first.Digest}", Assert.Single(record.Images).Reference);

        // Another image under the same tag: refused, and the registry keeps the first.
        repository.WriteFile("hello.txt", "another build\n");
        var refused = await Assert.ThrowsAsync<PolicyRefusalException>(() =>
            ReleaseEngine.ReleaseOneAsync(Request(repository, image, builder) with { Tag = new TagRequest { Template = first.Tag, RepositoryPath = repository.Path, Dirty = DirtyMode.Ignore } }, services, Token));
        Assert.Contains("refusing to overwrite", refused.Message, StringComparison.Ordinal);
        Assert.Equal(remote?.Digest, (await client.HeadManifestAsync(ImageReference.Parse($"{image}:{first.Tag}"), Token))?.Digest);
    }

    [Theory]
    [InlineData(BuilderKind.Podman)]
    [InlineData(BuilderKind.Buildah)]
    public async Task Pushes_with_explicit_credentials_through_a_private_auth_file_and_never_echoes_a_wrong_password(BuilderKind builder)
    {
        await using var registry = await LocalRegistry.StartWithBasicAuthAsync("ci-bot", "right-pass-123");
        using var repository = await SampleApp.CreateAsync();
        var image = $"{registry.Host}/team/auth-{Builders.Name(builder)}";
        using var services = new TagForgeServices(workingDirectory: repository.Path);

        var pushed = await ReleaseEngine.ReleaseOneAsync(
            Request(repository, image, builder) with { Registry = new RegistryAccess { Credential = new RegistryCredential("ci-bot", "right-pass-123") } }, services, Token);
        repository.WriteFile("hello.txt", "second\n");
        await repository.CommitAsync("second");
        var wrong = await Assert.ThrowsAnyAsync<ExternalFailureException>(() => ReleaseEngine.ReleaseOneAsync(
            Request(repository, image, builder) with { Registry = new RegistryAccess { Credential = new RegistryCredential("ci-bot", "wrong-pass-456") } }, services, Token));

        Assert.True(pushed.Pushed);
        Assert.DoesNotContain("wrong-pass-456", wrong.Message, StringComparison.Ordinal);
        Assert.Contains("401", wrong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_builder_that_is_not_installed_is_exit_1_naming_what_to_install()
    {
        using var repository = await SampleApp.CreateAsync();
        using var services = new TagForgeServices(workingDirectory: repository.Path);

        var error = await Assert.ThrowsAsync<ContainerToolException>(() => ReleaseRunner.RunAsync(
            Request(repository, "127.0.0.1:1/team/app", BuilderKind.Buildah) with { BuilderExecutable = "/nonexistent/buildah", SkipPush = true }, services, Token));

        Assert.IsAssignableFrom<ExternalFailureException>(error);
        Assert.Contains("apt-get install buildah", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unusable_podman_storage_says_so_and_names_the_driver_option()
    {
        using var repository = await SampleApp.CreateAsync();
        using var services = new TagForgeServices(workingDirectory: repository.Path);

        // Storage set up for vfs, opened with another driver: podman's own "database configuration mismatch".
        await ReleaseRunner.RunAsync(Request(repository, "localhost/team/storage", BuilderKind.Podman) with { SkipPush = true, RemoveLocal = false }, services, Token);
        var error = await Assert.ThrowsAsync<ContainerToolException>(() => ReleaseRunner.RunAsync(
            Request(repository, "localhost/team/storage", BuilderKind.Podman) with { StorageDriver = "overlay-not-here", SkipPush = true }, services, Token));

        Assert.Contains("podman's storage is unusable", error.Message, StringComparison.Ordinal);
        Assert.Contains("--storage-driver vfs", error.Message, StringComparison.Ordinal);
    }
}
