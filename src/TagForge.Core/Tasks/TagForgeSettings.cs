using Microsoft.Extensions.Logging;
using TagForge.IO;
using TagForge.Services;

namespace TagForge.Tasks;

/// <summary>
/// What every TagForge task's settings share: where it logs, where it reads environment variables, and the
/// directory it works in. Settings are immutable; the fluent setters return changed copies.
/// </summary>
public abstract record TagForgeSettings
{
    /// <summary>Where the task logs; <see cref="TagForgeTasks.DefaultLogger"/> when unset.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>Where CI variables and credentials are read from; the process environment when unset.</summary>
    public IEnvironmentVariables? Environment { get; init; }

    /// <summary>
    /// The directory relative paths (context, record, files) are resolved against, and a directory inside the
    /// git repository; the current directory when unset.
    /// </summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>"Now", for the tag's time and the record's <c>createdAt</c>; the system clock when unset.</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>Where long tasks (promote's copy, verify and resolve of many files) report progress; none when unset.</summary>
    public IProgress<ProgressUpdate>? Progress { get; init; }

    /// <summary>The logger to use: <see cref="Logger"/>, else the default.</summary>
    internal ILogger EffectiveLogger => Logger ?? TagForgeTasks.DefaultLogger;

    /// <summary>The environment to use: <see cref="Environment"/>, else the process's.</summary>
    internal IEnvironmentVariables EffectiveEnvironment => Environment ?? ProcessEnvironment.Instance;

    /// <summary>The working directory to use, absolute.</summary>
    internal string EffectiveWorkingDirectory => Path.GetFullPath(WorkingDirectory ?? Directory.GetCurrentDirectory());

    /// <summary>The services a task hands its operation: these settings' environment, logger and working directory.</summary>
    internal TagForgeServices CreateServices() => new(EffectiveEnvironment, EffectiveLogger, Clock, EffectiveWorkingDirectory, progress: Progress);

    /// <summary><paramref name="path"/> resolved against the working directory (null stays null).</summary>
    internal string? Resolve(string? path) => path is null ? null : Path.GetFullPath(path, EffectiveWorkingDirectory);
}
