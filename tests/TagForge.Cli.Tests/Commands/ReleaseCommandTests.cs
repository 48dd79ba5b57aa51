using System.Text.Json;
using TagForge.Testing;

namespace TagForge.Cli.Tests.Commands;

/// <summary>
/// <c>tagforge release|build|push|record get</c> end to end: the built CLI as a process, the real Docker engine
/// (classic builder, and BuildKit through the 20.10 client), real registries (Debian's docker-registry: anonymous,
/// htpasswd Basic, token auth).
/// </summary>
[Collection(DockerEngine.CollectionName)]
public class ReleaseCommandTests
{
    private const string BuildKitDocker = "/usr/bin/docker";

    private static Dictionary<string, string?> Environment(params (string Name, string? Value)[] extra) => TagForgeCli.ReleaseEnvironment(extra);

    private static Task<ProcessResult> Release(TestRepository repository, string image, IEnumerable<string>? extra = null, Dictionary<string, string?>? environment = null, string? stdin = null) =>
        TagForgeCli.RunAsync(["release", "--image", image, .. extra ?? []], repository.Path, environment ?? Environment(), stdin);

    private static JsonElement RecordEntry(string recordPath, int index = 0) =>
        JsonDocument.Parse(File.ReadAllText(recordPath)).RootElement.GetProperty("images")[index];

    [Fact]
    public async Task Releases_an_image_and_records_the_digest_the_registry_holds()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await SampleApp.CreateAsync();
        using var outputs = new TempDirectory("gh");
        var image = $"{registry.Host}/team/app";
        var githubOutput = outputs.Write("github_output", "earlier=line\n");
        var summary = outputs.Write("summary.md", "");

        var result = await Release(repository, image, ["--dotenv", "image.env", "--extra-tag", "latest", "--rm-local"],
            Environment(("GITHUB_OUTPUT", githubOutput), ("GITHUB_STEP_SUMMARY", summary)));

