using System.Runtime.CompilerServices;
using System.Text;
using TagForge.Testing;

namespace TagForge.Cli.Tests;

/// <summary>
/// Pins what the built <c>tagforge</c> prints today (exit code, stdout and stderr) against checked-in files under
/// <c>Golden/</c>, byte for byte, so a refactor that changes any output fails here.
/// <para>
/// A golden file is <c>exit N\n--- stdout\n</c>, the normalised stdout, <c>--- stderr\n</c> and the normalised stderr;
/// a stream that does not end with a newline is followed by the line <c>\ no newline at end</c> (as diff does), so
/// the layout is unambiguous.
/// </para>
/// <para>
/// Normalisation is a fixed, ordered list of exact string replacements, built per test from the values that test
/// created; nothing is matched by pattern, so any other change of output shows:
/// <list type="number">
/// <item>each temp directory the test made (the repository, the pin folder) becomes <c>&lt;dir&gt;</c>;</item>
/// <item>the local registry's <c>127.0.0.1:PORT</c> becomes <c>&lt;registry&gt;</c>;</item>
/// <item>the repository's HEAD commit becomes <c>&lt;sha&gt;</c>, then its first 12 hex digits <c>&lt;sha12&gt;</c>,
/// then its first 8 <c>&lt;sha8&gt;</c> (TestRepository commits a file with a random name, so the sha varies).</item>
/// </list>
/// Nothing else varies, so nothing else is replaced: the time is always passed (<c>--time</c>), the build number
/// too, record files are written by hand with fixed digests, and the one image pushed to the registry is a
/// manifest with a fixed seed (its digest is the same every run). The CLI runs with CI variables cleared (by
/// <see cref="TagForgeCli"/>), every <c>TAGFORGE_*</c> setting and docker override cleared, an empty
/// <c>DOCKER_CONFIG</c>, <c>LANG=C.UTF-8</c> and <c>TZ=Asia/Kolkata</c> (a fixed, non-UTC zone: the output must not
/// depend on the machine's zone, and a change to local time would show).
/// </para>
/// <para>To regenerate after an intended change: run with <c>TAGFORGE_UPDATE_GOLDEN=1</c> (each test then rewrites
/// its file in the source tree and fails, saying so), read the diff, and commit it.</para>
/// </summary>
public sealed class GoldenOutputTests
{
    private const string Time = "2026-11-22T18:40:00Z";

    private const string RecordDigest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

    private const string Record = $$"""
        {
          "schemaVersion": 1,
          "images": [
            {
              "repository": "registry.example.com/team/api",
              "tag": "20261122184000-abcdef12-7",
              "digest": "{{RecordDigest}}",
              "reference": "registry.example.com/team/api@{{RecordDigest}}",
              "imageId": null, "tags": ["20261122184000-abcdef12-7"], "platform": null,
              "git": { "commit": "abcdef1234567890abcdef1234567890abcdef12", "branch": "main", "dirty": false },
              "build": { "provider": "local", "number": "7", "url": null },
              "createdAt": "2026-11-22T18:40:00+00:00"
            }
          ]
        }

        """;

    /// <summary>One image in the record, one that is not (a sidecar), and a file with no image of the record.</summary>
    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: api
        spec:
          template:
            spec:
              containers:
                - name: api
                  image: registry.example.com/team/api:1.0.0
                - name: sidecar
                  image: docker.io/library/redis:7.2

        """;

    private const string Other = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: other
        spec:
          containers:
            - name: other
              image: quay.io/acme/other:2.0

        """;

    private const string LintTarget = $$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          template:
            spec:
              containers:
                - name: latest
                  image: nginx:latest
                - name: untagged
                  image: redis
                - name: pinned
                  image: registry.example.com/team/api@{{RecordDigest}}
                - name: always
                  image: registry.example.com/team/web:1.2.3
                  imagePullPolicy: Always

