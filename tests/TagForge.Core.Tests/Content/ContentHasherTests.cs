using TagForge.Errors;
using TagForge.Testing;

namespace TagForge.Content;

/// <summary>
/// The {content} hash against real git repositories: the same in two checkouts of one commit, blind to mtimes and to
/// what .dockerignore leaves out, and changed by everything that goes into the image (files, uncommitted changes,
/// the Dockerfile, build arguments, target, platform, bases).
/// </summary>
public class ContentHasherTests
{
    private static async Task<TestRepository> RepositoryAsync()
    {
        var repository = await TestRepository.InitAsync();
        repository.WriteFile("app/Dockerfile", "FROM scratch\nCOPY . /\n");
        repository.WriteFile("app/main.txt", "hello\n");
        repository.WriteFile("app/src/lib.txt", "lib\n");
        repository.WriteFile("app/notes.md", "notes\n");
        repository.WriteFile("app/.dockerignore", "*.md\n");
        repository.WriteFile("other/file.txt", "other\n");
        await repository.CommitAsync("app");
        return repository;
    }

    private static string Hash(TestRepository repository, Func<ContentInput, ContentInput>? change = null)
    {
        var input = new ContentInput { ContextPath = Path.Combine(repository.Path, "app") };
        return ContentHasher.Compute(change?.Invoke(input) ?? input);
    }

    [Fact]
    public async Task Two_checkouts_of_one_commit_in_different_directories_hash_alike_whatever_the_mtimes()
    {
        using var repository = await RepositoryAsync();
        using var clone = await TestRepository.CloneShallowAsync(repository);
        File.SetLastWriteTimeUtc(Path.Combine(clone.Path, "app", "main.txt"), new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        var original = Hash(repository);

        Assert.Matches("^[0-9a-f]{64}$", original);
        Assert.NotEqual(repository.Path, clone.Path);
        Assert.Equal(original, Hash(clone));
    }

    [Fact]
    public async Task Files_outside_the_context_or_left_out_by_dockerignore_do_not_count()
    {
        using var repository = await RepositoryAsync();
        var before = Hash(repository);

        repository.WriteFile("other/file.txt", "changed\n");
        repository.WriteFile("app/notes.md", "changed notes\n");
        repository.WriteFile("app/new.md", "untracked but ignored\n");

        Assert.Equal(before, Hash(repository));
    }

    [Fact]
    public async Task A_dirty_context_never_hashes_like_the_clean_one()
    {
        using var repository = await RepositoryAsync();
        var clean = Hash(repository);

        repository.WriteFile("app/main.txt", "edited\n");
        var modified = Hash(repository);
        repository.WriteFile("app/main.txt", "hello\n");
        repository.WriteFile("app/src/extra.txt", "untracked\n");
        var untracked = Hash(repository);
        File.Delete(Path.Combine(repository.Path, "app", "src", "extra.txt"));
        File.Delete(Path.Combine(repository.Path, "app", "src", "lib.txt"));
        var deleted = Hash(repository);

        Assert.Equal(4, new HashSet<string> { clean, modified, untracked, deleted }.Count);
    }

    [Fact]
    public async Task A_committed_change_in_the_context_changes_the_hash()
    {
        using var repository = await RepositoryAsync();
        var before = Hash(repository);
        repository.WriteFile("app/src/lib.txt", "lib 2\n");
        await repository.CommitAsync("lib 2");

        Assert.NotEqual(before, Hash(repository));
    }

    [Fact]
    public async Task The_dockerfile_build_args_target_platform_and_bases_each_change_the_hash()
    {
        using var repository = await RepositoryAsync();
        repository.WriteFile("Dockerfile.outside", "FROM scratch\n");
        var plain = Hash(repository);

        string[] variants =
        [
            Hash(repository, i => i with { Dockerfile = Path.Combine(repository.Path, "Dockerfile.outside") }),
            Hash(repository, i => i with { BuildArgs = ["MODE=fast"] }),
            Hash(repository, i => i with { Target = "runtime" }),
            Hash(repository, i => i with { Platform = "linux/arm64" }),
            Hash(repository, i => i with { BaseDigests = new Dictionary<string, string> { ["base"] = "sha256:1" } }),
        ];

        Assert.Equal(variants.Length + 1, variants.Append(plain).Distinct().Count());
        Assert.Equal(plain, Hash(repository));
    }

    [Fact]
    public void A_context_outside_git_is_refused()
    {
        using var directory = new TempDirectory("nogit");
        var error = Assert.Throws<BadInputException>(() => ContentHasher.Compute(new ContentInput { ContextPath = directory.Path }));
        Assert.Contains("is not inside a git repository", error.Message, StringComparison.Ordinal);
    }
}
