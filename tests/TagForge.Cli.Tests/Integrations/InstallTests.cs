using System.Globalization;
using TagForge.Testing;

namespace TagForge.Cli.Tests.Integrations;

/// <summary>
/// The install path a new user follows: TagForge's own build (build/) packs the dotnet tool into a local feed, and
/// <c>dotnet tool install</c> installs it from there. Needs the .NET SDK (which runs the tests) and no network: the
/// tool package carries its dependencies.
/// </summary>
public class InstallTests
{
    [Fact]
    public async Task The_tool_packed_by_the_build_installs_from_the_local_feed_and_reports_its_version()
    {
        using var directory = new TempDirectory("install");
        // A version no earlier run used, so NuGet cannot hand back a cached package.
        var version = $"9.8.7-test.{DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}";
        var environment = new Dictionary<string, string?> { ["NUGET_PACKAGES"] = directory.Combine("nuget") };

        var build = await ProcessRunner.RunAsync(
            "dotnet",
            ["run", "--project", SourceTree.Combine("build", "Build.csproj"), "--", "--target", "Pack", "--version", version, "--artifacts", directory.Combine("artifacts")],
            SourceTree.Root, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.True(File.Exists(directory.Combine("artifacts", "packages", $"TagForge.{version}.nupkg")), build.ToString());
        Assert.True(File.Exists(directory.Combine("artifacts", "packages", $"TagForge.Core.{version}.nupkg")), build.ToString());
        Assert.Contains($"dotnet tool install -g TagForge --add-source {directory.Combine("artifacts", "packages")} --version {version}\n", build.StandardError, StringComparison.Ordinal);

        var install = await ProcessRunner.RunAsync(
            "dotnet",
            ["tool", "install", "TagForge", "--tool-path", directory.Combine("tools"), "--add-source", directory.Combine("artifacts", "packages"), "--version", version],
            directory.Path,
            environment,
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(install.ExitCode == 0, install.ToString());

        var run = await ProcessRunner.RunAsync(directory.Combine("tools", "tagforge"), ["--version"], directory.Path, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith(version + "+", run.StandardOutput, StringComparison.Ordinal);

        // The GitHub Action's install step, on a runner without tagforge, installs the same package as a dotnet tool.
        Directory.CreateDirectory(directory.Combine("runner"));
        var path = string.Join(':', (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Where(dir => dir.Length > 0 && !File.Exists(Path.Combine(dir, "tagforge"))));
        var action = await CompositeActionRunner.RunAsync(
            SourceTree.Combine("action.yml"),
            new Dictionary<string, string> { ["version"] = version, ["source"] = directory.Combine("artifacts", "packages") },
            new Dictionary<string, string?>(environment) { ["PATH"] = path, ["GITHUB_ACTIONS"] = "true" },
            directory.Path,
            directory.Combine("runner"),
            stopAfter: "Install TagForge",
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(action.Succeeded, action.Log);
        Assert.Contains($"installed tagforge {version}+", action.Steps[0].Result!.StandardOutput, StringComparison.Ordinal);
        Assert.True(File.Exists(directory.Combine("runner", $"tagforge-{version}", "tagforge")), action.Log);
    }

    [Fact]
    public async Task Install_sh_installs_the_tool_into_a_prefix_and_says_how_to_put_its_bin_on_PATH()
    {
        // The README's install route on a fresh machine, as a user without root: scripts/install.sh --tool --prefix.
        using var directory = new TempDirectory("install-sh");
        var bin = directory.Combine("prefix", "bin");

        var install = await ProcessRunner.RunAsync(
            "bash", [SourceTree.Combine("scripts", "install.sh"), "--tool", "--prefix", directory.Combine("prefix")], SourceTree.Root,
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(install.ExitCode == 0, install.ToString());
        var lines = install.StandardError.TrimEnd('\n').Split('\n');
        Assert.StartsWith("installed tagforge ", lines[^3], StringComparison.Ordinal);
        Assert.Equal($"{bin} is NOT on PATH yet: tagforge will not be found until it is. Add it (and to your shell's profile):", lines[^2]);
        Assert.Equal($"  export PATH=\"{bin}:$PATH\"", lines[^1]);
        var run = await ProcessRunner.RunAsync(Path.Combine(bin, "tagforge"), ["--version"], directory.Path, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [Fact]
    public async Task The_action_builds_TagForge_from_its_own_checkout_when_no_version_is_asked_for()
    {
        // A hosted runner: the .NET SDK (actions/setup-dotnet), no tagforge on PATH, no feed that has it.
        using var directory = new TempDirectory("action-build");
        Directory.CreateDirectory(directory.Combine("runner"));
        var path = string.Join(':', (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Where(dir => dir.Length > 0 && !File.Exists(Path.Combine(dir, "tagforge"))));

        var action = await CompositeActionRunner.RunAsync(
            SourceTree.Combine("action.yml"),
            new Dictionary<string, string>(),
            new Dictionary<string, string?> { ["PATH"] = path, ["GITHUB_ACTIONS"] = "true", ["NUGET_PACKAGES"] = null },
            directory.Path,
            directory.Combine("runner"),
            stopAfter: "Install TagForge",
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(action.Succeeded, action.Log);
        var install = action.Steps[0].Result!.StandardOutput;
        Assert.Contains($"building TagForge from {SourceTree.Root}", install, StringComparison.Ordinal);
        Assert.Contains("installed tagforge 0.0.0-dev", install, StringComparison.Ordinal);
        var tagforge = directory.Combine("runner", "tagforge-build", "tagforge");
        var run = await ProcessRunner.RunAsync(tagforge, ["tag", "--help"], directory.Path, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [Fact]
    public async Task The_build_releases_a_sample_image_with_TagForgeTasks_Release()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var directory = new TempDirectory("build-release");
        string?[] noCi = ["CI", "GITHUB_ACTIONS", "JENKINS_URL", "BUILD_NUMBER", "GITLAB_CI", "TF_BUILD", "TEAMCITY_VERSION", "CIRCLECI", "BUILDKITE", "BITBUCKET_BUILD_NUMBER", "SOURCE_DATE_EPOCH"];

        var result = await ProcessRunner.RunAsync(
            "dotnet",
            ["run", "--project", SourceTree.Combine("build", "Build.csproj"), "--", "--target", "Release", "--skip", "--registry", registry.Host, "--version", "1.2.3-test", "--artifacts", directory.Path],
            SourceTree.Root,
            noCi.ToDictionary(name => name!, _ => (string?)null),
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 0, result.ToString());
        var entry = Records.BuildRecordFile.Read(directory.Combine("tagforge.json")).Find($"{registry.Host}/tagforge/sample");
        Assert.NotNull(entry);
        Assert.Equal(entry.Reference + "\n", result.StandardOutput);
        Assert.Equal("1.2.3-test\n", File.ReadAllText(directory.Combine("image", "VERSION")));
    }

    [Fact]
    public async Task The_build_lists_its_targets_and_their_dependencies()
    {
        var list = await ProcessRunner.RunAsync("dotnet", ["run", "--project", SourceTree.Combine("build", "Build.csproj"), "--", "--list"], SourceTree.Root, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Equal(
            ["Compile", "Test", "Pack", "PublishAot", "Release"],
            list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ')[0]));
        Assert.Contains("(after Compile)", list.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_build_refuses_an_unknown_target()
    {
        var result = await ProcessRunner.RunAsync("dotnet", ["run", "--project", SourceTree.Combine("build", "Build.csproj"), "--", "--target", "Deploy"], SourceTree.Root, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no target 'Deploy'", result.StandardError, StringComparison.Ordinal);
    }
}
