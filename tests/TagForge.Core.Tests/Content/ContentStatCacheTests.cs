using System.Globalization;
using System.Runtime.Versioning;
using System.Text;
using TagForge.Testing;

namespace TagForge.Content;

/// <summary>
/// git's stat cache is only a shortcut: the identity taken through it (a clean tracked file's blob id from the index)
/// is always the one taken by reading every byte, in real repositories, whatever happened to the files since the
/// index was written, racily clean ones included.
/// </summary>
[UnsupportedOSPlatform("windows")]
public class ContentStatCacheTests(ITestOutputHelper output)
{
    private static (string Fast, string Slow) Both(string context, ContextRules rules = ContextRules.BuildKit)
    {
        var input = new ContentInput { ContextPath = context, Rules = rules };
        using var snapshot = ContentSnapshot.TryOpen(context);
        Assert.NotNull(snapshot);
        return (ContentHasher.Compute(input, snapshot), ContentHasher.Compute(input, null));
    }

    private static async Task RefreshAsync(TestRepository repository) => await repository.GitAsync("update-index", "-q", "--refresh");

    [Fact]
    public async Task A_racily_clean_file_rewritten_with_the_same_size_and_time_changes_the_identity()
    {
        using var repository = await TestRepository.InitAsync();
        var file = repository.WriteFile("a.txt", "aaaa\n");
        await repository.CommitAsync();
        // The file's time is not before the index's: racily clean (a rewrite in the same tick leaves the stat alone).
        var racy = DateTime.UtcNow.AddHours(1);
        File.SetLastWriteTimeUtc(file, racy);
        await RefreshAsync(repository);
        var (before, _) = Both(repository.Path);

        await File.WriteAllTextAsync(file, "bbbb\n", TestContext.Current.CancellationToken);
        File.SetLastWriteTimeUtc(file, racy);
        var (fast, slow) = Both(repository.Path);

        Assert.NotEqual(before, fast);
        Assert.Equal(slow, fast);
    }

    [Fact]
    public async Task A_settled_file_rewritten_with_the_same_size_and_its_time_put_back_changes_the_identity()
    {
        // rsync -t, tar x and cp -p put a time back; the change time (and git's default core.trustctime) still tells.
        using var repository = await TestRepository.InitAsync();
        var file = repository.WriteFile("a.txt", "aaaa\n");
        await repository.CommitAsync();
        var past = DateTime.UtcNow.AddMinutes(-10);
        File.SetLastWriteTimeUtc(file, past);
        await RefreshAsync(repository);
        var (before, _) = Both(repository.Path);

        await File.WriteAllTextAsync(file, "bbbb\n", TestContext.Current.CancellationToken);
        File.SetLastWriteTimeUtc(file, past);
        var (fast, slow) = Both(repository.Path);

        Assert.NotEqual(before, fast);
        Assert.Equal(slow, fast);
    }

