using Microsoft.Extensions.Logging;
using TagForge.Cli.Live;
using TagForge.Engine;
using TagForge.IO;
using TagForge.Testing.Ecr;

namespace TagForge.Cli.Tests.Live;

/// <summary>
/// The live table against a <see cref="StringWriter"/> for a terminal: which lines it takes into its rows, which it
/// prints above itself, how it redraws in place and what it leaves at the end. Redraws are called by hand (no timer).
/// </summary>
public sealed class LiveTableTests : IDisposable
{
    private const string Erase3 = "\r\u001b[3A\u001b[J";

    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 20, 0, 0, TimeSpan.Zero));
    private readonly StringWriter _terminal = new() { NewLine = "\n" };

    [Fact]
    public void Until_a_release_of_several_images_starts_and_for_one_image_every_line_is_written_as_without_the_table()
    {
        var plain = new StringWriter { NewLine = "\n" };
        Run(new StderrLogger(plain, verbose: false), line => plain.WriteLine(OutputScope.Prefixed(line)), progress: null);
        using var table = NewTable();

        Run(new StderrLogger(_terminal, verbose: false, table: table), table.Tool, table);
        table.Complete();

        Assert.False(table.IsActive);
        Assert.Equal(plain.ToString(), _terminal.ToString());

        static void Run(ILogger logger, Action<string> tool, IProgress<ProgressUpdate>? progress)
        {
            logger.LogInformation("{Name}: build {Image}", "api", "registry/api:1");
            progress?.Report(State("api", ImageStates.Waiting, total: 1));
            using (logger.BeginScope("api"))
            {
                progress?.Report(State("api", ImageStates.Building, total: 1));
                tool("Step 1/2 : FROM scratch");
                logger.LogInformation("pushing {Image}", "registry/api:1");
                logger.LogWarning("moving {Tag}", "latest");
                progress?.Report(State("api", ImageStates.Of(ImageOutcomeKind.Built), total: 1, done: 1, finished: true));
            }

            logger.LogInformation("recorded {Reference}", "registry/api@sha256:1");
        }
    }

    [Fact]
    public void Lines_of_an_images_work_become_its_last_line_and_other_lines_are_printed_above_the_table()
    {
        using var table = NewTable();
        var logger = new StderrLogger(_terminal, verbose: false, table: table);
        Start(table, "api", "web", "docs");
        table.Refresh();
        Assert.Equal("api   waiting\nweb   waiting\ndocs  waiting\n", Take());

        using (logger.BeginScope("api"))
        {
            table.Report(State("api", ImageStates.Building));
            table.Tool("Step 1/2 : FROM scratch");
            logger.LogInformation("building {Image}", "registry/api:1");
        }

        Assert.Equal("", Take());
        _clock.Advance(TimeSpan.FromSeconds(3));
        table.Refresh();
        Assert.Equal(Erase3 + "api   building     0:03  building registry/api:1\nweb   waiting\ndocs  waiting\n", Take());

        logger.LogInformation("an unscoped line");
        using (logger.BeginScope("web"))
        {
            logger.LogWarning("overwriting {Tag}", "web:1");
        }

        Assert.Equal(Erase3 + "tagforge: an unscoped line\ntagforge: warning: [web] overwriting web:1\n", Take());
        table.Refresh();
        Assert.Equal("api   building     0:03  building registry/api:1\nweb   waiting\ndocs  waiting\n", Take());
    }

    [Fact]
    public void Nothing_is_redrawn_until_something_changes_or_another_second_passes()
    {
        using var table = NewTable();
        Start(table, "api", "web");
        table.Report(State("api", ImageStates.Building));
        table.Refresh();
        Take();

        table.Refresh();
        _clock.Advance(TimeSpan.FromMilliseconds(400));
        table.Refresh();
        Assert.Equal("", Take());

        _clock.Advance(TimeSpan.FromMilliseconds(600));
        table.Refresh();
        Assert.Equal("\r\u001b[2A\u001b[Japi  building     0:01\nweb  waiting\n", Take());
    }

    [Fact]
    public void The_step_saying_it_pushes_moves_its_image_from_building_to_pushing_and_back_for_the_next_platform()
    {
        using var table = NewTable();
        var logger = new StderrLogger(_terminal, verbose: false, table: table);
        Start(table, "api", "web");
        using (logger.BeginScope("api"))
        {
            table.Report(State("api", ImageStates.Building));
            logger.LogInformation("pushing {Image}", "registry/api:1-linux-amd64");
            table.Refresh();
            Assert.Contains("api  pushing", Take(), StringComparison.Ordinal);

            logger.LogInformation("building {Image} for {Platform}", "registry/api", "linux/arm64");
            table.Refresh();
            Assert.Contains("api  building", Take(), StringComparison.Ordinal);
        }

        using (logger.BeginScope("web"))
        {
            // Still waiting: a line that names a step does not start an image the executor has not started.
            logger.LogInformation("pushing {Image}", "registry/web:1");
        }

        table.Refresh();
        Assert.Contains("web  waiting", Take(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_last_report_leaves_the_final_table_and_the_failed_images_last_lines_and_later_lines_are_plain()
    {
        using var table = NewTable();
        var logger = new StderrLogger(_terminal, verbose: false, table: table);
        Start(table, "api", "web");
        using (logger.BeginScope("web"))
        {
            table.Report(State("web", ImageStates.Building));
            table.Tool("Step 2/2 : COPY app.jar /app.jar");
            table.Tool("");
            table.Tool("COPY failed: stat app.jar: file does not exist");
            logger.LogError("docker build failed (exit code 1)");
            table.Report(State("web", ImageStates.Of(ImageOutcomeKind.Failed), done: 1));
        }

        table.Refresh();
        Take();
        table.Report(State("api", ImageStates.Of(ImageOutcomeKind.Skipped), done: 2, finished: true));
        logger.LogInformation("recorded {Count} images", 0);
        table.Dispose();

        Assert.False(table.IsActive);
        Assert.Equal(
            "\r\u001b[2A\u001b[J"
            + "api  skipped\n"
            + "web  failed       0:00  COPY failed: stat app.jar: file does not exist\n"
            + "tagforge: [web] failed; its last 2 lines:\n"
            + "[web] Step 2/2 : COPY app.jar /app.jar\n"
            + "[web] COPY failed: stat app.jar: file does not exist\n"
            + "tagforge: recorded 0 images\n",
            Take());
    }

    [Fact]
    public void A_line_is_redacted_before_the_table_cuts_it_so_half_a_secret_never_shows()
    {
        const string Secret = "s3cr3t-t0ken-value";
        using var table = new LiveTable(_terminal, _clock, () => (40, 24), color: false, refresh: null, redact: line => line.Replace(Secret, "***", StringComparison.Ordinal));
        Start(table, "api", "web");
        using (OutputScope.Begin("api"))
        {
            table.Report(State("api", ImageStates.Building));
            table.Tool($"Step 2/3 : RUN login --token {Secret}");
        }

        table.Refresh();

        var screen = Take();
        Assert.DoesNotContain("s3cr", screen, StringComparison.Ordinal);
        Assert.Contains("api  building     0:00  Step 2/3 : RUN…", screen, StringComparison.Ordinal);
        table.Report(State("api", ImageStates.Of(ImageOutcomeKind.Failed), done: 1));
        table.Report(State("web", ImageStates.Of(ImageOutcomeKind.Skipped), done: 2, finished: true));
        Assert.Contains("[api] Step 2/3 : RUN login --token ***\n", Take(), StringComparison.Ordinal);
    }

    [Fact]
    public void Other_progress_of_an_images_work_becomes_its_last_line()
    {
        using var table = NewTable();
        Start(table, "api", "web");
        using (OutputScope.Begin("api"))
        {
            table.Report(State("api", ImageStates.Building));
            table.Report(new ProgressUpdate("copying to registry/api", ProgressUnit.Bytes, 1024, 2048, TimeSpan.FromSeconds(2)) { Items = 1, ItemsTotal = 2 });
        }

        table.Refresh();
        Assert.Contains("api  building     0:00  copying to registry/api: 1.0 KiB of 2.0 KiB", Take(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_state_the_executor_reports_is_one_the_table_shows()
    {
        var reported = new[] { ImageStates.Waiting, ImageStates.Building }
            .Concat(Enum.GetValues<ImageOutcomeKind>().Select(ImageStates.Of));

        Assert.All(reported, state => Assert.Equal(state, ImageRow.Parse(state) is { } known ? ImageRow.Spell(known) : null));
        Assert.Null(ImageRow.Parse("compiling"));
    }

    private static ProgressUpdate State(string name, string state, int total = 2, int done = 0, bool finished = false) =>
        new("release", ProgressUnit.Images, done, total, TimeSpan.Zero) { Subject = name, State = state, Finished = finished };

    private static void Start(LiveTable table, params string[] names)
    {
        foreach (var name in names)
        {
            table.Report(State(name, ImageStates.Waiting, total: names.Length));
        }
    }

    public void Dispose() => _terminal.Dispose();

    private LiveTable NewTable() => new(_terminal, _clock, () => (80, 24), color: false, refresh: null);

    /// <summary>What the terminal received since the last call.</summary>
    private string Take()
    {
        var text = _terminal.ToString();
        _terminal.GetStringBuilder().Clear();
        return text;
    }
}
