using TagForge.Testing;

namespace TagForge.Git;

/// <summary>Reading HEAD and its tree from the .git directory, checked against the git CLI on real repositories in each storage layout.</summary>
public class GitDirectoryReaderTests
{
    private static async Task<TestRepository> RepositoryWithHistoryAsync()
    {
        var repository = await TestRepository.InitAsync();
        await repository.CommitAsync("one");
        await repository.CommitAsync("two");
        return repository;
    }

    private static async Task AssertMatchesGitAsync(TestRepository repository, string path, string? expectedBranch)
    {
        var reader = GitDirectoryReader.Open(path);
        Assert.NotNull(reader);

        var head = reader.TryReadHead();

        Assert.NotNull(head);
        Assert.Equal((await repository.GitAsync("-C", path, "rev-parse", "HEAD")).Trim(), head.Sha);
        Assert.Equal(expectedBranch, head.Branch);
        Assert.Equal((await repository.GitAsync("-C", path, "rev-parse", "HEAD^{tree}")).Trim(), reader.TryReadTree(head.Sha));
    }

    [Fact]
    public async Task Reads_loose_refs_and_loose_objects()
    {
        using var repository = await RepositoryWithHistoryAsync();

        Assert.True(File.Exists(Path.Combine(repository.Path, ".git", "refs", "heads", "main")));
        await AssertMatchesGitAsync(repository, repository.Path, "main");
    }

    [Fact]
    public async Task Reads_packed_refs_and_packed_objects_after_gc()
    {
        using var repository = await RepositoryWithHistoryAsync();
        await repository.CreateBranchAsync("feature/JIRA-1");
        await repository.CommitAsync("three");
        await repository.GitAsync("gc", "--quiet", "--prune=now");

        Assert.False(File.Exists(Path.Combine(repository.Path, ".git", "refs", "heads", "feature", "JIRA-1")));
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(repository.Path, ".git", "objects"), "??"));
        await AssertMatchesGitAsync(repository, repository.Path, "feature/JIRA-1");
    }

    [Fact]
    public async Task Reports_no_branch_for_a_detached_head()
    {
        using var repository = await RepositoryWithHistoryAsync();
        var first = (await repository.GitAsync("rev-parse", "HEAD~1")).Trim();
        await repository.CheckoutAsync(first);

        await AssertMatchesGitAsync(repository, repository.Path, null);
    }

    [Fact]
    public async Task Reads_a_worktree_through_its_gitdir_file_and_commondir()
    {
        using var repository = await RepositoryWithHistoryAsync();
        using var worktrees = new TempDirectory("worktree");
        var worktree = Path.Combine(worktrees.Path, "other");
        await repository.GitAsync("worktree", "add", "--quiet", "-b", "other", worktree, "HEAD~1");

        await AssertMatchesGitAsync(repository, worktree, "other");
        Assert.NotEqual(GitDirectoryReader.Open(worktree)!.GitDirectory, GitDirectoryReader.Open(worktree)!.CommonDirectory);
    }

    [Fact]
    public async Task Leaves_an_unborn_branch_to_libgit2()
    {
        using var repository = await TestRepository.InitAsync();

        Assert.Null(GitDirectoryReader.Open(repository.Path)!.TryReadHead());
        using var reader = GitRepositoryReader.Open(repository.Path);
        var error = Assert.Throws<Errors.BadInputException>(reader.ReadHead);
        Assert.Contains("no commits yet", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leaves_a_commit_it_cannot_find_to_libgit2()
    {
        using var repository = await RepositoryWithHistoryAsync();

        Assert.Null(GitDirectoryReader.Open(repository.Path)!.TryReadTree(new string('a', 40)));
    }

    [Fact]
    public async Task Sees_a_shallow_clone()
    {
        using var source = await RepositoryWithHistoryAsync();
        using var shallow = await TestRepository.CloneShallowAsync(source);

        var head = GitDirectoryReader.Open(shallow.Path)!.TryReadHead();

        Assert.NotNull(head);
        Assert.True(head.IsShallow);
        Assert.False(GitDirectoryReader.Open(source.Path)!.TryReadHead()!.IsShallow);
    }

    [Fact]
    public async Task Agrees_with_libgit2_on_head_and_dirtiness()
    {
        using var repository = await RepositoryWithHistoryAsync();
        await repository.GitAsync("gc", "--quiet");
        var sha = await repository.HeadAsync();

        using (var reader = GitRepositoryReader.Open(repository.Path))
        {
            Assert.Equal(new GitHead(sha, "main", false), reader.ReadHead());
        }

        var tracked = Directory.EnumerateFiles(Path.Combine(repository.Path, "commits")).First();
        await File.AppendAllTextAsync(tracked, "changed\n", TestContext.Current.CancellationToken);
        using (var reader = GitRepositoryReader.Open(repository.Path))
        {
            Assert.True(reader.IsDirty());
        }
    }
}
