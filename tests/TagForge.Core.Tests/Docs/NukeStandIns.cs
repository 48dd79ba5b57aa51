namespace TagForge.Docs.NukeStandIns;

// The few names of Nuke and Serilog a build-script snippet uses, shaped as they are there, so the snippet compiles
// here without those packages: only TagForge's own API is checked for real.

/// <summary>Nuke's target: a function of its definition.</summary>
public delegate ITargetDefinition Target(ITargetDefinition definition);

/// <summary>Nuke's target definition, the two calls the snippets make.</summary>
public interface ITargetDefinition
{
    ITargetDefinition DependsOn(params Target[] targets);

    ITargetDefinition Executes(Action action);
}

/// <summary>Nuke's absolute path: <c>/</c> joins, and it converts to a string.</summary>
public sealed record AbsolutePath(string Path)
{
    public static AbsolutePath operator /(AbsolutePath left, string right) => new(System.IO.Path.Combine(left.Path, right));

    public static implicit operator string(AbsolutePath path) => path.Path;
}

/// <summary>Serilog's static logger, as Nuke exposes it.</summary>
public static class Log
{
    public static object Logger { get; } = new();

    public static void Information(string template, params object?[] values) => _ = (template, values);
}

/// <summary>Serilog.Extensions.Logging's bridge from Serilog to Microsoft.Extensions.Logging.</summary>
public sealed class SerilogLoggerFactory(object logger) : Microsoft.Extensions.Logging.ILoggerFactory
{
    public object Logger { get; } = logger;

    public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void AddProvider(Microsoft.Extensions.Logging.ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }
}
