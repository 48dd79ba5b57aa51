using TagForge.Errors;
using TagForge.IO;
using TagForge.Testing;

namespace TagForge.Config;

public class ReleaseConfigFileTests
{
    private static readonly DictionaryEnvironment NoVariables = DictionaryEnvironment.Empty;

    [Fact]
    public void Reads_every_key_and_resolves_paths_against_the_files_directory()
    {
        using var directory = new TempDirectory("config");
        var path = directory.Write("tagforge.yml", """
            # the laptop release
            image: registry.example.com/acme/api
            context: services/api
            dockerfile: services/api/Dockerfile.release
            template: "v.{sha:8}_{time:yyyyMMddHHmm}-{build}"
            record: out/tagforge.json
            platform: linux/amd64
            """);

        var config = ReleaseConfigFile.Read(path);

        Assert.Equal("registry.example.com/acme/api", config.Image);
        Assert.Equal(directory.Combine("services", "api"), config.Context);
        Assert.Equal(directory.Combine("services", "api", "Dockerfile.release"), config.Dockerfile);
        Assert.Equal("v.{sha:8}_{time:yyyyMMddHHmm}-{build}", config.Template);
        Assert.Equal(directory.Combine("out", "tagforge.json"), config.Record);
        Assert.Equal("linux/amd64", config.Platform);
        Assert.Null(config.Preset);
        Assert.Equal(path, config.Source);
    }

    [Fact]
    public void Finds_a_dot_file_in_a_parent_directory_of_the_repository()
    {
        using var directory = new TempDirectory("config");
        Directory.CreateDirectory(directory.Combine(".git"));
        var path = directory.Write(".tagforge.yml", "image: r.example/app\n");
        Directory.CreateDirectory(directory.Combine("src", "deep"));

        Assert.Equal(path, ReleaseConfigFile.Find(directory.Combine("src", "deep")));
    }

    [Fact]
    public void Stops_looking_at_the_repository_root()
    {
        using var directory = new TempDirectory("config");
        directory.Write("tagforge.yml", "image: r.example/outside\n");
        Directory.CreateDirectory(directory.Combine("repo", ".git"));

        Assert.Null(ReleaseConfigFile.Find(directory.Combine("repo")));
    }

    [Fact]
    public void Refuses_two_config_files_in_one_directory()
    {
        using var directory = new TempDirectory("config");
        directory.Write("tagforge.yml", "image: a.example/app\n");
        directory.Write(".tagforge.yml", "image: b.example/app\n");

        var error = Assert.Throws<BadInputException>(() => ReleaseConfigFile.Find(directory.Path));

        Assert.Contains("tagforge.yml and .tagforge.yml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_the_file_and_line_of_an_unknown_key()
    {
        var error = Assert.Throws<BadInputException>(() => ReleaseConfigFile.Parse("image: r.example/app\nimgae: typo\n", "tagforge.yml", "/repo"));

        Assert.StartsWith("tagforge.yml:2: unknown key 'imgae'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("- image\n", "must be a mapping")]
    [InlineData("image: [a, b]\n", "'image' must be a single value")]
    [InlineData("image: \"unterminated\n", "not valid YAML")]
    public void Explains_a_malformed_file(string yaml, string expected)
    {
        var error = Assert.Throws<BadInputException>(() => ReleaseConfigFile.Parse(yaml, "tagforge.yml", "/repo"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_file_or_null_values_set_nothing()
    {
        Assert.Null(ReleaseConfigFile.Parse("", "tagforge.yml", "/repo").Image);
        Assert.Null(ReleaseConfigFile.Parse("image: ~\ntemplate: null\n", "tagforge.yml", "/repo").Template);
    }

    [Fact]
    public void The_environment_wins_over_the_file()
    {
        using var directory = new TempDirectory("config");
        directory.Write("tagforge.yml", "image: file.example/app\ntemplate: \"{sha}\"\nrecord: from-file.json\n");
        var environment = new DictionaryEnvironment(new Dictionary<string, string>
        {
            ["TAGFORGE_IMAGE"] = "env.example/app",
            ["TAGFORGE_RECORD"] = "from-env.json",
        });

        var config = ReleaseConfigFile.Load(directory.Path, environment);

        Assert.Equal("env.example/app", config.Image);
        Assert.Equal("{sha}", config.Template);
        Assert.Equal(directory.Combine("from-env.json"), config.Record);
    }

    [Fact]
    public void Command_line_values_layer_over_the_loaded_config()
    {
        var file = new ReleaseConfig { Image = "file.example/app", Template = "{sha}" };
        var commandLine = new ReleaseConfig { Template = "{sha:8}" };

        var merged = commandLine.Over(file);

        Assert.Equal("file.example/app", merged.Image);
        Assert.Equal("{sha:8}", merged.Template);
    }

    [Fact]
    public void Reads_the_file_named_by_TAGFORGE_CONFIG()
    {
        using var directory = new TempDirectory("config");
        directory.Write("ci/release.yml", "image: named.example/app\n");
        var environment = new DictionaryEnvironment(new Dictionary<string, string> { ["TAGFORGE_CONFIG"] = "ci/release.yml" });

        Assert.Equal("named.example/app", ReleaseConfigFile.Load(directory.Path, environment).Image);
        Assert.Throws<BadInputException>(() => ReleaseConfigFile.Load(directory.Path, NoVariables, explicitPath: "missing.yml"));
    }
}
