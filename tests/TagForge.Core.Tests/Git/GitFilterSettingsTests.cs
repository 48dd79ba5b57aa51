using CsCheck;
using LibGit2Sharp;
using TagForge.Testing;

namespace TagForge.Git;

/// <summary>
/// <see cref="GitFilterSettings"/> against libgit2 on a real repository whose configuration is generated from
/// spellings of the keys that set a checkout filter, includes of files that set one, and harmless lines: whenever it
/// answers "no filter" without libgit2, libgit2 reads no filter either.
/// </summary>
public sealed class GitFilterSettingsTests
{
    private static readonly Gen<string> Line = Gen.OneOf(
        Gen.Const("[core]\n\tautocrlf = true"),
        Gen.Const("[core]\n\tAutoCRLF = input"),
        Gen.Const("[CORE]\n\tautoCrlf=false"),
        Gen.Const("[core]\n\tattributesFile = /tmp/attributes"),
        Gen.Const("[Core]\n\tATTRIBUTESFILE=x"),
        Gen.Const("[include]\n\tpath = filters.inc"),
        Gen.Const("[includeIf \"gitdir:/\"]\n\tpath = filters.inc"),
        Gen.Const("[core]\n\tfilemode = false"),
        Gen.Const("[user]\n\tname = someone"),
        Gen.Const("[alias]\n\tco = checkout"),
        Gen.Const("# autocrlf is mentioned in a comment only"),
        Gen.Const("[remote \"origin\"]\n\turl = https://example.invalid/repo.git"));

    [Fact]
    public async Task No_filter_is_answered_only_when_libgit2_reads_none()
    {
        using var repository = await TestRepository.InitAsync();
        await repository.CommitAsync("one");
        var git = Path.Combine(repository.Path, ".git");
        var pristine = await File.ReadAllTextAsync(Path.Combine(git, "config"), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(git, "filters.inc"), "[core]\n\tautocrlf = true\n", TestContext.Current.CancellationToken);
        var baseline = GitFilterSettings.MayFilter(git, git);
        var (proven, total) = (0, 0);

        Line.Array[0, 4].Sample(lines =>
        {
            File.WriteAllText(Path.Combine(git, "config"), pristine + string.Join('\n', lines) + "\n");
            var answer = GitFilterSettings.MayFilter(git, git);
            Repository libgit2;
            try
            {
                libgit2 = new Repository(repository.Path);
            }
            catch (LibGit2SharpException ex)
            {
                throw new InvalidOperationException($"libgit2 refused:\n{string.Join('\n', lines)}", ex);
            }

            using var opened = libgit2;
            var autocrlf = libgit2.Config.Get<string>("core.autocrlf")?.Value;
            var filtered = (autocrlf is not null && !autocrlf.Equals("false", StringComparison.OrdinalIgnoreCase))
                || libgit2.Config.Get<string>("core.attributesFile") is not null;
            total++;
            if (answer == false)
            {
                proven++;
                Assert.False(filtered, $"said no filter, but libgit2 reads one from:\n{string.Join('\n', lines)}");
            }

            var harmless = lines.All(line => !line.Contains("autocrlf", StringComparison.OrdinalIgnoreCase)
                && !line.Contains("attributesfile", StringComparison.OrdinalIgnoreCase) && !line.Contains("include", StringComparison.OrdinalIgnoreCase));
            if (harmless && baseline == false)
            {
                // The shortcut is taken where it can be: harmless lines never send the question to libgit2.
                Assert.Equal(false, answer);
            }
        }, iter: 200, threads: 1); // one repository: samples take turns

        Assert.True(baseline != false || proven > 0, "the shortcut was never taken");
        Assert.Equal(200, total);
    }

    [Fact]
    public async Task A_worktree_config_that_sets_a_filter_is_read()
    {
        using var repository = await TestRepository.InitAsync();
        await repository.CommitAsync("one");
        var git = Path.Combine(repository.Path, ".git");
        var before = GitFilterSettings.MayFilter(git, git);

        await File.WriteAllTextAsync(Path.Combine(git, "config.worktree"), "[core]\n\tautocrlf = true\n", TestContext.Current.CancellationToken);

        Assert.Null(GitFilterSettings.MayFilter(git, git));
        Assert.True(before is false or null);
    }
}
