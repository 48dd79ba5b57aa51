using System.Runtime.Versioning;
using TagForge.Testing;

namespace TagForge.Git;

/// <summary>The one stat per entry (Linux's <c>statx</c>) against the managed one it replaces, which stays the fallback.</summary>
[UnsupportedOSPlatform("windows")]
public class FileStatTests
{
    [Fact]
    public void Says_what_the_managed_stat_says_of_a_file_a_directory_and_links_and_more()
    {
        using var directory = new TempDirectory("filestat");
        var file = directory.Write("dir/file.txt", "twelve bytes");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.SetUser);
        var link = directory.Combine("link");
        File.CreateSymbolicLink(link, "dir/file.txt");
        var dangling = directory.Combine("dangling");
        File.CreateSymbolicLink(dangling, "nowhere");

        foreach (var path in new[] { file, directory.Combine("dir"), link, dangling })
        {
            Assert.True(FileStat.TryGet(path, out var native), path);
            Assert.True(FileStat.TryManaged(path, out var managed), path);
            Assert.Equal((managed.Mode, managed.LastWriteUtc), (native.Mode, native.LastWriteUtc));
            if (native.IsRegularFile)
            {
                Assert.Equal(12, native.Size);
                Assert.Equal(managed.Size, native.Size);
            }
        }

        Assert.True(FileStat.TryGet(file, out var stat) && stat.IsRegularFile && stat.HasChangeData && stat.Inode != 0);
        Assert.True(FileStat.TryGet(link, out var linkStat) && linkStat.IsSymbolicLink);
        Assert.False(FileStat.TryGet(directory.Combine("missing"), out _));
        Assert.False(FileStat.TryGet(directory.Combine("dir/file.txt/below"), out _));
        Assert.False(FileStat.TryManaged(directory.Combine("missing"), out _));
    }
}
