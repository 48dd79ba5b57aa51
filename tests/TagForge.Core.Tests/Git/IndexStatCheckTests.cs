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
    public async Task Proves_a_touched_but_unchanged_file_clean_by_its_content()
    {
        using var repository = await SettledRepositoryAsync();
        File.SetLastWriteTimeUtc(Path.Combine(repository.Path, "README"), DateTime.UtcNow.AddMinutes(-1));

        Assert.True(Check(repository, await HeadTreeAsync(repository)));
        Assert.Equal("", await repository.GitAsync("status", "--porcelain", "--untracked-files=no"));
    }

    [Fact]
    public async Task Defers_for_a_touched_file_of_the_same_size_with_other_content()
    {
        using var repository = await SettledRepositoryAsync();
        var readme = Path.Combine(repository.Path, "README");
        var recorded = File.GetLastWriteTimeUtc(readme);
        await File.WriteAllTextAsync(readme, "README\n", TestContext.Current.CancellationToken);
        File.SetLastWriteTimeUtc(readme, recorded.AddSeconds(1));

        Assert.Null(Check(repository, await HeadTreeAsync(repository)));
        using var reader = GitRepositoryReader.Open(repository.Path);
        Assert.True(reader.IsDirty());
    }

    [Fact]
    public async Task Proves_a_fresh_clone_clean_although_every_entry_is_racily_clean()
    {
        using var source = await SettledRepositoryAsync(extraFiles: 20);
        using var clone = await TestRepository.CloneShallowAsync(source, depth: 1);
        var index = File.GetLastWriteTimeUtc(Path.Combine(clone.Path, ".git", "index"));
        // Checkout and index in the same second, as in a CI clone.
        foreach (var file in Directory.EnumerateFiles(clone.Path, "*", SearchOption.AllDirectories).Where(f => !f.Contains("/.git/", StringComparison.Ordinal)))
        {
            File.SetLastWriteTimeUtc(file, index);
        }

        Assert.True(IndexStatCheck.IsClean(Path.Combine(clone.Path, ".git"), clone.Path, await HeadTreeAsync(clone)));
    }

    [Fact]
    public async Task Does_not_reread_a_file_recorded_before_the_index_to_the_nanosecond_although_in_the_same_second()
    {
        // A fresh clone writes its files, then its index, within one second but not one instant. git compares those
        // times to the nanosecond (USE_NSEC) and re-reads nothing; comparing seconds alone re-read every file.
        using var repository = await TestRepository.InitAsync();
        repository.WriteFile("a.txt", "aaaa\n");
        repository.WriteFile("b.txt", "bbbb\n");
        await repository.CommitAsync();
        var second = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60;
        await Shell(repository, $"touch -m -d @{second}.000000000 a.txt b.txt && git update-index --really-refresh -q && touch -m -d @{second}.500000000 .git/index");

        // The same size and exactly the recorded time: only a re-read could tell, and there is no reason to re-read.
        await Shell(repository, $"printf 'cccc\\n' > a.txt && touch -m -d @{second}.000000000 a.txt");

        Assert.True(Check(repository, await HeadTreeAsync(repository)));
    }

    [Fact]
    public async Task Rereads_a_file_recorded_at_the_same_nanosecond_as_the_index()
    {
        using var repository = await TestRepository.InitAsync();
        repository.WriteFile("a.txt", "aaaa\n");
        await repository.CommitAsync();
        var second = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60;
        await Shell(repository, $"touch -m -d @{second}.500000000 a.txt && git update-index --really-refresh -q && touch -m -d @{second}.500000000 .git/index");
        await Shell(repository, $"printf 'cccc\\n' > a.txt && touch -m -d @{second}.500000000 a.txt");

        Assert.Null(Check(repository, await HeadTreeAsync(repository)));
    }

    private static async Task Shell(TestRepository repository, string script)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sh", ["-c", script]) { WorkingDirectory = repository.Path })!;
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public async Task Hashes_a_file_larger_than_one_read_and_sees_one_changed_byte()
    {
        using var repository = await TestRepository.InitAsync();
        var content = new byte[(3 << 20) + 123];
        new Random(7).NextBytes(content);
        var big = Path.Combine(repository.Path, "big.bin");
        await File.WriteAllBytesAsync(big, content, TestContext.Current.CancellationToken);
        await repository.CommitAsync();
        var index = File.GetLastWriteTimeUtc(Path.Combine(repository.Path, ".git", "index"));
        File.SetLastWriteTimeUtc(big, index);
        var tree = await HeadTreeAsync(repository);

        Assert.True(Check(repository, tree));

        content[2 << 20] ^= 1;
        await File.WriteAllBytesAsync(big, content, TestContext.Current.CancellationToken);
        File.SetLastWriteTimeUtc(big, index);
        Assert.Null(Check(repository, tree));
    }

    [Fact]
    public async Task Defers_for_a_racily_clean_entry_whose_content_changed_within_the_second()
    {
        using var repository = await TestRepository.InitAsync();
        repository.WriteFile("a.txt", "a");
        await repository.CommitAsync();
        var future = DateTime.UtcNow.AddHours(1);
        File.SetLastWriteTimeUtc(Path.Combine(repository.Path, "a.txt"), future);
        await repository.GitAsync("update-index", "--refresh");
        // Same size, same mtime as the index records: only the content tells.
        await File.WriteAllTextAsync(Path.Combine(repository.Path, "a.txt"), "b", TestContext.Current.CancellationToken);
        File.SetLastWriteTimeUtc(Path.Combine(repository.Path, "a.txt"), future);

        Assert.Null(Check(repository, await HeadTreeAsync(repository)));
    }

    [Fact]
    public async Task Defers_when_a_file_became_executable()
    {
        using var repository = await SettledRepositoryAsync();
        var readme = Path.Combine(repository.Path, "README");
        await ProcessRunner.RunCheckedAsync("chmod", ["u+x", readme]);

        Assert.Null(Check(repository, await HeadTreeAsync(repository)));
        using var reader = GitRepositoryReader.Open(repository.Path);
        Assert.True(reader.IsDirty());
    }
}
