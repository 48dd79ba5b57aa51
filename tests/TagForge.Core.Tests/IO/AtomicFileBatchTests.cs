using TagForge.Testing;

namespace TagForge.IO;

/// <summary>Many files written as one batch: each replaced whole, stale temporaries of the files written removed, one sync at the end.</summary>
public sealed class AtomicFileBatchTests
{
    [Fact]
    public async Task Writes_many_files_from_many_threads_and_leaves_no_temporary()
    {
        using var directory = new TempDirectory("batch");
        var paths = Enumerable.Range(0, 500).Select(i => directory.Write(Path.Combine(i % 2 == 0 ? "a" : "b", $"f{i}.yaml"), "old\n")).ToList();
        var batch = new AtomicFileBatch();

        await Task.WhenAll(paths.Chunk(50).Select(chunk => Task.Run(() =>
        {
            foreach (var path in chunk)
            {
                batch.WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes($"new {Path.GetFileName(path)}\n"), path);
            }
        })));
        batch.Sync();

        Assert.All(paths, path => Assert.Equal($"new {Path.GetFileName(path)}\n", File.ReadAllText(path)));
        Assert.Equal([directory.Combine("a"), directory.Combine("b")], batch.Directories.Order(StringComparer.Ordinal));
        Assert.Empty(Directory.GetFiles(directory.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Removes_the_stale_temporaries_of_the_files_it_writes_and_keeps_the_rest()
    {
        using var directory = new TempDirectory("batch");
        var written = directory.Write("a.yaml", "old\n");
        directory.Write("b.yaml", "old\n");
        var stale = directory.Write($".a.yaml.{Guid.NewGuid():N}.tmp", "half");
        var otherStale = directory.Write($".b.yaml.{Guid.NewGuid():N}.tmp", "not this batch's file");
        var fresh = directory.Write($".a.yaml.{Guid.NewGuid():N}.tmp", "a writer is at work");
        foreach (var file in new[] { stale, otherStale })
        {
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow - AtomicFile.StaleAfter - TimeSpan.FromSeconds(1));
        }

        var batch = new AtomicFileBatch();
        batch.WriteAllBytes(written, "new\n"u8, "a.yaml");
        batch.Sync();

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(otherStale));
        Assert.True(File.Exists(fresh));
        Assert.Equal("new\n", File.ReadAllText(written));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Keeps_a_0600_file_0600_like_a_single_write()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        using var directory = new TempDirectory("batch");
        var path = directory.Write("secret.yaml", "old\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var batch = new AtomicFileBatch();
        batch.WriteAllBytes(path, "new\n"u8, "secret.yaml");
        batch.Sync();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }
}
