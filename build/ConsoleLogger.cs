using Microsoft.Extensions.Logging;

namespace TagForge.Build;

/// <summary>Writes TagForge's log lines to stderr with the <c>tagforge:</c> prefix the CLI uses.</summary>
internal sealed class ConsoleLogger : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            var level = logLevel >= LogLevel.Warning ? logLevel.ToString().ToLowerInvariant() + ": " : "";
            Console.Error.WriteLine($"tagforge: {level}{formatter(state, exception)}");
        }
    }
}
