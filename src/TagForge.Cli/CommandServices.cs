using System.CommandLine;
using TagForge.Cli.Live;
using TagForge.IO;
using TagForge.Services;

namespace TagForge.Cli;

/// <summary>
/// The services a command hands its operation, made once per invocation: the process environment, the current
/// directory, the system clock, a logger on stderr (debug lines with <c>TAGFORGE_VERBOSE=1</c>), and docker's live
/// output on stderr too (each line naming its image when several are built at once).
/// </summary>
internal static class CommandServices
{
    public static TagForgeServices Create(ParseResult parseResult) => Create(parseResult, progress: false);

    /// <summary>The services, with progress lines on stderr when <paramref name="progress"/> (the command's long work, not <c>--quiet</c>).</summary>
    public static TagForgeServices Create(ParseResult parseResult, bool progress)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var error = Error(parseResult);
        return new TagForgeServices(
            ProcessEnvironment.Instance,
            new StderrLogger(error, ProcessEnvironment.Instance.Read("TAGFORGE_VERBOSE") is "1" or "true"),
            toolOutput: line => error.WriteLine(OutputScope.Prefixed(line)),
            progress: progress ? new StderrProgress(error) : null);
    }

    /// <summary>
    /// The services of <c>release</c>, whose stderr shows <paramref name="view"/>: plain lines, the live
    /// <paramref name="table"/> (made here; the caller disposes it, which leaves the final table), or warnings and errors
    /// only (<c>--quiet</c>: no TagForge progress lines, no docker output).
    /// </summary>
    public static TagForgeServices Create(ParseResult parseResult, StderrView view, out LiveTable? table)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var error = Error(parseResult);
        var environment = ProcessEnvironment.Instance;
        var verbose = environment.Read("TAGFORGE_VERBOSE") is "1" or "true";
        var live = view == StderrView.Table
            ? new LiveTable(error, TimeProvider.System, StderrViews.TerminalSize, StderrViews.Colour(environment), LiveTable.RefreshInterval, Redactor(parseResult))
            : null;
        table = live;
        Action<string> toolOutput = view == StderrView.Quiet ? _ => { }
            : live is not null ? live.Tool
            : line => error.WriteLine(OutputScope.Prefixed(line));
        return new TagForgeServices(environment, new StderrLogger(error, verbose, quiet: view == StderrView.Quiet, live), toolOutput: toolOutput, progress: live);
    }

    /// <summary>How stderr redacts a line (the secrets of the environment, and secret-looking text).</summary>
    private static Func<string, string> Redactor(ParseResult parseResult) =>
        parseResult.InvocationConfiguration.Error is RedactingWriter redacting ? redacting.Redact : line => Errors.Redaction.Redact(line);

    /// <summary>stderr, safe for the lines that docker's output and the logger write from several threads.</summary>
    public static TextWriter Error(ParseResult parseResult) => TextWriter.Synchronized(parseResult.InvocationConfiguration.Error);
}
