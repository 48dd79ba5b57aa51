using TagForge.Testing;

namespace TagForge.IO;

/// <summary>The direct system calls pin reads with: the same bytes as .NET's reader, or "could not" so that .NET's reader says why.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LinuxFilesTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(400)]
    [InlineData(4096)]
    [InlineData(65_537)]
    [InlineData(3_000_001)]
    public void Reads_a_regular_file_byte_for_byte_as_dotnet_does(int size)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Linux system calls");
        using var directory = new TempDirectory("linuxread");
        var path = directory.Combine("file.yaml");
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);

        Assert.Equal(File.ReadAllBytes(path), LinuxFiles.TryReadAll(path));
    }

    [Fact]
    public void Leaves_to_dotnet_what_it_cannot_read_whole_in_one_go()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Linux system calls");
        using var directory = new TempDirectory("linuxread");
        var empty = directory.Write("empty.yaml", "");
        var subdirectory = directory.Combine("sub.yaml");
        Directory.CreateDirectory(subdirectory);

        Assert.Null(LinuxFiles.TryReadAll(empty));
        Assert.Null(LinuxFiles.TryReadAll(subdirectory));
        Assert.Null(LinuxFiles.TryReadAll(directory.Combine("missing.yaml")));

        // A /proc file says it has no size: read by .NET, which reads to the end.
        Assert.Null(LinuxFiles.TryReadAll("/proc/self/status"));
    }

    [Fact]
    public void Follows_a_link_when_reading_and_not_when_asked_about_the_link()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Linux system calls");
        using var directory = new TempDirectory("linuxread");
        var target = directory.Write("real.yaml", "content\n");
        var link = directory.Combine("link.yaml");
        File.CreateSymbolicLink(link, target);

        Assert.Equal("content\n"u8.ToArray(), LinuxFiles.TryReadAll(link));
        Assert.True(LinuxFiles.StatNoFollow(target)?.IsRegularFile);
        Assert.False(LinuxFiles.StatNoFollow(link)?.IsRegularFile);
        Assert.Null(LinuxFiles.StatNoFollow(directory.Combine("missing.yaml")));
    }

    [Fact]
    public void Knows_the_umask_the_process_runs_with()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Linux system calls");
        using var directory = new TempDirectory("linuxumask");
        var path = directory.Combine("probe");
        using (new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = (UnixFileMode)0b111_111_111 }))
        {
        }

        Assert.Equal(0b111_111_111u & ~LinuxFiles.Umask!.Value, (uint)File.GetUnixFileMode(path));
    }
}
