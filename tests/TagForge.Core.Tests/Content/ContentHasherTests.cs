using System.Runtime.Versioning;
using TagForge.Testing;

namespace TagForge.Content;

/// <summary>
/// The content identity against real git repositories: the same in two checkouts of one commit, blind to mtimes and
/// to what the ignore file leaves out, and changed by everything the builder is sent (files git ignores included,
/// modes, links, nested repositories) and every other build input.
/// </summary>
[UnsupportedOSPlatform("windows")]
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
        repository.WriteFile(".gitignore", "dist/\n");
        await repository.CommitAsync("app");
        return repository;
    }

    private static string Hash(TestRepository repository, Func<ContentInput, ContentInput>? change = null) =>
        Hash(Path.Combine(repository.Path, "app"), change);

    private static string Hash(string context, Func<ContentInput, ContentInput>? change = null)
    {
        var input = new ContentInput { ContextPath = context };
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
    public async Task Build_output_that_git_ignores_but_the_builder_receives_changes_the_identity()
    {
        using var repository = await RepositoryAsync();
        repository.WriteFile("app/dist/app.js", "build 1\n");
        var first = Hash(repository);

        repository.WriteFile("app/dist/app.js", "build 2\n");

        Assert.NotEqual(first, Hash(repository));
        Assert.Contains("dist/app.js", ContentHasher.Identify(new ContentInput { ContextPath = Path.Combine(repository.Path, "app") }, null).Manifest, StringComparison.Ordinal);
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
    public async Task The_mode_of_an_uncommitted_file_counts_even_where_git_ignores_modes()
    {
        using var repository = await RepositoryAsync();
        await repository.GitAsync("config", "core.fileMode", "false");
        var before = Hash(repository);

        File.SetUnixFileMode(Path.Combine(repository.Path, "app", "main.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        Assert.NotEqual(before, Hash(repository));
    }

    [Fact]
    public async Task The_git_stat_cache_is_only_a_shortcut_the_same_files_outside_git_hash_alike()
    {
        using var repository = await RepositoryAsync();
        using var copy = new TempDirectory("nogit");
        foreach (var file in Directory.EnumerateFiles(Path.Combine(repository.Path, "app"), "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy.Path, Path.GetRelativePath(Path.Combine(repository.Path, "app"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        Assert.Equal(Hash(repository), Hash(copy.Path));
    }

    [Fact]
    public async Task Checkout_filters_hash_the_bytes_the_builder_sends_not_the_blob()
    {
        using var repository = await TestRepository.InitAsync();
        repository.WriteFile(".gitattributes", "*.txt text eol=crlf\n");
        repository.WriteFile("app/a.txt", "one\ntwo\n");
        await repository.CommitAsync("crlf");
        File.Delete(Path.Combine(repository.Path, "app", "a.txt"));
        await repository.GitAsync("checkout", "--", "app/a.txt");
        Assert.Equal("one\r\ntwo\r\n", File.ReadAllText(Path.Combine(repository.Path, "app", "a.txt")));

        using var copy = new TempDirectory("nogit");
        File.WriteAllText(Path.Combine(copy.Path, "a.txt"), "one\r\ntwo\r\n");

        Assert.Equal(Hash(copy.Path), Hash(Path.Combine(repository.Path, "app")));
    }

    [Fact]
    public async Task Links_are_hashed_as_links_and_a_dangling_untracked_one_is_no_crash()
    {
        using var repository = await RepositoryAsync();
        var link = Path.Combine(repository.Path, "app", "dangling");
        File.CreateSymbolicLink(link, "/nonexistent/target");
        var first = Hash(repository);
        File.Delete(link);
        File.CreateSymbolicLink(link, "/nonexistent/other");

        Assert.NotEqual(first, Hash(repository));
    }

    [Fact]
    public async Task A_nested_repositorys_files_and_a_context_reached_through_a_link_count_like_any_other()
    {
        using var repository = await RepositoryAsync();
        var nested = Path.Combine(repository.Path, "app", "vendor");
        Directory.CreateDirectory(nested);
        File.WriteAllText(Path.Combine(nested, "lib.c"), "1\n");
        await ProcessRunner.RunCheckedAsync("git", ["init", "-q"], nested);
        repository.WriteFile("app/.dockerignore", "*.md\n**/.git\n");
        var first = Hash(repository);
        File.WriteAllText(Path.Combine(nested, "lib.c"), "2\n");
        var second = Hash(repository);
        var link = Path.Combine(repository.Path, "app-link");
        Directory.CreateSymbolicLink(link, "app");

        Assert.NotEqual(first, second);
        Assert.Equal(second, Hash(link));
    }

    [Fact]
    public async Task Editing_the_ignore_file_the_builder_reads_changes_the_identity_and_only_that_one()
    {
        using var repository = await RepositoryAsync();
        repository.WriteFile("docker/app.Dockerfile", "FROM scratch\nCOPY . /\n");
        var dockerfile = Path.Combine(repository.Path, "docker", "app.Dockerfile");
        string HashWith(ContextRules rules) => Hash(repository, i => i with { Dockerfile = dockerfile, Rules = rules });
        var classic = HashWith(ContextRules.Classic);
        var buildKit = HashWith(ContextRules.BuildKit);

        repository.WriteFile("docker/app.Dockerfile.dockerignore", "*.txt\n");

        Assert.Equal(classic, HashWith(ContextRules.Classic)); // the classic builder never reads it
        Assert.NotEqual(buildKit, HashWith(ContextRules.BuildKit));
        repository.WriteFile("app/.dockerignore", "");
        Assert.NotEqual(classic, HashWith(ContextRules.Classic)); // notes.md is sent now
    }

    [Fact]
    public async Task The_dockerfile_every_build_argument_target_platform_and_bases_each_change_the_hash_and_the_rules_alone_do_not()
    {
        using var repository = await RepositoryAsync();
        repository.WriteFile("Dockerfile.outside", "FROM scratch\n");
        var plain = Hash(repository);

        string[] variants =
        [
            Hash(repository, i => i with { Dockerfile = Path.Combine(repository.Path, "Dockerfile.outside") }),
            Hash(repository, i => i with { BuildArgs = ["MODE=fast"] }),
            Hash(repository, i => i with { ExtraBuildArguments = ["--network=host"] }),
            Hash(repository, i => i with { Target = "runtime" }),
            Hash(repository, i => i with { Platform = "linux/arm64" }),
            Hash(repository, i => i with { BaseDigests = new Dictionary<string, string> { ["base"] = "sha256:1" } }),
        ];

        Assert.Equal(variants.Length + 1, variants.Append(plain).Distinct().Count());
        Assert.Equal(plain, Hash(repository));
        // Both builders send the same files here (*.md read alike): one identity, whichever builds.
        Assert.Equal(plain, Hash(repository, i => i with { Rules = ContextRules.Classic }));
    }

    [Fact]
    public async Task A_pattern_the_engine_refuses_is_bad_input_not_a_crash()
    {
        using var repository = await RepositoryAsync();
        repository.WriteFile("app/.dockerignore", "[\n");

        Assert.Throws<Errors.BadInputException>(() => Hash(repository));
    }

    [Fact]
    public async Task Without_an_ignore_file_both_builders_share_one_identity()
    {
        using var repository = await TestRepository.InitAsync();
        repository.WriteFile("Dockerfile", "FROM scratch\nCOPY . /\n");
        repository.WriteFile("a.txt", "a\n");
        await repository.CommitAsync("app");
        var input = new ContentInput { ContextPath = repository.Path };

        var either = ContentHasher.IdentifyForEitherBuilder(input, null).Value;

        Assert.Equal(ContentHasher.Identify(input with { Rules = ContextRules.BuildKit }, null).Value, either);
        Assert.Equal(ContentHasher.Identify(input with { Rules = ContextRules.Classic }, null).Value, either);
    }

    [Theory]
    [InlineData("only-classic.txt")]
    [InlineData("only-buildkit.txt")]
    [InlineData("both.txt")]
    public async Task Where_the_builders_send_different_files_a_change_either_would_see_changes_the_identity(string changed)
    {
        // BuildKit reads Dockerfile.dockerignore instead of .dockerignore; the classic builder reads .dockerignore only.
        using var repository = await TestRepository.InitAsync();
        repository.WriteFile("Dockerfile", "FROM scratch\nCOPY . /\n");
        repository.WriteFile("Dockerfile.dockerignore", "only-classic.txt\n");
        repository.WriteFile(".dockerignore", "only-buildkit.txt\n");
        foreach (var name in new[] { "only-classic.txt", "only-buildkit.txt", "both.txt" })
        {
            repository.WriteFile(name, $"{name}\n");
        }

        await repository.CommitAsync("app");
        var input = new ContentInput { ContextPath = repository.Path, Dockerfile = Path.Combine(repository.Path, "Dockerfile") };
        var before = ContentHasher.IdentifyForEitherBuilder(input, null).Value;
        var buildKitBefore = ContentHasher.Identify(input with { Rules = ContextRules.BuildKit }, null).Value;
        var classicBefore = ContentHasher.Identify(input with { Rules = ContextRules.Classic }, null).Value;

        repository.WriteFile(changed, "changed\n");

        Assert.NotEqual(buildKitBefore, classicBefore);
        Assert.NotEqual(before, ContentHasher.IdentifyForEitherBuilder(input, null).Value);
        // The builder that would see the change sees it; the other is blind to it, which is why neither alone is enough.
        Assert.Equal(changed != "only-classic.txt", buildKitBefore != ContentHasher.Identify(input with { Rules = ContextRules.BuildKit }, null).Value);
        Assert.Equal(changed != "only-buildkit.txt", classicBefore != ContentHasher.Identify(input with { Rules = ContextRules.Classic }, null).Value);
    }
}
