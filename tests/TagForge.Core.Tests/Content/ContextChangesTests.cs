using TagForge.Testing;

namespace TagForge.Content;

/// <summary>--changed-since: git's diff between a revision and HEAD plus the working tree, per context.</summary>
public class ContextChangesTests
{
    [Fact]
    public async Task An_image_changed_when_a_kept_file_of_its_context_or_its_dockerfile_changed()
    {
        using var repository = await TestRepository.InitAsync();
        repository.WriteFile("api/main.txt", "1\n");
        repository.WriteFile("api/.dockerignore", "*.md\n");
        repository.WriteFile("web/index.html", "1\n");
        repository.WriteFile("docker/web.Dockerfile", "FROM scratch\n");
        var first = await repository.CommitAsync("first");
        repository.WriteFile("api/README.md", "docs only\n");
        repository.WriteFile("docker/web.Dockerfile", "FROM scratch\nCOPY . /\n");
        await repository.CommitAsync("second");

        var changes = ContextChanges.Since(repository.Path, first);
        var api = Path.Combine(repository.Path, "api");
        var web = Path.Combine(repository.Path, "web");

        Assert.False(changes.Touches(api, null));
        Assert.True(changes.Touches(web, Path.Combine(repository.Path, "docker", "web.Dockerfile")));

        repository.WriteFile("api/main.txt", "uncommitted\n");
        Assert.True(ContextChanges.Since(repository.Path, first).Touches(api, null));
    }

    [Fact]
    public async Task An_unknown_revision_is_refused()
    {
        using var repository = await TestRepository.InitAsync();
        await repository.CommitAsync("first");

        var error = Assert.Throws<Errors.BadInputException>(() => ContextChanges.Since(repository.Path, "no-such-branch"));
        Assert.Contains("--changed-since no-such-branch", error.Message, StringComparison.Ordinal);
    }
}
