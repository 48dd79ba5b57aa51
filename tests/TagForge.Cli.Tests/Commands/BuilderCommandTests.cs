using TagForge.Testing;

namespace TagForge.Cli.Tests.Commands;

/// <summary>
/// <c>--builder</c> through the built binary: the exit codes and one-line messages a user sees, the dry run's plan for
/// podman, and <c>doctor</c>'s builder line. Needs: podman and buildah, docker-registry, git.
/// </summary>
[Collection(DockerEngine.CollectionName)]
public class BuilderCommandTests
{
    [Fact]
    public async Task Releases_with_buildah_and_prints_the_reference_and_the_builder_in_the_summary()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await SampleApp.CreateAsync();

        var result = await TagForgeCli.RunAsync(
            ["release", "--builder", "buildah", "--storage-driver", "vfs", "--image", $"{registry.Host}/team/cli", "--no-record", "--format", "summary"],
            repository.Path, TagForgeCli.ReleaseEnvironment());

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("  built with buildah (vfs storage)", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("(confirmed by the registry)", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_builder_is_exit_2_and_a_missing_one_exit_1_naming_the_package()
    {
        using var repository = await SampleApp.CreateAsync();

        var unknown = await TagForgeCli.RunAsync(["build", "--builder", "kaniko", "--image", "localhost/team/x"], repository.Path, TagForgeCli.ReleaseEnvironment());
        var missing = await TagForgeCli.RunAsync(
            ["build", "--builder", "podman", "--image", "localhost/team/x"], repository.Path,
            TagForgeCli.ReleaseEnvironment(("TAGFORGE_BUILDER_EXECUTABLE", "/nonexistent/podman")));

        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("the builders are docker, podman, buildah, dotnet", unknown.StandardError, StringComparison.Ordinal);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("install podman (apt-get install podman)", missing.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dry_run_plans_podmans_commands_with_tls_off_for_a_loopback_registry()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await SampleApp.CreateAsync();

        var result = await TagForgeCli.RunAsync(
            ["release", "--dry-run", "--builder", "podman", "--storage-driver", "vfs", "--image", $"{registry.Host}/team/plan", "--template", "t1"],
            repository.Path, TagForgeCli.ReleaseEnvironment());

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"  podman --storage-driver vfs build --iidfile <temp>/iid --file <temp>/Dockerfile --tag {registry.Host}/team/plan:t1", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("    (<temp>/Dockerfile is the Dockerfile with this line appended: LABEL ", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"  podman --storage-driver vfs push --tls-verify=false --digestfile <temp>/digest {registry.Host}/team/plan:t1", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_names_the_builder_given_and_checks_its_tool()
    {
        using var repository = await SampleApp.CreateAsync();

        var result = await TagForgeCli.RunAsync(["doctor", "--builder", "buildah", "--storage-driver", "vfs"], repository.Path, TagForgeCli.ReleaseEnvironment());

        Assert.Contains("ok   builder     buildah (given; installed: ", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("ok   buildah     buildah version ", result.StandardOutput, StringComparison.Ordinal);
    }
}
