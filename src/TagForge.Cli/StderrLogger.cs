using Microsoft.Extensions.Logging;

namespace TagForge.Cli;

/// <summary>
/// Progress and warnings on stderr with the <c>tagforge:</c> prefix (debug lines only with TAGFORGE_VERBOSE=1). A
/// hand-written logger: Microsoft.Extensions.Logging.Console would pull in configuration, options and hosting for
/// one line format. Within a scope (one image of several built at once) each line names the image.
/// </summary>
internal sealed class StderrLogger(TextWriter error, bool verbose) : ILogger
{
    /// <summary>A scope names the lines of one image among several built at once (<see cref="OutputScope"/>).</summary>
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => OutputScope.Begin(state.ToString() ?? "");

    public bool IsEnabled(LogLevel logLevel) => logLevel >= (verbose ? LogLevel.Debug : LogLevel.Information);

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
        error.WriteLine($"{CliApp.Prefix} {kind}{OutputScope.Prefixed(formatter(state, exception))}");
    }
}
