using TagForge.Errors;

namespace TagForge.Config;

/// <summary><c>images:</c> in tagforge.yml: its keys, the forms of build-args, platforms and depends-on, and its faults.</summary>
public class ImagesSectionTests
{
    private const string Base = "/repo";

    [Fact]
    public void Reads_every_key_of_an_image_with_paths_relative_to_the_file()
    {
        var config = ReleaseConfigFile.Parse(
            """
            image: registry.example.com/team
            images:
              - name: base
                context: images/base
                platforms: [linux/amd64, linux/arm64]
              - name: api
                image: registry.example.com/other/api
                context: services/api
                dockerfile: services/api/Dockerfile.prod
                target: runtime
                builder: podman
                project: services/api/Api.csproj
                template: "{content:12}"
                depends-on: base
                build-args:
                  BASE: "{image:base}"
                  MODE: fast
            """,
            "tagforge.yml",
            Base);

        Assert.Equal("registry.example.com/team", config.Image);
        var images = config.Images!;
        Assert.Equal(["base", "api"], images.Select(i => i.Name));
        Assert.Equal("/repo/images/base", images[0].Context);
        Assert.Equal(["linux/amd64", "linux/arm64"], images[0].Platforms);
        var api = images[1];
        Assert.Equal("registry.example.com/other/api", api.Image);
        Assert.Equal("podman", api.Builder);
        Assert.Equal("/repo/services/api/Api.csproj", api.Project);
        Assert.Null(images[0].Builder);
        Assert.Equal("/repo/services/api/Dockerfile.prod", api.Dockerfile);
        Assert.Equal("runtime", api.Target);
        Assert.Equal("{content:12}", api.Template);
        Assert.Equal(["base"], api.DependsOn);
        Assert.Equal(["BASE={image:base}", "MODE=fast"], api.BuildArgs);
        Assert.Equal("tagforge.yml:6", api.Source);
    }

    [Fact]
    public void Build_args_may_be_a_list_and_platforms_one_comma_separated_value()
    {
        var images = ReleaseConfigFile.Parse("images:\n  - name: a\n    build-args: [A=1, B=2]\n    platforms: linux/amd64,linux/arm64\n", "t.yml", Base).Images!;

        Assert.Equal(["A=1", "B=2"], images[0].BuildArgs);
        Assert.Equal(["linux/amd64", "linux/arm64"], images[0].Platforms);
    }

    [Theory]
    [InlineData("images:\n  - name: a\n    colour: red\n", "t.yml:3: unknown key 'colour' in an image")]
    [InlineData("images:\n  - context: a\n", "t.yml:2: an image without 'name'")]
    [InlineData("images:\n  - name: a\n  - name: a\n", "two images are named 'a'")]
    [InlineData("images: api\n", "'images' must be a list")]
    [InlineData("images:\n  - name: a\n    build-args: [NOEQUALS]\n", "build argument 'NOEQUALS' must be NAME=VALUE")]
    public void Refuses_a_malformed_images_section(string yaml, string message)
    {
        var error = Assert.Throws<BadInputException>(() => ReleaseConfigFile.Parse(yaml, "t.yml", Base));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_without_images_has_none_and_the_environment_keeps_the_files()
    {
        Assert.Null(ReleaseConfigFile.Parse("image: a/b\n", "t.yml", Base).Images);
        var file = ReleaseConfigFile.Parse("images:\n  - name: x\n", "t.yml", Base);
        Assert.Single(new ReleaseConfig { Image = "env/image" }.Over(file).Images!);
    }
}
