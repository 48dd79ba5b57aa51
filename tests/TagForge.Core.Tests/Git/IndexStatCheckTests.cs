using TagForge.Testing;

namespace TagForge.Git;

public class IndexStatCheckTests
{
    /// <summary>A committed repository whose files are older than its index, so no entry is racily clean.</summary>
    private static async Task<TestRepository> SettledRepositoryAsync(int extraFiles = 0)
    {
        var repository = await TestRepository.InitAsync();
        repository.WriteFile("app/main.txt", "hello\n");
        repository.WriteFile("README", "readme\n");
        for (var i = 0; i < extraFiles; i++)
        {
            repository.WriteFile($"bulk/{i % 10}/{i}.txt", $"{i}\n");
        }

        await repository.CommitAsync();
        var past = DateTime.UtcNow.AddMinutes(-10);
        foreach (var file in Directory.EnumerateFiles(repository.Path, "*", SearchOption.AllDirectories).Where(f => !f.Contains("/.git/", StringComparison.Ordinal)))
        {
            File.SetLastWriteTimeUtc(file, past);
        }

        await repository.GitAsync("update-index", "--refresh");
        return repository;
    }

    private static bool? Check(TestRepository repository, string treeSha) =>
        IndexStatCheck.IsClean(Path.Combine(repository.Path, ".git"), repository.Path, treeSha);

    private static async Task<string> HeadTreeAsync(TestRepository repository) => (await repository.GitAsync("rev-parse", "HEAD^{tree}")).Trim();

    [Fact]
    public async Task Proves_a_settled_clean_tree_clean_from_the_index_alone()
    {
        using var repository = await SettledRepositoryAsync();

        Assert.True(Check(repository, await HeadTreeAsync(repository)));
        using var reader = GitRepositoryReader.Open(repository.Path);
        Assert.False(reader.IsDirty());
    }

    [Fact]
    public async Task Checks_a_large_index_on_every_core_and_still_finds_one_change()
    {
        using var repository = await SettledRepositoryAsync(extraFiles: 2500);
        var tree = await HeadTreeAsync(repository);

        Assert.True(Check(repository, tree));
        repository.WriteFile("bulk/7/2497.txt", "changed\n");
        Assert.Null(Check(repository, tree));
    }

    [Fact]
    public async Task Defers_when_the_cached_tree_is_not_heads()
    {
        using var repository = await SettledRepositoryAsync();

        Assert.Null(Check(repository, new string('0', 40)));
    }

    [Fact]
    public async Task Defers_to_full_status_when_a_file_changed_and_status_finds_it_dirty()
    {
        using var repository = await SettledRepositoryAsync();
        repository.WriteFile("app/main.txt", "hello, changed\n");

        Assert.Null(Check(repository, await HeadTreeAsync(repository)));
        using var reader = GitRepositoryReader.Open(repository.Path);
        Assert.True(reader.IsDirty());
    }

    [Fact]
    public async Task Sees_a_staged_change_through_the_invalidated_cache_tree()
    {
        using var repository = await SettledRepositoryAsync();
        repository.WriteFile("app/main.txt", "staged\n");
        File.SetLastWriteTimeUtc(Path.Combine(repository.Path, "app/main.txt"), DateTime.UtcNow.AddMinutes(-5));
        await repository.GitAsync("add", "app/main.txt");

        Assert.Null(Check(repository, await HeadTreeAsync(repository)));
        using var reader = GitRepositoryReader.Open(repository.Path);
        Assert.True(reader.IsDirty());
    }

    [Fact]
    public async Task Defers_for_a_deleted_file()
    {
        using var repository = await SettledRepositoryAsync();
        File.Delete(Path.Combine(repository.Path, "README"));

        Assert.Null(Check(repository, await HeadTreeAsync(repository)));
        using var reader = GitRepositoryReader.Open(repository.Path);
        Assert.True(reader.IsDirty());
    }

    [Fact]
    public async Task Defers_for_a_touched_but_unchanged_file_which_status_finds_clean()
    {
        using var repository = await SettledRepositoryAsync();
        File.SetLastWriteTimeUtc(Path.Combine(repository.Path, "README"), DateTime.UtcNow.AddMinutes(-1));

        Assert.Null(Check(repository, await HeadTreeAsync(repository)));
        using var reader = GitRepositoryReader.Open(repository.Path);
        Assert.False(reader.IsDirty());
    }

    [Fact]
    public async Task Defers_for_racily_clean_entries()
    {
        using var repository = await TestRepository.InitAsync();
        repository.WriteFile("a.txt", "a");
        await repository.CommitAsync();
        File.SetLastWriteTimeUtc(Path.Combine(repository.Path, "a.txt"), DateTime.UtcNow.AddHours(1));
        await repository.GitAsync("update-index", "--refresh");

        Assert.Null(Check(repository, await HeadTreeAsync(repository)));
    }
}
