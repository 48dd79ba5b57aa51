using TagForge.Testing;

namespace TagForge.Cli.Tests.Commands;

/// <summary>
/// End-to-end: how <c>release --all</c> shows parallel builds on stderr. On a real terminal (a pseudo-terminal made by
/// util-linux's <c>script</c>) a live table replaces the interleaved lines and leaves the final table and the failed
/// image's last lines; <c>--quiet</c> keeps only warnings and errors; stdout's summary is the same in every case. The
/// plain prefixed lines off a terminal are <see cref="OutputScopeTests"/>'. Needs: the Docker engine (classic builder),
/// docker-registry, <c>script</c>.
/// </summary>
public sealed class ReleaseProgressCommandTests
{
    /// <summary>web and docs build, api fails (its Dockerfile copies a missing file), after depends on api (skipped).</summary>
    private static async Task<TestRepository> FourImagesAsync(string registry)
    {
        var repository = await TestRepository.InitAsync();
        foreach (var name in new[] { "web", "docs" })
        {
            repository.WriteFile($"{name}/Dockerfile", $"FROM scratch\nCOPY {name}-file.txt /{name}.txt\n");
            repository.WriteFile($"{name}/{name}-file.txt", $"{name} {Guid.NewGuid()}\n");
        }

        repository.WriteFile("api/Dockerfile", "FROM scratch\nCOPY missing-file.txt /api.txt\n");
        repository.WriteFile(".gitignore", "tagforge.json\n.tagforge.json.lock\n");
        repository.WriteFile("tagforge.yml", $$"""
            image: {{registry}}/progress
            template: "{sha:8}-{build}"
            images:
              - name: web
                context: web
              - name: docs
                context: docs
              - name: api
                context: api
              - name: after
                context: web
                depends-on: [api]
            """);
        await repository.CommitAsync("four images");
        return repository;
    }

    [Fact]
    public async Task On_a_terminal_a_live_table_replaces_the_interleaved_lines_and_leaves_the_final_table_and_the_failed_images_last_lines()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await FourImagesAsync(registry.Host);
        var typescript = Path.Combine(repository.Path, "..", $"typescript-{Guid.NewGuid():N}");
        var summary = Path.Combine(repository.Path, "..", $"summary-{Guid.NewGuid():N}");
        var command = $"stty cols 120 rows 40; {Quote(TagForgeCli.ExecutablePath)} release --all --jobs 2 --rm-local > {Quote(summary)}";
        var environment = TagForgeCli.ReleaseEnvironment(("TERM", "xterm"), ("NO_COLOR", "1"));
        foreach (var variable in new[] { "CI", "GITHUB_ACTIONS", "GITLAB_CI", "TF_BUILD", "JENKINS_URL", "JENKINS_HOME", "CIRCLECI", "BITBUCKET_BUILD_NUMBER", "TEAMCITY_VERSION", "BUILDKITE" })
        {
            environment[variable] = null;
        }

        try
        {
            // script runs the command on a new pseudo-terminal and copies everything written to it into the typescript.
            var result = await ProcessRunner.RunAsync("script", ["--quiet", "--return", "--command", command, typescript], repository.Path, environment, cancellationToken: TestContext.Current.CancellationToken);

            Assert.True(result.ExitCode == 1, result.ToString());
            var screen = File.ReadAllText(typescript).Replace("\r", "", StringComparison.Ordinal);
            var stdout = File.ReadAllText(summary);
            Assert.StartsWith("IMAGE  REPOSITORY", stdout, StringComparison.Ordinal);
            Assert.DoesNotContain('\u001b', stdout);
            Assert.Contains("api: docker build failed", stdout, StringComparison.Ordinal);

            // Drawn in place (cursor up over the table, clear to the end of the screen), docker's lines not interleaved.
            Assert.Contains("\u001b[4A\u001b[J", screen, StringComparison.Ordinal);
            Assert.DoesNotContain("[web] Step", screen, StringComparison.Ordinal);
            Assert.Contains("tagforge: error: [api] docker build failed", screen, StringComparison.Ordinal);

            // After the last erase: perhaps a line printed above the table (the error), then the final table.
            var afterLastErase = screen[(screen.LastIndexOf("\u001b[J", StringComparison.Ordinal) + 3)..].Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Where(line => !line.StartsWith("Script done", StringComparison.Ordinal)).ToArray();
            var final = afterLastErase[Array.FindIndex(afterLastErase, line => line.StartsWith("web ", StringComparison.Ordinal))..];
            Assert.Matches(@"^web    built      +\d+:\d\d  built .*/progress/web@sha256:", final[0]);
            Assert.Matches(@"^docs   built      +\d+:\d\d  built .*/progress/docs@sha256:", final[1]);
            Assert.Matches(@"^api    failed     +\d+:\d\d  COPY failed: ", final[2]);
            Assert.Equal("after  skipped", final[3]);
            Assert.Matches(@"^tagforge: \[api\] failed; its last \d+ lines:$", final[4]);
            Assert.All(final[5..], line => Assert.StartsWith("[api] ", line, StringComparison.Ordinal));
            Assert.Contains(final, line => line.StartsWith("[api] Step 2/", StringComparison.Ordinal));
            Assert.Contains(final, line => line.Contains("missing-file.txt", StringComparison.Ordinal) && line.Contains("COPY failed", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(typescript);
            File.Delete(summary);
        }
    }

    [Fact]
    public async Task Quiet_keeps_only_the_errors_on_stderr_and_the_same_summary_on_stdout()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await FourImagesAsync(registry.Host);

        var result = await TagForgeCli.RunAsync(["release", "--all", "--jobs", "2", "--rm-local", "--quiet"], repository.Path, TagForgeCli.ReleaseEnvironment());

        Assert.True(result.ExitCode == 1, result.ToString());
        var errors = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(" (exit code", 2)[0]);
        Assert.True(errors.SequenceEqual(["tagforge: error: [api] docker build failed"]), result.ToString());
        Assert.StartsWith("IMAGE  REPOSITORY", result.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(@"\nweb +\S+/progress/web +\S+ +sha256:\w+ +built\n", result.StandardOutput);
        Assert.Contains("\nafter: skipped: 'api', which it depends on, was failed\n", result.StandardOutput, StringComparison.Ordinal);
    }

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
