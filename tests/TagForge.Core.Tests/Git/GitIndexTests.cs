using System.Runtime.Versioning;
using TagForge.Testing;

namespace TagForge.Git;

/// <summary>The one reader of git's index against what git itself says of it (<c>git ls-files --stage --debug</c>).</summary>
[UnsupportedOSPlatform("windows")]
public class GitIndexTests
{
    private static async Task<TestRepository> RepositoryAsync()
    {
        var repository = await TestRepository.InitAsync();
        repository.WriteFile("a.txt", "aaaa\n");
        repository.WriteFile("dir/b.txt", "bbbb\n");
        repository.WriteFile("dir/sub/c with space.txt", "cccc\n");
        repository.WriteFile("dir/sub/ünïcode.txt", "dddd\n");
        for (var i = 0; i < 40; i++)
        {
            repository.WriteFile($"bulk/{i % 3}/file-with-a-longish-name-{i}.txt", $"{i}\n");
        }

        await repository.CommitAsync();
        return repository;
    }

    private static string GitDirectory(TestRepository repository) => Path.Combine(repository.Path, ".git");

    /// <summary>Each stage-0 path and its blob id, as <c>git ls-files --stage</c> prints them.</summary>
    private static async Task<List<string>> GitsViewAsync(TestRepository repository) =>
        [.. (await repository.GitAsync("-c", "core.quotePath=false", "ls-files", "--stage"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 3)[1] + " " + line.Split('\t', 2)[1])];

    private static List<string> OurView(GitIndex index)
    {
        var view = new List<string>();
        foreach (ref readonly var entry in index.Entries)
        {
            view.Add(Convert.ToHexStringLower(index.ObjectId(entry)) + " " + entry.Path);
        }

        return view;
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Reads_every_entry_of_each_index_version_as_git_does(int version)
    {
        using var repository = await RepositoryAsync();
        await repository.GitAsync("update-index", "--index-version", version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (version == 3)
        {
            repository.WriteFile("dir/intent.txt", "added with -N\n");
            await repository.GitAsync("add", "-N", "dir/intent.txt"); // an extended flag: written as version 3
        }

        var index = GitIndex.Read(GitDirectory(repository));

        Assert.NotNull(index);
        Assert.Equal(await GitsViewAsync(repository), OurView(index));
        if (version != 3)
        {
            Assert.Equal((await repository.GitAsync("rev-parse", "HEAD^{tree}")).Trim(), index.RootTree);
        }

        Assert.True(index.Contains("dir/sub/ünïcode.txt"));
        Assert.False(index.Contains("dir/sub"));
    }

    [Fact]
    public async Task A_split_index_is_not_read_because_its_entries_are_not_the_whole_story()
    {
        using var repository = await RepositoryAsync();
        await repository.GitAsync("update-index", "--split-index");

        Assert.Null(GitIndex.Read(GitDirectory(repository)));
    }

    [Fact]
    public async Task Vouches_for_a_settled_file_only_while_its_stat_matches_and_never_for_a_racy_one()
    {
        using var repository = await TestRepository.InitAsync();
        var file = repository.WriteFile("a.txt", "aaaa\n");
        await repository.CommitAsync();
        var blob = (await repository.GitAsync("rev-parse", ":a.txt")).Trim();
        var index = Path.Combine(GitDirectory(repository), "index");
        var recorded = DateTime.UtcNow.AddMinutes(-10);
        File.SetLastWriteTimeUtc(file, recorded);
        await repository.GitAsync("update-index", "--refresh");
        Assert.True(FileStat.TryGet(file, out var stat));

        // Written after the file: the stat proves the bytes.
        File.SetLastWriteTimeUtc(index, recorded.AddSeconds(1));
        Assert.Equal(blob, GitIndex.Read(GitDirectory(repository))!.CleanBlobId("a.txt", stat));

        // Written in the same instant as the file was last changed: racily clean, the stat proves nothing.
        File.SetLastWriteTimeUtc(index, recorded);
        Assert.Null(GitIndex.Read(GitDirectory(repository))!.CleanBlobId("a.txt", stat));

        // Any difference in what git caches: no blob id.
        File.SetLastWriteTimeUtc(index, recorded.AddSeconds(1));
        var settled = GitIndex.Read(GitDirectory(repository))!;
        Assert.Null(settled.CleanBlobId("a.txt", stat with { MtimeNanoseconds = stat.MtimeNanoseconds + 100 }));
        Assert.Null(settled.CleanBlobId("a.txt", stat with { Size = stat.Size + 1 }));
        Assert.Null(settled.CleanBlobId("a.txt", stat with { CtimeNanoseconds = stat.CtimeNanoseconds + 1 }));
        Assert.Null(settled.CleanBlobId("a.txt", stat with { Inode = stat.Inode + 1 }));
        Assert.Null(settled.CleanBlobId("b.txt", stat));
    }

    [Fact]
    public async Task Never_vouches_for_an_intent_to_add_entry_whose_blob_id_is_the_empty_blobs_whatever_the_file_holds()
    {
        using var repository = await TestRepository.InitAsync();
        await repository.CommitAsync();
        repository.WriteFile("new.txt", "not empty\n");
        await repository.GitAsync("add", "-N", "new.txt");
        var index = GitIndex.Read(GitDirectory(repository))!;
        var entry = index.Entries.ToArray().Single(e => e.Path == "new.txt");
        Assert.True(entry.IntentToAdd);

        // Even a stat equal to the entry's in every field (git writes zeros for it; other writers need not).
        var equal = new FileStat(0x8000 | 0x1A4, entry.Size, entry.MtimeSeconds, entry.MtimeNanoseconds, entry.CtimeSeconds, entry.CtimeNanoseconds, entry.Inode, true);

        Assert.True(index.Contains("new.txt"));
        Assert.Null(index.CleanBlobId("new.txt", equal));
    }
}
