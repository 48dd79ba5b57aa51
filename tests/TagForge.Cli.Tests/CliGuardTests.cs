using TagForge.Errors;

namespace TagForge.Cli.Tests;

/// <summary>
/// The last guard of the command line: whatever escapes a command ends as one line, an exit code (2 for an
/// argument-like exception, else 1) and a hint to report it; the stack trace only with --verbose; secrets masked.
/// </summary>
public sealed class CliGuardTests
{
    private static async Task<(int ExitCode, string Output, string Error)> RunThrowingAsync(Exception exception, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CliApp.RunAsync(args, output, error, (_, _, _, _) => Task.FromException<int>(exception));
        return (exitCode, output.ToString(), error.ToString());
    }

    private static Exception Thrown(Exception exception)
    {
        try
        {
            throw exception;
        }
        catch (Exception caught)
        {
            return caught;
        }
    }

    [Fact]
    public async Task An_unexpected_exception_is_one_line_exit_1_and_a_hint_never_a_stack_trace()
    {
        var (exitCode, output, error) = await RunThrowingAsync(Thrown(new InvalidOperationException("the requested operation requires a Number")), "record", "get");

        Assert.Equal(1, exitCode);
        Assert.Equal("", output);
        Assert.Equal(
            "tagforge: error: unexpected InvalidOperationException: the requested operation requires a Number\n"
            + "tagforge: this is a bug in TagForge; please report it with the command line (run again with --verbose for the stack trace)\n",
            error.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(typeof(ArgumentOutOfRangeException))]
    [InlineData(typeof(UriFormatException))]
    [InlineData(typeof(OverflowException))]
    public async Task An_argument_like_exception_is_exit_2(Type type)
    {
        var exception = (Exception)Activator.CreateInstance(type, "bad value")!;

        var (exitCode, _, error) = await RunThrowingAsync(Thrown(exception), "tag");

        Assert.Equal(2, exitCode);
        Assert.StartsWith($"tagforge: error: unexpected {type.Name}: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_verbose_the_trace_is_printed()
    {
        var (exitCode, _, error) = await RunThrowingAsync(Thrown(new InvalidOperationException("boom")), "tag", "--verbose");

        Assert.Equal(1, exitCode);
        Assert.Contains("   at ", error, StringComparison.Ordinal);
        Assert.Contains("System.InvalidOperationException: boom", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_multi_line_message_stays_one_line_and_a_secret_in_it_is_masked()
    {
        var (_, _, error) = await RunThrowingAsync(Thrown(new InvalidOperationException("cannot reach\nhttp://ci:hunter2-secret@registry.example.com/v2/\nAuthorization: Basic Y2k6aHVudGVyMg==")), "tag");

        var first = error.Split('\n')[0];
        Assert.Equal("tagforge: error: unexpected InvalidOperationException: cannot reach http://***@registry.example.com/v2/ Authorization: Basic ***", first);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_TagForge_failure_keeps_its_own_exit_code_and_is_masked_too()
    {
        var (exitCode, _, error) = await RunThrowingAsync(new ExternalFailureException("GET https://auth.example.com/token?password=hunter2-secret failed"), "verify");

        Assert.Equal(1, exitCode);
        Assert.Equal("tagforge: error: GET https://auth.example.com/token?password=*** failed\n", error.Replace("\r\n", "\n", StringComparison.Ordinal));
    }
}
