using System.Net.Http.Headers;
using System.Text.Json;
using TagForge.Testing;

namespace TagForge.Cli.Tests.Commands;

/// <summary>
/// The release engine end to end: one plan for every road. The dry run of each road runs no tool, writes no file and
/// leaves the registry as it was; the plan file, <c>--dry-run --format json</c> and the release agree; the platform list
/// comes from every layer; a two-platform release hands CI the index's digest once. Needs: Docker (BuildKit through
/// Debian's 20.10 client for two platforms), docker-registry, git.
/// </summary>
[Collection(DockerEngine.CollectionName)]
public class ReleaseEngineTests
{
    private const string BuildKitDocker = "/usr/bin/docker";
    private const string Time = "2026-11-22T18:40:00Z";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static Dictionary<string, string?> BuildKit(params (string Name, string? Value)[] extra) =>
        TagForgeCli.ReleaseEnvironment([("TAGFORGE_DOCKER", BuildKitDocker), ("DOCKER_BUILDKIT", "1"), .. extra]);

    private static async Task<TestRepository> ThreeImagesAsync(LocalRegistry registry, string template = "{sha:8}-{build}", string extraYaml = "")
    {
        var repository = await TestRepository.InitAsync();
        repository.WriteFile("base/Dockerfile", "FROM scratch\nCOPY b.txt /b.txt\n");
        repository.WriteFile("base/b.txt", $"base {Guid.NewGuid()}\n");
        repository.WriteFile("api/Dockerfile", "ARG BASE\nFROM $BASE\nCOPY a.txt /a.txt\n");
        repository.WriteFile("api/a.txt", $"api {Guid.NewGuid()}\n");
        repository.WriteFile("web/Dockerfile", "FROM scratch\nCOPY w.txt /w.txt\n");
        repository.WriteFile("web/w.txt", $"web {Guid.NewGuid()}\n");
        repository.WriteFile(".gitignore", "tagforge.json\n.tagforge.json.lock\nparts/\nplan.json\n*.out\n");
        repository.WriteFile("tagforge.yml", $$"""
            image: {{registry.Host}}/mono
            template: "{{template}}"
            images:
              - name: base
                context: base
              - name: api
                context: api
                depends-on: [base]
                build-args:
                  BASE: "{image:base}"
              - name: web
                context: web
            {{extraYaml}}
            """);
        await repository.CommitAsync("three images");
        return repository;
    }

    private static async Task<string> CatalogAsync(LocalRegistry registry)
    {
        using var http = new HttpClient();
        var catalog = await http.GetStringAsync(new Uri(registry.BaseUri, "v2/_catalog"), Token);
        var tags = new List<string> { catalog };
        foreach (var name in JsonDocument.Parse(catalog).RootElement.GetProperty("repositories").EnumerateArray())
        {
            tags.Add(await http.GetStringAsync(new Uri(registry.BaseUri, $"v2/{name.GetString()}/tags/list"), Token));
        }

        return string.Join('\n', tags);
    }

    private static async Task<string?> HeadAsync(LocalRegistry registry, string path, string reference)
    {
        using var http = new HttpClient();
        using var head = new HttpRequestMessage(HttpMethod.Head, new Uri(registry.BaseUri, $"v2/{path}/manifests/{reference}"));
        foreach (var type in new[] { "application/vnd.oci.image.index.v1+json", "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json", "application/vnd.docker.distribution.manifest.list.v2+json" })
        {
            head.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }

        using var response = await http.SendAsync(head, Token);
        return response.IsSuccessStatusCode ? response.Headers.GetValues("Docker-Content-Digest").Single() : null;
    }

    private static string Files(string root) =>
        string.Join('\n', Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}.git{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(path => $"{Path.GetRelativePath(root, path)} {File.GetLastWriteTimeUtc(path).Ticks} {new FileInfo(path).Length}")
            .Order(StringComparer.Ordinal));

