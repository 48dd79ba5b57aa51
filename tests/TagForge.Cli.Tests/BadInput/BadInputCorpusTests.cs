using TagForge.Testing;

namespace TagForge.Cli.Tests.BadInput;

/// <summary>
/// Runs every case of <see cref="BadInputCorpus"/> through the built CLI in a fresh git repository: the exit code and
/// message are the case's, the output is at most a few lines, and no output holds a stack trace ("   at ",
/// "Unhandled exception", "Stack overflow") or the case's forbidden text (a password). Needs: git.
/// </summary>
public sealed class BadInputCorpusTests
{
    private static readonly string[] StackTraceMarkers = ["   at ", "Unhandled exception", "Stack overflow", "--- End of"];

    public static IEnumerable<TheoryDataRow<string>> Cases() =>
        BadInputCorpus.Cases.Select(@case => new TheoryDataRow<string>(@case.Name) { Skip = @case.Pending is { } who ? $"pending: {who}" : null });

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Ends_with_its_exit_code_and_one_clear_line(string name)
    {
        var @case = BadInputCorpus.Cases.Single(c => c.Name == name);
        using var repository = await TestRepository.InitAsync();
        await repository.CommitAsync("start");
        foreach (var (file, content) in @case.Files)
        {
            var path = Path.Combine(repository.Path, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, content, TestContext.Current.CancellationToken);
            if (@case.ReadOnlyFile is { } mode && !file.EndsWith(".json", StringComparison.Ordinal) && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, mode);
            }
        }

        var before = @case.ReadOnlyFile is null ? null : @case.Files.ToDictionary(f => f.Key, f => File.ReadAllBytes(Path.Combine(repository.Path, f.Key)));
        var result = await TagForgeCli.RunAsync(@case.Arguments, repository.Path, TagForgeCli.ReleaseEnvironment());

        var output = result.StandardOutput + result.StandardError;
        foreach (var marker in StackTraceMarkers)
        {
            Assert.False(output.Contains(marker, StringComparison.Ordinal), $"{name}: a stack trace ('{marker}'):\n{result}");
        }

        Assert.True(result.ExitCode == @case.ExitCode, $"{name}: expected exit {@case.ExitCode}:\n{result}");
        Assert.True(result.StandardError.Contains(@case.Fragment, StringComparison.Ordinal) || result.StandardOutput.Contains(@case.Fragment, StringComparison.Ordinal),
            $"{name}: expected '{@case.Fragment}' in the output:\n{result}");
        if (@case.Forbidden is { } secret)
        {
            Assert.DoesNotContain(secret, output, StringComparison.Ordinal);
        }

        if (result.ExitCode != 0)
        {
            Assert.True(result.StandardError.Split('\n').Any(line => line.StartsWith("tagforge: error:", StringComparison.Ordinal)), $"{name}: no 'tagforge: error:' line:\n{result}");
        }

        foreach (var (file, content) in before ?? [])
        {
            Assert.Equal(content, File.ReadAllBytes(Path.Combine(repository.Path, file)));
        }
    }

    [Fact]
    public void Every_case_has_a_unique_name()
    {
        Assert.Equal(BadInputCorpus.Cases.Count, BadInputCorpus.Cases.Select(c => c.Name).Distinct().Count());
    }
}
