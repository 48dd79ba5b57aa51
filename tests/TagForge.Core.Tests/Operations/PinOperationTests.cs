using TagForge.Errors;
using TagForge.Pinning;
using TagForge.Testing;

namespace TagForge.Operations;

public sealed class PinOperationTests
{
    private static readonly string Pinned = $"{Samples.Repository}:{Samples.Tag}@{Samples.Digest}";

    private static TempDirectory WithRecord()
    {
        var directory = new TempDirectory("pin-op");
        directory.Write("tagforge.json", Samples.Record);
        return directory;
    }

    [Fact]
    public async Task Pins_every_file_under_a_directory_relative_to_the_working_directory_and_names_them_as_given()
    {
        using var directory = WithRecord();
        for (var i = 0; i < 50; i++)
        {
            directory.Write($"deploy/app-{i:D2}.yaml", Samples.Pod($"{Samples.Repository}:1.{i}", "redis:7.2"));
        }

        using var services = Samples.In(directory);
        var result = await PinOperation.RunAsync(new PinRequest { Paths = ["deploy"] }, services, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCode.Ok, result.ExitCode);
        Assert.Equal(50, result.Pins.Count);
        Assert.Equal("pinned 1 image in deploy/app-00.yaml", result.Files[0].Note);
        Assert.Equal("pinned 50 images in 50 files", result.Summary);
        Assert.Empty(result.Warnings);
        Assert.Equal(Samples.Pod(Pinned, "redis:7.2"), File.ReadAllText(directory.Combine("deploy", "app-49.yaml")));
    }

    [Fact]
    public async Task A_dry_run_returns_a_diff_and_writes_nothing()
    {
        using var directory = WithRecord();
        var before = Samples.Pod($"{Samples.Repository}:1.0");
        directory.Write("pod.yaml", before);

        using var services = Samples.In(directory);
        var result = await PinOperation.RunAsync(new PinRequest { Paths = ["pod.yaml"], DryRun = true }, services, TestContext.Current.CancellationToken);

        var file = Assert.Single(result.Files);
        Assert.StartsWith("--- a/pod.yaml\n+++ b/pod.yaml\n", file.Output, StringComparison.Ordinal);
        Assert.Equal("would pin 1 image in pod.yaml", file.Note);
        Assert.Equal("would pin 1 image in 1 file", result.Summary);
        Assert.Equal(before, File.ReadAllText(directory.Combine("pod.yaml")));
    }

    [Fact]
    public async Task Standard_input_comes_back_pinned_as_output_for_the_caller_to_print()
    {
        using var directory = WithRecord();
        var stdin = System.Text.Encoding.UTF8.GetBytes(Samples.Pod($"{Samples.Repository}:1.0"));

        using var services = Samples.In(directory);
        var result = await PinOperation.RunAsync(
            new PinRequest { Paths = ["-"], StandardInput = stdin, Style = PinStyle.Digest }, services, TestContext.Current.CancellationToken);

        var file = Assert.Single(result.Files);
        Assert.Equal(Samples.Pod($"{Samples.Repository}@{Samples.Digest}"), file.Output);
        Assert.Null(file.Note);
    }

    [Fact]
    public async Task A_check_writes_nothing_and_finds_each_unpinned_reference()
    {
        using var directory = WithRecord();
        var before = Samples.Pod($"{Samples.Repository}:1.0");
        directory.Write("pod.yaml", before);

        using var services = Samples.In(directory);
        var result = await PinOperation.RunAsync(new PinRequest { Paths = ["pod.yaml"], Check = true }, services, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCode.PolicyRefusal, result.ExitCode);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(("pod.yaml", 8, 12, "unpinned"), (finding.File, finding.Line, finding.Column, finding.Code));
        Assert.Empty(result.Files.SelectMany(file => file.Changes));
        Assert.Null(result.Summary);
        Assert.Equal(before, File.ReadAllText(directory.Combine("pod.yaml")));
    }

    [Fact]
    public async Task Bad_files_are_errors_one_by_one_while_the_good_ones_are_still_pinned()
    {
        using var directory = WithRecord();
        directory.Write("deploy/a-bad.yaml", "apiVersion: v1\nkind: Pod\nspec: [\n");
        directory.Write("deploy/b-good.yaml", Samples.Pod($"{Samples.Repository}:1.0"));

        using var services = Samples.In(directory);
        var result = await PinOperation.RunAsync(new PinRequest { Paths = ["deploy", "missing.yaml"] }, services, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCode.BadInput, result.ExitCode);
        Assert.Equal(2, result.Errors.Count);
        Assert.Equal("missing.yaml: no such file or directory", result.Errors[0]);
        Assert.StartsWith("deploy/a-bad.yaml:4:1: invalid YAML", result.Errors[1], StringComparison.Ordinal);
        Assert.Equal(Samples.Pod(Pinned), File.ReadAllText(directory.Combine("deploy", "b-good.yaml")));
    }

    [Fact]
    public async Task Files_that_name_no_image_of_the_record_give_a_warning()
    {
        using var directory = WithRecord();
        directory.Write("other.yaml", Samples.Pod("quay.io/acme/other:2.0"));

        using var services = Samples.In(directory);
        var result = await PinOperation.RunAsync(new PinRequest { Paths = ["other.yaml"] }, services, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCode.Ok, result.ExitCode);
        Assert.Equal(
            "no image in these files is in the record tagforge.json (1 repository); check the repository names",
            Assert.Single(result.Warnings));
    }

    [Fact]
    public async Task A_missing_record_is_bad_input_named_as_given()
    {
        using var directory = new TempDirectory("pin-op");
        directory.Write("pod.yaml", Samples.Pod("nginx:1.25"));

        using var services = Samples.In(directory);
        var error = await Assert.ThrowsAsync<BadInputException>(() =>
            PinOperation.RunAsync(new PinRequest { Paths = ["pod.yaml"], Record = "absent.json" }, services, TestContext.Current.CancellationToken));

        Assert.StartsWith("cannot read the build record absent.json:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Standard_input_named_without_any_given_is_a_bad_file()
    {
        using var directory = WithRecord();

        using var services = Samples.In(directory);
        var result = await PinOperation.RunAsync(new PinRequest { Paths = ["-"] }, services, TestContext.Current.CancellationToken);

        Assert.StartsWith("-: ", Assert.Single(result.Errors), StringComparison.Ordinal);
    }
}
