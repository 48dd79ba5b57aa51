using System.CommandLine;
using TagForge.Cli.Commands;
using TagForge.Errors;

namespace TagForge.Cli;

/// <summary>
/// The command line's edge: builds the command tree, turns parse errors into exit code 2 and TagForge's typed
/// exceptions into their exit codes, and is the only place that decides what the process returns.
/// </summary>
internal static class CliApp
{
    /// <summary>The prefix of every diagnostic line on stderr, so CI logs can be searched for it.</summary>
    public const string Prefix = "tagforge:";

    public static RootCommand CreateRootCommand() => new("TagForge: unique image tags, honest build and push, records, and deployments pinned to digests.")
    {
        TagCommand.Create(),
        BuildCommand.Create(),
        PushCommand.Create(),
        ReleaseCommand.Create(),
        RecordCommand.Create(),
        PinCommand.Create(),
        LintCommand.Create(),
        VerifyCommand.Create(),
        ResolveCommand.Create(),
        EcrCommand.Create(),
        DoctorCommand.Create(),
    };

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var root = CreateRootCommand();
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            await error.WriteLineAsync($"{Prefix} error: {OneLine(parseResult.Errors[0].Message)} (see '{CommandPath(parseResult)} --help')").ConfigureAwait(false);
            return (int)ExitCode.BadInput;
        }

        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        try
        {
            return await parseResult.InvokeAsync(configuration).ConfigureAwait(false);
        }
        catch (TagForgeException ex)
        {
            await error.WriteLineAsync($"{Prefix} error: {ex.Message}").ConfigureAwait(false);
            return (int)ex.ExitCode;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync($"{Prefix} error: cancelled").ConfigureAwait(false);
            return (int)ExitCode.ExternalFailure;
        }
    }

    /// <summary>Some parser messages list choices on several lines; diagnostics stay one line each.</summary>
    private static string OneLine(string message) =>
        string.Join(' ', message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string CommandPath(ParseResult parseResult)
    {
        var names = new List<string>();
        for (var result = parseResult.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, result.Command is RootCommand ? "tagforge" : result.Command.Name);
        }

        return string.Join(' ', names);
    }
}
