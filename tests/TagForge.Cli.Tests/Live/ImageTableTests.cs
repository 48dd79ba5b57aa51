using TagForge.Cli.Live;

namespace TagForge.Cli.Tests.Live;

/// <summary>The live table's text, a pure function of the rows, the terminal's size and the time. No terminal needed.</summary>
public sealed class ImageTableTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 20, 0, 0, TimeSpan.Zero);

    private static readonly ImageRow[] Rows =
    [
        new("base", ImageState.Reused, null, null, "reused registry.example.com/team/base@sha256:aaaa"),
        new("api", ImageState.Building, Now.AddSeconds(-75), null, "Step 3/7 : RUN make"),
        new("web", ImageState.Pushing, Now.AddSeconds(-12), null, "5f70bf18a086: Pushed"),
        new("worker", ImageState.Failed, Now.AddSeconds(-30), Now.AddSeconds(-20), "COPY failed: stat app.jar: file does not exist"),
        new("docs", ImageState.Waiting, null, null, null),
        new("cli", ImageState.Skipped, null, null, null),
    ];

    [Fact]
    public void Each_image_is_one_line_with_its_name_state_time_at_work_and_last_line()
    {
        var lines = ImageTable.Render(Rows, 200, 50, Now, color: false);

        Assert.Equal(
            [
                "base    reused             reused registry.example.com/team/base@sha256:aaaa",
                "api     building     1:15  Step 3/7 : RUN make",
                "web     pushing      0:12  5f70bf18a086: Pushed",
                "worker  failed       0:10  COPY failed: stat app.jar: file does not exist",
                "docs    waiting",
                "cli     skipped",
            ],
            lines);
    }

    [Fact]
    public void No_line_reaches_the_last_column_at_any_width_so_none_wraps()
    {
        var random = new Random(20261207);
        for (var width = 1; width <= 160; width++)
        {
            var rows = Rows.Select(row => row with
            {
                Name = new string('n', random.Next(1, 40)),
                LastLine = new string('x', random.Next(0, 300)),
            }).ToList();

            foreach (var color in new[] { false, true })
            {
                var lines = ImageTable.Render(rows, width, 50, Now, color);

                Assert.Equal(rows.Count, lines.Count);
                Assert.All(lines, line => Assert.True(ImageTable.Clean(line).Length < Math.Max(width, 20), $"width {width}: {line}"));
            }
        }
    }

    [Fact]
    public void Colour_paints_the_state_alone_and_is_left_out_when_not_asked_for()
    {
        var painted = ImageTable.Render(Rows, 200, 50, Now, color: true);
        var plain = ImageTable.Render(Rows, 200, 50, Now, color: false);

        Assert.Equal("worker  \u001b[31mfailed\u001b[0m       0:10  COPY failed: stat app.jar: file does not exist", painted[3]);
        Assert.Equal(plain, painted.Select(ImageTable.Clean));
        Assert.DoesNotContain(plain, line => line.Contains('\u001b', StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("\u001b[1;32m => [internal] load build definition\u001b[0m", "=> [internal] load build definition")]
    [InlineData("#5 sha256:abc 1.2MB / 3.4MB 0.6s\r", "#5 sha256:abc 1.2MB / 3.4MB 0.6s")]
    [InlineData("a\tb\u0007c", "a bc")]
    [InlineData("\u001b]0;title\u0007text", "text")]
    [InlineData("\u001b]0;title\u001b\\text", "text")]
    public void A_tool_line_is_shown_without_its_escape_sequences_and_control_characters(string line, string shown)
    {
        Assert.Equal(shown, ImageTable.Clean(line));
    }

    [Fact]
    public void A_terminal_shorter_than_the_table_shows_the_images_at_work_and_the_failed_first_and_counts_the_rest()
    {
        var lines = ImageTable.Render(Rows, 200, 5, Now, color: false);

        Assert.Equal(
            [
                "api     building     1:15  Step 3/7 : RUN make",
                "web     pushing      0:12  5f70bf18a086: Pushed",
                "worker  failed       0:10  COPY failed: stat app.jar: file does not exist",
                "… 3 more: 1 waiting, 1 reused, 1 skipped",
            ],
            lines);
    }

    [Theory]
    [InlineData(0, "0:00")]
    [InlineData(59.9, "0:59")]
    [InlineData(61, "1:01")]
    [InlineData(3599, "59:59")]
    [InlineData(3600, "1:00:00")]
    [InlineData(90061, "25:01:01")]
    [InlineData(-3, "0:00")]
    public void Elapsed_time_reads_as_minutes_and_seconds_and_hours_from_an_hour_on(double seconds, string shown)
    {
        Assert.Equal(shown, ImageTable.Elapsed(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void A_settled_image_keeps_the_time_its_work_took_and_a_waiting_one_shows_none()
    {
        var later = ImageTable.Render(Rows, 200, 50, Now.AddHours(1), color: false);

        Assert.Contains("worker  failed       0:10", later[3], StringComparison.Ordinal);
        Assert.Equal("docs    waiting", later[4]);
    }

    [Fact]
    public void The_final_table_is_followed_by_each_failed_images_last_lines_named_as_in_CI_logs()
    {
        var tails = new Dictionary<string, IReadOnlyList<string>>
        {
            ["worker"] = ["Step 2/3 : COPY app.jar /app.jar", "COPY failed: stat app.jar: file does not exist"],
            ["api"] = ["never shown: api did not fail"],
        };

        var lines = ImageTable.Final(Rows, name => tails.TryGetValue(name, out var tail) ? tail : [], 200, Now, color: false);

        Assert.Equal(ImageTable.Render(Rows, 200, int.MaxValue, Now, color: false), lines.Take(Rows.Length));
        Assert.Equal(
            [
                "tagforge: [worker] failed; its last 2 lines:",
                "[worker] Step 2/3 : COPY app.jar /app.jar",
                "[worker] COPY failed: stat app.jar: file does not exist",
            ],
            lines.Skip(Rows.Length));
    }
}
