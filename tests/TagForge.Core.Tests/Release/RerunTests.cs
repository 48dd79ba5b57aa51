using TagForge.Engine;
using TagForge.Errors;
using TagForge.IO;
using TagForge.Registry;
using TagForge.Services;
using TagForge.Tagging;
using TagForge.Testing;
using TagForge.Values;

namespace TagForge.Release;

/// <summary>
/// A rerun of the same build under a deterministic tag (a CI retry) succeeds without pushing even when its bytes differ
/// (here: BuildKit first, the classic builder on the retry); it is recognised by the content identity the image is
/// labelled with, not by commit and build number: the same commit and build with another build argument, another
/// commit, or a dirty tree even under <c>--dirty ignore</c>, is refused (exit 3). Needs: Docker, docker-registry, git.
/// </summary>
[Collection(DockerEngine.CollectionName)]
public class RerunTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    // The classic builder: the retry's bytes differ from BuildKit's first build although every input is the same.
    private static ReleaseRequest Request(TestRepository repository, string image) => new()
    {
        Image = image,
        ContextPath = repository.Path,
        Tag = new TagRequest { Template = "{sha:8}-{build}", RepositoryPath = repository.Path, Dirty = DirtyMode.Ignore },
        RemoveLocal = true,
        NoRecord = true,
        DockerEnvironment = new Dictionary<string, string?> { ["DOCKER_BUILDKIT"] = null },
    };

    private static ReleaseRequest WithBuildKit(ReleaseRequest request) =>
        request with { DockerExecutable = "/usr/bin/docker", DockerEnvironment = new Dictionary<string, string?> { ["DOCKER_BUILDKIT"] = "1" } };

    private static TagForgeServices Services(TestRepository repository) =>
        new(new DictionaryEnvironment(new Dictionary<string, string> { ["GITLAB_CI"] = "true", ["CI_PIPELINE_IID"] = "87" }), workingDirectory: repository.Path);

    [Fact]
    public async Task The_same_commit_and_CI_build_is_a_rerun_and_another_commit_or_a_dirty_tree_is_refused()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await SampleApp.CreateAsync();
        var image = $"{registry.Host}/team/rerun";
        using var services = Services(repository);
        using var client = new RegistryClient();

        var first = await ReleaseEngine.ReleaseOneAsync(WithBuildKit(Request(repository, image)), services, Token);
        var rerun = await ReleaseEngine.ReleaseOneAsync(Request(repository, image), services, Token);
        var otherInput = await Assert.ThrowsAsync<PolicyRefusalException>(() => ReleaseEngine.ReleaseOneAsync(Request(repository, image) with { BuildArgs = ["MODE=debug"] }, services, Token));
        repository.WriteFile("hello.txt", "dirty\n");
        var dirty = await Assert.ThrowsAsync<PolicyRefusalException>(() => ReleaseEngine.ReleaseOneAsync(Request(repository, image), services, Token));
        await repository.CommitAsync("another commit");
        var another = await Assert.ThrowsAsync<PolicyRefusalException>(() => ReleaseEngine.ReleaseOneAsync(
            Request(repository, image) with { Tag = new TagRequest { Template = first.Tag, RepositoryPath = repository.Path } }, services, Token));

        var remote = await client.HeadManifestAsync(ImageReference.Parse($"{image}:{first.Tag}"), Token);
        Assert.True(first.Pushed);
        Assert.False(rerun.Pushed);
        Assert.Equal(first.Digest, rerun.Digest);
        Assert.Equal(first.Digest, remote?.Digest.ToString());
        Assert.EndsWith("-87", first.Tag, StringComparison.Ordinal);
        Assert.Contains("refusing to overwrite", dirty.Message, StringComparison.Ordinal);
        Assert.Contains("refusing to overwrite", otherInput.Message, StringComparison.Ordinal);
        Assert.Contains("refusing to overwrite", another.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_base_image_that_moved_makes_the_same_build_another_image_not_a_rerun_and_the_record_names_the_base_it_was_built_from()
    {
        await using var registry = await LocalRegistry.StartAsync();
        var firstBase = await ScratchImages.PushAsync(registry.Host, "base/os", "1");
        using var repository = await SampleApp.CreateAsync($"FROM {registry.Host}/base/os:1\nCOPY hello.txt /hello.txt\n");
        var image = $"{registry.Host}/team/based";
        using var services = Services(repository);
        var record = Path.Combine(repository.Path, "tagforge.json");
        var request = Request(repository, image) with { NoRecord = false, RecordPath = record };

        var first = await ReleaseEngine.ReleaseOneAsync(request, services, Token);
        var recordedBases = Records.BuildRecordFile.Read(record).Find(image)!.Bases;
        var rerun = await ReleaseEngine.ReleaseOneAsync(request, services, Token);
        var movedBase = await ScratchImages.PushAsync(registry.Host, "base/os", "1");
        var moved = await Assert.ThrowsAsync<PolicyRefusalException>(() => ReleaseEngine.ReleaseOneAsync(request, services, Token));
        // The next build is built from the base the identity names (docker --pull), not the stale copy the engine
        // kept from the first build: its first layer is the moved base's.
        using var nextServices = new TagForgeServices(new DictionaryEnvironment(new Dictionary<string, string> { ["GITLAB_CI"] = "true", ["CI_PIPELINE_IID"] = "88" }), workingDirectory: repository.Path);
        var next = await ReleaseEngine.ReleaseOneAsync(request, nextServices, Token);
        using var client = new RegistryClient();
        async Task<string> FirstLayerAsync(string reference) =>
            System.Text.Json.JsonDocument.Parse((await client.GetManifestAsync(ImageReference.Parse(reference), Token))!.Body).RootElement.GetProperty("layers")[0].GetProperty("digest").GetString()!;

        Assert.True(first.Pushed);
        Assert.False(rerun.Pushed);
        Assert.NotEqual(firstBase, movedBase);
        Assert.Equal(firstBase, first.Record!.Bases![$"{registry.Host}/base/os:1"]);
        Assert.Equal(firstBase, recordedBases![$"{registry.Host}/base/os:1"]);
        Assert.Contains("refusing to overwrite", moved.Message, StringComparison.Ordinal);
        Assert.Equal(movedBase, next.Record!.Bases![$"{registry.Host}/base/os:1"]);
        Assert.Equal(await FirstLayerAsync($"{registry.Host}/base/os@{movedBase}"), await FirstLayerAsync(next.Reference!));
        Assert.NotEqual(await FirstLayerAsync($"{registry.Host}/base/os@{firstBase}"), await FirstLayerAsync(next.Reference!));
    }
}
