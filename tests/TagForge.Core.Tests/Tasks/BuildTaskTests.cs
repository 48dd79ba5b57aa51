using TagForge.Testing;

namespace TagForge.Tasks;

/// <summary><c>TagForgeTasks.Build</c> against the real Docker engine: tag and build locally, nothing pushed. Needs: Docker.</summary>
[Collection(DockerEngine.CollectionName)]
public class BuildTaskTests
{
    // The tasks read TAGFORGE_*, CI and DOCKER_* variables only from this, never from the machine running the tests.
    private static readonly Dictionary<string, string> Clean = new() { ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "" };

    [Fact]
    public async Task Builds_without_pushing()
    {
        using var repository = await SampleApp.CreateAsync();
        var image = $"127.0.0.1:9/tasks/build-{Guid.NewGuid():N}";

        var result = TagForgeTasks.Build(s => s.SetWorkingDirectory(repository.Path).SetEnvironment(Clean).SetImage(image).SetTemplate("{sha:8}"));

        Assert.Null(result.Digest);
        Assert.StartsWith("sha256:", result.ImageId, StringComparison.Ordinal);
        await Docker.RunCheckedAsync("image", "rm", $"{image}:{result.Tag}");
    }

    [Fact]
    public async Task Labels_the_image_with_the_commit_it_was_built_from()
    {
        using var repository = await SampleApp.CreateAsync();
        var sha = await repository.HeadAsync();
        var image = $"127.0.0.1:9/tasks/labels-{Guid.NewGuid():N}";

        var result = await TagForgeTasks.BuildAsync(
            s => s.SetWorkingDirectory(repository.Path).SetEnvironment(Clean).SetImage(image).SetTemplate("{sha:8}"), TestContext.Current.CancellationToken);

        var revision = await Docker.RunCheckedAsync("image", "inspect", "--format", "{{index .Config.Labels \"org.opencontainers.image.revision\"}}", $"{image}:{result.Tag}");
        Assert.Equal(sha, revision.StandardOutput.Trim());
        Assert.Equal(sha[..8], result.Tag);
        await Docker.RunCheckedAsync("image", "rm", $"{image}:{result.Tag}");
    }
}
