using TagForge.IO;
using TagForge.Testing;

namespace TagForge.Operations;

/// <summary>
/// verify and resolve of many files report files done out of all, then registry answers out of all, on a clock that
/// moves a second each time it is read (a long run without waiting for one). Needs: docker-registry.
/// </summary>
public sealed class DeploymentProgressTests
{
    private const int Files = 40;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Each reading of the time is one second after the last.</summary>
    private sealed class SteppingClock : TimeProvider
    {
        private long _seconds;

        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch.AddSeconds(Interlocked.Increment(ref _seconds));
    }

    private sealed class Recorder : IProgress<ProgressUpdate>
    {
        private readonly List<ProgressUpdate> _updates = [];

        public IReadOnlyList<ProgressUpdate> Updates
        {
            get
            {
                lock (_updates)
                {
                    return [.. _updates];
                }
            }
        }

        public void Report(ProgressUpdate value)
        {
            lock (_updates)
            {
                _updates.Add(value);
            }
        }
    }

    private static async Task<(LocalRegistry Registry, TempDirectory Directory)> ManyFilesAsync()
    {
        var registry = await LocalRegistry.StartAsync();
        var directory = new TempDirectory("deployment-progress");
        var digests = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            digests.Add(await RegistryUploads.PushAsync(registry, "shop/api", $"1.{i}", $"seed-{i}"));
        }

        for (var i = 0; i < Files; i++)
        {
            directory.Write($"deploy/pod-{i:00}.yaml", Samples.Pod($"{registry.Host}/shop/api:1.{i % 4}@{digests[i % 4]}"));
        }

        return (registry, directory);
    }

    private static void AssertCountedToTheEnd(IReadOnlyList<ProgressUpdate> updates, string activity, ProgressUnit unit, long total)
    {
        var mine = updates.Where(update => update.Activity == activity).ToList();
        Assert.NotEmpty(mine);
        Assert.All(mine, update => Assert.Equal((unit, (long?)total), (update.Unit, update.Total)));
        Assert.Equal((total, true), (mine[^1].Done, mine[^1].Finished));
        Assert.Single(mine, update => update.Finished);
    }

    [Fact]
    public async Task Verify_of_many_files_reports_the_files_read_and_the_registry_answers_out_of_all()
    {
        var (registry, directory) = await ManyFilesAsync();
        await using var _registry = registry;
        using var _directory = directory;
        var recorder = new Recorder();
        using var services = new Services.TagForgeServices(DictionaryEnvironment.Empty, clock: new SteppingClock(), workingDirectory: directory.Path, progress: recorder);

        var result = await VerifyOperation.RunAsync(new VerifyRequest { Paths = ["deploy"] }, services, Token);

        Assert.Equal((Files, 4), (result.Pinned, result.Requests));
        AssertCountedToTheEnd(recorder.Updates, "verify: reading files", ProgressUnit.Files, Files);
        AssertCountedToTheEnd(recorder.Updates, "verify: registry answers", ProgressUnit.References, 4);
    }

    [Fact]
    public async Task Resolve_of_many_files_reports_reading_asking_and_writing()
    {
        var (registry, directory) = await ManyFilesAsync();
        await using var _registry = registry;
        using var _directory = directory;
        var recorder = new Recorder();
        using var services = new Services.TagForgeServices(DictionaryEnvironment.Empty, clock: new SteppingClock(), workingDirectory: directory.Path, progress: recorder);

        await ResolveOperation.RunAsync(new ResolveRequest { Paths = ["deploy"] }, services, Token);

        AssertCountedToTheEnd(recorder.Updates, "resolve: reading files", ProgressUnit.Files, Files);
        AssertCountedToTheEnd(recorder.Updates, "resolve: registry answers", ProgressUnit.References, 4);
        AssertCountedToTheEnd(recorder.Updates, "resolve: writing files", ProgressUnit.Files, Files);
    }

    [Fact]
    public async Task Without_a_progress_sink_verify_reports_nothing_and_works_the_same()
    {
        var (registry, directory) = await ManyFilesAsync();
        await using var _registry = registry;
        using var _directory = directory;
        using var services = new Services.TagForgeServices(DictionaryEnvironment.Empty, clock: new SteppingClock(), workingDirectory: directory.Path);

        var result = await VerifyOperation.RunAsync(new VerifyRequest { Paths = ["deploy"] }, services, Token);

        Assert.Null(services.Progress);
        Assert.Equal((Files, 4), (result.Pinned, result.Requests));
    }
}
