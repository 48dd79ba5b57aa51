using TagForge.Errors;
using TagForge.Testing;

namespace TagForge.IO;

/// <summary>
/// A batch write (pin's) keeps the file what it was apart from its content, as a single write does, although on
/// Linux it skips fchown and fchmod when the new file has the old owner, group and mode already: every mode, another
/// owner, a set-group-ID directory, a link, a read-only file, a file replaced after it was read. The owner and mode
/// are checked with stat(1), not with the code under test.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AtomicFileBatchKeepsTheFileTests
{
    public static TheoryData<int> Modes => new(
        [
            0b110_000_000, // 0600: never readable by others, not even for a moment
            0b110_100_100, // 0644: the umask's default
            0b110_110_110, // 0666: wider than the umask allows a new file, so the mode must be set
            0b111_101_101, // 0755: a script keeps its x bits
            0b110_100_000, // 0640
            0b110_110_000, // 0660
            0b100_111_101_101, // 04755: set-user-ID
            0b010_111_101_101, // 02755: set-group-ID
            0b001_110_110_110, // 01666: sticky
        ]);

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Every_mode_stays_as_it_was(int mode)
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        using var directory = new TempDirectory("batchmode");
        var path = directory.Write("deployment.yaml", "old\n");
        File.SetUnixFileMode(path, (UnixFileMode)mode);
        var before = await Stat(path);

        Write(path, "new\n");

        Assert.Equal("new\n", File.ReadAllText(path));
        Assert.Equal(before, await Stat(path));
        Assert.Equal(Convert.ToString(mode, 8), (await Stat(path)).Split(' ')[0]);
    }

    [Fact]
    public async Task A_file_owned_by_another_user_keeps_its_owner_group_and_mode()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() && Environment.UserName == "root", "only root may give a file to another user");
        using var directory = new TempDirectory("batchowner");
        var path = directory.Write("deployment.yaml", "old\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_000);
        await Run("chown", "1234:2345", path);

        Write(path, "new\n");

        Assert.Equal("640 1234 2345", await Stat(path));
        Assert.Equal("new\n", File.ReadAllText(path));
    }

    [Fact]
    public async Task A_file_of_another_group_in_a_set_group_id_directory_keeps_its_group()
    {
        // A new file in a set-group-ID directory takes the directory's group, not the process's: the batch must
        // compare the old group with that one to know whether it has to set it.
        Assert.SkipUnless(OperatingSystem.IsLinux() && Environment.UserName == "root", "only root may give a directory to another group");
        using var directory = new TempDirectory("batchsgid");
        var shared = directory.Combine("shared");
        Directory.CreateDirectory(shared);
        await Run("chown", ":2345", shared);
        await Run("chmod", "g+s", shared);
        var ofTheDirectory = directory.Write("shared/a.yaml", "old\n");
        var ofRoot = directory.Write("shared/b.yaml", "old\n");
        await Run("chown", ":0", ofRoot);
        var groups = (await Stat(ofTheDirectory), await Stat(ofRoot));

        Write(ofTheDirectory, "new\n");
        Write(ofRoot, "new\n");

        Assert.EndsWith(" 0 2345", groups.Item1, StringComparison.Ordinal);
        Assert.EndsWith(" 0 0", groups.Item2, StringComparison.Ordinal);
        Assert.Equal(groups, (await Stat(ofTheDirectory), await Stat(ofRoot)));
    }

    [Fact]
    public async Task A_file_replaced_after_it_was_read_gets_the_mode_and_owner_of_its_replacement()
    {
        // What pin writes is decided when it writes, not when it read: a file replaced in between (an editor's save,
        // a checkout) lends its own mode and owner to the pinned content.
        Assert.SkipUnless(OperatingSystem.IsLinux() && Environment.UserName == "root", "only root may give a file to another user");
        using var directory = new TempDirectory("batchreplaced");
        var path = directory.Write("deployment.yaml", "old\n");
        var replacement = directory.Write("replacement", "edited\n");
        File.SetUnixFileMode(replacement, (UnixFileMode)0b110_000_000);
        await Run("chown", "1234:2345", replacement);
        var batch = new AtomicFileBatch();
        var read = File.ReadAllText(path);
        File.Move(replacement, path, overwrite: true);

        batch.WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(read.Replace("old", "pinned", StringComparison.Ordinal)), "deployment.yaml");
        batch.Sync();

        Assert.Equal("pinned\n", File.ReadAllText(path));
        Assert.Equal("600 1234 2345", await Stat(path));
        Assert.Equal([path], Directory.GetFiles(directory.Path));
    }

    [Fact]
    public void A_symbolic_link_stays_a_link_and_its_target_gets_the_content()
    {
        using var directory = new TempDirectory("batchlink");
        var target = directory.Write("shared/deployment.yaml", "old\n");
        var link = directory.Combine("deployment.yaml");
        File.CreateSymbolicLink(link, Path.Combine("shared", "deployment.yaml"));

        Write(link, "new\n");

        Assert.Equal(Path.Combine("shared", "deployment.yaml"), new FileInfo(link).LinkTarget);
        Assert.Equal("new\n", File.ReadAllText(target));
        Assert.Equal([target], Directory.GetFiles(Path.GetDirectoryName(target)!));
    }

    [Fact]
    public void A_read_only_file_is_refused_and_left_alone_and_a_missing_one_is_created()
    {
        using var directory = new TempDirectory("batchro");
        var readOnly = directory.Write("deployment.yaml", "old\n");
        File.SetUnixFileMode(readOnly, UnixFileMode.UserRead | UnixFileMode.GroupRead);
        var created = directory.Combine("new.yaml");
        var batch = new AtomicFileBatch();

        var error = Assert.Throws<BadInputException>(() => batch.WriteAllBytes(readOnly, "new\n"u8, "deployment.yaml"));
        batch.WriteAllBytes(created, "created\n"u8, "new.yaml");
        batch.Sync();

        Assert.Equal("cannot write deployment.yaml: it is read-only; make it writable first", error.Message);
        Assert.Equal("old\n", File.ReadAllText(readOnly));
        Assert.Equal("created\n", File.ReadAllText(created));
    }

    [Fact]
    public void Its_temporary_names_are_the_ones_the_cleanup_knows()
    {
        var names = Enumerable.Range(0, 1000).Select(_ => AtomicFile.TemporaryName("a.yaml")).ToList();

        Assert.All(names, name => Assert.True(AtomicFile.IsTemporaryOf(name, "a.yaml"), name));
        Assert.All(names, name => Assert.Equal("a.yaml", AtomicFile.OwnerOfTemporary(name)));
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
    }

    private static void Write(string path, string content)
    {
        var batch = new AtomicFileBatch();
        batch.WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(content), Path.GetFileName(path));
        batch.Sync();
    }

    /// <summary>"MODE UID GID" as stat(1) prints them (mode in octal, set-user-ID and the like included).</summary>
    private static async Task<string> Stat(string path) => (await Run("stat", "-c", "%a %u %g", path)).Trim();

    private static async Task<string> Run(string command, params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync(command, arguments, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(result.ExitCode == 0, $"{command} {string.Join(' ', arguments)}: {result.StandardError}");
        return result.StandardOutput;
    }
}