        """;

    private const string ReleaseDockerfile = "FROM scratch AS t\nCOPY hello.txt /hello.txt\n";

    private static readonly string[] ReleaseFlags =
    [
        "--build-arg", "A=1", "--target", "t", "--platform", "linux/amd64", "--extra-tag", "latest", "--rm-local",
        "--time", Time, "--build-number", "7",
    ];

    [Theory]
    [InlineData("tag-json-build-number", new[] { "--build-number", "7" }, false)]
    [InlineData("tag-json-jenkins", new string[0], true)]
    [InlineData("tag-json-preset-article", new[] { "--build-number", "7", "--preset", "article" }, false)]
    public async Task Tag_as_json_prints_the_tag_and_every_input(string golden, string[] extra, bool jenkins)
    {
        using var repository = await TestRepository.InitAsync();
        await repository.CommitAsync("first");
        var environment = Environment();
        if (jenkins)
        {
            environment["JENKINS_URL"] = "https://ci/";
            environment["BUILD_NUMBER"] = "7";
        }

        var result = await TagForgeCli.RunAsync(["tag", "--format", "json", "--time", Time, .. extra], repository.Path, environment);

        await AssertGoldenAsync(golden, result, await ForRepositoryAsync(repository));
    }

    [Theory]
    [InlineData("release-dry-run-free-text", new string[0])]
    [InlineData("release-dry-run-free-json", new[] { "--format", "json" })]
    public async Task Release_dry_run_prints_the_plan_for_a_free_tag(string golden, string[] extra)
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await SampleApp.CreateAsync(ReleaseDockerfile);
        using var dockerConfig = new TempDirectory("docker");

        var result = await TagForgeCli.RunAsync(
            ["release", "--dry-run", "--image", $"{registry.Host}/team/app", .. ReleaseFlags, .. extra],
            repository.Path, Environment(dockerConfig));

        await AssertGoldenAsync(golden, result, await ForRepositoryAsync(repository, registry));
    }

    [Fact]
    public async Task Release_dry_run_says_a_taken_tag_is_pushed_only_if_it_is_the_same_image()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await SampleApp.CreateAsync(ReleaseDockerfile);
        using var dockerConfig = new TempDirectory("docker");
        var tag = await TagForgeCli.RunAsync(["tag", "--time", Time, "--build-number", "7"], repository.Path, Environment(dockerConfig));
        Assert.True(tag.ExitCode == 0, tag.ToString());
        await RegistryUploads.PushAsync(registry, "team/app", tag.StandardOutput.Trim(), seed: "golden");

        var result = await TagForgeCli.RunAsync(
            ["release", "--dry-run", "--image", $"{registry.Host}/team/app", .. ReleaseFlags],
            repository.Path, Environment(dockerConfig));

        await AssertGoldenAsync("release-dry-run-taken", result, await ForRepositoryAsync(repository, registry));
    }

    [Theory]
    [InlineData("release-dry-run-config", false)]
    [InlineData("release-dry-run-config-overridden", true)]
    public async Task Release_dry_run_takes_image_and_template_from_tagforge_yml_below_environment_and_flags(string golden, bool overridden)
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await SampleApp.CreateAsync();
        using var dockerConfig = new TempDirectory("docker");
        repository.WriteFile("tagforge.yml", $"image: {registry.Host}/acme/web\ntemplate: \"v.{{sha:8}}_{{time:yyyyMMddHHmm}}-{{build}}\"\n");
        await repository.CommitAsync("config");
        var environment = Environment(dockerConfig);
        List<string> arguments = ["release", "--dry-run", "--time", Time, "--build-number", "7"];
        if (overridden)
        {
            environment["TAGFORGE_TEMPLATE"] = "{sha:12}-{build}";
            arguments.AddRange(["--image", $"{registry.Host}/team/app"]);
        }

        var result = await TagForgeCli.RunAsync(arguments, repository.Path, environment);

        await AssertGoldenAsync(golden, result, await ForRepositoryAsync(repository, registry));
    }

    [Theory]
    [InlineData("pin-dry-run", new[] { "pin", "--dry-run", "deployment.yaml", "other.yaml" })]
    [InlineData("pin-dry-run-nothing-matches", new[] { "pin", "--dry-run", "other.yaml" })]
    [InlineData("pin-check", new[] { "pin", "--check", "deployment.yaml", "other.yaml" })]
    [InlineData("pin-json-dry-run", new[] { "pin", "--format", "json", "--dry-run", "deployment.yaml", "other.yaml" })]
    [InlineData("pin-json-check", new[] { "pin", "--format", "json", "--check", "deployment.yaml", "other.yaml" })]
    public async Task Pin_without_writing_prints_a_diff_or_findings_and_warns_when_nothing_matches(string golden, string[] arguments)
    {
        using var directory = new TempDirectory("pin");
        directory.Write("tagforge.json", Record);
        directory.Write("deployment.yaml", Deployment);
        directory.Write("other.yaml", Other);

        var result = await TagForgeCli.RunAsync(arguments, directory.Path, Environment());

        await AssertGoldenAsync(golden, result, [(directory.Path, "<dir>")]);
        Assert.Equal(Deployment, File.ReadAllText(directory.Combine("deployment.yaml")));
        Assert.Equal(Other, File.ReadAllText(directory.Combine("other.yaml")));
    }

    [Theory]
    [InlineData("lint-text", new string[0])]
    [InlineData("lint-json", new[] { "--format", "json" })]
    public async Task Lint_reports_latest_and_untagged_images_and_pull_always_but_not_a_pinned_digest(string golden, string[] extra)
    {
        using var directory = new TempDirectory("lint");
        directory.Write("deployment.yaml", LintTarget);

        var result = await TagForgeCli.RunAsync(["lint", "deployment.yaml", .. extra], directory.Path, Environment());

        await AssertGoldenAsync(golden, result, [(directory.Path, "<dir>")]);
    }

    [Theory]
    [InlineData("record-get-digest", "registry.example.com/team/api", "digest")]
    [InlineData("record-get-tag", "registry.example.com/team/api", "tag")]
    [InlineData("record-get-reference", "registry.example.com/team/api", "reference")]
    [InlineData("record-get-missing", "registry.example.com/team/missing", "digest")]
    public async Task Record_get_prints_one_field_or_names_the_missing_entry(string golden, string image, string field)
    {
        using var directory = new TempDirectory("record");
        directory.Write("tagforge.json", Record);

        var result = await TagForgeCli.RunAsync(["record", "get", "--image", image, "--field", field], directory.Path, Environment());

        await AssertGoldenAsync(golden, result, [(directory.Path, "<dir>")]);
    }

    [Theory]
    [InlineData("error-unknown-command", new[] { "bogus" })]
    [InlineData("error-pin-missing-file", new[] { "pin", "missing.yaml" })]
    [InlineData("error-pin-missing-record", new[] { "pin", "missing.yaml", "--record", "absent.json" })]
    [InlineData("error-lint-missing-file", new[] { "lint", "missing.yaml" })]
    public async Task A_usage_error_exits_2_with_the_error_on_stderr(string golden, string[] arguments)
    {
        using var directory = new TempDirectory("errors");
        directory.Write("tagforge.json", Record);

        var result = await TagForgeCli.RunAsync(arguments, directory.Path, Environment());

        await AssertGoldenAsync(golden, result, [(directory.Path, "<dir>")]);
    }

    [Fact]
    public async Task Release_without_an_image_or_config_says_where_an_image_can_come_from()
    {
        using var repository = await SampleApp.CreateAsync();
        using var dockerConfig = new TempDirectory("docker");

        var result = await TagForgeCli.RunAsync(["release"], repository.Path, Environment(dockerConfig));

        await AssertGoldenAsync("error-release-without-image", result, await ForRepositoryAsync(repository));
    }

    /// <summary>The child's environment: no TAGFORGE_* setting or docker override from the machine, fixed zone and locale.</summary>
    private static Dictionary<string, string?> Environment(TempDirectory? dockerConfig = null) => new()
    {
        ["TAGFORGE_IMAGE"] = null,
        ["TAGFORGE_CONTEXT"] = null,
        ["TAGFORGE_DOCKERFILE"] = null,
        ["TAGFORGE_TEMPLATE"] = null,
        ["TAGFORGE_PRESET"] = null,
        ["TAGFORGE_RECORD"] = null,
        ["TAGFORGE_PLATFORM"] = null,
        ["TAGFORGE_CONFIG"] = null,
        ["TAGFORGE_DOCKER"] = null,
        ["TAGFORGE_REGISTRY_USERNAME"] = null,
        ["TAGFORGE_REGISTRY_PASSWORD"] = null,
        ["DOCKER_HOST"] = null,
        ["DOCKER_BUILDKIT"] = null,
        ["DOCKER_CONFIG"] = dockerConfig?.Path,
        ["LC_ALL"] = null,
        ["LANG"] = "C.UTF-8",
        ["TZ"] = "Asia/Kolkata",
    };

    /// <summary>Replacements for a test with a repository (and maybe a registry), in the order they apply.</summary>
    private static async Task<List<(string Value, string Placeholder)>> ForRepositoryAsync(TestRepository repository, LocalRegistry? registry = null)
    {
        var sha = await repository.HeadAsync();
        List<(string, string)> replacements = [(repository.Path, "<dir>")];
        if (registry is not null)
        {
            replacements.Add((registry.Host, "<registry>"));
        }

        replacements.AddRange([(sha, "<sha>"), (sha[..12], "<sha12>"), (sha[..8], "<sha8>")]);
        return replacements;
    }

    // The content identity covers the sample app's unique file: its value (the label, the plan's contentHash and
    // content tag, the dry run's identity line) is the one placeholder it needs.
    private static string Normalise(string text, IEnumerable<(string Value, string Placeholder)> replacements)
    {
        var replaced = replacements.Aggregate(text, (current, replacement) => current.Replace(replacement.Value, replacement.Placeholder, StringComparison.Ordinal));
        replaced = System.Text.RegularExpressions.Regex.Replace(replaced, @"dev\.tagforge\.content([\\""]*)=([\\""]*)[0-9a-f]{64}", "dev.tagforge.content$1=$2<content>");
        replaced = System.Text.RegularExpressions.Regex.Replace(replaced, @"(identity  |""contentHash"":"")[0-9a-f]{64}", "$1<content>");
        return System.Text.RegularExpressions.Regex.Replace(replaced, @"content-[0-9a-f]{24}", "content-<content24>");
    }

    private static string Render(ProcessResult result, IReadOnlyList<(string Value, string Placeholder)> replacements)
    {
        var text = new StringBuilder();
        text.Append(FormattableString.Invariant($"exit {result.ExitCode}\n"));
        foreach (var (name, stream) in new[] { ("stdout", result.StandardOutput), ("stderr", result.StandardError) })
        {
            var normalised = Normalise(stream, replacements);
            text.Append("--- ").Append(name).Append('\n').Append(normalised);
            if (normalised.Length > 0 && !normalised.EndsWith('\n'))
            {
                text.Append("\n\\ no newline at end\n");
            }
        }

        return text.ToString();
    }

    private static async Task AssertGoldenAsync(
        string golden,
        ProcessResult result,
        IReadOnlyList<(string Value, string Placeholder)> replacements,
        [CallerFilePath] string sourceFile = "")
    {
        var actual = Render(result, replacements);
        if (System.Environment.GetEnvironmentVariable("TAGFORGE_UPDATE_GOLDEN") is { Length: > 0 })
        {
            var source = Path.Combine(Path.GetDirectoryName(sourceFile)!, "Golden", golden + ".txt");
            Directory.CreateDirectory(Path.GetDirectoryName(source)!);
            await File.WriteAllBytesAsync(source, Encoding.UTF8.GetBytes(actual), TestContext.Current.CancellationToken);
            Assert.Fail($"TAGFORGE_UPDATE_GOLDEN is set: wrote {source}; read it, then run again without the variable");
        }

        var path = Path.Combine(AppContext.BaseDirectory, "Golden", golden + ".txt");
        Assert.True(File.Exists(path), $"no golden file {path}; run with TAGFORGE_UPDATE_GOLDEN=1 to write it. Output:\n{actual}");
        var expected = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken));
        Assert.Equal(expected, actual);
    }
}
