using System.Diagnostics;
using System.Globalization;
using System.Text;
using TagForge.Tagging;
using TagForge.Testing;

namespace TagForge.Git;

/// <summary>
/// <c>{height}</c> and <c>{version}</c> on a tagged history (issue 13 item 6): the walk stops where version tags are,
/// instead of visiting every commit the oldest tag reaches, and a tag HEAD does not reach changes nothing.
/// </summary>
public sealed class TaggedHistoryTests
{
    private static string Render(TestRepository repository, string template) =>
        TagGenerator.Generate(new TagRequest { Template = template, RepositoryPath = repository.Path }, IO.DictionaryEnvironment.Empty).Tag;

    /// <summary>A linear history of <paramref name="commits"/> commits made with git fast-import (seconds, not minutes).</summary>
    private static async Task<TestRepository> LinearHistoryAsync(int commits)
    {
        var repository = await TestRepository.InitAsync();
        var stream = new StringBuilder();
        for (var i = 1; i <= commits; i++)
        {
            var message = $"commit {i}\n";
            var data = $"{i}\n";
            stream.Append(CultureInfo.InvariantCulture, $"commit refs/heads/main\nmark :{i}\ncommitter Test <test@tagforge.invalid> {1600000000 + i} +0000\n")
                .Append(CultureInfo.InvariantCulture, $"data {message.Length}\n{message}")
                .Append(i > 1 ? $"from :{i - 1}\n" : "")
                .Append(CultureInfo.InvariantCulture, $"M 100644 inline file.txt\ndata {data.Length}\n{data}\n");
        }

        var input = Path.Combine(repository.Path, ".git", "fast-import.txt");
        await File.WriteAllTextAsync(input, stream.ToString());
        using (var process = Process.Start(new ProcessStartInfo("sh", ["-c", $"git fast-import --quiet < '{input}'"]) { WorkingDirectory = repository.Path })!)
        {
            await process.WaitForExitAsync();
            Assert.Equal(0, process.ExitCode);
        }

        await repository.GitAsync("reset", "--quiet", "--hard", "main");
        return repository;
    }

    [Fact]
    public async Task A_tag_on_a_branch_head_does_not_reach_is_no_tag_and_every_commit_counts()
    {
        using var repository = await TestRepository.InitAsync();
        for (var i = 0; i < 3; i++)
        {
            await repository.CommitAsync();
        }

        await repository.CreateBranchAsync("side");
        await repository.CommitAsync("side");
        await repository.TagAsync("v1.0.0");
        await repository.CheckoutAsync("main");
        for (var i = 0; i < 7; i++)
        {
            await repository.CommitAsync("main");
        }

        Assert.Equal("10", Render(repository, "{height}"));
        Assert.Equal("0.0.0-alpha.0.10", Render(repository, "{version}"));
    }

    [Fact]
    public async Task Height_past_the_newest_of_many_tags_reads_only_the_commits_above_it()
    {
        using var repository = await LinearHistoryAsync(30_000);
        await repository.GitAsync("-c", "user.name=t", "-c", "user.email=t@x", "tag", "-a", "-m", "release", "v1.2.0", "HEAD~201");
        foreach (var (name, depth) in new[] { ("v1.1.0", 1_000), ("v1.0.0", 10_000), ("v0.1.0", 29_000) })
        {
            await repository.GitAsync("tag", name, $"HEAD~{depth}");
        }

        using var reader = GitRepositoryReader.Open(repository.Path);
        var version = reader.DescribeVersion((await repository.HeadAsync()).Trim(), "{height}");

        Assert.Equal(("v1.2.0", 201, "1.2.1-alpha.0.201"), (version.Tag, version.Height, version.Version.ToString()));
        Assert.Equal((await repository.GitAsync("rev-list", "--count", "v1.2.0..HEAD")).Trim(), version.Height.ToString(CultureInfo.InvariantCulture));
        Assert.InRange(reader.CommitsRead, 201, 400);
    }

    [Fact]
    public async Task Height_past_the_newest_of_many_tags_takes_milliseconds_not_a_walk_of_the_whole_history()
    {
        using var repository = await LinearHistoryAsync(30_000);
        await repository.GitAsync("tag", "v1.2.0", "HEAD~201");
        await repository.GitAsync("tag", "v0.1.0", "HEAD~29000");
        Assert.Equal("201", Render(repository, "{height}"));

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("201", Render(repository, "{height}"));
        }

        // Walking the oldest tag's 29,000 ancestors took ~300 ms a run here; stopping at the tags takes a few.
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(5 * 60), $"5 runs took {clock.Elapsed.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task Packed_refs_and_packed_objects_give_what_git_gives()
    {
        using var repository = await TestRepository.InitAsync();
        await repository.CommitAsync();
        await repository.TagAsync("v1.0.0", annotated: true);
        await repository.CommitAsync();
        await repository.TagAsync("v1.1.0");
        for (var i = 0; i < 4; i++)
        {
            await repository.CommitAsync();
        }

        await repository.GitAsync("gc", "--quiet");
        await repository.GitAsync("pack-refs", "--all");

        Assert.Equal((await repository.GitAsync("rev-list", "--count", "v1.1.0..HEAD")).Trim(), Render(repository, "{height}"));
        Assert.Equal("1.1.1-alpha.0.4", Render(repository, "{version}"));
        await repository.GitAsync("tag", "-d", "v1.1.0");
        Assert.Equal("1.0.1-alpha.0.5", Render(repository, "{version}"));
    }
}
