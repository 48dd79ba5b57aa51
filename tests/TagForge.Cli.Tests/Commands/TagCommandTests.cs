using System.Text.Json;
using TagForge.Testing;

namespace TagForge.Cli.Tests.Commands;

/// <summary>End-to-end: the built tagforge as a process, against real git repositories.</summary>
public class TagCommandTests
{
    private static readonly Dictionary<string, string?> Jenkins = new()
    {
        ["JENKINS_URL"] = "https://jenkins.example/",
        ["BUILD_NUMBER"] = "7",
        ["BUILD_URL"] = "https://jenkins.example/job/app/7/",
    };

    [Fact]
    public async Task Prints_the_article_format_in_jenkins()
    {
        using var repository = await TestRepository.InitAsync();
        var sha = await repository.CommitAsync();

        var result = await TagForgeCli.RunAsync(["tag", "--preset", "article", "--time", "2026-11-22T18:40:00Z"], repository.Path, Jenkins);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"v.{sha[..8]}_202611221840-7\n", result.StandardOutput);
        Assert.Equal("", result.StandardError);
    }

    [Fact]
    public async Task Converts_a_local_time_to_utc()
    {
        using var repository = await TestRepository.InitAsync();
        await repository.CommitAsync();

        var result = await TagForgeCli.RunAsync(["tag", "-t", "{time:yyyyMMddHHmm}", "--time", "2026-11-22T20:40:00+02:00"], repository.Path);

        Assert.Equal("202611221840\n", result.StandardOutput);
    }

    [Fact]
    public async Task Writes_json_with_every_input()
    {
        using var repository = await TestRepository.InitAsync();
        var sha = await repository.CommitAsync();

        var result = await TagForgeCli.RunAsync(["tag", "--format", "json", "--time", "2026-11-22T18:40:00Z", "--build-number", "99"], repository.Path, Jenkins);

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.StandardOutput);
        var root = json.RootElement;
        Assert.Equal($"20261122184000-{sha[..8]}-99", root.GetProperty("tag").GetString());
        Assert.Equal(sha, root.GetProperty("commit").GetString());
        Assert.Equal("main", root.GetProperty("branch").GetString());
        Assert.Equal("99", root.GetProperty("build").GetString());
        Assert.Equal("jenkins", root.GetProperty("provider").GetString());
        Assert.Equal("https://jenkins.example/job/app/7/", root.GetProperty("buildUrl").GetString());
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 18, 40, 0, TimeSpan.Zero), root.GetProperty("time").GetDateTimeOffset());
        Assert.False(root.GetProperty("dirty").GetBoolean());
    }

    [Fact]
    public async Task Writes_the_image_tag_dotenv_file_atomically_with_a_chosen_name()
    {
        using var repository = await TestRepository.InitAsync();
        var sha = await repository.CommitAsync();
        var file = Path.Combine(repository.Path, "..", $"IMAGE-{Guid.NewGuid():N}.TAG");
        File.WriteAllText(file, "OLD=1\n");

        var result = await TagForgeCli.RunAsync(["tag", "-t", "{sha:8}", "--format", "dotenv", "--output", file, "--name", "APP_TAG"], repository.Path);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
        Assert.Equal($"APP_TAG={sha[..8]}\n", File.ReadAllText(file));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(Path.GetFullPath(file))!, "*.tmp"));
        File.Delete(file);
    }

    [Fact]
    public async Task Appends_to_github_output()
    {
        using var repository = await TestRepository.InitAsync();
        var sha = await repository.CommitAsync();
        var outputFile = Path.Combine(repository.Path, "..", $"gh-output-{Guid.NewGuid():N}");
        File.WriteAllText(outputFile, "earlier=step\n");

        var result = await TagForgeCli.RunAsync(["tag", "-t", "{sha:8}", "--format", "github"], repository.Path, new Dictionary<string, string?>
        {
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_OUTPUT"] = outputFile,
        });

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"earlier=step\ntag={sha[..8]}\n", File.ReadAllText(outputFile));
        File.Delete(outputFile);
    }

    [Fact]
    public async Task Refuses_github_format_without_github_output()
    {
        using var repository = await TestRepository.InitAsync();
        await repository.CommitAsync();

        var result = await TagForgeCli.RunAsync(["tag", "--format", "github"], repository.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("GITHUB_OUTPUT", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--template", "{nope}", "unknown placeholder {nope}")]
    [InlineData("--template", "v{sha", "unclosed '{'")]
    [InlineData("--template", "{time:yyyy/MM}", "bad time format")]
    [InlineData("--preset", "nightly", "unknown preset 'nightly'")]
    [InlineData("--time", "yesterday", "--time 'yesterday' is not an ISO 8601 time")]
    [InlineData("--dirty", "maybe", "maybe")]
    [InlineData("--format", "xml", "xml")]
    [InlineData("--no-such-flag", "x", "--no-such-flag")]
    public async Task Exits_2_with_one_line_naming_bad_input(string flag, string value, string expected)
    {
        using var repository = await TestRepository.InitAsync();
        await repository.CommitAsync();

        var result = await TagForgeCli.RunAsync(["tag", flag, value], repository.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
        Assert.Contains(expected, result.StandardError, StringComparison.Ordinal);
        Assert.StartsWith("tagforge: error: ", result.StandardError, StringComparison.Ordinal);
        Assert.Single(result.StandardError.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Exits_2_outside_a_repository()
    {
        using var directory = new TempDirectory();

        var result = await TagForgeCli.RunAsync(["tag"], directory.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not a git repository", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exits_3_for_a_dirty_tree_with_dirty_fail()
    {
        using var repository = await TestRepository.InitAsync();
        repository.WriteFile("app.txt", "v1");
        await repository.CommitAsync();
        repository.WriteFile("app.txt", "v2");

        var refused = await TagForgeCli.RunAsync(["tag", "--dirty=fail"], repository.Path);
        var suffixed = await TagForgeCli.RunAsync(["tag", "-t", "{sha:4}"], repository.Path);

        Assert.Equal(3, refused.ExitCode);
        Assert.Contains("uncommitted changes", refused.StandardError, StringComparison.Ordinal);
        Assert.EndsWith("-dirty\n", suffixed.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exits_2_for_height_in_a_shallow_clone_and_works_for_sha()
    {
        using var origin = await TestRepository.InitAsync();
        await origin.CommitAsync();
        var sha = await origin.CommitAsync();
        using var clone = await TestRepository.CloneShallowAsync(origin);

        var height = await TagForgeCli.RunAsync(["tag", "-t", "{height}"], clone.Path);
        var commit = await TagForgeCli.RunAsync(["tag", "-t", "{sha}-{build}"], clone.Path, Jenkins);

        Assert.Equal(2, height.ExitCode);
        Assert.Contains("fetch", height.StandardError, StringComparison.Ordinal);
        Assert.Equal($"{sha}-7\n", commit.StandardOutput);
    }
}
