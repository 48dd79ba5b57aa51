using TagForge.Errors;
using TagForge.Pinning;
using TagForge.Records;
using TagForge.Tagging;
using TagForge.Testing;

namespace TagForge.Tasks;

/// <summary>
/// The Nuke-style release, build, pin, lint and verify tasks against the real Docker engine and a real registry
/// (Debian's docker-registry on 127.0.0.1).
/// </summary>
[Collection(DockerEngine.CollectionName)]
public class ReleaseTaskTests
{
    // The tasks read TAGFORGE_*, CI and DOCKER_* variables only from this, never from the machine running the tests.
    private static readonly Dictionary<string, string> Clean = new() { ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "" };

    [Fact]
    public async Task Releases_an_image_and_returns_tag_digest_reference_and_the_record_entry()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await SampleApp.CreateAsync();
        var sha = await repository.HeadAsync();
        var logger = new ListLogger();
        var image = $"{registry.Host}/team/app";

        var result = TagForgeTasks.Release(s => s
            .SetWorkingDirectory(repository.Path)
            .SetEnvironment(Clean)
            .SetImage(image)
            .SetTemplate("v.{sha:8}_{time:yyyyMMddHHmm}-{build}")
            .SetTime(new DateTimeOffset(2026, 11, 22, 18, 40, 0, TimeSpan.Zero))
            .SetRecord("tagforge.json")
            .EnableRemoveLocal()
            .SetLogger(logger));

        Assert.Equal($"v.{sha[..8]}_202611221840-local", result.Tag);
        Assert.StartsWith("sha256:", result.Digest, StringComparison.Ordinal);
        Assert.Equal($"{image}@{result.Digest}", result.Reference);
        Assert.Equal(result.Digest, result.Record!.Digest);
        var written = BuildRecordFile.Read(Path.Combine(repository.Path, "tagforge.json")).Find(image);
        Assert.Equal((result.Tag, result.Digest, result.Reference), (written!.Tag, written.Digest, written.Reference));
        Assert.Contains(logger.Messages, m => m.Contains("confirmed by the registry", StringComparison.Ordinal));
        Assert.NotEqual(0, (await Docker.RunAsync("image", "inspect", $"{image}:{result.Tag}")).ExitCode);
    }

    [Fact]
    public async Task Refuses_to_overwrite_a_tag_with_another_digest()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await SampleApp.CreateAsync();
        var settings = new ReleaseSettings()
            .SetWorkingDirectory(repository.Path)
            .SetEnvironment(Clean)
            .SetImage($"{registry.Host}/team/app")
            .SetTemplate("{sha:8}")
            .SetDirty(DirtyMode.Ignore)
            .EnableNoRecord();
        var first = await TagForgeTasks.ReleaseAsync(settings, TestContext.Current.CancellationToken);
        repository.WriteFile("hello.txt", $"changed {Guid.NewGuid()}\n");

        var error = Assert.Throws<PolicyRefusalException>(() => TagForgeTasks.Release(settings));

        Assert.Contains(first.Tag, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(repository.Path, "tagforge.json")));
    }

    [Fact]
    public async Task Builds_without_pushing()
    {
        using var repository = await SampleApp.CreateAsync();
        var image = $"127.0.0.1:9/tasks/build-{Guid.NewGuid():N}";

        var result = TagForgeTasks.Build(s => s.SetWorkingDirectory(repository.Path).SetEnvironment(Clean).SetImage(image).SetTemplate("{sha:8}"));

        Assert.Null(result.Digest);
        Assert.StartsWith("sha256:", result.ImageId, StringComparison.Ordinal);
        await Docker.RunCheckedAsync("image", "rm", $"{image}:{result.Tag}");
    }

    [Fact]
    public void Names_the_missing_image_setting()
    {
        var error = Assert.Throws<BadInputException>(() => TagForgeTasks.Release(s => s.SetTemplate("{sha}")));

        Assert.Contains("SetImage", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lints_pins_and_verifies_deployment_files_from_the_release_record()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await SampleApp.CreateAsync();
        var image = $"{registry.Host}/team/app";
        var release = TagForgeTasks.Release(s => s.SetWorkingDirectory(repository.Path).SetEnvironment(Clean).SetImage(image));
        var deployment = repository.WriteFile("deploy/deployment.yaml", $"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: app
            spec:
              template:
                spec:
                  containers:
                    - name: app
                      image: {image}:latest
            """);

        var lint = Assert.Throws<FindingsException>(() => TagForgeTasks.Lint(s => s.SetWorkingDirectory(repository.Path).AddFiles("deploy")));
        Assert.Equal("floating-tag", Assert.Single(lint.Findings).Code);
        Assert.True(lint.Message.Contains("deployment.yaml:10:", StringComparison.Ordinal), lint.Message);

        var pinned = TagForgeTasks.Pin(s => s.SetWorkingDirectory(repository.Path).AddFiles("deploy").SetStyle(PinStyle.Digest));
        Assert.Single(Assert.Single(pinned).Changes);
        Assert.EndsWith($"image: {release.Reference}", File.ReadAllText(deployment), StringComparison.Ordinal);

        Assert.Empty(TagForgeTasks.Lint(s => s.SetWorkingDirectory(repository.Path).AddFiles("deploy")));
        var verified = TagForgeTasks.Verify(s => s.SetWorkingDirectory(repository.Path).SetEnvironment(Clean).AddFiles("deploy"));
        Assert.Equal(1, verified.Requests);

        File.WriteAllText(deployment, File.ReadAllText(deployment).Replace(release.Digest!, "sha256:" + new string('0', 64), StringComparison.Ordinal));
        var missing = await Assert.ThrowsAsync<FindingsException>(() =>
            TagForgeTasks.VerifyAsync(s => s.SetWorkingDirectory(repository.Path).SetEnvironment(Clean).AddFiles("deploy"), TestContext.Current.CancellationToken));
        Assert.Equal("missing", Assert.Single(missing.Findings).Code);
    }

    [Fact]
    public void List_setters_add_remove_and_clear()
    {
        var settings = new ReleaseSettings().AddExtraTags("latest", "main").AddBuildArg("A", "1").AddBuildArgs("B=2");

        Assert.Equal(["latest", "main"], settings.Request.AdditionalTags);
        Assert.Equal(["main"], settings.RemoveExtraTags("latest").Request.AdditionalTags);
        Assert.Empty(settings.ClearExtraTags().Request.AdditionalTags);
        Assert.Equal(["A=1", "B=2"], settings.Request.BuildArgs);
        Assert.Equal(["B=2"], settings.RemoveBuildArgs("A=1").Request.BuildArgs);
        Assert.True(settings.EnableAllowOverwrite().Request.AllowOverwrite);
        Assert.False(settings.EnableAllowOverwrite().DisableAllowOverwrite().Request.AllowOverwrite);
        Assert.DoesNotContain("s3cret", settings.SetCredential("user", "s3cret").ToString(), StringComparison.Ordinal);
    }
}
