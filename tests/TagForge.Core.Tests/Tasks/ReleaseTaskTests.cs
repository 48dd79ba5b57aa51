using TagForge.Errors;
using TagForge.Pinning;
using TagForge.Records;
using TagForge.Tagging;
using TagForge.Testing;
using TagForge.Testing.Ecr;

namespace TagForge.Tasks;

/// <summary>
/// <c>TagForgeTasks.Release</c> against the real Docker engine and a real registry (Debian's docker-registry on
/// 127.0.0.1), or the fake ECR with the real registry behind it (htpasswd auth only the fake's authorization token
/// opens). Needs: Docker, docker-registry, htpasswd.
/// </summary>
[Collection(DockerEngine.CollectionName)]
public class ReleaseTaskTests
{
    // The tasks read TAGFORGE_*, CI and DOCKER_* variables only from this, never from the machine running the tests.
    private static readonly Dictionary<string, string> Clean = new() { ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "" };

    [Fact]
    public async Task SetPlatform_with_two_platforms_releases_one_index_as_the_command_line_does()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await SampleApp.CreateAsync();
        var image = $"{registry.Host}/team/platforms";

        var result = TagForgeTasks.Release(s => s
            .SetWorkingDirectory(repository.Path)
            .SetEnvironment(Clean)
            .SetImage(image)
            .SetTemplate("v{sha:8}-api")
            .SetPlatform("linux/amd64,linux/arm64")
            .SetDockerExecutable("/usr/bin/docker")
            .SetDockerEnvironment(new Dictionary<string, string?> { ["DOCKER_BUILDKIT"] = "1" })
            .SetRecord("tagforge.json"));

        using var client = new Registry.RegistryClient();
        var remote = await client.HeadManifestAsync(Values.ImageReference.Parse($"{image}:{result.Tag}"), TestContext.Current.CancellationToken);
        Assert.Equal(remote?.Digest.ToString(), result.Digest);
        Assert.Contains("index", remote?.MediaType, StringComparison.Ordinal);
        Assert.Equal(["linux/amd64", "linux/arm64"], result.Record!.Platforms!.Select(p => p.Platform));
        Assert.Equal(result.Digest, BuildRecordFile.Read(Path.Combine(repository.Path, "tagforge.json"), "tagforge.json").Images.Single().Digest);
    }

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
    public void Names_the_missing_image_setting()
    {
        var error = Assert.Throws<BadInputException>(() => TagForgeTasks.Release(s => s.SetTemplate("{sha}")));

        Assert.Contains("SetImage", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_record_it_writes_pins_deployment_files_that_then_verify_against_the_registry()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await SampleApp.CreateAsync();
        var image = $"{registry.Host}/team/app";
        var release = TagForgeTasks.Release(s => s.SetWorkingDirectory(repository.Path).SetEnvironment(Clean).SetImage(image).EnableRemoveLocal());
        var deployment = repository.WriteFile("deploy/pod.yaml", Samples.Pod($"{image}:latest"));

        var pinned = TagForgeTasks.Pin(s => s.SetWorkingDirectory(repository.Path).AddFiles("deploy").SetStyle(PinStyle.Digest));
        var verified = TagForgeTasks.Verify(s => s.SetWorkingDirectory(repository.Path).SetEnvironment(Clean).AddFiles("deploy"));

        Assert.Single(Assert.Single(pinned).Changes);
        Assert.Equal(Samples.Pod(release.Reference!), File.ReadAllText(deployment));
        Assert.Equal(1, verified.Requests);
    }

    [Fact]
    public async Task Releases_to_ECR_with_only_AWS_credentials_creating_the_repository()
    {
        await using var ecr = await FakeEcr.StartAsync();
        using var home = new TempDirectory("ecr-task");
        using var repository = await SampleApp.CreateAsync();
        Directory.CreateDirectory(home.Combine("docker"));
        var environment = ecr.ClientEnvironment(home)
            .Where(pair => pair.Value is not null)
            .ToDictionary(pair => pair.Key, pair => pair.Value!);
        environment["AWS_ENDPOINT_URL_ECR"] = ecr.EndpointUrl;
        environment["DOCKER_CONFIG"] = home.Combine("docker");
        environment["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "";

        var result = await TagForgeTasks.ReleaseAsync(
            s => s.SetWorkingDirectory(repository.Path).SetEnvironment(environment).SetImage($"{ecr.Registry.Host}/app").EnableEcr().EnableCreateRepository().EnableRemoveLocal(),
            TestContext.Current.CancellationToken);

        Assert.Equal(result.Digest, await ecr.RegistryDigestAsync("app", result.Tag));
        Assert.Contains("DescribeImages", ecr.Requests.Select(r => r.Operation));
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

    [Fact]
    public async Task Reads_tagforge_yml_like_the_command_line_below_the_environment_and_the_settings()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await SampleApp.CreateAsync();
        var sha = await repository.HeadAsync();
        var image = $"{registry.Host}/team/from-file";
        repository.WriteFile("tagforge.yml", $"image: {image}\ntemplate: file-{{sha:8}}\nrecord: release.json\n");
        ReleaseSettings Settings(params (string Name, string Value)[] variables) => new ReleaseSettings()
            .SetWorkingDirectory(repository.Path)
            .SetEnvironment(new Dictionary<string, string>(Clean.Concat(variables.Select(v => KeyValuePair.Create(v.Name, v.Value)))))
            .SetDirty(DirtyMode.Ignore)
            .EnableRemoveLocal();

        var fromFile = TagForgeTasks.Release(Settings());
        var recorded = BuildRecordFile.Read(Path.Combine(repository.Path, "release.json")).Find(image);
        var fromEnvironment = TagForgeTasks.Release(Settings(("TAGFORGE_TEMPLATE", "env-{sha:8}")));
        var fromSettings = TagForgeTasks.Release(Settings(("TAGFORGE_TEMPLATE", "env-{sha:8}")).SetTemplate("task-{sha:8}"));

        Assert.Equal($"file-{sha[..8]}", fromFile.Tag);
        Assert.StartsWith($"{image}@sha256:", fromFile.Reference, StringComparison.Ordinal);
        Assert.Equal(Path.Combine(repository.Path, "release.json"), fromFile.RecordPath);
        Assert.Equal(fromFile.Digest, recorded?.Digest);
        Assert.Equal($"env-{sha[..8]}", fromEnvironment.Tag);
        Assert.Equal($"task-{sha[..8]}", fromSettings.Tag);
    }
}
