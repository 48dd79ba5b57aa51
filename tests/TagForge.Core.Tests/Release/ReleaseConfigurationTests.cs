using TagForge.Errors;
using TagForge.IO;
using TagForge.Services;
using TagForge.Tagging;
using TagForge.Testing;

namespace TagForge.Release;

/// <summary>
/// How a release's settings are layered: the request's own values (flags, task setters) over <c>TAGFORGE_*</c> over
/// tagforge.yml over the defaults. Pure: a temp directory with a <c>.git</c> marker (so the search for tagforge.yml
/// stops there) and a <see cref="DictionaryEnvironment"/>.
/// </summary>
public class ReleaseConfigurationTests
{
    private static TempDirectory Workspace(string? config = null)
    {
        var directory = new TempDirectory("layer");
        Directory.CreateDirectory(directory.Combine(".git"));
        if (config is not null)
        {
            directory.Write("tagforge.yml", config);
        }

        return directory;
    }

    private static ReleaseRequest Layer(ReleaseRequest request, TempDirectory directory, Dictionary<string, string>? environment = null)
    {
        using var services = new TagForgeServices(new DictionaryEnvironment(environment ?? []), workingDirectory: directory.Path);
        return ReleaseConfiguration.Layer(request, services);
    }

    [Fact]
    public void Fills_the_defaults_when_neither_the_environment_nor_a_file_says_anything()
    {
        using var directory = Workspace();

        var layered = Layer(new ReleaseRequest { Image = "reg.example/app" }, directory);

        Assert.Equal("reg.example/app", layered.Image);
        Assert.Equal(directory.Path, layered.ContextPath);
        Assert.Equal(directory.Path, layered.Tag.RepositoryPath);
        Assert.Equal("tagforge.json", layered.RecordPath);
        Assert.Null(layered.Dockerfile);
        Assert.Null(layered.Platform);
        Assert.Null(layered.Tag.Template);
        Assert.Null(layered.Tag.Preset);
    }

