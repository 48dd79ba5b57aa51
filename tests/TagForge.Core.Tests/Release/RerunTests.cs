using TagForge.Errors;
using TagForge.IO;
using TagForge.Registry;
using TagForge.Services;
using TagForge.Tagging;
using TagForge.Testing;
using TagForge.Values;

namespace TagForge.Release;

/// <summary>
/// A rerun of the same build under a deterministic tag (a CI retry) succeeds without pushing even when its bytes differ;
/// another commit, or a dirty tree even under <c>--dirty ignore</c>, is still refused (exit 3). Before labels named the
/// CI build, the second release below exited 3. Needs: Docker, docker-registry, git.
/// </summary>
[Collection(DockerEngine.CollectionName)]
public class RerunTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    // A label that differs on every build: the bytes differ although commit and CI build are the same.
    private static ReleaseRequest Request(TestRepository repository, string image) => new()
    {
        Image = image,
        ContextPath = repository.Path,
        Tag = new TagRequest { Template = "{sha:8}-{build}", RepositoryPath = repository.Path, Dirty = DirtyMode.Ignore },
        ExtraBuildArguments = ["--label", $"nonce={Guid.NewGuid():N}"],
        RemoveLocal = true,
        NoRecord = true,
        DockerEnvironment = new Dictionary<string, string?> { ["DOCKER_BUILDKIT"] = null },
    };

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

        var first = await ReleaseRunner.RunAsync(Request(repository, image), services, Token);
        var rerun = await ReleaseRunner.RunAsync(Request(repository, image), services, Token);
        repository.WriteFile("hello.txt", "dirty\n");
        var dirty = await Assert.ThrowsAsync<PolicyRefusalException>(() => ReleaseRunner.RunAsync(Request(repository, image), services, Token));
        await repository.CommitAsync("another commit");
        var another = await Assert.ThrowsAsync<PolicyRefusalException>(() => ReleaseRunner.RunAsync(
            Request(repository, image) with { Tag = new TagRequest { Template = first.Tag, RepositoryPath = repository.Path } }, services, Token));

        var remote = await client.HeadManifestAsync(ImageReference.Parse($"{image}:{first.Tag}"), Token);
        Assert.True(first.Pushed);
        Assert.False(rerun.Pushed);
        Assert.Equal(first.Digest, rerun.Digest);
        Assert.Equal(first.Digest, remote?.Digest.ToString());
        Assert.EndsWith("-87", first.Tag, StringComparison.Ordinal);
        Assert.Contains("refusing to overwrite", dirty.Message, StringComparison.Ordinal);
        Assert.Contains("refusing to overwrite", another.Message, StringComparison.Ordinal);
    }
}
