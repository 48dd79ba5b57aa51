using TagForge.Testing;

namespace TagForge.Git;

public class NativeRevisionCounterTests
{
    [Fact]
    public async Task Binds_the_libgit2_that_LibGit2Sharp_ships_and_counts_like_git()
    {
        using var repository = await TestRepository.InitAsync();
        for (var i = 0; i < 4; i++)
        {
            await repository.CommitAsync();
        }

        var hidden = (await repository.GitAsync("rev-parse", "HEAD~2")).Trim();
        var head = await repository.HeadAsync();
        using var reader = GitRepositoryReader.Open(repository.Path);
        reader.ReadHead();

        // Null would mean the native library name no longer matches LibGit2Sharp's package: update NativeRevisionCounter.
        Assert.Equal(4, NativeRevisionCounter.TryCount(Path.Combine(repository.Path, ".git"), head, [], null));
        Assert.Equal(2, NativeRevisionCounter.TryCount(Path.Combine(repository.Path, ".git"), head, [hidden], null));
        Assert.Equal(-1, NativeRevisionCounter.TryCount(Path.Combine(repository.Path, ".git"), head, [], sha => sha == hidden));
    }
}
