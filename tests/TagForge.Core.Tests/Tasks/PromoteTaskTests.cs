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

    /// <summary>Each reading of the time is one second after the last: a long copy without waiting for one.</summary>
    private sealed class SteppingClock : TimeProvider
    {
        private long _seconds;

        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch.AddSeconds(Interlocked.Increment(ref _seconds));
    }

    private sealed class Recorder : IProgress<ProgressUpdate>
    {
        public List<ProgressUpdate> Updates { get; } = [];

        public void Report(ProgressUpdate value)
        {
            lock (Updates)
            {
                Updates.Add(value);
            }
        }
    }

    [Fact]
    public async Task Promote_from_a_build_script_reports_progress_as_data_and_can_replace_the_destinations_signature_tag()
    {
        await using var from = await LocalRegistry.StartAsync();
        await using var to = await LocalRegistry.StartAsync();
        using var client = new RegistryClient();
        var image = await RegistryImages.PushImageAsync(client, ImageReference.Parse($"{from.Host}/team/app:v1"), layers: 3, cancellationToken: Token);
        var source = await ArtifactImages.PushTagAsync(client, ImageReference.Parse($"{from.Host}/team/app"), image.Digest, ".sig", cancellationToken: Token);
        await ArtifactImages.PushTagAsync(client, ImageReference.Parse($"{to.Host}/prod/app"), image.Digest, ".sig", note: "destination", cancellationToken: Token);
        using var directory = new TempDirectory("promote-task");
        var recorder = new Recorder();

        await TagForgeTasks.PromoteAsync(
            settings => (settings with { WorkingDirectory = directory.Path, Environment = DictionaryEnvironment.Empty, Clock = new SteppingClock() })
                .SetSource($"{from.Host}/team/app:v1").SetDestination($"{to.Host}/prod/app:v1").EnableReplaceSignatures().SetProgress(recorder),
            Token);

        Assert.Equal(source, (await client.HeadManifestAsync(ImageReference.Parse($"{to.Host}/prod/app:sha256-{image.Digest.Hex}.sig"), Token))?.Digest);
        Assert.NotEmpty(recorder.Updates);
        Assert.All(recorder.Updates, update => Assert.Equal((ProgressUnit.Bytes, $"copying to {to.Host}/prod/app"), (update.Unit, update.Activity)));
        Assert.True(recorder.Updates[^1].Finished);
        Assert.Equal(recorder.Updates[^1].Total, recorder.Updates[^1].Done);
    }
}
