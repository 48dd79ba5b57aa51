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
    public async Task An_edit_to_either_ignore_file_that_selects_the_context_counts_as_a_change()
    {
        using var repository = await TestRepository.InitAsync();
        repository.WriteFile("api/main.txt", "1\n");
        repository.WriteFile("api/.dockerignore", "*.md\n");
        repository.WriteFile("docker/api.Dockerfile", "FROM scratch\n");
        var first = await repository.CommitAsync("first");
        var api = Path.Combine(repository.Path, "api");
        var dockerfile = Path.Combine(repository.Path, "docker", "api.Dockerfile");

        repository.WriteFile("api/.dockerignore", "*.md\n*.log\n");
        Assert.True(ContextChanges.Since(repository.Path, first).Touches(api, dockerfile));

        await repository.CommitAsync("second");
        var second = await repository.HeadAsync();
        repository.WriteFile("docker/api.Dockerfile.dockerignore", "*.txt\n");
        Assert.True(ContextChanges.Since(repository.Path, second).Touches(api, dockerfile, ContextRules.BuildKit));
    }

    [Fact]
    public async Task Git_cannot_vouch_for_a_context_that_sends_a_file_it_does_not_track()
    {
        using var repository = await TestRepository.InitAsync();
        repository.WriteFile(".gitignore", "dist/\n");
        repository.WriteFile("api/main.txt", "1\n");
        repository.WriteFile("api/.dockerignore", "*.md\n");
        await repository.CommitAsync("first");
        var api = Path.Combine(repository.Path, "api");
        using var snapshot = ContentSnapshot.Open(repository.Path);

        Assert.True(ContextChanges.CanVouchFor(api, null, ContextRules.BuildKit, snapshot));

        repository.WriteFile("api/notes.md", "left out by .dockerignore\n");
        Assert.True(ContextChanges.CanVouchFor(api, null, ContextRules.BuildKit, snapshot));

        repository.WriteFile("api/dist/app.js", "build output git ignores\n");
        Assert.False(ContextChanges.CanVouchFor(api, null, ContextRules.BuildKit, snapshot));
        Assert.False(ContextChanges.CanVouchFor(api, null, ContextRules.Classic, snapshot));
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
