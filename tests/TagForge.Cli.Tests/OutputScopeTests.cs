using TagForge.Testing;

namespace TagForge.Cli.Tests;

/// <summary>
/// Parallel builds of <c>release --all</c> interleave on stderr: every line of an image's work (docker's own output and
/// TagForge's) names the image. Needs the Docker engine (classic builder) and a docker-registry.
/// </summary>
public class OutputScopeTests
{
    [Fact]
    public async Task Each_line_of_two_images_built_at_once_names_its_image()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await TestRepository.InitAsync();
        repository.WriteFile("web/Dockerfile", "FROM scratch\nCOPY web-file.txt /w.txt\n");
        repository.WriteFile("web/web-file.txt", $"web {Guid.NewGuid()}\n");
        repository.WriteFile("docs/Dockerfile", "FROM scratch\nCOPY docs-file.txt /d.txt\n");
        repository.WriteFile("docs/docs-file.txt", $"docs {Guid.NewGuid()}\n");
        repository.WriteFile(".gitignore", "tagforge.json\n.tagforge.json.lock\n");
        repository.WriteFile("tagforge.yml", $$"""
            image: {{registry.Host}}/scoped
            template: "{sha:8}-{build}"
            images:
              - name: web
                context: web
              - name: docs
                context: docs
            """);
        await repository.CommitAsync("two images");

        var result = await TagForgeCli.RunAsync(["release", "--all", "--jobs", "2", "--rm-local"], repository.Path, TagForgeCli.ReleaseEnvironment());

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var webLines = lines.Where(line => line.Contains("web-file.txt", StringComparison.Ordinal)).ToList();
        var docsLines = lines.Where(line => line.Contains("docs-file.txt", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(webLines);
        Assert.NotEmpty(docsLines);
        Assert.All(webLines, line => Assert.StartsWith("[web] ", line, StringComparison.Ordinal));
        Assert.All(docsLines, line => Assert.StartsWith("[docs] ", line, StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("tagforge: [web] built ", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("tagforge: [docs] built ", StringComparison.Ordinal));
        // The summary table on stdout is the result, never prefixed.
        Assert.DoesNotContain("[web]", result.StandardOutput, StringComparison.Ordinal);
    }
}
