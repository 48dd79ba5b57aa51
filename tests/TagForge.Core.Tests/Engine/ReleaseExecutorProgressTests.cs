using System.Collections.Concurrent;
using TagForge.IO;
using TagForge.Services;
using TagForge.Testing;

namespace TagForge.Engine;

/// <summary>
/// The executor reports each image's state as progress data (what the CLI's live table shows): every image waiting
/// first, in plan order; building when its work starts; one settled state each, counted, the last one finishing the
/// activity. Needs the Docker engine and docker-registry.
/// </summary>
public class ReleaseExecutorProgressTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_image_is_reported_waiting_then_building_then_settled_and_the_last_settled_one_finishes_the_release()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await TestRepository.InitAsync();
        repository.WriteFile("a/Dockerfile", "FROM scratch\nCOPY a.txt /a.txt\n");
        repository.WriteFile("a/a.txt", $"{Guid.NewGuid()}\n");
        repository.WriteFile("b/Dockerfile", "FROM scratch\nCOPY missing.txt /b.txt\n");
        repository.WriteFile("tagforge.yml", $"image: {registry.Host}/states\nimages:\n  - name: a\n    context: a\n  - name: b\n    context: b\n  - name: c\n    context: a\n    depends-on: [b]\n");
        await repository.CommitAsync("three images");
        var reports = new Reports();
        using var services = new TagForgeServices(workingDirectory: repository.Path, progress: reports);
        var request = new MonorepoRequest
        {
            SkipUnchanged = true,
            Release = new Release.ReleaseRequest { RemoveLocal = true, Tag = new Tagging.TagRequest { Template = "{sha:8}-{content:8}" } },
        };

        await ReleaseEngine.RunAsync(request, services, Token);

        var first = reports.All;
        Assert.All(first, report => Assert.Equal((ProgressUnit.Images, 3L), (report.Unit, report.Total)));
        Assert.Equal(["a waiting", "b waiting", "c waiting"], first.Take(3).Select(Spell));
        Assert.Equal(["a waiting", "a building", "a built"], Of(first, "a"));
        Assert.Equal(["b waiting", "b building", "b failed"], Of(first, "b"));
        Assert.Equal(["c waiting", "c skipped"], Of(first, "c"));
        var settled = first.Where(report => report.State is not (ImageStates.Waiting or ImageStates.Building)).ToList();
        Assert.Equal([1L, 2L, 3L], settled.Select(report => report.Done));
        Assert.Equal([false, false, true], settled.Select(report => report.Finished));
        Assert.Same(settled[^1], first[^1]);

        // A reused image does no work of its own: no building, straight to reused.
        repository.WriteFile("b/missing.txt", "now here\n");
        await repository.CommitAsync("b fixed");
        reports.Clear();
        await ReleaseEngine.RunAsync(request, services, Token);

        Assert.Equal(["a waiting", "a reused"], Of(reports.All, "a"));
        Assert.Equal(["b waiting", "b building", "b built"], Of(reports.All, "b"));
        Assert.True(reports.All[^1].Finished);
    }

    private static string Spell(ProgressUpdate report) => $"{report.Subject} {report.State}";

    private static List<string> Of(IEnumerable<ProgressUpdate> reports, string name) =>
        [.. reports.Where(report => report.Subject == name).Select(Spell)];

    /// <summary>Every report, in the order they were made (not <see cref="Progress{T}"/>, which posts them later).</summary>
    private sealed class Reports : IProgress<ProgressUpdate>
    {
        private readonly ConcurrentQueue<ProgressUpdate> _reports = new();

        public List<ProgressUpdate> All => [.. _reports];

        public void Report(ProgressUpdate value) => _reports.Enqueue(value);

        public void Clear() => _reports.Clear();
    }
}
