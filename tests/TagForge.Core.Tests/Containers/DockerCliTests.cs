using System.Text.Json;
using TagForge.Testing;
using TagForge.Values;

namespace TagForge.Containers;

/// <summary>
/// <see cref="DockerCli"/> runs what <see cref="DockerArguments"/> renders, with the real Docker engine and a real
/// registry (cheap <c>FROM scratch</c> images). Needs: Docker, docker-registry, htpasswd.
/// </summary>
[Collection(DockerEngine.CollectionName)]
public class DockerCliTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    // The classic builder, as the release tests use it; no DOCKER_BUILDKIT from the machine running the tests.
    private static DockerCli Cli() => new(new DockerCliOptions { Environment = new Dictionary<string, string?> { ["DOCKER_BUILDKIT"] = null } });

    private static async Task<Dictionary<string, string>> LabelsOfAsync(string image)
    {
        var json = (await Docker.RunCheckedAsync("image", "inspect", "--format", "{{json .Config.Labels}}", image)).StandardOutput;
        return JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
    }

    [Fact]
    public async Task Builds_labels_into_a_Dockerfile_copy_and_leaves_the_users_Dockerfile_as_it_was()
    {
        using var directory = new TempDirectory("docker-cli");
        var context = Docker.WriteScratchContext(directory);
        var dockerfile = File.ReadAllText(Path.Combine(context, "Dockerfile"));
        var image = $"tagforge-tests/docker-cli:{Guid.NewGuid():N}";

        var id = await Cli().BuildAsync(
            new DockerBuildRequest { ContextPath = context, Tags = [image], Labels = [new("org.example.a", "1"), new("org.example.b", "two \"words\"")] }, Token);

        var labels = await LabelsOfAsync(image);
        Assert.Equal(("1", "two \"words\""), (labels["org.example.a"], labels["org.example.b"]));
        Assert.Equal(id, await Cli().GetImageIdAsync(image, Token));
        Assert.Equal(dockerfile, File.ReadAllText(Path.Combine(context, "Dockerfile")));
        await Cli().RemoveImagesAsync([image], Token);
    }

    [Fact]
    public async Task Builds_a_target_with_its_labels_on_the_command_line()
    {
        using var directory = new TempDirectory("docker-cli");
        directory.Write("app/hello.txt", $"hello {Guid.NewGuid()}\n");
        var dockerfile = directory.Write("app/Build.Dockerfile", "FROM scratch AS final\nCOPY hello.txt /hello.txt\n");
        var image = $"tagforge-tests/docker-cli:{Guid.NewGuid():N}";

        await Cli().BuildAsync(
            new DockerBuildRequest { ContextPath = directory.Combine("app"), Dockerfile = dockerfile, Tags = [image], Labels = [new("org.example.a", "1")], Target = "final" }, Token);

        Assert.Equal("1", (await LabelsOfAsync(image))["org.example.a"]);
        await Cli().RemoveImagesAsync([image], Token);
    }

    [Fact]
    public async Task Tags_an_image_under_a_second_name_and_removes_both_names()
    {
        using var directory = new TempDirectory("docker-cli");
        var first = $"tagforge-tests/docker-cli:{Guid.NewGuid():N}";
        var second = $"tagforge-tests/docker-cli:{Guid.NewGuid():N}";
        var id = await Cli().BuildAsync(new DockerBuildRequest { ContextPath = Docker.WriteScratchContext(directory), Tags = [first] }, Token);

        await Cli().TagAsync(first, second, Token);
        var secondId = await Cli().GetImageIdAsync(second, Token);
        await Cli().RemoveImagesAsync([first, second], Token);

        Assert.Equal(id, secondId);
        Assert.NotEqual(0, (await Docker.RunAsync("image", "inspect", id)).ExitCode);
    }

    [Theory]
    [InlineData("unable to find image \"sha256:f026fd3fffa622ccae9323ef2dec7a850b6520e8bfbffa699510820c970a78bc\"", 2)]
    [InlineData("COPY failed: file not found in build context", 1)]
    public async Task A_build_whose_cached_image_was_removed_meanwhile_is_built_once_more_and_no_other_failure_is(string firstError, int buildsRun)
    {
        // A docker that fails its first build as the classic builder does when a docker rmi elsewhere removed the image
        // its cache had just named (the race itself cannot be timed; seen in CI), then runs the real one.
        using var directory = new TempDirectory("docker-cli");
        var count = directory.Combine("builds");
        var docker = directory.Write("docker", $$"""
            #!/bin/sh
            if [ "$1" = build ]; then
              echo x >> '{{count}}'
              if [ "$(wc -l < '{{count}}')" = 1 ]; then echo 'Step 2/2 : COPY hello.txt /hello.txt' >&2; echo '{{firstError.Replace("'", "", StringComparison.Ordinal)}}' >&2; exit 1; fi
            fi
            exec {{Requirements.DockerCli}} "$@"
            """);
        Assert.SkipWhen(OperatingSystem.IsWindows(), "the failing docker is a shell script");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(docker, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var image = $"tagforge-tests/docker-cli:{Guid.NewGuid():N}";
        var cli = new DockerCli(new DockerCliOptions { Executable = docker, Environment = new Dictionary<string, string?> { ["DOCKER_BUILDKIT"] = null } });

        var build = cli.BuildAsync(new DockerBuildRequest { ContextPath = Docker.WriteScratchContext(directory), Tags = [image] }, Token);

        if (buildsRun == 2)
        {
            Assert.StartsWith("sha256:", await build, StringComparison.Ordinal);
            await Cli().RemoveImagesAsync([image], Token);
        }
        else
        {
            var error = await Assert.ThrowsAsync<DockerCommandException>(() => build);
            Assert.Contains("COPY failed", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(buildsRun, File.ReadAllLines(count).Length);
    }

    [Fact]
    public async Task Logs_in_through_stdin_into_a_throwaway_config_and_pushes_with_it()
    {
        await using var registry = await LocalRegistry.StartWithBasicAuthAsync("ci-bot", "s3cret-pass");
        using var directory = new TempDirectory("docker-cli");
        var config = directory.Combine("docker-config");
        Directory.CreateDirectory(config);
        var image = $"{registry.Host}/team/cli:v1";
        await Cli().BuildAsync(new DockerBuildRequest { ContextPath = Docker.WriteScratchContext(directory), Tags = [image] }, Token);

        await Cli().LoginAsync(registry.Host, new RegistryCredential("ci-bot", "s3cret-pass"), config, Token);
        await Cli().PushAsync(image, config, Token);

        // docker records a repository digest only once the registry has taken the push.
        var pushed = Assert.Single(await Cli().GetDigestsInAsync(image, ImageReference.Parse(image), Token));
        await Cli().RemoveImagesAsync([image], Token);
        Assert.StartsWith("sha256:", pushed.ToString(), StringComparison.Ordinal);
        Assert.Contains(registry.Host, File.ReadAllText(Path.Combine(config, "config.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_login_does_not_repeat_the_password()
    {
        await using var registry = await LocalRegistry.StartWithBasicAuthAsync("ci-bot", "s3cret-pass");
        using var directory = new TempDirectory("docker-cli");
        var config = directory.Combine("docker-config");
        Directory.CreateDirectory(config);

        var error = await Assert.ThrowsAsync<DockerCommandException>(() =>
            Cli().LoginAsync(registry.Host, new RegistryCredential("ci-bot", "wrong-pass-123"), config, Token));

        Assert.StartsWith("docker login failed", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-pass-123", error.Message + string.Join('\n', error.OutputTail), StringComparison.Ordinal);
    }
}
