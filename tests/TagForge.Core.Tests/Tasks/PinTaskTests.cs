using TagForge.Errors;
using TagForge.Testing;

namespace TagForge.Tasks;

/// <summary>The pin task runs the CLI's operation: the same files pinned, the same notes and warnings, through the task's logger.</summary>
public sealed class PinTaskTests
{
    private static readonly string Pinned = $"{Samples.Repository}:{Samples.Tag}@{Samples.Digest}";

    [Fact]
    public void Warns_through_its_logger_when_no_image_of_the_files_is_in_the_record()
    {
        using var directory = new TempDirectory("pin-task");
        directory.Write("tagforge.json", Samples.Record);
        directory.Write("other.yaml", Samples.Pod("quay.io/acme/other:2.0"));
        var logger = new ListLogger();

        var pinned = TagForgeTasks.Pin(s => s.SetWorkingDirectory(directory.Path).AddFiles("other.yaml").SetLogger(logger));

        Assert.Empty(Assert.Single(pinned).Changes);
        Assert.Contains(
            "Warning: no image in these files is in the record tagforge.json (1 repository); check the repository names",
            logger.Messages);
    }

    [Fact]
    public void Pins_many_files_like_the_cli_with_a_note_for_each_and_the_summary()
    {
        using var directory = new TempDirectory("pin-task");
        directory.Write("tagforge.json", Samples.Record);
        for (var i = 0; i < 200; i++)
        {
            directory.Write($"deploy/app-{i:D3}.yaml", Samples.Pod($"{Samples.Repository}:1.{i}", "redis:7.2"));
        }

        var logger = new ListLogger();

        var pinned = TagForgeTasks.Pin(s => s.SetWorkingDirectory(directory.Path).AddFiles("deploy").SetLogger(logger));

        Assert.Equal(200, pinned.Count);
        Assert.Equal("deploy/app-000.yaml", pinned[0].File.Name);
        Assert.All(pinned, pin => Assert.Equal(Pinned, Assert.Single(pin.Changes).After));
        Assert.Equal(Samples.Pod(Pinned, "redis:7.2"), File.ReadAllText(directory.Combine("deploy", "app-199.yaml")));
        Assert.Contains("Information: pinned 1 image in deploy/app-123.yaml", logger.Messages);
        Assert.Equal("Information: pinned 200 images in 200 files", logger.Messages[^1]);
        Assert.DoesNotContain(logger.Messages, message => message.StartsWith("Warning:", StringComparison.Ordinal));
    }

    [Fact]
    public void A_bad_file_throws_bad_input_after_the_good_ones_are_pinned()
    {
        using var directory = new TempDirectory("pin-task");
        directory.Write("tagforge.json", Samples.Record);
        directory.Write("deploy/a-bad.yaml", "apiVersion: v1\nkind: Pod\nspec: [\n");
        directory.Write("deploy/b-good.yaml", Samples.Pod($"{Samples.Repository}:1.0"));

        var error = Assert.Throws<BadInputException>(() => TagForgeTasks.Pin(s => s.SetWorkingDirectory(directory.Path).AddFiles("deploy")));

        Assert.StartsWith("deploy/a-bad.yaml:4:1: invalid YAML", error.Message, StringComparison.Ordinal);
        Assert.Equal(Samples.Pod(Pinned), File.ReadAllText(directory.Combine("deploy", "b-good.yaml")));
    }

    [Fact]
    public void A_check_throws_the_unpinned_references_as_findings()
    {
        using var directory = new TempDirectory("pin-task");
        directory.Write("tagforge.json", Samples.Record);
        directory.Write("pod.yaml", Samples.Pod($"{Samples.Repository}:1.0"));

        var error = Assert.Throws<FindingsException>(() => TagForgeTasks.Pin(s => s.SetWorkingDirectory(directory.Path).AddFiles("pod.yaml").EnableCheck()));

        Assert.Equal("unpinned", Assert.Single(error.Findings).Code);
        Assert.StartsWith("pod.yaml:8:12: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_files_names_the_setter()
    {
        var error = Assert.Throws<BadInputException>(() => TagForgeTasks.Pin(s => s));

        Assert.Contains("AddFiles", error.Message, StringComparison.Ordinal);
    }
}
