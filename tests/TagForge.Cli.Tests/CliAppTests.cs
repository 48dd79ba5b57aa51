using TagForge.Testing;

namespace TagForge.Cli.Tests;

/// <summary>The command line's edge: which tree gets built, help, and how unknown commands fail. Runs the built tagforge.</summary>
public class CliAppTests
{
    private static readonly string[] AllCommands = ["tag", "build", "push", "release", "plan", "record", "pin", "lint", "verify", "resolve", "promote", "prune", "ecr", "login", "logout", "doctor"];

    [Fact]
    public async Task Help_lists_every_command()
    {
        using var directory = new TempDirectory();

        var result = await TagForgeCli.RunAsync(["--help"], directory.Path);

        Assert.Equal(0, result.ExitCode);
        foreach (var command in AllCommands)
        {
            Assert.Matches($@"(?m)^\s+{command}\s", result.StandardOutput);
        }
    }

    [Theory]
    [InlineData("tag", "--preset")]
    [InlineData("release", "--allow-overwrite")]
    [InlineData("ecr", "ensure-repo")]
    public async Task A_command_built_alone_still_has_its_whole_help(string command, string expected)
    {
        using var directory = new TempDirectory();

        var result = await TagForgeCli.RunAsync([command, "--help"], directory.Path);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(expected, result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_command_is_a_usage_error_with_one_line()
    {
        using var directory = new TempDirectory();

        var result = await TagForgeCli.RunAsync(["tga", "--preset", "article"], directory.Path);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("tagforge: error:", line, StringComparison.Ordinal);
        Assert.Contains("tga", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Builds_only_the_command_the_first_argument_names()
    {
        var alone = CliApp.CreateRootCommand(["tag", "--preset", "article"]);
        var full = CliApp.CreateRootCommand(["--version"]);

        Assert.Equal(["tag"], alone.Subcommands.Select(command => command.Name));
        Assert.Equal(AllCommands, full.Subcommands.Select(command => command.Name));
    }
}
