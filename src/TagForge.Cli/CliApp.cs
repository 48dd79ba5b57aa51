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

    private const string Description = "TagForge: unique image tags, honest build and push, records, and deployments pinned to digests.";

    /// <summary>Every top-level command by name, in the order help lists them.</summary>
    private static readonly (string Name, Func<Command> Create)[] Commands =
    [
        ("tag", TagCommand.Create),
        ("build", BuildCommand.Create),
        ("push", PushCommand.Create),
        ("release", ReleaseCommand.Create),
        ("record", RecordCommand.Create),
        ("pin", PinCommand.Create),
        ("lint", LintCommand.Create),
        ("verify", VerifyCommand.Create),
        ("resolve", ResolveCommand.Create),
        ("promote", PromoteCommand.Create), ("prune", PruneCommand.Create),
        ("ecr", EcrCommand.Create),
        ("doctor", DoctorCommand.Create),
    ];

    /// <summary>
    /// The tree <paramref name="args"/> needs: when the first argument names a command, only that command is built,
    /// because building all of them with their options is a measurable part of a Native AOT start-up (tagforge tag
    /// runs in every CI build; see docs/benchmarks.md). Anything else (help, --version, an unknown command, whose
    /// error lists the commands) gets the full tree.
    /// </summary>
    public static RootCommand CreateRootCommand(IReadOnlyList<string> args)
    {
        var root = new RootCommand(Description);
        var only = args.Count > 0 ? Array.FindIndex(Commands, command => command.Name == args[0]) : -1;
        foreach (var (_, create) in only >= 0 ? Commands.AsSpan(only, 1) : Commands)
        {
            root.Add(create());
        }

        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var root = CreateRootCommand(args);
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            var message = parseResult.CommandResult.Command is RootCommand && args is [var first, ..] && !first.StartsWith('-') && !first.StartsWith('@')
                ? $"unknown command '{first}'; the commands are {string.Join(", ", Commands.Select(command => command.Name))}"
                : OneLine(parseResult.Errors[0].Message);
            await error.WriteLineAsync($"{Prefix} error: {message} (see '{CommandPath(parseResult)} --help')").ConfigureAwait(false);
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
