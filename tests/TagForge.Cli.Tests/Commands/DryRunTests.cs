using System.Text.Json;
using System.Text.RegularExpressions;
using TagForge.Testing;

namespace TagForge.Cli.Tests.Commands;

/// <summary>
/// <c>release --dry-run</c> prints what the release runs: the same docker argument arrays, labels included, compared
/// with the commands the real release executes (its debug log, <c>TAGFORGE_VERBOSE=1</c>) against the real engine and
/// a real registry. Only temporary folders and the image id differ, and the plan names them as placeholders.
/// </summary>
[Collection(DockerEngine.CollectionName)]
public sealed partial class DryRunTests
{
    private const string Time = "2026-11-22T18:40:00Z";

    private static readonly string[] PlannedVerbs = ["build", "tag", "login", "push", "rmi"];

    private static Dictionary<string, string?> Environment(params (string Name, string? Value)[] extra) => TagForgeCli.ReleaseEnvironment(extra);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_plan_is_the_argv_the_release_runs_labels_included(bool target)
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await SampleApp.CreateAsync("FROM scratch AS app\nCOPY hello.txt /hello.txt\n");
        string[] arguments =
        [
            "release", "--image", $"{registry.Host}/team/plan", "--time", Time, "--build-number", "7", "--extra-tag", "latest",
            "--build-arg", "A=1", "--rm-local", .. target ? new[] { "--target", "app" } : [],
        ];

        var plan = await TagForgeCli.RunAsync([.. arguments, "--dry-run", "--format", "json"], repository.Path, Environment());
        var release = await TagForgeCli.RunAsync(arguments, repository.Path, Environment(("TAGFORGE_VERBOSE", "1")));

        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.True(release.ExitCode == 0, release.ToString());
        using var json = JsonDocument.Parse(plan.StandardOutput);
        var planned = json.RootElement.GetProperty("commands").EnumerateArray()
            .Select(command => string.Join(' ', command.EnumerateArray().Select(argument => argument.GetString())))
            .ToList();
        var ran = release.StandardError.Split('\n')
            .Where(line => line.StartsWith("tagforge: running docker ", StringComparison.Ordinal))
            .Select(line => line["tagforge: running ".Length..])
            .Where(command => PlannedVerbs.Contains(command.Split(' ')[1]))
            .Select(Placeholders)
            .ToList();
        Assert.Equal(planned, ran);

        var sha = await repository.HeadAsync();
        var labels = new[] { $"org.opencontainers.image.revision={sha}", $"org.opencontainers.image.created={Time}" };
        var labelInstruction = json.RootElement.GetProperty("labelInstruction");
        if (target)
        {
            // A target stage gets the labels as --label arguments: they are in the argv compared above.
            Assert.Equal(JsonValueKind.Null, labelInstruction.ValueKind);
            Assert.All(labels, label => Assert.Contains($"--label {label} ", planned[0], StringComparison.Ordinal));
        }
        else
        {
            // The final stage gets them in one LABEL line of a Dockerfile copy: the plan says which line.
            Assert.All(labels, label => Assert.Contains("\"" + label.Replace("=", "\"=\"", StringComparison.Ordinal) + "\"", labelInstruction.GetString(), StringComparison.Ordinal));
            Assert.DoesNotContain("--label", planned[0], StringComparison.Ordinal);
        }
    }

    /// <summary>The real run's temporary folders and image id, written as the plan writes them.</summary>
    private static string Placeholders(string command) =>
        ImageId().Replace(TemporaryFolder().Replace(command, "<temp>"), "tag <image-id> ");

    [GeneratedRegex(@"\S*/tagforge-build-[^/\s]+")]
    private static partial Regex TemporaryFolder();

    [GeneratedRegex(@"tag sha256:[0-9a-f]{64} ")]
    private static partial Regex ImageId();
}