    [Fact]
    public async Task Through_random_trees_and_edits_the_stat_cache_gives_the_identity_that_reading_every_byte_gives()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("TAGFORGE_STATCACHE_SEED"), CultureInfo.InvariantCulture, out var given) ? given : Random.Shared.Next();
        output.WriteLine($"seed {seed} (TAGFORGE_STATCACHE_SEED={seed} replays it)");
        var random = new Random(seed);
        using var repository = await TestRepository.InitAsync();
        repository.WriteFile(".gitignore", "out/\n");
        var context = Path.Combine(repository.Path, "app");
        Directory.CreateDirectory(context);
        var log = new List<string>();
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        for (var step = 0; step < 60; step++)
        {
            log.Add(await EditAsync(repository, context, random));
            foreach (var rules in new[] { ContextRules.BuildKit, ContextRules.Classic })
            {
                var (fast, slow) = Both(context, rules);
                Assert.True(fast == slow, $"seed {seed}: the stat cache and the bytes disagree ({rules}) after:\n{string.Join('\n', log)}");
                distinct.Add(fast);
            }
        }

        output.WriteLine($"{distinct.Count} distinct identities");
        Assert.True(distinct.Count > 10, "the edits hardly changed anything: the generator is broken");
    }

    private static readonly string[] Names = ["a.txt", "b", "c d.txt", "ünï.bin", "run.sh", ".hidden"];
    private static readonly string[] Directories = ["", "src", "src/deep", "out", "space dir"];

    /// <summary>One random edit of the working tree or the index; returns what it did.</summary>
    private static async Task<string> EditAsync(TestRepository repository, string context, Random random)
    {
        var files = Directory.EnumerateFiles(context, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var file = files.Count > 0 ? files[random.Next(files.Count)] : null;
        var relative = file is null ? null : Path.GetRelativePath(repository.Path, file);
        switch (random.Next(12))
        {
            case 0 or 1:
                var directory = Path.Combine(context, Directories[random.Next(Directories.Length)]);
                var created = Path.Combine(directory, Names[random.Next(Names.Length)]);
                if (Directory.Exists(created) || new FileInfo(created).LinkTarget is not null)
                {
                    return "nothing (a directory or link is there)";
                }

                Directory.CreateDirectory(directory);
                await File.WriteAllBytesAsync(created, Bytes(random, random.Next(0, 3000)));
                // Mostly written well before the index will be (a settled tree, whose stat git's cache vouches for);
                // else now, in the same second as the next index (racily clean).
                if (random.Next(4) != 0)
                {
                    File.SetLastWriteTimeUtc(created, DateTime.UtcNow.AddTicks(-random.NextInt64(TimeSpan.TicksPerSecond, TimeSpan.TicksPerHour)));
                }

                return $"write {Path.GetRelativePath(repository.Path, created)}";
            case 2 when file is not null && new FileInfo(file).LinkTarget is null:
                // The same size and the same time: only the bytes (and the change time) differ.
                var time = File.GetLastWriteTimeUtc(file);
                var length = (int)new FileInfo(file).Length;
                await File.WriteAllBytesAsync(file, Bytes(random, length));
                File.SetLastWriteTimeUtc(file, time);
                return $"rewrite {relative} keeping its size and time";
            case 3 when file is not null && new FileInfo(file).LinkTarget is null:
                File.SetUnixFileMode(file, File.GetUnixFileMode(file) ^ UnixFileMode.UserExecute);
                return $"chmod u^x {relative}";
            case 4 when file is not null:
                File.Delete(file);
                return $"delete {relative}";
            case 5:
                var link = Path.Combine(context, Directories[random.Next(Directories.Length)], "link" + random.Next(3));
                if (File.Exists(link) || Directory.Exists(link) || new FileInfo(link).LinkTarget is not null)
                {
                    File.Delete(link);
                }

                Directory.CreateDirectory(Path.GetDirectoryName(link)!);
                var target = random.Next(3) == 0 ? "../nowhere" : Names[random.Next(Names.Length)];
                File.CreateSymbolicLink(link, target);
                return $"link {Path.GetRelativePath(repository.Path, link)} -> {target}";
            case 6:
                await repository.GitAsync("add", "--all");
                return "git add --all";
            case 7:
                await repository.CommitAsync();
                return "commit everything";
            case 8:
                await RefreshAsync(repository);
                return "git update-index --refresh";
            case 9 when file is not null && new FileInfo(file).LinkTarget is null && File.Exists(Path.Combine(repository.Path, ".git", "index")):
                // Make the entry racy: the file's time at or after the index's.
                var earlier = random.Next(2);
                File.SetLastWriteTimeUtc(Path.Combine(repository.Path, ".git", "index"), File.GetLastWriteTimeUtc(file).AddTicks(-earlier));
                return $"index time = {relative}'s time{(earlier == 0 ? "" : " - 100 ns")}";
            case 10 when file is not null && new FileInfo(file).LinkTarget is null:
                File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddTicks(random.NextInt64(-TimeSpan.TicksPerHour, TimeSpan.TicksPerMinute)));
                return $"touch {relative}";
            case 11 when file is not null && relative is not null:
                await repository.GitAsync("add", "-N", "-f", "--", relative);
                return $"git add -N {relative}";
            default:
                return "nothing";
        }
    }

    private static byte[] Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return random.Next(2) == 0 ? bytes : Encoding.ASCII.GetBytes(Convert.ToHexString(bytes))[..length];
    }
}
