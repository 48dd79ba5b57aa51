using TagForge.Containers;
using TagForge.Testing;

namespace TagForge.Tasks;

/// <summary>The builder setters of the task API drive the same release as <c>--builder</c>. Needs: buildah (vfs), docker-registry, git.</summary>
[Collection(DockerEngine.CollectionName)]
public class BuilderTaskTests
{
    private static readonly Dictionary<string, string> Clean = new() { ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "" };

    [Fact]
    public async Task Releases_with_buildah_from_a_build_script()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await SampleApp.CreateAsync();
        var logger = new ListLogger();

        var result = await TagForgeTasks.ReleaseAsync(
            new ReleaseSettings()
                .SetWorkingDirectory(repository.Path)
                .SetEnvironment(Clean)
                .SetImage($"{registry.Host}/team/script")
                .SetBuilder(BuilderKind.Buildah)
                .SetStorageDriver("vfs")
                .EnableNoRecord()
                .SetLogger(logger),
            TestContext.Current.CancellationToken);

        Assert.True(result.Pushed);
        Assert.Equal("buildah (vfs storage)", result.BuiltWith);
        Assert.Contains(logger.Messages, m => m.Contains("confirmed by the registry", StringComparison.Ordinal));
    }
}
