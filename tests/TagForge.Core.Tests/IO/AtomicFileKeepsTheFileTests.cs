using TagForge.Errors;
using TagForge.Testing;

namespace TagForge.IO;

/// <summary>
/// A rewritten file is the same file with new content: mode, owner and group, a symbolic link, a read-only mark all
/// stay; the temporary files a killed writer left are cleaned up, a live writer's never.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class AtomicFileKeepsTheFileTests
{
    private const UnixFileMode Mode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Mode0755 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    [Fact]
    public void A_0600_file_stays_0600()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        using var directory = new TempDirectory();
        var path = directory.Write("secrets.yaml", "old\n");
        File.SetUnixFileMode(path, Mode0600);

        AtomicFile.WriteAllText(path, "new\n");

        Assert.Equal("new\n", File.ReadAllText(path));
        Assert.Equal(Mode0600, File.GetUnixFileMode(path));
    }

    [Fact]
    public void A_0755_script_keeps_its_executable_bits()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        using var directory = new TempDirectory();
        var path = directory.Write("deploy.sh", "#!/bin/sh\n");
        File.SetUnixFileMode(path, Mode0755);

        AtomicFile.WriteAllText(path, "#!/bin/sh\necho new\n");

        Assert.Equal(Mode0755, File.GetUnixFileMode(path));
    }

    [Fact]
    public void A_new_file_gets_the_default_mode_not_owner_only()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        using var directory = new TempDirectory();
        var reference = directory.Write("reference", "");
        var path = directory.Combine("IMAGE.TAG");

        AtomicFile.WriteAllText(path, "v1\n");

        Assert.Equal(File.GetUnixFileMode(reference), File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task A_file_owned_by_another_user_keeps_its_owner_and_group()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() && Environment.UserName == "root", "only root may give a file to another user");
        using var directory = new TempDirectory();
        var path = directory.Write("deployment.yaml", "old\n");
        Assert.Equal(0, (await ProcessRunner.RunAsync("chown", ["1234:2345", path], cancellationToken: TestContext.Current.CancellationToken)).ExitCode);

        AtomicFile.WriteAllText(path, "new\n");

        var owner = await ProcessRunner.RunAsync("stat", ["-c", "%u:%g", path], cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("1234:2345", owner.StandardOutput.Trim());
        Assert.Equal("new\n", File.ReadAllText(path));
    }

    [Fact]
    public void A_symbolic_link_stays_a_link_and_its_target_gets_the_content()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "symbolic links need privileges on Windows");
        using var directory = new TempDirectory();
        var target = directory.Write("shared/deployment.yaml", "image: app:1\n");
        var link = directory.Combine("deployment.yaml");
        File.CreateSymbolicLink(link, Path.Combine("shared", "deployment.yaml"));

        AtomicFile.WriteAllText(link, "image: app@sha256:abc\n");

        Assert.Equal(Path.Combine("shared", "deployment.yaml"), new FileInfo(link).LinkTarget);
        Assert.Equal("image: app@sha256:abc\n", File.ReadAllText(target));
        Assert.Equal([link], Directory.GetFiles(directory.Path));
        Assert.Equal([target], Directory.GetFiles(Path.GetDirectoryName(target)!));
    }

    [Fact]
    public void A_chain_of_links_is_followed_to_its_end()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "symbolic links need privileges on Windows");
        using var directory = new TempDirectory();
        var target = directory.Write("real.yaml", "old\n");
        File.CreateSymbolicLink(directory.Combine("middle.yaml"), target);
        File.CreateSymbolicLink(directory.Combine("first.yaml"), directory.Combine("middle.yaml"));

        AtomicFile.WriteAllText(directory.Combine("first.yaml"), "new\n");

        Assert.Equal("new\n", File.ReadAllText(target));
        Assert.NotNull(new FileInfo(directory.Combine("first.yaml")).LinkTarget);
        Assert.NotNull(new FileInfo(directory.Combine("middle.yaml")).LinkTarget);
    }

    [Fact]
    public void A_read_only_file_is_refused_and_left_alone()
    {
        using var directory = new TempDirectory();
        var path = directory.Write("deployment.yaml", "old\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var error = Assert.Throws<BadInputException>(() => AtomicFile.WriteAllBytes(path, "new\n"u8, "deployment.yaml"));

        Assert.Equal(ExitCode.BadInput, error.ExitCode);
        Assert.Equal("cannot write deployment.yaml: it is read-only; make it writable first", error.Message);
        Assert.Equal("old\n", File.ReadAllText(path));
    }

    [Fact]
    public void A_read_only_link_target_is_refused()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "symbolic links need privileges on Windows");
        using var directory = new TempDirectory();
        var target = directory.Write("real.yaml", "old\n");
        File.SetUnixFileMode(target, UnixFileMode.UserRead);
        File.CreateSymbolicLink(directory.Combine("link.yaml"), target);

        Assert.Throws<BadInputException>(() => AtomicFile.WriteAllText(directory.Combine("link.yaml"), "new\n"));
        Assert.Equal("old\n", File.ReadAllText(target));
    }

    [Fact]
    public void A_stale_temporary_file_of_a_killed_writer_is_removed()
    {
        using var directory = new TempDirectory();
        var path = directory.Write("deployment.yaml", "old\n");
        var stale = directory.Write($".deployment.yaml.{Guid.NewGuid():N}.tmp", "half");
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow - AtomicFile.StaleAfter - TimeSpan.FromSeconds(1));

        AtomicFile.WriteAllText(path, "new\n");

        Assert.Equal([path], Directory.GetFiles(directory.Path));
    }

    [Fact]
    public void A_fresh_temporary_file_and_other_files_temporaries_are_kept()
    {
        using var directory = new TempDirectory();
        var path = directory.Write("deployment.yaml", "old\n");
        var fresh = directory.Write($".deployment.yaml.{Guid.NewGuid():N}.tmp", "a writer is at work");
        var other = directory.Write($".other.yaml.{Guid.NewGuid():N}.tmp", "not ours");
        var foreign = directory.Write(".deployment.yaml.notaguid.tmp", "not TagForge's");
        foreach (var file in new[] { other, foreign })
        {
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow - TimeSpan.FromHours(1));
        }

        AtomicFile.WriteAllText(path, "new\n");

        Assert.True(File.Exists(fresh));
        Assert.True(File.Exists(other));
        Assert.True(File.Exists(foreign));
    }

    [Fact]
    public void An_old_temporary_file_a_live_writer_holds_is_kept()
    {
        using var directory = new TempDirectory();
        var path = directory.Write("deployment.yaml", "old\n");
        var held = directory.Write($".deployment.yaml.{Guid.NewGuid():N}.tmp", "a stalled writer");
        File.SetLastWriteTimeUtc(held, DateTime.UtcNow - TimeSpan.FromHours(1));
        using (new FileStream(held, FileMode.Open, FileAccess.Write, FileShare.None))
        {
            AtomicFile.WriteAllText(path, "new\n");
        }

        Assert.True(File.Exists(held));
        Assert.Equal("new\n", File.ReadAllText(path));
    }

    [Fact]
    public void A_loop_of_links_is_one_line_bad_input()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "symbolic links need privileges on Windows");
        using var directory = new TempDirectory();
        File.CreateSymbolicLink(directory.Combine("a.yaml"), directory.Combine("b.yaml"));
        File.CreateSymbolicLink(directory.Combine("b.yaml"), directory.Combine("a.yaml"));

        var error = Assert.Throws<BadInputException>(() => AtomicFile.WriteAllBytes(directory.Combine("a.yaml"), "x"u8, "a.yaml"));

        Assert.StartsWith("cannot write a.yaml: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sixteen_concurrent_writers_of_one_file_leave_one_whole_version_and_no_temporaries()
    {
        using var directory = new TempDirectory();
        var path = directory.Write("deployment.yaml", "old\n");
        var versions = Enumerable.Range(0, 16).Select(i => new string((char)('a' + i), 200_000) + "\n").ToArray();

        await Task.WhenAll(versions.Select(version => Task.Run(() =>
        {
            for (var round = 0; round < 10; round++)
            {
                AtomicFile.WriteAllText(path, version);
            }
        })));

        Assert.Contains(File.ReadAllText(path), versions);
        Assert.Equal([path], Directory.GetFiles(directory.Path));
    }

    [Fact]
    public async Task Readers_of_a_file_being_rewritten_never_find_it_locked()
    {
        // A writer that kept its handle (and .NET's flock) across the rename held the new file locked for a moment:
        // a concurrent reader failed with "being used by another process".
        using var directory = new TempDirectory();
        var path = directory.Write("deployment.yaml", "old\n");
        var writers = Enumerable.Range(0, 4).Select(i => Task.Run(() =>
        {
            for (var round = 0; round < 300; round++)
            {
                AtomicFile.WriteAllText(path, $"version {i}.{round}\n");
            }
        })).ToList();
        var done = Task.WhenAll(writers);
        var reads = 0;
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            while (!done.IsCompleted)
            {
                Assert.StartsWith("version ", File.ReadAllText(path).Replace("old", "version ", StringComparison.Ordinal), StringComparison.Ordinal);
                Interlocked.Increment(ref reads);
            }
        })).ToList();

        await Task.WhenAll([done, .. readers]);

        Assert.True(reads > 0);
    }

    [Fact]
    public void IsTemporaryOf_knows_exactly_its_own_names()
    {
        var guid = Guid.NewGuid().ToString("N");
        Assert.True(AtomicFile.IsTemporaryOf($".a.yaml.{guid}.tmp", "a.yaml"));
        Assert.False(AtomicFile.IsTemporaryOf($".b.yaml.{guid}.tmp", "a.yaml"));
        Assert.False(AtomicFile.IsTemporaryOf($".a.yaml.{guid.ToUpperInvariant()}.tmp", "a.yaml"));
        Assert.False(AtomicFile.IsTemporaryOf($".a.yaml.{guid}x.tmp", "a.yaml"));
        Assert.False(AtomicFile.IsTemporaryOf($"a.yaml.{guid}.tmp", "a.yaml"));
        Assert.False(AtomicFile.IsTemporaryOf(".x.tmp", "a.yaml"));
    }
}