    [Theory]
    [InlineData("one image", "plain")]
    [InlineData("one image", "json")]
    [InlineData("all", "plain")]
    [InlineData("all", "json")]
    [InlineData("only", "plain")]
    [InlineData("only", "json")]
    [InlineData("two platforms", "plain")]
    [InlineData("two platforms", "json")]
    [InlineData("platforms from the environment", "json")]
    [InlineData("plan job", "plain")]
    [InlineData("plan job", "json")]
    public async Task A_dry_run_on_every_road_runs_no_tool_writes_no_file_and_leaves_the_registry_as_it_was(string road, string format)
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await ThreeImagesAsync(registry);
        using var tools = new TempDirectory("tools");
        var invocations = tools.Combine("invocations.log");
        var docker = tools.Write("docker", $"#!/bin/sh\necho \"$@\" >> {invocations}\nexit 1\n");
        Assert.SkipWhen(OperatingSystem.IsWindows(), "the recording docker is a shell script");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(docker, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var environment = TagForgeCli.ReleaseEnvironment(("TAGFORGE_DOCKER", docker), ("GITHUB_OUTPUT", tools.Combine("github-output")));
        if (road == "plan job")
        {
            var planned = await TagForgeCli.RunAsync(["plan", "-o", "plan.json", "--only", "web", "--platform", "linux/amd64,linux/arm64"], repository.Path, environment);
            Assert.True(planned.ExitCode == 0, planned.ToString());
        }

        if (road == "platforms from the environment")
        {
            environment["TAGFORGE_PLATFORM"] = "linux/amd64,linux/arm64";
        }

        string[] arguments = road switch
        {
            "one image" => ["--image", $"{registry.Host}/solo", "web"],
            "all" => ["--all"],
            "only" => ["--only", "api"],
            "two platforms" => ["--image", $"{registry.Host}/solo", "--platform", "linux/amd64,linux/arm64", "web"],
            "platforms from the environment" => ["--image", $"{registry.Host}/solo", "web"],
            _ => ["--plan", "plan.json", "--image", "web", "--platform", "linux/arm64", "--record", "parts/web.json"],
        };
        var catalogBefore = await CatalogAsync(registry);
        var filesBefore = Files(repository.Path);

        var result = await TagForgeCli.RunAsync(["release", "--dry-run", "--format", format, .. arguments], repository.Path, environment);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.False(File.Exists(invocations), $"a tool ran: {(File.Exists(invocations) ? File.ReadAllText(invocations) : "")}");
        Assert.Equal(catalogBefore, await CatalogAsync(registry));
        Assert.Equal(filesBefore, Files(repository.Path));
        Assert.False(File.Exists(tools.Combine("github-output")));
        if (format == "plain")
        {
            Assert.StartsWith("dry run: nothing is built, pushed or written\n", result.StandardOutput, StringComparison.Ordinal);
        }
        else
        {
            using var json = JsonDocument.Parse(result.StandardOutput);
        }
    }

    [Theory]
    [InlineData(new string[0], "tagforge.json")]
    [InlineData(new[] { "--record", "parts/web.json" }, "parts/web.json")]
    [InlineData(new[] { "--no-record" }, null)]
    public async Task A_plan_job_writes_the_record_every_road_writes_its_flag_then_tagforge_yml(string[] flags, string? expected)
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await ThreeImagesAsync(registry, extraYaml: "record: out/releases.json");
        var environment = BuildKit();
        var planned = await TagForgeCli.RunAsync(["plan", "-o", "plan.json", "--only", "web"], repository.Path, environment);

        var job = await TagForgeCli.RunAsync(["release", "--dry-run", "--plan", "plan.json", "--image", "web", .. flags], repository.Path, environment);

