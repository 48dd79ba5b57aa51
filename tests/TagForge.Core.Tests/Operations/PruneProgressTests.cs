using TagForge.Testing;
using TagForge.Testing.Ecr;

namespace TagForge.Operations;

/// <summary>Progress lines of a long prune: at most one per 2 s of the (hand-moved) clock, none on a short run. Needs nothing.</summary>
public sealed class PruneProgressTests
{
    [Fact]
    public void A_short_run_says_nothing_and_a_long_one_says_how_far_it_is_at_most_every_two_seconds()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.Parse("2026-12-07T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var logger = new ListLogger();
        var progress = new PruneProgress(logger, clock);

        for (var done = 1; done <= 100; done++)
        {
            progress.Report("tags looked at", done, 2000);
        }

        Assert.Empty(logger.Messages);
        clock.Advance(TimeSpan.FromSeconds(2.1));
        progress.Report("tags looked at", 101, 2000);
        progress.Report("tags looked at", 102, 2000);
        clock.Advance(TimeSpan.FromSeconds(1));
        progress.Report("tags looked at", 103, 2000);
        clock.Advance(TimeSpan.FromSeconds(1.5));
        progress.Report("deletions done", 4, 800);

        Assert.Equal(["Information: prune: tags looked at: 101 of 2000", "Information: prune: deletions done: 4 of 800"], logger.Messages);
    }
}
