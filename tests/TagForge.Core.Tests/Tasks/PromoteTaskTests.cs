using TagForge.Errors;
using TagForge.IO;
using TagForge.Registry;
using TagForge.Testing;
using TagForge.Values;

namespace TagForge.Tasks;

/// <summary>TagForgeTasks.Promote and Prune from a build script, against a real registry (<see cref="LocalRegistry"/>). Needs: docker-registry.</summary>
public sealed class PromoteTaskTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Promote_then_prune_keeps_the_promoted_image_through_the_record()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var client = new RegistryClient();
        var tested = await RegistryImages.PushImageAsync(client, ImageReference.Parse($"{registry.Host}/team/app:build-1"), cancellationToken: Token);
        var stale = await RegistryImages.PushImageAsync(client, ImageReference.Parse($"{registry.Host}/team/app:build-0"), cancellationToken: Token);
        using var directory = new TempDirectory("promote-task");

        var promoted = await TagForgeTasks.PromoteAsync(
            settings => (settings with { WorkingDirectory = directory.Path, Environment = DictionaryEnvironment.Empty })
                .SetSource($"{registry.Host}/team/app:build-1").SetDestination("prod").SetRecord("tagforge.json"),
            Token);
        var plan = TagForgeTasks.Prune(settings => (settings with { WorkingDirectory = directory.Path, Environment = DictionaryEnvironment.Empty })
            .SetRepository($"{registry.Host}/team/app").AddKeepRecords("tagforge.json"));

        Assert.Equal(tested.Digest, promoted.Digest);
        Assert.Equal([stale.Digest], plan.Deletable);
        Assert.Equal(["promotion in tagforge.json"], plan.Entries.First(entry => entry.Tag == "prod").Reasons);
        Assert.Throws<BadInputException>(() => TagForgeTasks.Prune(settings => settings.SetRepository($"{registry.Host}/team/app")));
    }
}
