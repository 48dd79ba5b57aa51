using System.Collections;
using System.CommandLine;
using TagForge.Cli.Commands;
using TagForge.Errors;

namespace TagForge.Cli;

/// <summary>
/// The command line's edge: builds the command tree, turns parse errors into exit code 2 and TagForge's typed
/// exceptions into their exit codes, and is the only place that decides what the process returns. Everything written
/// to stdout and stderr passes <see cref="Redaction"/> (<see cref="RedactingWriter"/>), and the last guard turns any other
/// exception into one line and exit 1 (2 for an argument-like one), never a stack trace unless <c>--verbose</c>.
/// </summary>
internal static class CliApp
{
    /// <summary>The prefix of every diagnostic line on stderr, so CI logs can be searched for it.</summary>
    public const string Prefix = "tagforge:";

    /// <summary>Prints debug lines and, after an unexpected failure, its stack trace; as TAGFORGE_VERBOSE=1 does.</summary>
    public const string VerboseOption = "--verbose";

    private const string Description = "TagForge: unique image tags, honest build and push, records, and deployments pinned to digests.";

    /// <summary>Every top-level command by name, in the order help lists them.</summary>
    private static readonly (string Name, Func<Command> Create)[] Commands =
    [
        ("tag", TagCommand.Create),
        ("build", BuildCommand.Create),
        ("push", PushCommand.Create),
        ("release", ReleaseCommand.Create),
        ("plan", PlanCommand.Create),
        ("record", RecordCommand.Create),
        ("pin", PinCommand.Create),
        ("lint", LintCommand.Create),
        ("verify", VerifyCommand.Create),
        ("resolve", ResolveCommand.Create),
        ("promote", PromoteCommand.Create), ("prune", PruneCommand.Create),
        ("ecr", EcrCommand.Create),
        ("login", LoginCommand.Create),
        ("logout", LogoutCommand.Create),
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
        root.Options.Add(new Option<bool>(VerboseOption) { Description = "Print debug lines, and the stack trace of an unexpected failure (also TAGFORGE_VERBOSE=1)", Recursive = true });
        var only = args.Count > 0 ? Array.FindIndex(Commands, command => command.Name == args[0]) : -1;
        foreach (var (_, create) in only >= 0 ? Commands.AsSpan(only, 1) : Commands)
        {
            root.Add(create());
        }

        return root;
    }

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error) => RunAsync(args, output, error, RunCommandAsync);

    /// <summary>
    /// The edge around <paramref name="command"/> (the real one is <see cref="RunCommandAsync"/>; tests hand one that
    /// fails the way a bug would): redacted writers, the last guard, the exit code.
    /// </summary>
    internal static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, Func<string[], TextWriter, TextWriter, bool, Task<int>> command)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(command);
        // stdout too: a lint finding or a diff quotes the user's text, and it lands in the same CI log.
        var secrets = Redaction.SecretsAmong(EnvironmentVariables());
        var redactedOutput = new RedactingWriter(output, secrets);
        var redactedError = new RedactingWriter(error, secrets);
        try
        {
            return await GuardedAsync(args, redactedOutput, redactedError, command).ConfigureAwait(false);
        }
        finally
        {
            await redactedOutput.FlushAsync().ConfigureAwait(false);
            await redactedError.FlushAsync().ConfigureAwait(false);
        }
    }

    private static async Task<int> GuardedAsync(string[] args, TextWriter output, TextWriter error, Func<string[], TextWriter, TextWriter, bool, Task<int>> command)
    {
        var verbose = IsVerbose(args);
        try
        {
            return await command(args, output, error, verbose).ConfigureAwait(false);
        }
        catch (TagForgeException ex)
        {
            await error.WriteLineAsync($"{Prefix} error: {ex.Message}").ConfigureAwait(false);
            if (verbose)
            {
                await error.WriteLineAsync(ex.ToString()).ConfigureAwait(false);
            }

            return (int)ex.ExitCode;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync($"{Prefix} error: cancelled").ConfigureAwait(false);
            return (int)ExitCode.ExternalFailure;
        }
        catch (Exception ex)
        {
            // The last guard: a failure nobody turned into a TagForge error is still one line and an exit code.
            var exitCode = IsArgumentLike(ex) ? ExitCode.BadInput : ExitCode.ExternalFailure;
            await error.WriteLineAsync($"{Prefix} error: unexpected {ex.GetType().Name}: {OneLine(ex.Message)}").ConfigureAwait(false);
            await error.WriteLineAsync(verbose
                ? ex.ToString()
                : $"{Prefix} this is a bug in TagForge; please report it with the command line (run again with {VerboseOption} for the stack trace)").ConfigureAwait(false);
            return (int)exitCode;
        }
    }

    private static async Task<int> RunCommandAsync(string[] args, TextWriter output, TextWriter error, bool verbose)
    {
        var root = CreateRootCommand(args);
        var parseResult = root.Parse(args);
        if (UnknownOptions.Find(parseResult) is { } unknown)
        {
            // Before the parser's own errors: a misspelt flag taken as an argument reads as a confusing second error.
            await error.WriteLineAsync($"{Prefix} error: {unknown} (see '{CommandPath(parseResult)} --help')").ConfigureAwait(false);
            return (int)ExitCode.BadInput;
        }

        if (parseResult.Errors.Count > 0)
        {
            var message = parseResult.CommandResult.Command is RootCommand && args is [var first, ..] && !first.StartsWith('-') && !first.StartsWith('@')
                ? $"unknown command '{first}'; the commands are {string.Join(", ", Commands.Select(command => command.Name))}"
                : OneLine(parseResult.Errors[0].Message);
            await error.WriteLineAsync($"{Prefix} error: {message} (see '{CommandPath(parseResult)} --help')").ConfigureAwait(false);
            return (int)ExitCode.BadInput;
        }

        if (verbose)
        {
            // The one switch the logger reads (CommandServices), whichever way verbosity was asked for.
            Environment.SetEnvironmentVariable("TAGFORGE_VERBOSE", "1");
        }

        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        return await parseResult.InvokeAsync(configuration).ConfigureAwait(false);
    }

    /// <summary>--verbose anywhere before a "--", or TAGFORGE_VERBOSE=1.</summary>
    private static bool IsVerbose(string[] args) =>
        args.TakeWhile(arg => arg != "--").Contains(VerboseOption, StringComparer.Ordinal)
        || Environment.GetEnvironmentVariable("TAGFORGE_VERBOSE") is "1" or "true";

    /// <summary>Exceptions that mean "this value is wrong" rather than "something outside failed".</summary>
    private static bool IsArgumentLike(Exception ex) =>
        ex is ArgumentException or FormatException or OverflowException or InvalidDataException
            or System.Text.Json.JsonException or System.Text.DecoderFallbackException;

    private static IEnumerable<KeyValuePair<string, string?>> EnvironmentVariables()
    {
        // A loop rather than LINQ: see Redaction.SecretsAmong (start-up under Native AOT).
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            yield return new KeyValuePair<string, string?>((string)entry.Key, entry.Value as string);
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
