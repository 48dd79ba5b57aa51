using System.Net.Http.Headers;
using System.Text.Json;
using TagForge.Testing;

namespace TagForge.Cli.Tests.Commands;

/// <summary>
/// <c>tagforge release --all</c>, <c>plan</c>, <c>release --plan</c> and <c>record merge</c> end to end: the built CLI as
/// separate processes, the real Docker engine (BuildKit through Debian's 20.10 client for the platforms) and a real
/// registry (Debian's docker-registry), a three-image repository where <c>api</c> is built from <c>base</c>.
/// </summary>
[Collection(DockerEngine.CollectionName)]
public class MonorepoCommandTests
{
    private const string BuildKitDocker = "/usr/bin/docker";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static Dictionary<string, string?> BuildKit() => TagForgeCli.ReleaseEnvironment(("TAGFORGE_DOCKER", BuildKitDocker), ("DOCKER_BUILDKIT", "1"));

    private static async Task<TestRepository> ThreeImagesAsync(LocalRegistry registry, string? baseDockerfile = null, string extraYaml = "")
    {
        var repository = await TestRepository.InitAsync();
        repository.WriteFile("base/Dockerfile", baseDockerfile ?? "FROM scratch\nCOPY b.txt /b.txt\n");
        repository.WriteFile("base/b.txt", $"base {Guid.NewGuid()}\n");
        repository.WriteFile("api/Dockerfile", "ARG BASE\nFROM $BASE\nCOPY a.txt /a.txt\n");
        repository.WriteFile("api/a.txt", $"api {Guid.NewGuid()}\n");
        repository.WriteFile("web/Dockerfile", "FROM scratch\nCOPY w.txt /w.txt\n");
        repository.WriteFile("web/w.txt", $"web {Guid.NewGuid()}\n");
        repository.WriteFile("web/.dockerignore", "*.md\n");
        repository.WriteFile(".gitignore", "tagforge.json\n.tagforge.json.lock\nparts/\nplan.json\n");
        repository.WriteFile("tagforge.yml", $$"""
            image: {{registry.Host}}/mono
            template: "{sha:8}-{build}"
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

    private static Dictionary<string, JsonElement> Entries(string recordPath) =>
        JsonDocument.Parse(File.ReadAllText(recordPath)).RootElement.GetProperty("images").EnumerateArray()
            .ToDictionary(entry => entry.GetProperty("name").GetString()!, entry => entry.Clone());

    private static async Task<(string? Digest, JsonElement? Body)> ManifestAsync(LocalRegistry registry, string path, string reference)
    {
        using var http = new HttpClient();
        using var get = new HttpRequestMessage(HttpMethod.Get, new Uri(registry.BaseUri, $"v2/{path}/manifests/{reference}"));
        foreach (var type in new[] { "application/vnd.oci.image.index.v1+json", "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json", "application/vnd.docker.distribution.manifest.list.v2+json" })
        {
            get.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }

        using var response = await http.SendAsync(get, Token);
        if (!response.IsSuccessStatusCode)
        {
            return (null, null);
        }

        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token)).RootElement.Clone();
        return (response.Headers.GetValues("Docker-Content-Digest").Single(), body);
    }

    [Fact]
    public async Task Releases_three_images_in_dependency_order_into_one_record_and_reuses_unchanged_content_in_another_checkout()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await ThreeImagesAsync(registry);

        var first = await TagForgeCli.RunAsync(["release", "--all", "--skip-unchanged", "--jobs", "2", "--rm-local"], repository.Path, TagForgeCli.ReleaseEnvironment());

        Assert.True(first.ExitCode == 0, first.ToString());
        var built = Entries(Path.Combine(repository.Path, "tagforge.json"));
        Assert.Equal(["api", "base", "web"], built.Keys.Order());
        Assert.All(built.Values, entry => Assert.Equal("built", entry.GetProperty("outcome").GetString()));
        foreach (var (name, entry) in built)
        {
            var (digest, _) = await ManifestAsync(registry, $"mono/{name}", entry.GetProperty("tag").GetString()!);
            Assert.Equal(entry.GetProperty("digest").GetString(), digest);
        }

        // api was built FROM base@digest of this release: its first layer is base's layer.
        var (_, baseManifest) = await ManifestAsync(registry, "mono/base", built["base"].GetProperty("digest").GetString()!);
        var (_, apiManifest) = await ManifestAsync(registry, "mono/api", built["api"].GetProperty("digest").GetString()!);
        Assert.Equal(baseManifest!.Value.GetProperty("layers")[0].GetProperty("digest").GetString(), apiManifest!.Value.GetProperty("layers")[0].GetProperty("digest").GetString());
        Assert.Matches(@"IMAGE\s+REPOSITORY\s+TAG\s+DIGEST\s+OUTCOME", first.StandardOutput);

        // The same commit checked out in another directory: every content tag is in the registry, nothing is built.
        using var clone = await TestRepository.CloneShallowAsync(repository);
        var again = await TagForgeCli.RunAsync(["release", "--all", "--skip-unchanged"], clone.Path, TagForgeCli.ReleaseEnvironment());

        Assert.True(again.ExitCode == 0, again.ToString());
        var reused = Entries(Path.Combine(clone.Path, "tagforge.json"));
        foreach (var (name, entry) in reused)
        {
            Assert.Equal("reused", entry.GetProperty("outcome").GetString());
            Assert.Equal(built[name].GetProperty("digest").GetString(), entry.GetProperty("digest").GetString());
            Assert.Equal(built[name].GetProperty("contentHash").GetString(), entry.GetProperty("contentHash").GetString());
            Assert.StartsWith("content-", entry.GetProperty("tag").GetString(), StringComparison.Ordinal);
        }

        Assert.DoesNotContain("building", again.StandardError, StringComparison.Ordinal);

        // One image changed: only it is built.
        repository.WriteFile("web/w.txt", "web changed\n");
        repository.WriteFile("web/README.md", "left out by .dockerignore\n");
        await repository.CommitAsync("web changed");
        var third = await TagForgeCli.RunAsync(["release", "--all", "--skip-unchanged", "--rm-local"], repository.Path, TagForgeCli.ReleaseEnvironment());

        Assert.True(third.ExitCode == 0, third.ToString());
        var outcomes = Entries(Path.Combine(repository.Path, "tagforge.json")).ToDictionary(pair => pair.Key, pair => pair.Value.GetProperty("outcome").GetString());
        Assert.Equal("built", outcomes["web"]);
        Assert.Equal("reused", outcomes["base"]);
        Assert.Equal("reused", outcomes["api"]);
    }

    [Fact]
    public async Task Tag_reused_adds_the_release_tag_to_reused_digests_and_changed_since_builds_only_what_git_says_changed()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await ThreeImagesAsync(registry);
        var first = await TagForgeCli.RunAsync(["release", "--all", "--skip-unchanged", "--rm-local"], repository.Path, TagForgeCli.ReleaseEnvironment());
        Assert.True(first.ExitCode == 0, first.ToString());
        var built = Entries(Path.Combine(repository.Path, "tagforge.json"));

        // A commit outside every context: everything is reused, and --tag-reused puts the new release tag on each digest.
        await repository.CommitAsync("docs only");
        var tagged = await TagForgeCli.RunAsync(["release", "--all", "--skip-unchanged", "--tag-reused", "--record", "tagged.json"], repository.Path, TagForgeCli.ReleaseEnvironment());
        Assert.True(tagged.ExitCode == 0, tagged.ToString());
        var sha = (await repository.HeadAsync())[..8];
        foreach (var (name, entry) in Entries(Path.Combine(repository.Path, "tagged.json")))
        {
            Assert.Equal("reused", entry.GetProperty("outcome").GetString());
            Assert.Equal($"{sha}-local", entry.GetProperty("tag").GetString());
            Assert.Equal(built[name].GetProperty("digest").GetString(), (await ManifestAsync(registry, $"mono/{name}", $"{sha}-local")).Digest);
        }

        // git's word: only web's context changed since the last commit; base and api come from the record.
        repository.WriteFile("web/w.txt", "changed for changed-since\n");
        await repository.CommitAsync("web");
        var changed = await TagForgeCli.RunAsync(["release", "--all", "--changed-since", "HEAD~1", "--rm-local"], repository.Path, TagForgeCli.ReleaseEnvironment());
        Assert.True(changed.ExitCode == 0, changed.ToString());
        var after = Entries(Path.Combine(repository.Path, "tagforge.json"));
        Assert.Equal("built", after["web"].GetProperty("outcome").GetString());
        Assert.Equal("reused", after["base"].GetProperty("outcome").GetString());
        Assert.Equal(built["api"].GetProperty("digest").GetString(), after["api"].GetProperty("digest").GetString());
    }

    [Fact]
    public async Task A_failed_image_stops_its_dependants_the_others_finish_and_the_exit_code_is_the_worst()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await ThreeImagesAsync(registry, baseDockerfile: "FROM scratch\nCOPY missing.txt /m.txt\n");

        var result = await TagForgeCli.RunAsync(["release", "--all", "--rm-local"], repository.Path, TagForgeCli.ReleaseEnvironment());

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Matches(@"base\s+\S+/mono/base\s+-\s+-\s+failed", result.StandardOutput);
        Assert.Matches(@"api\s+\S+/mono/api\s+-\s+-\s+skipped", result.StandardOutput);
        Assert.Matches(@"web\s+\S+/mono/web\s+\S+\s+sha256:\S+\s+built", result.StandardOutput);
        Assert.Contains("api: skipped: 'base', which it depends on, was failed", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(["web"], Entries(Path.Combine(repository.Path, "tagforge.json")).Keys);
    }

    [Fact]
    public async Task An_image_s_own_builder_applies_to_that_image_only()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await ThreeImagesAsync(registry, extraYaml: "  - name: tool\n    context: web\n    builder: kaniko\n");

        var result = await TagForgeCli.RunAsync(["release", "--all", "--rm-local"], repository.Path, TagForgeCli.ReleaseEnvironment());

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Matches(@"tool\s+\S+/mono/tool\s+-\s+-\s+failed", result.StandardOutput);
        Assert.Contains("tagforge.yml:", result.ToString(), StringComparison.Ordinal);
        Assert.Contains(": builder 'kaniko': the builders are", result.ToString(), StringComparison.Ordinal);
        Assert.Equal(["api", "base", "web"], Entries(Path.Combine(repository.Path, "tagforge.json")).Keys.Order());
    }

    [Theory]
    [InlineData("  - name: loop\n    context: web\n    depends-on: [loop2]\n  - name: loop2\n    context: web\n    depends-on: [loop]\n", "images: depends-on has a cycle: loop -> loop2 -> loop")]
    [InlineData("  - name: orphan\n    context: web\n    depends-on: [nobody]\n", "image 'orphan' depends on 'nobody', which is not in images:")]
    public async Task A_cycle_or_an_unknown_depends_on_is_bad_input_before_anything_is_built(string extraImages, string message)
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await ThreeImagesAsync(registry, extraYaml: extraImages.Replace("\n", "\n", StringComparison.Ordinal));

        var result = await TagForgeCli.RunAsync(["release", "--all"], repository.Path, TagForgeCli.ReleaseEnvironment());

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(message, result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("building", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_two_platform_matrix_runs_as_three_processes_sharing_only_the_plan_and_the_registry()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await ThreeImagesAsync(registry);
        using var merge = new TempDirectory("merge");
        var environment = BuildKit();

        var plan = await TagForgeCli.RunAsync(["plan", "-o", "plan.json", "--only", "web", "--platform", "linux/amd64,linux/arm64"], repository.Path, environment);
        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Equal("""{"include":[{"image":"web","platform":"linux/amd64","stage":0},{"image":"web","platform":"linux/arm64","stage":0}]}""", plan.StandardOutput.Trim());
        var planned = JsonDocument.Parse(File.ReadAllText(Path.Combine(repository.Path, "plan.json"))).RootElement;
        var tag = planned.GetProperty("images")[0].GetProperty("tag").GetString()!;
        Directory.CreateDirectory(merge.Combine("parts"));
        File.Copy(Path.Combine(repository.Path, "plan.json"), merge.Combine("plan.json"));

        // Each platform job in its own checkout of the commit, as two runners would.
        foreach (var platform in new[] { "linux/amd64", "linux/arm64" })
        {
            using var runner = await TestRepository.CloneShallowAsync(repository);
            File.Copy(merge.Combine("plan.json"), Path.Combine(runner.Path, "plan.json"));
            var part = $"web-{platform.Split('/')[1]}.json";
            var job = await TagForgeCli.RunAsync(["release", "--plan", "plan.json", "--image", "web", "--platform", platform, "--record", part], runner.Path, environment);
            Assert.True(job.ExitCode == 0, job.ToString());
            File.Copy(Path.Combine(runner.Path, part), merge.Combine("parts", part));
        }

        // The platform jobs touched only their own tags.
        Assert.Null((await ManifestAsync(registry, "mono/web", tag)).Digest);
        Assert.NotNull((await ManifestAsync(registry, "mono/web", $"{tag}-linux-arm64")).Digest);

        var merged = await TagForgeCli.RunAsync(
            ["record", "merge", "parts/web-amd64.json", "parts/web-arm64.json", "-o", "tagforge.json", "--push-index", "--plan", "plan.json"], merge.Path, environment);

        Assert.True(merged.ExitCode == 0, merged.ToString());
        var entry = Entries(merge.Combine("tagforge.json"))["web"];
        var (registryDigest, index) = await ManifestAsync(registry, "mono/web", tag);
        Assert.Equal(registryDigest, entry.GetProperty("digest").GetString());
        Assert.Equal("application/vnd.oci.image.index.v1+json", entry.GetProperty("mediaType").GetString());
        var children = index!.Value.GetProperty("manifests").EnumerateArray().ToList();
        Assert.Equal(["amd64", "arm64"], children.Select(c => c.GetProperty("platform").GetProperty("architecture").GetString()));
        var armDigest = children[1].GetProperty("digest").GetString();
        Assert.Equal(armDigest, entry.GetProperty("platforms")[1].GetProperty("digest").GetString());

        var get = await TagForgeCli.RunAsync(["record", "get", "--image", $"{registry.Host}/mono/web", "--platform", "linux/arm64", "--field", "digest"], merge.Path);
        Assert.Equal(armDigest + "\n", get.StandardOutput);

        // A second merge of the same parts finds its own index: success, the same digest.
        var rerun = await TagForgeCli.RunAsync(["record", "merge", "parts/web-amd64.json", "parts/web-arm64.json", "-o", "again.json", "--push-index", "--plan", "plan.json"], merge.Path, environment);
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Equal(registryDigest, Entries(merge.Combine("again.json"))["web"].GetProperty("digest").GetString());
    }

    [Fact]
    public async Task Matrix_faults_a_plan_for_another_commit_a_missing_platform_disagreeing_parts_and_a_taken_tag()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await ThreeImagesAsync(registry);
        var environment = BuildKit();
        var plan = await TagForgeCli.RunAsync(["plan", "-o", "plan.json", "--only", "web", "--platform", "linux/amd64,linux/arm64", "-t", "{sha:8}-faults"], repository.Path, environment);
        Assert.True(plan.ExitCode == 0, plan.ToString());
        var tag = JsonDocument.Parse(File.ReadAllText(Path.Combine(repository.Path, "plan.json"))).RootElement.GetProperty("images")[0].GetProperty("tag").GetString()!;
        foreach (var arch in new[] { "amd64", "arm64" })
        {
            var job = await TagForgeCli.RunAsync(["release", "--plan", "plan.json", "--image", "web", "--platform", $"linux/{arch}", "--record", $"parts/web-{arch}.json"], repository.Path, environment);
            Assert.True(job.ExitCode == 0, job.ToString());
        }

        // One platform's part missing: exit 1 naming it, no index.
        var missing = await TagForgeCli.RunAsync(["record", "merge", "parts/web-amd64.json", "-o", "m.json", "--push-index", "--plan", "plan.json"], repository.Path, environment);
        Assert.True(missing.ExitCode == 1, missing.ToString());
        Assert.Contains("image 'web' has no partial record for linux/arm64", missing.StandardError, StringComparison.Ordinal);
        Assert.Null((await ManifestAsync(registry, "mono/web", tag)).Digest);
        Assert.False(File.Exists(Path.Combine(repository.Path, "m.json")));

        // Two parts disagreeing on one platform's digest: exit 3.
        var arm = File.ReadAllText(Path.Combine(repository.Path, "parts", "web-arm64.json"));
        var amdDigest = Entries(Path.Combine(repository.Path, "parts", "web-amd64.json"))["web"].GetProperty("digest").GetString()!;
        var armDigest = Entries(Path.Combine(repository.Path, "parts", "web-arm64.json"))["web"].GetProperty("digest").GetString()!;
        repository.WriteFile("parts/web-arm64-other.json", arm.Replace(armDigest, amdDigest, StringComparison.Ordinal));
        var disagree = await TagForgeCli.RunAsync(["record", "merge", "parts/web-amd64.json", "parts/web-arm64.json", "parts/web-arm64-other.json", "-o", "d.json", "--push-index"], repository.Path, environment);
        Assert.True(disagree.ExitCode == 3, disagree.ToString());
        Assert.Contains("the partial records disagree", disagree.StandardError, StringComparison.Ordinal);

        // The planned tag taken by another image: the index is refused (exit 3) and nothing recorded.
        await ScratchImages.PushAsync(registry.Host, "mono/web", tag);
        var taken = await TagForgeCli.RunAsync(["record", "merge", "parts/web-amd64.json", "parts/web-arm64.json", "-o", "t.json", "--push-index", "--plan", "plan.json"], repository.Path, environment);
        Assert.True(taken.ExitCode == 3, taken.ToString());
        Assert.Contains("refusing to overwrite it", taken.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(repository.Path, "t.json")));

        // A new commit: the plan no longer fits the checkout.
        await repository.CommitAsync("moved on");
        var stale = await TagForgeCli.RunAsync(["release", "--plan", "plan.json", "--image", "web", "--platform", "linux/amd64", "--record", "parts/late.json"], repository.Path, environment);
        Assert.True(stale.ExitCode == 2, stale.ToString());
        Assert.Contains("was made for commit", stale.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_runner_releases_two_platforms_as_one_index_whose_digest_the_registry_confirms()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await SampleApp.CreateAsync();
        var image = $"{registry.Host}/team/multi";

        var result = await TagForgeCli.RunAsync(["release", "--image", image, "--platform", "linux/amd64,linux/arm64", "-t", "v{sha:8}"], repository.Path, BuildKit());

        Assert.True(result.ExitCode == 0, result.ToString());
        var entry = JsonDocument.Parse(File.ReadAllText(Path.Combine(repository.Path, "tagforge.json"))).RootElement.GetProperty("images")[0];
        var (digest, index) = await ManifestAsync(registry, "team/multi", entry.GetProperty("tag").GetString()!);
        Assert.Equal(digest, entry.GetProperty("digest").GetString());
        Assert.Equal($"{image}@{digest}\n", result.StandardOutput);
        Assert.Equal(2, index!.Value.GetProperty("manifests").GetArrayLength());
        Assert.Equal(["linux/amd64", "linux/arm64"], entry.GetProperty("platforms").EnumerateArray().Select(p => p.GetProperty("platform").GetString()));
    }
}
