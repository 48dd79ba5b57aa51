using TagForge.Errors;
using TagForge.Testing;

namespace TagForge.Records;

/// <summary>Merging into a record file on the real file system, with real concurrent writers.</summary>
public class BuildRecordStoreTests
{
    private static ImageRecord Entry(string repository, string tag = "v1") => new(
        repository, tag, "sha256:" + new string('a', 64), $"{repository}@sha256:{new string('a', 64)}", null, [tag], null,
        new GitRecord(new string('1', 40), "main", false), new BuildInfoRecord("local", "local", null), DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task Concurrent_writers_never_lose_an_entry()
    {
        using var directory = new TempDirectory("store");
        var path = directory.Combine("tagforge.json");

        await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(() => BuildRecordStore.MergeAsync(path, Entry($"registry.example.com/team/app{i}"), TestContext.Current.CancellationToken))));

        Assert.Equal(24, BuildRecordFile.Read(path).Images.Count);
    }

    [Fact]
    public async Task Replaces_the_entry_of_the_same_repository()
    {
        using var directory = new TempDirectory("store");
        var path = directory.Combine("tagforge.json");

        await BuildRecordStore.MergeAsync(path, Entry("registry.example.com/team/app", "v1"), TestContext.Current.CancellationToken);
        await BuildRecordStore.MergeAsync(path, Entry("registry.example.com/team/other", "v1"), TestContext.Current.CancellationToken);
        await BuildRecordStore.MergeAsync(path, Entry("registry.example.com/team/app", "v2"), TestContext.Current.CancellationToken);

        var record = BuildRecordFile.Read(path);
        Assert.Equal(2, record.Images.Count);
        Assert.Equal("v2", record.Find("registry.example.com/team/app")?.Tag);
    }

    [Fact]
    public async Task Never_overwrites_a_corrupt_record()
    {
        using var directory = new TempDirectory("store");
        var path = directory.Write("tagforge.json", "[1, 2");

        await Assert.ThrowsAsync<BadInputException>(() => BuildRecordStore.MergeAsync(path, Entry("registry.example.com/team/app"), TestContext.Current.CancellationToken));

        Assert.Equal("[1, 2", File.ReadAllText(path));
    }

    [Fact]
    public async Task The_check_before_a_release_hands_back_the_record_it_read_so_nobody_reads_it_twice()
    {
        using var directory = new TempDirectory("store");
        var path = directory.Combine("tagforge.json");
        Assert.Empty(BuildRecordStore.CheckWritable(path).Images);

        await BuildRecordStore.MergeAsync(path, Entry("registry.example.com/team/app", "v7"), TestContext.Current.CancellationToken);

        var checkedRecord = BuildRecordStore.CheckWritable(path);
        Assert.Equal(BuildRecordFile.Serialize(BuildRecordFile.Read(path)), BuildRecordFile.Serialize(checkedRecord));
        Assert.Equal("v7", checkedRecord.Find("registry.example.com/team/app")?.Tag);
    }
}