        Assert.True(planned.ExitCode == 0, planned.ToString());
        Assert.True(job.ExitCode == 0, job.ToString());
        // tagforge.yml's record: wins over the default on every road; a flag wins over both.
        var path = expected == "tagforge.json" ? "out/releases.json" : expected;
        var record = job.StandardOutput.Split('\n').Single(line => line.StartsWith("  write the partial record ", StringComparison.Ordinal) || line == "  none (--no-record)");
        Assert.True(path is null ? record == "  none (--no-record)" : record.EndsWith(" " + path, StringComparison.Ordinal) || record.EndsWith("/" + path, StringComparison.Ordinal), record);
    }

    [Theory]
    [InlineData("one image of images:", new[] { "--only", "web" })]
    [InlineData("all, with depends-on", new[] { "--all" })]
    [InlineData("two platforms", new[] { "--only", "web", "--platform", "linux/amd64,linux/arm64" })]
    public async Task The_plan_file_the_dry_run_and_the_release_agree_field_by_field(string shape, string[] selection)
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await ThreeImagesAsync(registry);
        var environment = BuildKit();
        string[] fixedInputs = ["--time", Time, "--build-number", "42"];

        var plan = await TagForgeCli.RunAsync(["plan", "-o", "plan.json", .. selection, .. fixedInputs], repository.Path, environment);
        var dryRun = await TagForgeCli.RunAsync(["release", "--dry-run", "--format", "json", .. selection, .. fixedInputs], repository.Path, environment);
        var release = await TagForgeCli.RunAsync(["release", .. selection, .. fixedInputs], repository.Path, environment);

        Assert.True(plan.ExitCode == 0, $"{shape}: {plan}");
        Assert.True(dryRun.ExitCode == 0, $"{shape}: {dryRun}");
        Assert.True(release.ExitCode == 0, $"{shape}: {release}");
        var planFile = File.ReadAllText(Path.Combine(repository.Path, "plan.json"));
        Assert.Equal(planFile, dryRun.StandardOutput);
        var planned = JsonDocument.Parse(planFile).RootElement.GetProperty("images").EnumerateArray().ToList();
        var recorded = JsonDocument.Parse(File.ReadAllText(Path.Combine(repository.Path, "tagforge.json"))).RootElement.GetProperty("images").EnumerateArray()
            .ToDictionary(entry => entry.GetProperty("name").GetString()!, entry => entry.Clone());
        Assert.Equal(planned.Select(p => p.GetProperty("name").GetString()).Order(), recorded.Keys.Order());
        foreach (var image in planned)
        {
            var entry = recorded[image.GetProperty("name").GetString()!];
            Assert.Equal(image.GetProperty("tag").GetString(), entry.GetProperty("tag").GetString());
            Assert.Equal(image.GetProperty("contentHash").GetString(), entry.GetProperty("contentHash").GetString());
            Assert.Equal(image.GetProperty("repository").GetString(), entry.GetProperty("repository").GetString());
            var path = image.GetProperty("repository").GetString()![(registry.Host.Length + 1)..];
            Assert.Equal(await HeadAsync(registry, path, image.GetProperty("tag").GetString()!), entry.GetProperty("digest").GetString());
            Assert.Equal(await HeadAsync(registry, path, image.GetProperty("contentTag").GetString()!), entry.GetProperty("digest").GetString());
            var platforms = image.GetProperty("platforms").EnumerateArray().Select(p => p.GetString()).ToList();
            if (platforms.Count > 1)
            {
                Assert.Equal(platforms, entry.GetProperty("platforms").EnumerateArray().Select(p => p.GetProperty("platform").GetString()));
                foreach (var platformTag in image.GetProperty("platformTags").EnumerateArray())
                {
                    Assert.NotNull(await HeadAsync(registry, path, platformTag.GetString()!));
                }
            }
        }
    }

    [Fact]
    public async Task One_image_on_one_platform_is_a_plan_of_one_entry_and_the_plan_file_the_dry_run_and_the_release_agree()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await ThreeImagesAsync(registry);
        var environment = BuildKit();
        string[] selection = ["--image", $"{registry.Host}/solo", "--record", "tagforge.json", "web"];
        string[] fixedInputs = ["--time", Time, "--build-number", "42"];

        var plan = await TagForgeCli.RunAsync(["plan", "-o", "plan.json", .. selection, .. fixedInputs], repository.Path, environment);
        var dryRun = await TagForgeCli.RunAsync(["release", "--dry-run", "--format", "json", .. selection, .. fixedInputs], repository.Path, environment);
        var release = await TagForgeCli.RunAsync(["release", .. selection, .. fixedInputs], repository.Path, environment);

        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.True(dryRun.ExitCode == 0, dryRun.ToString());
        Assert.True(release.ExitCode == 0, release.ToString());
        var planFile = JsonDocument.Parse(File.ReadAllText(Path.Combine(repository.Path, "plan.json"))).RootElement;
        var shown = JsonDocument.Parse(dryRun.StandardOutput).RootElement;
        Assert.True(JsonElement.DeepEquals(planFile, shown.GetProperty("plan")), $"the plan file and the dry run's plan differ:\n{planFile}\n{shown.GetProperty("plan")}");
        var image = Assert.Single(planFile.GetProperty("images").EnumerateArray().ToList());
        var entry = Assert.Single(JsonDocument.Parse(File.ReadAllText(Path.Combine(repository.Path, "tagforge.json"))).RootElement.GetProperty("images").EnumerateArray().ToList());
        Assert.Equal(image.GetProperty("tag").GetString(), shown.GetProperty("tag").GetString());
        Assert.Equal(image.GetProperty("tag").GetString(), entry.GetProperty("tag").GetString());
        Assert.Equal(image.GetProperty("contentHash").GetString(), entry.GetProperty("contentHash").GetString());
        // The build the dry run shows labels the image with the plan's identity (on the command line or in the LABEL line).
        Assert.Contains(image.GetProperty("contentHash").GetString()!, $"{shown.GetProperty("commands")[0]} {shown.GetProperty("labelInstruction")}", StringComparison.Ordinal);
        Assert.Equal(await HeadAsync(registry, "solo", image.GetProperty("tag").GetString()!), entry.GetProperty("digest").GetString());
        // One image asks for no reuse: it pushes its own tag and no content tag.
        Assert.Null(await HeadAsync(registry, "solo", image.GetProperty("contentTag").GetString()!));
    }

    [Theory]
    [InlineData("flag")]
    [InlineData("environment")]
    [InlineData("tagforge.yml")]
    public async Task The_platform_list_from_any_layer_makes_one_index_and_CI_gets_its_digest_once(string source)
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await SampleApp.CreateAsync();
        using var outputs = new TempDirectory("outputs");
        var image = $"{registry.Host}/team/platforms";
        var environment = BuildKit(("GITHUB_OUTPUT", outputs.Combine("github-output")));
        List<string> arguments = ["release", "--image", image, "-t", "v{sha:8}-" + source.Replace(".", "-", StringComparison.Ordinal)];
        switch (source)
        {
            case "flag":
                arguments.AddRange(["--platform", "linux/amd64,linux/arm64"]);
                break;
            case "environment":
                environment["TAGFORGE_PLATFORM"] = "linux/amd64,linux/arm64";
                break;
            default:
                repository.WriteFile("tagforge.yml", "platform: linux/amd64,linux/arm64\n");
                await repository.CommitAsync("platforms in the config");
                break;
        }

        var result = await TagForgeCli.RunAsync(arguments, repository.Path, environment);

        Assert.True(result.ExitCode == 0, result.ToString());
        var entry = JsonDocument.Parse(File.ReadAllText(Path.Combine(repository.Path, "tagforge.json"))).RootElement.GetProperty("images")[0];
        var tag = entry.GetProperty("tag").GetString()!;
        var indexDigest = await HeadAsync(registry, "team/platforms", tag);
        Assert.Equal(indexDigest, entry.GetProperty("digest").GetString());
        Assert.Equal("application/vnd.oci.image.index.v1+json", entry.GetProperty("mediaType").GetString());
        Assert.Equal(["linux/amd64", "linux/arm64"], entry.GetProperty("platforms").EnumerateArray().Select(p => p.GetProperty("platform").GetString()));
        var lines = File.ReadAllLines(outputs.Combine("github-output"));
        Assert.Equal([$"digest={indexDigest}"], lines.Where(line => line.StartsWith("digest", StringComparison.Ordinal)));
        Assert.Equal([$"tag={tag}"], lines.Where(line => line.StartsWith("tag", StringComparison.Ordinal)));
        Assert.Equal($"{image}@{indexDigest}\n", result.StandardOutput);
    }

    [Fact]
    public async Task A_template_of_content_alone_reuses_unchanged_images_on_the_next_commit()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await ThreeImagesAsync(registry, template: "{content:16}");
        var environment = BuildKit();

        var first = await TagForgeCli.RunAsync(["release", "--all"], repository.Path, environment);
        repository.WriteFile("README.md", "not in any context\n");
        await repository.CommitAsync("docs only");
        var second = await TagForgeCli.RunAsync(["release", "--all"], repository.Path, environment);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        var entries = JsonDocument.Parse(File.ReadAllText(Path.Combine(repository.Path, "tagforge.json"))).RootElement.GetProperty("images").EnumerateArray().ToList();
        Assert.All(entries, entry => Assert.Equal("reused", entry.GetProperty("outcome").GetString()));
    }

    [Fact]
    public async Task A_builder_that_returns_another_architecture_is_refused_before_anything_is_pushed()
    {
        // The classic builder (docker 28 without buildx) keeps its cache across --platform for a FROM scratch image:
        // after an amd64 build, the "arm64" build of the same context is the amd64 image.
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await SampleApp.CreateAsync();
        var image = $"{registry.Host}/team/arch";
        var environment = TagForgeCli.ReleaseEnvironment(("TAGFORGE_DOCKER", "/usr/local/bin/docker"), ("DOCKER_BUILDKIT", "0"));

        var amd64 = await TagForgeCli.RunAsync(["release", "--image", image, "--platform", "linux/amd64", "-t", "amd64-{sha:8}"], repository.Path, environment);
        var arm64 = await TagForgeCli.RunAsync(["release", "--image", image, "--platform", "linux/arm64", "-t", "arm64-{sha:8}"], repository.Path, environment);

        Assert.True(amd64.ExitCode == 0, amd64.ToString());
        Assert.True(arm64.ExitCode == 1, arm64.ToString());
        Assert.Contains("for linux/amd64, not linux/arm64 as asked; nothing pushed", arm64.StandardError, StringComparison.Ordinal);
        Assert.Contains("docker (/usr/local/bin/docker)", arm64.StandardError, StringComparison.Ordinal);
        var sha = (await repository.HeadAsync())[..8];
        Assert.Null(await HeadAsync(registry, "team/arch", $"arm64-{sha}"));
    }
}
