using Microsoft.Extensions.Logging;
using TagForge.Cli.Live;

namespace TagForge.Cli;

/// <summary>
/// Progress and warnings on stderr with the <c>tagforge:</c> prefix (debug lines only with TAGFORGE_VERBOSE=1). A
/// hand-written logger: Microsoft.Extensions.Logging.Console would pull in configuration, options and hosting for
/// one line format. Within a scope (one image of several built at once) each line names the image. With
/// <paramref name="quiet"/> only warnings and errors (unless verbose); with a <paramref name="table"/>, lines go to the
/// live table, which writes them itself.
/// </summary>
internal sealed class StderrLogger(TextWriter error, bool verbose, bool quiet = false, LiveTable? table = null) : ILogger
{
    /// <summary>A scope names the lines of one image among several built at once (<see cref="OutputScope"/>).</summary>
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => OutputScope.Begin(state.ToString() ?? "");

    public bool IsEnabled(LogLevel logLevel) => logLevel >= (verbose ? LogLevel.Debug : quiet ? LogLevel.Warning : LogLevel.Information);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var kind = logLevel switch
        {
            >= LogLevel.Error => "error: ",
            LogLevel.Warning => "warning: ",
            _ => "",
        };
        var message = formatter(state, exception);
        var line = $"{CliApp.Prefix} {kind}{OutputScope.Prefixed(message)}";
        if (table is null)
        {
            error.WriteLine(line);
            return;
        }

        table.Log(logLevel, line, message, Template(state));
    }

    /// <summary>The message template of a structured log call (<c>pushing {Image}</c>), which names the step it reports.</summary>
    private static string? Template<TState>(TState state) =>
        state is IReadOnlyList<KeyValuePair<string, object?>> values
            ? values.FirstOrDefault(pair => pair.Key == "{OriginalFormat}").Value as string
            : null;
}