    [Theory]
    [InlineData(true, true, true, "flag")]
    [InlineData(true, false, true, "flag")]
    [InlineData(false, true, true, "env")]
    [InlineData(false, true, false, "env")]
    [InlineData(false, false, true, "file")]
    public void The_request_wins_over_TAGFORGE_variables_which_win_over_tagforge_yml(bool flags, bool variables, bool file, string winner)
    {
        using var directory = Workspace(file ? """
            image: reg.example/file
            context: ctx-file
            dockerfile: ctx-file/File.Dockerfile
            template: file-{sha}
            platform: linux/file
            record: file.json
            """ : null);
        var request = flags
            ? new ReleaseRequest
            {
                Image = "reg.example/flag",
                ContextPath = "ctx-flag",
                Dockerfile = "ctx-flag/Flag.Dockerfile",
                Tag = new TagRequest { Template = "flag-{sha}" },
                Platform = "linux/flag",
                RecordPath = "flag.json",
            }
            : new ReleaseRequest();
        var environment = variables
            ? new Dictionary<string, string>
            {
                ["TAGFORGE_IMAGE"] = "reg.example/env",
                ["TAGFORGE_CONTEXT"] = "ctx-env",
                ["TAGFORGE_DOCKERFILE"] = "ctx-env/Env.Dockerfile",
                ["TAGFORGE_TEMPLATE"] = "env-{sha}",
                ["TAGFORGE_PLATFORM"] = "linux/env",
                ["TAGFORGE_RECORD"] = "env.json",
            }
            : [];

        var layered = Layer(request, directory, environment);

        var dockerfile = winner switch { "flag" => "Flag", "env" => "Env", _ => "File" };
        Assert.Equal($"reg.example/{winner}", layered.Image);
        Assert.Equal(directory.Combine($"ctx-{winner}"), layered.ContextPath);
        Assert.Equal(directory.Combine($"ctx-{winner}", $"{dockerfile}.Dockerfile"), layered.Dockerfile);
        Assert.Equal($"{winner}-{{sha}}", layered.Tag.Template);
        Assert.Equal($"linux/{winner}", layered.Platform);
        // The request's record path stays as given (messages show it so); the environment's and the file's are absolute.
        Assert.Equal(winner == "flag" ? "flag.json" : directory.Combine($"{winner}.json"), layered.RecordPath);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void No_record_or_skipping_the_push_leaves_no_record_path_even_when_the_file_names_one(bool noRecord, bool skipPush)
    {
        using var directory = Workspace("image: reg.example/app\nrecord: file.json\n");

        var layered = Layer(new ReleaseRequest { NoRecord = noRecord, SkipPush = skipPush }, directory);

        Assert.Null(layered.RecordPath);
    }

    [Fact]
    public void Without_an_image_anywhere_the_message_names_the_callers_option_the_variable_and_the_file()
    {
        using var directory = Workspace();

        var cli = Assert.Throws<BadInputException>(() => Layer(new ReleaseRequest(), directory));
        var tasks = Assert.Throws<BadInputException>(() => Layer(new ReleaseRequest { OptionNames = ReleaseOptionNames.Tasks }, directory));

        Assert.Equal("no image: pass --image registry.example.com/team/app, set TAGFORGE_IMAGE, or put 'image:' in tagforge.yml", cli.Message);
        Assert.Equal("no image: call SetImage(\"registry.example.com/team/app\"), set TAGFORGE_IMAGE, or put 'image:' in tagforge.yml", tasks.Message);
    }

    [Fact]
    public void The_search_for_tagforge_yml_stops_at_the_git_marker()
    {
        using var outside = new TempDirectory("layer-outside");
        outside.Write("tagforge.yml", "image: reg.example/outside\n");
        Directory.CreateDirectory(outside.Combine("repo", ".git"));
        Directory.CreateDirectory(outside.Combine("repo", "sub"));
        using var services = new TagForgeServices(DictionaryEnvironment.Empty, workingDirectory: outside.Combine("repo", "sub"));

        var error = Assert.Throws<BadInputException>(() => ReleaseConfiguration.Layer(new ReleaseRequest(), services));

        Assert.StartsWith("no image:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_files_preset_applies_when_no_template_is_given_and_a_requested_preset_keeps_the_files_template_out()
    {
        using var directory = Workspace("image: reg.example/app\npreset: article\n");
        using var both = Workspace("image: reg.example/app\ntemplate: file-{sha}\n");

        var fromFile = Layer(new ReleaseRequest(), directory);
        var requested = Layer(new ReleaseRequest { Tag = new TagRequest { Preset = "article" } }, both);

        Assert.Equal(("article", null), (fromFile.Tag.Preset, fromFile.Tag.Template));
        Assert.Equal(("article", null), (requested.Tag.Preset, requested.Tag.Template));
    }

    [Fact]
    public void A_push_without_a_build_takes_no_build_settings_from_the_file()
    {
        using var directory = Workspace("image: reg.example/app\ncontext: ctx\ndockerfile: ctx/Dockerfile\ntemplate: file-{sha}\nplatform: linux/arm64\n");

        var layered = Layer(new ReleaseRequest { SkipBuild = true, FixedTag = "v1" }, directory);

        Assert.Equal("reg.example/app", layered.Image);
        Assert.Equal((null, null, null, null), (layered.ContextPath, layered.Dockerfile, layered.Platform, layered.Tag.Template));
    }

    [Fact]
    public void An_explicit_config_path_is_read_relative_to_the_working_directory()
    {
        using var directory = Workspace("image: reg.example/found\n");
        directory.Write("conf/other.yml", "image: reg.example/explicit\n");

        var layered = Layer(new ReleaseRequest { ConfigPath = "conf/other.yml" }, directory);

        Assert.Equal("reg.example/explicit", layered.Image);
    }
}
