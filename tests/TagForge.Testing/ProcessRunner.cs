using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace TagForge.Testing;

/// <summary>The outcome of a process run by a test.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StandardOutput}\n--- stderr\n{StandardError}";
}

/// <summary>
/// Runs real processes for tests and appends each command and its output to a log file (MinVer's trick: when a
/// test fails, the log says exactly what ran).
/// </summary>
public static class ProcessRunner
{
    private static readonly Lock LogLock = new();

    public static string LogPath { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tagforge-tests", "commands.log");

    public static async Task<ProcessResult> RunAsync(
        string executable,
        IReadOnlyList<string> arguments,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? standardInput = null,
        CancellationToken cancellationToken = default)
    {
        var command = Cli.Wrap(executable)
            .WithArguments(arguments)
            .WithValidation(CommandResultValidation.None);
        if (workingDirectory is not null)
        {
            command = command.WithWorkingDirectory(workingDirectory);
        }

        if (environment is not null)
        {
            command = command.WithEnvironmentVariables(environment);
        }

        if (standardInput is not null)
        {
            command = command.WithStandardInputPipe(PipeSource.FromString(standardInput));
        }

        var result = await command.ExecuteBufferedAsync(Encoding.UTF8, cancellationToken);
        var processResult = new ProcessResult(result.ExitCode, result.StandardOutput, result.StandardError);
        Log($"$ {executable} {string.Join(' ', arguments)}  (in {workingDirectory ?? "."})\n{processResult}\n");
        return processResult;
    }

    public static async Task<ProcessResult> RunCheckedAsync(
        string executable,
        IReadOnlyList<string> arguments,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? standardInput = null)
    {
        var result = await RunAsync(executable, arguments, workingDirectory, environment, standardInput);
        return result.ExitCode == 0
            ? result
            : throw new InvalidOperationException($"{executable} {string.Join(' ', arguments)} failed: {result}");
    }

    private static void Log(string text)
    {
        lock (LogLock)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(LogPath)!);
            File.AppendAllText(LogPath, text);
        }
    }
}