        Assert.True(result.ExitCode == 0, result.ToString());
        var entry = RecordEntry(Path.Combine(repository.Path, "tagforge.json"));
        var tag = entry.GetProperty("tag").GetString()!;
        var digest = entry.GetProperty("digest").GetString()!;
        Assert.Equal($"{image}@{digest}\n", result.StandardOutput);
        Assert.Equal(await repository.HeadAsync(), entry.GetProperty("git").GetProperty("commit").GetString());
        Assert.Equal([tag, "latest"], entry.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));

        using var http = new HttpClient();
        using var head = new HttpRequestMessage(HttpMethod.Head, new Uri(registry.BaseUri, $"v2/team/app/manifests/{tag}"));
        head.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
        using var response = await http.SendAsync(head, TestContext.Current.CancellationToken);
        Assert.Equal(digest, response.Headers.GetValues("Docker-Content-Digest").Single());

        var dotenv = File.ReadAllText(Path.Combine(repository.Path, "image.env"));
        Assert.Equal($"IMAGE_TAG={tag}\nIMAGE_DIGEST={digest}\nIMAGE_REF={image}@{digest}\n", dotenv);
        var github = File.ReadAllText(githubOutput);
        Assert.StartsWith("earlier=line\n", github, StringComparison.Ordinal);
        Assert.Contains($"digest={digest}\n", github, StringComparison.Ordinal);
        Assert.Contains("record=tagforge.json\n", github, StringComparison.Ordinal);
        Assert.Contains($"| Digest | `{digest}` |", File.ReadAllText(summary), StringComparison.Ordinal);

        // --rm-local removed the local names.
        Assert.NotEqual(0, (await Docker.RunAsync("image", "inspect", $"{image}:{tag}")).ExitCode);

        var get = await TagForgeCli.RunAsync(["record", "get", "--image", image, "--field", "digest"], repository.Path);
        Assert.Equal(digest + "\n", get.StandardOutput);
        var reference = await TagForgeCli.RunAsync(["record", "get", "--image", image], repository.Path);
        Assert.Equal($"{image}@{digest}\n", reference.StandardOutput);
    }

    [Fact]
    public async Task Labels_the_image_with_its_revision_version_and_creation_time()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await SampleApp.CreateAsync();
        var image = $"{registry.Host}/team/labels";

        var result = await TagForgeCli.RunAsync(["build", "--image", image, "--time", "2026-01-02T03:04:05Z", "-t", "v.{sha:8}", ".", "--", "--label", "passed.through=yes"], repository.Path, Environment());

        Assert.True(result.ExitCode == 0, result.ToString());
        var local = result.StandardOutput.Trim();
        var labels = (await Docker.RunCheckedAsync("image", "inspect", "--format", "{{json .Config.Labels}}", local)).StandardOutput;
        var sha = await repository.HeadAsync();
        Assert.Equal($"{image}:v.{sha[..8]}", local);
        Assert.Contains($"\"org.opencontainers.image.revision\":\"{sha}\"", labels, StringComparison.Ordinal);
        Assert.Contains($"\"org.opencontainers.image.version\":\"v.{sha[..8]}\"", labels, StringComparison.Ordinal);
        Assert.Contains("\"org.opencontainers.image.created\":\"2026-01-02T03:04:05Z\"", labels, StringComparison.Ordinal);
        Assert.Contains("\"passed.through\":\"yes\"", labels, StringComparison.Ordinal);
        await Docker.RunAsync("rmi", local);
    }

    [Fact]
    public async Task Refuses_to_overwrite_a_tag_with_another_digest()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await SampleApp.CreateAsync();
        var image = $"{registry.Host}/team/guarded";
        var existing = await ScratchImages.PushAsync(registry.Host, "team/guarded", "v1");

        var refused = await Release(repository, image, ["-t", "v1", "--rm-local"]);

        Assert.True(refused.ExitCode == 3, refused.ToString());
        Assert.Contains(existing, refused.StandardError, StringComparison.Ordinal);
        Assert.Contains("--allow-overwrite", refused.StandardError, StringComparison.Ordinal);
        Assert.Empty(refused.StandardOutput);
        Assert.False(File.Exists(Path.Combine(repository.Path, "tagforge.json")));

        var overwritten = await Release(repository, image, ["-t", "v1", "--allow-overwrite", "--rm-local"]);
        Assert.True(overwritten.ExitCode == 0, overwritten.ToString());
        Assert.NotEqual(existing, RecordEntry(Path.Combine(repository.Path, "tagforge.json")).GetProperty("digest").GetString());
    }

    [Fact]
    public async Task Rerunning_the_same_build_is_an_idempotent_success()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await SampleApp.CreateAsync();
        var image = $"{registry.Host}/team/rerun";
        var environment = Environment(("SOURCE_DATE_EPOCH", "1767225600"));

        var first = await Release(repository, image, ["-t", "{sha:8}"], environment);
        var second = await Release(repository, image, ["-t", "{sha:8}", "--rm-local"], environment);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(first.StandardOutput, second.StandardOutput);
        Assert.Contains("nothing to push", second.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Numbers_seq_tags_after_the_highest_the_registry_holds()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await SampleApp.CreateAsync();
        var image = $"{registry.Host}/team/seq";
        await ScratchImages.PushAsync(registry.Host, "team/seq", "v12");
        await ScratchImages.PushAsync(registry.Host, "team/seq", "v9");
        await ScratchImages.PushAsync(registry.Host, "team/seq", "other-99");

        var result = await Release(repository, image, ["-t", "v{seq}", "--rm-local"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("v13", RecordEntry(Path.Combine(repository.Path, "tagforge.json")).GetProperty("tag").GetString());
    }

    [Fact]
    public async Task Reports_a_failed_build_with_its_last_line_and_records_nothing()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await SampleApp.CreateAsync("FROM scratch\nCOPY missing-file.txt /x\n");

        var result = await Release(repository, $"{registry.Host}/team/broken");

        Assert.True(result.ExitCode == 1, result.ToString());
        var error = result.StandardError.TrimEnd().Split('\n')[^1];
        Assert.StartsWith("tagforge: error: docker build failed (exit code 1):", error, StringComparison.Ordinal);
        Assert.Contains("missing-file.txt", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(repository.Path, "tagforge.json")));
    }

    [Fact]
    public async Task Reports_a_missing_dockerfile_as_bad_input()
    {
        using var repository = await SampleApp.CreateAsync();

        var result = await Release(repository, "127.0.0.1:1/team/app", ["-f", "Dockerfile.nope"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Dockerfile.nope does not exist", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_an_unreachable_docker_engine_in_one_line()
    {
        using var repository = await SampleApp.CreateAsync();

        var result = await Release(repository, "127.0.0.1:1/team/app", environment: Environment(("DOCKER_HOST", "unix:///nonexistent/docker.sock")));

        Assert.Equal(1, result.ExitCode);
        var errors = result.StandardError.Split('\n').Where(line => line.StartsWith("tagforge: error:", StringComparison.Ordinal)).ToList();
        var error = Assert.Single(errors);
        Assert.Contains("cannot reach the Docker engine", error, StringComparison.Ordinal);
        Assert.Contains("is dockerd running", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_an_engine_that_stops_mid_build_and_records_nothing()
    {
        using var repository = await SampleApp.CreateAsync("FROM scratch\nCOPY busybox /busybox\nRUN [\"/busybox\", \"sleep\", \"30\"]\n");
        File.Copy(StaticBusybox(), Path.Combine(repository.Path, "busybox"));
        await repository.CommitAsync("busybox");
        await using var registry = await LocalRegistry.StartAsync();
        await using var proxy = new DockerSocketProxy();
        var image = $"{registry.Host}/team/stopped";

        var releasing = Release(repository, image, environment: Environment(("DOCKER_HOST", proxy.DockerHost)));

        // Cut once the engine runs the RUN step (the classic builder says "Running in <container>"), not after a
        // delay: a cold machine may not have started the build in any fixed time, and then nothing was cut mid-build.
        var running = proxy.WaitForEngineToSayAsync("Running in", TestContext.Current.CancellationToken);
        if (await Task.WhenAny(running, releasing) != running)
        {
            Assert.Fail($"the release ended before its RUN step ran: {await releasing}");
        }

        await proxy.CutAsync();
        var result = await releasing;

        Assert.Equal(1, result.ExitCode);
        var error = Assert.Single(result.StandardError.Split('\n'), line => line.StartsWith("tagforge: error:", StringComparison.Ordinal));
        Assert.Contains("docker build failed", error, StringComparison.Ordinal);
        Assert.Contains("is dockerd still running?", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(repository.Path, "tagforge.json")));
        await DockerCleanup.RemoveRepositoryAsync(image);
    }

    /// <summary>
    /// A busybox that runs in a <c>FROM scratch</c> image: statically linked (no <c>ld-linux</c> interpreter), which
    /// Debian's <c>busybox</c> package is not and <c>busybox-static</c> is (scripts/test.sh installs it).
    /// </summary>
    private static readonly string[] BusyboxPaths = ["/bin/busybox", "/usr/bin/busybox"];

    private static string StaticBusybox() =>
        BusyboxPaths.FirstOrDefault(path => File.Exists(path) && !HasInterpreter(File.ReadAllBytes(path)))
        ?? throw new InvalidOperationException("no statically linked busybox at /bin/busybox or /usr/bin/busybox: apt-get install busybox-static");

    /// <summary>Whether a 64-bit ELF file has a PT_INTERP program header (a dynamic loader).</summary>
    private static bool HasInterpreter(byte[] elf)
    {
        var headers = (int)BitConverter.ToUInt64(elf, 0x20);
        var size = BitConverter.ToUInt16(elf, 0x36);
        return Enumerable.Range(0, BitConverter.ToUInt16(elf, 0x38)).Any(i => BitConverter.ToUInt32(elf, headers + (i * size)) == 3);
    }

    [Fact]
    public async Task Reports_a_missing_docker_executable()
    {
        using var repository = await SampleApp.CreateAsync();

        var result = await Release(repository, "127.0.0.1:1/team/app", ["--docker", "/nonexistent/bin/docker"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cannot run the docker CLI '/nonexistent/bin/docker'", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_a_registry_that_is_down_and_records_nothing()
    {
        var registry = await LocalRegistry.StartAsync();
        var host = registry.Host;
        await registry.DisposeAsync();
        using var repository = await SampleApp.CreateAsync();

        var result = await Release(repository, $"{host}/team/down", ["--rm-local"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"cannot reach registry {host}", result.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(repository.Path, "tagforge.json")));
        await DockerCleanup.RemoveRepositoryAsync($"{host}/team/down");
    }

    [Fact]
    public async Task Releases_with_basic_auth_credentials_from_stdin_without_leaking_the_password()
    {
        const string Password = "Sup3r-Secret-Passw0rd";
        await using var registry = await LocalRegistry.StartWithBasicAuthAsync("ci-user", Password);
        using var repository = await SampleApp.CreateAsync();
        var image = $"{registry.Host}/team/private";

        var result = await Release(repository, image, ["--username", "ci-user", "--password-stdin", "--rm-local"],
            Environment(("TAGFORGE_VERBOSE", "1"), ("DOCKER_CONFIG", repository.Path + "/no-docker-config")), stdin: Password + "\n");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("running docker", result.StandardError, StringComparison.Ordinal); // the command lines are logged...
        Assert.Contains("--password-stdin", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, result.StandardError, StringComparison.Ordinal); // ...without the secret
        Assert.DoesNotContain(Password, result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, File.ReadAllText(Path.Combine(repository.Path, "tagforge.json")), StringComparison.Ordinal);
        Assert.False(Directory.Exists(repository.Path + "/no-docker-config"));

        var wrong = await Release(repository, image, ["--username", "ci-user", "--password-stdin", "--rm-local"], stdin: "wrong-password\n");
        await DockerCleanup.RemoveRepositoryAsync(image);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("refused the credentials for ci-user", wrong.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", wrong.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Releases_to_a_token_auth_registry_with_credentials_from_the_environment()
    {
        await using var auth = await TokenAuthRegistry.StartAsync("robot", "t0ken-s3cret");
        using var repository = await SampleApp.CreateAsync();

        var result = await Release(repository, $"{auth.Registry.Host}/team/token", ["--rm-local"],
            Environment(("TAGFORGE_REGISTRY_USERNAME", "robot"), ("TAGFORGE_REGISTRY_PASSWORD", "t0ken-s3cret"), ("TAGFORGE_VERBOSE", "1")));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(auth.TokensIssued > 0);
        Assert.DoesNotContain("t0ken-s3cret", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ this is not json")]
    [InlineData("{\"schemaVersion\": 99, \"images\": []}")]
    public async Task Refuses_a_corrupt_or_newer_record_before_pushing_and_leaves_it_untouched(string content)
    {
        using var repository = await SampleApp.CreateAsync();
        var record = repository.WriteFile("tagforge.json", content);

        var result = await Release(repository, "127.0.0.1:1/team/app");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("tagforge.json", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(content, File.ReadAllText(record));
        Assert.DoesNotContain("building", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_read_only_record_and_leaves_it_untouched()
    {
        using var repository = await SampleApp.CreateAsync();
        var content = "{\"schemaVersion\": 1, \"images\": []}";
        var record = repository.WriteFile("tagforge.json", content);
        File.SetAttributes(record, FileAttributes.ReadOnly);

        var result = await Release(repository, "127.0.0.1:1/team/app");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("read-only", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(content, File.ReadAllText(record));
    }

    [Fact]
    public async Task Concurrent_releases_into_one_record_keep_both_entries()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var first = await SampleApp.CreateAsync();
        using var second = await SampleApp.CreateAsync();
        using var shared = new TempDirectory("record");
        var record = shared.Combine("tagforge.json");

        var results = await Task.WhenAll(
            Release(first, $"{registry.Host}/team/one", ["--record", record, "--rm-local"]),
            Release(second, $"{registry.Host}/team/two", ["--record", record, "--rm-local"]));

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));
        var repositories = JsonDocument.Parse(File.ReadAllText(record)).RootElement.GetProperty("images").EnumerateArray()
            .Select(e => e.GetProperty("repository").GetString()).Order().ToList();
        Assert.Equal([$"{registry.Host}/team/one", $"{registry.Host}/team/two"], repositories);
    }

    [Fact]
    public async Task Builds_with_buildkit_through_a_docker_cli_that_has_it()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await SampleApp.CreateAsync();

        var result = await Release(repository, $"{registry.Host}/team/buildkit", ["--docker", BuildKitDocker, "--rm-local"], Environment(("DOCKER_BUILDKIT", "1")));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("naming to", result.StandardError, StringComparison.Ordinal); // BuildKit's progress, streamed
        Assert.StartsWith($"{registry.Host}/team/buildkit@sha256:", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explains_a_docker_cli_without_buildx_under_docker_buildkit()
    {
        using var repository = await SampleApp.CreateAsync();

        var result = await Release(repository, "127.0.0.1:1/team/app", ["--docker", "docker"], Environment(("DOCKER_BUILDKIT", "1")));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("DOCKER_BUILDKIT=1 but no buildx", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pushes_a_local_image_built_earlier_and_refuses_a_missing_record_entry()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await SampleApp.CreateAsync();
        var image = $"{registry.Host}/team/pushed";
        await Docker.RunCheckedAsync("build", "--quiet", "--no-cache", "--tag", $"{image}:manual", repository.Path);

        var result = await TagForgeCli.RunAsync(["push", "--image", image, "--tag", "manual", "--rm-local"], repository.Path, Environment());

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("manual", RecordEntry(Path.Combine(repository.Path, "tagforge.json")).GetProperty("tag").GetString());
        var missing = await TagForgeCli.RunAsync(["record", "get", "--image", $"{registry.Host}/team/other"], repository.Path);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("has no entry for", missing.StandardError, StringComparison.Ordinal);
    }
}
