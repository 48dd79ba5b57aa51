using System.Globalization;

namespace TagForge.Testing;

/// <summary>
/// A real git repository in a temp folder, driven by the git CLI. Commits get fixed, increasing times so tests
/// are reproducible; user, email and signing are set per repository, as MinVer's tests do.
/// </summary>
public sealed class TestRepository : IDisposable
{
    private readonly TempDirectory _directory;
    private DateTimeOffset _nextCommitTime = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private TestRepository(TempDirectory directory) => _directory = directory;

    public string Path => _directory.Path;

    public static async Task<TestRepository> InitAsync(string branch = "main")
    {
        var repository = new TestRepository(new TempDirectory("repo"));
        await repository.GitAsync("init", "--quiet", "--initial-branch", branch);
        await repository.GitAsync("config", "user.email", "test@tagforge.invalid");
        await repository.GitAsync("config", "user.name", "TagForge Tests");
        await repository.GitAsync("config", "commit.gpgsign", "false");
        await repository.GitAsync("config", "tag.gpgsign", "false");
        return repository;
    }

    /// <summary>Clones <paramref name="source"/> with <c>--depth</c> over file:// (what CI checkouts do).</summary>
    public static async Task<TestRepository> CloneShallowAsync(TestRepository source, int depth = 1, string? branch = null)
    {
        var repository = new TestRepository(new TempDirectory("shallow"));
        List<string> arguments = ["clone", "--quiet", "--depth", depth.ToString(CultureInfo.InvariantCulture)];
        if (branch is not null)
        {
            arguments.AddRange(["--branch", branch]);
        }

        arguments.AddRange([$"file://{source.Path}", repository.Path]);
        await ProcessRunner.RunCheckedAsync("git", arguments);
        return repository;
    }

    public string WriteFile(string relativePath, string content) => _directory.Write(relativePath, content);

    /// <summary>Writes a file, stages everything and commits; returns the new commit's sha.</summary>
    public async Task<string> CommitAsync(string message = "change", DateTimeOffset? time = null)
    {
        var when = time ?? _nextCommitTime;
        _nextCommitTime = when.AddMinutes(1);
        // A file per commit, so commits on two branches merge without conflicts.
        WriteFile($"commits/{Guid.NewGuid():N}.txt", message + "\n");
        await GitAsync("add", "--all");
        var stamp = when.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
        await GitAsync(
            new Dictionary<string, string?> { ["GIT_AUTHOR_DATE"] = stamp, ["GIT_COMMITTER_DATE"] = stamp },
            "commit", "--quiet", "--message", message);
        return await HeadAsync();
    }

    public async Task<string> HeadAsync() => (await GitAsync("rev-parse", "HEAD")).Trim();

    public Task TagAsync(string name, bool annotated = false) =>
        annotated ? GitAsync("tag", "--annotate", name, "--message", name) : GitAsync("tag", name);

    public Task CheckoutAsync(string revision) => GitAsync("checkout", "--quiet", revision);

    public Task CreateBranchAsync(string name) => GitAsync("checkout", "--quiet", "-b", name);

    public Task<string> GitAsync(params string[] arguments) => GitAsync(null, arguments);

    public async Task<string> GitAsync(IReadOnlyDictionary<string, string?>? environment, params string[] arguments) =>
        (await ProcessRunner.RunCheckedAsync("git", arguments, Path, environment)).StandardOutput;

    public void Dispose() => _directory.Dispose();
}
