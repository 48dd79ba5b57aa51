using TagForge.Testing.Ecr;

namespace TagForge.IO;

/// <summary>When a <see cref="ProgressMeter"/> reports, on a clock the test moves by hand. Needs: nothing.</summary>
public sealed class ProgressMeterTests
{
    private sealed class Recorder : IProgress<ProgressUpdate>
    {
        public List<ProgressUpdate> Updates { get; } = [];

        public void Report(ProgressUpdate value) => Updates.Add(value);
    }

    [Fact]
    public void An_activity_that_ends_within_two_seconds_reports_nothing()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var recorder = new Recorder();
        using var meter = new ProgressMeter(recorder, clock, "copying", ProgressUnit.Bytes, total: 100, itemsTotal: 2);

        meter.ItemDone(50);
        clock.Advance(TimeSpan.FromSeconds(1.5));
        meter.ItemDone(50);
        meter.Finish();

        Assert.Empty(recorder.Updates);
    }

    [Fact]
    public void A_long_activity_reports_each_further_ten_percent_or_after_two_silent_seconds_and_once_at_the_end()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var recorder = new Recorder();
        using var meter = new ProgressMeter(recorder, clock, "verify: reading files", ProgressUnit.Files, total: 1000);

        clock.Advance(TimeSpan.FromSeconds(3));
        meter.Add(1);                  // 0 %, but 3 s of silence: reported
        meter.Add(1);                  // nothing new
        meter.Add(150);                // 15 %: reported
        meter.Add(10);                 // 16 %: not yet
        clock.Advance(TimeSpan.FromSeconds(2));
        meter.Add(1);                  // 2 s of silence: reported
        meter.Add(837);                // 100 %: reported
        meter.Finish();

        Assert.Equal([1L, 152, 163, 1000, 1000], recorder.Updates.Select(update => update.Done));
        Assert.Equal([false, false, false, false, true], recorder.Updates.Select(update => update.Finished));
        Assert.All(recorder.Updates, update => Assert.Equal(1000, update.Total));
        Assert.Equal(TimeSpan.FromSeconds(5), recorder.Updates[^1].Elapsed);
        Assert.Equal(200, recorder.Updates[^1].RatePerSecond);
    }

    [Fact]
    public void Without_a_sink_nothing_is_counted_or_reported()
    {
        using var meter = new ProgressMeter(null, TimeProvider.System, "copying", ProgressUnit.Bytes);

        meter.Add(10);
        meter.Finish();

        Assert.False(meter.IsActive);
    }
}
