using System.CommandLine;
using TagForge.Testing;

namespace TagForge.Cli.Tests;

/// <summary>
/// A misspelt option is exit 2 naming it, with a suggestion, before anything runs: generated for every option of
/// every command (in process, through the real command tree), and run end to end where a misspelling used to do harm.
/// </summary>
public class UnknownOptionsTests
{
    /// <summary>Every command path of the full tree (<c>ecr login</c>, <c>record merge</c>…) with the command.</summary>
    public static TheoryData<string> CommandPaths()
    {
        var data = new TheoryData<string>();
        foreach (var (path, _) in Walk(CliApp.CreateRootCommand(["--help"]), []))
        {
            data.Add(string.Join(' ', path));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CommandPaths))]
    public void Every_misspelt_option_of_a_command_is_named_with_the_option_it_was_meant_to_be(string commandPath)
    {
        var path = commandPath.Split(' ');
        var command = Walk(CliApp.CreateRootCommand(["--help"]), []).Single(pair => pair.Path.SequenceEqual(path)).Command;
        var names = command.Options.SelectMany(option => option.Aliases.Prepend(option.Name)).Where(name => name.StartsWith("--", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        var tried = 0;
        foreach (var name in names)
        {
            foreach (var misspelt in Misspellings(name).Where(candidate => !names.Contains(candidate) && candidate != "--verbose"))
            {
                tried++;
                // A value after it, as a user would type: the parser would otherwise take both as arguments.
                var parse = CliApp.CreateRootCommand(path).Parse([.. path, misspelt, "value"]);

                var error = UnknownOptions.Find(parse);

                Assert.NotNull(error);
                Assert.StartsWith($"unknown option '{misspelt}' for '{command.Name}'", error, StringComparison.Ordinal);
                var suggested = UnknownOptions.Suggest(misspelt, command);
                Assert.NotNull(suggested);
                Assert.True(UnknownOptions.Distance(misspelt, suggested) <= UnknownOptions.Distance(misspelt, name), $"{misspelt}: suggested {suggested}, meant {name}");
                Assert.Contains($"did you mean '{suggested}'", error, StringComparison.Ordinal);
            }
        }

        Assert.True(tried > 0 || names.Count == 0, $"no misspelling generated for {commandPath}");
    }

    [Theory]
    [InlineData("release", "--image", "registry.example.com/app", ".", "--", "--no-cache", "--build-arg", "A=1")]
    [InlineData("tag", "--template", "-{sha:7}")]
    [InlineData("pin", "-", "--record", "tagforge.json")]
    [InlineData("record", "merge", "./-part.json", "-o", "out.json")]
    public void What_follows_a_double_dash_an_option_s_value_and_stdin_are_not_unknown_options(params string[] args)
    {
        var parse = CliApp.CreateRootCommand(args).Parse(args);

        Assert.Null(UnknownOptions.Find(parse));
    }

    [Fact]
    public async Task A_misspelt_record_option_of_pin_changes_no_file()
    {
        using var directory = new TempDirectory();
        var manifest = directory.Write("k8s/deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/app:1\n");
        directory.Write("tagforge.json", """{"schemaVersion": 1, "images": [{"repository": "registry.example.com/app", "tag": "1", "digest": "sha256:1111111111111111111111111111111111111111111111111111111111111111", "reference": "registry.example.com/app@sha256:1111111111111111111111111111111111111111111111111111111111111111"}]}""");
        var before = File.ReadAllBytes(manifest);

        var result = await TagForgeCli.RunAsync(["pin", "k8s/", "--recrod", "other.json"], directory.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("tagforge: error: unknown option '--recrod' for 'pin' (did you mean '--record'?) (see 'tagforge pin --help')", result.StandardError.Trim());
        Assert.Equal(before, File.ReadAllBytes(manifest));
    }

    [Fact]
    public async Task A_misspelt_image_option_of_release_is_named_before_anything_runs()
    {
        using var directory = new TempDirectory();

        var result = await TagForgeCli.RunAsync(["release", "--imgae", "registry.example.com/app", "."], directory.Path, TagForgeCli.ReleaseEnvironment(("TAGFORGE_DOCKER", "/bin/false")));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown option '--imgae' for 'release' (did you mean '--image'?)", result.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(directory.Path, "tagforge.json")));
    }

    [Theory]
    [InlineData("--recrod", "--record", 1)]
    [InlineData("--record", "--record", 0)]
    [InlineData("--imgae", "--image", 1)]
    [InlineData("--dryrun", "--dry-run", 1)]
    [InlineData("", "abc", 3)]
    public void Distance_counts_a_transposition_as_one_edit(string a, string b, int expected) =>
        Assert.Equal(expected, UnknownOptions.Distance(a, b));

    private static IEnumerable<(string[] Path, Command Command)> Walk(Command command, string[] path)
    {
        foreach (var sub in command.Subcommands)
        {
            var subPath = path.Append(sub.Name).ToArray();
            if (sub.Subcommands.Count == 0 || sub.Options.Count > 0)
            {
                yield return (subPath, sub);
            }

            foreach (var nested in Walk(sub, subPath))
            {
                yield return nested;
            }
        }
    }

    /// <summary>Two typing slips a user makes: two letters swapped and a letter dropped (in the name, not the dashes).</summary>
    private static IEnumerable<string> Misspellings(string name)
    {
        var body = name[2..];
        if (body.Length >= 3)
        {
            var middle = body.Length / 2;
            var swapped = body.ToCharArray();
            (swapped[middle - 1], swapped[middle]) = (swapped[middle], swapped[middle - 1]);
            yield return "--" + new string(swapped);
        }

        if (body.Length >= 4)
        {
            yield return "--" + body.Remove(body.Length / 2, 1);
        }
    }
}
